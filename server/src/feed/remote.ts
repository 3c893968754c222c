/**
 * The market of another backend process, received through Redis (`--feed subscribe`): instruments and snapshots
 * from keys the publisher refreshes, steps from its pub/sub channel. Each instrument's book is rebuilt here so this
 * process can serve snapshots to its own clients; steps are passed on to listeners as the same encoded frames, so
 * every backend on the Redis sends its clients identical bytes.
 *
 * Synchronisation per instrument: frames that arrive before a usable snapshot are buffered; a snapshot at
 * sequence S is usable once the buffer holds the delta after it (so nothing between the two is missing); then
 * buffered deltas up to S are skipped and the rest must chain
 * (`seqFirst = previous seqLast + 1`). A break in the chain drops the book and starts again from the next snapshot;
 * listeners see steps only while the book is in sync, so clients never receive a gap from this process either.
 */
import { Redis } from 'ioredis';
import type { InstrumentInfo } from '../../../src/protocol/messages.js';
import { decodeFrames, encodeLevels, encodeTrades, FrameKind, Side, type DecodedFrame } from '../../../src/protocol/wire.js';
import { nowNs } from '../clock.js';
import { describeError, type Logger } from '../log.js';
import type { InstrumentStats, SnapshotFrame, StepFrames } from '../sim/market.js';
import { FEED_CHANNEL, FEED_INSTRUMENTS_KEY, feedSnapshotKey, type MarketFeed } from './types.js';

const MAX_BUFFERED = 10_000;

interface Remote {
  info: InstrumentInfo;
  bids: Map<number, number>;
  asks: Map<number, number>;
  /** Sequence of the book, or null while waiting for a snapshot. */
  seq: bigint | null;
  pending: DecodedFrame[];
  fetching: boolean;
  lastTradeId: bigint;
  batches: number;
  snapshot: SnapshotFrame | null;
}

export class RemoteMarket implements MarketFeed {
  private readonly sub: Redis;
  private readonly cmd: Redis;
  private readonly remotes = new Map<number, Remote>();
  private readonly symbols = new Map<string, InstrumentInfo>();
  private readonly listeners = new Set<(frames: StepFrames) => void>();
  resyncs = 0;

  private constructor(redisUrl: string, private readonly logger: Logger) {
    this.sub = new Redis(redisUrl, { maxRetriesPerRequest: null });
    this.cmd = new Redis(redisUrl, { maxRetriesPerRequest: 1, commandTimeout: 2000 });
    for (const r of [this.sub, this.cmd]) r.on('error', (err: Error) => this.logger.debug('feed.remote_error', describeError(err)));
  }

