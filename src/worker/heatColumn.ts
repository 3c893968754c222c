/**
 * One heatmap column per render snapshot: the resting size in each price row of a window centred on the mid,
 * quantised to the ladder's row step (so it follows the grouping). Layout in src/protocol/worker.ts (`HEAT_*`).
 * O(levels + rows) per column.
 */
import { askOffset, bidOffset, HEAT_HEADER, HEAT_ROWS, HeatField } from '../protocol/worker';

/**
 * `levels` is a `readLevels` array for `depth` levels a side (decimal prices and sizes), `step` the row step.
 * Row r holds the size at price `base + r × step`, base = (round(mid / step) − rows / 2) × step. Without a
 * two-sided book the column is all NaN except the step (the main thread leaves a gap).
 */
export function heatColumn(levels: Float64Array, depth: number, step: number, rows = HEAT_ROWS):
  Float64Array<ArrayBuffer> {
  const out = new Float64Array(HEAT_HEADER + rows);
  out[HeatField.Step] = step;
  const nb = Math.min(depth, levels[0] ?? 0);
  const na = Math.min(depth, levels[1] ?? 0);
  const bestBid = nb > 0 ? (levels[bidOffset(0)] ?? Number.NaN) : Number.NaN;
  const bestAsk = na > 0 ? (levels[askOffset(depth, 0)] ?? Number.NaN) : Number.NaN;
  out[HeatField.BestBid] = bestBid;
  out[HeatField.BestAsk] = bestAsk;
  if (!(step > 0) || !Number.isFinite(bestBid) || !Number.isFinite(bestAsk)) {
    out[HeatField.BaseIndex] = Number.NaN;
    return out;
  }
  const mid = (bestBid + bestAsk) / 2;
  const baseIndex = Math.round(mid / step) - Math.floor(rows / 2);
  out[HeatField.BaseIndex] = baseIndex;
  const add = (price: number, qty: number): void => {
    const r = Math.round(price / step) - baseIndex;
    if (r >= 0 && r < rows && Number.isFinite(qty)) out[HEAT_HEADER + r] = (out[HEAT_HEADER + r] ?? 0) + qty;
  };
  for (let i = 0; i < nb; i++) {
    const o = bidOffset(i);
    add(levels[o] ?? Number.NaN, levels[o + 1] ?? 0);
  }
  for (let i = 0; i < na; i++) {
    const o = askOffset(depth, i);
    add(levels[o] ?? Number.NaN, levels[o + 1] ?? 0);
  }
  return out;
}
