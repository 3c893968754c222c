import { describe, expect, it } from 'vitest';
import { sweepTo } from './sweep';

// Two sides laid out as [bidCount, askCount, bids…, asks…] with [price, qty, cum] per row, depth 3.
const depth = 3;
const levels = [
  3, 2,
  100, 2, 2, 99, 3, 5, 98, 5, 10,
  101, 1, 1, 102, 4, 5, 0, 0, 0,
];
const bidAt = (i: number): number => 2 + 3 * i;
const askAt = (i: number): number => 2 + 3 * depth + 3 * i;

describe('sweepTo', () => {
  it('the best row is its own price and size', () => {
    expect(sweepTo(levels, 3, 0, bidAt)).toEqual({ rows: 1, qty: 2, notional: 200, avgPrice: 100 });
  });

  it('sums down to the row: quantity equals the cumulative column, price is volume-weighted', () => {
    const s = sweepTo(levels, 3, 2, bidAt);
    expect(s?.qty).toBe(levels[bidAt(2) + 2]);
    expect(s?.notional).toBe(100 * 2 + 99 * 3 + 98 * 5);
    expect(s?.avgPrice).toBeCloseTo((200 + 297 + 490) / 10, 12);
    const a = sweepTo(levels, 2, 1, askAt);
    expect(a).toEqual({ rows: 2, qty: 5, notional: 101 + 408, avgPrice: 509 / 5 });
  });

  it('rejects rows that are not shown', () => {
    expect(sweepTo(levels, 2, 2, askAt)).toBeNull();
    expect(sweepTo(levels, 3, -1, bidAt)).toBeNull();
    expect(sweepTo(levels, 3, 0.5, bidAt)).toBeNull();
  });

  it('an empty level gives no average', () => {
    const zero = [1, 0, 100, 0, 0];
    expect(sweepTo(zero, 1, 0, bidAt)?.avgPrice).toBeNaN();
  });
});
