/**
 * The replay feed: the compiled server as a real process (its own redis-server) replaying the Binance BTCUSDT
 * spot recording (../shared/data, MANIFEST.md) to a real WebSocket client, checked against the engine's own
 * conversion of the recording; the speed endpoint's validation; the replay options on the command line.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadWasm } from '../../cli/src/wasm.js';
import type { FeedSpeedResponse, HttpErrorBody } from '../../src/protocol/messages.js';
import { FrameKind } from '../../src/protocol/wire.js';
import { ConfigError, parseConfig } from '../src/config.js';
import type { App } from '../src/app.js';
import type { OwnedRedis } from '../src/redis/owned.js';
import { ReferenceBook, ROOT, spawnServer, startRedis, startTestApp, tempDir, TestClient, type ServerProcess } from './helpers.js';

const DATA = process.env['FERRODESK_SHARED_DATA'] ?? resolve(ROOT, '..', 'shared', 'data');
const SPOT = join(DATA, 'orderbook', 'binance', 'spot_btcusdt_20240808.gz');
const hasData = existsSync(SPOT);
if (!hasData) console.warn(`skipping the replay feed tests on the BTCUSDT recording: ${SPOT} is absent (set FERRODESK_SHARED_DATA)`);

const run = promisify(execFile);

async function putSpeed(url: string, body: string): Promise<{ status: number; json: FeedSpeedResponse & HttpErrorBody }> {
  const res = await fetch(`${url}/api/feed/speed`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body });
  return { status: res.status, json: (await res.json()) as FeedSpeedResponse & HttpErrorBody };
}

/** Best bid and ask after every snapshot and delta group of the engine's conversion of the recording. */
async function touchesOfRecording(): Promise<Set<string>> {
  const wasm = await loadWasm();
  const ds = wasm.datasetFromRecording('binance-spot', readFileSync(SPOT));
  const [kind, side, price, qty, flags] = [ds.kind(), ds.side(), ds.price(), ds.qty(), ds.flags()];
  ds.free();
  const book = new ReferenceBook();
  const touches = new Set<string>();
  let groupStart = true;
  for (let i = 0; i < kind.length; i++) {
    const k = kind[i] as number;
    if (groupStart && (k === 0 || k === 3)) {
      book.bids.clear();
      book.asks.clear();
    }
    if (k === 0 || k === 1) book.apply([{ side: side[i] as number, price: Number(price[i]), qty: Number(qty[i]) }]);
    groupStart = ((flags[i] as number) & 1) === 1;
    if (groupStart && (k === 0 || k === 1)) touches.add(`${book.bestBid()}/${book.bestAsk()}`);
  }
  return touches;
}

