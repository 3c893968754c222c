/**
 * Command-line and environment configuration. Flags win over environment variables, which win over defaults.
 * Every rejection names the argument (or variable), the value and the reason.
 */
import { randomInt } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { isIP } from 'node:net';
import { join, resolve } from 'node:path';
import type { Level } from './log.js';

export interface Config {
  host: string;
  port: number;
  staticDir: string | null;
  /** null: start and own a local redis-server. */
  redisUrl: string | null;
  dataDir: string;
  seed: number;
  /** Calm-market batches per second per instrument. */
  rate: number;
  logLevel: Level;
  /** Record the feed to Redis Streams with this approximate MAXLEN per stream; null: no recording. */
  recordMaxLen: number | null;
  /** Browser origins allowed to open WebSocket sessions besides the server's own. */
  allowedOrigins: string[];
  /** Where the market feed comes from (see AppOptions.feed). */
  feed: 'local' | 'publish' | 'subscribe';
  /** Replay these recordings instead of running the simulator (`--replay`); null: the simulator. */
  replay: { sources: Array<{ file: string; venue: string | null }>; speed: number } | null;
}

export const USAGE = `Usage: node build/server/src/main.js [options]

  --port N          TCP port (0 = any free port)            env PORT, default 8787
  --host H          interface to bind                       env HOST, default 127.0.0.1
  --static DIR      serve the built app from DIR (e.g. dist)
  --redis-url URL   use this Redis (redis:// or rediss://)   env REDIS_URL; unset: start a local redis-server
  --data-dir DIR    data directory (local Redis in DIR/redis) env FERRODESK_DATA_DIR, default .data
  --seed N          simulator seed, 0..4294967295           default: random (logged at start)
  --rate N          simulator batches/s per instrument      default 20 (bursts run faster)
  --log-level L     debug | info | warn | error             default info
  --allow-origin L  comma-separated browser origins allowed to open WebSocket sessions besides the server's own
                    (e.g. http://localhost:5173), or *          env FERRODESK_ALLOW_ORIGIN, default: same origin only
  --feed MODE       local: run the simulator; publish: run it and share the feed through Redis; subscribe: serve
                    the feed another backend publishes on the same Redis   env FERRODESK_FEED, default local
  --replay FILES    replay recordings as the live feed instead of the simulator: comma-separated venue recordings
                    (gzip, zip or text) or Arrow dataset files, one instrument each, looping at the end
                                                            env FERRODESK_REPLAY
  --replay-venue V  venue of the recordings: binance-spot, binance-futures, bybit, kraken or coinbase (one for
                    all, or comma-separated, one per file; not needed for Arrow dataset files)
                                                            env FERRODESK_REPLAY_VENUE
  --replay-speed N  replay speed, 1..100 (× recorded time; changeable at PUT /api/feed/speed)   default 1
  --record N        record the feed to Redis Streams, keeping about N entries per instrument stream
                    (XADD MAXLEN ~ N)                        env FERRODESK_RECORD, default: no recording
  --help            print this and exit
`;

export class ConfigError extends Error {
  constructor(source: string, value: string, reason: string) {
    super(`invalid ${source} ${JSON.stringify(value)}: ${reason}`);
    this.name = 'ConfigError';
  }
}

const FLAGS = ['port', 'host', 'static', 'redis-url', 'data-dir', 'seed', 'rate', 'log-level', 'record', 'allow-origin', 'feed',
  'replay', 'replay-venue', 'replay-speed'] as const;
type Flag = (typeof FLAGS)[number];
const HOSTNAME = /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;
const LEVELS: readonly Level[] = ['debug', 'info', 'warn', 'error'];

