/**
 * The cumulative depth chart's geometry: which price range to show around the mid, where a price and a
 * cumulative size land on the canvas, and the cumulative size resting at or better than a price.
 */

/** One side's displayed levels, best first: `prices[i]` and cumulative size `cums[i]` (non-decreasing). */
export interface SideCurve {
  prices: ArrayLike<number>;
  cums: ArrayLike<number>;
  n: number;
}

export interface DepthRange {
  lo: number;
  hi: number;
  mid: number;
  maxCum: number;
}

/**
 * A range symmetric about the mid wide enough for the deeper side's last level, plus `pad` of the half-width;
 * `maxCum` is the larger of the two sides' totals. Null without a two-sided book.
 */
export function depthRange(bids: SideCurve, asks: SideCurve, pad = 0.04): DepthRange | null {
  if (bids.n < 1 || asks.n < 1) return null;
  const bestBid = bids.prices[0] ?? Number.NaN;
  const bestAsk = asks.prices[0] ?? Number.NaN;
  const lastBid = bids.prices[bids.n - 1] ?? Number.NaN;
  const lastAsk = asks.prices[asks.n - 1] ?? Number.NaN;
  if (![bestBid, bestAsk, lastBid, lastAsk].every(Number.isFinite)) return null;
  const mid = (bestBid + bestAsk) / 2;
  let half = Math.max(mid - lastBid, lastAsk - mid);
  if (!(half > 0)) half = Math.max(Math.abs(mid) * 1e-4, 1e-9);
  half *= 1 + pad;
  const maxCum = Math.max(bids.cums[bids.n - 1] ?? 0, asks.cums[asks.n - 1] ?? 0);
  return { lo: mid - half, hi: mid + half, mid, maxCum };
}

/** Cumulative size a market order sweeps to reach `price`: bids at or above it, asks at or below it. */
export function cumAt(side: 'bid' | 'ask', curve: SideCurve, price: number): number {
  let cum = 0;
  for (let i = 0; i < curve.n; i++) {
    const p = curve.prices[i] ?? Number.NaN;
    if (side === 'bid' ? p < price : p > price) break;
    cum = curve.cums[i] ?? cum;
  }
  return cum;
}

/**
 * The step outline of one side in canvas pixels, from the mid outward: for each level a vertical to its
 * cumulative size at its price, then horizontal to the next level (and to the range edge after the last).
 * Returns a flat `[x0, y0, x1, y1, …]`.
 */
export function stepPath(side: 'bid' | 'ask', curve: SideCurve, range: DepthRange, width: number, height: number):
  number[] {
  const x = (p: number): number => ((p - range.lo) / (range.hi - range.lo)) * width;
  const y = (c: number): number => (range.maxCum > 0 ? height - (c / range.maxCum) * height : height);
  const out: number[] = [];
  let prevY = height;
  const start = curve.prices[0] ?? range.mid;
  out.push(x(start), height);
  for (let i = 0; i < curve.n; i++) {
    const px = x(curve.prices[i] ?? Number.NaN);
    const cy = y(curve.cums[i] ?? 0);
    out.push(px, prevY, px, cy);
    prevY = cy;
  }
  out.push(side === 'bid' ? 0 : width, prevY);
  return out;
}
