// `ferrodesk backtest`: runs a strategy through a dataset (or a venue recording) headless in the wasm engine —
// the same engine, config and numbers as the browser's Replay workspace — and prints the run's summary as JSON.
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { tableFromArrays, tableToIPC } from 'apache-arrow';
import { intFlag, parseFlags, strFlag, UsageError } from '../args.js';
import type { Command } from '../command.js';
import { loadWasm, type WasmModule } from '../wasm.js';
import { openDataset, type RandomAccessSource } from '../../../src/dataset/index.js';
import { StrategyDriver } from '../../../src/features/replay/strategy/driver.js';
import { BacktestExternal } from '../../../src/replay-worker/external.js';
import { nodeSandbox } from '../strategy/sandbox.js';

const VENUES = ['binance-spot', 'binance-futures', 'bybit', 'kraken', 'coinbase', 'tardis'] as const;

type Dataset = InstanceType<WasmModule['Dataset']>;
type Backtest = InstanceType<WasmModule['Backtest']>;
type Json = Record<string, unknown>;

/** A file read by position (only one record batch at a time is in memory). */
async function fileSource(path: string): Promise<{ source: RandomAccessSource; close: () => Promise<void> }> {
  const fh = await open(path, 'r');
  const { size } = await fh.stat();
  return {
    source: {
      size,
      read: async (offset, length) => {
        const buf = new Uint8Array(Math.max(0, Math.min(length, size - offset)));
        const { bytesRead } = await fh.read(buf, 0, buf.byteLength, offset);
        return buf.subarray(0, bytesRead);
      },
    },
    close: () => fh.close(),
  };
}

