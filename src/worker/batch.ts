/**
 * One batch: every queued frame in one `applyFrames` call, then every pending trade out of the engine into the
 * candle histories and the tape. Counts what the engine reports and the receive→post latency of the frames.
 */
import { Stat, TRADE_FIELDS } from '../protocol/worker';
import { CandleHistory } from './candles';
import { stepsToValue } from './decimal';
import { DRAIN_FIELDS, type EngineLike } from './engine';
import type { FrameQueue } from './frameQueue';
import type { Instrument } from './snapshot';

/** The selected instrument's trades since the last snapshot, oldest first, keeping at most `cap`. */
export class TapeBuffer {
  private data: number[] = [];

  constructor(private readonly cap: number) {}

  get length(): number {
    return this.data.length / TRADE_FIELDS;
  }

  push(tsMs: number, price: number, qty: number, aggressor: number): void {
    this.data.push(tsMs, price, qty, aggressor);
    const over = this.data.length - this.cap * TRADE_FIELDS;
    if (over > 0) this.data.splice(0, over);
  }

  take(): Float64Array<ArrayBuffer> {
    const out = Float64Array.from(this.data);
    this.data = [];
    return out;
  }

  clear(): void {
    this.data = [];
  }
}

export class BatchCounters {
  frames = 0;
  snapshots = 0;
  deltas = 0;
  trades = 0;
  rejected = 0;
  stale = 0;
  gaps = 0;
  resyncsRequested = 0;
  applyMs = 0;
  /** Frames applied since the last snapshot, and the sum and minimum of their receipt times. */
  private pendingFrames = 0;
  private pendingSumRecv = 0;
  private pendingOldest = Number.POSITIVE_INFINITY;

  addTiming(frames: number, sumRecvMs: number, oldestRecvMs: number): void {
    this.pendingFrames += frames;
    this.pendingSumRecv += sumRecvMs;
    this.pendingOldest = Math.min(this.pendingOldest, oldestRecvMs);
  }

  /** Writes counters and latency into `stats` as of `postMs`, and starts a new latency window. */
  writeStats(stats: Float64Array, postMs: number): void {
    stats[Stat.FramesApplied] = this.frames;
    stats[Stat.Snapshots] = this.snapshots;
    stats[Stat.Deltas] = this.deltas;
    stats[Stat.Trades] = this.trades;
    stats[Stat.Rejected] = this.rejected;
    stats[Stat.Stale] = this.stale;
    stats[Stat.Gaps] = this.gaps;
    stats[Stat.ResyncsRequested] = this.resyncsRequested;
    stats[Stat.ApplyMs] = this.applyMs;
    const n = this.pendingFrames;
    stats[Stat.LatencyMeanMs] = n > 0 ? postMs - this.pendingSumRecv / n : Number.NaN;
    stats[Stat.LatencyMaxMs] = n > 0 ? postMs - this.pendingOldest : Number.NaN;
    this.pendingFrames = 0;
    this.pendingSumRecv = 0;
    this.pendingOldest = Number.POSITIVE_INFINITY;
  }
}

export interface BatchContext {
  now(): number;
  byId: ReadonlyMap<number, Instrument>;
  candles: Map<number, CandleHistory>;
  tape: TapeBuffer;
  /** Instrument whose trades go to the tape; -1 for none. */
  selectedId: number;
}

export interface BatchResult {
  resync: number[];
  /** The engine's message for rejected frames in this batch, if any were rejected. */
  rejectedError: string | null;
  /** Set if the engine threw (a bug: bad data is supposed to be counted, not thrown). */
  thrown: string | null;
}

const DRAIN_CAPACITY = 256;
const drainScratch = new Float64Array(DRAIN_FIELDS * DRAIN_CAPACITY);

/** Applies the queued frames; null when nothing was queued. */
export function applyBatch(engine: EngineLike, queue: FrameQueue, counters: BatchCounters, ctx: BatchContext):
  BatchResult | null {
  const result: BatchResult = { resync: [], rejectedError: null, thrown: null };
  const t0 = ctx.now();
  let timing;
  try {
    timing = queue.take((bytes) => {
      const summary = engine.applyFrames(bytes);
      try {
        counters.frames += summary.frames;
        counters.snapshots += summary.snapshots;
        counters.deltas += summary.deltas;
        counters.trades += summary.trades;
        counters.rejected += summary.rejected;
        counters.stale += summary.stale;
        counters.gaps += summary.gaps;
        result.resync = Array.from(summary.resyncInstruments);
        if (summary.rejected > 0) result.rejectedError = summary.error ?? `${summary.rejected} frame(s) rejected`;
      } finally {
        summary.free();
      }
    });
  } catch (err) {
    result.thrown = err instanceof Error ? err.message : String(err);
    timing = null;
  }
  if (!timing && !result.thrown) return null;
  counters.applyMs = ctx.now() - t0;
  if (timing) counters.addTiming(timing.frames, timing.sumRecvMs, timing.oldestRecvMs);
  drainTrades(engine, ctx);
  return result;
}

function drainTrades(engine: EngineLike, ctx: BatchContext): void {
  for (;;) {
    const n = Math.min(DRAIN_CAPACITY, engine.drainTrades(drainScratch));
    for (let i = 0; i < n; i++) {
      const at = i * DRAIN_FIELDS;
      const id = drainScratch[at] ?? -1;
      const inst = ctx.byId.get(id);
      if (!inst) continue;
      const ts = drainScratch[at + 1] ?? 0;
      const price = drainScratch[at + 2] ?? 0;
      const qty = drainScratch[at + 3] ?? 0;
      let history = ctx.candles.get(id);
      if (!history) {
        history = new CandleHistory();
        ctx.candles.set(id, history);
      }
      history.add(ts, price, qty);
      if (id === ctx.selectedId) {
        ctx.tape.push(ts, stepsToValue(price, inst.price), stepsToValue(qty, inst.lot), drainScratch[at + 4] ?? 0);
      }
    }
    if (n < DRAIN_CAPACITY) return;
  }
}
