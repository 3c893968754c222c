/**
 * Named strategies over HTTP against an in-process server and a real redis-server: save, read back, list, delete,
 * field-path validation errors, the versioned keys in Redis, and 503 retryable once Redis has stopped.
 */
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HttpErrorBody } from '../../src/protocol/messages.js';
import type { SavedStrategy, StrategyDocument, StrategyList } from '../../src/protocol/options.js';
import type { App } from '../src/app.js';
import type { OwnedRedis } from '../src/redis/owned.js';
import { STRATEGY_INDEX_KEY, STRATEGY_KEY_PREFIX } from '../src/strategies/store.js';
import { eventually, startRedis, startTestApp, tempDir } from './helpers.js';

let dir: Awaited<ReturnType<typeof tempDir>>;
let redis: OwnedRedis;
let app: App;

const condor: StrategyDocument = {
  strategy: {
    spot: 100, rate: 0.03, div: 0,
    legs: [
      { kind: 'put', qty: 1, strike: 90, expiryDays: 30, model: 'bsm', vol: 0.2, steps: 200 },
      { kind: 'put', qty: -1, strike: 95, expiryDays: 30, model: 'bsm', vol: 0.2, steps: 200 },
      { kind: 'call', qty: -1, strike: 105, expiryDays: 30, model: 'bsm', vol: 0.2, steps: 200 },
      { kind: 'call', qty: 1, strike: 110, expiryDays: 30, model: 'binomial', vol: 0.2, steps: 300 },
    ],
  },
  scenario: { day: 5, volShift: -0.02 },
};

const put = (name: string, body: unknown): Promise<Response> =>
  fetch(`${app.url}/api/strategies/${name}`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

beforeAll(async () => {
  dir = await tempDir('strategies');
  redis = await startRedis(dir.path);
  app = await startTestApp({ redisUrl: redis.url, redisCommandTimeoutMs: 800 });
  await app.redis.waitReady(5000);
});

afterAll(async () => {
  await app?.close();
  await redis?.stop();
  await dir?.remove();
});

describe('/api/strategies', () => {
  it('saves a strategy, acknowledged after Redis has it, and reads it back', async () => {
    const res = await put('condor-1', condor);
    expect(res.status).toBe(200);
    const saved = (await res.json()) as SavedStrategy;
    expect(saved).toMatchObject({ name: 'condor-1', ...condor });
    const direct = new Redis(redis.url);
    try {
      const raw = await direct.get(`${STRATEGY_KEY_PREFIX}condor-1`);
      expect(JSON.parse(raw ?? 'null')).toMatchObject({ v: 1, savedAt: saved.savedAt, doc: condor });
      expect(await direct.sismember(STRATEGY_INDEX_KEY, 'condor-1')).toBe(1);
    } finally {
      direct.disconnect();
    }
    const back = await fetch(`${app.url}/api/strategies/condor-1`);
    expect(back.status).toBe(200);
    expect(await back.json()).toEqual(saved);
  });

  it('lists saved strategies by name with their leg count', async () => {
    expect((await put('a-straddle', { ...condor, strategy: { ...condor.strategy, legs: condor.strategy.legs.slice(0, 2) } })).status).toBe(200);
    const list = (await (await fetch(`${app.url}/api/strategies`)).json()) as StrategyList;
    expect(list.strategies.map((s) => [s.name, s.legs])).toEqual([['a-straddle', 2], ['condor-1', 4]]);
  });

  it('rejects invalid bodies with every offending field path, and writes nothing', async () => {
    const bad = {
      strategy: {
        spot: -1, rate: 0.03, div: 0, extra: 1,
        legs: [
          { kind: 'straddle', qty: 0, strike: 90, expiryDays: 2.5, model: 'bsm', vol: 0.2, steps: 200 },
          { kind: 'call', qty: 1, strike: 0, expiryDays: 30, model: 'bsm', vol: 9, steps: 200 },
        ],
      },
      scenario: { day: 0 },
    };
    const res = await put('bad-one', bad);
    expect(res.status).toBe(400);
    const body = (await res.json()) as HttpErrorBody;
    expect(body.error).toBe('invalid_body');
    const paths = (body.issues ?? []).map((i) => i.path);
    expect(paths).toEqual(expect.arrayContaining([
      '$.strategy.spot', '$.strategy.extra', '$.strategy.legs[0].kind', '$.strategy.legs[0].qty',
      '$.strategy.legs[0].expiryDays', '$.scenario.volShift',
    ]));
    expect(body.message).toContain('$.strategy.legs[0].kind');
    // The second leg passes field rules but fails the cross-field rules once the first ones are fixed.
    const legOnly = await put('bad-two', { ...condor, strategy: { ...condor.strategy, legs: [bad.strategy.legs[1]] } });
    const legBody = (await legOnly.json()) as HttpErrorBody;
    expect(legOnly.status).toBe(400);
    expect((legBody.issues ?? []).map((i) => i.path)).toEqual(['$.strategy.legs[0].strike', '$.strategy.legs[0].vol']);
    expect((await fetch(`${app.url}/api/strategies/bad-one`)).status).toBe(404);
    expect((await put('no-legs', { ...condor, strategy: { ...condor.strategy, legs: [] } })).status).toBe(400);
  });

  it('rejects bad names, bad JSON and unknown methods', async () => {
    const res = await put('bad%20name', condor);
    expect(res.status).toBe(400);
    expect(((await res.json()) as HttpErrorBody).issues?.[0]?.path).toBe('name');
    const json = await fetch(`${app.url}/api/strategies/x`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: '{"strategy":' });
    expect(json.status).toBe(400);
    expect(((await json.json()) as HttpErrorBody).error).toBe('invalid_json');
    expect((await fetch(`${app.url}/api/strategies/x`, { method: 'POST', body: '{}' })).status).toBe(405);
    expect((await fetch(`${app.url}/api/strategies`, { method: 'DELETE' })).status).toBe(405);
  });

  it('deletes a strategy: 200 once, then 404, and it leaves the list', async () => {
    const del = await fetch(`${app.url}/api/strategies/a-straddle`, { method: 'DELETE' });
    expect(del.status).toBe(200);
    expect(await del.json()).toEqual({ name: 'a-straddle', deleted: true });
    expect((await fetch(`${app.url}/api/strategies/a-straddle`, { method: 'DELETE' })).status).toBe(404);
    expect((await fetch(`${app.url}/api/strategies/a-straddle`)).status).toBe(404);
    const list = (await (await fetch(`${app.url}/api/strategies`)).json()) as StrategyList;
    expect(list.strategies.map((s) => s.name)).toEqual(['condor-1']);
  });

  it('answers 503 redis_unavailable, retryable, when Redis is down', async () => {
    await redis.stop();
    await eventually('redis to be seen down', () => (app.redis.state === 'down' ? true : undefined));
    for (const res of [await put('later', condor), await fetch(`${app.url}/api/strategies`), await fetch(`${app.url}/api/strategies/condor-1`),
      await fetch(`${app.url}/api/strategies/condor-1`, { method: 'DELETE' })]) {
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toBe('1');
      expect(await res.json()).toMatchObject({ error: 'redis_unavailable', retryable: true });
    }
  });
});
