/**
 * A backtest's fills and equity curve as Arrow IPC files (the "file" format), readable by pyarrow
 * (`pyarrow.ipc.open_file`), polars (`pl.read_ipc`) and apache-arrow (`tableFromIPC`).
 *
 * fills:  ts_recv Int64 (ns), order_id Int64, side Uint8 (0 buy, 1 sell), price Int64 (ticks), qty Int64 (lots),
 *         fee Float64, maker Bool
 * equity: ts Int64 (ns), equity Float64, position Float64 (lots), realised Float64, unrealised Float64;
 *         realised and unrealised are null for a saved run, which keeps only equity and position
 * Schema metadata: `ferrodesk.schema` (`backtest-fills/1` or `backtest-equity/1`), plus what the caller adds
 * (run name, dataset hash, engine version, price_decimals, qty_decimals, …).
 * The engine hands these over as flat Float64Arrays (bindings `fills()`: 7 numbers per fill, `equity()`: 5 per
 * sample); `fillsFromEngine` / `equityFromEngine` turn them into columns.
 */
import {
  Bool, Field, Float64, Int64, makeData, RecordBatch, Schema, Struct, Table, tableToIPC, Uint8, vectorFromArray, type Data,
} from 'apache-arrow';
import type { RunCurve } from '../../../protocol/runs';
import { ARROW_FILE_TYPE, downloadBlob } from '../../scan/exportFile';

export const FILLS_SCHEMA = 'backtest-fills/1';
export const EQUITY_SCHEMA = 'backtest-equity/1';
export const FILL_STRIDE = 7;
export const EQUITY_STRIDE = 5;

export interface FillColumns {
  tsRecv: BigInt64Array;
  orderId: BigInt64Array;
  side: Uint8Array;
  price: BigInt64Array;
  qty: BigInt64Array;
  fee: Float64Array;
  maker: boolean[];
}

export interface EquityColumns {
  ts: BigInt64Array;
  equity: Float64Array;
  position: Float64Array;
  /** null where unknown (a saved run's curve). */
  realised: Float64Array | null;
  unrealised: Float64Array | null;
}

/** A float holding an integer (ns, ticks, ids) as an Int64; truncates toward zero and refuses non-finite values. */
function toInt64(v: number, what: string): bigint {
  if (!Number.isFinite(v)) throw new Error(`${what} is ${v}, not a finite number`);
  return BigInt(Math.trunc(v));
}

/** Columns from the engine's flat fills (ts_recv, order_id, side, price, qty, fee, maker per fill). */
export function fillsFromEngine(flat: Float64Array): FillColumns {
  if (flat.length % FILL_STRIDE !== 0) throw new Error(`fills: length ${flat.length} is not a multiple of ${FILL_STRIDE}`);
  const n = flat.length / FILL_STRIDE;
  const out: FillColumns = {
    tsRecv: new BigInt64Array(n), orderId: new BigInt64Array(n), side: new Uint8Array(n), price: new BigInt64Array(n),
    qty: new BigInt64Array(n), fee: new Float64Array(n), maker: new Array<boolean>(n),
  };
  for (let i = 0; i < n; i++) {
    const o = i * FILL_STRIDE;
    const at = (k: number): number => flat[o + k] ?? Number.NaN;
    out.tsRecv[i] = toInt64(at(0), `fills[${i}].ts_recv`);
    out.orderId[i] = toInt64(at(1), `fills[${i}].order_id`);
    const side = at(2);
    if (side !== 0 && side !== 1) throw new Error(`fills[${i}].side is ${side}, expected 0 (buy) or 1 (sell)`);
    out.side[i] = side;
    out.price[i] = toInt64(at(3), `fills[${i}].price`);
    out.qty[i] = toInt64(at(4), `fills[${i}].qty`);
    out.fee[i] = at(5);
    out.maker[i] = at(6) !== 0;
  }
  return out;
}

/** Columns from the engine's flat equity samples (ts, equity, position, realised, unrealised per sample). */
export function equityFromEngine(flat: Float64Array): EquityColumns {
  if (flat.length % EQUITY_STRIDE !== 0) throw new Error(`equity: length ${flat.length} is not a multiple of ${EQUITY_STRIDE}`);
  const n = flat.length / EQUITY_STRIDE;
  const ts = new BigInt64Array(n);
  const cols = [new Float64Array(n), new Float64Array(n), new Float64Array(n), new Float64Array(n)] as const;
  for (let i = 0; i < n; i++) {
    const o = i * EQUITY_STRIDE;
    ts[i] = toInt64(flat[o] ?? Number.NaN, `equity[${i}].ts`);
    cols.forEach((col, k) => {
      col[i] = flat[o + 1 + k] ?? Number.NaN;
    });
  }
  const [equity, position, realised, unrealised] = cols;
  return { ts, equity, position, realised, unrealised };
}

