/**
 * Two backend processes' worth of app on one real Redis: one runs the simulator and publishes its feed, the other
 * serves that feed. A client of either sees the same book, sequence for sequence, and the same saved workspace.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SavedWorkspace } from '../../src/protocol/messages.js';
import { FrameKind } from '../../src/protocol/wire.js';
import type { App } from '../src/app.js';
import type { OwnedRedis } from '../src/redis/owned.js';
import { followDeltas, ReferenceBook, TestClient, eventually, startRedis, startTestApp, tempDir, wsUrl } from './helpers.js';

let dir: Awaited<ReturnType<typeof tempDir>>;
let redis: OwnedRedis;
let publisher: App;
let subscriber: App;
const clients: TestClient[] = [];

/** A client subscribed to BTC-USD with the book it rebuilds from the frames it receives. */
async function follow(app: App): Promise<{ client: TestClient; book: ReferenceBook }> {
  const client = await TestClient.connect(wsUrl(app));
  clients.push(client);
  client.send({ type: 'subscribe', reqId: 1, instrument: 'BTC-USD', channels: ['book'] });
  const book = new ReferenceBook();
  book.load(await client.nextFrame('snapshot', (f) => f.kind === FrameKind.Snapshot));
  return { client, book };
}

/** Applies deltas until the book reaches `seq`, checking that they chain. */
const advanceTo = (c: { client: TestClient; book: ReferenceBook }, seq: bigint): Promise<void> =>
  followDeltas(c.client, c.book, seq);

beforeAll(async () => {
  dir = await tempDir('scaleout');
  redis = await startRedis(dir.path);
  publisher = await startTestApp({ redisUrl: redis.url, feed: 'publish', batchesPerSecond: 50 });
  subscriber = await startTestApp({ redisUrl: redis.url, feed: 'subscribe' });
  await publisher.redis.waitReady(5000);
  await subscriber.redis.waitReady(5000);
});

afterAll(async () => {
  for (const c of clients) await c.close();
  await subscriber?.close();
  await publisher?.close();
  await redis?.stop();
  await dir?.remove();
});

describe('two backends on one Redis', () => {
  it('serve the same instruments and the same book, update for update', async () => {
    expect(subscriber.market.instruments()).toEqual(publisher.market.instruments());
    const a = await follow(publisher);
    const b = await follow(subscriber);
    // Both streams chain for a while …
    await advanceTo(a, a.book.seq + 50n);
    await advanceTo(b, a.book.seq);
    // … then, with the simulator stopped, both books reach the same last sequence and are identical.
    publisher.market.stop();
    const last = BigInt(publisher.market.stats().find((s) => s.symbol === 'BTC-USD')?.seq ?? '0');
    await advanceTo(a, last);
    await advanceTo(b, last);
    expect(b.book.seq).toBe(a.book.seq);
    expect([...b.book.bids].sort()).toEqual([...a.book.bids].sort());
    expect([...b.book.asks].sort()).toEqual([...a.book.asks].sort());
    expect(b.book.bids.size).toBeGreaterThan(20);
    // A client arriving now at the subscriber gets a snapshot equal to that book.
    const late = await follow(subscriber);
    expect(late.book.seq).toBe(last);
    expect([...late.book.bids].sort()).toEqual([...a.book.bids].sort());
    publisher.market.start();
  });

  it('share saved workspaces', async () => {
    const ws = { instrument: 'ETH-USD', theme: 'light', panels: { ladder: 0.5, chart: 0.5 } };
    const put = await fetch(`${publisher.url}/api/workspace/shared-desk`, {
      method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(ws),
    });
    expect(put.status).toBe(200);
    const got = await eventually('the other backend to read it', async () => {
      const res = await fetch(`${subscriber.url}/api/workspace/shared-desk`);
      return res.status === 200 ? ((await res.json()) as SavedWorkspace) : undefined;
    });
    expect(got.workspace).toEqual(ws);
  });
});
