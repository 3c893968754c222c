// `ferrodesk export-recording` against a real redis-server and a real backend recording its simulated feed
// (`--record`), checked with `ferrodesk inspect` and by replaying the file into the wasm backtest's book; plus the
// stream reading rules (chaining, stale deltas, gaps) on hand-made entries.
// Needs the built server and CLI (`npx tsc -p server/tsconfig.json && npx tsc -p cli/tsconfig.json`) and wasm.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bytesSource, openDataset } from '../../src/dataset/index.js';
import { Aggressor, encodeLevels, encodeTrades, FrameKind, Side, type LevelUpdate } from '../../src/protocol/wire.js';
import type { OwnedRedis } from '../../server/src/redis/owned.js';
import { eventually, spawnServer, startRedis, tempDir, TestClient, type ServerProcess } from '../../server/test/helpers.js';
import { gridScale, KIND_CLEAR, KIND_DELTA, KIND_SNAPSHOT, KIND_TRADE, RecordingConverter } from '../src/recording.js';
import { loadWasm } from '../src/wasm.js';
import { ferrodesk } from './run.js';

let dir: Awaited<ReturnType<typeof tempDir>>;
let redis: OwnedRedis;
let reader: Redis;
let server: ServerProcess | undefined;
let session = '';

beforeAll(async () => {
  dir = await tempDir('export-recording');
  redis = await startRedis(dir.path);
  reader = new Redis(redis.url, { maxRetriesPerRequest: 1 });
  server = await spawnServer(['--host', '127.0.0.1', '--port', '0', '--redis-url', redis.url, '--record', '100000',
    '--rate', '50', '--seed', '7', '--data-dir', join(dir.path, 'data')]);
  session = await eventually('a recorded session', async () => (await reader.smembers('ferrodesk:v1:rec:sessions'))[0]);
  await eventually('300 recorded BTC-USD entries', async () =>
    ((await reader.xlen(`ferrodesk:v1:rec:${session}:BTC-USD`)) >= 300 ? true : undefined), 30_000);
  await server.stop();
  server = undefined;
}, 60_000);

afterAll(async () => {
  await server?.stop();
  reader?.disconnect();
  await redis?.stop();
  await dir?.remove();
});

interface Summary {
  events: number;
  session: string;
  meta: { venue: string; symbol: string; price_decimals: number; qty_decimals: number };
  recording: { snapshots: number; deltas: number; trades: number; brokenChains: number };
}

