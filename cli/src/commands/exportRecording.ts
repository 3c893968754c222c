// `ferrodesk export-recording`: a feed the backend recorded to Redis Streams (docs/protocol.md, "Recording") → an
// Arrow IPC dataset file (docs/datasets.md), read with XRANGE one page at a time and written one record batch per
// page, so memory stays bounded whatever the stream's length. The file is written atomically.
import { closeSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { Redis } from 'ioredis';
import { intFlag, parseFlags, strFlag, UsageError } from '../args.js';
import type { Command } from '../command.js';
import { loadWasm } from '../wasm.js';
import { gridScale, RecordingConverter, RecordingError } from '../recording.js';
import { DatasetFileWriter, FLAG_LAST, type DatasetMeta } from '../../../src/dataset/index.js';
import type { InstrumentInfo } from '../../../src/protocol/messages.js';
import { recordingStreamKey, SESSIONS_KEY, sessionInstrumentsKey } from '../../../src/protocol/recording.js';

/** The shared feed's instrument list (`--feed publish`); the fallback for sessions recorded without their own. */
const FEED_INSTRUMENTS_KEY = 'ferrodesk:v1:feed:instruments'; // server/src/feed/types.ts

const errText = (e: unknown): string => (e instanceof Error ? e.message : String(e));

function parseRedisUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UsageError(`--redis '${raw}': not a URL (expected redis://HOST:PORT or rediss://...)`);
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') {
    throw new UsageError(`--redis '${raw}': scheme is '${url.protocol}', expected redis: or rediss:`);
  }
  return raw;
}

async function connect(url: string): Promise<Redis> {
  const redis = new Redis(url, {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    connectTimeout: 5000,
    commandTimeout: 10_000,
    retryStrategy: () => null,
  });
  redis.on('error', () => { /* reported by connect() or the failing command */ });
  try {
    await redis.connect();
  } catch (e) {
    redis.disconnect();
    throw new UsageError(`--redis '${url}': cannot connect: ${errText(e)}`);
  }
  return redis;
}

function parseInstruments(key: string, raw: string): InstrumentInfo[] {
  let v: unknown;
  try {
    v = JSON.parse(raw);
  } catch (e) {
    throw new UsageError(`${key}: not JSON: ${errText(e)}`);
  }
  if (!Array.isArray(v)) throw new UsageError(`${key}: expected a JSON array of instruments`);
  return v.map((x: unknown, i) => {
    const o = x as Partial<InstrumentInfo> | null;
    if (!o || typeof o.symbol !== 'string' || typeof o.venue !== 'string' || typeof o.tickSize !== 'string' ||
      typeof o.lotSize !== 'string' || typeof o.priceDecimals !== 'number' || typeof o.qtyDecimals !== 'number') {
      throw new UsageError(`${key}: instrument ${i} lacks symbol, venue, tickSize, lotSize, priceDecimals or qtyDecimals`);
    }
    return o as InstrumentInfo;
  });
}

/** The session (given or newest) and its instruments. */
async function resolveSession(redis: Redis, given: string | undefined): Promise<{ session: string; instruments: InstrumentInfo[] }> {
  const sessions = (await redis.smembers(SESSIONS_KEY)).sort();
  if (sessions.length === 0) throw new UsageError(`--redis: no recorded sessions (the set ${SESSIONS_KEY} is empty)`);
  const session = given ?? sessions[sessions.length - 1] ?? '';
  if (!sessions.includes(session)) {
    throw new UsageError(`--session '${session}': no such recorded session (recorded: ${sessions.join(', ')})`);
  }
  const own = await redis.get(sessionInstrumentsKey(session));
  if (own !== null) return { session, instruments: parseInstruments(sessionInstrumentsKey(session), own) };
  const feed = await redis.get(FEED_INSTRUMENTS_KEY);
  if (feed !== null) return { session, instruments: parseInstruments(FEED_INSTRUMENTS_KEY, feed) };
  throw new UsageError(`--session '${session}': its instruments are not recorded (no ${sessionInstrumentsKey(session)} ` +
    `nor ${FEED_INSTRUMENTS_KEY}), so ticks and lots cannot be scaled`);
}

/** Stream entry fields as name → bytes. */
function fieldMap(raw: Buffer[]): Map<string, Uint8Array> {
  const m = new Map<string, Uint8Array>();
  for (let i = 0; i + 1 < raw.length; i += 2) m.set((raw[i] ?? Buffer.alloc(0)).toString('utf8'), raw[i + 1] ?? Buffer.alloc(0));
  return m;
}

