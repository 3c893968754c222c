/**
 * The WebSocket gateway over real sockets: an in-process server (real redis-server behind it) and `ws` clients.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { FrameKind } from '../../src/protocol/wire.js';
import type { App } from '../src/app.js';
import { originAllowed } from '../src/ws/gateway.js';
import type { OwnedRedis } from '../src/redis/owned.js';
import { ReferenceBook, TestClient, eventually, startRedis, startTestApp, tempDir, wsUrl, type Frame } from './helpers.js';

let dir: Awaited<ReturnType<typeof tempDir>>;
let redis: OwnedRedis;
let app: App;
/** Subscribed for the whole file; after every abusive client it must still be receiving a contiguous stream. */
let bystander: TestClient;
let bystanderBook: ReferenceBook;
const bystanderGaps: string[] = [];

beforeAll(async () => {
  dir = await tempDir('gateway');
  redis = await startRedis(dir.path);
  app = await startTestApp({ redisUrl: redis.url, limits: { messagesPerSecond: 100 } });
  bystander = await TestClient.connect(wsUrl(app));
  bystanderBook = new ReferenceBook();
  bystander.send({ type: 'subscribe', reqId: 1, instrument: 'BTC-USD', channels: ['book'] });
  const snap = await bystander.nextFrame('bystander snapshot', (f) => f.kind === FrameKind.Snapshot);
  bystanderBook.load(snap);
});

afterAll(async () => {
  await bystander?.close();
  await app?.close();
  await redis?.stop();
  await dir?.remove();
});

/** Consumes the bystander's next deltas (at least 20 updates) and checks that they chain without a gap. */
async function bystanderAdvances(): Promise<void> {
  const start = bystanderBook.seq;
  while (bystanderBook.seq < start + 20n) {
    const d = await bystander.nextFrame('bystander delta', (f) => f.kind === FrameKind.Delta);
    if ('levels' in d) {
      if (d.seqFirst !== bystanderBook.seq + 1n) bystanderGaps.push(`${bystanderBook.seq} -> ${d.seqFirst}`);
      bystanderBook.apply(d.levels);
      bystanderBook.seq = d.seqLast;
    }
  }
  expect(bystanderGaps).toEqual([]);
}

describe('connection', () => {
  it('says hello with the instruments and heartbeat interval', async () => {
    const c = await TestClient.connect(wsUrl(app));
    const hello = await c.nextJson('hello');
    expect(hello).toMatchObject({ v: 1, heartbeatMs: 5000, server: expect.stringContaining('ferrodesk') });
    expect(hello.instruments).toEqual([
      { id: 1, symbol: 'BTC-USD', venue: 'sim', tickSize: '0.1', lotSize: '0.0001', priceDecimals: 1, qtyDecimals: 4 },
      { id: 2, symbol: 'ETH-USD', venue: 'sim', tickSize: '0.01', lotSize: '0.001', priceDecimals: 2, qtyDecimals: 3 },
    ]);
    const t0 = Date.now();
    c.send({ type: 'ping', reqId: 77, ts: t0 });
    expect(await c.nextJson('pong')).toEqual({ type: 'pong', reqId: 77, ts: t0 });
    await c.close();
  });

  it('closes 4400 for an unsupported or missing version, and 404s other paths', async () => {
    const v2 = await TestClient.connect(wsUrl(app, '?v=2'));
    expect(await v2.closed).toEqual({ code: 4400, reason: 'unsupported protocol version "2"; this server speaks v=1' });
    const none = await TestClient.connect(wsUrl(app, ''));
    expect((await none.closed).code).toBe(4400);
    const status = await new Promise<number>((resolve, reject) => {
      const ws = new WebSocket(`${app.url.replace('http', 'ws')}/other?v=1`);
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.on('open', () => reject(new Error('connected to /other')));
      ws.on('error', () => undefined);
    });
    expect(status).toBe(404);
  });
});