function parseArgs(argv: readonly string[]): Map<Flag, string> | 'help' {
  const out = new Map<Flag, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--help' || arg === '-h') return 'help';
    const m = /^--([a-z-]+)(?:=(.*))?$/s.exec(arg);
    const flag = FLAGS.find((f) => f === m?.[1]);
    if (!m || flag === undefined) throw new ConfigError('argument', arg, `unknown option (expected one of ${FLAGS.map((f) => `--${f}`).join(', ')})`);
    let value = m[2];
    if (value === undefined) {
      value = argv[i + 1];
      if (value === undefined || value.startsWith('--')) throw new ConfigError(`--${flag}`, '', 'a value is required');
      i += 1;
    }
    out.set(flag, value);
  }
  return out;
}

function integer(source: string, value: string, min: number, max: number): number {
  if (!/^\d+$/.test(value)) throw new ConfigError(source, value, `expected an integer from ${min} to ${max}`);
  const n = Number(value);
  if (n < min || n > max) throw new ConfigError(source, value, `expected an integer from ${min} to ${max}`);
  return n;
}

function host(source: string, value: string): string {
  if (isIP(value) === 0 && !HOSTNAME.test(value)) throw new ConfigError(source, value, 'expected an IP address or a host name');
  return value;
}

function redisUrl(source: string, value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(source, value, 'expected a URL such as redis://127.0.0.1:6379');
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') {
    throw new ConfigError(source, value, `expected the redis: or rediss: scheme, got ${url.protocol}`);
  }
  if (!url.hostname) throw new ConfigError(source, value, 'the URL has no host');
  return value;
}

function staticDir(source: string, value: string, cwd: string): string {
  const dir = resolve(cwd, value);
  if (!existsSync(dir)) throw new ConfigError(source, value, `${dir} does not exist (build the app first: npm run build)`);
  if (!statSync(dir).isDirectory()) throw new ConfigError(source, value, `${dir} is not a directory`);
  if (!existsSync(join(dir, 'index.html'))) throw new ConfigError(source, value, `${dir} has no index.html`);
  return dir;
}

const FEEDS = ['local', 'publish', 'subscribe'] as const;
/** Venue recordings the wasm engine converts (core-wasm/engine/src/venues). */
export const REPLAY_VENUES = ['binance-spot', 'binance-futures', 'bybit', 'kraken', 'coinbase'] as const;

function replaySources(
  files: [string, string],
  venues: [string, string] | null,
  cwd: string,
): Array<{ file: string; venue: string | null }> {
  const list = files[1].split(',').map((f) => f.trim());
  if (list.some((f) => f === '')) throw new ConfigError(files[0], files[1], 'expected comma-separated file paths, none empty');
  const paths = list.map((f) => {
    const path = resolve(cwd, f);
    if (!existsSync(path)) throw new ConfigError(files[0], files[1], `${path} does not exist`);
    if (!statSync(path).isFile()) throw new ConfigError(files[0], files[1], `${path} is not a file`);
    return path;
  });
  const names = venues ? venues[1].split(',').map((v) => v.trim()) : [];
  if (venues) {
    for (const v of names) {
      if (!REPLAY_VENUES.some((k) => k === v)) {
        throw new ConfigError(venues[0], venues[1], `${JSON.stringify(v)} is not a venue (expected ${REPLAY_VENUES.join(', ')})`);
      }
    }
    if (names.length !== 1 && names.length !== paths.length) {
      throw new ConfigError(venues[0], venues[1], `expected one venue for all files or one per file (${paths.length})`);
    }
  }
  return paths.map((file, i) => ({ file, venue: names.length === 0 ? null : (names[names.length === 1 ? 0 : i] as string) }));
}

function originList(source: string, value: string): string[] {
  const list = value.split(',').map((o) => o.trim()).filter((o) => o !== '');
  if (list.length === 0) throw new ConfigError(source, value, 'expected comma-separated origins such as http://localhost:5173, or *');
  for (const o of list) {
    if (o === '*') continue;
    let u: URL;
    try {
      u = new URL(o);
    } catch {
      throw new ConfigError(source, value, `${JSON.stringify(o)} is not an origin (scheme://host[:port])`);
    }
    if ((u.protocol !== 'http:' && u.protocol !== 'https:') || u.pathname !== '/' || u.search || u.hash) {
      throw new ConfigError(source, value, `${JSON.stringify(o)} is not an origin (http(s)://host[:port], no path)`);
    }
  }
  return list;
}

