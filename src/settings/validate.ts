/**
 * Workspace settings as the server accepts them (docs/protocol.md, "HTTP API"): checked before a PUT, so an
 * invalid value is reported here with the same paths the server would use, and applied to what a GET returns,
 * which is data from the network like any other.
 */
import type { SavedWorkspace, ValidationIssue, WorkspaceSettings } from '../protocol/messages';

export type Checked<T> = { ok: true; value: T } | { ok: false; issues: ValidationIssue[] };

export const WORKSPACE_NAME = /^[A-Za-z0-9_-]{1,64}$/;
const SYMBOL = /^[A-Za-z0-9._:/-]{1,64}$/;
const PANEL_ID = /^[A-Za-z0-9._-]{1,64}$/;
const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const FIELDS = new Set(['instrument', 'theme', 'panels', 'grouping']);

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const keyPath = (base: string, key: string): string =>
  IDENT.test(key) ? `${base}.${key}` : `${base}[${JSON.stringify(key)}]`;

export function validateWorkspaceSettings(body: unknown): Checked<WorkspaceSettings> {
  if (!isObject(body)) return { ok: false, issues: [{ path: '$', value: body, reason: 'expected an object' }] };
  const issues: ValidationIssue[] = [];
  const missing = (path: string): void => {
    issues.push({ path, value: null, reason: 'required field is missing' });
  };
  const { instrument, theme, panels, grouping } = body;
  if (instrument === undefined) missing('$.instrument');
  else if (typeof instrument !== 'string' || !SYMBOL.test(instrument)) {
    issues.push({ path: '$.instrument', value: instrument,
      reason: 'expected an instrument symbol of 1 to 64 characters from A-Z, a-z, 0-9, ".", "_", ":", "/", "-"' });
  }
  if (theme === undefined) missing('$.theme');
  else if (theme !== 'dark' && theme !== 'light') {
    issues.push({ path: '$.theme', value: theme, reason: 'expected "dark" or "light"' });
  }
  if (panels === undefined) missing('$.panels');
  else if (!isObject(panels)) issues.push({ path: '$.panels', value: panels, reason: 'expected an object' });
  else {
    const entries = Object.entries(panels);
    if (entries.length > 64) issues.push({ path: '$.panels', value: entries.length, reason: 'at most 64 panels' });
    for (const [id, size] of entries) {
      const path = keyPath('$.panels', id);
      if (!PANEL_ID.test(id)) {
        issues.push({ path, value: id, reason: 'a panel id is 1 to 64 characters from A-Z, a-z, 0-9, ".", "_", "-"' });
      } else if (typeof size !== 'number' || !Number.isFinite(size) || size < 0 || size > 1) {
        issues.push({ path, value: size, reason: 'expected a fraction from 0 to 1' });
      }
    }
  }
  if (grouping !== undefined && (typeof grouping !== 'number' || !Number.isInteger(grouping) || grouping < 1
    || grouping > 1_000_000)) {
    issues.push({ path: '$.grouping', value: grouping, reason: 'expected an integer from 1 to 1000000' });
  }
  for (const key of Object.keys(body)) {
    if (!FIELDS.has(key)) issues.push({ path: keyPath('$', key), value: body[key], reason: 'unknown field' });
  }
  if (issues.length > 0) return { ok: false, issues };
  const value: WorkspaceSettings = {
    instrument: instrument as string,
    theme: theme as WorkspaceSettings['theme'],
    panels: { ...(panels as Record<string, number>) },
  };
  if (grouping !== undefined) value.grouping = grouping as number;
  return { ok: true, value };
}

/** Checks a `SavedWorkspace` reply body. */
export function validateSavedWorkspace(body: unknown): Checked<SavedWorkspace> {
  if (!isObject(body)) return { ok: false, issues: [{ path: '$', value: body, reason: 'expected an object' }] };
  const issues: ValidationIssue[] = [];
  if (typeof body.name !== 'string') issues.push({ path: '$.name', value: body.name ?? null, reason: 'expected a string' });
  if (typeof body.savedAt !== 'string') {
    issues.push({ path: '$.savedAt', value: body.savedAt ?? null, reason: 'expected an ISO 8601 string' });
  }
  const ws = validateWorkspaceSettings(body.workspace);
  if (!ws.ok) issues.push(...ws.issues.map((i) => ({ ...i, path: i.path.replace(/^\$/, '$.workspace') })));
  if (issues.length > 0 || !ws.ok) return { ok: false, issues };
  return { ok: true, value: { name: body.name as string, savedAt: body.savedAt as string, workspace: ws.value } };
}

/** "$.theme: expected "dark" or "light" (got "blue")" — one line per issue, for people. */
export function describeIssues(issues: readonly ValidationIssue[]): string {
  return issues.map((i) => `${i.path}: ${i.reason}${i.value === null ? '' : ` (got ${JSON.stringify(i.value)})`}`)
    .join('; ');
}

/** The workspace name from the page URL (`?ws=`), or "default" when absent or invalid. */
export function workspaceNameFrom(search: string): { name: string; invalid: string | null } {
  const raw = new URLSearchParams(search).get('ws');
  if (raw === null || raw === '') return { name: 'default', invalid: null };
  return WORKSPACE_NAME.test(raw) ? { name: raw, invalid: null } : { name: 'default', invalid: raw };
}