describe.skipIf(!hasData)('replaying the Binance BTCUSDT spot recording as the live feed', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let server: ServerProcess;
  let touches: Set<string>;

  beforeAll(async () => {
    dir = await tempDir('replay');
    await run(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(ROOT, 'server/tsconfig.json')], { cwd: ROOT });
    touches = await touchesOfRecording();
    server = await spawnServer(['--port', '0', '--data-dir', join(dir.path, 'data'), '--replay', SPOT, '--replay-venue', 'binance-spot', '--replay-speed', '100']);
  }, 120_000);

  afterAll(async () => {
    await server?.stop('SIGTERM');
    await dir?.remove();
  });

  it('streams the BTCUSDT book: snapshot, then contiguous deltas whose touch is the recording\'s, across a speed change and the loop', async () => {
    const client = await TestClient.connect(`${server.url.replace('http', 'ws')}/ws?v=1`);
    try {
      const hello = await client.nextJson('hello');
      expect(hello.instruments).toEqual([
        { id: 1, symbol: 'BTCUSDT', venue: 'binance-spot', tickSize: '0.01', lotSize: '0.000001', priceDecimals: 2, qtyDecimals: 6 },
      ]);
      client.send({ type: 'subscribe', reqId: 1, instrument: 'BTCUSDT', channels: ['book', 'trades'] });
      await client.nextJson('subscribed', (m) => m.reqId === 1);
      const snap = await client.nextFrame('the snapshot', (f) => f.kind === FrameKind.Snapshot);
      const book = new ReferenceBook();
      book.load(snap);

      const inRange = (ticks: number): boolean => ticks >= 5_600_000 && ticks <= 6_200_000;
      let deltas = 0;
      let checked = 0;
      let tradeId = -1n;
      let trades = 0;
      let slowedDown = false;
      // Follow the stream until the recording has looped (about 3.5 s of wall time at 100×).
      for (;;) {
        const f = await client.nextFrame('a frame', () => true);
        if (f.kind === FrameKind.Trades) {
          if (tradeId >= 0n) expect(f.seqFirst).toBe(tradeId + 1n);
          tradeId = f.seqLast;
          for (const t of f.trades) expect(inRange(t.price)).toBe(true);
          trades += f.trades.length;
          continue;
        }
        if (f.kind === FrameKind.Snapshot) {
          // A conflated client gets a fresh snapshot instead of the deltas it missed.
          book.load(f);
          continue;
        }
        expect(f.seqFirst).toBe(book.seq + 1n);
        expect(f.seqLast - f.seqFirst + 1n).toBe(BigInt(f.levels.length));
        book.apply(f.levels);
        book.seq = f.seqLast;
        deltas += 1;
        if (book.bids.size > 0 && book.asks.size > 0) {
          expect(inRange(book.bestBid()) && inRange(book.bestAsk())).toBe(true);
          expect(book.bestBid()).toBeLessThan(book.bestAsk());
          expect(touches.has(`${book.bestBid()}/${book.bestAsk()}`)).toBe(true);
          checked += 1;
        }
        if (deltas === 200 && !slowedDown) {
          slowedDown = true;
          const { status, json } = await putSpeed(server.url, '{"speed": 50}');
          expect(status).toBe(200);
          expect(json.speed).toBe(50);
          await putSpeed(server.url, '{"speed": 100}');
        }
        if (deltas % 100 === 0) {
          const state = (await (await fetch(`${server.url}/api/feed/speed`)).json()) as FeedSpeedResponse;
          if ((state.sources[0]?.loops ?? 0) >= 1 && deltas > 1000) break;
        }
      }
      expect(checked).toBeGreaterThan(1000);
      expect(trades).toBeGreaterThan(1000);
    } finally {
      await client.close();
    }
  }, 60_000);

  it('reports the replay and validates the speed: errors name the field, the value and the reason', async () => {
    const state = (await (await fetch(`${server.url}/api/feed/speed`)).json()) as FeedSpeedResponse;
    expect(state).toMatchObject({
      replaying: true,
      min: 1,
      max: 100,
      choices: [1, 2, 5, 10, 25, 50, 100],
      sources: [{ file: 'spot_btcusdt_20240808.gz', venue: 'binance-spot', symbol: 'BTCUSDT', events: 135_830 }],
    });
    for (const [body, path, value] of [
      ['{"speed": 0}', 'speed', 0],
      ['{"speed": 101}', 'speed', 101],
      ['{"speed": 2.5}', 'speed', 2.5],
      ['{"speed": "10"}', 'speed', '10'],
      ['{}', 'speed', undefined],
      ['[10]', '$', [10]],
    ] as const) {
      const { status, json } = await putSpeed(server.url, body);
      expect(status, body).toBe(400);
      expect(json.error).toBe('invalid_body');
      expect(json.issues?.[0]).toMatchObject({ path, reason: expect.stringMatching(/expected|required/) });
      expect(json.issues?.[0]?.value).toEqual(value);
    }
    const extra = await putSpeed(server.url, '{"speed": 5, "rate": 3}');
    expect(extra.status).toBe(400);
    expect(extra.json.issues).toEqual([{ path: 'rate', value: 3, reason: 'unknown field (expected only "speed")' }]);
    const bad = await putSpeed(server.url, '{"speed": ');
    expect(bad.status).toBe(400);
    expect(bad.json.error).toBe('invalid_json');

    const ok = await putSpeed(server.url, '{"speed": 25}');
    expect(ok.status).toBe(200);
    expect(ok.json.speed).toBe(25);
    const after = (await (await fetch(`${server.url}/api/feed/speed`)).json()) as FeedSpeedResponse;
    expect(after.speed).toBe(25);
  });
});

