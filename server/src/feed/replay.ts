/**
 * A market feed that replays venue recordings (or dataset files) as if they were live: the third `MarketFeed`
 * besides the simulator (`Market`) and the feed of another backend (`RemoteMarket`).
 *
 * Each file becomes one instrument. Its dataset (docs/datasets.md) is loaded once through the wasm engine, then
 * its atomic groups (snapshot, delta, trade, clear) are played on a timer: a group recorded `t` ms after the first
 * one is played `t / speed` ms of wall time after the replay started, and the recording loops at its end. Every
 * timer tick folds the groups that became due into one trade batch and one delta batch with contiguous sequence
 * numbers, so clients keep the book the same way they do for the simulator. A snapshot group replaces the book:
 * on the wire it is the net level changes (deletes of the levels it drops included), as is a clear and the jump
 * back to the start when the recording loops, so the update sequence never restarts.
 */
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { InstrumentInfo } from '../../../src/protocol/messages.js';
import { Aggressor, encodeLevels, encodeTrades, FrameKind, Side, type LevelUpdate, type TradeRecord } from '../../../src/protocol/wire.js';
import { bytesSource, openDataset } from '../../../src/dataset/index.js';
import { loadWasm } from '../../../cli/src/wasm.js';
import { nowNs } from '../clock.js';
import type { InstrumentStats, SnapshotFrame, StepFrames } from '../sim/market.js';
import type { MarketFeed } from './types.js';

export const MIN_SPEED = 1;
export const MAX_SPEED = 100;
/** The speeds the UI offers; the API accepts any integer in MIN_SPEED..=MAX_SPEED. */
export const SPEED_CHOICES = [1, 2, 5, 10, 25, 50, 100] as const;

const KIND_SNAPSHOT = 0;
const KIND_DELTA = 1;
const KIND_TRADE = 2;
const KIND_CLEAR = 3;
const FLAG_LAST = 1;
/**
 * Most groups played in one timer tick; the rest follow at once in the next tick. Keeps frames and event-loop turns
 * small when the replay has to catch up (a stalled process at 100×).
 */
const MAX_GROUPS_PER_TICK = 2_000;
/** Wall time between the end of a recording and its start again, at 1×. */
const LOOP_GAP_MS = 1_000;

/** One recording's event columns and meta, as loaded. */
export interface ReplayColumns {
  venue: string;
  symbol: string;
  priceDecimals: number;
  qtyDecimals: number;
  tsRecv: BigInt64Array;
  tsEvent: BigInt64Array;
  kind: Uint8Array;
  side: Uint8Array;
  price: BigInt64Array;
  qty: BigInt64Array;
  flags: Uint8Array;
}

export interface ReplaySource {
  file: string;
  /** Venue name for a venue recording; null for an Arrow dataset file (its meta names the venue). */
  venue: string | null;
}

/** What GET /api/feed/speed reports about one replayed file. */
export interface ReplaySourceInfo {
  file: string;
  venue: string;
  symbol: string;
  events: number;
  durationS: number;
  loops: number;
}

export class ReplayLoadError extends Error {
  constructor(file: string, reason: string) {
    super(`cannot replay ${JSON.stringify(file)}: ${reason}`);
    this.name = 'ReplayLoadError';
  }
}

const ARROW_MAGIC = [0x41, 0x52, 0x52, 0x4f, 0x57, 0x31]; // "ARROW1"

/**
 * Reads a venue recording (converted by the wasm engine's venue replay) or an Arrow dataset file.
 * @throws ReplayLoadError naming the file and the reason.
 */
export async function loadReplayColumns(source: ReplaySource): Promise<ReplayColumns> {
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await readFile(source.file));
  } catch (err) {
    throw new ReplayLoadError(source.file, err instanceof Error ? err.message : String(err));
  }
  const wasm = await loadWasm();
  const isArrow = ARROW_MAGIC.every((b, i) => bytes[i] === b);
  let ds;
  try {
    if (isArrow) {
      const reader = await openDataset(bytesSource(bytes));
      const m = reader.meta;
      ds = new wasm.Dataset(m.venue, m.symbol, m.priceDecimals, m.qtyDecimals);
      for await (const c of reader.windows()) ds.append(c.tsRecv, c.tsEvent, c.kind, c.side, c.price, c.qty, c.flags);
    } else {
      if (source.venue === null) {
        throw new Error('not an Arrow dataset file, so --replay-venue must name the venue of this recording');
      }
      ds = wasm.datasetFromRecording(source.venue, bytes);
    }
    ds.finish();
  } catch (err) {
    ds?.free();
    throw new ReplayLoadError(source.file, err instanceof Error ? err.message : String(err));
  }
  try {
    return {
      venue: ds.venue,
      symbol: ds.symbol,
      priceDecimals: ds.priceDecimals,
      qtyDecimals: ds.qtyDecimals,
      tsRecv: ds.tsRecv(),
      tsEvent: ds.tsEvent(),
      kind: ds.kind(),
      side: ds.side(),
      price: ds.price(),
      qty: ds.qty(),
      flags: ds.flags(),
    };
  } finally {
    ds.free();
  }
}

