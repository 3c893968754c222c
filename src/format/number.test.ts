import { describe, expect, it } from 'vitest';
import { formatCount, formatFixed, formatGrouped, formatMs, spreadBps } from './number';

describe('number formatting', () => {
  it('prints fixed decimals, blank for missing values, never "-0"', () => {
    expect(formatFixed(65000.1, 1)).toBe('65000.1');
    expect(formatFixed(0.25, 4)).toBe('0.2500');
    expect(formatFixed(3400, 2)).toBe('3400.00');
    expect(formatFixed(Number.NaN, 2)).toBe('');
    expect(formatFixed(-0.0001, 2)).toBe('0.00');
  });

  it('groups thousands', () => {
    expect(formatGrouped(1234567.5, 1)).toBe('1,234,567.5');
    expect(formatGrouped(-1234, 0)).toBe('-1,234');
    expect(formatGrouped(999, 2)).toBe('999.00');
  });

  it('abbreviates counts and rounds milliseconds sensibly', () => {
    expect([formatCount(87), formatCount(1234), formatCount(56_789), formatCount(3_400_000)]).toEqual(['87', '1.2k', '57k', '3.4M']);
    expect([formatMs(0.421), formatMs(3.14), formatMs(18.6), formatMs(Number.NaN)]).toEqual(['0.42', '3.1', '19', '–']);
  });

  it('computes the spread in basis points of the mid', () => {
    expect(spreadBps(0.1, 65000.05)).toBeCloseTo(0.01538, 5);
    expect(spreadBps(Number.NaN, 1)).toBeNaN();
  });
});
