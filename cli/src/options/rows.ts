// Row-by-row option pricing and implied volatility over CSV tables, shared by `ferrodesk price` and `ferrodesk iv`.
// A bad cell fails its row only: the row gets an `error` naming the column, the value and the reason, and every
// other row is still computed.
import type { WasmModule } from '../wasm.js';
import { columnIndex, numberCell, type CsvTable } from '../csv.js';

export const MODELS = ['bsm', 'black76', 'black76coin', 'bachelier', 'baw', 'bjs1993', 'bjs2002', 'binomial',
  'binomial_european'] as const;
const TYPES = ['call', 'put'] as const;
/** Binomial steps when a row gives none (the batch API's default). */
export const DEFAULT_STEPS = 201;

const PRICE_IN = ['model', 'type', 'spot', 'strike', 'rate', 'div', 'time', 'vol'];
export const PRICE_OUT = ['price', 'delta', 'gamma', 'vega', 'theta', 'rho', 'error'];
const IV_IN = ['model', 'type', 'spot', 'strike', 'rate', 'div', 'time', 'price'];
export const IV_OUT = ['iv', 'error'];

export interface RowsResult {
  header: string[];
  rows: string[][];
  errors: number;
}

function enumCell<T extends string>(column: string, raw: string | undefined, allowed: readonly T[]): T {
  const s = (raw ?? '').trim().toLowerCase();
  if ((allowed as readonly string[]).includes(s)) return s as T;
  throw new Error(`${column}: '${(raw ?? '').trim()}' is not one of ${allowed.join(' | ')}`);
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Appends the output columns, replacing input columns of the same name so a re-run does not duplicate them. */
function outputLayout(header: readonly string[], outCols: readonly string[]): { header: string[]; keep: number[] } {
  const lower = outCols.map((c) => c.toLowerCase());
  const keep = header.map((_, i) => i).filter((i) => !lower.includes((header[i] ?? '').toLowerCase()));
  return { header: [...keep.map((i) => header[i] ?? ''), ...outCols], keep };
}

export function priceRows(wasm: WasmModule, table: CsvTable): RowsResult {
  const col = columnIndex(table.header, PRICE_IN, ['steps']);
  const { header, keep } = outputLayout(table.header, PRICE_OUT);
  let errors = 0;
  const rows = table.rows.map((r) => {
    const cell = (name: string): string | undefined => {
      const i = col[name];
      return i === undefined ? undefined : r.cells[i];
    };
    const base = keep.map((i) => r.cells[i] ?? '');
    try {
      const model = enumCell('model', cell('model'), MODELS);
      const type = enumCell('type', cell('type'), TYPES);
      const num = (c: string): number => numberCell(c, cell(c));
      const stepsRaw = cell('steps');
      const steps = stepsRaw === undefined || stepsRaw.trim() === '' ? DEFAULT_STEPS : numberCell('steps', stepsRaw);
      const res = wasm.priceOption(model, type, num('spot'), num('strike'), num('rate'), num('div'), num('time'),
        num('vol'), model.startsWith('binomial') ? steps : 0);
      try {
        return [...base, ...[res.price, res.delta, res.gamma, res.vega, res.theta, res.rho].map(String), ''];
      } finally {
        res.free();
      }
    } catch (e) {
      errors++;
      return [...base, '', '', '', '', '', '', `line ${r.line}: ${message(e)}`];
    }
  });
  return { header, rows, errors };
}

export function ivRows(wasm: WasmModule, table: CsvTable): RowsResult {
  const col = columnIndex(table.header, IV_IN);
  const { header, keep } = outputLayout(table.header, IV_OUT);
  let errors = 0;
  const rows = table.rows.map((r) => {
    const cell = (name: string): string | undefined => r.cells[col[name] ?? -1];
    const base = keep.map((i) => r.cells[i] ?? '');
    try {
      const model = enumCell('model', cell('model'), MODELS);
      const type = enumCell('type', cell('type'), TYPES);
      const num = (c: string): number => numberCell(c, cell(c));
      const res = wasm.impliedVol(model, type, num('spot'), num('strike'), num('rate'), num('div'), num('time'),
        num('price'));
      try {
        if (res.error !== undefined) throw new Error(res.error);
        return [...base, String(res.iv), ''];
      } finally {
        res.free();
      }
    } catch (e) {
      errors++;
      return [...base, '', `line ${r.line}: ${message(e)}`];
    }
  });
  return { header, rows, errors };
}
