/**
 * Event columns → an Arrow IPC file (the "file" format: magic, schema, record batches, footer), written one
 * record batch of at most 65,536 rows at a time into a sink, so a writer never holds more than the columns
 * it was given plus one batch of framing.
 */
import { Int64, makeData, RecordBatch, RecordBatchFileWriter, Struct, Uint8, type Data, type Schema } from 'apache-arrow';
import { PartQueue } from './parts.js';
import { COLUMNS, datasetSchema, DatasetFormatError, MAX_BATCH_ROWS, type DatasetMeta, type EventColumns } from './schema.js';

export interface DatasetWriteOptions {
  /** Receives the file's bytes in order. Parts may be views of the columns: consume them, don't keep them. */
  sink: (part: Uint8Array) => void | Promise<void>;
  /** Rows per record batch (default and maximum 65,536). */
  batchRows?: number;
  /** Extra schema metadata (e.g. `producer`, `source`). */
  metadata?: Record<string, string>;
  onProgress?: (rowsWritten: number, total: number) => void;
  /** Awaited between record batches (e.g. to let a page paint). */
  pause?: () => Promise<void>;
}

/** Throws unless every column has `tsRecv`'s length; returns it. */
export function columnsLength(c: EventColumns): number {
  const n = c.tsRecv.length;
  for (const col of COLUMNS) {
    if (c[col.key].length !== n) {
      throw new DatasetFormatError(`column ${col.name} has ${c[col.key].length} rows, expected ${n} like ts_recv`);
    }
  }
  return n;
}

function batchOf(schema: Schema, c: EventColumns, start: number, end: number): RecordBatch {
  const length = end - start;
  const children: Data[] = COLUMNS.map((col) => {
    const data = c[col.key].subarray(start, end);
    return col.type === 'int64'
      ? makeData({ type: new Int64(), length, nullCount: 0, data: data as BigInt64Array })
      : makeData({ type: new Uint8(), length, nullCount: 0, data: data as Uint8Array });
  });
  return new RecordBatch(schema, makeData({ type: new Struct(schema.fields), length, nullCount: 0, children }));
}

/**
 * An incremental dataset file writer: `write` windows of columns in order (each split into record batches of at
 * most `batchRows` rows), then `close`. Memory: the window being written plus one batch of framing.
 */
export class DatasetFileWriter {
  private readonly schema: Schema;
  private readonly queue = new PartQueue();
  private readonly writer = new RecordBatchFileWriter();
  private readonly step: number;
  private rows = 0;
  private closed = false;
  /** Bytes handed to the sink so far. */
  bytes = 0;

  constructor(meta: DatasetMeta, private readonly opts: DatasetWriteOptions) {
    const step = opts.batchRows ?? MAX_BATCH_ROWS;
    if (!Number.isInteger(step) || step < 1 || step > MAX_BATCH_ROWS) {
      throw new DatasetFormatError(`batchRows is ${step}, expected an integer 1..${MAX_BATCH_ROWS}`);
    }
    this.step = step;
    this.schema = datasetSchema(meta, opts.metadata);
    this.writer.reset(this.queue, this.schema);
  }

  private async drain(): Promise<void> {
    for (const part of this.queue.take()) {
      this.bytes += part.byteLength;
      await this.opts.sink(part);
    }
  }

  /** Appends a window; `total` (for progress) defaults to the rows written so far. */
  async write(columns: EventColumns, total?: number): Promise<void> {
    if (this.closed) throw new Error('the dataset writer is closed');
    const n = columnsLength(columns);
    for (let start = 0; start < n; start += this.step) {
      const end = Math.min(n, start + this.step);
      this.writer.write(batchOf(this.schema, columns, start, end));
      await this.drain();
      this.rows += end - start;
      this.opts.onProgress?.(this.rows, total ?? this.rows);
      if (this.opts.pause) await this.opts.pause();
    }
  }

  /** Writes the footer; resolves with the file's size in bytes. */
  async close(): Promise<number> {
    if (this.closed) return this.bytes;
    this.closed = true;
    // An empty dataset is the schema, one empty batch and the footer.
    if (this.rows === 0) this.writer.write(batchOf(this.schema, emptyColumns(), 0, 0));
    this.writer.close();
    await this.drain();
    return this.bytes;
  }
}

/** Zero-length columns. */
export function emptyColumns(): EventColumns {
  return {
    tsRecv: new BigInt64Array(0), tsEvent: new BigInt64Array(0), kind: new Uint8Array(0), side: new Uint8Array(0),
    price: new BigInt64Array(0), qty: new BigInt64Array(0), flags: new Uint8Array(0),
  };
}

/** Writes `columns` of `meta` as an Arrow IPC file into `opts.sink`; resolves with the number of bytes written. */
export async function writeDataset(columns: EventColumns, meta: DatasetMeta, opts: DatasetWriteOptions): Promise<number> {
  const total = columnsLength(columns);
  const w = new DatasetFileWriter(meta, opts);
  await w.write(columns, total);
  return w.close();
}

/** The whole file in memory (small datasets, tests). */
export async function datasetToBytes(columns: EventColumns, meta: DatasetMeta, opts: Omit<DatasetWriteOptions, 'sink'> = {}): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  const n = await writeDataset(columns, meta, { ...opts, sink: (p) => void parts.push(p.slice()) });
  const out = new Uint8Array(n);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
}
