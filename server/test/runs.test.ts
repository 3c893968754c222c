/**
 * Saved backtest runs over HTTP against an in-process server and a real redis-server: create (201, acknowledged
 * after Redis has it), list newest first without curves and by page, read back with the curve, delete, every
 * rejection naming field, value and reason, the body size limit, and that a run is never half-saved: a client
 * dropping its upload mid-body writes nothing, and after the backend (built, as a child process) or redis-server
 * is killed (SIGKILL) during a burst of saves, every listed run has its record and its curve, and every
 * acknowledged run is there.
 */
import { request } from 'node:http';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HttpErrorBody } from '../../src/protocol/messages.js';
import { MAX_CURVE_POINTS, SUMMARY_KEYS, type RunCreated, type RunInput, type RunList, type SavedRun } from '../../src/protocol/runs.js';
import type { App } from '../src/app.js';
import type { OwnedRedis } from '../src/redis/owned.js';
import { RUN_BODY_LIMIT_BYTES } from '../src/runs/routes.js';
import { curveKey, RUN_INDEX_KEY, runKey } from '../src/runs/store.js';
import { eventually, spawnServer, startRedis, startTestApp, tempDir } from './helpers.js';

let dir: Awaited<ReturnType<typeof tempDir>>;
let redis: OwnedRedis;
let app: App;

const T0 = 1_767_225_600_000_000_000;

function curveOf(points: number): RunInput['curve'] {
  const ts: number[] = [];
  const equity: number[] = [];
  const position: number[] = [];
  for (let i = 0; i < points; i++) {
    ts.push(T0 + i * 1e9);
    equity.push(Math.round(1000 * Math.sin(i / 50)) / 100);
    position.push((i % 7) - 3);
  }
  return { ts, equity, position };
}

function runInput(name: string, latencyNs: number, points = 120): RunInput {
  const summary = Object.fromEntries(SUMMARY_KEYS.map((k, i) => [k, i * 1.5 - 3])) as RunInput['summary'];
  return {
    name,
    strategy: { kind: 'mm', params: { spreadTicks: 2, requoteTicks: 1 } },
    config: {
      feedLatency: { kind: 'constant', ns: latencyNs },
      orderLatency: { kind: 'lognormal', medianNs: 200_000, sigma: 0.5 },
      fees: { makerBps: -0.5, takerBps: 2 },
      fillModel: { kind: 'queue' },
      seed: 7,
    },
    dataset: { hash: 'ab'.repeat(32), name: 'btcusdt-2026-01-01.arrow', events: 1_234_567, venue: 'binance', symbol: 'BTCUSDT' },
    engineVersion: '0.3.0',
    summary,
    curve: curveOf(points),
  };
}

