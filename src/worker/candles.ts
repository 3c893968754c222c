/**
 * OHLCV candles from trades, kept per instrument as one-second bars in integer ticks and lots. Coarser
 * intervals are aggregated from the one-second bars on output, which is exact for OHLC and volume.
 *
 * `takeChanged` returns only the bars touched since the previous call (usually just the current one), so the
 * chart can `update()` them; `all` returns the whole history for a reset (new instrument or interval).
 */
import type { DecimalStep } from './decimal';
import { stepsToValue } from './decimal';
import { CANDLE_FIELDS } from '../protocol/worker';

/** One hour of one-second bars. */
export const CANDLE_HISTORY_SECONDS = 3600;

export class CandleHistory {
  private readonly time: number[] = [];
  private readonly open: number[] = [];
  private readonly high: number[] = [];
  private readonly low: number[] = [];
  private readonly close: number[] = [];
  private readonly volume: number[] = [];
  /** Earliest second changed since the last `takeChanged`, or +∞. */
  private dirtyFrom = Number.POSITIVE_INFINITY;

  constructor(private readonly capacity = CANDLE_HISTORY_SECONDS) {}

  get size(): number {
    return this.time.length;
  }

  add(tsMs: number, priceTicks: number, qtyLots: number): void {
    const n = this.time.length;
    const last = n > 0 ? (this.time[n - 1] ?? 0) : Number.NEGATIVE_INFINITY;
    // A trade stamped before the newest bar (clock step on the venue side) joins the newest bar: bars only grow.
    const sec = Math.max(Math.floor(tsMs / 1000), last);
    if (sec === last) {
      const i = n - 1;
      this.high[i] = Math.max(this.high[i] ?? priceTicks, priceTicks);
      this.low[i] = Math.min(this.low[i] ?? priceTicks, priceTicks);
      this.close[i] = priceTicks;
      this.volume[i] = (this.volume[i] ?? 0) + qtyLots;
    } else {
      this.time.push(sec);
      this.open.push(priceTicks);
      this.high.push(priceTicks);
      this.low.push(priceTicks);
      this.close.push(priceTicks);
      this.volume.push(qtyLots);
      if (this.time.length > this.capacity) this.dropOldest(this.time.length - this.capacity);
    }
    if (sec < this.dirtyFrom) this.dirtyFrom = sec;
  }

  /** Bars of `intervalSec` touched since the last call, ascending; as decimal values. */
  takeChanged(intervalSec: number, price: DecimalStep, lot: DecimalStep): Float64Array<ArrayBuffer> {
    if (this.dirtyFrom === Number.POSITIVE_INFINITY) return new Float64Array(0);
    const from = Math.floor(this.dirtyFrom / intervalSec) * intervalSec;
    this.dirtyFrom = Number.POSITIVE_INFINITY;
    return this.aggregate(from, intervalSec, price, lot);
  }

  /** Every bar of `intervalSec`, ascending; also marks everything as taken. */
  all(intervalSec: number, price: DecimalStep, lot: DecimalStep): Float64Array<ArrayBuffer> {
    this.dirtyFrom = Number.POSITIVE_INFINITY;
    return this.aggregate(Number.NEGATIVE_INFINITY, intervalSec, price, lot);
  }

  private aggregate(fromSec: number, intervalSec: number, price: DecimalStep, lot: DecimalStep): Float64Array<ArrayBuffer> {
    let start = this.time.length;
    while (start > 0 && (this.time[start - 1] ?? 0) >= fromSec) start--;
    const out: number[] = [];
    let bucket = Number.NaN;
    let o = 0, h = 0, l = 0, c = 0, v = 0;
    const flush = (): void => {
      if (Number.isNaN(bucket)) return;
      out.push(bucket, stepsToValue(o, price), stepsToValue(h, price), stepsToValue(l, price),
        stepsToValue(c, price), stepsToValue(v, lot));
    };
    for (let i = start; i < this.time.length; i++) {
      const b = Math.floor((this.time[i] ?? 0) / intervalSec) * intervalSec;
      if (b !== bucket) {
        flush();
        bucket = b;
        o = this.open[i] ?? 0;
        h = this.high[i] ?? 0;
        l = this.low[i] ?? 0;
        v = 0;
      } else {
        h = Math.max(h, this.high[i] ?? h);
        l = Math.min(l, this.low[i] ?? l);
      }
      c = this.close[i] ?? c;
      v += this.volume[i] ?? 0;
    }
    flush();
    const arr = new Float64Array(out.length);
    arr.set(out);
    return arr;
  }

  private dropOldest(count: number): void {
    for (const a of [this.time, this.open, this.high, this.low, this.close, this.volume]) a.splice(0, count);
  }
}

export const candleCount = (candles: Float64Array): number => candles.length / CANDLE_FIELDS;
