/**
 * The compiled server as a real process: command line, owned redis-server, persistence across restarts,
 * graceful shutdown on SIGTERM/SIGINT, and clear failures.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HealthResponse, SavedWorkspace } from '../../src/protocol/messages.js';
import { freePort } from '../src/redis/owned.js';
import { ROOT, eventually, isProcessAlive, runServer, spawnServer, tempDir, type ServerProcess } from './helpers.js';

const run = promisify(execFile);
let dir: Awaited<ReturnType<typeof tempDir>>;
const running: ServerProcess[] = [];

async function start(args: string[], env: NodeJS.ProcessEnv = {}): Promise<ServerProcess> {
  const server = await spawnServer(['--port', '0', '--seed', '1', ...args], env);
  running.push(server);
  return server;
}

function ownedRedisPid(server: ServerProcess): number {
  for (const line of server.stdout) {
    const entry = JSON.parse(line) as { event?: string; pid?: number };
    if (entry.event === 'redis.started' && typeof entry.pid === 'number') return entry.pid;
  }
  throw new Error('no redis.started line in the server log');
}

beforeAll(async () => {
  dir = await tempDir('process');
  await run(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(ROOT, 'server/tsconfig.json')], { cwd: ROOT });
}, 120_000);

afterAll(async () => {
  // SIGTERM, so that a server left running by a failed test still stops its redis-server.
  await Promise.all(running.map((s) => s.stop('SIGTERM')));
  await dir?.remove();
});

describe('server process', () => {
  const dataDir = (): string => join(dir.path, 'data');
  const workspace = { instrument: 'BTC-USD', theme: 'dark', panels: { ladder: 0.5, book: 0.5 }, grouping: 10 };

  it('owns a redis-server, persists a workspace and shuts down cleanly on SIGTERM', async () => {
    const server = await start(['--data-dir', dataDir()]);
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const health = await eventually('redis ready', async () => {
      const body = (await (await fetch(`${server.url}/api/health`)).json()) as HealthResponse;
      return body.redis.state === 'ready' ? body : undefined;
    });
    expect(health.redis).toMatchObject({ owned: true, url: expect.stringMatching(/^redis:\/\/127\.0\.0\.1:\d+/) });
    const redisPid = ownedRedisPid(server);
    expect(isProcessAlive(redisPid)).toBe(true);
    expect(existsSync(join(dataDir(), 'redis', 'ferrodesk.lock'))).toBe(true);

    const res = await fetch(`${server.url}/api/workspace/persisted`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(workspace),
    });
    expect(res.status).toBe(200);

    expect(await server.stop('SIGTERM')).toEqual({ code: 0, signal: null });
    expect(server.stdout.some((l) => l.includes('shutdown complete'))).toBe(true);
    expect(isProcessAlive(redisPid)).toBe(false);
    expect(existsSync(join(dataDir(), 'redis', 'ferrodesk.lock'))).toBe(false);
    expect(existsSync(join(dataDir(), 'redis', 'appendonlydir'))).toBe(true);
  });

  it('finds the workspace again after a restart on the same data directory (SIGINT this time)', async () => {
    const server = await start(['--data-dir', dataDir()]);
    const saved = await eventually('the saved workspace', async () => {
      const res = await fetch(`${server.url}/api/workspace/persisted`);
      return res.status === 200 ? ((await res.json()) as SavedWorkspace) : undefined;
    });
    expect(saved.workspace).toEqual(workspace);

    const second = runServer(['--port', '0', '--data-dir', dataDir()]);
    expect((await second.exited).code).toBe(1);
    expect(second.stdout.join('\n')).toMatch(/data directory is in use: .*ferrodesk\.lock is held by running process \d+/);

    expect(await server.stop('SIGINT')).toEqual({ code: 0, signal: null });
  });

  it('after a SIGKILL, the next start stops the orphaned redis-server and keeps the data', async () => {
    const killed = await start(['--data-dir', dataDir()]);
    const orphan = ownedRedisPid(killed);
    expect(await killed.stop('SIGKILL')).toEqual({ code: null, signal: 'SIGKILL' });
    expect(isProcessAlive(orphan)).toBe(true);

    const server = await start(['--data-dir', dataDir()]);
    expect(isProcessAlive(orphan)).toBe(false);
    expect(server.stdout.some((l) => l.includes(`stopping redis-server pid ${orphan}`))).toBe(true);
    const saved = await eventually('the saved workspace', async () => {
      const res = await fetch(`${server.url}/api/workspace/persisted`);
      return res.status === 200 ? ((await res.json()) as SavedWorkspace) : undefined;
    });
    expect(saved.workspace).toEqual(workspace);
    expect(await server.stop('SIGTERM')).toEqual({ code: 0, signal: null });
  });

  it('keeps serving market data when the configured Redis is unreachable', async () => {
    const port = await freePort();
    const server = await start(['--data-dir', dataDir()], { REDIS_URL: `redis://127.0.0.1:${port}` });
    const res = await fetch(`${server.url}/api/health`);
    expect(res.status).toBe(503);
    const body = (await res.json()) as HealthResponse;
    expect(body.redis).toMatchObject({ owned: false, port });
    expect(['connecting', 'down']).toContain(body.redis.state);
    expect(body.instruments).toHaveLength(2);
    const put = await fetch(`${server.url}/api/workspace/x`, { method: 'PUT', body: JSON.stringify(workspace) });
    expect(put.status).toBe(503);
    expect(await server.stop('SIGTERM')).toEqual({ code: 0, signal: null });
  });

  it('exits 2 naming the argument, value and reason on invalid input', async () => {
    const bad = runServer(['--port', 'abc']);
    expect((await bad.exited).code).toBe(2);
    expect(bad.stderr.join('\n')).toContain('invalid --port "abc": expected an integer from 0 to 65535');
    const env = runServer([], { PORT: '99999' });
    expect((await env.exited).code).toBe(2);
    expect(env.stderr.join('\n')).toContain('invalid PORT (environment) "99999"');
    const help = runServer(['--help']);
    expect((await help.exited).code).toBe(0);
    expect(help.stdout.join('\n')).toContain('--redis-url URL');
  });
});
