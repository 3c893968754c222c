/**
 * A finished scan as an Arrow IPC file (the "file" format: magic, schema, record batches, footer), readable by
 * pyarrow (`pyarrow.ipc.open_file`), polars (`pl.read_ipc`) and apache-arrow (`tableFromIPC`) as it is.
 *
 * Columns, all non-null float64 in row order (see grid.ts): S, K, sigma, t, price, delta, gamma, vega, theta, rho.
 * Invalid rows carry NaN. The schema's metadata names the model, option type, r, q, the four ranges and the units.
 *
 * The file is written one record batch at a time into `sink`, with an `await pause()` between batches so a page
 * stays responsive while millions of rows are written. A batch references the scan's own output columns where a
 * chunk is large enough; smaller chunks are gathered into batches of about `BATCH_ROWS` rows.
 */
import { Field, Float64, makeData, RecordBatch, RecordBatchFileWriter, Schema, Struct } from 'apache-arrow';
import { PartQueue } from '../dataset/parts';
import { AXES, fillGridColumns, OUTPUTS, type Axis, type Output, type ScanSpec } from './grid';
import type { ScanResult } from './pool';

export const ARROW_COLUMNS: ReadonlyArray<Axis | Output> = [...AXES, ...OUTPUTS];

/** Rows per record batch when chunks are small (binomial scans). */
export const BATCH_ROWS = 65_536;

const UNITS =
  'vega and rho per 1.00 (divide by 100 for per 1 %), theta per year of calendar time, gamma per unit of S²; ' +
  'S is the forward for black76 and black76coin; sigma is absolute (price units per √year) for bachelier; ' +
  'black76coin values are in units of the underlying';

/** The schema, with the scan's parameters as metadata (string keys and values). */
export function scanSchema(spec: ScanSpec, extra: Record<string, string> = {}): Schema {
  const fields = ARROW_COLUMNS.map((name) => new Field(name, new Float64(), false));
  const range = (a: Axis): string => JSON.stringify(spec[a]);
  const metadata = new Map<string, string>([
    ['producer', 'ferrodesk scenario scan'],
    ['model', spec.model],
    ['option_type', spec.type],
    ['r', String(spec.r)],
    ['q', String(spec.q)],
    ['S_range', range('S')],
    ['K_range', range('K')],
    ['sigma_range', range('sigma')],
    ['t_range', range('t')],
    ['row_order', 'S slowest, then K, sigma, t fastest; each axis evenly spaced from min to max inclusive'],
    ['units', UNITS],
    ...Object.entries(extra),
  ]);
  return new Schema(fields, metadata);
}


export interface ArrowWriteOptions {
  /** Receives the file's bytes in order. Parts may be views of the scan's own columns: consume them, don't keep. */
  sink: (part: Uint8Array) => void;
  /** Awaited between record batches (e.g. a zero-delay timeout so the page can paint and handle input). */
  pause?: () => Promise<void>;
  onProgress?: (rowsWritten: number, total: number) => void;
  signal?: AbortSignal;
  /** Extra schema metadata (e.g. the engine version). */
  metadata?: Record<string, string>;
}

function batchOf(schema: Schema, columns: Float64Array[], length: number): RecordBatch {
  const children = columns.map((data) => makeData({ type: new Float64(), length, nullCount: 0, data }));
  const type = new Struct(schema.fields);
  return new RecordBatch(schema, makeData({ type, length, nullCount: 0, children }));
}

/** The output columns of rows `start … start + count − 1`: the chunk's own arrays when the range is one chunk. */
function outputColumns(result: ScanResult, start: number, count: number): Float64Array[] {
  const rows = result.chunkRows;
  const first = Math.floor(start / rows);
  const chunk = result.chunks[first];
  if (!chunk) throw new Error(`scan result has no chunk ${first}`);
  if (start % rows === 0 && count === chunk.price.length) return OUTPUTS.map((o) => chunk[o]);
  return OUTPUTS.map((o) => {
    const out = new Float64Array(count);
    for (let at = 0; at < count;) {
      const row = start + at;
      const src = result.chunks[Math.floor(row / rows)];
      if (!src) throw new Error(`scan result has no chunk ${Math.floor(row / rows)}`);
      const from = row % rows;
      const n = Math.min(count - at, src[o].length - from);
      out.set(src[o].subarray(from, from + n), at);
      at += n;
    }
    return out;
  });
}

/**
 * Writes `result` as an Arrow IPC file into `opts.sink`; resolves with the number of bytes written.
 * Rejects (having written a partial file) if `signal` aborts; the caller discards what it received.
 */
export async function writeScanArrow(result: ScanResult, opts: ArrowWriteOptions): Promise<number> {
  const schema = scanSchema(result.spec, opts.metadata);
  const queue = new PartQueue();
  const writer = new RecordBatchFileWriter();
  writer.reset(queue, schema);
  let bytes = 0;
  const drain = (): void => {
    for (const part of queue.take()) {
      bytes += part.byteLength;
      opts.sink(part);
    }
  };
  const step = Math.max(result.chunkRows, Math.floor(BATCH_ROWS / result.chunkRows) * result.chunkRows);
  for (let start = 0; start < result.total; start += step) {
    if (opts.signal?.aborted) throw new Error('the export was cancelled');
    const count = Math.min(step, result.total - start);
    const grid = {
      spot: new Float64Array(count), strike: new Float64Array(count),
      vol: new Float64Array(count), time: new Float64Array(count),
    };
    fillGridColumns(result.spec, start, count, grid);
    const columns = [grid.spot, grid.strike, grid.vol, grid.time, ...outputColumns(result, start, count)];
    writer.write(batchOf(schema, columns, count));
    drain();
    opts.onProgress?.(start + count, result.total);
    if (opts.pause) await opts.pause();
  }
  writer.close();
  drain();
  return bytes;
}

/** A file name that says what the file holds, e.g. `scan-bsm-call-5000000.arrow`. */
export function arrowFileName(spec: ScanSpec, rows: number): string {
  return `scan-${spec.model}-${spec.type}-${rows}.arrow`;
}
