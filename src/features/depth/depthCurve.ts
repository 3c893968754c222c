/**
 * The cumulative depth curve from a render snapshot's levels (rows as shown: grouped, `depth` a side). Pure.
 * Each side is a step function of price: at price p the bid curve is the quantity bid at p or better (≥ p), the
 * ask curve the quantity offered at p or better (≤ p). The x range is symmetric around the mid so that the two
 * sides compare by distance from it.
 */
export interface DepthCurve {
  /** Best first: `[price, cumQty]`. */
  bids: Array<[number, number]>;
  asks: Array<[number, number]>;
  mid: number;
  /** Symmetric window: `[mid - half, mid + half]`. */
  lo: number;
  hi: number;
  maxCum: number;
}

/** `levels` as `[bidCount, askCount, bids…, asks…]`, `[price, qty, cum]` a row; null when either side is empty. */
export function depthCurve(levels: ArrayLike<number>, depth: number): DepthCurve | null {
  const nb = Math.min(depth, levels[0] ?? 0);
  const na = Math.min(depth, levels[1] ?? 0);
  if (nb < 1 || na < 1) return null;
  const read = (base: number, n: number): Array<[number, number]> => {
    const out: Array<[number, number]> = [];
    for (let i = 0; i < n; i++) {
      const p = levels[base + 3 * i] ?? Number.NaN;
      const c = levels[base + 3 * i + 2] ?? Number.NaN;
      if (Number.isFinite(p) && Number.isFinite(c)) out.push([p, c]);
    }
    return out;
  };
  const bids = read(2, nb);
  const asks = read(2 + 3 * depth, na);
  const bestBid = bids[0]?.[0];
  const bestAsk = asks[0]?.[0];
  const worstBid = bids[bids.length - 1]?.[0];
  const worstAsk = asks[asks.length - 1]?.[0];
  if (bestBid === undefined || bestAsk === undefined || worstBid === undefined || worstAsk === undefined) return null;
  const mid = (bestBid + bestAsk) / 2;
  const half = Math.max(mid - worstBid, worstAsk - mid);
  const maxCum = Math.max(bids[bids.length - 1]?.[1] ?? 0, asks[asks.length - 1]?.[1] ?? 0);
  return { bids, asks, mid, lo: mid - half, hi: mid + half, maxCum };
}

/** The cumulative size on the side of the mid that `price` falls on (0 inside the spread). */
export function cumAt(curve: DepthCurve, price: number): { side: 'bid' | 'ask'; cum: number } {
  if (price < curve.mid) {
    let cum = 0;
    for (const [p, c] of curve.bids) if (p >= price) cum = c;
    return { side: 'bid', cum };
  }
  let cum = 0;
  for (const [p, c] of curve.asks) if (p <= price) cum = c;
  return { side: 'ask', cum };
}
