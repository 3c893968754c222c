import { describe, expect, it } from 'vitest';
import { equityPoints } from './equityChart';

describe('equityPoints', () => {
  it('keeps one point per second (the last) and stops at the cursor', () => {
    // [tsMs, equity, position, realised, unrealised]
    const eq = new Float64Array([
      1_000, 0, 0, 0, 0,
      1_500, 1, 0.01, 0, 1,
      2_000, 2, 0.02, 1, 1,
      3_000, 3, 0, 3, 0,
    ]);
    expect(equityPoints(eq, 1)).toEqual([{ time: 1, value: 1 }, { time: 2, value: 2 }, { time: 3, value: 3 }]);
    expect(equityPoints(eq, 2, 2_000)).toEqual([{ time: 1, value: 0.01 }, { time: 2, value: 0.02 }]);
  });
});
