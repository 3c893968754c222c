/**
 * Publishes the local market's feed for other backend processes on the same Redis (`--feed publish`): every step's
 * encoded frames go out on one pub/sub channel as they are fanned out locally, and every instrument's snapshot is
 * refreshed under a key twice a second so a subscriber can start or resynchronise. Publishing uses its own
 * connection, never awaits in the market's listener and counts what it could not send; local clients are never
 * affected by Redis.
 */
import { Redis } from 'ioredis';
import { describeError, type Logger } from '../log.js';
import type { StepFrames } from '../sim/market.js';
import { FEED_CHANNEL, FEED_INSTRUMENTS_KEY, feedSnapshotKey, type MarketFeed } from './types.js';

const SNAPSHOT_EVERY_MS = 500;
const SNAPSHOT_TTL_MS = 10_000;

export class FeedPublisher {
  private readonly redis: Redis;
  private readonly unsubscribe: () => void;
  private readonly timer: NodeJS.Timeout;
  published = 0;
  failed = 0;

  constructor(private readonly market: MarketFeed, redisUrl: string, private readonly logger: Logger) {
    this.redis = new Redis(redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 0, commandTimeout: 2000 });
    this.redis.on('error', (err: Error) => this.logger.debug('feed.publisher_error', describeError(err)));
    this.unsubscribe = market.onStep((f) => this.publish(f));
    this.timer = setInterval(() => this.refreshSnapshots(), SNAPSHOT_EVERY_MS);
    this.redis.on('ready', () => this.refreshSnapshots());
  }

  private publish(f: StepFrames): void {
    if (this.redis.status !== 'ready') {
      this.failed += 1;
      return;
    }
    const parts = [f.trades, f.deltas].filter((x): x is Uint8Array => x !== null).map((x) => Buffer.from(x));
    if (parts.length === 0) return;
    this.redis.publish(FEED_CHANNEL, Buffer.concat(parts)).then(
      () => {
        this.published += 1;
      },
      () => {
        this.failed += 1;
      },
    );
  }

  private refreshSnapshots(): void {
    if (this.redis.status !== 'ready') return;
    const pipe = this.redis.pipeline();
    pipe.set(FEED_INSTRUMENTS_KEY, JSON.stringify(this.market.instruments()), 'PX', SNAPSHOT_TTL_MS);
    for (const info of this.market.instruments()) {
      pipe.set(feedSnapshotKey(info.id), Buffer.from(this.market.snapshot(info.id).frame), 'PX', SNAPSHOT_TTL_MS);
    }
    pipe.exec().catch(() => undefined);
  }

  close(): void {
    this.unsubscribe();
    clearInterval(this.timer);
    this.redis.disconnect();
  }
}
