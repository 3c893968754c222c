import { describe, expect, it } from 'vitest';
import { describeIssues, validateSavedWorkspace, validateWorkspaceSettings, workspaceNameFrom } from './validate';

describe('workspace settings validation', () => {
  it('accepts what the server accepts', () => {
    const ws = { instrument: 'BTC-USD', theme: 'dark', panels: { ladder: 0.3, 'chart.main': 0 }, grouping: 10 };
    expect(validateWorkspaceSettings(ws)).toEqual({ ok: true, value: ws });
    expect(validateWorkspaceSettings({ instrument: 'a:b/c', theme: 'light', panels: {} }).ok).toBe(true);
  });

  it('reports every offending field with path, value and reason', () => {
    const r = validateWorkspaceSettings({ theme: 'blue', panels: { ladder: 1.5, 'bad id': 0.1 }, grouping: 2.5, x: 1 });
    if (r.ok) throw new Error('expected issues');
    expect(r.issues.map((i) => [i.path, i.value])).toEqual([
      ['$.instrument', null],
      ['$.theme', 'blue'],
      ['$.panels.ladder', 1.5],
      ['$.panels["bad id"]', 'bad id'],
      ['$.grouping', 2.5],
      ['$.x', 1],
    ]);
    expect(describeIssues(r.issues.slice(0, 2))).toBe(
      '$.instrument: required field is missing; $.theme: expected "dark" or "light" (got "blue")');
  });

  it('checks a saved workspace reply, prefixing nested paths', () => {
    const good = { name: 'w', savedAt: '2024-05-01T10:00:00.000Z', workspace: { instrument: 'ETH-USD', theme: 'light', panels: {} } };
    expect(validateSavedWorkspace(good)).toEqual({ ok: true, value: good });
    const bad = validateSavedWorkspace({ name: 'w', workspace: { instrument: 'ETH-USD', theme: 1, panels: {} } });
    if (bad.ok) throw new Error('expected issues');
    expect(bad.issues.map((i) => i.path)).toEqual(['$.savedAt', '$.workspace.theme']);
  });

  it('takes the workspace name from ?ws=, refusing invalid names', () => {
    expect(workspaceNameFrom('?ws=desk-2')).toEqual({ name: 'desk-2', invalid: null });
    expect(workspaceNameFrom('')).toEqual({ name: 'default', invalid: null });
    expect(workspaceNameFrom('?ws=a%20b')).toEqual({ name: 'default', invalid: 'a b' });
  });
});
