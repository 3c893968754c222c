// CSV as the option commands read and write it (RFC 4180): comma-separated, fields optionally quoted with
// doubled quotes inside, CRLF or LF line ends, a header row. Blank lines are skipped.
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { UsageError } from './args.js';

export interface CsvRow {
  /** 1-based line number in the file where the row starts (for error messages). */
  line: number;
  cells: string[];
}

export interface CsvTable {
  header: string[];
  rows: CsvRow[];
}

/** Parses CSV text; a quote left open at the end of the file is an error naming the line it opened on. */
export function parseCsv(text: string): CsvTable {
  const records: CsvRow[] = [];
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  let line = 1;
  let recordLine = 1;
  let quoteLine = 0;
  let sawAny = false;
  const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const endRecord = (): void => {
    cells.push(cell);
    if (cells.length > 1 || cells[0] !== '' || sawAny) records.push({ line: recordLine, cells });
    cells = [];
    cell = '';
    sawAny = false;
  };
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (quoted) {
      if (c === '"') {
        if (src[i + 1] === '"') {
          cell += '"';
          i++;
        } else quoted = false;
      } else {
        if (c === '\n') line++;
        cell += c;
      }
      continue;
    }
    if (c === '"') {
      quoted = true;
      quoteLine = line;
      sawAny = true;
    } else if (c === ',') {
      cells.push(cell);
      cell = '';
      sawAny = true;
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && src[i + 1] === '\n') i++;
      endRecord();
      line++;
      recordLine = line;
    } else cell += c;
  }
  if (quoted) throw new UsageError(`line ${quoteLine}: a quoted field is never closed`);
  if (cell !== '' || cells.length > 0 || sawAny) endRecord();
  const [head, ...rows] = records;
  if (!head) throw new UsageError('the file is empty: expected a header row');
  return { header: head.cells.map((h) => h.trim()), rows };
}

function quote(field: string): string {
  return /[",\r\n]/.test(field) || field !== field.trim() ? `"${field.replace(/"/g, '""')}"` : field;
}

export function formatCsv(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const out = [header.map(quote).join(',')];
  for (const r of rows) out.push(r.map(quote).join(','));
  return `${out.join('\n')}\n`;
}

/** Column indexes for `required` names (and `optional` ones when present); a missing column is a UsageError. */
export function columnIndex(
  header: readonly string[],
  required: readonly string[],
  optional: readonly string[] = [],
): Record<string, number> {
  const lower = header.map((h) => h.toLowerCase());
  const idx: Record<string, number> = {};
  const missing: string[] = [];
  for (const name of required) {
    const i = lower.indexOf(name);
    if (i < 0) missing.push(name);
    else idx[name] = i;
  }
  if (missing.length) {
    throw new UsageError(
      `missing column${missing.length > 1 ? 's' : ''} ${missing.map((m) => `'${m}'`).join(', ')} ` +
        `(the header has: ${header.join(',') || 'nothing'})`,
    );
  }
  for (const name of optional) {
    const i = lower.indexOf(name);
    if (i >= 0) idx[name] = i;
  }
  return idx;
}

/**
 * Writes `text` to `path` all at once: a temporary file beside it, then a rename, so a reader never sees half a
 * file and a failure leaves any previous file untouched.
 */
export function writeFileAtomic(path: string, text: string): void {
  const tmp = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, text);
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}

/** Parses a decimal cell; the error names the column, the value and the reason. */
export function numberCell(column: string, raw: string | undefined): number {
  const s = (raw ?? '').trim();
  if (s === '') throw new Error(`${column}: empty`);
  // Number('') and Number(' ') are 0 and Number('0x10') is 16: accept plain decimals only.
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s)) throw new Error(`${column}: '${s}' is not a number`);
  return Number(s);
}