describe('ferrodesk export-recording', () => {
  it('exports a recorded session as a valid dataset that replays into an uncrossed book', async () => {
    const out = join(dir.path, 'btc.arrow');
    // A small page: the stream is read and written in several pages.
    const r = ferrodesk('export-recording', '--redis', redis.url, '--symbol', 'BTC-USD', '--out', out, '--page', '50');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.stdout) as Summary;
    expect(summary.session).toBe(session);
    expect(summary.meta).toEqual({ venue: 'ferrodesk-sim', symbol: 'BTC-USD', price_decimals: 1, qty_decimals: 4 });
    expect(summary.recording.snapshots).toBe(1);
    expect(summary.recording.deltas).toBeGreaterThan(50);
    expect(summary.recording.brokenChains).toBe(0);

    const inspected = ferrodesk('inspect', '--in', out);
    expect(inspected.stderr).toBe('');
    expect(inspected.code).toBe(0);
    const report = JSON.parse(inspected.stdout) as { events: number; batches: number; groups: Record<string, number> };
    expect(report.events).toBe(summary.events);
    expect(report.batches).toBeGreaterThan(1);
    expect(report.groups['snapshot']).toBe(1);
    expect(report.groups['trade']).toBe(summary.recording.trades);

    const ds = await openDataset(bytesSource(readFileSync(out)));
    const wasm = await loadWasm();
    const bt = new wasm.Backtest(JSON.stringify({ strategy: { kind: 'external' }, priceDecimals: 1, qtyDecimals: 4 }));
    try {
      for (let i = 0; i < ds.batchCount; i++) {
        const w = await ds.readBatch(i);
        bt.load(w.tsRecv, w.tsEvent, w.kind, w.side, w.price, w.qty, w.flags);
      }
      bt.finishLoading();
      bt.runToEnd();
      const [bid, bidQty] = Array.from(bt.topLevels(0, 1));
      const [ask, askQty] = Array.from(bt.topLevels(1, 1));
      expect(bid).toBeDefined();
      expect(ask).toBeDefined();
      expect(bid ?? 0).toBeLessThan(ask ?? 0);
      expect(bidQty).toBeGreaterThan(0);
      expect(askQty).toBeGreaterThan(0);
      // BTC-USD in the simulator starts near 65,000.0 (650,000 ticks of 0.1).
      expect((bid ?? 0) / 10).toBeGreaterThan(30_000);
      expect((ask ?? 0) / 10).toBeLessThan(130_000);
    } finally {
      bt.free();
    }

    // The exported session served again as a live feed.
    const replay = await spawnServer(['--host', '127.0.0.1', '--port', '0', '--redis-url', redis.url, '--replay', out,
      '--replay-speed', '100', '--data-dir', join(dir.path, 'replay-data')]);
    try {
      const client = await TestClient.connect(`${replay.url.replace('http', 'ws')}/ws?v=1`);
      try {
        const hello = await client.nextJson('hello');
        expect(hello.instruments).toEqual([
          { id: 1, symbol: 'BTC-USD', venue: 'ferrodesk-sim', tickSize: '0.1', lotSize: '0.0001', priceDecimals: 1, qtyDecimals: 4 },
        ]);
        client.send({ type: 'subscribe', reqId: 1, instrument: 'BTC-USD', channels: ['book'] });
        const snap = await client.nextFrame('the snapshot', (f) => f.kind === FrameKind.Snapshot);
        expect(snap.kind === FrameKind.Snapshot && snap.levels.length).toBeGreaterThan(0);
        await client.nextFrame('a delta', (f) => f.kind === FrameKind.Delta);
      } finally {
        await client.close();
      }
    } finally {
      await replay.stop();
    }
  }, 60_000);

  it('names the flag and the value on bad input, listing sessions and symbols, and leaves no file', () => {
    const out = join(dir.path, 'bad.arrow');
    const cases: Array<[string[], RegExp]> = [
      [['--redis', redis.url], /--symbol.*recorded: BTC-USD, ETH-USD/],
      [['--redis', redis.url, '--symbol', 'DOGE-USD'], /--symbol 'DOGE-USD': not in session .*recorded: BTC-USD, ETH-USD/],
      [['--redis', redis.url, '--session', '20000101T000000Z', '--symbol', 'BTC-USD'],
        new RegExp(`--session '20000101T000000Z': no such recorded session \\(recorded: ${session}\\)`)],
      [['--redis', 'http://127.0.0.1:1', '--symbol', 'BTC-USD'], /--redis 'http:\/\/127\.0\.0\.1:1': scheme is 'http:'/],
      [['--redis', 'not a url', '--symbol', 'BTC-USD'], /--redis 'not a url': not a URL/],
      [['--redis', 'redis://127.0.0.1:1', '--symbol', 'BTC-USD'], /--redis 'redis:\/\/127\.0\.0\.1:1': cannot connect/],
    ];
    for (const [args, message] of cases) {
      const r = ferrodesk('export-recording', ...args, '--out', out);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(existsSync(out)).toBe(false);
    }
  });
});

describe('ferrodesk export-recording on a damaged stream', () => {
  it('fails naming the entry and the field, and leaves no partial file', async () => {
    const bad = 'damaged';
    await reader.sadd('ferrodesk:v1:rec:sessions', bad);
    await reader.set(`ferrodesk:v1:rec:${bad}`, JSON.stringify([
      { id: 1, symbol: 'BTC-USD', venue: 'sim', tickSize: '0.1', lotSize: '0.0001', priceDecimals: 1, qtyDecimals: 4 },
    ]));
    const key = `ferrodesk:v1:rec:${bad}:BTC-USD`;
    const snap = encodeLevels({ kind: FrameKind.Snapshot, instrumentId: 1, seqFirst: 1n, seqLast: 1n, tsEventNs: 1n },
      [{ side: Side.Bid, price: 99, qty: 5 }, { side: Side.Ask, price: 101, qty: 7 }]);
    await reader.xadd(key, '1-1', 'k', 's', 'seq', '1', 'f', Buffer.from(snap));
    await reader.xadd(key, '2-1', 'k', 'd', 'seq', '2', 'f', Buffer.from([0xfd, 1, 2]));
    const out = join(dir.path, 'damaged.arrow');
    const r = ferrodesk('export-recording', '--redis', redis.url, '--session', bad, '--symbol', 'BTC-USD', '--out', out, '--page', '10');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--symbol 'BTC-USD' \(ferrodesk:v1:rec:damaged:BTC-USD\): entry 2-1: field f: no valid frame header/);
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(dir.path).filter((f) => f.includes('damaged'))).toEqual([]);
  });
});

