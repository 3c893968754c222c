/**
 * The backend's Redis connection (ioredis) and its observable state.
 *
 * Requests must fail fast when Redis is unreachable rather than hang a browser's save: the offline queue is
 * off (a command issued while disconnected rejects at once) and every command has a timeout. Reconnection runs
 * forever in the background with capped exponential backoff, so Redis going away never takes the process down,
 * and market data, which never touches Redis, keeps flowing.
 *
 * State: `connecting` until the first connection is ready or fails; `ready`; `down` after a failed attempt or a
 * lost connection, until a reconnect is ready again. Only transitions are logged.
 */
import { Redis } from 'ioredis';
import { describeError, type Logger } from '../log.js';

export type RedisState = 'ready' | 'connecting' | 'down';

export interface RedisStatus {
  state: RedisState;
  /** Connection URL without credentials. */
  url: string;
  /** True when this backend started the redis-server itself. */
  owned: boolean;
  port: number;
}

/** Thrown for a command that could not run because Redis is not reachable (or did not answer in time). */
export class RedisUnavailableError extends Error {
  constructor(cause: string) {
    super(`redis unavailable: ${cause}`);
    this.name = 'RedisUnavailableError';
  }
}

export interface RedisClientOptions {
  url: string;
  owned: boolean;
  logger: Logger;
  commandTimeoutMs?: number;
}

export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '<unparseable url>';
  }
}

export class RedisClient {
  private readonly redis: Redis;
  private current: RedisState = 'connecting';
  private closed = false;
  private readonly displayUrl: string;
  private readonly port: number;

  constructor(private readonly opts: RedisClientOptions) {
    this.displayUrl = redactUrl(opts.url);
    this.port = Number(new URL(opts.url).port || 6379);
    this.redis = new Redis(opts.url, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      commandTimeout: opts.commandTimeoutMs ?? 2000,
      connectTimeout: 2000,
      connectionName: 'ferrodesk',
      retryStrategy: (times: number) => Math.min(100 * 2 ** Math.min(times - 1, 5), 2000),
    });
    this.redis.on('ready', () => this.transition('ready', 'connected'));
    this.redis.on('error', (err: Error) => this.transition('down', describeError(err)));
    this.redis.on('close', () => {
      if (!this.closed) this.transition('down', 'connection closed');
    });
  }

  get state(): RedisState {
    return this.current;
  }

  status(): RedisStatus {
    return { state: this.current, url: this.displayUrl, owned: this.opts.owned, port: this.port };
  }

  /** Resolves once ready, or rejects after `timeoutMs` (the client keeps retrying either way). */
  waitReady(timeoutMs: number): Promise<void> {
    if (this.current === 'ready') return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.redis.off('ready', onReady);
        reject(new RedisUnavailableError(`not ready after ${timeoutMs} ms`));
      }, timeoutMs);
      const onReady = (): void => {
        clearTimeout(timer);
        resolve();
      };
      this.redis.once('ready', onReady);
    });
  }

  async get(key: string): Promise<string | null> {
    return this.run(() => this.redis.get(key));
  }

  /** SET; resolves only after Redis acknowledged the write. */
  async set(key: string, value: string): Promise<void> {
    await this.run(() => this.redis.set(key, value));
  }

  /** SET `key` and SADD `member` to the set `index` in one MULTI/EXEC; resolves once Redis acknowledged both. */
  async setIndexed(key: string, value: string, index: string, member: string): Promise<void> {
    await this.run(async () => RedisClient.checkExec(await this.redis.multi().set(key, value).sadd(index, member).exec()));
  }

  /** DEL `key` and SREM `member` from `index` atomically; true when the key existed. */
  async delIndexed(key: string, index: string, member: string): Promise<boolean> {
    return this.run(async () => {
      const results = RedisClient.checkExec(await this.redis.multi().del(key).srem(index, member).exec());
      return results[0] === 1;
    });
  }

  /**
   * SET every `[key, value]` and ZADD `member` with `score` to the sorted set `index` in one MULTI/EXEC: Redis
   * applies all of it or none of it. Resolves once Redis acknowledged the transaction.
   */
  async setScored(entries: ReadonlyArray<readonly [string, string]>, index: string, score: number, member: string): Promise<void> {
    await this.run(async () => {
      const tx = this.redis.multi();
      for (const [key, value] of entries) tx.set(key, value);
      RedisClient.checkExec(await tx.zadd(index, score, member).exec());
    });
  }

  /** DEL `keys` and ZREM `member` from `index` in one MULTI/EXEC; true when the member was in the index. */
  async delScored(keys: readonly string[], index: string, member: string): Promise<boolean> {
    return this.run(async () => {
      const results = RedisClient.checkExec(await this.redis.multi().del(...keys).zrem(index, member).exec());
      return results[1] === 1;
    });
  }

  /** Members of the sorted set `index` from rank `start` to `stop` (inclusive), highest score first, and its size. */
  async rangeByScoreDesc(index: string, start: number, stop: number): Promise<{ members: string[]; total: number }> {
    return this.run(async () => {
      const [members, total] = RedisClient.checkExec(await this.redis.multi().zrevrange(index, start, stop).zcard(index).exec());
      return { members: members as string[], total: total as number };
    });
  }

  async members(index: string): Promise<string[]> {
    return this.run(() => this.redis.smembers(index));
  }

  async mget(keys: string[]): Promise<Array<string | null>> {
    if (keys.length === 0) return [];
    return this.run(() => this.redis.mget(...keys));
  }

  private static checkExec(replies: Array<[Error | null, unknown]> | null): unknown[] {
    if (replies === null) throw new Error('transaction aborted');
    return replies.map(([err, value]) => {
      if (err) throw err;
      return value;
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    try {
      await this.redis.quit();
    } catch {
      this.redis.disconnect();
    }
  }

  private async run<T>(command: () => Promise<T>): Promise<T> {
    if (this.current !== 'ready') throw new RedisUnavailableError(`connection is ${this.current}`);
    try {
      return await command();
    } catch (err) {
      // Errors Redis itself returned (ReplyError) are bugs or data problems, not unavailability.
      if (err instanceof Error && err.name === 'ReplyError') throw err;
      throw new RedisUnavailableError(describeError(err));
    }
  }

  private transition(next: RedisState, why: string): void {
    if (next === this.current || this.closed) return;
    const previous = this.current;
    this.current = next;
    const fields = { from: previous, to: next, url: this.displayUrl };
    if (next === 'ready') this.opts.logger.info('redis.ready', `redis ready at ${this.displayUrl}`, fields);
    else this.opts.logger.warn('redis.down', `redis unavailable at ${this.displayUrl}: ${why}`, fields);
  }
}
