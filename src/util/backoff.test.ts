import { describe, expect, it } from 'vitest';
import { backoffDelay, nominalDelay, RECONNECT_BACKOFF } from './backoff';

describe('reconnect backoff', () => {
  it('doubles from 250 ms and caps at 8 s', () => {
    const schedule = Array.from({ length: 9 }, (_, i) => nominalDelay(RECONNECT_BACKOFF, i));
    expect(schedule).toEqual([250, 500, 1000, 2000, 4000, 8000, 8000, 8000, 8000]);
    expect(nominalDelay(RECONNECT_BACKOFF, 1000)).toBe(8000);
    expect(nominalDelay(RECONNECT_BACKOFF, -3)).toBe(250);
  });

  it('jitters each delay between half and all of its nominal value', () => {
    for (let attempt = 0; attempt < 8; attempt++) {
      const nominal = nominalDelay(RECONNECT_BACKOFF, attempt);
      expect(backoffDelay(RECONNECT_BACKOFF, attempt, () => 0)).toBe(Math.round(nominal / 2));
      expect(backoffDelay(RECONNECT_BACKOFF, attempt, () => 0.999999)).toBe(Math.round(nominal));
      const mid = backoffDelay(RECONNECT_BACKOFF, attempt, () => 0.5);
      expect(mid).toBe(Math.round(nominal * 0.75));
    }
  });

  it('spreads clients out: different random draws give different delays', () => {
    const draws = [0.1, 0.3, 0.6, 0.9].map((r) => backoffDelay(RECONNECT_BACKOFF, 4, () => r));
    expect(new Set(draws).size).toBe(4);
  });
});