function dataDir(source: string, value: string, cwd: string): string {
  if (value.trim() === '') throw new ConfigError(source, value, 'expected a directory path');
  const dir = resolve(cwd, value);
  if (existsSync(dir) && !statSync(dir).isDirectory()) throw new ConfigError(source, value, `${dir} exists and is not a directory`);
  return dir;
}

/**
 * @returns the configuration, or 'help' when --help was given.
 * @throws ConfigError
 */
export function parseConfig(argv: readonly string[], env: NodeJS.ProcessEnv, cwd: string): Config | 'help' {
  const args = parseArgs(argv);
  if (args === 'help') return 'help';
  /** The flag's value, else the environment variable's, with the name to cite in errors. */
  const pick = (flag: Flag, envName?: string): [string, string] | null => {
    const v = args.get(flag);
    if (v !== undefined) return [`--${flag}`, v];
    const e = envName === undefined ? undefined : env[envName];
    if (envName !== undefined && e !== undefined && e !== '') return [`${envName} (environment)`, e];
    return null;
  };
  const port = pick('port', 'PORT');
  const hostArg = pick('host', 'HOST');
  const stat = pick('static');
  const redis = pick('redis-url', 'REDIS_URL');
  const data = pick('data-dir', 'FERRODESK_DATA_DIR');
  const seed = pick('seed');
  const rate = pick('rate');
  const level = pick('log-level');
  const record = pick('record', 'FERRODESK_RECORD');
  const origins = pick('allow-origin', 'FERRODESK_ALLOW_ORIGIN');
  const feedArg = pick('feed', 'FERRODESK_FEED');
  const replayArg = pick('replay', 'FERRODESK_REPLAY');
  const replayVenue = pick('replay-venue', 'FERRODESK_REPLAY_VENUE');
  const replaySpeed = pick('replay-speed');
  if (!replayArg && (replayVenue || replaySpeed)) {
    const [source, value] = (replayVenue ?? replaySpeed) as [string, string];
    throw new ConfigError(source, value, 'only meaningful with --replay');
  }
  const feed = feedArg ? FEEDS.find((f) => f === feedArg[1]) : 'local';
  if (feedArg && feed === undefined) throw new ConfigError(feedArg[0], feedArg[1], `expected one of ${FEEDS.join(', ')}`);
  if (replayArg && feed === 'subscribe') {
    throw new ConfigError(replayArg[0], replayArg[1], 'a subscribing backend serves the feed of another one and replays nothing');
  }
  const logLevel = level ? LEVELS.find((l) => l === level[1]) : 'info';
  if (level && logLevel === undefined) throw new ConfigError(level[0], level[1], `expected one of ${LEVELS.join(', ')}`);
  return {
    port: port ? integer(port[0], port[1], 0, 65535) : 8787,
    host: hostArg ? host(hostArg[0], hostArg[1]) : '127.0.0.1',
    staticDir: stat ? staticDir(stat[0], stat[1], cwd) : null,
    redisUrl: redis ? redisUrl(redis[0], redis[1]) : null,
    dataDir: data ? dataDir(data[0], data[1], cwd) : resolve(cwd, '.data'),
    seed: seed ? integer(seed[0], seed[1], 0, 0xffffffff) : randomInt(0, 0xffffffff),
    rate: rate ? integer(rate[0], rate[1], 1, 1000) : 20,
    logLevel: logLevel ?? 'info',
    recordMaxLen: record ? integer(record[0], record[1], 1000, 1_000_000_000) : null,
    allowedOrigins: origins ? originList(origins[0], origins[1]) : [],
    feed: feed ?? 'local',
    replay: replayArg
      ? {
          sources: replaySources(replayArg, replayVenue, cwd),
          speed: replaySpeed ? integer(replaySpeed[0], replaySpeed[1], 1, 100) : 1,
        }
      : null,
  };
}