function readHead(path: string): Uint8Array {
  try {
    const fd = openSync(path, 'r');
    try {
      const b = new Uint8Array(6);
      const n = readSync(fd, b, 0, 6, 0);
      return b.subarray(0, n);
    } finally {
      closeSync(fd);
    }
  } catch (e) {
    throw new UsageError(`--data: cannot read '${path}': ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
}

function readInput(flag: string, path: string): Uint8Array {
  try {
    return readFileSync(path);
  } catch (e) {
    throw new UsageError(`--${flag}: cannot read '${path}': ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
}

const isArrow = (b: Uint8Array): boolean => b.byteLength >= 6 && new TextDecoder().decode(b.subarray(0, 6)) === 'ARROW1';

/** The dataset: an Arrow IPC file (docs/datasets.md) read window by window, or a recording with `--venue`. */
async function loadDataset(wasm: WasmModule, path: string, venue: string | undefined, symbol: string | undefined):
  Promise<Dataset> {
  if (venue !== undefined) {
    const bytes = readInput('data', path);
    if (!(VENUES as readonly string[]).includes(venue)) {
      throw new UsageError(`--venue must be one of ${VENUES.join(', ')}, got '${venue}'`);
    }
    try {
      return venue === 'tardis' ? wasm.datasetFromTardis(bytes, undefined) : wasm.datasetFromRecording(venue, bytes, symbol);
    } catch (e) {
      throw new UsageError(`--data '${path}': ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  if (!isArrow(readHead(path))) {
    throw new UsageError(`--data '${path}' is not an Arrow IPC dataset (no ARROW1 magic); for a venue recording give --venue`);
  }
  let ds: Dataset | null = null;
  const file = await fileSource(path);
  try {
    const reader = await openDataset(file.source);
    const m = reader.meta;
    ds = new wasm.Dataset(m.venue, m.symbol, m.priceDecimals, m.qtyDecimals);
    for await (const c of reader.windows()) ds.append(c.tsRecv, c.tsEvent, c.kind, c.side, c.price, c.qty, c.flags);
    ds.finish();
    return ds;
  } catch (e) {
    ds?.free();
    throw new UsageError(`--data '${path}': ${e instanceof Error ? e.message : String(e)}`);
  } finally {
    await file.close();
  }
}

function parseObject(flag: string, raw: string | undefined): Json {
  if (raw === undefined) return {};
  const text = raw.startsWith('@') ? readFileSync(raw.slice(1), 'utf8') : raw;
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    throw new UsageError(`--${flag} is not valid JSON (${e instanceof Error ? e.message : String(e)}): '${raw}'`);
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new UsageError(`--${flag} must be a JSON object, got '${raw}'`);
  return v as Json;
}

/**
 * The engine config: `--config` (the JSON the Replay workspace shows for a run, docs/backtest.md), then
 * `--strategy`, `--params` and `--seed` over it, and the dataset's precision.
 */
export function buildConfig(base: Json, strategy: string, params: Json, seed: number | null, ds: Dataset):
  { config: Json; script: string | null } {
  const config: Json = { ...base };
  let script: string | null = null;
  const prev = (typeof base.strategy === 'object' && base.strategy !== null ? base.strategy : {}) as Json;
  const prevParams = (typeof prev.params === 'object' && prev.params !== null ? prev.params : {}) as Json;
  if (strategy === 'mm' || strategy === 'imbalance') {
    const keep = prev.kind === strategy ? prevParams : {};
    config.strategy = { kind: strategy, params: { ...keep, ...params } };
  } else if (strategy.endsWith('.js')) {
    if (!existsSync(strategy)) throw new UsageError(`--strategy: no such file '${strategy}'`);
    script = strategy;
    config.strategy = { kind: 'external' };
  } else {
    throw new UsageError(`--strategy must be mm, imbalance or a PATH.js user strategy, got '${strategy}'`);
  }
  if (seed !== null) config.seed = seed;
  config.priceDecimals = ds.priceDecimals;
  config.qtyDecimals = ds.qtyDecimals;
  return { config, script };
}

async function runScript(wasm: WasmModule, ds: Dataset, config: Json, path: string, params: Json, budgetMs: number):
  Promise<{ bt: Backtest; logs: string[] }> {
  const bt = wasm.Backtest.withDataset(JSON.stringify(config), ds);
  const fees = (config.fees ?? {}) as { makerBps?: number; takerBps?: number };
  const adapter = new BacktestExternal(bt, {
    priceDecimals: ds.priceDecimals, qtyDecimals: ds.qtyDecimals, makerBps: fees.makerBps ?? 0, takerBps: fees.takerBps ?? 0,
  }, Number(bt.tsAt(0)));
  const sandbox = nodeSandbox(budgetMs);
  try {
    const loaded = await sandbox.load(readFileSync(path, 'utf8'), params,
      { priceDecimals: ds.priceDecimals, qtyDecimals: ds.qtyDecimals });
    if (!loaded.ok) throw new Error(`--strategy '${path}': ${loaded.error.message}`);
    const driver = new StrategyDriver(adapter, sandbox);
    for (;;) {
      const r = await driver.run(10_000);
      if (r.kind === 'error') throw new Error(`--strategy '${path}': ${r.error.message}`);
      if (r.kind === 'end') break;
    }
    return { bt, logs: [...loaded.logs, ...driver.logs] };
  } catch (e) {
    bt.free();
    throw e;
  } finally {
    sandbox.dispose();
  }
}

/** Fills and equity as Arrow IPC files (the columns of docs/backtest.md), written atomically into `dir`. */
function writeOutputs(dir: string, summary: Json, bt: Backtest): string[] {
  mkdirSync(dir, { recursive: true });
  const f = bt.fills();
  const nf = f.length / 7;
  const col = (n: number, stride: number, k: number): Float64Array => {
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = f[i * stride + k] ?? Number.NaN;
    return out;
  };
  const big = (v: Float64Array): BigInt64Array => BigInt64Array.from(v, (x) => BigInt(Math.trunc(x)));
  const fills = tableFromArrays({
    ts_recv: big(col(nf, 7, 0)), order_id: big(col(nf, 7, 1)), side: Uint8Array.from(col(nf, 7, 2)),
    price: big(col(nf, 7, 3)), qty: big(col(nf, 7, 4)), fee: col(nf, 7, 5), maker: Uint8Array.from(col(nf, 7, 6)),
  });
  const e = bt.equity();
  const ne = e.length / 5;
  const ecol = (k: number): Float64Array => Float64Array.from({ length: ne }, (_, i) => e[i * 5 + k] ?? Number.NaN);
  const equity = tableFromArrays({
    ts: big(ecol(0)), equity: ecol(1), position: big(ecol(2)), realised: ecol(3), unrealised: ecol(4),
  });
  const files: Array<[string, Uint8Array | string]> = [
    ['summary.json', `${JSON.stringify(summary, null, 2)}\n`],
    ['fills.arrow', tableToIPC(fills, 'file')],
    ['equity.arrow', tableToIPC(equity, 'file')],
  ];
  const written: string[] = [];
  for (const [name, body] of files) {
    const path = join(dir, name);
    const tmp = join(dir, `.${name}.${process.pid}.tmp`);
    try {
      writeFileSync(tmp, body);
      renameSync(tmp, path);
    } catch (err) {
      rmSync(tmp, { force: true });
      throw new UsageError(`--out: cannot write '${path}': ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
    }
    written.push(path);
  }
  return written;
}

export const backtest: Command = {
  summary: 'run a strategy through a dataset or recording in the wasm engine and print the summary as JSON',
  usage:
    'ferrodesk backtest --data FILE [--venue V] [--symbol S] --strategy mm|imbalance|PATH.js [--params JSON]\n' +
    '                   [--config JSON|@FILE] [--seed N] [--budget-ms N] [--out DIR]\n' +
    '  FILE: an Arrow IPC dataset (docs/datasets.md), or with --venue a recording as `ferrodesk import` reads it.\n' +
    '  --config: the engine config (latency, fees, fill model, seed; the JSON a Replay run shows), docs/backtest.md.\n' +
    '  --params: the strategy parameters (mm: spreadTicks, skewTicksPerLot, orderQtyLots, …; for PATH.js ctx.params).\n' +
    '  --out: writes summary.json, fills.arrow and equity.arrow into DIR.',
  async run(argv) {
    const flags = parseFlags(argv, {
      data: { value: true, required: true },
      venue: { value: true },
      symbol: { value: true },
      strategy: { value: true, required: true },
      params: { value: true },
      config: { value: true },
      seed: { value: true },
      'budget-ms': { value: true },
      out: { value: true },
    });
    const params = parseObject('params', strFlag(flags, 'params'));
    const base = parseObject('config', strFlag(flags, 'config'));
    const seed = strFlag(flags, 'seed') === undefined ? null : intFlag(flags, 'seed', 0, 0, Number.MAX_SAFE_INTEGER);
    const budgetMs = intFlag(flags, 'budget-ms', 250, 1, 600_000);
    const path = strFlag(flags, 'data') ?? '';
    const wasm = await loadWasm();
    const ds = await loadDataset(wasm, path, strFlag(flags, 'venue'), strFlag(flags, 'symbol'));
    try {
      const { config, script } = buildConfig(base, strFlag(flags, 'strategy') ?? '', params, seed, ds);
      const t0 = performance.now();
      let bt: Backtest;
      let logs: string[] = [];
      if (script) {
        ({ bt, logs } = await runScript(wasm, ds, config, script, params, budgetMs));
      } else {
        try {
          bt = wasm.Backtest.withDataset(JSON.stringify(config), ds);
        } catch (e) {
          throw new UsageError(`config: ${e instanceof Error ? e.message : String(e)}`);
        }
        bt.runToEnd();
      }
      const elapsedMs = performance.now() - t0;
      try {
        const engine = JSON.parse(bt.summaryJson()) as Json;
        const events = typeof engine.events === 'number' ? engine.events : 0;
        const summary: Json = {
          ...engine,
          elapsed_ms: Number(elapsedMs.toFixed(3)),
          events_per_s: elapsedMs > 0 ? Math.round((events / elapsedMs) * 1000) : null,
          dataset: {
            file: basename(path), venue: ds.venue, symbol: ds.symbol, events: ds.length, hash: ds.digest(),
          },
          engine_version: wasm.engineVersion(),
          config,
          ...(logs.length ? { logs: logs.slice(-50) } : {}),
        };
        const outDir = strFlag(flags, 'out');
        if (outDir !== undefined) summary.files = writeOutputs(outDir, summary, bt);
        process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
      } finally {
        bt.free();
      }
    } finally {
      ds.free();
    }
    return 0;
  },
};
