import { describe, expect, it } from 'vitest';
import { cumAt, depthRange, stepPath, type SideCurve } from './depthCurve';

const bids: SideCurve = { prices: [99, 98, 96], cums: [1, 3, 6], n: 3 };
const asks: SideCurve = { prices: [101, 102], cums: [2, 4], n: 2 };

describe('depthRange', () => {
  it('centres on the mid and reaches the deeper side', () => {
    const r = depthRange(bids, asks, 0);
    expect(r).toEqual({ lo: 96, hi: 104, mid: 100, maxCum: 6 });
  });
  it('pads the half-width', () => {
    const r = depthRange(bids, asks, 0.5);
    expect(r?.lo).toBe(94);
    expect(r?.hi).toBe(106);
  });
  it('needs both sides', () => {
    expect(depthRange({ prices: [], cums: [], n: 0 }, asks)).toBeNull();
    expect(depthRange({ prices: [Number.NaN], cums: [1], n: 1 }, asks)).toBeNull();
  });
});

describe('cumAt', () => {
  it('sums bids at or above the price', () => {
    expect(cumAt('bid', bids, 99.5)).toBe(0);
    expect(cumAt('bid', bids, 99)).toBe(1);
    expect(cumAt('bid', bids, 97)).toBe(3);
    expect(cumAt('bid', bids, 90)).toBe(6);
  });
  it('sums asks at or below the price', () => {
    expect(cumAt('ask', asks, 100.5)).toBe(0);
    expect(cumAt('ask', asks, 101.5)).toBe(2);
    expect(cumAt('ask', asks, 200)).toBe(4);
  });
});

describe('stepPath', () => {
  it('steps up at each level and runs to the edge', () => {
    const r = { lo: 96, hi: 104, mid: 100, maxCum: 6 };
    // 8 price units over 80 px, 6 size units over 60 px.
    const pts = stepPath('ask', asks, r, 80, 60);
    expect(pts).toEqual([50, 60, 50, 60, 50, 40, 60, 40, 60, 20, 80, 20]);
    const b = stepPath('bid', bids, r, 80, 60);
    expect(b.slice(-2)).toEqual([0, 0]);
    expect(b.slice(0, 2)).toEqual([30, 60]);
  });
});