/** `10^-decimals` as a decimal string: 2 → "0.01", 0 → "1". */
export function increment(decimals: number): string {
  return decimals === 0 ? '1' : `0.${'0'.repeat(decimals - 1)}1`;
}

/** A replayed instrument's L2 book: price → quantity per side, with the net changes since the last batch. */
class ReplayBook {
  readonly bids = new Map<number, number>();
  readonly asks = new Map<number, number>();
  private readonly journal = new Map<number, LevelUpdate>();

  set(side: Side, price: number, qty: number): void {
    const levels = side === Side.Bid ? this.bids : this.asks;
    if ((levels.get(price) ?? 0) === qty) return;
    if (qty > 0) levels.set(price, qty);
    else levels.delete(price);
    const key = price * 2 + side;
    const pending = this.journal.get(key);
    if (pending) pending.qty = qty;
    else this.journal.set(key, { side, price, qty });
  }

  clear(): void {
    for (const price of [...this.bids.keys()]) this.set(Side.Bid, price, 0);
    for (const price of [...this.asks.keys()]) this.set(Side.Ask, price, 0);
  }

  takeChanges(): LevelUpdate[] {
    const changes = [...this.journal.values()];
    this.journal.clear();
    return changes;
  }

  best(side: Side): number {
    let best = Number.NaN;
    for (const p of (side === Side.Bid ? this.bids : this.asks).keys()) {
      if (Number.isNaN(best) || (side === Side.Bid ? p > best : p < best)) best = p;
    }
    return best;
  }

  /** Every level, bids best first then asks best first. */
  levels(): LevelUpdate[] {
    const bids = [...this.bids.keys()].sort((a, b) => b - a);
    const asks = [...this.asks.keys()].sort((a, b) => a - b);
    return [
      ...bids.map((price) => ({ side: Side.Bid, price, qty: this.bids.get(price) as number })),
      ...asks.map((price) => ({ side: Side.Ask, price, qty: this.asks.get(price) as number })),
    ];
  }
}

interface Track {
  info: InstrumentInfo;
  file: string;
  cols: ReplayColumns;
  /** Start row of every group, plus the row count at the end. */
  groupStart: Uint32Array;
  /** ms after the recording's first group at which each group was received. */
  groupMs: Float64Array;
  /** Recording length plus the loop gap, ms. */
  loopMs: number;
  book: ReplayBook;
  /** Next group to play. */
  cursor: number;
  /** Recording time (ms, within the current loop) at `anchorWallMs`. */
  anchorPos: number;
  anchorWallMs: number;
  timer: NodeJS.Timeout | null;
  seq: bigint;
  lastTradeId: bigint;
  batches: number;
  loops: number;
  snapshot: SnapshotFrame | null;
}

export interface ReplayMarketOptions {
  /** One entry per instrument; ids are assigned in order from 1. */
  recordings: ReadonlyArray<{ file: string; columns: ReplayColumns }>;
  speed: number;
  onListenerError: (err: unknown) => void;
  /** Wall clock in ms (tests); default performance.now. */
  now?: () => number;
}

/** Validates a replay speed; returns the reason it is rejected, or null. */
export function speedProblem(value: unknown): string | null {
  if (typeof value !== 'number' || !Number.isInteger(value)) return `expected an integer from ${MIN_SPEED} to ${MAX_SPEED}`;
  if (value < MIN_SPEED || value > MAX_SPEED) return `expected an integer from ${MIN_SPEED} to ${MAX_SPEED}`;
  return null;
}