describe('RecordingConverter', () => {
  const fields = (k: string, f?: Uint8Array, info?: string): Map<string, Uint8Array> => {
    const m = new Map<string, Uint8Array>([['k', Buffer.from(k)]]);
    if (f) m.set('f', f);
    if (info) m.set('info', Buffer.from(info));
    return m;
  };
  const levels = (kind: FrameKind, seqFirst: bigint, seqLast: bigint, ts: bigint, l: LevelUpdate[]) =>
    encodeLevels({ kind, instrumentId: 1, seqFirst, seqLast, tsEventNs: ts }, l);
  const book = [{ side: Side.Bid, price: 99, qty: 5 }, { side: Side.Ask, price: 101, qty: 7 }];

  it('chains deltas from a snapshot, skips stale ones, clears on a gap or a broken chain and waits for a snapshot', () => {
    const c = new RecordingConverter(5n, 1n);
    c.entry('1-0', fields('d', levels(FrameKind.Delta, 1n, 1n, 5n, [book[0]!]))); // before any snapshot
    c.entry('2-0', fields('s', levels(FrameKind.Snapshot, 10n, 10n, 10n, book)));
    c.entry('3-0', fields('d', levels(FrameKind.Delta, 9n, 10n, 11n, [book[0]!]))); // stale
    c.entry('4-0', fields('d', levels(FrameKind.Delta, 11n, 12n, 12n, [{ side: Side.Bid, price: 100, qty: 0 }, { side: Side.Bid, price: 98, qty: 3 }])));
    c.entry('5-0', fields('t', encodeTrades({ kind: FrameKind.Trades, instrumentId: 1, seqFirst: 1n, seqLast: 1n, tsEventNs: 13n },
      [{ tsEventNs: 12n, price: 101, qty: 2, aggressor: Aggressor.Buyer }, { tsEventNs: 12n, price: 100, qty: 1, aggressor: Aggressor.Unknown }])));
    c.entry('6-0', fields('gap', undefined, '{"dropped":3}'));
    c.entry('7-0', fields('d', levels(FrameKind.Delta, 13n, 13n, 14n, [book[0]!]))); // waiting
    c.entry('8-0', fields('s', levels(FrameKind.Snapshot, 20n, 20n, 9n, book))); // clock went back: clamped
    c.entry('9-0', fields('d', levels(FrameKind.Delta, 22n, 22n, 21n, [book[0]!]))); // 21 missing
    const w = c.take();
    expect(Array.from(w.kind)).toEqual([KIND_SNAPSHOT, KIND_SNAPSHOT, KIND_DELTA, KIND_DELTA, KIND_TRADE, KIND_CLEAR,
      KIND_SNAPSHOT, KIND_SNAPSHOT, KIND_CLEAR]);
    expect(Array.from(w.flags)).toEqual([0, 1, 0, 1, 1, 1, 0, 1, 1]);
    expect(Array.from(w.price)).toEqual([495n, 505n, 500n, 490n, 505n, 0n, 495n, 505n, 0n]);
    expect(Array.from(w.qty)).toEqual([5n, 7n, 0n, 3n, 2n, 0n, 5n, 7n, 0n]);
    expect(Array.from(w.side)).toEqual([0, 1, 0, 0, 0, 0, 0, 1, 0]);
    expect(Array.from(w.tsRecv)).toEqual([10n, 10n, 12n, 12n, 13n, 13n, 14n, 14n, 21n]);
    expect(w.tsEvent[4]).toBe(12n);
    expect(c.stats).toMatchObject({ snapshots: 2, deltas: 1, trades: 1, gaps: 1, staleDeltas: 1, brokenChains: 1,
      waitingDeltas: 2, unknownAggressor: 1 });
    expect(c.pending).toBe(0);
  });

  it('names the entry and the field of a malformed entry', () => {
    const c = new RecordingConverter(1n, 1n);
    expect(() => c.entry('5-1', fields('x'))).toThrow(/entry 5-1: field k is 'x'/);
    expect(() => c.entry('5-2', fields('s'))).toThrow(/entry 5-2: field f \(the frame\) is missing/);
    expect(() => c.entry('5-3', fields('s', Uint8Array.of(1, 2, 3)))).toThrow(/entry 5-3: field f: no valid frame header/);
    expect(() => c.entry('5-4', fields('d', levels(FrameKind.Snapshot, 1n, 1n, 1n, book)))).toThrow(/entry 5-4: .*expected one frame of kind 2/);
  });

  it('scales ticks and lots to the decimal grid exactly', () => {
    expect(gridScale('tickSize', '0.1', 1)).toBe(1n);
    expect(gridScale('tickSize', '0.5', 2)).toBe(50n);
    expect(gridScale('lotSize', '1', 0)).toBe(1n);
    expect(() => gridScale('tickSize', '0.01', 1)).toThrow(/tickSize is '0.01', finer than its 1 decimals/);
    expect(() => gridScale('tickSize', '0', 2)).toThrow(/positive increment/);
    expect(() => gridScale('tickSize', '-1', 2)).toThrow(/expected a positive decimal/);
  });
});