const post = (body: unknown): Promise<Response> =>
  fetch(`${app.url}/api/runs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) });

async function issuesOf(res: Response): Promise<HttpErrorBody> {
  expect(res.status).toBe(400);
  return (await res.json()) as HttpErrorBody;
}

async function listAll(): Promise<RunList> {
  return (await (await fetch(`${app.url}/api/runs?limit=200`)).json()) as RunList;
}

beforeAll(async () => {
  dir = await tempDir('runs');
  redis = await startRedis(dir.path);
  app = await startTestApp({ redisUrl: redis.url, redisCommandTimeoutMs: 800 });
  await app.redis.waitReady(5000);
});

afterAll(async () => {
  await app?.close();
  await redis?.stop();
  await dir?.remove();
});

describe('/api/runs', () => {
  let first: RunCreated;

  it('saves a run (201 with id and Location) and reads it back with its curve', async () => {
    const input = runInput('mm latency 0', 0);
    const res = await post(input);
    expect(res.status).toBe(201);
    first = (await res.json()) as RunCreated;
    expect(first.id).toMatch(/^[0-9a-z]{8,40}$/);
    expect(res.headers.get('location')).toBe(`/api/runs/${first.id}`);
    expect(Date.parse(first.createdAt)).not.toBeNaN();
    const back = await fetch(`${app.url}/api/runs/${first.id}`);
    expect(back.status).toBe(200);
    const saved = (await back.json()) as SavedRun;
    expect(saved).toEqual({ ...input, id: first.id, createdAt: first.createdAt, points: 120 });
    const direct = new Redis(redis.url);
    try {
      expect(await direct.zscore(RUN_INDEX_KEY, first.id)).toBe(String(Date.parse(first.createdAt)));
      expect(JSON.parse((await direct.get(curveKey(first.id))) ?? 'null')).toEqual(input.curve);
      expect(JSON.parse((await direct.get(runKey(first.id))) ?? 'null')).toMatchObject({ v: 1, id: first.id, run: { name: input.name } });
    } finally {
      direct.disconnect();
    }
  });

  it('lists runs newest first, without curves, by page', async () => {
    const ids = [first.id];
    for (const latency of [1_000_000, 5_000_000, 20_000_000]) {
      const res = await post(runInput(`mm latency ${latency}`, latency));
      expect(res.status).toBe(201);
      ids.push(((await res.json()) as RunCreated).id);
    }
    const all = await listAll();
    expect(all.total).toBe(4);
    expect(all.runs.map((r) => r.id)).toEqual([...ids].reverse());
    expect(all.runs.every((r) => !('curve' in r) && r.points === 120)).toBe(true);
    expect(all.runs[0]).toMatchObject({ name: 'mm latency 20000000', dataset: { symbol: 'BTCUSDT' }, engineVersion: '0.3.0' });
    const page1 = (await (await fetch(`${app.url}/api/runs?limit=3`)).json()) as RunList;
    expect(page1).toMatchObject({ total: 4, offset: 0, limit: 3, nextOffset: 3 });
    expect(page1.runs.map((r) => r.id)).toEqual(all.runs.slice(0, 3).map((r) => r.id));
    const page2 = (await (await fetch(`${app.url}/api/runs?limit=3&offset=3`)).json()) as RunList;
    expect(page2).toMatchObject({ total: 4, offset: 3, nextOffset: null });
    expect(page2.runs.map((r) => r.id)).toEqual([first.id]);
  });

  it('rejects bad query parameters, naming each', async () => {
    const res = await fetch(`${app.url}/api/runs?limit=0&offset=-1&sort=name`);
    expect(res.status).toBe(400);
    const body = (await res.json()) as HttpErrorBody;
    expect(body.error).toBe('invalid_query');
    expect(body.issues?.map((i) => [i.path, i.value])).toEqual([['offset', '-1'], ['limit', '0'], ['sort', 'name']]);
  });

  it('rejects invalid bodies with the path, value and reason of every problem, and writes nothing', async () => {
    const before = (await listAll()).total;
    const good = runInput('x', 0);
    const bad = {
      ...good,
      name: 'n'.repeat(81),
      strategy: { kind: 'MM!', params: [] },
      dataset: { ...good.dataset, hash: 'xyz', events: -1 },
      summary: { ...good.summary, sharpe: 'high', extra: 1 },
      engineVersion: '0.3\n',
      createdAt: '2020-01-01T00:00:00Z',
    };
    const body = await issuesOf(await post(bad));
    expect(body.error).toBe('invalid_body');
    const byPath = new Map((body.issues ?? []).map((i) => [i.path, i]));
    expect([...byPath.keys()]).toEqual(expect.arrayContaining([
      '$.name', '$.strategy.kind', '$.strategy.params', '$.dataset.hash', '$.dataset.events', '$.summary.sharpe',
      '$.summary.extra', '$.createdAt', '$.engineVersion',
    ]));
    expect(byPath.get('$.dataset.hash')).toMatchObject({ value: 'xyz', reason: expect.stringContaining('SHA-256') as unknown });
    expect(byPath.get('$.summary.sharpe')).toMatchObject({ value: 'high', reason: 'expected a number, got string' });
    expect(byPath.get('$.name')?.reason).toContain('1 to 80 characters');
    expect(byPath.get('$.engineVersion')?.reason).toBe('control character U+000A at 3');
    expect(body.message).toContain('$.dataset.hash');

    const missing = await issuesOf(await post({ ...good, summary: { events: 1 } }));
    expect(missing.issues?.map((i) => i.path)).toContain('$.summary.max_drawdown');

    const curve = await issuesOf(await post({
      ...good,
      curve: { ts: [T0 + 2, T0 + 1, T0 + 3], equity: [1, null, 3], position: [0, 0] },
    }));
    expect(curve.issues).toEqual([{ path: '$.curve.equity[1]', value: null, reason: 'expected a finite number, got null' }]);
    const shape = await issuesOf(await post({ ...good, curve: { ts: [T0 + 2e6, T0 + 1e6], equity: [1, 2], position: [0] } }));
    expect(shape.issues?.map((i) => i.path)).toEqual(['$.curve.position', '$.curve.ts[1]']);

    const json = await post('{"name":');
    expect(json.status).toBe(400);
    expect(((await json.json()) as HttpErrorBody).error).toBe('invalid_json');
    expect((await post([])).status).toBe(400);
    expect((await listAll()).total).toBe(before);
  });

  it(`rejects a curve over ${MAX_CURVE_POINTS} points naming the field, and accepts exactly ${MAX_CURVE_POINTS}`, async () => {
    const input = runInput('long', 0, MAX_CURVE_POINTS + 1);
    const body = await issuesOf(await post(input));
    expect(body.issues?.[0]).toEqual({ path: '$.curve.ts', value: MAX_CURVE_POINTS + 1, reason: `expected at most ${MAX_CURVE_POINTS} points, got ${MAX_CURVE_POINTS + 1}` });
    const full = await post(runInput('full', 0, MAX_CURVE_POINTS));
    expect(full.status).toBe(201);
    const { id } = (await full.json()) as RunCreated;
    const saved = (await (await fetch(`${app.url}/api/runs/${id}`)).json()) as SavedRun;
    expect(saved.curve.ts).toHaveLength(MAX_CURVE_POINTS);
    expect(saved.points).toBe(MAX_CURVE_POINTS);
  });

  it('refuses a body over the size limit with 413', async () => {
    const before = (await listAll()).total;
    const res = await post({ ...runInput('big', 0), config: { blob: 'x'.repeat(RUN_BODY_LIMIT_BYTES) } });
    expect(res.status).toBe(413);
    expect(((await res.json()) as HttpErrorBody).error).toBe('payload_too_large');
    expect((await listAll()).total).toBe(before);
  });

  it('answers 404 for unknown ids, 400 for malformed ones, 405 for other methods', async () => {
    const unknown = await fetch(`${app.url}/api/runs/0000000000000000`);
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as HttpErrorBody).error).toBe('not_found');
    expect((await fetch(`${app.url}/api/runs/0000000000000000`, { method: 'DELETE' })).status).toBe(404);
    const bad = await fetch(`${app.url}/api/runs/NOT%20AN%20ID`);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as HttpErrorBody).issues?.[0]).toMatchObject({ path: 'id', value: 'NOT AN ID' });
    expect((await fetch(`${app.url}/api/runs/${first.id}`, { method: 'PUT', body: '{}' })).status).toBe(405);
    expect((await fetch(`${app.url}/api/runs`, { method: 'DELETE' })).status).toBe(405);
  });

  it('deletes a run with its curve: 200 once, then 404, and it leaves the list', async () => {
    const del = await fetch(`${app.url}/api/runs/${first.id}`, { method: 'DELETE' });
    expect(del.status).toBe(200);
    expect(await del.json()).toEqual({ id: first.id, deleted: true });
    expect((await fetch(`${app.url}/api/runs/${first.id}`, { method: 'DELETE' })).status).toBe(404);
    expect((await fetch(`${app.url}/api/runs/${first.id}`)).status).toBe(404);
    expect((await listAll()).runs.map((r) => r.id)).not.toContain(first.id);
    const direct = new Redis(redis.url);
    try {
      expect(await direct.exists(runKey(first.id), curveKey(first.id))).toBe(0);
    } finally {
      direct.disconnect();
    }
  });

  it('writes nothing when the client drops its upload mid-body', async () => {
    const before = (await listAll()).total;
    const text = JSON.stringify(runInput('dropped', 0, 2000));
    const { port } = new URL(app.url);
    await new Promise<void>((resolve) => {
      const req = request({ host: '127.0.0.1', port, method: 'POST', path: '/api/runs', headers: { 'content-type': 'application/json', 'content-length': String(text.length) } });
      req.on('error', () => resolve());
      req.on('close', () => resolve());
      req.write(text.slice(0, text.length >> 1), () => setTimeout(() => req.destroy(), 50));
    });
    // A later request on a new connection is served, and the dropped run is not there.
    expect((await listAll()).total).toBe(before);
  });
});

/** Every id in the index has both keys, and every run key is in the index. */
async function checkWhole(url: string): Promise<string[]> {
  const direct = new Redis(url);
  try {
    const ids = await direct.zrange(RUN_INDEX_KEY, 0, -1);
    for (const id of ids) expect(await direct.exists(runKey(id), curveKey(id)), `run ${id} is listed but incomplete`).toBe(2);
    const keys = await direct.keys(`${runKey('')}*`);
    for (const key of keys) {
      const id = key.slice(runKey('').length).replace(/:curve$/, '');
      expect(await direct.zscore(RUN_INDEX_KEY, id), `${key} is stored but not listed`).not.toBeNull();
    }
    return ids;
  } finally {
    direct.disconnect();
  }
}

describe('no half-saved run', () => {
  it('a reader polling during concurrent saves never sees a listed run without its curve', async () => {
    const reader = new Redis(redis.url);
    let stop = false;
    let checks = 0;
    const poll = (async () => {
      while (!stop) {
        // One MULTI: the index and the keys are read at one point in time.
        const ids = await reader.zrevrange(RUN_INDEX_KEY, 0, 9);
        if (ids.length) {
          const replies = await reader.multi().zrevrange(RUN_INDEX_KEY, 0, 9).mget(...ids.flatMap((id) => [runKey(id), curveKey(id)])).exec();
          const listed = new Set(replies?.[0]?.[1] as string[]);
          const values = replies?.[1]?.[1] as Array<string | null>;
          ids.forEach((id, i) => {
            if (listed.has(id)) {
              expect(values[2 * i], `record of ${id}`).not.toBeNull();
              expect(values[2 * i + 1], `curve of ${id}`).not.toBeNull();
            }
          });
          checks++;
        }
        await new Promise((r) => setImmediate(r));
      }
    })();
    try {
      const results = await Promise.all(Array.from({ length: 40 }, (_, i) => post(runInput(`burst ${i}`, i * 1000, 800))));
      expect(results.map((r) => r.status)).toEqual(Array(40).fill(201));
    } finally {
      stop = true;
      await poll;
      reader.disconnect();
    }
    expect(checks).toBeGreaterThan(0);
    await checkWhole(redis.url);
  });

  it('after the backend process is killed during a burst of saves, runs are whole and every acknowledged one is there', async () => {
    const server = await spawnServer(['--port', '0', '--seed', '1', '--redis-url', redis.url]);
    const acknowledged: string[] = [];
    try {
      const body = JSON.stringify(runInput('crash', 0, MAX_CURVE_POINTS));
      const saving = Array.from({ length: 120 }, () =>
        fetch(`${server.url}/api/runs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body })
          .then(async (res) => {
            if (res.status === 201) acknowledged.push(((await res.json()) as RunCreated).id);
            return res.status;
          }, () => 0));
      await eventually('a first acknowledged save', () => (acknowledged.length > 0 ? true : undefined));
      server.proc.kill('SIGKILL');
      const statuses = await Promise.all(saving);
      expect(statuses.every((s) => s === 201 || s === 0)).toBe(true);
    } finally {
      await server.stop('SIGKILL');
    }
    const ids = new Set(await checkWhole(redis.url));
    for (const id of acknowledged) expect(ids.has(id), `acknowledged run ${id} is listed`).toBe(true);
  });

  it('after redis-server is killed during a burst of saves and restarted, runs are whole and every acknowledged one is there', async () => {
    const acknowledged: string[] = [];
    const saving = Array.from({ length: 60 }, (_, i) => post(runInput(`kill ${i}`, i, 1500)).then(async (res) => {
      if (res.status === 201) acknowledged.push(((await res.json()) as RunCreated).id);
      return res.status;
    }, () => 0));
    // Kill as soon as some saves have been acknowledged and others are still in flight.
    await eventually('a first acknowledged save', () => (acknowledged.length > 0 ? true : undefined));
    process.kill(redis.pid, 'SIGKILL');
    const statuses = await Promise.all(saving);
    expect(statuses.every((s) => s === 201 || s === 503)).toBe(true);
    await redis.exited;
    redis = await startRedis(dir.path, redis.port);
    await app.redis.waitReady(10_000);
    const ids = new Set(await checkWhole(redis.url));
    for (const id of acknowledged) expect(ids.has(id), `acknowledged run ${id} survived`).toBe(true);
    for (const id of ids) {
      const res = await fetch(`${app.url}/api/runs/${id}`);
      expect(res.status).toBe(200);
      expect(((await res.json()) as SavedRun).curve.ts.length).toBeGreaterThan(0);
    }
  });
});