export class ReplayMarket implements MarketFeed {
  private readonly tracks = new Map<number, Track>();
  private readonly symbols = new Map<string, InstrumentInfo>();
  private readonly listeners = new Set<(frames: StepFrames) => void>();
  private readonly onListenerError: (err: unknown) => void;
  private readonly now: () => number;
  private running = false;
  private currentSpeed: number;

  constructor(opts: ReplayMarketOptions) {
    const problem = speedProblem(opts.speed);
    if (problem) throw new RangeError(`replay speed ${opts.speed}: ${problem}`);
    this.currentSpeed = opts.speed;
    this.onListenerError = opts.onListenerError;
    this.now = opts.now ?? (() => performance.now());
    let id = 1;
    for (const { file, columns: cols } of opts.recordings) {
      // Two recordings of one symbol (spot and futures BTCUSDT) stay apart by venue.
      const symbol = this.symbols.has(cols.symbol) ? `${cols.symbol}:${cols.venue}` : cols.symbol;
      if (this.symbols.has(symbol)) throw new ReplayLoadError(file, `instrument ${symbol} is already replayed from another file`);
      const info: InstrumentInfo = {
        id,
        symbol,
        venue: cols.venue,
        tickSize: increment(cols.priceDecimals),
        lotSize: increment(cols.qtyDecimals),
        priceDecimals: cols.priceDecimals,
        qtyDecimals: cols.qtyDecimals,
      };
      const starts: number[] = [0];
      for (let i = 0; i < cols.flags.length; i++) if ((cols.flags[i] as number) & FLAG_LAST) starts.push(i + 1);
      const groups = starts.length - 1;
      if (groups === 0) throw new ReplayLoadError(file, 'the recording has no events');
      const t0 = cols.tsRecv[0] as bigint;
      const groupMs = new Float64Array(groups);
      for (let g = 0; g < groups; g++) groupMs[g] = Number((cols.tsRecv[starts[g] as number] as bigint) - t0) / 1e6;
      this.tracks.set(id, {
        info,
        file,
        cols,
        groupStart: Uint32Array.from(starts),
        groupMs,
        loopMs: (groupMs[groups - 1] as number) + LOOP_GAP_MS,
        book: new ReplayBook(),
        cursor: 0,
        anchorPos: 0,
        anchorWallMs: 0,
        timer: null,
        seq: 0n,
        lastTradeId: 0n,
        batches: 0,
        loops: 0,
        snapshot: null,
      });
      this.symbols.set(symbol, info);
      id += 1;
    }
  }

  get speed(): number {
    return this.currentSpeed;
  }

  /** Changes the replay speed from now on; the recording position is kept. */
  setSpeed(speed: number): void {
    const problem = speedProblem(speed);
    if (problem) throw new RangeError(`replay speed ${speed}: ${problem}`);
    const now = this.now();
    for (const t of this.tracks.values()) {
      t.anchorPos = this.position(t, now);
      t.anchorWallMs = now;
    }
    this.currentSpeed = speed;
    if (this.running) for (const t of this.tracks.values()) this.schedule(t);
  }

  sources(): ReplaySourceInfo[] {
    return [...this.tracks.values()].map((t) => ({
      file: basename(t.file),
      venue: t.info.venue,
      symbol: t.info.symbol,
      events: t.cols.kind.length,
      durationS: Math.round(t.groupMs[t.groupMs.length - 1] as number) / 1000,
      loops: t.loops,
    }));
  }

  instruments(): InstrumentInfo[] {
    return [...this.tracks.values()].map((t) => t.info);
  }

  bySymbol(symbol: string): InstrumentInfo | undefined {
    return this.symbols.get(symbol);
  }

