/**
 * Records the market feed to Redis Streams without ever slowing the fan-out.
 *
 * The market calls `onStep` synchronously for every step; the recorder only appends the step's already-encoded
 * frames to a bounded in-memory queue and returns. A separate loop drains the queue in pipelined batches of
 * `XADD key MAXLEN ~ N * k <kind> seq <seq> f <frame bytes>` on its own Redis connection (so a burst of XADDs
 * never queues ahead of a user's save on the main connection). When the queue is full the newest entries are
 * dropped and counted; when Redis fails a batch, that batch and everything queued behind it are dropped and
 * counted (they would no longer chain). Either way a gap opens: the next entry accepted is preceded by a `gap`
 * entry (what was lost, as JSON) and a fresh snapshot of every instrument, so a reader of a stream always finds
 * continuous sequence numbers from the latest snapshot on; the gap is listed in `status()` and logged.
 *
 * Stream per instrument and session: `ferrodesk:v1:rec:<session>:<symbol>`; the session id is the UTC start time
 * (`20261122T183000Z`), listed in the set `ferrodesk:v1:rec:sessions`; the session's instruments (tick and lot sizes)
 * are the JSON string `ferrodesk:v1:rec:<session>`. Retention is MAXLEN (approximate trimming,
 * which Redis does in whole macro-nodes and cheaply).
 */
import { Redis } from 'ioredis';
import { recordingStreamKey, RECORDING_PREFIX, sessionInstrumentsKey, SESSIONS_KEY } from '../../../src/protocol/recording.js';
import { describeError, type Logger } from '../log.js';
import type { MarketFeed } from '../feed/types.js';
import type { StepFrames } from '../sim/market.js';

export { RECORDING_PREFIX, SESSIONS_KEY, sessionInstrumentsKey };

export interface RecorderOptions {
  redisUrl: string;
  market: MarketFeed;
  logger: Logger;
  /** Entries held while Redis is slow; beyond this, new entries are dropped (counted). */
  maxQueue?: number;
  /** Entries per pipelined flush. */
  batchSize?: number;
  /** Approximate MAXLEN of each stream. */
  maxLen?: number;
  /** Redis command timeout for a flush, ms. */
  commandTimeoutMs?: number;
  /** Session id; default: the UTC start time. */
  session?: string;
}

export interface RecorderGap {
  /** Entries lost (dropped from a full queue or in a failed write). */
  dropped: number;
  /** Why: `queue_full` or `redis_error`. */
  reason: 'queue_full' | 'redis_error';
  /** Wall-clock time the first loss happened and the time recording resumed (ms since the epoch). */
  fromMs: number;
  resumedMs: number | null;
}

export interface RecorderStatus {
  state: 'recording' | 'down' | 'stopped';
  session: string;
  queued: number;
  maxQueue: number;
  written: number;
  dropped: number;
  flushes: number;
  gaps: RecorderGap[];
  lastError: string | null;
}

interface Entry {
  key: string;
  /** Field/value pairs: `k` (s snapshot, d deltas, t trades, gap), `seq`, `f` (frame bytes) or `info`. */
  fields: Array<string | Buffer>;
}

const MAX_LISTED_GAPS = 100;

export function sessionId(date = new Date()): string {
  return date.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
}

export class Recorder {
  private readonly queue: Entry[] = [];
  private readonly redis: Redis;
  private readonly maxQueue: number;
  private readonly batchSize: number;
  private readonly maxLen: number;
  private readonly keys = new Map<number, string>();
  private readonly unsubscribe: () => void;
  private state: RecorderStatus['state'] = 'recording';
  private written = 0;
  private dropped = 0;
  private flushes = 0;
  private lastError: string | null = null;
  private readonly gaps: RecorderGap[] = [];
  /** The gap being accumulated (losses not yet followed by a resynchronising snapshot), if any. */
  private openGap: RecorderGap | null = null;
  private flushing: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  readonly session: string;

