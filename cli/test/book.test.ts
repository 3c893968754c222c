// `ferrodesk book` as a user runs it: the launcher, the compiled CLI and the real wasm engine, on the real
// recordings (MANIFEST.md, orderbook/) and on crafted bad files. Build first: `node scripts/build.mjs`.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { ferrodesk } from './run';

const DATA = resolve(import.meta.dirname, '..', '..', '..', 'shared', 'data', 'orderbook');
const hasData = existsSync(DATA);
if (!hasData) console.warn(`skipping the real-recording tests: ${DATA} is absent`);

const tmp = mkdtempSync(join(tmpdir(), 'ferrodesk-book-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

interface Report {
  updates_applied: number;
  gaps: number;
  resyncs: number;
  crossed: number;
  rejected: number;
  checks: { ticker: number; ticker_mismatches: number; checksum: number; checksum_failures: number };
  final: { last_update_id: number; best_bid: [number, number]; best_ask: [number, number]; bid_levels: number };
  snapshots?: { at: string; last_update_id: number; bids: [number, number][]; asks: [number, number][] }[];
  rejections: { line: number; reason: string }[];
}

function report(...args: string[]): Report {
  const r = ferrodesk('book', ...args);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as Report;
}

const SNAP = '1000 {"lastUpdateId":100,"bids":[["100.00","1.50"],["99.99","2.00"]],"asks":[["100.02","1.25"],["100.05","3.00"]]}';
const diff = (ts: number, first: number, last: number, bids: string): string =>
  `${ts} {"stream":"btcusdt@depth@100ms","data":{"e":"depthUpdate","E":1,"s":"BTCUSDT","U":${first},"u":${last},"b":[${bids}],"a":[]}}`;

function file(name: string, content: string | Uint8Array): string {
  const p = join(tmp, name);
  writeFileSync(p, content);
  return p;
}

describe.skipIf(!hasData)('ferrodesk book on the real recordings', () => {
  it('replays Binance spot with 0 gaps and every one of 3,449 tickers matching', () => {
    const r = report('--venue', 'binance-spot', '--in', join(DATA, 'binance/spot_btcusdt_20240808.gz'));
    expect([r.updates_applied, r.gaps, r.rejected, r.crossed]).toEqual([3449, 0, 0, 0]);
    expect(r.checks).toMatchObject({ ticker: 3449, ticker_mismatches: 0 });
    expect(r.final.best_bid[0]).toBeLessThan(r.final.best_ask[0]);
  });

  it('replays Binance USD-M with 0 gaps and every one of 6,547 tickers matching', () => {
    const r = report('--venue', 'binance-futures', '--in', join(DATA, 'binance/usdm_btcusdt_20240808.gz'));
    expect([r.updates_applied, r.gaps, r.rejected, r.crossed]).toEqual([6547, 0, 0, 0]);
    expect(r.checks).toMatchObject({ ticker: 6547, ticker_mismatches: 0 });
  });

  it('replays the Bybit zip and prints the book at a requested time', () => {
    const r = report('--venue', 'bybit', '--in', join(DATA, 'bybit/bybit_xrpusdt-ob500.data.zip'), '--depth', '2', '--at', '1733011200691000000');
    expect([r.updates_applied, r.gaps, r.crossed, r.final.last_update_id]).toEqual([49, 0, 0, 20254918]);
    expect(r.snapshots?.[0]).toMatchObject({ at: '1733011200691000000', last_update_id: 20254869 });
    expect(r.snapshots?.[0]?.bids).toEqual([[1.9531, 6203], [1.953, 2409]]);
  });
});

describe.skipIf(!hasData)('ferrodesk book on the Kraken capture', () => {
  it('verifies all 4,269 CRC-32 checksums across the 10 pairs', () => {
    const r = ferrodesk('book', '--venue', 'kraken', '--in', join(DATA, '..', 'ws_captures', 'KRAKEN.ws.50.0'));
    expect(r.code).toBe(0);
    const rep = JSON.parse(r.stdout) as { instruments: Record<string, Report>; rejected: number };
    const pairs = Object.values(rep.instruments);
    expect(pairs).toHaveLength(10);
    expect(rep.rejected).toBe(0);
    expect(pairs.reduce((n, p) => n + p.checks.checksum, 0)).toBe(4269);
    expect(pairs.reduce((n, p) => n + p.checks.checksum_failures + p.gaps + p.rejected + p.crossed, 0)).toBe(0);
  });
});

describe.skipIf(!hasData)('ferrodesk book on the Coinbase capture', () => {
  it('matches the 97 tickers after the first per product with the rebuilt touch', () => {
    const r = ferrodesk('book', '--venue', 'coinbase', '--in', join(DATA, '..', 'ws_captures', 'COINBASE.ws.28.0'));
    expect(r.code).toBe(0);
    const rep = JSON.parse(r.stdout) as { instruments: Record<string, Report>; rejected: number };
    const products = Object.values(rep.instruments);
    expect(products).toHaveLength(10);
    expect(rep.rejected).toBe(0);
    expect(products.reduce((n, p) => n + p.checks.ticker, 0)).toBe(97);
    expect(products.reduce((n, p) => n + p.checks.ticker_mismatches + p.rejected + p.crossed, 0)).toBe(0);
  });
});

describe('ferrodesk book on crafted files', () => {
  it('reports rejected lines with their numbers and leaves the book as the good lines built it', () => {
    const p = file('bad.txt', [SNAP, diff(1100, 100, 102, '["100.01","0.50"]'), '1150 {"stream": broken', diff(1200, 103, 103, '["NaN","1"]'), diff(1300, 103, 103, '["100.001","1"]')].join('\n'));
    const r = report('--venue', 'binance-spot', '--in', p);
    expect(r.rejected).toBe(3);
    expect(r.rejections.map((x) => x.line)).toEqual([3, 4, 5]);
    expect(r.rejections[0]?.reason).toMatch(/malformed JSON/);
    expect(r.rejections[1]?.reason).toMatch(/"NaN" is not a decimal number/);
    expect(r.rejections[2]?.reason).toMatch(/off-tick \(tick 0\.01/);
    expect(r.final.best_bid).toEqual([100.01, 0.5]);
    expect(r.final.last_update_id).toBe(102);
  });

  it('keeps the complete lines of a truncated gzip and reports the damage', () => {
    const gz = gzipSync(Buffer.from([SNAP, diff(1100, 100, 102, '["100.01","0.50"]'), diff(1200, 103, 104, '["99.98","1"]')].join('\n') + '\n'));
    const r = report('--venue', 'binance-spot', '--in', file('cut.gz', gz.subarray(0, gz.length - 6)));
    expect(r.rejected).toBe(1);
    expect(r.rejections[0]?.reason).toMatch(/gzip stream is truncated or corrupt/);
  });

  it('exits 2 naming the problem for bad flags, an unknown venue, an unreadable or unreadable-as-zip file', () => {
    const good = file('ok.txt', SNAP);
    const cases: [string[], RegExp][] = [
      [['--venue', 'okx', '--in', good], /--venue must be one of binance-spot, binance-futures, bybit, kraken, coinbase, got 'okx'/],
      [['--venue', 'bybit', '--in', join(tmp, 'missing.gz')], /--in: cannot read '.*missing\.gz': ENOENT/],
      [['--venue', 'bybit'], /missing required flag '--in'/],
      [['--venue', 'bybit', '--in', good, '--depth', '0'], /--depth must be between 1 and 5000, got 0/],
      [['--venue', 'bybit', '--in', good, '--at', '12,x'], /--at must be .* got 'x'/],
      [['--venue', 'bybit', '--in', good, '--frob'], /unknown flag '--frob'/],
      [['--venue', 'bybit', '--in', file('bad.zip', Buffer.from('PK\x03\x04\x14\x00'))], /zip: local file header is truncated/],
    ];
    for (const [args, msg] of cases) {
      const r = ferrodesk('book', ...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(msg);
    }
  });
});
