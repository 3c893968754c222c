import { describe, expect, it } from 'vitest';
import { cumAt, depthCurve } from './depthCurve';

// depth 3: bids 100 (2), 99 (3), 98 (5); asks 101 (1), 102 (4).
const levels = [3, 2, 100, 2, 2, 99, 3, 5, 98, 5, 10, 101, 1, 1, 102, 4, 5, 0, 0, 0];

describe('depthCurve', () => {
  it('reads both sides best first with a symmetric window around the mid', () => {
    const c = depthCurve(levels, 3);
    expect(c?.bids).toEqual([[100, 2], [99, 5], [98, 10]]);
    expect(c?.asks).toEqual([[101, 1], [102, 5]]);
    expect(c?.mid).toBe(100.5);
    expect([c?.lo, c?.hi]).toEqual([98, 103]);
    expect(c?.maxCum).toBe(10);
  });

  it('is null when a side is empty', () => {
    expect(depthCurve([1, 0, 100, 1, 1, 0, 0, 0], 1)).toBeNull();
  });

  it('cumAt is the size at that price or better on its side', () => {
    const c = depthCurve(levels, 3);
    if (!c) throw new Error('no curve');
    expect(cumAt(c, 100.2)).toEqual({ side: 'bid', cum: 0 });
    expect(cumAt(c, 99.5)).toEqual({ side: 'bid', cum: 2 });
    expect(cumAt(c, 98)).toEqual({ side: 'bid', cum: 10 });
    expect(cumAt(c, 100.7)).toEqual({ side: 'ask', cum: 0 });
    expect(cumAt(c, 101.5)).toEqual({ side: 'ask', cum: 1 });
    expect(cumAt(c, 103)).toEqual({ side: 'ask', cum: 5 });
  });
});
