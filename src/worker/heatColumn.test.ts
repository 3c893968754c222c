import { describe, expect, it } from 'vitest';
import { askOffset, bidOffset, HEAT_HEADER, HeatField, levelsLength } from '../protocol/worker';
import { heatColumn } from './heatColumn';

function levels(depth: number, bids: [number, number][], asks: [number, number][]): Float64Array {
  const out = new Float64Array(levelsLength(depth));
  out[0] = bids.length;
  out[1] = asks.length;
  bids.forEach(([p, q], i) => out.set([p, q, 0], bidOffset(i)));
  asks.forEach(([p, q], i) => out.set([p, q, 0], askOffset(depth, i)));
  return out;
}

describe('heatColumn', () => {
  it('centres the window on the mid and puts each level in its row', () => {
    const col = heatColumn(levels(3, [[99.9, 1], [99.8, 2]], [[100.1, 3], [100.4, 4]]), 3, 0.1, 10);
    // mid 100.0 → index 1000; base = 1000 − 5 = 995 → row r is price (995 + r) × 0.1.
    expect(col[HeatField.BaseIndex]).toBe(995);
    expect(col[HeatField.Step]).toBe(0.1);
    expect(col[HeatField.BestBid]).toBe(99.9);
    expect(col[HeatField.BestAsk]).toBe(100.1);
    const rows = [...col.subarray(HEAT_HEADER)];
    expect(rows).toEqual([0, 0, 0, 2, 1, 0, 3, 0, 0, 4]);
  });

  it('drops levels outside the window and sums levels that share a row', () => {
    const col = heatColumn(levels(3, [[10, 1], [9.5, 5]], [[10.5, 2], [30, 9]]), 3, 1, 4);
    // mid 10.25 → index 10; base 8 → rows 8, 9, 10, 11. 9.5 rounds to 10 (row 2), 10.5 rounds to 11 (row 3).
    expect([...col.subarray(HEAT_HEADER)]).toEqual([0, 0, 6, 2]);
  });

  it('marks a one-sided book as having no window', () => {
    const col = heatColumn(levels(2, [[10, 1]], []), 2, 1, 4);
    expect(Number.isNaN(col[HeatField.BaseIndex])).toBe(true);
    expect(Number.isNaN(col[HeatField.BestAsk])).toBe(true);
  });
});
