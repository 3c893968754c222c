// `ferrodesk import` and `ferrodesk sample` as a user runs them: the launcher, the compiled CLI and the real
// wasm engine, on the real recordings (MANIFEST.md) and on crafted bad files; every written file is read back
// with the windowed reader. Build first: `node scripts/build.mjs`.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bytesSource, datasetToBytes, MAX_BATCH_ROWS, openDataset, type EventColumns } from '../../src/dataset/index';
import { ferrodesk } from './run';

const DATA = process.env.FERRODESK_SHARED_DATA ?? resolve(import.meta.dirname, '..', '..', '..', 'shared', 'data');
const hasData = existsSync(join(DATA, 'orderbook'));
if (!hasData) console.warn(`skipping the real-recording tests: ${DATA} is absent (set FERRODESK_SHARED_DATA)`);

const tmp = mkdtempSync(join(tmpdir(), 'ferrodesk-dataset-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

interface Summary {
  out: string;
  bytes: number;
  events: number;
  rows: { snapshot: number; delta: number; trade: number; clear: number };
  groups: { snapshot: number; delta: number; trade: number; clear: number };
  span: { first_ts_recv: string; last_ts_recv: string; seconds: number };
  meta: { venue: string; symbol: string; price_decimals: number; qty_decimals: number };
  import?: { trades: number; gaps: number; updates_applied: number; ticker_mismatches: number };
}

function run(...args: string[]): Summary {
  const r = ferrodesk(...args);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as Summary;
}

/** Reads a written file back in windows; returns its meta and all rows. */
async function readBack(path: string): Promise<{ meta: unknown; rows: number; batches: number[]; first: EventColumns | undefined }> {
  const r = await openDataset(bytesSource(readFileSync(path)));
  const batches: number[] = [];
  let first: EventColumns | undefined;
  for await (const w of r.windows()) {
    first ??= w;
    batches.push(w.tsRecv.length);
  }
  return { meta: r.meta, rows: batches.reduce((a, b) => a + b, 0), batches, first };
}

function concat64(a: BigInt64Array, b: BigInt64Array): BigInt64Array {
  const out = new BigInt64Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

function concat8(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

function file(name: string, content: string | Uint8Array): string {
  const p = join(tmp, name);
  writeFileSync(p, content);
  return p;
}

describe.skipIf(!hasData)('ferrodesk import on the real recordings', () => {
  it('converts the Binance spot recording: every applied diff, every trade, one snapshot', async () => {
    const out = join(tmp, 'spot.arrow');
    const s = run('import', '--venue', 'binance-spot', '--in', join(DATA, 'orderbook/binance/spot_btcusdt_20240808.gz'), '--out', out);
    expect(s.meta).toEqual({ venue: 'binance-spot', symbol: 'BTCUSDT', price_decimals: 2, qty_decimals: 6 });
    expect(s.groups).toEqual({ snapshot: 1, delta: 3449, trade: 9757, clear: 0 });
    expect(s.rows.snapshot).toBe(2000);
    expect(s.events).toBe(s.rows.snapshot + s.rows.delta + s.rows.trade);
    expect(s.import).toMatchObject({ trades: 9757, gaps: 0, updates_applied: 3449, ticker_mismatches: 0 });
    expect(s.span.seconds).toBeGreaterThan(340);
    const back = await readBack(out);
    expect(back.meta).toEqual({ venue: 'binance-spot', symbol: 'BTCUSDT', priceDecimals: 2, qtyDecimals: 6 });
    expect(back.rows).toBe(s.events);
    expect(Math.max(...back.batches)).toBeLessThanOrEqual(MAX_BATCH_ROWS);
    expect(String(back.first?.tsRecv[0])).toBe(s.span.first_ts_recv);
  });

  it('converts a Tardis incremental_book_L2 file with exact values', async () => {
    const out = join(tmp, 'deribit.arrow');
    const s = run('import', '--venue', 'tardis', '--in', join(DATA, 'orderbook/tardis/deribit_incremental_book_L2_BTC-PERPETUAL.csv'), '--out', out);
    expect(s.meta).toEqual({ venue: 'deribit', symbol: 'BTC-PERPETUAL', price_decimals: 1, qty_decimals: 0 });
    expect(s.groups).toEqual({ snapshot: 1, delta: 0, trade: 0, clear: 0 });
    expect(s.rows.snapshot).toBe(15);
    const back = await readBack(out);
    expect(back.first?.price[0]).toBe(64215n);
    expect(back.first?.qty[0]).toBe(18640n);
    expect(back.first?.tsRecv[0]).toBe(1_585_699_200_355_684_000n);
  });

  it('picks one instrument of a Kraken capture with --symbol and names the choices without it', () => {
    const capture = join(DATA, 'ws_captures/KRAKEN.ws.50.0');
    const s = run('import', '--venue', 'kraken', '--in', capture, '--symbol', 'XBT/CHF', '--out', join(tmp, 'kraken.arrow'));
    expect(s.meta.symbol).toBe('XBT/CHF');
    expect(s.groups.snapshot).toBe(1);
    const r = ferrodesk('import', '--venue', 'kraken', '--in', capture, '--out', join(tmp, 'k2.arrow'));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('the recording holds 10 instruments, pick one of ADA/XBT');
    expect(existsSync(join(tmp, 'k2.arrow'))).toBe(false);
  });

  it('fails on a truncated gzip at its line and leaves no file behind', () => {
    const bytes = readFileSync(join(DATA, 'orderbook/binance/spot_btcusdt_20240808.gz'));
    const cut = file('cut.gz', bytes.subarray(0, bytes.byteLength / 2));
    const out = join(tmp, 'cut.arrow');
    const r = ferrodesk('import', '--venue', 'binance-spot', '--in', cut, '--out', out);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/bytes: line \d+: gzip stream is truncated or corrupt/);
    expect(existsSync(out)).toBe(false);
  });
});

describe('ferrodesk sample and import errors', () => {
  it('writes the same file for the same seed, another for another seed', async () => {
    const a = run('sample', '--seed', '3', '--span', '30', '--out', join(tmp, 'a.arrow'));
    const b = run('sample', '--seed', '3', '--span', '30', '--out', join(tmp, 'b.arrow'));
    const c = run('sample', '--seed', '4', '--span', '30', '--out', join(tmp, 'c.arrow'));
    expect(readFileSync(join(tmp, 'a.arrow')).equals(readFileSync(join(tmp, 'b.arrow')))).toBe(true);
    expect(readFileSync(join(tmp, 'a.arrow')).equals(readFileSync(join(tmp, 'c.arrow')))).toBe(false);
    expect(a.meta).toEqual({ venue: 'sample', symbol: 'SIM-BTCUSD', price_decimals: 1, qty_decimals: 4 });
    expect(a.groups.snapshot).toBe(1);
    expect(a.rows.snapshot).toBe(800);
    expect(a.rows.trade).toBeGreaterThan(100);
    expect(a.span.seconds).toBeGreaterThan(29);
    expect(a.events).toBe(b.events);
    expect(c.events).not.toBe(0);
    const back = await readBack(join(tmp, 'a.arrow'));
    expect(back.rows).toBe(a.events);
    expect(back.batches.every((n) => n <= MAX_BATCH_ROWS)).toBe(true);
    // Atomic writes leave no temporary files.
    expect(readdirSync(tmp).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('writes the same sample day as the native engine (pinned fingerprint, see dataset_sample.rs)', async () => {
    const out = join(tmp, 'pinned.arrow');
    run('sample', '--seed', '7', '--span', '60', '--depth', '400', '--out', out);
    const r = await openDataset(bytesSource(readFileSync(out)));
    let h = 0x811c9dc5;
    let rows = 0;
    const bytes = new Uint8Array(8);
    const view = new DataView(bytes.buffer);
    const eat = (n: number): void => {
      for (let i = 0; i < n; i++) h = Math.imul(h ^ (bytes[i] ?? 0), 0x01000193) >>> 0;
    };
    const i64 = (v: bigint): void => {
      view.setBigInt64(0, v, true);
      eat(8);
    };
    const u8 = (v: number): void => {
      bytes[0] = v;
      eat(1);
    };
    for await (const w of r.windows()) {
      for (let i = 0; i < w.kind.length; i++) {
        i64(w.tsRecv[i] ?? 0n);
        i64(w.tsEvent[i] ?? 0n);
        u8(w.kind[i] ?? 0);
        u8(w.side[i] ?? 0);
        i64(w.price[i] ?? 0n);
        i64(w.qty[i] ?? 0n);
        u8(w.flags[i] ?? 0);
      }
      rows += w.kind.length;
    }
    expect([rows, h]).toEqual([21_401, 0x857882b0]);
  });

  it('inspects a written file window by window and refuses a broken one', async () => {
    const out = join(tmp, 'insp.arrow');
    const s = run('sample', '--seed', '5', '--span', '200', '--out', out);
    const r = ferrodesk('inspect', '--in', out);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const i = JSON.parse(r.stdout) as Summary & { batches: number };
    expect(i.batches).toBe(Math.ceil(s.events / MAX_BATCH_ROWS));
    expect(i.batches).toBeGreaterThan(1);
    const { out: _o, bytes: _b, ...same } = s;
    expect(i).toMatchObject(same);

    // A file whose rows break the schema: ts_recv goes backwards at row 66,536 (in the second batch).
    const c = (await readBack(out)).first;
    if (!c) throw new Error('no first window');
    const bytes = readFileSync(out);
    const r0 = await openDataset(bytesSource(bytes));
    const w1 = await r0.readBatch(1);
    const bad = { ...w1, tsRecv: w1.tsRecv.slice() };
    bad.tsRecv[1000] = 1n;
    const broken = file('broken.arrow', await datasetToBytes({
      tsRecv: concat64(c.tsRecv, bad.tsRecv), tsEvent: concat64(c.tsEvent, bad.tsEvent), kind: concat8(c.kind, bad.kind),
      side: concat8(c.side, bad.side), price: concat64(c.price, bad.price), qty: concat64(c.qty, bad.qty), flags: concat8(c.flags, bad.flags),
    }, r0.meta));
    const rb = ferrodesk('inspect', '--in', broken);
    expect(rb.code).toBe(2);
    expect(rb.stderr).toContain('column ts_recv at row 66536 is 1: goes backwards');
    const rt = ferrodesk('inspect', '--in', file('cut.arrow', bytes.subarray(0, bytes.byteLength - 100)));
    expect(rt.code).toBe(2);
    expect(rt.stderr).toContain('file is truncated');
  });

  it('names the bad flag or the bad row', () => {
    const csv = file('bad.csv', 'exchange,symbol,timestamp,local_timestamp,is_snapshot,side,price,amount\nx,S,1,2,true,bid,1,1\nx,S,1,3,false,bid,1.x,1\n');
    const cases: [string[], RegExp][] = [
      [['import', '--venue', 'nyse', '--in', csv, '--out', join(tmp, 'x.arrow')], /--venue must be one of binance-spot, .*tardis, got 'nyse'/],
      [['import', '--venue', 'tardis', '--in', csv, '--out', join(tmp, 'x.arrow')], /line 3: field price is "1.x": "1.x" is not a decimal number/],
      [['import', '--venue', 'binance-spot', '--in', csv, '--trades', csv, '--out', join(tmp, 'x.arrow')], /--trades is for --venue tardis only/],
      [['import', '--venue', 'tardis', '--in', join(tmp, 'missing.csv'), '--out', join(tmp, 'x.arrow')], /--in: cannot read '.*missing.csv': ENOENT/],
      [['sample', '--seed', '1', '--span', '0', '--out', join(tmp, 'x.arrow')], /--span must be between 1 and 14400, got 0/],
      [['sample', '--seed', '1', '--out', join(tmp, 'no-such-dir', 'x.arrow')], /--out: cannot write '.*x.arrow': ENOENT/],
    ];
    for (const [args, msg] of cases) {
      const r = ferrodesk(...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(msg);
    }
    expect(existsSync(join(tmp, 'x.arrow'))).toBe(false);
  });
});