/** Columns from a saved run's curve; realised and unrealised are not saved, so they are null. */
export function equityFromCurve(curve: RunCurve): EquityColumns {
  return {
    ts: BigInt64Array.from(curve.ts, (v, i) => toInt64(v, `curve.ts[${i}]`)),
    equity: Float64Array.from(curve.equity),
    position: Float64Array.from(curve.position),
    realised: null,
    unrealised: null,
  };
}

const int64 = (data: BigInt64Array): Data<Int64> => makeData({ type: new Int64(), length: data.length, nullCount: 0, data });
const float64 = (data: Float64Array): Data<Float64> => makeData({ type: new Float64(), length: data.length, nullCount: 0, data });
const uint8 = (data: Uint8Array): Data<Uint8> => makeData({ type: new Uint8(), length: data.length, nullCount: 0, data });

function tableOf(columns: Array<[string, Data]>, schemaName: string, metadata: Record<string, string>): Table {
  const length = columns[0]?.[1].length ?? 0;
  const fields = columns.map(([name, data]) => new Field(name, data.type, data.nullCount > 0 || name === 'realised' || name === 'unrealised'));
  const schema = new Schema(fields, new Map([['ferrodesk.schema', schemaName], ...Object.entries(metadata)]));
  const struct = makeData({ type: new Struct(fields), length, nullCount: 0, children: columns.map(([, d]) => d) });
  return new Table([new RecordBatch(schema, struct)]);
}

function nullableFloat(values: Float64Array | null, length: number): Data<Float64> {
  if (values) return float64(values);
  return vectorFromArray(new Array<number | null>(length).fill(null), new Float64()).data[0] as Data<Float64>;
}

/** The fills as an Arrow IPC file. */
export function fillsArrow(f: FillColumns, metadata: Record<string, string> = {}): Uint8Array {
  const n = f.tsRecv.length;
  for (const [name, col] of Object.entries(f) as Array<[string, { length: number }]>) {
    if (col.length !== n) throw new Error(`fills: column ${name} has ${col.length} rows, expected ${n}`);
  }
  const maker = vectorFromArray(f.maker, new Bool()).data[0] as Data<Bool>;
  return tableToIPC(tableOf([
    ['ts_recv', int64(f.tsRecv)],
    ['order_id', int64(f.orderId)],
    ['side', uint8(f.side)],
    ['price', int64(f.price)],
    ['qty', int64(f.qty)],
    ['fee', float64(f.fee)],
    ['maker', maker],
  ], FILLS_SCHEMA, metadata), 'file');
}

/** The equity samples as an Arrow IPC file. */
export function equityArrow(e: EquityColumns, metadata: Record<string, string> = {}): Uint8Array {
  const n = e.ts.length;
  for (const [name, col] of Object.entries(e) as Array<[string, { length: number } | null]>) {
    if (col && col.length !== n) throw new Error(`equity: column ${name} has ${col.length} rows, expected ${n}`);
  }
  return tableToIPC(tableOf([
    ['ts', int64(e.ts)],
    ['equity', float64(e.equity)],
    ['position', float64(e.position)],
    ['realised', nullableFloat(e.realised, n)],
    ['unrealised', nullableFloat(e.unrealised, n)],
  ], EQUITY_SCHEMA, metadata), 'file');
}

/** A file name from a run name: letters, digits, `-` and `_` kept, the rest as `-`. */
export function arrowName(runName: string, what: 'fills' | 'equity'): string {
  const stem = runName.replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60) || 'run';
  return `${stem}.${what}.arrow`;
}

/** Offers the fills as a download; returns the file name. */
export function downloadFills(runName: string, fills: FillColumns, metadata: Record<string, string> = {}): string {
  const name = arrowName(runName, 'fills');
  downloadBlob(new Blob([fillsArrow(fills, { run: runName, ...metadata }) as Uint8Array<ArrayBuffer>], { type: ARROW_FILE_TYPE }), name);
  return name;
}

/** Offers the equity curve as a download; returns the file name. */
export function downloadEquity(runName: string, equity: EquityColumns, metadata: Record<string, string> = {}): string {
  const name = arrowName(runName, 'equity');
  downloadBlob(new Blob([equityArrow(equity, { run: runName, ...metadata }) as Uint8Array<ArrayBuffer>], { type: ARROW_FILE_TYPE }), name);
  return name;
}