  constructor(private readonly opts: RecorderOptions) {
    this.maxQueue = opts.maxQueue ?? 100_000;
    this.batchSize = opts.batchSize ?? 512;
    this.maxLen = opts.maxLen ?? 1_000_000;
    this.session = opts.session ?? sessionId();
    for (const info of opts.market.instruments()) {
      this.keys.set(info.id, recordingStreamKey(this.session, info.symbol));
    }
    this.redis = new Redis(opts.redisUrl, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      commandTimeout: opts.commandTimeoutMs ?? 2000,
      retryStrategy: (times) => Math.min(50 * 2 ** Math.min(times, 6), 2000),
      lazyConnect: false,
    });
    this.redis.on('error', (err: Error) => {
      this.lastError = describeError(err);
    });
    this.redis.on('ready', () => {
      if (this.stopped) return;
      this.redis
        .multi()
        .set(sessionInstrumentsKey(this.session), JSON.stringify(opts.market.instruments()))
        .sadd(SESSIONS_KEY, this.session)
        .exec()
        .catch((err: unknown) => {
          this.lastError = describeError(err);
        });
      this.schedule(0);
    });
    // Each instrument starts with a snapshot so the stream is readable from its first entry.
    for (const id of this.keys.keys()) this.enqueueSnapshot(id);
    this.unsubscribe = opts.market.onStep((frames) => this.onStep(frames));
    this.schedule(0);
  }

  /** The market listener: O(1), never awaits, never throws. */
  private onStep(frames: StepFrames): void {
    const key = this.keys.get(frames.instrumentId);
    if (!key || this.stopped) return;
    const seq = frames.seq.toString();
    if (frames.trades) this.push({ key, fields: ['k', 't', 'seq', seq, 'f', Buffer.from(frames.trades)] });
    if (frames.deltas) this.push({ key, fields: ['k', 'd', 'seq', seq, 'f', Buffer.from(frames.deltas)] });
    if (this.queue.length >= this.batchSize) this.schedule(0);
  }

  private push(entry: Entry): void {
    if (this.queue.length >= this.maxQueue) {
      this.lose(1, 'queue_full');
      return;
    }
    if (this.openGap) this.resync();
    this.queue.push(entry);
  }

  private enqueueSnapshot(instrumentId: number): void {
    const key = this.keys.get(instrumentId);
    if (!key) return;
    const snap = this.opts.market.snapshot(instrumentId);
    // Snapshots bypass the bound: at most one per instrument per gap.
    this.queue.push({ key, fields: ['k', 's', 'seq', snap.seq.toString(), 'f', Buffer.from(snap.frame)] });
  }

  private lose(n: number, reason: RecorderGap['reason']): void {
    if (n <= 0) return;
    this.dropped += n;
    if (!this.openGap) this.openGap = { dropped: 0, reason, fromMs: Date.now(), resumedMs: null };
    this.openGap.dropped += n;
  }

  /** Closes the open gap: a `gap` entry and a snapshot per instrument ahead of the next entries. */
  private resync(): void {
    const gap = this.openGap;
    if (!gap) return;
    gap.resumedMs = Date.now();
    const info = JSON.stringify(gap);
    for (const [id, key] of this.keys) {
      this.queue.push({ key, fields: ['k', 'gap', 'info', info] });
      this.enqueueSnapshot(id);
    }
    this.gaps.push(gap);
    if (this.gaps.length > MAX_LISTED_GAPS) this.gaps.shift();
    this.openGap = null;
    this.opts.logger.warn('recorder.gap', `recording resumed after losing ${gap.dropped} entries (${gap.reason})`, {
      session: this.session,
      ...gap,
    });
  }

  private schedule(delayMs: number): void {
    if (this.stopped || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.flush();
    }, delayMs);
  }

  /** Writes queued entries in pipelined batches until the queue is empty or a write fails. */
  private flush(): Promise<void> {
    if (this.flushing) return this.flushing;
    const run = (async () => {
      // Yield once so `this.flushing` is set before the body can finish.
      await Promise.resolve();
      try {
        while (this.queue.length > 0 && !this.stopped) {
          if (this.redis.status !== 'ready') {
            this.state = 'down';
            return;
          }
          const batch = this.queue.splice(0, this.batchSize);
          const pipe = this.redis.pipeline();
          for (const e of batch) pipe.xadd(e.key, 'MAXLEN', '~', this.maxLen, '*', ...e.fields);
          const ok = await this.exec(pipe);
          this.flushes += 1;
          if (!ok) {
            // What is queued behind a lost batch no longer chains: drop it too and resync afterwards.
            this.lose(batch.length + this.queue.splice(0).length, 'redis_error');
            return;
          }
          this.written += batch.length;
          this.state = 'recording';
        }
      } finally {
        this.flushing = null;
        // Keep draining at a steady pace; a failed write retries after a pause.
        this.schedule(this.state === 'down' ? 250 : 20);
      }
    })();
    this.flushing = run;
    return run;
  }

  private async exec(pipe: ReturnType<Redis['pipeline']>): Promise<boolean> {
    try {
      const replies = await pipe.exec();
      const failed = replies?.find(([err]) => err);
      if (!replies || failed) {
        this.lastError = failed?.[0] ? describeError(failed[0]) : 'pipeline aborted';
        this.state = 'down';
        return false;
      }
      return true;
    } catch (err) {
      this.lastError = describeError(err);
      this.state = 'down';
      return false;
    }
  }

  status(): RecorderStatus {
    const gaps = this.openGap ? [...this.gaps, { ...this.openGap }] : [...this.gaps];
    return {
      state: this.stopped ? 'stopped' : this.state,
      session: this.session,
      queued: this.queue.length,
      maxQueue: this.maxQueue,
      written: this.written,
      dropped: this.dropped,
      flushes: this.flushes,
      gaps,
      lastError: this.lastError,
    };
  }

  /** The stream key of an instrument in this session. */
  streamKey(instrumentId: number): string | undefined {
    return this.keys.get(instrumentId);
  }

  /** Stops listening, writes what is queued (bounded by `drainMs`), closes the connection. */
  async stop(drainMs = 2000): Promise<void> {
    if (this.stopped) return;
    this.unsubscribe();
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const deadline = Date.now() + drainMs;
    while (this.queue.length > 0 && this.redis.status === 'ready' && Date.now() < deadline) {
      await this.flush();
      if (this.state === 'down') break;
    }
    this.stopped = true;
    if (this.queue.length) this.lose(this.queue.splice(0).length, 'redis_error');
    this.redis.disconnect();
  }
}