  onStep(listener: (frames: StepFrames) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  snapshot(instrumentId: number): SnapshotFrame {
    const t = this.track(instrumentId);
    if (t.snapshot?.seq !== t.seq) {
      const frame = encodeLevels(
        { kind: FrameKind.Snapshot, instrumentId, seqFirst: t.seq, seqLast: t.seq, tsEventNs: nowNs() },
        t.book.levels(),
      );
      t.snapshot = { seq: t.seq, frame };
    }
    return t.snapshot;
  }

  stats(): InstrumentStats[] {
    return [...this.tracks.values()].map((t) => ({
      id: t.info.id,
      symbol: t.info.symbol,
      seq: t.seq.toString(),
      lastTradeId: t.lastTradeId.toString(),
      batches: t.batches,
      bestBid: t.book.best(Side.Bid),
      bestAsk: t.book.best(Side.Ask),
    }));
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    const now = this.now();
    for (const t of this.tracks.values()) {
      t.anchorWallMs = now;
      t.anchorPos = t.cursor < t.groupMs.length ? (t.groupMs[t.cursor] as number) : 0;
      this.tick(t);
    }
  }

  stop(): void {
    if (this.running) {
      const now = this.now();
      for (const t of this.tracks.values()) {
        t.anchorPos = this.position(t, now);
        t.anchorWallMs = now;
      }
    }
    this.running = false;
    for (const t of this.tracks.values()) {
      if (t.timer) clearTimeout(t.timer);
      t.timer = null;
    }
  }

  /** Plays every group due by now (at most MAX_GROUPS_PER_TICK) and publishes them as one step. */
  tickNow(instrumentId: number): StepFrames | null {
    return this.play(this.track(instrumentId));
  }

  private track(instrumentId: number): Track {
    const t = this.tracks.get(instrumentId);
    if (!t) throw new RangeError(`instrument id ${instrumentId} is not replayed here`);
    return t;
  }

  /** Recording time (ms within the current loop) at wall time `now`. */
  private position(t: Track, now: number): number {
    return t.anchorPos + (now - t.anchorWallMs) * this.currentSpeed;
  }

  private schedule(t: Track): void {
    if (t.timer) clearTimeout(t.timer);
    t.timer = null;
    if (!this.running) return;
    const due = t.cursor < t.groupMs.length ? (t.groupMs[t.cursor] as number) : t.loopMs;
    const delay = Math.max(0, (due - this.position(t, this.now())) / this.currentSpeed);
    t.timer = setTimeout(() => this.tick(t), delay);
  }

  private tick(t: Track): void {
    t.timer = null;
    this.play(t);
    this.schedule(t);
  }

  private play(t: Track): StepFrames | null {
    const c = t.cols;
    const trades: TradeRecord[] = [];
    let pos = this.position(t, this.now());
    let played = 0;
    while (played < MAX_GROUPS_PER_TICK) {
      if (t.cursor >= t.groupMs.length) {
        if (pos < t.loopMs) break;
        // End of the recording: start again with an empty book (the first snapshot refills it).
        t.book.clear();
        t.cursor = 0;
        t.anchorPos -= t.loopMs;
        pos -= t.loopMs;
        t.loops += 1;
        continue;
      }
      if ((t.groupMs[t.cursor] as number) > pos) break;
      const from = t.groupStart[t.cursor] as number;
      const to = t.groupStart[t.cursor + 1] as number;
      const kind = c.kind[from] as number;
      if (kind === KIND_SNAPSHOT || kind === KIND_CLEAR) t.book.clear();
      if (kind === KIND_SNAPSHOT || kind === KIND_DELTA) {
        for (let i = from; i < to; i++) {
          t.book.set(c.side[i] === 0 ? Side.Bid : Side.Ask, Number(c.price[i]), Number(c.qty[i]));
        }
      } else if (kind === KIND_TRADE) {
        for (let i = from; i < to; i++) {
          trades.push({
            tsEventNs: c.tsEvent[i] as bigint,
            price: Number(c.price[i]),
            qty: Number(c.qty[i]),
            aggressor: c.side[i] === 0 ? Aggressor.Buyer : Aggressor.Seller,
          });
        }
      }
      t.cursor += 1;
      played += 1;
    }
    const deltas = t.book.takeChanges();
    if (deltas.length === 0 && trades.length === 0) return null;
    const instrumentId = t.info.id;
    const tsEventNs = nowNs();
    const frames: StepFrames = { instrumentId, seq: t.seq, trades: null, deltas: null };
    if (trades.length > 0) {
      const first = t.lastTradeId + 1n;
      t.lastTradeId += BigInt(trades.length);
      frames.trades = encodeTrades({ kind: FrameKind.Trades, instrumentId, seqFirst: first, seqLast: t.lastTradeId, tsEventNs }, trades);
    }
    if (deltas.length > 0) {
      const first = t.seq + 1n;
      t.seq += BigInt(deltas.length);
      frames.seq = t.seq;
      frames.deltas = encodeLevels({ kind: FrameKind.Delta, instrumentId, seqFirst: first, seqLast: t.seq, tsEventNs }, deltas);
    }
    t.batches += 1;
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
