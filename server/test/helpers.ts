/**
 * Test helpers: real redis-server instances in temp directories, the app in-process or as a child process,
 * and a WebSocket client that queues JSON messages and decoded binary frames.
 * Everything binds 127.0.0.1 and every wait is bounded.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WebSocket, type ClientOptions } from 'ws';
import type { ServerMessage } from '../../src/protocol/messages.js';
import { decodeFrames, FrameKind, type DecodedFrame } from '../../src/protocol/wire.js';
import { startApp, type App, type AppOptions } from '../src/app.js';
import { silentLogger } from '../src/log.js';
import { startOwnedRedis, type OwnedRedis } from '../src/redis/owned.js';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const MAIN_JS = join(ROOT, 'build/server/src/main.js');

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export async function tempDir(prefix: string): Promise<{ path: string; remove(): Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), `ferrodesk-${prefix}-`));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}

/** Polls `check` until it returns a value other than undefined, or fails after `timeoutMs`. */
export async function eventually<T>(what: string, check: () => T | undefined | Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(25);
  }
}

/** A real redis-server in its own data directory. */
export async function startRedis(dataDir: string, port?: number): Promise<OwnedRedis> {
  return startOwnedRedis({ dataDir, logger: silentLogger, ...(port === undefined ? {} : { port }) });
}

export async function startTestApp(opts: Partial<AppOptions> & { redisUrl: string }): Promise<App> {
  return startApp({
    host: '127.0.0.1',
    port: 0,
    redisOwned: false,
    staticDir: null,
    seed: 12345,
    batchesPerSecond: 50,
    logger: silentLogger,
    redisCommandTimeoutMs: 1000,
    ...opts,
  });
}

export const wsUrl = (app: App, query = '?v=1'): string => `${app.url.replace('http', 'ws')}/ws${query}`;

interface Waiter<T> {
  pred: (item: T) => boolean;
  resolve: (item: T) => void;
}

/** A queue that hands each item to the first waiter whose predicate accepts it, else keeps it. */
class Inbox<T> {
  readonly all: T[] = [];
  private readonly pending: T[] = [];
  private readonly waiters: Waiter<T>[] = [];

  push(item: T): void {
    this.all.push(item);
    const i = this.waiters.findIndex((w) => w.pred(item));
    if (i >= 0) this.waiters.splice(i, 1)[0]?.resolve(item);
    else this.pending.push(item);
  }

  take(what: string, pred: (item: T) => boolean, timeoutMs: number): Promise<T> {
    const i = this.pending.findIndex(pred);
    if (i >= 0) return Promise.resolve(this.pending.splice(i, 1)[0] as T);
    return new Promise((resolve, reject) => {
      const waiter: Waiter<T> = {
        pred,
        resolve: (item) => {
          clearTimeout(timer);
          resolve(item);
        },
      };
      const timer = setTimeout(() => {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
      }, timeoutMs);
      this.waiters.push(waiter);
    });
  }
}

export type Frame = DecodedFrame;

export class TestClient {
  readonly json = new Inbox<ServerMessage>();
  readonly frames = new Inbox<Frame>();
  readonly closed: Promise<{ code: number; reason: string }>;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data, isBinary) => {
      const buf = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data instanceof ArrayBuffer ? new Uint8Array(data) : data);
      if (isBinary) for (const f of decodeFrames(new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength))) this.frames.push(f);
      else this.json.push(JSON.parse(buf.toString('utf8')) as ServerMessage);
    });
    this.closed = new Promise((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: reason.toString('utf8') })));
  }

  static connect(url: string, opts: ClientOptions = {}): Promise<TestClient> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, opts);
      const client = new TestClient(ws);
      ws.once('open', () => resolve(client));
      ws.once('error', reject);
    });
  }

  send(msg: object | string): void {
    this.ws.send(typeof msg === 'string' ? msg : JSON.stringify(msg));
  }

  /** Next JSON message of a type (and matching `pred`), skipping others (they stay queued). */
  nextJson<K extends ServerMessage['type']>(
    type: K,
    pred: (m: Extract<ServerMessage, { type: K }>) => boolean = () => true,
    timeoutMs = 5000,
  ): Promise<Extract<ServerMessage, { type: K }>> {
    const match = (m: ServerMessage): m is Extract<ServerMessage, { type: K }> => m.type === type;
    return this.json.take(`a "${type}" message`, (m) => match(m) && pred(m), timeoutMs) as Promise<Extract<ServerMessage, { type: K }>>;
  }

  nextFrame(what: string, pred: (f: Frame) => boolean, timeoutMs = 5000): Promise<Frame> {
    return this.frames.take(what, pred, timeoutMs);
  }

  async close(): Promise<void> {
    if (this.ws.readyState === WebSocket.CLOSED) return;
    this.ws.close();
    await Promise.race([this.closed, sleep(2000).then(() => this.ws.terminate())]);
  }
}

