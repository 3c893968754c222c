/**
 * Composes the backend around an HTTP server: simulator, WebSocket gateway, Redis client, routes, static files.
 * `main.ts` adds configuration, the owned redis-server and signals; tests start this directly.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { StaticFiles } from './http/static.js';
import { createRequestHandler } from './http/routes.js';
import { describeError, type Logger } from './log.js';
import { RedisClient } from './redis/client.js';
import { Market } from './sim/market.js';
import { Gateway } from './ws/gateway.js';
import { DEFAULT_LIMITS, type SessionLimits } from './ws/session.js';
import { WorkspaceStore } from './workspace/store.js';
import { Recorder, type RecorderOptions } from './recorder/recorder.js';
import { FeedPublisher } from './feed/publisher.js';
import { RemoteMarket } from './feed/remote.js';
import type { MarketFeed } from './feed/types.js';
import { loadReplayColumns, ReplayMarket, type ReplaySource } from './feed/replay.js';

export type FeedMode = 'local' | 'publish' | 'subscribe';

export const SERVER_NAME = 'ferrodesk-server/0.1.0';

export interface AppOptions {
  host: string;
  port: number;
  redisUrl: string;
  /** True when the caller started this Redis (reported by /api/health). */
  redisOwned: boolean;
  staticDir: string | null;
  seed: number;
  batchesPerSecond: number;
  logger: Logger;
  limits?: Partial<SessionLimits>;
  redisCommandTimeoutMs?: number;
  /** Browser origins allowed to open WebSocket sessions besides the server's own. */
  allowedOrigins?: readonly string[];
  /**
   * `local`: run the simulator (default); `publish`: run it and share its feed through Redis; `subscribe`: serve the
   * feed another backend publishes on the same Redis (server/src/feed).
   */
  feed?: FeedMode;
  /**
   * Replay these recordings (server/src/feed/replay.ts) instead of running the simulator, at `speed` (1..100) ×
   * recorded time. Not with `feed: 'subscribe'`.
   */
  replay?: { sources: readonly ReplaySource[]; speed: number };
  /** Record the feed to Redis Streams (server/src/recorder); absent: no recording. */
  record?: Omit<RecorderOptions, 'redisUrl' | 'market' | 'logger'>;
}

export interface App {
  host: string;
  port: number;
  /** http://host:port */
  url: string;
  market: MarketFeed;
  /** The replay feed when the backend replays recordings (`market` is then the same object). */
  replay: ReplayMarket | null;
  gateway: Gateway;
  redis: RedisClient;
  recorder: Recorder | null;
  /** Stops the market, closes WebSockets, HTTP connections and the Redis connection. Idempotent. */
  close(): Promise<void>;
}

function listen(server: Server, host: string, port: number): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error): void => reject(err);
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve(server.address() as AddressInfo);
    });
  });
}

async function startReplay(replay: NonNullable<AppOptions['replay']>, logger: Logger): Promise<ReplayMarket> {
  const recordings = [];
  for (const source of replay.sources) {
    const started = performance.now();
    const columns = await loadReplayColumns(source);
    logger.info('replay.loaded', `loaded ${columns.kind.length} events of ${columns.symbol} from ${source.file}`, {
      file: source.file,
      venue: columns.venue,
      symbol: columns.symbol,
      events: columns.kind.length,
      ms: Math.round(performance.now() - started),
    });
    recordings.push({ file: source.file, columns });
  }
  return new ReplayMarket({
    recordings,
    speed: replay.speed,
    onListenerError: (err) => logger.error('market.listener_error', describeError(err)),
  });
}

export async function startApp(opts: AppOptions): Promise<App> {
  const { logger } = opts;
  const staticFiles = opts.staticDir ? await StaticFiles.open(opts.staticDir) : null;
  if (opts.replay && opts.feed === 'subscribe') throw new Error('a subscribing backend cannot replay recordings');
  // Loaded before anything is opened, so a bad recording leaves nothing behind.
  const replay = opts.replay ? await startReplay(opts.replay, logger) : null;
  const redis = new RedisClient({
    url: opts.redisUrl,
    owned: opts.redisOwned,
    logger,
    ...(opts.redisCommandTimeoutMs === undefined ? {} : { commandTimeoutMs: opts.redisCommandTimeoutMs }),
  });
  const feedMode = opts.feed ?? 'local';
  const market: MarketFeed =
    replay ??
    (feedMode === 'subscribe'
      ? await RemoteMarket.connect(opts.redisUrl, logger)
      : new Market({
          seed: opts.seed,
          batchesPerSecond: opts.batchesPerSecond,
          onListenerError: (err) => logger.error('market.listener_error', describeError(err)),
        }));
  const publisher = feedMode === 'publish' ? new FeedPublisher(market, opts.redisUrl, logger) : null;
  const recorder = opts.record ? new Recorder({ ...opts.record, redisUrl: opts.redisUrl, market, logger }) : null;
  const gateway = new Gateway({
    market,
    logger,
    limits: { ...DEFAULT_LIMITS, ...opts.limits },
    serverName: SERVER_NAME,
    allowedOrigins: opts.allowedOrigins ?? [],
  });
  const server = createServer(
    createRequestHandler({
      logger,
      redis,
      workspaces: new WorkspaceStore(redis),
      market,
      replay,
      gateway,
      recorder,
      staticFiles,
      startedAtMs: Date.now(),
    }),
  );
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;
  gateway.attach(server);

  let address: AddressInfo;
  try {
    address = await listen(server, opts.host, opts.port);
  } catch (err) {
    await gateway.close();
    await recorder?.stop(0);
    publisher?.close();
    if (market instanceof RemoteMarket) market.close();
    await redis.close();
    throw new Error(`cannot listen on ${opts.host}:${opts.port}: ${describeError(err)}`);
  }
  market.start();
  const hostForUrl = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${hostForUrl}:${address.port}`;
  logger.info('http.listening', `listening on ${url}`, {
    url,
    seed: opts.seed,
    rate: opts.batchesPerSecond,
    static: opts.staticDir,
    instruments: market.instruments().map((i) => i.symbol),
    recording: recorder ? recorder.session : null,
    feed: feedMode,
    replay: replay ? { speed: replay.speed, sources: replay.sources() } : null,
  });

  let closing: Promise<void> | null = null;
  return {
    host: address.address,
    port: address.port,
    url,
    market,
    replay,
    gateway,
    redis,
    recorder,
    close(): Promise<void> {
      closing ??= (async () => {
        market.stop();
        const httpClosed = new Promise<void>((resolve) => server.close(() => resolve()));
        await gateway.close();
        server.closeAllConnections();
        await httpClosed;
        await recorder?.stop();
        publisher?.close();
        if (market instanceof RemoteMarket) market.close();
        await redis.close();
        logger.info('http.closed', 'server closed', { counters: gateway.counters });
      })();
      return closing;
    },
  };
}
