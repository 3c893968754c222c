import { describe, expect, it } from 'vitest';
import { formatNotional, sweepTo } from './levelStats';

describe('sweepTo', () => {
  const prices = [100, 99.5, 99];
  const qtys = [2, 1, 3];

  it('at the best level is that level alone', () => {
    expect(sweepTo(prices, qtys, 0)).toEqual({ avgPrice: 100, totalQty: 2, notional: 200, levels: 1 });
  });

  it('sums quantity and notional and weights the average by size', () => {
    const s = sweepTo(prices, qtys, 2);
    expect(s?.totalQty).toBe(6);
    expect(s?.notional).toBeCloseTo(200 + 99.5 + 297, 10);
    expect(s?.avgPrice).toBeCloseTo((200 + 99.5 + 297) / 6, 10);
    expect(s?.levels).toBe(3);
  });

  it('works on typed arrays', () => {
    const s = sweepTo(Float64Array.from(prices), Float64Array.from(qtys), 1);
    expect(s?.totalQty).toBe(3);
    expect(s?.avgPrice).toBeCloseTo(299.5 / 3, 10);
  });

  it('rejects indexes outside the data and bad numbers', () => {
    expect(sweepTo(prices, qtys, 3)).toBeNull();
    expect(sweepTo(prices, qtys, -1)).toBeNull();
    expect(sweepTo(prices, qtys, 0.5)).toBeNull();
    expect(sweepTo([1, Number.NaN], [1, 1], 1)).toBeNull();
    expect(sweepTo([1, 2], [1, -1], 1)).toBeNull();
  });

  it('zero quantity gives an undefined average but a zero total', () => {
    const s = sweepTo([5], [0], 0);
    expect(s?.totalQty).toBe(0);
    expect(Number.isNaN(s?.avgPrice)).toBe(true);
  });
});

describe('formatNotional', () => {
  it('abbreviates large values', () => {
    expect(formatNotional(1234.5)).toBe('1234.50');
    expect(formatNotional(12_345)).toBe('12.35k');
    expect(formatNotional(2_500_000)).toBe('2.500M');
    expect(formatNotional(3e9)).toBe('3.000B');
    expect(formatNotional(Number.NaN)).toBe('—');
  });
});