/** The compiled server as a child process. */
export interface ServerProcess {
  proc: ChildProcess;
  url: string;
  stdout: string[];
  stderr: string[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stop(signal?: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Runs `node build/server/src/main.js args` and collects its output; `waitListening` waits for the start line. */
export function runServer(args: string[], env: NodeJS.ProcessEnv = {}): Omit<ServerProcess, 'url'> {
  const proc = spawn(process.execPath, [MAIN_JS, ...args], {
    cwd: ROOT,
    env: { PATH: process.env['PATH'] ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stdout: string[] = [];
  const stderr: string[] = [];
  const lines = (sink: string[]) => {
    let partial = '';
    return (chunk: Buffer): void => {
      const parts = (partial + chunk.toString('utf8')).split('\n');
      partial = parts.pop() ?? '';
      sink.push(...parts);
    };
  };
  proc.stdout.on('data', lines(stdout));
  proc.stderr.on('data', lines(stderr));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    proc.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return {
    proc,
    stdout,
    stderr,
    exited,
    async stop(signal: NodeJS.Signals = 'SIGTERM') {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal);
      const timer = setTimeout(() => proc.kill('SIGKILL'), 20_000);
      const result = await exited;
      clearTimeout(timer);
      return result;
    },
  };
}

export async function spawnServer(args: string[], env: NodeJS.ProcessEnv = {}): Promise<ServerProcess> {
  const run = runServer(args, env);
  const url = await Promise.race([
    eventually('the "listening on" line', () => {
      for (const line of run.stdout) {
        const m = /listening on (http:\/\/[^\s"]+)/.exec(line);
        if (m) return m[1];
      }
      return undefined;
    }, 20_000),
    run.exited.then((e) => {
      throw new Error(`server exited (${e.code ?? e.signal}) before listening: ${run.stderr.join('\n')} ${run.stdout.join('\n')}`);
    }),
  ]);
  return { ...run, url };
}

/** True if `pid` is running; a zombie (exited, not yet reaped by its parent) counts as gone. */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return true;
  }
}

/** The simplest possible L2 book: one map per side. The reference the simulator and the stream are checked against. */
export class ReferenceBook {
  readonly bids = new Map<number, number>();
  readonly asks = new Map<number, number>();
  seq = -1n;

  /** Replaces the book with a snapshot frame's levels. */
  load(frame: Frame): void {
    if (!('levels' in frame)) throw new Error('not a level frame');
    this.bids.clear();
    this.asks.clear();
    this.apply(frame.levels);
    this.seq = frame.seqLast;
  }

  apply(levels: readonly { side: number; price: number; qty: number }[]): void {
    for (const l of levels) {
      const side = l.side === 0 ? this.bids : this.asks;
      if (l.qty === 0) side.delete(l.price);
      else side.set(l.price, l.qty);
    }
  }

  bestBid(): number {
    return Math.max(...this.bids.keys());
  }

  bestAsk(): number {
    return Math.min(...this.asks.keys());
  }

  /** Levels in snapshot order: bids best first, then asks best first. */
  levels(): { side: number; price: number; qty: number }[] {
    const bids = [...this.bids].sort((a, b) => b[0] - a[0]).map(([price, qty]) => ({ side: 0, price, qty }));
    const asks = [...this.asks].sort((a, b) => a[0] - b[0]).map(([price, qty]) => ({ side: 1, price, qty }));
    return [...bids, ...asks];
  }
}

/** Reads delta frames until `book` reaches sequence `seq`, failing on any frame that does not chain onto the last. */
export async function followDeltas(client: TestClient, book: ReferenceBook, seq: bigint): Promise<void> {
  while (book.seq < seq) {
    const f = await client.nextFrame('delta', (x) => x.kind === FrameKind.Delta);
    if (f.kind !== FrameKind.Delta) continue;
    if (f.seqFirst !== book.seq + 1n) throw new Error(`gap: book at ${book.seq}, next delta starts at ${f.seqFirst}`);
    book.apply(f.levels);
    book.seq = f.seqLast;
  }
}
