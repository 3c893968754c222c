/** The strategy editor's logic without React: the saved document, the params field and text edits. */

export const STORAGE_KEY = 'ferrodesk.replay.strategy.v1';
/** What a template replaced, kept so the replacement can be undone even after a reload. */
export const PREVIOUS_KEY = 'ferrodesk.replay.strategy.previous.v1';
export const INDENT = '  ';

export interface StrategyDoc {
  source: string;
  /** The params field as typed (a JSON object). */
  params: string;
}

export type StorageLike = Pick<Storage, 'getItem' | 'setItem'>;

/** The saved document, or null when there is none or it cannot be read. */
export function readDoc(storage: StorageLike | null, key: string): StrategyDoc | null {
  if (!storage) return null;
  try {
    const raw = storage.getItem(key);
    if (raw === null) return null;
    const v = JSON.parse(raw) as Partial<StrategyDoc> | null;
    if (!v || typeof v.source !== 'string') return null;
    return { source: v.source, params: typeof v.params === 'string' ? v.params : '{}' };
  } catch {
    return null;
  }
}

/** null when saved, else why not (quota, storage disabled…). */
export function writeDoc(storage: StorageLike | null, key: string, doc: StrategyDoc): string | null {
  if (!storage) return 'this browser gives the page no local storage';
  try {
    storage.setItem(key, JSON.stringify(doc));
    return null;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

/** The params field parsed: a JSON object, or why it is not one. */
export function parseParams(text: string): { ok: true; value: Record<string, unknown> } | { ok: false; error: string } {
  if (text.trim() === '') return { ok: true, value: {} };
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    return { ok: false, error: `params is not valid JSON: ${e instanceof Error ? e.message : String(e)}` };
  }
  if (v === null || typeof v !== 'object' || Array.isArray(v)) {
    return { ok: false, error: `params ${text.trim().slice(0, 40)} is not a JSON object ({"name": value, …})` };
  }
  return { ok: true, value: v as Record<string, unknown> };
}

export interface TextEdit {
  text: string;
  start: number;
  end: number;
}

/**
 * Tab: inserts two spaces at the cursor, or indents every line a multi-line selection touches.
 * Shift+Tab: removes up to two leading spaces from those lines.
 */
export function indent(text: string, start: number, end: number, outdent: boolean): TextEdit {
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  const multi = text.slice(start, end).includes('\n');
  if (!outdent && !multi) {
    return { text: text.slice(0, start) + INDENT + text.slice(end), start: start + INDENT.length, end: start + INDENT.length };
  }
  const blockEnd = end > start && text[end - 1] === '\n' ? end - 1 : end;
  const lines = text.slice(lineStart, blockEnd).split('\n');
  let firstDelta = 0;
  let total = 0;
  const changed = lines.map((l, i) => {
    let d: number;
    let out: string;
    if (outdent) {
      d = -Math.min(INDENT.length, l.length - l.trimStart().length);
      out = l.slice(-d);
    } else {
      d = INDENT.length;
      out = INDENT + l;
    }
    if (i === 0) firstDelta = d;
    total += d;
    return out;
  });
  const next = text.slice(0, lineStart) + changed.join('\n') + text.slice(blockEnd);
  return { text: next, start: Math.max(lineStart, start + firstDelta), end: Math.max(lineStart, end + total) };
}

/** The offsets of 1-based `line` (start, end without the newline), clamped to the text. */
export function lineRange(text: string, line: number): { start: number; end: number } {
  let start = 0;
  for (let l = 1; l < line; l++) {
    const nl = text.indexOf('\n', start);
    if (nl < 0) break;
    start = nl + 1;
  }
  const nl = text.indexOf('\n', start);
  return { start, end: nl < 0 ? text.length : nl };
}

export function lineCount(text: string): number {
  let n = 1;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n++;
  return n;
}
