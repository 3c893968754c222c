/**
 * Render snapshots of a replay in the live layout (src/protocol/worker.ts), so the live ladder, heatmap and tape
 * views paint a replay unchanged. Reads the book at the cursor out of the engine and converts ticks and lots to
 * decimal values with the dataset's precision.
 */
import {
  askOffset, bidOffset, CANDLE_FIELDS, HEAT_DEPTH, levelsLength, Stat, STAT_COUNT, TRADE_FIELDS,
  type RenderSnapshot,
} from '../protocol/worker';
import { CandleHistory } from '../worker/candles';
import { parseStep, type DecimalStep } from '../worker/decimal';
import { heatColumn } from '../worker/heatColumn';

/** What the frame builder reads from the engine at the cursor. */
export interface CursorBook {
  /** `[priceTicks, qtyLots]` pairs, best first, at most `depth`. */
  topLevels(side: 0 | 1, depth: number): Float64Array;
}

/** A trade row: `[tsMs, priceTicks, qtyLots, aggressor (0 buy, 1 sell)]`. */
export const TRADE_ROW = 4;

export interface InstrumentScale {
  symbol: string;
  priceDecimals: number;
  qtyDecimals: number;
}

function stepOf(decimals: number): DecimalStep {
  const text = decimals === 0 ? '1' : `0.${'0'.repeat(decimals - 1)}1`;
  const step = parseStep(text);
  if (!step) throw new Error(`decimals ${decimals} is out of range (0 to 15)`);
  return step;
}

/** Builds one render snapshot per tick; keeps the candles of the trades it has seen since the last reset. */
export class ReplayFrames {
  private frame = 0;
  private readonly price: DecimalStep;
  private readonly lot: DecimalStep;
  private readonly tick: number;
  private candles = new CandleHistory();
  private candlesReset = true;

  constructor(private readonly inst: InstrumentScale, private depth = 30) {
    this.price = stepOf(inst.priceDecimals);
    this.lot = stepOf(inst.qtyDecimals);
    this.tick = 10 ** -inst.priceDecimals;
  }

  setDepth(depth: number): void {
    this.depth = depth;
  }

  get ladderDepth(): number {
    return this.depth;
  }

  /** Forget the candles (after a seek): `trades` (rows as in `TRADE_ROW`) rebuild them up to the cursor. */
  reset(trades: Float64Array): void {
    this.candles = new CandleHistory();
    this.addTrades(trades);
    this.candlesReset = true;
  }

  /**
   * The snapshot at the cursor; `trades` are the rows passed since the previous snapshot (added to the candles
   * and the tape). `tapeOnly` rows go to the tape alone (the recent trades shown after a seek).
   */
  build(book: CursorBook, trades: Float64Array, tapeOnly?: Float64Array): RenderSnapshot {
    this.addTrades(trades);
    if (tapeOnly) trades = tapeOnly;
    const depth = this.depth;
    const heatDepth = Math.max(depth, HEAT_DEPTH);
    const wide = this.readLevels(book, heatDepth);
    const levels = this.narrow(wide, heatDepth, depth);
    const heat = heatColumn(wide, heatDepth, this.tick);
    const stats = new Float64Array(STAT_COUNT).fill(Number.NaN);
    this.writeStats(levels, depth, stats);
    const tape = new Float64Array((trades.length / TRADE_ROW) * TRADE_FIELDS);
    for (let i = 0, o = 0; i + TRADE_ROW <= trades.length; i += TRADE_ROW, o += TRADE_FIELDS) {
      tape[o] = trades[i] ?? 0;
      tape[o + 1] = this.px(trades[i + 1] ?? 0);
      tape[o + 2] = this.qty(trades[i + 2] ?? 0);
      tape[o + 3] = (trades[i + 3] ?? 0) === 0 ? 1 : 2;
    }
    const candles = this.candlesReset ? this.candles.all(1, this.price, this.lot)
      : this.candles.takeChanged(1, this.price, this.lot);
    const reset = this.candlesReset;
    this.candlesReset = false;
    this.frame += 1;
    stats[Stat.Posted] = this.frame;
    return {
      frame: this.frame,
      symbol: this.inst.symbol,
      instrumentId: 1,
      priceDecimals: this.inst.priceDecimals,
      qtyDecimals: this.inst.qtyDecimals,
      rowStep: this.tick,
      depth,
      grouping: 1,
      candleSec: 1,
      candlesReset: reset,
      stats: stats.buffer,
      levels: levels.buffer,
      trades: tape.buffer,
      candles: candles.buffer,
      heat: heat.buffer,
    };
  }

