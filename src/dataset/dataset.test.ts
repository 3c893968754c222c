// The dataset Arrow IPC writer and the windowed reader: round trips, schema checks, truncation, and a file of
// several hundred MB read batch by batch from a file handle while the JS heap stays far below its size.
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Field, Float64, Int32, Int64, makeData, RecordBatch, RecordBatchFileWriter, Schema, Struct, tableFromIPC, Uint8, type Data } from 'apache-arrow';
import { afterAll, describe, expect, it } from 'vitest';
import {
  blobSource, bytesSource, datasetToBytes, DatasetFileWriter, DatasetFormatError, openDataset, FLAG_LAST, KIND_DELTA,
  KIND_SNAPSHOT, KIND_TRADE, MAX_BATCH_ROWS, SCHEMA_ID, type DatasetMeta, type EventColumns, type RandomAccessSource,
} from './index';

const dir = mkdtempSync(join(tmpdir(), 'ferrodesk-dataset-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const META: DatasetMeta = { venue: 'binance-spot', symbol: 'BTCUSDT', priceDecimals: 2, qtyDecimals: 6 };

/** `n` rows: a two-row snapshot, then alternating delta groups of two rows and trades. */
function columns(n: number, t0 = 1_700_000_000_000_000_000n): EventColumns {
  const c: EventColumns = {
    tsRecv: new BigInt64Array(n), tsEvent: new BigInt64Array(n), kind: new Uint8Array(n), side: new Uint8Array(n),
    price: new BigInt64Array(n), qty: new BigInt64Array(n), flags: new Uint8Array(n),
  };
  for (let i = 0; i < n; i++) {
    const ts = t0 + BigInt(Math.floor(i / 2)) * 1000n;
    c.tsRecv[i] = ts;
    c.tsEvent[i] = ts - 500n;
    c.kind[i] = i < 2 ? KIND_SNAPSHOT : i % 4 === 3 ? KIND_TRADE : KIND_DELTA;
    c.side[i] = i % 2;
    c.price[i] = 6_000_000n + BigInt(i % 100);
    c.qty[i] = BigInt(1 + (i % 7));
    c.flags[i] = i % 2 === 1 || c.kind[i] === KIND_TRADE ? FLAG_LAST : 0;
  }
  return c;
}

/** A Node file handle as a random-access source. */
async function fileSource(path: string): Promise<RandomAccessSource & { close(): Promise<void> }> {
  const fh = await open(path, 'r');
  const { size } = await fh.stat();
  return {
    size,
    read: async (offset, length) => {
      const buf = new Uint8Array(length);
      const { bytesRead } = await fh.read(buf, 0, length, offset);
      return buf.subarray(0, bytesRead);
    },
    close: () => fh.close(),
  };
}

function arrowFile(fields: Field[], children: Data[], metadata: Record<string, string>, length = 1): Uint8Array {
  const schema = new Schema(fields, new Map(Object.entries(metadata)));
  const batch = new RecordBatch(schema, makeData({ type: new Struct(schema.fields), length, nullCount: 0, children }));
  return RecordBatchFileWriter.writeAll([batch]).toUint8Array(true);
}

const GOOD_MD = { 'ferrodesk.schema': SCHEMA_ID, venue: 'x', symbol: 'Y', price_decimals: '2', qty_decimals: '3' };
const NAMES = ['ts_recv', 'ts_event', 'kind', 'side', 'price', 'qty', 'flags'];
const isInt64 = (n: string): boolean => ['ts_recv', 'ts_event', 'price', 'qty'].includes(n);

/** A one-row file with the dataset's columns, where `change` may replace a column's field and data. */
function variant(metadata: Record<string, string>, change?: { name: string; field?: Field; data?: Data; drop?: boolean }): Uint8Array {
  const fields: Field[] = [];
  const children: Data[] = [];
  for (const name of NAMES) {
    if (change?.name === name) {
      if (change.drop) continue;
      if (change.field && change.data) {
        fields.push(change.field);
        children.push(change.data);
        continue;
      }
    }
    fields.push(new Field(name, isInt64(name) ? new Int64() : new Uint8(), false));
    children.push(isInt64(name)
      ? makeData({ type: new Int64(), length: 1, nullCount: 0, data: new BigInt64Array([1n]) })
      : makeData({ type: new Uint8(), length: 1, nullCount: 0, data: new Uint8Array([1]) }));
  }
  return arrowFile(fields, children, metadata);
}

describe('dataset Arrow IPC', () => {
  it('round-trips columns and meta through batches of at most 65,536 rows, with progress', async () => {
    const n = 150_001;
    const c = columns(n);
    const writeProgress: number[] = [];
    const bytes = await datasetToBytes(c, META, { metadata: { producer: 'test' }, onProgress: (done) => writeProgress.push(done) });
    expect(writeProgress).toEqual([65_536, 131_072, 150_001]);

    // apache-arrow reads the whole file as it is.
    const table = tableFromIPC(bytes);
    expect(table.numRows).toBe(n);
    expect(table.batches.map((b) => b.numRows)).toEqual([65_536, 65_536, 18_929]);
    expect(table.schema.metadata.get('ferrodesk.schema')).toBe('l2-events/1');
    expect(table.schema.metadata.get('producer')).toBe('test');

    const progress: [number, number][] = [];
    const r = await openDataset(bytesSource(bytes), { onProgress: (a, b) => progress.push([a, b]) });
    expect(r.meta).toEqual(META);
    expect(r.batchCount).toBe(3);
    let at = 0;
    for await (const w of r.windows()) {
      expect(w.tsRecv).toEqual(c.tsRecv.subarray(at, at + w.tsRecv.length));
      expect(w.tsEvent).toEqual(c.tsEvent.subarray(at, at + w.tsRecv.length));
      expect(w.kind).toEqual(c.kind.subarray(at, at + w.tsRecv.length));
      expect(w.side).toEqual(c.side.subarray(at, at + w.tsRecv.length));
      expect(w.price).toEqual(c.price.subarray(at, at + w.tsRecv.length));
      expect(w.qty).toEqual(c.qty.subarray(at, at + w.tsRecv.length));
      expect(w.flags).toEqual(c.flags.subarray(at, at + w.tsRecv.length));
      at += w.tsRecv.length;
    }
    expect(at).toBe(n);
    const last = progress.at(-1);
    expect(last?.[1]).toBe(bytes.byteLength);
    expect(progress.map((p) => p[0])).toEqual([...progress.map((p) => p[0])].sort((a, b) => a - b));

    // The same file through a Blob (the browser's File).
    const viaBlob = await openDataset(blobSource(new Blob([bytes.slice().buffer])));
    expect((await viaBlob.readBatch(2)).qty).toEqual(c.qty.subarray(131_072));
  });

  it('writes an empty dataset that reads back with no rows', async () => {
    const bytes = await datasetToBytes(columns(0), META);
    const r = await openDataset(bytesSource(bytes));
    let rows = 0;
    for await (const w of r.windows()) rows += w.tsRecv.length;
    expect(rows).toBe(0);
  });

  it('refuses bad meta and columns of different lengths, naming the field', async () => {
    await expect(datasetToBytes(columns(3), { ...META, priceDecimals: 19 })).rejects.toThrow('priceDecimals is 19, expected an integer 0..18');
    await expect(datasetToBytes(columns(3), { ...META, venue: '' })).rejects.toThrow('venue is "", expected a non-empty string');
    const c = { ...columns(3), qty: new BigInt64Array(2) };
    await expect(datasetToBytes(c, META)).rejects.toThrow('column qty has 2 rows, expected 3 like ts_recv');
  });

  it('names the missing column, the wrong type and the wrong schema id', async () => {
    const open1 = (b: Uint8Array): Promise<unknown> => openDataset(bytesSource(b));
    await expect(open1(variant(GOOD_MD))).resolves.toBeDefined();
    await expect(open1(variant(GOOD_MD, { name: 'qty', drop: true }))).rejects.toThrow('column qty is missing (expected int64)');
    await expect(open1(variant(GOOD_MD, {
      name: 'price', field: new Field('price', new Float64(), false),
      data: makeData({ type: new Float64(), length: 1, nullCount: 0, data: new Float64Array([1]) }),
    }))).rejects.toThrow('column price has type Float64, expected int64');
    await expect(open1(variant(GOOD_MD, {
      name: 'kind', field: new Field('kind', new Int32(), false),
      data: makeData({ type: new Int32(), length: 1, nullCount: 0, data: new Int32Array([1]) }),
    }))).rejects.toThrow('column kind has type Int32, expected uint8');
    await expect(open1(variant({ ...GOOD_MD, 'ferrodesk.schema': 'l2-events/2' })))
      .rejects.toThrow('schema metadata ferrodesk.schema is "l2-events/2", expected "l2-events/1"');
    const { 'ferrodesk.schema': _, ...noId } = GOOD_MD;
    await expect(open1(variant(noId))).rejects.toThrow('schema metadata ferrodesk.schema is missing');
    await expect(open1(variant({ ...GOOD_MD, qty_decimals: 'x' }))).rejects.toThrow('schema metadata qty_decimals is "x", expected an integer 0..18');
    await expect(open1(variant({ ...GOOD_MD, symbol: '' }))).rejects.toThrow('schema metadata symbol is ""');
    await expect(open1(new Uint8Array(64))).rejects.toThrow('does not start with the Arrow IPC file magic');
  });

  it('reports a truncated file', async () => {
    const bytes = await datasetToBytes(columns(100_000), META);
    const cut = bytes.subarray(0, Math.floor(bytes.byteLength * 0.7));
    await expect(openDataset(bytesSource(cut))).rejects.toThrow(DatasetFormatError);
    await expect(openDataset(bytesSource(cut))).rejects.toThrow('file is truncated: it does not end with the Arrow IPC file magic');
    // A source whose bytes run out under a batch the footer lists.
    const short: RandomAccessSource = {
      size: bytes.byteLength,
      read: async (o, l) => (o >= 8 && o < bytes.byteLength - 4096 ? bytes.subarray(o, o + Math.floor(l / 2)) : bytes.subarray(o, o + l)),
    };
    const r = await openDataset(short);
    await expect(r.readBatch(0)).rejects.toThrow(/file is truncated: batch 0 needs bytes \d+\.\.\d+/);
    await expect(r.readBatch(5)).rejects.toThrow('batch 5 is out of range (the file has 2)');
  });

  it('pyarrow reads our file, and we read pyarrow\'s (skipped without python3 + pyarrow)', async (ctx) => {
    const probe = spawnSync('python3', ['-c', 'import pyarrow'], { encoding: 'utf8' });
    if (probe.status !== 0) {
      ctx.skip(`python3 with pyarrow is not available (${(probe.stderr || String(probe.error)).trim().split('\n').at(-1)})`);
      return;
    }
    const ours = join(dir, 'ours.arrow');
    const c = columns(70_000);
    writeFileSync(ours, await datasetToBytes(c, META));
    const theirs = join(dir, 'theirs.arrow');
    const script = `
import json, sys
import pyarrow as pa, pyarrow.ipc as ipc
with pa.memory_map(sys.argv[1]) as src:
    r = ipc.open_file(src)
    sizes = [r.get_batch(i).num_rows for i in range(r.num_record_batches)]
    t = r.read_all()
md = {k.decode(): v.decode() for k, v in t.schema.metadata.items()}
print(json.dumps({
  "sizes": sizes, "names": t.column_names, "types": [str(f.type) for f in t.schema],
  "nullable": [f.nullable for f in t.schema], "md": md,
  "row": {n: t.column(n)[69_999].as_py() for n in t.column_names},
}))
# A file written by pyarrow: two rows, the schema message after the magic, dictionary-free.
schema = pa.schema([pa.field(n, pa.int64() if n in ("ts_recv", "ts_event", "price", "qty") else pa.uint8(), nullable=False)
                    for n in ["ts_recv", "ts_event", "kind", "side", "price", "qty", "flags"]],
                   metadata={"ferrodesk.schema": "l2-events/1", "venue": "py", "symbol": "PY", "price_decimals": "3", "qty_decimals": "1"})
cols = [[5, 6], [5, 6], [0, 2], [0, 1], [1000, 1001], [7, 8], [1, 1]]
with ipc.new_file(sys.argv[2], schema) as w:
    w.write_batch(pa.record_batch([pa.array(c, type=f.type) for c, f in zip(cols, schema)], schema=schema))
`;
    const out = spawnSync('python3', ['-c', script, ours, theirs], { encoding: 'utf8' });
    expect(out.stderr).toBe('');
    const got = JSON.parse(out.stdout) as {
      sizes: number[]; names: string[]; types: string[]; nullable: boolean[]; md: Record<string, string>; row: Record<string, number>;
    };
    expect(got.sizes).toEqual([65_536, 4464]);
    expect(got.names).toEqual(['ts_recv', 'ts_event', 'kind', 'side', 'price', 'qty', 'flags']);
    expect(got.types).toEqual(['int64', 'int64', 'uint8', 'uint8', 'int64', 'int64', 'uint8']);
    expect(got.nullable.every((n) => !n)).toBe(true);
    expect(got.md).toMatchObject({ 'ferrodesk.schema': 'l2-events/1', venue: 'binance-spot', symbol: 'BTCUSDT', price_decimals: '2', qty_decimals: '6' });
    expect(got.row).toEqual({
      ts_recv: Number(c.tsRecv[69_999]), ts_event: Number(c.tsEvent[69_999]), kind: c.kind[69_999], side: c.side[69_999],
      price: Number(c.price[69_999]), qty: Number(c.qty[69_999]), flags: c.flags[69_999],
    });

    const r = await openDataset(bytesSource(readFileSync(theirs)));
    expect(r.meta).toEqual({ venue: 'py', symbol: 'PY', priceDecimals: 3, qtyDecimals: 1 });
    const w = await r.readBatch(0);
    expect([...w.tsRecv]).toEqual([5n, 6n]);
    expect([...w.kind]).toEqual([0, 2]);
    expect([...w.price]).toEqual([1000n, 1001n]);
  });

  it('reads a file of several hundred MB in windows with the heap far below its size', async () => {
    const path = join(dir, 'big.arrow');
    const fd = openSync(path, 'w');
    const rows = MAX_BATCH_ROWS;
    const batches = 130; // 130 × 65,536 × 35 bytes ≈ 300 MB
    const w = new DatasetFileWriter(META, { sink: (p) => void writeSync(fd, p) });
    const c = columns(rows);
    for (let b = 0; b < batches; b++) {
      const base = BigInt(b) * 1_000_000_000n;
      for (let i = 0; i < rows; i++) c.tsRecv[i] = 1_700_000_000_000_000_000n + base + BigInt(i);
      await w.write(c);
    }
    const size = await w.close();
    closeSync(fd);
    expect(size).toBeGreaterThan(280_000_000);

    const src = await fileSource(path);
    expect(src.size).toBe(size);
    // Live memory (after a collection), so the bound does not depend on when the collector happens to run; the
    // peak without collecting is reported too and must still stay under half the file.
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const mem = (): number => { const m = process.memoryUsage(); return m.heapUsed + m.arrayBuffers; };
    gc();
    const base = mem();
    let peak = 0;
    let peakLive = 0;
    let peakAbs = 0;
    let seen = 0;
    let lastProgress = 0;
    let prevTs = -1n;
    const r = await openDataset(src, { onProgress: (done) => { lastProgress = done; } });
    for await (const win of r.windows()) {
      expect(win.tsRecv.length).toBe(rows);
      const first = win.tsRecv[0] ?? 0n;
      expect(first > prevTs).toBe(true);
      prevTs = win.tsRecv[rows - 1] ?? 0n;
      seen += win.tsRecv.length;
      peak = Math.max(peak, mem() - base);
      gc();
      peakLive = Math.max(peakLive, mem() - base);
      peakAbs = Math.max(peakAbs, mem());
    }
    await src.close();
    expect(seen).toBe(rows * batches);
    expect(lastProgress).toBe(size);
    console.log(`read ${(size / 1e6).toFixed(0)} MB in ${batches} windows; heap + array buffers above start: ` +
      `live peak ${(peakLive / 1e6).toFixed(1)} MB, peak before collection ${(peak / 1e6).toFixed(1)} MB; ` +
      `whole process live peak ${(peakAbs / 1e6).toFixed(1)} MB`);
    expect(peakLive).toBeLessThan(size / 20);
    // Everything the test process holds (vitest included) stays well below the file's size.
    expect(peakAbs).toBeLessThan(size / 5);
    expect(peak).toBeLessThan(size / 2);
  });
});
