/**
 * What it costs to take the book from the best price down to a given ladder row: the rows shown (already
 * grouped by the worker, so a row's price is its group's price), summed best-first. Pure, for the tooltip.
 *
 *   qty      = Σ qtyᵢ              (equals the row's cumulative column)
 *   notional = Σ priceᵢ · qtyᵢ
 *   avgPrice = notional / qty      (the volume-weighted average price of a sweep to that row)
 */
export interface SweepStats {
  /** Rows summed, best first (1 for the best row). */
  rows: number;
  qty: number;
  notional: number;
  /** NaN when `qty` is 0. */
  avgPrice: number;
}

/**
 * Sums rows `0..=index` of one side. `offsetOf(i)` gives the offset of row `i`'s `[price, qty, cum]` triple in
 * `levels`; `count` is the number of rows present on that side. An index outside `0..count` yields null.
 */
export function sweepTo(levels: ArrayLike<number>, count: number, index: number,
  offsetOf: (i: number) => number): SweepStats | null {
  if (!Number.isInteger(index) || index < 0 || index >= count) return null;
  let qty = 0;
  let notional = 0;
  for (let i = 0; i <= index; i++) {
    const o = offsetOf(i);
    const p = levels[o] ?? Number.NaN;
    const q = levels[o + 1] ?? Number.NaN;
    if (!Number.isFinite(p) || !Number.isFinite(q)) return null;
    qty += q;
    notional += p * q;
  }
  return { rows: index + 1, qty, notional, avgPrice: qty > 0 ? notional / qty : Number.NaN };
}