export const exportRecording: Command = {
  summary: 'export a feed recorded to Redis Streams (backend --record) as an Arrow IPC dataset file',
  usage:
    'ferrodesk export-recording --redis URL [--session ID] --symbol SYMBOL --out FILE.arrow [--page N]\n' +
    '  Reads ferrodesk:v1:rec:<session>:<symbol> with XRANGE, --page entries at a time (default 1000, 10..100000),\n' +
    '  applies the stream\'s reading rules (docs/protocol.md, "Recording") and writes one record batch per page.\n' +
    '  --session defaults to the newest recorded session. The file is written atomically; see docs/datasets.md.',
  async run(argv) {
    const flags = parseFlags(argv, {
      redis: { value: true, required: true },
      session: { value: true },
      symbol: { value: true },
      out: { value: true, required: true },
      page: { value: true },
    });
    const url = parseRedisUrl(strFlag(flags, 'redis') ?? '');
    const page = intFlag(flags, 'page', 1000, 10, 100_000);
    const out = strFlag(flags, 'out') ?? '';
    const redis = await connect(url);
    try {
      const { session, instruments } = await resolveSession(redis, strFlag(flags, 'session'));
      const symbols = instruments.map((i) => i.symbol);
      const symbol = strFlag(flags, 'symbol');
      if (symbol === undefined) {
        throw new UsageError(`missing required flag '--symbol' (session ${session} recorded: ${symbols.join(', ')})`);
      }
      const info = instruments.find((i) => i.symbol === symbol);
      if (!info) throw new UsageError(`--symbol '${symbol}': not in session ${session} (recorded: ${symbols.join(', ')})`);
      const key = recordingStreamKey(session, symbol);
      if ((await redis.exists(key)) === 0) {
        throw new UsageError(`--symbol '${symbol}': session ${session} has no stream ${key} (trimmed or never written)`);
      }
      let priceScale: bigint;
      let qtyScale: bigint;
      try {
        priceScale = gridScale(`${symbol} tickSize`, info.tickSize, info.priceDecimals);
        qtyScale = gridScale(`${symbol} lotSize`, info.lotSize, info.qtyDecimals);
      } catch (e) {
        throw new UsageError(`--symbol '${symbol}': ${errText(e)}`);
      }
      const meta: DatasetMeta = {
        venue: info.venue === 'sim' ? 'ferrodesk-sim' : info.venue,
        symbol,
        priceDecimals: info.priceDecimals,
        qtyDecimals: info.qtyDecimals,
      };
      const wasm = await loadWasm();
      const tmp = join(dirname(out), `.${basename(out)}.${process.pid}.tmp`);
      let fd: number;
      try {
        fd = openSync(tmp, 'wx');
      } catch (e) {
        throw new UsageError(`--out: cannot write '${out}': ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
      }
      const conv = new RecordingConverter(priceScale, qtyScale);
      let rows = 0;
      let first = 0n;
      let last = 0n;
      let prev: [bigint, number, number] | undefined;
      try {
        const writer = new DatasetFileWriter(meta, {
          sink: (part) => void writeSync(fd, part),
          metadata: { producer: 'ferrodesk', source: `recording:${session}:${symbol}` },
        });
        let start = '-';
        for (;;) {
          const entries = await redis.xrangeBuffer(key, start, '+', 'COUNT', page);
          for (const [id, raw] of entries) conv.entry(id.toString('utf8'), fieldMap(raw));
          const cols = conv.take();
          const n = cols.kind.length;
          if (n > 0) {
            try {
              wasm.validateEvents(cols.tsRecv, cols.tsEvent, cols.kind, cols.side, cols.price, cols.qty, cols.flags, rows, prev?.[0], prev?.[1], prev?.[2]);
            } catch (e) {
              throw new RecordingError(`stream ${key}: converted rows are not a valid dataset: ${errText(e)}`);
            }
            if (rows === 0) first = cols.tsRecv[0] ?? 0n;
            last = cols.tsRecv[n - 1] ?? 0n;
            prev = [last, cols.kind[n - 1] ?? 0, cols.flags[n - 1] ?? 0];
            rows += n;
            await writer.write(cols);
          }
          const lastEntry = entries[entries.length - 1];
          if (entries.length < page || !lastEntry) break;
          start = `(${lastEntry[0].toString('utf8')}`;
        }
        if (prev && (prev[2] & FLAG_LAST) === 0) throw new RecordingError(`stream ${key}: ends inside a group`);
        const bytes = await writer.close();
        closeSync(fd);
        renameSync(tmp, out);
        const summary = {
          out, bytes, session, symbol, stream: key, events: rows,
          span: { first_ts_recv: String(first), last_ts_recv: String(last), seconds: Number(last - first) / 1e9 },
          meta: { venue: meta.venue, symbol, price_decimals: meta.priceDecimals, qty_decimals: meta.qtyDecimals },
          recording: conv.stats,
        };
        process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
      } catch (e) {
        try { closeSync(fd); } catch { /* already closed */ }
        rmSync(tmp, { force: true });
        if (e instanceof UsageError) throw e;
        throw new UsageError(`--symbol '${symbol}' (${key}): ${errText(e)}`);
      }
    } finally {
      redis.disconnect();
    }
    return 0;
  },
};
