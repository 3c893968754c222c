/**
 * The dataset file's Arrow schema (docs/datasets.md): one non-null column per event field, in this order, and
 * the instrument in the schema metadata. Shared by the browser worker and the CLI: no DOM or Node imports.
 */
import { DataType, Field, Int64, Schema, Uint8 } from 'apache-arrow';

/** The value of the `ferrodesk.schema` metadata key this code reads and writes. */
export const SCHEMA_ID = 'l2-events/1';
export const SCHEMA_KEY = 'ferrodesk.schema';
/** Most rows in one record batch. */
export const MAX_BATCH_ROWS = 65_536;
/** Largest `price_decimals` / `qty_decimals` (as the engine). */
export const MAX_DECIMALS = 18;

export const KIND_SNAPSHOT = 0;
export const KIND_DELTA = 1;
export const KIND_TRADE = 2;
export const KIND_CLEAR = 3;
export const KIND_NAMES = ['snapshot', 'delta', 'trade', 'clear'] as const;
export const FLAG_LAST = 1;

/** The event columns, in memory and in the file (camelCase here, snake_case as Arrow column names). */
export interface EventColumns {
  tsRecv: BigInt64Array;
  tsEvent: BigInt64Array;
  kind: Uint8Array;
  side: Uint8Array;
  price: BigInt64Array;
  qty: BigInt64Array;
  flags: Uint8Array;
}

/** The instrument a dataset describes: `price = ticks × 10^-priceDecimals`, `qty = lots × 10^-qtyDecimals`. */
export interface DatasetMeta {
  venue: string;
  symbol: string;
  priceDecimals: number;
  qtyDecimals: number;
}

type ColumnKey = keyof EventColumns;

/** Column name in the file, its key in {@link EventColumns}, and its Arrow type. */
export const COLUMNS: ReadonlyArray<{ name: string; key: ColumnKey; type: 'int64' | 'uint8' }> = [
  { name: 'ts_recv', key: 'tsRecv', type: 'int64' },
  { name: 'ts_event', key: 'tsEvent', type: 'int64' },
  { name: 'kind', key: 'kind', type: 'uint8' },
  { name: 'side', key: 'side', type: 'uint8' },
  { name: 'price', key: 'price', type: 'int64' },
  { name: 'qty', key: 'qty', type: 'int64' },
  { name: 'flags', key: 'flags', type: 'uint8' },
];

/** A file that does not follow the schema: the column or metadata key, the value found and why. */
export class DatasetFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DatasetFormatError';
  }
}

function checkDecimals(field: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > MAX_DECIMALS) {
    throw new DatasetFormatError(`${field} is ${JSON.stringify(v)}, expected an integer 0..${MAX_DECIMALS}`);
  }
  return v;
}

/** Checks a meta object; throws naming the field and value. */
export function checkMeta(meta: DatasetMeta): DatasetMeta {
  for (const f of ['venue', 'symbol'] as const) {
    if (typeof meta[f] !== 'string' || meta[f] === '') {
      throw new DatasetFormatError(`${f} is ${JSON.stringify(meta[f])}, expected a non-empty string`);
    }
  }
  checkDecimals('priceDecimals', meta.priceDecimals);
  checkDecimals('qtyDecimals', meta.qtyDecimals);
  return meta;
}

/** The schema of a dataset of `meta`; `extra` adds metadata keys (e.g. `producer`, `source`). */
export function datasetSchema(meta: DatasetMeta, extra: Record<string, string> = {}): Schema {
  checkMeta(meta);
  const fields = COLUMNS.map((c) => new Field(c.name, c.type === 'int64' ? new Int64() : new Uint8(), false));
  const metadata = new Map<string, string>([
    ...Object.entries(extra),
    [SCHEMA_KEY, SCHEMA_ID],
    ['venue', meta.venue],
    ['symbol', meta.symbol],
    ['price_decimals', String(meta.priceDecimals)],
    ['qty_decimals', String(meta.qtyDecimals)],
  ]);
  return new Schema(fields, metadata);
}

function typeName(t: DataType): string {
  return String(t);
}

function matches(t: DataType, want: 'int64' | 'uint8'): boolean {
  if (!DataType.isInt(t)) return false;
  return want === 'int64' ? t.bitWidth === 64 && t.isSigned : t.bitWidth === 8 && !t.isSigned;
}

/**
 * Checks a file's schema against the dataset schema and returns its meta. Throws a {@link DatasetFormatError}
 * naming the missing or mistyped column, or the metadata key and its value.
 */
export function checkSchema(schema: Schema): DatasetMeta {
  const md = schema.metadata;
  const id = md.get(SCHEMA_KEY);
  if (id !== SCHEMA_ID) {
    throw new DatasetFormatError(
      `schema metadata ${SCHEMA_KEY} is ${id === undefined ? 'missing' : JSON.stringify(id)}, expected "${SCHEMA_ID}"`,
    );
  }
  for (const c of COLUMNS) {
    const f = schema.fields.find((x) => x.name === c.name);
    if (!f) {
      throw new DatasetFormatError(`column ${c.name} is missing (expected ${c.type})`);
    }
    if (!matches(f.type, c.type)) {
      throw new DatasetFormatError(`column ${c.name} has type ${typeName(f.type)}, expected ${c.type}`);
    }
  }
  const text = (key: string): string => {
    const v = md.get(key);
    if (v === undefined || v === '') {
      throw new DatasetFormatError(`schema metadata ${key} is ${v === undefined ? 'missing' : '""'}, expected a non-empty string`);
    }
    return v;
  };
  const decimals = (key: string): number => {
    const v = text(key);
    if (!/^\d{1,2}$/.test(v) || Number(v) > MAX_DECIMALS) {
      throw new DatasetFormatError(`schema metadata ${key} is ${JSON.stringify(v)}, expected an integer 0..${MAX_DECIMALS}`);
    }
    return Number(v);
  };
  return {
    venue: text('venue'),
    symbol: text('symbol'),
    priceDecimals: decimals('price_decimals'),
    qtyDecimals: decimals('qty_decimals'),
  };
}
