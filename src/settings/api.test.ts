import { describe, expect, it } from 'vitest';
import type { WorkspaceSettings } from '../protocol/messages';
import { checkFeedSpeed, FeedSpeedApi, saveErrorText, WorkspaceApi, type Fetch } from './api';

const json = (status: number, body: unknown, headers: Record<string, string> = {}): Response =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', ...headers } });

const workspace: WorkspaceSettings = { instrument: 'BTC-USD', theme: 'dark', panels: {} };
const saved = { name: 'w', savedAt: '2024-05-01T10:00:00.000Z', workspace };

function api(reply: () => Promise<Response>): { api: WorkspaceApi; calls: Array<[string, RequestInit | undefined]> } {
  const calls: Array<[string, RequestInit | undefined]> = [];
  const fetchFn: Fetch = (input, init) => {
    calls.push([input, init]);
    return reply();
  };
  return { api: new WorkspaceApi(fetchFn), calls };
}

describe('workspace API', () => {
  it('loads a saved workspace, and treats 404 as nothing saved', async () => {
    expect(await api(async () => json(200, saved)).api.load('w')).toEqual({ ok: true, value: saved });
    expect(await api(async () => json(404, { error: 'not_found', message: 'no workspace "w"' })).api.load('w'))
      .toEqual({ ok: true, value: null });
  });

  it('PUTs JSON to /api/workspace/<name>', async () => {
    const { api: a, calls } = api(async () => json(200, saved));
    const r = await a.save('my-desk', workspace);
    expect(r.ok).toBe(true);
    expect(calls[0]?.[0]).toBe('/api/workspace/my-desk');
    expect(calls[0]?.[1]).toMatchObject({ method: 'PUT', body: JSON.stringify(saved.workspace) });
  });

  it('turns a 503 into a retryable failure with the server-advised delay', async () => {
    const r = await api(async () => json(503, { error: 'redis_unavailable', message: 'Redis is down', retryable: true },
      { 'Retry-After': '1' })).api.save('w', workspace);
    if (r.ok) throw new Error('expected failure');
    expect(r.error).toMatchObject({ status: 503, code: 'redis_unavailable', retryable: true, retryAfterMs: 1000 });
    expect(saveErrorText(r.error)).toBe('Not saved: Redis unavailable — retrying');
  });

  it('reports a 400 with its issues and does not retry it', async () => {
    const issues = [{ path: '$.theme', value: 'blue', reason: 'expected one of "dark", "light"' }];
    const r = await api(async () => json(400, { error: 'invalid_body', message: 'invalid body', issues }))
      .api.save('w', workspace);
    if (r.ok) throw new Error('expected failure');
    expect(r.error.retryable).toBe(false);
    expect(saveErrorText(r.error)).toBe('Not saved: $.theme: expected one of "dark", "light" (got "blue")');
  });

  it('treats a network error or a bodiless 502 as retryable', async () => {
    const down = await api(async () => {
      throw new TypeError('Failed to fetch');
    }).api.load('w');
    if (down.ok) throw new Error('expected failure');
    expect(down.error).toMatchObject({ status: null, code: 'network', retryable: true, message: 'server unreachable' });
    const proxy = await api(async () => new Response('Bad Gateway', { status: 502 })).api.save('w', workspace);
    if (proxy.ok) throw new Error('expected failure');
    expect(proxy.error).toMatchObject({ status: 502, retryable: true, message: 'server error (HTTP 502)' });
  });

  it('refuses a 200 whose body is not a saved workspace', async () => {
    const r = await api(async () => json(200, { name: 'w' })).api.load('w');
    if (r.ok) throw new Error('expected failure');
    expect(r.error.code).toBe('bad_response');
  });
});

describe('feed speed API', () => {
  const state = { replaying: true, speed: 10, min: 1, max: 100, choices: [1, 2, 5, 10, 25, 50, 100],
    sources: [{ file: 'spot.gz', venue: 'binance-spot', symbol: 'BTCUSDT', events: 5, durationS: 1, loops: 0 }] };

  it('PUTs {speed} to /api/feed/speed and returns the new state', async () => {
    const calls: Array<[string, RequestInit | undefined]> = [];
    const a = new FeedSpeedApi(async (input, init) => {
      calls.push([input, init]);
      return json(200, { ...state, speed: 25 });
    });
    expect(await a.set(25)).toEqual({ ok: true, value: { ...state, speed: 25 } });
    expect(calls[0]).toEqual(['/api/feed/speed', expect.objectContaining({ method: 'PUT', body: '{"speed":25}' })]);
  });

  it('reports the server\'s validation issue, a backend that does not replay, and a malformed reply', async () => {
    const issue = { path: 'speed', value: 101, reason: 'expected an integer from 1 to 100' };
    const bad = await new FeedSpeedApi(async () => json(400, { error: 'invalid_body', message: 'x', issues: [issue] })).set(101);
    expect(bad.ok ? null : bad.error).toMatchObject({ status: 400, code: 'invalid_body', issues: [issue] });
    const sim = await new FeedSpeedApi(async () => json(409, { error: 'not_replaying', message: 'not a replay' })).set(5);
    expect(sim.ok ? null : sim.error).toMatchObject({ status: 409, code: 'not_replaying', message: 'not a replay' });
    const odd = checkFeedSpeed({ ...state, replaying: 'yes' });
    expect(odd.ok ? null : odd.error).toMatchObject({ code: 'bad_response', issues: [{ path: 'replaying', value: 'yes' }] });
  });
});