describe('the speed endpoint with the simulator', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let redis: OwnedRedis;
  let app: App;

  beforeAll(async () => {
    dir = await tempDir('replay-sim');
    redis = await startRedis(dir.path);
    app = await startTestApp({ redisUrl: redis.url });
  }, 30_000);

  afterAll(async () => {
    await app?.close();
    await redis?.stop();
    await dir?.remove();
  });

  it('reports no replay and refuses a speed with 409 not_replaying', async () => {
    const state = (await (await fetch(`${app.url}/api/feed/speed`)).json()) as FeedSpeedResponse;
    expect(state).toMatchObject({ replaying: false, speed: null, sources: [] });
    const { status, json } = await putSpeed(app.url, '{"speed": 10}');
    expect(status).toBe(409);
    expect(json.error).toBe('not_replaying');
    const invalid = await putSpeed(app.url, '{"speed": 1000}');
    expect(invalid.status).toBe(400);
    const del = await fetch(`${app.url}/api/feed/speed`, { method: 'DELETE' });
    expect(del.status).toBe(405);
    expect(del.headers.get('allow')).toBe('GET, HEAD, PUT');
  });
});

describe('replay options on the command line', () => {
  const parse = (args: string[]): unknown => parseConfig(args, {}, ROOT);
  const rejects = (args: string[], pattern: RegExp): void => {
    expect(() => parse(args)).toThrow(ConfigError);
    expect(() => parse(args)).toThrow(pattern);
  };

  it('accepts files with one venue for all or one each, and a speed of 1..100', () => {
    const cfg = parseConfig(['--replay', 'package.json,README.md', '--replay-venue', 'binance-spot', '--replay-speed', '100'], {}, ROOT);
    expect(cfg !== 'help' && cfg.replay).toEqual({
      sources: [
        { file: join(ROOT, 'package.json'), venue: 'binance-spot' },
        { file: join(ROOT, 'README.md'), venue: 'binance-spot' },
      ],
      speed: 100,
    });
    const each = parseConfig(['--replay', 'package.json,README.md', '--replay-venue', 'bybit,kraken'], {}, ROOT);
    expect(each !== 'help' && each.replay).toMatchObject({ sources: [{ venue: 'bybit' }, { venue: 'kraken' }], speed: 1 });
    const none = parseConfig([], {}, ROOT);
    expect(none !== 'help' && none.replay).toBeNull();
  });

  it('rejects bad replay options, naming the option, the value and the reason', () => {
    rejects(['--replay', 'no-such-file.gz'], /--replay "no-such-file.gz": .*does not exist/);
    rejects(['--replay', 'package.json', '--replay-venue', 'nasdaq'], /--replay-venue "nasdaq": "nasdaq" is not a venue/);
    rejects(['--replay', 'package.json,README.md', '--replay-venue', 'bybit,kraken,coinbase'], /one venue for all files or one per file/);
    rejects(['--replay', 'package.json', '--replay-speed', '0'], /--replay-speed "0": expected an integer from 1 to 100/);
    rejects(['--replay', 'package.json', '--replay-speed', '101'], /--replay-speed "101"/);
    rejects(['--replay-speed', '10'], /--replay-speed "10": only meaningful with --replay/);
    rejects(['--replay', 'package.json', '--feed', 'subscribe'], /--replay "package.json": a subscribing backend/);
    rejects(['--replay', ','], /none empty/);
  });
});
