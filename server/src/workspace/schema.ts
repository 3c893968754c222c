/**
 * Workspace settings (`WorkspaceSettings` in src/protocol/messages.ts) and their validation rules.
 *
 * - name (URL segment): 1-64 of A-Z a-z 0-9 _ -
 * - instrument: an instrument symbol, 1-64 characters of A-Z a-z 0-9 . _ : / - (not checked against the
 *   instruments streamed now, so a saved workspace survives a change of feeds);
 * - theme: "dark" | "light";
 * - panels: at most 64 entries, panel id (1-64 of A-Z a-z 0-9 . _ -) → size as a fraction 0..1 of the split
 *   that contains the panel (0 = collapsed). Fractions rather than pixels so a layout restores on any screen;
 * - grouping (optional): ladder price grouping, integer ticks per row, 1..1,000,000.
 * Unknown fields are rejected so that a misspelt field is reported instead of silently dropped.
 */
import type { WorkspaceSettings } from '../../../src/protocol/messages.js';
import { number, object, oneOf, record, string, validate, type ValidationResult } from '../validate.js';

export const WORKSPACE_NAME = /^[A-Za-z0-9_-]{1,64}$/;
export const WORKSPACE_NAME_HELP = '1 to 64 characters from A-Z, a-z, 0-9, "_" and "-"';

const workspaceSchema = object(
  {
    instrument: string({
      min: 1,
      max: 64,
      pattern: /^[A-Za-z0-9._:/-]+$/,
      patternHelp: 'an instrument symbol of A-Z, a-z, 0-9, ".", "_", ":", "/", "-"',
    }),
    theme: oneOf(['dark', 'light'] as const),
    panels: record({
      key: /^[A-Za-z0-9._-]{1,64}$/,
      keyHelp: 'a panel id of 1 to 64 characters from A-Z, a-z, 0-9, ".", "_", "-"',
      maxEntries: 64,
      item: number({ min: 0, max: 1 }),
    }),
  },
  { grouping: number({ min: 1, max: 1_000_000, integer: true }) },
);

export function validateWorkspace(body: unknown): ValidationResult<WorkspaceSettings> {
  const result = validate(workspaceSchema, body);
  if (!result.ok) return result;
  const { instrument, theme, panels, grouping } = result.value;
  return { ok: true, value: grouping === undefined ? { instrument, theme, panels } : { instrument, theme, panels, grouping } };
}