  /**
   * A snapshot that carries only a heatmap column of `book` (no trades, no candle changes, an empty ladder):
   * the heatmap's history rebuilt after a seek, posted before the frame at the cursor.
   */
  heatOnly(book: CursorBook): RenderSnapshot {
    const heatDepth = Math.max(this.depth, HEAT_DEPTH);
    const heat = heatColumn(this.readLevels(book, heatDepth), heatDepth, this.tick);
    this.frame += 1;
    const stats = new Float64Array(STAT_COUNT).fill(Number.NaN);
    stats[Stat.Posted] = this.frame;
    return {
      frame: this.frame,
      symbol: this.inst.symbol,
      instrumentId: 1,
      priceDecimals: this.inst.priceDecimals,
      qtyDecimals: this.inst.qtyDecimals,
      rowStep: this.tick,
      depth: this.depth,
      grouping: 1,
      candleSec: 1,
      candlesReset: false,
      stats: stats.buffer,
      levels: new Float64Array(levelsLength(this.depth)).buffer,
      trades: new ArrayBuffer(0),
      candles: new ArrayBuffer(0),
      heat: heat.buffer,
    };
  }

  px(ticks: number): number {
    return (ticks * this.price.units) / this.price.scale;
  }

  qty(lots: number): number {
    return (lots * this.lot.units) / this.lot.scale;
  }

  private addTrades(trades: Float64Array): void {
    for (let i = 0; i + TRADE_ROW <= trades.length; i += TRADE_ROW) {
      this.candles.add(trades[i] ?? 0, trades[i + 1] ?? 0, trades[i + 2] ?? 0);
    }
  }

  /** `[bidCount, askCount, bids…, asks…]` with `[price, qty, cumQty]` decimal values, `depth` a side. */
  private readLevels(book: CursorBook, depth: number): Float64Array<ArrayBuffer> {
    const out = new Float64Array(levelsLength(depth));
    for (const side of [0, 1] as const) {
      const pairs = book.topLevels(side, depth);
      const n = Math.min(depth, Math.floor(pairs.length / 2));
      out[side] = n;
      let cum = 0;
      for (let i = 0; i < n; i++) {
        const at = side === 0 ? bidOffset(i) : askOffset(depth, i);
        const lots = pairs[2 * i + 1] ?? 0;
        cum += lots;
        out[at] = this.px(pairs[2 * i] ?? 0);
        out[at + 1] = this.qty(lots);
        out[at + 2] = this.qty(cum);
      }
    }
    return out;
  }

  private narrow(wide: Float64Array, from: number, to: number): Float64Array<ArrayBuffer> {
    const out = new Float64Array(levelsLength(to));
    const nb = Math.min(to, wide[0] ?? 0);
    const na = Math.min(to, wide[1] ?? 0);
    out[0] = nb;
    out[1] = na;
    out.set(wide.subarray(bidOffset(0), bidOffset(nb)), bidOffset(0));
    out.set(wide.subarray(askOffset(from, 0), askOffset(from, na)), askOffset(to, 0));
    return out;
  }

  private writeStats(levels: Float64Array, depth: number, stats: Float64Array): void {
    const nb = levels[0] ?? 0;
    const na = levels[1] ?? 0;
    stats[Stat.InstrumentId] = 1;
    stats[Stat.BidLevels] = nb;
    stats[Stat.AskLevels] = na;
    stats[Stat.AwaitingSnapshot] = nb > 0 || na > 0 ? 0 : 1;
    const bid = nb > 0 ? (levels[bidOffset(0)] ?? Number.NaN) : Number.NaN;
    const ask = na > 0 ? (levels[askOffset(depth, 0)] ?? Number.NaN) : Number.NaN;
    const bq = nb > 0 ? (levels[bidOffset(0) + 1] ?? Number.NaN) : Number.NaN;
    const aq = na > 0 ? (levels[askOffset(depth, 0) + 1] ?? Number.NaN) : Number.NaN;
    stats[Stat.BestBid] = bid;
    stats[Stat.BestAsk] = ask;
    stats[Stat.BestBidQty] = bq;
    stats[Stat.BestAskQty] = aq;
    if (nb > 0 && na > 0) {
      stats[Stat.Spread] = Number(((ask - bid) / this.tick).toFixed(0)) * this.tick;
      stats[Stat.Mid] = (bid + ask) / 2;
      stats[Stat.Microprice] = (bid * aq + ask * bq) / (aq + bq);
      stats[Stat.Imbalance] = (bq - aq) / (bq + aq);
    }
  }
}

export const candleRows = (candles: ArrayBuffer): number => candles.byteLength / 8 / CANDLE_FIELDS;
