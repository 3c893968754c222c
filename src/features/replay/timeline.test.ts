import { describe, expect, it } from 'vitest';
import { clockText, fillColumns, timeAtX, xAtTime } from './timeline';

describe('timeline geometry', () => {
  it('maps pixels to time and back, clamped to the data', () => {
    expect(timeAtX(50, 200, 1000, 3000)).toBe(1500);
    expect(timeAtX(-5, 200, 1000, 3000)).toBe(1000);
    expect(timeAtX(500, 200, 1000, 3000)).toBe(3000);
    expect(xAtTime(2000, 200, 1000, 3000)).toBe(100);
    expect(xAtTime(2000, 200, 1000, 1000)).toBe(0);
  });

  it('bins fills per pixel column, buys and sells apart', () => {
    // [tsMs, id, side, price, qty, fee, maker]
    const fills = new Float64Array([
      1000, 1, 0, 10, 1, 0, 1,
      1001, 2, 0, 10, 1, 0, 1,
      2999, 3, 1, 10, 1, 0, 0,
    ]);
    const cols = fillColumns(fills, 4, 1000, 3000);
    expect(Array.from(cols)).toEqual([2, 0, 0, 0, 0, 0, 0, 1]);
  });

  it('prints UTC clock time with milliseconds', () => {
    expect(clockText(Date.UTC(2024, 7, 8, 13, 5, 9, 42))).toBe('13:05:09.042');
    expect(clockText(Number.NaN)).toBe('—');
  });
});
