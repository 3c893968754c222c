/**
 * What a ladder row's tooltip says: sweeping the book from the best price down to (and including) one level, the
 * size-weighted average fill price, the total quantity and the notional (Σ price × quantity). It works on the rows
 * as displayed, so it follows the price grouping the worker applied.
 */

export interface SweepStats {
  /** Σ pᵢqᵢ / Σ qᵢ over levels 0..k; NaN when the total quantity is zero. */
  avgPrice: number;
  totalQty: number;
  notional: number;
  /** Number of levels swept (k + 1). */
  levels: number;
}

/**
 * `prices[i]`, `qtys[i]` for i = 0 (best) .. n − 1; returns the sweep through `index` (clamped to the data).
 * Null when there is no such level or an input is not a finite, non-negative number.
 */
export function sweepTo(prices: ArrayLike<number>, qtys: ArrayLike<number>, index: number): SweepStats | null {
  const n = Math.min(prices.length, qtys.length);
  if (!Number.isInteger(index) || index < 0 || index >= n) return null;
  let qty = 0;
  let notional = 0;
  for (let i = 0; i <= index; i++) {
    const p = prices[i] ?? Number.NaN;
    const q = qtys[i] ?? Number.NaN;
    if (!Number.isFinite(p) || !Number.isFinite(q) || q < 0) return null;
    qty += q;
    notional += p * q;
  }
  return { avgPrice: qty > 0 ? notional / qty : Number.NaN, totalQty: qty, notional, levels: index + 1 };
}

/** Notional with a k/M/B suffix once it is large; `decimals` below 1000. */
export function formatNotional(v: number, decimals = 2): string {
  if (!Number.isFinite(v)) return '—';
  const a = Math.abs(v);
  if (a >= 1e9) return `${(v / 1e9).toFixed(3)}B`;
  if (a >= 1e6) return `${(v / 1e6).toFixed(3)}M`;
  if (a >= 1e4) return `${(v / 1e3).toFixed(2)}k`;
  return v.toFixed(decimals);
}