describe('market data', () => {
  it('streams subscribed → snapshot → contiguous deltas and trades; resync matches the rebuilt book', async () => {
    const c = await TestClient.connect(wsUrl(app));
    c.send({ type: 'subscribe', reqId: 5, instrument: 'ETH-USD' });
    expect(await c.nextJson('subscribed')).toEqual({ type: 'subscribed', reqId: 5, instrument: 'ETH-USD', instrumentId: 2 });
    const book = new ReferenceBook();
    const first = await c.nextFrame('snapshot', () => true);
    expect(first.kind).toBe(FrameKind.Snapshot);
    book.load(first);
    expect(book.bids.size).toBeGreaterThanOrEqual(300);
    expect(book.asks.size).toBeGreaterThanOrEqual(300);

    let tradeId: bigint | null = null;
    let deltas = 0;
    let trades = 0;
    const consume = (f: Frame): void => {
      expect(f.instrumentId).toBe(2);
      if (f.kind === FrameKind.Trades) {
        if (tradeId !== null) expect(f.seqFirst).toBe(tradeId + 1n);
        expect(f.seqLast - f.seqFirst + 1n).toBe(BigInt(f.trades.length));
        tradeId = f.seqLast;
        trades += f.trades.length;
      } else if (f.kind === FrameKind.Delta) {
        expect(f.seqFirst).toBe(book.seq + 1n);
        book.apply(f.levels);
        book.seq = f.seqLast;
        expect(book.bestBid()).toBeLessThan(book.bestAsk());
        deltas += 1;
      }
    };
    while (deltas < 30 || trades < 5) consume(await c.nextFrame('live frame', () => true));

    c.send({ type: 'resync', reqId: 6, instrument: 'ETH-USD' });
    for (;;) {
      const f = await c.nextFrame('resync snapshot', () => true);
      if (f.kind !== FrameKind.Snapshot) {
        consume(f);
        continue;
      }
      expect(f.seqLast).toBe(book.seq);
      expect(f.levels).toEqual(book.levels());
      break;
    }
    c.send({ type: 'unsubscribe', reqId: 7, instrument: 'ETH-USD' });
    expect(await c.nextJson('unsubscribed')).toEqual({ type: 'unsubscribed', reqId: 7, instrument: 'ETH-USD', instrumentId: 2 });
    await c.close();
  });

  it('honours channels: trades only means no snapshot and no deltas', async () => {
    const c = await TestClient.connect(wsUrl(app));
    c.send({ type: 'subscribe', reqId: 1, instrument: 'BTC-USD', channels: ['trades'] });
    await c.nextJson('subscribed');
    await c.nextFrame('a trade batch', (f) => f.kind === FrameKind.Trades, 10_000);
    expect(c.frames.all.every((f) => f.kind === FrameKind.Trades)).toBe(true);
    await c.close();
  });
});

describe('bad input', () => {
  it('answers each bad message with a specific error and keeps the connection', async () => {
    const c = await TestClient.connect(wsUrl(app));
    await c.nextJson('hello');
    const expectError = async (send: string | object, code: string, message: RegExp, reqId?: number): Promise<void> => {
      c.send(send);
      const err = await c.nextJson('error');
      expect(err.code).toBe(code);
      expect(err.message).toMatch(message);
      expect(err.reqId).toBe(reqId);
    };
    await expectError('{"type":"subscribe"', 'bad_json', /not valid JSON at position 19 \(line 1, column 20\): unexpected end of input/);
    await expectError({ type: 'cancel_all', reqId: 3 }, 'bad_message', /field "type" has value "cancel_all": unknown message type/, 3);
    await expectError({ type: 'subscribe', reqId: 'four', instrument: 'BTC-USD' }, 'bad_message', /field "reqId" has value "four": expected a non-negative integer/);
    await expectError({ type: 'subscribe', reqId: 5, instrument: 7 }, 'bad_message', /field "instrument" has value 7: expected a string/, 5);
    await expectError({ type: 'subscribe', reqId: 6, instrument: 'XRP-USD' }, 'unknown_instrument', /"XRP-USD": unknown instrument, expected one of BTC-USD, ETH-USD/, 6);
    await expectError({ type: 'unsubscribe', reqId: 8, instrument: 'ETH-USD' }, 'not_subscribed', /not subscribed on this connection/, 8);
    c.ws.send(Buffer.from([1, 2, 3]));
    expect(await c.nextJson('error')).toMatchObject({ code: 'bad_message', message: expect.stringMatching(/binary frame of 3 bytes/) });
    c.send('x'.repeat(64 * 1024 + 1));
    expect(await c.nextJson('error')).toMatchObject({ code: 'too_large', message: 'frame of 65537 bytes exceeds the limit of 65536 bytes' });
    c.send({ type: 'ping', reqId: 9, ts: 1 });
    expect(await c.nextJson('pong')).toEqual({ type: 'pong', reqId: 9, ts: 1 });
    expect(app.gateway.counters.errors).toMatchObject({ bad_json: 1, unknown_instrument: 1, not_subscribed: 1, too_large: 1 });
    await c.close();
    await bystanderAdvances();
  });

  it('closes 1009 on a frame beyond the hard cap without disturbing others', async () => {
    const c = await TestClient.connect(wsUrl(app));
    c.ws.on('error', () => undefined);
    c.send('x'.repeat(2 * 1024 * 1024));
    expect((await c.closed).code).toBe(1009);
    await bystanderAdvances();
  });

  it('rate-limits a flood, then closes it 4429, while others keep streaming', async () => {
    const c = await TestClient.connect(wsUrl(app));
    await c.nextJson('hello');
    for (let i = 0; i < 700 && c.ws.readyState === WebSocket.OPEN; i++) c.send({ type: 'ping', reqId: i, ts: i });
    const err = await c.nextJson('error');
    expect(err).toMatchObject({ code: 'rate_limited', message: expect.stringContaining('100 messages/s') });
    const closed = await c.closed;
    expect(closed.code).toBe(4429);
    expect(c.json.all.filter((m) => m.type === 'pong')).toHaveLength(100);
    expect(app.gateway.counters.serverCloses['4429']).toBeGreaterThanOrEqual(1);
    await bystanderAdvances();
  });
});

