/**
 * Windowed reading of a dataset Arrow IPC file from a random-access source: the footer (the last bytes of the
 * file) lists every record batch's offset and length, so batches are read and decoded one at a time and a
 * 1 GB file never needs 1 GB of memory. In the browser the source is a `Blob` (a `File`), sliced; in Node a
 * file handle. Shared by the browser worker and the CLI: no DOM or Node imports.
 *
 * File layout (Arrow columnar format, "IPC File Format"): `ARROW1\0\0`, (optionally) the schema message,
 * record batch messages, the footer flatbuffer (`Footer { version, schema, dictionaries: [Block], recordBatches: [Block] }`,
 * `Block { offset: long, metaDataLength: int, bodyLength: long }`), its int32 length, `ARROW1`.
 */
import { RecordBatchReader, Table, tableFromIPC, tableToIPC, type Schema } from 'apache-arrow';
import { checkSchema, COLUMNS, DatasetFormatError, MAX_BATCH_ROWS, type DatasetMeta, type EventColumns } from './schema.js';

/** Random access to a file's bytes. `read` may return fewer bytes only at the end of the file. */
export interface RandomAccessSource {
  size: number;
  read(offset: number, length: number): Promise<Uint8Array>;
}

/** A `Blob` (a browser `File`) as a source. */
export function blobSource(blob: Blob): RandomAccessSource {
  return {
    size: blob.size,
    read: async (offset, length) => new Uint8Array(await blob.slice(offset, offset + length).arrayBuffer()),
  };
}

/** An in-memory file as a source. */
export function bytesSource(bytes: Uint8Array): RandomAccessSource {
  return { size: bytes.byteLength, read: async (offset, length) => bytes.subarray(offset, offset + length) };
}

/** One record batch's place in the file. */
export interface BatchBlock {
  offset: number;
  metaDataLength: number;
  bodyLength: number;
}

export interface DatasetReaderOptions {
  /** Called after every read with the bytes read so far and the file size. */
  onProgress?: (bytesRead: number, total: number) => void;
}

const MAGIC = [0x41, 0x52, 0x52, 0x4f, 0x57, 0x31]; // "ARROW1"
const EOS = new Uint8Array([0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0]);

function isMagic(b: Uint8Array, at: number): boolean {
  return MAGIC.every((m, i) => b[at + i] === m);
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
}

/** A minimal flatbuffer table reader (flatbuffers "internals": vtables, uoffsets), for the footer only. */
class FbTable {
  constructor(private readonly v: DataView, readonly pos: number) {}

  /** Absolute position of field `i`, or undefined when absent. */
  field(i: number): number | undefined {
    const vt = this.pos - this.v.getInt32(this.pos, true);
    const vtSize = this.v.getUint16(vt, true);
    const at = 4 + 2 * i;
    if (at + 2 > vtSize) return undefined;
    const off = this.v.getUint16(vt + at, true);
    return off === 0 ? undefined : this.pos + off;
  }
}

function int64(v: DataView, at: number, what: string): number {
  const n = v.getBigInt64(at, true);
  if (n < 0n || n > BigInt(Number.MAX_SAFE_INTEGER)) throw new DatasetFormatError(`${what} is ${n}, out of range`);
  return Number(n);
}

/** Parses the footer's record batch blocks. */
function footerBlocks(footer: Uint8Array, fileSize: number, footerStart: number): BatchBlock[] {
  const v = new DataView(footer.buffer, footer.byteOffset, footer.byteLength);
  const bad = (what: string): DatasetFormatError => new DatasetFormatError(`footer is corrupt: ${what}`);
  try {
    const root = new FbTable(v, v.getUint32(0, true));
    const f = root.field(3);
    if (f === undefined) return [];
    const vec = f + v.getUint32(f, true);
    const n = v.getUint32(vec, true);
    if (vec + 4 + n * 24 > footer.byteLength) throw bad(`${n} record batch blocks do not fit its ${footer.byteLength} bytes`);
    const blocks: BatchBlock[] = [];
    for (let i = 0; i < n; i++) {
      const at = vec + 4 + i * 24;
      const b = {
        offset: int64(v, at, `block ${i} offset`),
        metaDataLength: v.getInt32(at + 8, true),
        bodyLength: int64(v, at + 16, `block ${i} bodyLength`),
      };
      if (b.metaDataLength <= 0 || b.offset < 8 || b.offset + b.metaDataLength + b.bodyLength > footerStart) {
        throw bad(`block ${i} (offset ${b.offset}, ${b.metaDataLength} + ${b.bodyLength} bytes) lies outside the ${fileSize}-byte file's batches`);
      }
      blocks.push(b);
    }
    return blocks;
  } catch (e) {
    if (e instanceof DatasetFormatError) throw e;
    throw bad(e instanceof Error ? e.message : String(e));
  }
}

/** An open dataset file: its meta and schema, and its record batches, decoded one at a time on demand. */
export class DatasetReader {
  private bytesRead = 0;

  private constructor(
    private readonly source: RandomAccessSource,
    private readonly schemaBytes: Uint8Array,
    readonly schema: Schema,
    readonly meta: DatasetMeta,
    readonly blocks: readonly BatchBlock[],
    private readonly opts: DatasetReaderOptions,
  ) {}

