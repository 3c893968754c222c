/**
 * A `redis-server` child process owned by this backend (used when no REDIS_URL is configured).
 *
 * It listens on 127.0.0.1 only, on a free port, and keeps its data in `<data-dir>/redis`. Persistence:
 *   --appendonly yes --appendfsync everysec --save ""
 * A saved workspace is acknowledged to the browser only after Redis has confirmed the SET. With the append-only
 * file fsynced every second, a crash of this process or of Redis loses nothing that was acknowledged (the write
 * is in the kernel's page cache), and a power failure loses at most about the last second of writes. That bound
 * is what we choose for UI settings: `always` would fsync on every write for no visible benefit, and RDB
 * snapshots (`save`, disabled here) could lose minutes.
 *
 * A lock file in the data directory keeps two backends from running Redis on the same files.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { describeError, type Logger } from '../log.js';
import { acquireLock, type Lock } from './lock.js';

export interface OwnedRedis {
  port: number;
  url: string;
  dir: string;
  pid: number;
  /** Resolves with the exit code (or null when killed by a signal) once the process has exited. */
  readonly exited: Promise<number | null>;
  /** SIGTERM (Redis fsyncs the AOF and exits), then SIGKILL after `graceMs`. Idempotent. */
  stop(graceMs?: number): Promise<void>;
  /** Synchronous best effort for `process.on('exit')`: sends SIGTERM if still running. */
  killSync(): void;
}

export interface OwnedRedisOptions {
  /** The backend's data directory; Redis uses `<dataDir>/redis`. */
  dataDir: string;
  logger: Logger;
  binary?: string;
  /** A fixed port; by default a free one is picked. */
  port?: number;
  startTimeoutMs?: number;
}

/** Finds a port that is free on 127.0.0.1 right now. */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolvePort(port));
    });
  });
}

/** True once something on 127.0.0.1:port answers a RESP PING with +PONG. */
function pingOnce(port: number, timeoutMs: number): Promise<boolean> {
  return new Promise((resolveOk) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    let reply = '';
    const done = (ok: boolean): void => {
      socket.destroy();
      resolveOk(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.on('error', () => done(false));
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      reply += chunk.toString('latin1');
      if (reply.includes('\r\n')) done(reply.startsWith('+PONG'));
    });
  });
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function logTail(file: string, lines = 8): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

/** redis-server exited during start-up; `detail` is its output, to tell a port race from other failures. */
class StartupExitError extends Error {
  constructor(
    message: string,
    readonly detail: string,
  ) {
    super(message);
    this.name = 'StartupExitError';
  }
}

async function launch(opts: OwnedRedisOptions, dir: string, lock: Lock): Promise<OwnedRedis> {
  const port = opts.port ?? (await freePort());
  const logFile = join(dir, 'redis.log');
  const args = [
    '--port', String(port),
    '--bind', '127.0.0.1',
    '--protected-mode', 'yes',
    '--dir', dir,
    '--appendonly', 'yes',
    '--appendfsync', 'everysec',
    '--save', '',
    '--daemonize', 'no',
    '--logfile', logFile,
    '--pidfile', join(dir, 'redis.pid'),
  ];
  const binary = opts.binary ?? 'redis-server';
  // Its own process group: a terminal's Ctrl-C reaches only us, and we stop Redis after the server has closed.
  const child: ChildProcess = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let output = '';
  const collect = (chunk: Buffer): void => {
    output = (output + chunk.toString('utf8')).slice(-4000);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  let exitCode: number | null | undefined;
  let spawnError: Error | undefined;
  const exited = new Promise<number | null>((resolveExit) => {
    child.on('error', (err) => {
      spawnError = err;
      exitCode = null;
      resolveExit(null);
    });
    child.on('exit', (code) => {
      exitCode = code;
      resolveExit(code);
    });
  });

  const deadline = Date.now() + (opts.startTimeoutMs ?? 10_000);
  for (;;) {
    if (exitCode !== undefined) {
      if (spawnError && 'code' in spawnError && spawnError.code === 'ENOENT') {
        throw new Error(`${binary} not found on PATH: install redis-server (scripts/setup.sh) or pass --redis-url`);
      }
      const detail = (output.trim() || logTail(logFile)).slice(-1500);
      throw new StartupExitError(`redis-server exited during start-up (code ${exitCode}): ${detail}`, detail);
    }
    if (await pingOnce(port, 500)) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`redis-server did not answer PING on 127.0.0.1:${port} within ${opts.startTimeoutMs ?? 10_000} ms`);
    }
    await sleep(50);
  }

  const pid = child.pid as number;
  let stopping: Promise<void> | null = null;
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    dir,
    pid,
    exited,
    stop(graceMs = 10_000): Promise<void> {
      stopping ??= (async () => {
        if (exitCode === undefined) {
          child.kill('SIGTERM');
          const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
          await exited;
          clearTimeout(timer);
        }
        lock.release();
        opts.logger.info('redis.stopped', `redis-server (pid ${pid}) stopped`, { pid, code: exitCode });
      })();
      return stopping;
    },
    killSync(): void {
      if (exitCode === undefined) child.kill('SIGTERM');
      lock.release();
    },
  };
}

/** True if `pid` is a running redis-server (checked through /proc; elsewhere we cannot tell, so false). */
function isRedisServer(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('redis-server');
  } catch {
    return false;
  }
}

/**
 * A redis-server left running on this data directory by a backend that was killed (SIGKILL cannot be caught).
 * We hold the lock, so no live backend owns it: stop it before starting ours on the same files.
 */
async function stopOrphan(dir: string, logger: Logger): Promise<void> {
  let pid: number;
  try {
    pid = Number.parseInt(readFileSync(join(dir, 'redis.pid'), 'utf8').trim(), 10);
  } catch {
    return;
  }
  if (!Number.isSafeInteger(pid) || pid <= 0 || !isRedisServer(pid)) return;
  logger.warn('redis.orphan', `stopping redis-server pid ${pid} left running on ${dir} by a previous backend`, { pid });
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + 10_000;
  while (isRedisServer(pid)) {
    if (Date.now() > deadline) throw new Error(`redis-server pid ${pid} still runs on ${dir} after SIGTERM; stop it by hand`);
    await sleep(50);
  }
}

/**
 * Starts redis-server and waits until it answers PING.
 * @throws Error naming the cause: binary missing, data dir locked by another live backend, start-up failure.
 */
export async function startOwnedRedis(opts: OwnedRedisOptions): Promise<OwnedRedis> {
  const dir = resolve(opts.dataDir, 'redis');
  mkdirSync(dir, { recursive: true });
  const lock = acquireLock(join(dir, 'ferrodesk.lock'));
  try {
    await stopOrphan(dir, opts.logger);
    for (let attempt = 1; ; attempt++) {
      try {
        const redis = await launch(opts, dir, lock);
        opts.logger.info('redis.started', `redis-server (pid ${redis.pid}) on 127.0.0.1:${redis.port}, data in ${dir}`, {
          pid: redis.pid,
          port: redis.port,
          dir,
        });
        return redis;
      } catch (err) {
        // Another process can take the free port between our probe and Redis binding it: try a new port.
        const raced = err instanceof StartupExitError && /address already in use/i.test(err.detail);
        if (!raced || opts.port !== undefined || attempt >= 3) throw err;
        opts.logger.warn('redis.port_race', `port taken during start-up, retrying: ${describeError(err)}`);
      }
    }
  } catch (err) {
    lock.release();
    throw err;
  }
}