describe('liveness', () => {
  it('sends heartbeats to an idle client and closes 4408 on one that never answers pings', async () => {
    const fast = await startTestApp({ redisUrl: redis.url, limits: { heartbeatMs: 150, heartbeatTimeouts: 3 } });
    try {
      const alive = await TestClient.connect(wsUrl(fast));
      const silent = await TestClient.connect(wsUrl(fast), { autoPong: false });
      expect((await alive.nextJson('hello')).heartbeatMs).toBe(150);
      await alive.nextJson('heartbeat');
      const closed = await silent.closed;
      expect(closed.code).toBe(4408);
      expect(closed.reason).toMatch(/heartbeat timeout/);
      expect(alive.ws.readyState).toBe(WebSocket.OPEN);
      await alive.close();
    } finally {
      await fast.close();
    }
  });
});

describe('back-pressure', () => {
  it('conflates a client that stops reading and resumes it with a snapshot, never a gap', async () => {
    const slow = await startTestApp({
      redisUrl: redis.url,
      limits: { messagesPerSecond: 5000, floodFactor: 10, highWaterBytes: 256 * 1024, lowWaterBytes: 64 * 1024 },
    });
    try {
      const c = await TestClient.connect(wsUrl(slow));
      c.send({ type: 'subscribe', reqId: 1, instrument: 'BTC-USD' });
      const book = new ReferenceBook();
      book.load(await c.nextFrame('first snapshot', (f) => f.kind === FrameKind.Snapshot));
      c.ws.pause();
      // Each resync queues a ~20 KB snapshot; with the client not reading, the kernel buffers fill, then ours.
      for (let i = 0; i < 1500; i++) c.send({ type: 'resync', reqId: 100 + i, instrument: 'BTC-USD' });
      await eventually('conflation', () => (slow.gateway.counters.conflations > 0 ? true : undefined), 15_000);
      await eventually('dropped frames', () => (slow.gateway.counters.framesDropped > 0 ? true : undefined), 5000);
      c.ws.resume();

      // Every delta must chain onto the last snapshot or delta. Dropped frames are replaced by a snapshot
      // that is ahead of the client's book, never skipped silently.
      const gaps: string[] = [];
      let snapshotsAhead = 0;
      let deltasAfterRecovery = 0;
      while (deltasAfterRecovery < 20) {
        const f = await c.nextFrame('frame', (x) => x.kind !== FrameKind.Trades, 10_000);
        if (f.kind === FrameKind.Snapshot) {
          if (f.seqLast > book.seq) snapshotsAhead += 1;
          book.load(f);
          deltasAfterRecovery = 0;
        } else if (f.kind === FrameKind.Delta) {
          if (f.seqFirst !== book.seq + 1n) gaps.push(`${book.seq} -> ${f.seqFirst}`);
          book.apply(f.levels);
          book.seq = f.seqLast;
          deltasAfterRecovery += 1;
        }
      }
      expect(gaps).toEqual([]);
      expect(snapshotsAhead).toBeGreaterThan(0);
      expect(slow.gateway.counters.snapshotsSent).toBeLessThan(1501);
      await c.close();
    } finally {
      await slow.close();
    }
  });
});

describe('origin allow-list', () => {
  /** Opens a WebSocket with an Origin header; resolves with 'open' or the HTTP status of the refusal. */
  const tryOrigin = (url: string, origin: string): Promise<'open' | number> =>
    new Promise((resolve, reject) => {
      const ws = new WebSocket(url, { origin });
      ws.once('open', () => {
        ws.close();
        resolve('open');
      });
      ws.once('unexpected-response', (_req, res) => {
        resolve(res.statusCode ?? -1);
        ws.terminate();
      });
      ws.once('error', (err) => reject(err));
    });

  it('lets the server\'s own pages in and refuses other sites with 403, counted', async () => {
    expect(await tryOrigin(wsUrl(app), app.url)).toBe('open');
    const before = app.gateway.counters.originRejected;
    expect(await tryOrigin(wsUrl(app), 'https://evil.example')).toBe(403);
    expect(await tryOrigin(wsUrl(app), 'null')).toBe(403);
    expect(app.gateway.counters.originRejected).toBe(before + 2);
  });

  it('decides by exact origin, same host, or *', () => {
    expect(originAllowed(undefined, '127.0.0.1:8787', [])).toBe(true);
    expect(originAllowed('http://127.0.0.1:8787', '127.0.0.1:8787', [])).toBe(true);
    expect(originAllowed('http://127.0.0.1:8788', '127.0.0.1:8787', [])).toBe(false);
    expect(originAllowed('http://localhost:5173', '127.0.0.1:8787', ['http://localhost:5173/'])).toBe(true);
    expect(originAllowed('https://desk.example', '127.0.0.1:8787', ['*'])).toBe(true);
    expect(originAllowed('file://', 'x', [])).toBe(false);
  });
});
