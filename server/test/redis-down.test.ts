/**
 * Redis going away and coming back, with a real redis-server: saves fail fast with a retryable 503, health
 * reports it, market data keeps flowing, and once Redis is back (same port, same data directory) everything
 * acknowledged before is still there.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HealthResponse, SavedWorkspace } from '../../src/protocol/messages.js';
import { FrameKind } from '../../src/protocol/wire.js';
import type { App } from '../src/app.js';
import type { OwnedRedis } from '../src/redis/owned.js';
import { followDeltas, ReferenceBook, TestClient, eventually, startRedis, startTestApp, tempDir, wsUrl } from './helpers.js';

let dir: Awaited<ReturnType<typeof tempDir>>;
let redis: OwnedRedis;
let app: App;
let client: TestClient;
const book = new ReferenceBook();

const workspace = { instrument: 'ETH-USD', theme: 'light', panels: { ladder: 0.4, heatmap: 0.6 } };
const put = (name: string): Promise<Response> =>
  fetch(`${app.url}/api/workspace/${name}`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(workspace) });
const health = async (): Promise<{ status: number; body: HealthResponse }> => {
  const res = await fetch(`${app.url}/api/health`);
  return { status: res.status, body: (await res.json()) as HealthResponse };
};

/** The WebSocket client keeps receiving a gap-free book. */
const streamAdvances = (updates: bigint): Promise<void> => followDeltas(client, book, book.seq + updates);

beforeAll(async () => {
  dir = await tempDir('redis-down');
  redis = await startRedis(dir.path);
  app = await startTestApp({ redisUrl: redis.url, redisCommandTimeoutMs: 800 });
  await app.redis.waitReady(5000);
  client = await TestClient.connect(wsUrl(app));
  client.send({ type: 'subscribe', reqId: 1, instrument: 'BTC-USD', channels: ['book'] });
  book.load(await client.nextFrame('snapshot', (f) => f.kind === FrameKind.Snapshot));
});

afterAll(async () => {
  await client?.close();
  await app?.close();
  await redis?.stop();
  await dir?.remove();
});

describe('Redis unavailable', () => {
  it('saves while Redis is up', async () => {
    expect((await put('before-outage')).status).toBe(200);
    expect((await health()).status).toBe(200);
  });

  it('answers 503 redis_unavailable, retryable, at once when Redis has stopped', async () => {
    await redis.stop();
    const down = await eventually('health to report redis down', async () => {
      const h = await health();
      return h.body.redis.state === 'down' ? h : undefined;
    });
    expect(down.status).toBe(503);
    expect(down.body.status).toBe('degraded');

    const started = performance.now();
    const res = await put('during-outage');
    expect(performance.now() - started).toBeLessThan(500);
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('1');
    expect(await res.json()).toMatchObject({ error: 'redis_unavailable', retryable: true });
    expect((await fetch(`${app.url}/api/workspace/before-outage`)).status).toBe(503);
  });

  it('keeps streaming market data while Redis is down', async () => {
    await streamAdvances(100n);
    expect(app.gateway.clientCount).toBe(1);
  });

  it('recovers when Redis returns, with acknowledged writes intact', async () => {
    redis = await startRedis(dir.path, redis.port);
    const up = await eventually('health to report redis ready', async () => {
      const h = await health();
      return h.body.redis.state === 'ready' ? h : undefined;
    }, 15_000);
    expect(up.status).toBe(200);
    const res = await fetch(`${app.url}/api/workspace/before-outage`);
    expect(res.status).toBe(200);
    expect(((await res.json()) as SavedWorkspace).workspace).toEqual(workspace);
    expect((await fetch(`${app.url}/api/workspace/during-outage`)).status).toBe(404);
    expect((await put('after-outage')).status).toBe(200);
    await streamAdvances(20n);
  });

  it('does not hang when Redis stops answering: the command times out into a 503', async () => {
    process.kill(redis.pid, 'SIGSTOP');
    try {
      const started = performance.now();
      const res = await put('while-frozen');
      const elapsed = performance.now() - started;
      expect(res.status).toBe(503);
      expect(await res.json()).toMatchObject({ error: 'redis_unavailable', retryable: true });
      expect(elapsed).toBeGreaterThanOrEqual(700);
      expect(elapsed).toBeLessThan(3000);
    } finally {
      process.kill(redis.pid, 'SIGCONT');
    }
    await streamAdvances(20n);
  });
});