  /** Connects, reads the publisher's instrument list (waiting up to `timeoutMs` for a publisher) and subscribes. */
  static async connect(redisUrl: string, logger: Logger, timeoutMs = 15_000): Promise<RemoteMarket> {
    const m = new RemoteMarket(redisUrl, logger);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const raw = await m.cmd.get(FEED_INSTRUMENTS_KEY).catch(() => null);
      if (raw) {
        for (const info of JSON.parse(raw) as InstrumentInfo[]) {
          m.symbols.set(info.symbol, info);
          m.remotes.set(info.id, {
            info, bids: new Map(), asks: new Map(), seq: null, pending: [], fetching: false,
            lastTradeId: 0n, batches: 0, snapshot: null,
          });
        }
        break;
      }
      if (Date.now() > deadline) {
        m.close();
        throw new Error(`no feed publisher on this Redis: ${FEED_INSTRUMENTS_KEY} did not appear within ${timeoutMs} ms`);
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    m.sub.on('messageBuffer', (_channel: Buffer, message: Buffer) => m.onMessage(message));
    await m.sub.subscribe(FEED_CHANNEL);
    for (const r of m.remotes.values()) m.resync(r);
    // Serve nothing until every book is in sync: a client's first snapshot must be a real one.
    while ([...m.remotes.values()].some((r) => r.seq === null)) {
      if (Date.now() > deadline) {
        m.close();
        throw new Error(`the published feed did not synchronise within ${timeoutMs} ms (no usable snapshot in Redis)`);
      }
      await new Promise((r) => setTimeout(r, 20));
    }
    return m;
  }

  instruments(): InstrumentInfo[] {
    return [...this.remotes.values()].map((r) => r.info);
  }

  bySymbol(symbol: string): InstrumentInfo | undefined {
    return this.symbols.get(symbol);
  }

  onStep(listener: (frames: StepFrames) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  snapshot(instrumentId: number): SnapshotFrame {
    const r = this.remotes.get(instrumentId);
    if (!r) throw new RangeError(`instrument id ${instrumentId} is not in the feed`);
    // While resynchronising, the last good snapshot stands (its deltas will chain once the book is back).
    if (r.seq === null && r.snapshot) return r.snapshot;
    const seq = r.seq ?? 0n;
    if (r.snapshot?.seq !== seq) {
      const levels = [
        ...[...r.bids].sort((a, b) => b[0] - a[0]).map(([price, qty]) => ({ side: Side.Bid, price, qty })),
        ...[...r.asks].sort((a, b) => a[0] - b[0]).map(([price, qty]) => ({ side: Side.Ask, price, qty })),
      ];
      const frame = encodeLevels({ kind: FrameKind.Snapshot, instrumentId, seqFirst: seq, seqLast: seq, tsEventNs: nowNs() }, levels);
      r.snapshot = { seq, frame };
    }
    return r.snapshot;
  }

  stats(): InstrumentStats[] {
    return [...this.remotes.values()].map((r) => ({
      id: r.info.id,
      symbol: r.info.symbol,
      seq: (r.seq ?? 0n).toString(),
      lastTradeId: r.lastTradeId.toString(),
      batches: r.batches,
      bestBid: r.bids.size ? Math.max(...r.bids.keys()) : NaN,
      bestAsk: r.asks.size ? Math.min(...r.asks.keys()) : NaN,
    }));
  }

  /** The publisher drives the clock; nothing to start or stop here. */
  start(): void {}

  stop(): void {}

  close(): void {
    this.sub.disconnect();
    this.cmd.disconnect();
  }

  private onMessage(message: Buffer): void {
    let frames: DecodedFrame[];
    try {
      frames = decodeFrames(new Uint8Array(message.buffer, message.byteOffset, message.byteLength));
    } catch (err) {
      this.logger.warn('feed.bad_message', `undecodable feed message: ${describeError(err)}`);
      return;
    }
    const first = frames[0];
    const r = first ? this.remotes.get(first.instrumentId) : undefined;
    if (!r) return;
    if (r.seq === null) {
      if (r.pending.length < MAX_BUFFERED) r.pending.push(...frames);
      return;
    }
    this.apply(r, frames);
  }

  /** Applies one step's frames to an in-sync book and passes them on; false on a break in the chain. */
  private apply(r: Remote, frames: DecodedFrame[]): boolean {
    let trades: Uint8Array | null = null;
    let deltas: Uint8Array | null = null;
    for (const f of frames) {
      if (f.kind === FrameKind.Trades) {
        if (f.seqLast <= r.lastTradeId) continue;
        r.lastTradeId = f.seqLast;
        trades = reencode(f);
        continue;
      }
      if (f.kind !== FrameKind.Delta || r.seq === null) continue;
      if (f.seqLast <= r.seq) continue;
      if (f.seqFirst !== r.seq + 1n) {
        this.logger.warn('feed.gap', `${r.info.symbol}: feed jumped from ${r.seq} to ${f.seqFirst}; resynchronising`);
        this.resync(r);
        return false;
      }
      for (const l of f.levels) {
        const side = l.side === Side.Bid ? r.bids : r.asks;
        if (l.qty === 0) side.delete(l.price);
        else side.set(l.price, l.qty);
      }
      r.seq = f.seqLast;
      r.batches += 1;
      deltas = reencode(f);
    }
    if (trades || deltas) {
      const step: StepFrames = { instrumentId: r.info.id, seq: r.seq ?? 0n, trades, deltas };
      for (const l of this.listeners) {
        try {
          l(step);
        } catch (err) {
          this.logger.error('feed.listener_error', describeError(err));
        }
      }
    }
    return true;
  }

  private resync(r: Remote): void {
    if (r.seq !== null) this.snapshot(r.info.id);
    r.seq = null;
    r.bids.clear();
    r.asks.clear();
    this.resyncs += 1;
    if (r.fetching) return;
    r.fetching = true;
    const attempt = async (): Promise<void> => {
      const buf = await this.cmd.getBuffer(feedSnapshotKey(r.info.id)).catch(() => null);
      const snap = buf ? decodeFrames(new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength))[0] : undefined;
      const firstPending = r.pending.find((f) => f.kind === FrameKind.Delta);
      // Usable only when the buffered deltas reach back to it, proving nothing between the snapshot and the live
      // stream is missing (the snapshot key is refreshed twice a second, so a later one will qualify).
      if (!snap || snap.kind !== FrameKind.Snapshot || !firstPending || firstPending.seqFirst > snap.seqLast + 1n) {
        setTimeout(() => void attempt(), 100);
        return;
      }
      for (const l of snap.levels) (l.side === Side.Bid ? r.bids : r.asks).set(l.price, l.qty);
      r.seq = snap.seqLast;
      r.fetching = false;
      const pending = r.pending.splice(0);
      for (const f of pending) if (!this.apply(r, [f])) return;
    };
    void attempt();
  }
}

/** The frame's bytes again (one pub/sub message can carry a step's trade frame and delta frame together). */
function reencode(f: DecodedFrame): Uint8Array {
  const header = { kind: f.kind, instrumentId: f.instrumentId, seqFirst: f.seqFirst, seqLast: f.seqLast, tsEventNs: f.tsEventNs };
  return f.kind === FrameKind.Trades ? encodeTrades(header, f.trades) : encodeLevels(header, f.levels);
}
