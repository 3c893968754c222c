import { afterEach, describe, expect, it, vi } from 'vitest';
import { MAX_CURVE_POINTS, SUMMARY_KEYS, type RunInput } from '../../../protocol/runs';
import { deleteRun, describeFailure, getRun, listRuns, saveRun } from './api';

function input(points: number): RunInput {
  return {
    name: 'mm', strategy: { kind: 'mm', params: {} }, config: { seed: 1 }, engineVersion: '0.3.0',
    dataset: { hash: 'ab'.repeat(32), name: 'd', events: 1, venue: 'v', symbol: 's' },
    summary: Object.fromEntries(SUMMARY_KEYS.map((k) => [k, 0])) as RunInput['summary'],
    curve: {
      ts: Array.from({ length: points }, (_, i) => i * 1e9),
      equity: Array.from({ length: points }, (_, i) => Math.sin(i)),
      position: Array.from({ length: points }, () => 0),
    },
  };
}

const json = (status: number, body: unknown): Response =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('runs client', () => {
  it('saveRun posts the run with its curve reduced to the server limit', async () => {
    const fetchFn = vi.fn(async (..._args: [string, RequestInit]) => json(201, { id: 'abc12345', createdAt: '2026-01-01T00:00:00.000Z' }));
    vi.stubGlobal('fetch', fetchFn);
    const r = await saveRun(input(12_000));
    expect(r).toEqual({ ok: true, value: { id: 'abc12345', createdAt: '2026-01-01T00:00:00.000Z' } });
    const [url, init] = fetchFn.mock.calls[0] ?? [];
    expect(url).toBe('/api/runs');
    expect(init?.method).toBe('POST');
    const sent = JSON.parse(String(init?.body)) as RunInput;
    expect(sent.curve.ts.length).toBeLessThanOrEqual(MAX_CURVE_POINTS);
    expect(sent.curve.equity).toHaveLength(sent.curve.ts.length);
    expect(sent.name).toBe('mm');
  });

  it('reports the server’s message, and whether a retry may help', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => json(400, { error: 'invalid_body', message: 'run body has 1 invalid field: $.name (expected 1 to 80 characters, got 81)' })));
    const bad = await saveRun(input(3));
    expect(bad).toEqual({ ok: false, status: 400, message: 'run body has 1 invalid field: $.name (expected 1 to 80 characters, got 81)', retryable: false });
    vi.stubGlobal('fetch', vi.fn(async () => json(503, { error: 'redis_unavailable', message: 'redis unavailable: connection is down', retryable: true })));
    const down = await listRuns();
    expect(down.ok).toBe(false);
    if (!down.ok) expect(describeFailure('Could not list runs', down)).toBe('Could not list runs: redis unavailable: connection is down (try again shortly)');
    vi.stubGlobal('fetch', vi.fn(async () => Promise.reject(new TypeError('Failed to fetch'))));
    expect(await deleteRun('abc12345')).toEqual({ ok: false, status: null, message: 'server unreachable: Failed to fetch', retryable: true });
  });

  it('getRun is null for an unknown id; listRuns refuses a malformed reply', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => json(404, { error: 'not_found', message: 'no run' })));
    expect(await getRun('abc12345')).toEqual({ ok: true, value: null });
    vi.stubGlobal('fetch', vi.fn(async () => json(200, { nope: 1 })));
    expect(await listRuns()).toMatchObject({ ok: false, message: 'unexpected reply listing runs' });
  });
});
