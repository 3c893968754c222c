import { describe, expect, it } from 'vitest';
import { bubbleRadius, fitCutoffs, logScale, rampInto } from './heatScale';

describe('logScale', () => {
  it('maps the cutoffs to 0 and 1 and decades evenly between', () => {
    expect(logScale(1, 1, 100)).toBe(0);
    expect(logScale(100, 1, 100)).toBe(1);
    expect(logScale(10, 1, 100)).toBeCloseTo(0.5, 12);
    expect(logScale(1000, 1, 100)).toBe(1);
  });
  it('marks empty and below-cutoff cells', () => {
    expect(logScale(0, 1, 100)).toBe(-1);
    expect(logScale(0.5, 1, 100)).toBe(-1);
    expect(logScale(Number.NaN, 1, 100)).toBe(-1);
    expect(logScale(5, 0, 100)).toBe(-1);
  });
  it('saturates when the cutoffs coincide', () => {
    expect(logScale(3, 2, 2)).toBe(1);
  });
});

describe('rampInto', () => {
  it('runs from the first to the last stop and is opaque', () => {
    const out = new Uint8ClampedArray(8);
    rampInto(0, out, 0);
    rampInto(1, out, 4);
    expect([...out]).toEqual([24, 38, 82, 255, 255, 246, 205, 255]);
  });
  it('gets brighter with t', () => {
    const out = new Uint8ClampedArray(4);
    let last = -1;
    for (let t = 0; t <= 1; t += 0.1) {
      rampInto(t, out, 0);
      const lum = (out[0] ?? 0) + (out[1] ?? 0) + (out[2] ?? 0);
      expect(lum).toBeGreaterThan(last);
      last = lum;
    }
  });
});

describe('fitCutoffs', () => {
  it('takes the 10th percentile and the maximum of the non-empty sizes', () => {
    const sizes = [0, 0, ...Array.from({ length: 11 }, (_, i) => i + 1)];
    expect(fitCutoffs(sizes)).toEqual({ lo: 2, hi: 11 });
    expect(fitCutoffs([0, Number.NaN])).toBeNull();
    expect(fitCutoffs([4])).toEqual({ lo: 4, hi: 40 });
  });
});

describe('bubbleRadius', () => {
  it('grows with the square root of volume within bounds', () => {
    expect(bubbleRadius(1, 1)).toBe(10);
    expect(bubbleRadius(0.25, 1)).toBe(5);
    expect(bubbleRadius(100, 1)).toBe(10);
    expect(bubbleRadius(0, 1)).toBe(1.5);
  });
});
