// `ferrodesk import`, `ferrodesk sample` and `ferrodesk inspect`: datasets (docs/datasets.md) from venue recordings, Tardis CSV or the
// built-in simulator, written as Arrow IPC files atomically (a temporary file beside the output, then a rename).
import { closeSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { intFlag, parseFlags, strFlag, UsageError } from '../args.js';
import type { Command } from '../command.js';
import { loadWasm, type WasmModule } from '../wasm.js';
import {
  FLAG_LAST, KIND_NAMES, openDataset, writeDataset, type DatasetMeta, type EventColumns, type RandomAccessSource,
} from '../../../src/dataset/index.js';

const VENUES = ['binance-spot', 'binance-futures', 'bybit', 'kraken', 'coinbase', 'tardis'] as const;

type Dataset = ReturnType<WasmModule['sampleDay']>;

function readInput(flag: string, path: string): Uint8Array {
  try {
    return readFileSync(path);
  } catch (e) {
    throw new UsageError(`--${flag}: cannot read '${path}': ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
}

function columnsOf(d: Dataset): { columns: EventColumns; meta: DatasetMeta } {
  return {
    columns: {
      tsRecv: d.tsRecv(), tsEvent: d.tsEvent(), kind: d.kind(), side: d.side(),
      price: d.price(), qty: d.qty(), flags: d.flags(),
    },
    meta: { venue: d.venue, symbol: d.symbol, priceDecimals: d.priceDecimals, qtyDecimals: d.qtyDecimals },
  };
}

/** Writes the dataset to `out` through a temporary file and a rename; nothing is left behind on failure. */
async function writeAtomically(out: string, columns: EventColumns, meta: DatasetMeta, source: string): Promise<number> {
  const tmp = join(dirname(out), `.${basename(out)}.${process.pid}.tmp`);
  let fd: number;
  try {
    fd = openSync(tmp, 'wx');
  } catch (e) {
    throw new UsageError(`--out: cannot write '${out}': ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  try {
    const bytes = await writeDataset(columns, meta, {
      sink: (part) => void writeSync(fd, part),
      metadata: { producer: 'ferrodesk', source },
    });
    closeSync(fd);
    renameSync(tmp, out);
    return bytes;
  } catch (e) {
    try { closeSync(fd); } catch { /* already closed */ }
    rmSync(tmp, { force: true });
    throw e instanceof UsageError ? e : new UsageError(`--out '${out}': ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** Rows and groups by kind and the receive-time span, accumulated window by window. */
class Tally {
  readonly rows = [0, 0, 0, 0];
  readonly groups = [0, 0, 0, 0];
  events = 0;
  first = 0n;
  last = 0n;

  add(c: EventColumns): void {
    const n = c.kind.length;
    for (let i = 0; i < n; i++) {
      const k = c.kind[i] ?? 0;
      this.rows[k] = (this.rows[k] ?? 0) + 1;
      if ((c.flags[i] ?? 0) & FLAG_LAST) this.groups[k] = (this.groups[k] ?? 0) + 1;
    }
    if (n > 0) {
      if (this.events === 0) this.first = c.tsRecv[0] ?? 0n;
      this.last = c.tsRecv[n - 1] ?? 0n;
    }
    this.events += n;
  }

  json(meta: DatasetMeta): Record<string, unknown> {
    const byKind = (v: number[]): Record<string, number> => Object.fromEntries(KIND_NAMES.map((name, k) => [name, v[k] ?? 0]));
    return {
      events: this.events,
      rows: byKind(this.rows),
      groups: byKind(this.groups),
      span: { first_ts_recv: String(this.first), last_ts_recv: String(this.last), seconds: Number(this.last - this.first) / 1e9 },
      meta: { venue: meta.venue, symbol: meta.symbol, price_decimals: meta.priceDecimals, qty_decimals: meta.qtyDecimals },
    };
  }
}

/** The JSON summary: rows and groups by kind, the receive-time span, the meta. */
export function summarise(out: string, bytes: number, columns: EventColumns, meta: DatasetMeta): Record<string, unknown> {
  const t = new Tally();
  t.add(columns);
  return { out, bytes, ...t.json(meta) };
}

/** A file opened for random access (the windowed reader's Node source). */
async function fileSource(path: string): Promise<RandomAccessSource & { close(): Promise<void> }> {
  let fh;
  try {
    fh = await open(path, 'r');
  } catch (e) {
    throw new UsageError(`--in: cannot read '${path}': ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
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

export const inspect: Command = {
  summary: 'read an Arrow IPC dataset file window by window, check it against the schema and print a JSON summary',
  usage:
    'ferrodesk inspect --in FILE.arrow\n' +
    '  Reads one record batch at a time (any file size), checks the schema and every row (order, groups, ranges)\n' +
    '  with the engine, and prints events, rows and groups by kind, the receive-time span and the meta.',
  async run(argv) {
    const flags = parseFlags(argv, { in: { value: true, required: true } });
    const path = strFlag(flags, 'in') ?? '';
    const src = await fileSource(path);
    try {
      const wasm = await loadWasm();
      let reader;
      try {
        reader = await openDataset(src);
      } catch (e) {
        throw new UsageError(`--in '${path}': ${e instanceof Error ? e.message : String(e)}`);
      }
      const t = new Tally();
      let prev: [bigint, number, number] | undefined;
      for (let i = 0; i < reader.batchCount; i++) {
        let w: EventColumns;
        try {
          w = await reader.readBatch(i);
          wasm.validateEvents(w.tsRecv, w.tsEvent, w.kind, w.side, w.price, w.qty, w.flags, t.events, prev?.[0], prev?.[1], prev?.[2]);
        } catch (e) {
          throw new UsageError(`--in '${path}': ${e instanceof Error ? e.message : String(e)}`);
        }
        const n = w.kind.length;
        if (n > 0) prev = [w.tsRecv[n - 1] ?? 0n, w.kind[n - 1] ?? 0, w.flags[n - 1] ?? 0];
        t.add(w);
      }
      if (prev && (prev[2] & FLAG_LAST) === 0) {
        throw new UsageError(`--in '${path}': dataset is truncated: row ${t.events - 1} ends inside an update group (flags has no last bit)`);
      }
      process.stdout.write(`${JSON.stringify({ in: path, bytes: src.size, batches: reader.batchCount, ...t.json(reader.meta) }, null, 2)}\n`);
    } finally {
      await src.close();
    }
    return 0;
  },
};

export const importCmd: Command = {
  summary: 'convert a venue recording or Tardis CSV into an Arrow IPC dataset file and print a JSON summary',
  usage:
    'ferrodesk import --venue binance-spot|binance-futures|bybit|kraken|coinbase|tardis --in FILE [--trades FILE]\n' +
    '                 [--symbol SYMBOL] --out FILE.arrow\n' +
    '  FILE: a recording as `ferrodesk book` reads it (gzip, zip or text), or for tardis an incremental_book_L2 CSV\n' +
    '  (plain or gzip) with --trades the trades CSV of the same instrument. --symbol picks the instrument of a\n' +
    '  multi-instrument capture (Kraken, Coinbase). The file is written atomically; see docs/datasets.md.',
  async run(argv) {
    const flags = parseFlags(argv, {
      venue: { value: true, required: true },
      in: { value: true, required: true },
      trades: { value: true },
      symbol: { value: true },
      out: { value: true, required: true },
    });
    const venue = strFlag(flags, 'venue') ?? '';
    if (!(VENUES as readonly string[]).includes(venue)) {
      throw new UsageError(`--venue must be one of ${VENUES.join(', ')}, got '${venue}'`);
    }
    const tradesPath = strFlag(flags, 'trades');
    if (tradesPath !== undefined && venue !== 'tardis') {
      throw new UsageError(`--trades is for --venue tardis only (a ${venue} recording carries its trades), got '${tradesPath}'`);
    }
    const symbol = strFlag(flags, 'symbol');
    if (symbol !== undefined && venue === 'tardis') {
      throw new UsageError(`--symbol is not for --venue tardis (its CSV holds one instrument), got '${symbol}'`);
    }
    const path = strFlag(flags, 'in') ?? '';
    const out = strFlag(flags, 'out') ?? '';
    const bytes = readInput('in', path);
    const trades = tradesPath === undefined ? undefined : readInput('trades', tradesPath);
    const wasm = await loadWasm();
    let d: Dataset;
    try {
      d = venue === 'tardis' ? wasm.datasetFromTardis(bytes, trades) : wasm.datasetFromRecording(venue, bytes, symbol);
    } catch (e) {
      throw new UsageError(`--in '${path}': ${e instanceof Error ? e.message : String(e)}`);
    }
    try {
      const { columns, meta } = columnsOf(d);
      const report = JSON.parse(d.reportJson()) as unknown;
      const written = await writeAtomically(out, columns, meta, `${venue}:${basename(path)}`);
      const summary = { ...summarise(out, written, columns, meta), import: report };
      process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
    } finally {
      d.free();
    }
    return 0;
  },
};

export const sample: Command = {
  summary: 'write the seeded simulated sample day as an Arrow IPC dataset file and print a JSON summary',
  usage:
    'ferrodesk sample --seed N [--span SECONDS] [--depth LEVELS] --out FILE.arrow\n' +
    '  Deterministic per seed: --span of data time (default 3600, max 14400; about 500 rows a second), about\n' +
    '  --depth levels a side (default 400, 10..5000). Written atomically; see docs/datasets.md.',
  async run(argv) {
    const flags = parseFlags(argv, {
      seed: { value: true, required: true },
      span: { value: true },
      depth: { value: true },
      out: { value: true, required: true },
    });
    const seed = intFlag(flags, 'seed', 1, 0, Number.MAX_SAFE_INTEGER);
    const span = intFlag(flags, 'span', 3600, 1, 14_400);
    const depth = intFlag(flags, 'depth', 400, 10, 5000);
    const out = strFlag(flags, 'out') ?? '';
    const wasm = await loadWasm();
    const d = wasm.sampleDay(seed, span, depth);
    try {
      const { columns, meta } = columnsOf(d);
      const written = await writeAtomically(out, columns, meta, `sample:seed=${seed},span=${span},depth=${depth}`);
      process.stdout.write(`${JSON.stringify(summarise(out, written, columns, meta), null, 2)}\n`);
    } finally {
      d.free();
    }
    return 0;
  },
};