  /**
   * Reads the head and the footer of `source` and checks the schema. Throws a {@link DatasetFormatError} for a
   * file that is not an Arrow IPC file, is truncated (no footer), or does not follow the dataset schema.
   */
  static async open(source: RandomAccessSource, opts: DatasetReaderOptions = {}): Promise<DatasetReader> {
    const size = source.size;
    let read = 0;
    const get = async (offset: number, length: number, what: string): Promise<Uint8Array> => {
      const b = await source.read(offset, length);
      if (b.byteLength !== length) {
        throw new DatasetFormatError(`file is truncated: ${what} needs bytes ${offset}..${offset + length}, the file has ${size}`);
      }
      read += length;
      opts.onProgress?.(read, size);
      return b;
    };
    if (size < 8 + 10) throw new DatasetFormatError(`file is ${size} bytes: too short for an Arrow IPC file`);
    const head = await get(0, 8, 'the head');
    if (!isMagic(head, 0)) throw new DatasetFormatError('file does not start with the Arrow IPC file magic "ARROW1"');
    const tail = await get(size - 10, 10, 'the footer length');
    if (!isMagic(tail, 4)) {
      throw new DatasetFormatError('file is truncated: it does not end with the Arrow IPC file magic "ARROW1" (no footer)');
    }
    const footerLen = new DataView(tail.buffer, tail.byteOffset, 10).getInt32(0, true);
    const footerStart = size - 10 - footerLen;
    if (footerLen <= 0 || footerStart < 8) throw new DatasetFormatError(`file footer length ${footerLen} is out of range`);
    const footer = (await get(footerStart, footerLen, 'the footer')).slice();
    const blocks = footerBlocks(footer, size, footerStart);

    // The schema is the footer's (a file need not repeat it as a message after the magic; apache-arrow's
    // writer does not). apache-arrow reads it from a file of just the magic and the footer, and writes it as
    // the stream-format schema message that each batch is decoded after.
    let schema: Schema;
    let schemaBytes: Uint8Array;
    try {
      const reader = RecordBatchReader.from(concat([head, footer, tail]));
      reader.open();
      schema = reader.schema;
      const stream = tableToIPC(new Table(schema), 'stream');
      schemaBytes = stream.subarray(0, stream.byteLength - EOS.byteLength);
    } catch (e) {
      throw new DatasetFormatError(`footer schema cannot be read: ${e instanceof Error ? e.message : String(e)}`);
    }
    const meta = checkSchema(schema);
    const r = new DatasetReader(source, schemaBytes, schema, meta, blocks, opts);
    r.bytesRead = read;
    return r;
  }

  get batchCount(): number {
    return this.blocks.length;
  }

  /** Reads and decodes record batch `i` (a window of the dataset). */
  async readBatch(i: number): Promise<EventColumns> {
    const b = this.blocks[i];
    if (!b) throw new RangeError(`batch ${i} is out of range (the file has ${this.blocks.length})`);
    const len = b.metaDataLength + b.bodyLength;
    const bytes = await this.source.read(b.offset, len);
    if (bytes.byteLength !== len) {
      throw new DatasetFormatError(`file is truncated: batch ${i} needs bytes ${b.offset}..${b.offset + len}, the file has ${this.source.size}`);
    }
    this.bytesRead += len;
    this.opts.onProgress?.(this.bytesRead, this.source.size);
    let batch;
    try {
      batch = tableFromIPC(concat([this.schemaBytes, bytes, EOS])).batches[0];
    } catch (e) {
      throw new DatasetFormatError(`batch ${i} at byte ${b.offset} cannot be decoded: ${e instanceof Error ? e.message : String(e)}`);
    }
    if (!batch) throw new DatasetFormatError(`batch ${i} at byte ${b.offset} holds no record batch`);
    if (batch.numRows > MAX_BATCH_ROWS) {
      throw new DatasetFormatError(`batch ${i} has ${batch.numRows} rows, more than ${MAX_BATCH_ROWS}`);
    }
    const out: Partial<Record<keyof EventColumns, BigInt64Array | Uint8Array>> = {};
    for (const c of COLUMNS) {
      const v = batch.getChild(c.name);
      const data = v?.data[0];
      if (!v || !data || v.data.length !== 1) throw new DatasetFormatError(`batch ${i}: column ${c.name} is missing`);
      if (v.nullCount > 0) throw new DatasetFormatError(`batch ${i}: column ${c.name} has ${v.nullCount} nulls, expected none`);
      out[c.key] = data.values.subarray(0, batch.numRows) as BigInt64Array | Uint8Array;
    }
    return out as EventColumns;
  }

  /** Every batch in order; progress reaches the file size after the last. */
  async *windows(): AsyncGenerator<EventColumns> {
    for (let i = 0; i < this.blocks.length; i++) yield await this.readBatch(i);
    this.opts.onProgress?.(this.source.size, this.source.size);
  }
}

/** Opens a dataset file: {@link DatasetReader.open}. */
export function openDataset(source: RandomAccessSource, opts?: DatasetReaderOptions): Promise<DatasetReader> {
  return DatasetReader.open(source, opts);
}
