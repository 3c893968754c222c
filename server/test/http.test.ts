/**
 * HTTP API and static files against an in-process server backed by a real redis-server.
 */
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HealthResponse, HttpErrorBody, SavedWorkspace } from '../../src/protocol/messages.js';
import type { App } from '../src/app.js';
import type { OwnedRedis } from '../src/redis/owned.js';
import { startRedis, startTestApp, tempDir } from './helpers.js';

let dir: Awaited<ReturnType<typeof tempDir>>;
let redis: OwnedRedis;
let app: App;
let staticDir: string;

const workspace = { instrument: 'BTC-USD', theme: 'dark', panels: { ladder: 0.3, chart: 0.7 }, grouping: 5 };

async function put(name: string, body: unknown, headers: Record<string, string> = { 'content-type': 'application/json' }): Promise<Response> {
  return fetch(`${app.url}/api/workspace/${name}`, { method: 'PUT', headers, body: typeof body === 'string' ? body : JSON.stringify(body) });
}

beforeAll(async () => {
  dir = await tempDir('http');
  staticDir = join(dir.path, 'dist');
  mkdirSync(join(staticDir, 'assets'), { recursive: true });
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>Ferrodesk</title>');
  writeFileSync(join(staticDir, 'assets', 'app-3f2a.js'), 'export const x = 1;');
  writeFileSync(join(staticDir, 'assets', 'engine_bg.wasm'), Buffer.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]));
  writeFileSync(join(staticDir, 'worker.mjs'), 'self.onmessage = () => {};');
  writeFileSync(join(staticDir, '.env'), 'SECRET=1');
  writeFileSync(join(dir.path, 'outside.txt'), 'outside the root');
  symlinkSync(join(dir.path, 'outside.txt'), join(staticDir, 'link.txt'));
  redis = await startRedis(join(dir.path, 'data'));
  app = await startTestApp({ redisUrl: redis.url, staticDir });
  await app.redis.waitReady(5000);
});

afterAll(async () => {
  await app?.close();
  await redis?.stop();
  await dir?.remove();
});

describe('workspaces', () => {
  it('round-trips through Redis under a versioned key, acknowledged after the write', async () => {
    const res = await put('desk-1', workspace);
    expect(res.status).toBe(200);
    const saved = (await res.json()) as SavedWorkspace;
    expect(saved).toMatchObject({ name: 'desk-1', workspace });
    expect(Date.parse(saved.savedAt)).toBeGreaterThan(Date.now() - 60_000);

    const direct = new Redis(redis.url);
    try {
      const raw = await direct.get('ferrodesk:v1:workspace:desk-1');
      expect(JSON.parse(raw ?? 'null')).toEqual({ v: 1, savedAt: saved.savedAt, workspace });
    } finally {
      direct.disconnect();
    }

    const got = await fetch(`${app.url}/api/workspace/desk-1`);
    expect(got.status).toBe(200);
    expect(got.headers.get('cache-control')).toBe('no-store');
    expect(await got.json()).toEqual(saved);

    const updated = { ...workspace, theme: 'light' };
    expect((await put('desk-1', updated)).status).toBe(200);
    expect(((await (await fetch(`${app.url}/api/workspace/desk-1`)).json()) as SavedWorkspace).workspace).toEqual(updated);
  });

  it('404s a workspace that was never saved', async () => {
    const res = await fetch(`${app.url}/api/workspace/never-saved`);
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: 'not_found', message: 'no workspace named "never-saved"' });
  });

  it('rejects an invalid name', async () => {
    const res = await fetch(`${app.url}/api/workspace/${encodeURIComponent('a b')}`);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'invalid_name', issues: [{ path: 'name', value: 'a b' }] });
    expect((await fetch(`${app.url}/api/workspace/${'x'.repeat(65)}`)).status).toBe(400);
  });

  it('lists every invalid field path, value and reason', async () => {
    const res = await put('desk-2', { instrument: '', theme: 'sepia', panels: { ladder: -0.1 }, grouping: 0 });
    expect(res.status).toBe(400);
    const body = (await res.json()) as HttpErrorBody;
    expect(body.error).toBe('invalid_body');
    expect(body.issues?.map((i) => [i.path, i.value])).toEqual([
      ['$.instrument', ''],
      ['$.theme', 'sepia'],
      ['$.panels.ladder', -0.1],
      ['$.grouping', 0],
    ]);
    expect(body.issues?.every((i) => i.reason.length > 0)).toBe(true);
    expect((await fetch(`${app.url}/api/workspace/desk-2`)).status).toBe(404);
  });

  it('names the position of invalid JSON', async () => {
    const res = await put('desk-3', '{"instrument": "BTC-USD",\n "theme": dark}');
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      error: 'invalid_json',
      message: 'request body is not valid JSON at position 36 (line 2, column 11): unexpected character "d"',
    });
  });

  it('refuses bodies over 64 KiB with 413, declared or chunked', async () => {
    const big = JSON.stringify({ ...workspace, instrument: 'x'.repeat(70_000) });
    const res = await put('desk-4', big);
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ error: 'payload_too_large' });

    const chunked = await new Promise<number>((resolve, reject) => {
      const req = request(`${app.url}/api/workspace/desk-4`, { method: 'PUT', headers: { 'content-type': 'application/json' } }, (r) => {
        r.resume();
        resolve(r.statusCode ?? 0);
      });
      req.on('error', reject);
      for (let i = 0; i < 80; i++) req.write('x'.repeat(1024));
      req.end();
    });
    expect(chunked).toBe(413);
  });

  it('refuses form encodings (accepting fetch\'s text/plain) and unsupported methods', async () => {
    const res = await put('desk-5', workspace, { 'content-type': 'application/x-www-form-urlencoded' });
    expect(res.status).toBe(415);
    expect(await res.json()).toMatchObject({ error: 'unsupported_media_type' });
    expect((await put('desk-5', workspace, { 'content-type': 'text/plain;charset=UTF-8' })).status).toBe(200);
    const del = await fetch(`${app.url}/api/workspace/desk-5`, { method: 'DELETE' });
    expect(del.status).toBe(405);
    expect(del.headers.get('allow')).toBe('GET, HEAD, PUT');
  });
});

