/**
 * Runs one simulator per instrument on its own timer and publishes each step as encoded binary frames.
 *
 * Frames are encoded once per step and the same bytes are fanned out to every subscriber. Within a step the
 * trade frame is published before the delta frame that removes the liquidity it consumed. Snapshots are encoded
 * on demand and cached until the book's sequence moves, so many clients resyncing at once cost one encode.
 */
import type { InstrumentInfo } from '../../../src/protocol/messages.js';
import { encodeLevels, encodeTrades, FrameKind } from '../../../src/protocol/wire.js';
import { nowNs } from '../clock.js';
import { SIM_INSTRUMENTS, type InstrumentSpec } from './instruments.js';
import { MarketSimulator } from './simulator.js';

export interface StepFrames {
  instrumentId: number;
  /** The book's sequence after this step. */
  seq: bigint;
  /** Trade batch frame, or null when the step printed no trades. */
  trades: Uint8Array | null;
  /** Delta batch frame, or null when the step changed no level. */
  deltas: Uint8Array | null;
}

export interface SnapshotFrame {
  seq: bigint;
  frame: Uint8Array;
}

export interface InstrumentStats {
  id: number;
  symbol: string;
  seq: string;
  lastTradeId: string;
  batches: number;
  bestBid: number;
  bestAsk: number;
}

export interface MarketOptions {
  seed: number;
  /** Calm-market batches per second per instrument; bursts run faster. */
  batchesPerSecond: number;
  instruments?: readonly InstrumentSpec[];
  /** Called when a listener throws; the market keeps running and the other listeners still get the step. */
  onListenerError: (err: unknown) => void;
}

type Listener = (frames: StepFrames) => void;

interface Feed {
  sim: MarketSimulator;
  timer: NodeJS.Timeout | null;
  batches: number;
  lastTradeId: bigint;
  snapshot: SnapshotFrame | null;
}

export class Market {
  private readonly feeds = new Map<number, Feed>();
  private readonly symbols = new Map<string, InstrumentInfo>();
  private readonly listeners = new Set<Listener>();
  private readonly baseDelayMs: number;
  private readonly onListenerError: (err: unknown) => void;
  private running = false;

  constructor(opts: MarketOptions) {
    this.baseDelayMs = 1000 / opts.batchesPerSecond;
    this.onListenerError = opts.onListenerError;
    for (const spec of opts.instruments ?? SIM_INSTRUMENTS) {
      const sim = new MarketSimulator(spec, opts.seed);
      this.feeds.set(spec.info.id, { sim, timer: null, batches: 0, lastTradeId: 0n, snapshot: null });
      this.symbols.set(spec.info.symbol, spec.info);
    }
  }

  instruments(): InstrumentInfo[] {
    return [...this.feeds.values()].map((f) => f.sim.info);
  }

  bySymbol(symbol: string): InstrumentInfo | undefined {
    return this.symbols.get(symbol);
  }

  /** Registers a listener for every step of every instrument; returns the function that removes it. */
  onStep(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The current book of an instrument as an encoded snapshot frame. */
  snapshot(instrumentId: number): SnapshotFrame {
    const feed = this.feed(instrumentId);
    if (feed.snapshot?.seq !== feed.sim.currentSeq) {
      const snap = feed.sim.snapshot();
      const frame = encodeLevels(
        { kind: FrameKind.Snapshot, instrumentId, seqFirst: snap.seq, seqLast: snap.seq, tsEventNs: snap.tsEventNs || nowNs() },
        snap.levels,
      );
      feed.snapshot = { seq: snap.seq, frame };
    }
    return feed.snapshot;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    for (const feed of this.feeds.values()) this.schedule(feed);
  }

  stop(): void {
    this.running = false;
    for (const feed of this.feeds.values()) {
      if (feed.timer) clearTimeout(feed.timer);
      feed.timer = null;
    }
  }

  stats(): InstrumentStats[] {
    return [...this.feeds.values()].map((f) => {
      const { bid, ask } = f.sim.touch();
      return {
        id: f.sim.info.id,
        symbol: f.sim.info.symbol,
        seq: f.sim.currentSeq.toString(),
        lastTradeId: f.lastTradeId.toString(),
        batches: f.batches,
        bestBid: bid,
        bestAsk: ask,
      };
    });
  }

  /** Runs one step of an instrument now and publishes it, outside the timer (tests, tools). */
  stepNow(instrumentId: number): StepFrames {
    return this.runStep(this.feed(instrumentId));
  }

  private feed(instrumentId: number): Feed {
    const feed = this.feeds.get(instrumentId);
    if (!feed) throw new RangeError(`instrument id ${instrumentId} is not simulated here`);
    return feed;
  }

  private schedule(feed: Feed): void {
    if (!this.running) return;
    feed.timer = setTimeout(() => {
      this.runStep(feed);
      this.schedule(feed);
    }, feed.sim.nextDelayMs(this.baseDelayMs));
  }

  private runStep(feed: Feed): StepFrames {
    const batch = feed.sim.step(nowNs());
    const instrumentId = batch.instrumentId;
    feed.batches += 1;
    feed.lastTradeId = batch.tradeIdLast;
    const frames: StepFrames = {
      instrumentId,
      seq: batch.seqLast,
      trades:
        batch.trades.length > 0
          ? encodeTrades(
              { kind: FrameKind.Trades, instrumentId, seqFirst: batch.tradeIdFirst, seqLast: batch.tradeIdLast, tsEventNs: batch.tsEventNs },
              batch.trades,
            )
          : null,
      deltas:
        batch.deltas.length > 0
          ? encodeLevels(
              { kind: FrameKind.Delta, instrumentId, seqFirst: batch.seqFirst, seqLast: batch.seqLast, tsEventNs: batch.tsEventNs },
              batch.deltas,
            )
          : null,
    };
    for (const listener of this.listeners) {
      try {
        listener(frames);
      } catch (err) {
        this.onListenerError(err);
      }
    }
    return frames;
  }
}
