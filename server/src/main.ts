/**
 * Entry point: `node build/server/src/main.js [--port N] [--host H] [--static DIR] [--redis-url URL]
 * [--data-dir DIR] [--seed N] [--rate N] [--log-level L]`.
 *
 * Without a Redis URL it starts and owns a local redis-server (see redis/owned.ts). SIGINT/SIGTERM shut down
 * gracefully: stop the market, close WebSockets and HTTP, disconnect and stop the owned Redis, exit 0.
 * Exit codes: 0 clean shutdown, 1 start-up or shutdown failure, 2 invalid arguments.
 */
import { startApp, type App } from './app.js';
import { ConfigError, parseConfig, USAGE, type Config } from './config.js';
import { createLogger, describeError } from './log.js';
import { startOwnedRedis, type OwnedRedis } from './redis/owned.js';

const SHUTDOWN_DEADLINE_MS = 15_000;

function readConfig(): Config {
  try {
    const config = parseConfig(process.argv.slice(2), process.env, process.cwd());
    if (config === 'help') {
      process.stdout.write(USAGE);
      process.exit(0);
    }
    return config;
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`ferrodesk-server: ${err.message}\n\n${USAGE}`);
    process.exit(2);
  }
}

async function main(): Promise<void> {
  const config = readConfig();
  const logger = createLogger({ minLevel: config.logLevel });
  // Filled in by start(); read by the shutdown and exit handlers.
  const running: { owned: OwnedRedis | null; app: App | null } = { owned: null, app: null };

  process.on('exit', () => running.owned?.killSync());

  const start = async (): Promise<void> => {
    if (config.redisUrl === null) {
      const owned = await startOwnedRedis({ dataDir: config.dataDir, logger });
      running.owned = owned;
      void owned.exited.then((code) => {
        if (!shuttingDown) logger.error('redis.exited', `owned redis-server exited unexpectedly (code ${code})`, { code });
      });
    }
    running.app = await startApp({
      host: config.host,
      port: config.port,
      redisUrl: running.owned ? running.owned.url : (config.redisUrl as string),
      redisOwned: running.owned !== null,
      staticDir: config.staticDir,
      seed: config.seed,
      batchesPerSecond: config.rate,
      logger,
      allowedOrigins: config.allowedOrigins,
      feed: config.feed,
      ...(config.replay === null ? {} : { replay: config.replay }),
      ...(config.recordMaxLen === null ? {} : { record: { maxLen: config.recordMaxLen } }),
    });
  };

  let shuttingDown = false;
  const started = start();
  const shutdown = async (signal: string): Promise<void> => {
    if (shuttingDown) {
      logger.warn('process.force_exit', `second ${signal} during shutdown: exiting now`);
      process.exit(1);
    }
    shuttingDown = true;
    logger.info('process.shutdown', `${signal} received: shutting down`);
    const deadline = setTimeout(() => {
      logger.error('process.shutdown_timeout', `shutdown took longer than ${SHUTDOWN_DEADLINE_MS} ms: exiting`);
      process.exit(1);
    }, SHUTDOWN_DEADLINE_MS);
    deadline.unref();
    try {
      // A signal during start-up waits for it, so nothing it started is left behind.
      await started.catch(() => undefined);
      await running.app?.close();
      await running.owned?.stop();
      logger.info('process.exit', 'shutdown complete');
      process.exit(0);
    } catch (err) {
      logger.error('process.shutdown_error', describeError(err));
      process.exit(1);
    }
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

  try {
    await started;
  } catch (err) {
    if (shuttingDown) return;
    logger.error('process.start_failed', `start-up failed: ${describeError(err)}`);
    await running.owned?.stop();
    process.exit(1);
  }
}

void main();