describe('health and routing', () => {
  it('reports Redis ready, clients and instruments', async () => {
    const res = await fetch(`${app.url}/api/health`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as HealthResponse;
    expect(body).toMatchObject({ status: 'ok', redis: { state: 'ready', port: redis.port, owned: false }, clients: 0 });
    expect(body.instruments.map((i) => i.symbol)).toEqual(['BTC-USD', 'ETH-USD']);
    expect(body.instruments.every((i) => i.bestBid < i.bestAsk)).toBe(true);
    expect(body.uptimeS).toBeGreaterThanOrEqual(0);
  });

  it('answers unknown API routes with 404 JSON', async () => {
    const res = await fetch(`${app.url}/api/nothing`);
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await res.json()).toEqual({ error: 'not_found', message: 'no route for GET /api/nothing' });
  });
});

describe('static files', () => {
  const get = (path: string, init?: RequestInit): Promise<Response> => fetch(`${app.url}${path}`, init);

  it('serves index.html, scripts and wasm with the right types and caching', async () => {
    const index = await get('/');
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(index.headers.get('cache-control')).toBe('no-cache');
    expect(await index.text()).toContain('Ferrodesk');
    const js = await get('/assets/app-3f2a.js');
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(js.headers.get('cache-control')).toContain('immutable');
    expect((await get('/worker.mjs')).headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    const wasm = await get('/assets/engine_bg.wasm');
    expect(wasm.headers.get('content-type')).toBe('application/wasm');
    expect(new Uint8Array(await wasm.arrayBuffer())).toEqual(new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]));
  });

  it('revalidates with ETag and falls back to index.html for client routes only', async () => {
    const first = await get('/');
    const etag = first.headers.get('etag') ?? '';
    expect((await get('/', { headers: { 'if-none-match': etag } })).status).toBe(304);
    expect(await (await get('/replay/session-4')).text()).toContain('Ferrodesk');
    expect((await get('/assets/missing.js')).status).toBe(404);
  });

  it('never serves outside the root, dotfiles, or through symlinks that leave it', async () => {
    const raw = (path: string): Promise<number> =>
      new Promise((resolve, reject) => {
        const req = request(`${app.url}${path}`, (r) => {
          r.resume();
          resolve(r.statusCode ?? 0);
        });
        req.on('error', reject);
        req.end();
      });
    expect(await raw('/../outside.txt')).toBe(404);
    expect(await raw('/%2e%2e/outside.txt')).toBe(404);
    expect(await raw('/assets/%2e%2e%2f%2e%2e%2foutside.txt')).toBe(404);
    expect(await raw('/..%5coutside.txt')).toBe(404);
    expect(await raw('/%00')).toBe(404);
    expect(await raw('/.env')).toBe(404);
    expect(await raw('/link.txt')).toBe(404);
    expect((await get('/', { method: 'POST' })).status).toBe(405);
  });
});
