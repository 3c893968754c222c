import { describe, expect, it } from 'vitest';
import {
  axisValue, axisValues, chunkRows, decodeIndex, fillGridColumns, gridSize, indexOf, rowInputs, strides, type ScanSpec,
} from './grid';

const spec: ScanSpec = {
  model: 'bsm', type: 'call', r: 0.03, q: 0.01,
  S: { min: 80, max: 120, steps: 5 },
  K: { min: 90, max: 110, steps: 3 },
  sigma: { min: 0.1, max: 0.5, steps: 4 },
  t: { min: 0.25, max: 1, steps: 2 },
};

describe('scan grid', () => {
  it('spaces axis values evenly, ends exact, one step is the minimum', () => {
    expect([...axisValues(spec.S)]).toEqual([80, 90, 100, 110, 120]);
    expect(axisValue({ min: 0.1, max: 0.7, steps: 7 }, 6)).toBe(0.7);
    expect([...axisValues({ min: 3, max: 9, steps: 1 })]).toEqual([3]);
  });

  it('orders rows S slowest, t fastest', () => {
    expect(gridSize(spec)).toBe(5 * 3 * 4 * 2);
    expect(strides(spec)).toEqual({ S: 24, K: 8, sigma: 2, t: 1 });
    const at = { S: 3, K: 1, sigma: 2, t: 1 };
    const row = indexOf(spec, at);
    expect(row).toBe(3 * 24 + 8 + 4 + 1);
    expect(decodeIndex(spec, row)).toEqual(at);
    expect(rowInputs(spec, row)).toEqual({ S: 110, K: 100, sigma: axisValue(spec.sigma, 2), t: 1 });
  });

  it('fills any row range exactly as decoding each row would', () => {
    const total = gridSize(spec);
    for (const [start, count] of [[0, total], [7, 30], [total - 5, 5], [23, 1]] as const) {
      const cols = {
        spot: new Float64Array(count), strike: new Float64Array(count),
        vol: new Float64Array(count), time: new Float64Array(count),
      };
      fillGridColumns(spec, start, count, cols);
      for (let i = 0; i < count; i++) {
        const want = rowInputs(spec, start + i);
        expect([cols.spot[i], cols.strike[i], cols.vol[i], cols.time[i]]).toEqual([want.S, want.K, want.sigma, want.t]);
      }
    }
  });

  it('sizes chunks per model and spreads small scans over the workers', () => {
    expect(chunkRows('bsm', 5_000_000, 2)).toBe(65_536);
    expect(chunkRows('baw', 5_000_000, 2)).toBe(16_384);
    expect(chunkRows('binomial', 5_000_000, 2)).toBe(512);
    expect(chunkRows('bsm', 40_000, 2)).toBe(2_500);
    expect(chunkRows('bsm', 10, 2)).toBe(256);
  });
});
