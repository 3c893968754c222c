import { describe, expect, it } from 'vitest';
import { densityFromSamples, FAST_EVENTS_PER_TICK, MAX_TICK_MS, Playback } from './playback';

function clock(): { now: () => number; advance: (ms: number) => void } {
  let t = 1000;
  return { now: () => t, advance: (ms) => { t += ms; } };
}

describe('Playback', () => {
  it('advances data time at the speed and re-anchors on each tick', () => {
    const c = clock();
    const p = new Playback(c.now);
    expect(p.next()).toEqual({ kind: 'none' });
    p.setSpeed(100, 0);
    p.play(5_000);
    c.advance(16);
    expect(p.next()).toEqual({ kind: 'time', targetMs: 5_000 + 1_600 });
    p.reached(6_000, 6_600);
    c.advance(10);
    expect(p.next()).toEqual({ kind: 'time', targetMs: 6_600 + 1_000 });
  });

  it('caps a tick at MAX_TICK_MS of wall time (a throttled tab does not jump)', () => {
    const c = clock();
    const p = new Playback(c.now);
    p.play(0);
    c.advance(5_000);
    expect(p.next()).toEqual({ kind: 'time', targetMs: MAX_TICK_MS });
  });

  it('changing speed mid-play continues from the cursor', () => {
    const c = clock();
    const p = new Playback(c.now);
    p.play(0);
    c.advance(50);
    p.setSpeed(10, 50);
    c.advance(20);
    expect(p.next()).toEqual({ kind: 'time', targetMs: 50 + 200 });
  });

  it('plays as fast as possible by events, and pause stops', () => {
    const p = new Playback(clock().now);
    p.setSpeed(Number.POSITIVE_INFINITY, 0);
    p.play(0);
    expect(p.next()).toEqual({ kind: 'events', count: FAST_EVENTS_PER_TICK });
    p.pause();
    expect(p.next()).toEqual({ kind: 'none' });
    expect(() => p.setSpeed(0, 0)).toThrow('speed must be above 0, got 0');
  });
});

describe('densityFromSamples', () => {
  it('spreads the events over time bins by where the evenly spaced samples fall', () => {
    // 1,000 events; 4 samples at t = 0, 1, 2, 10 over [0, 10] in 2 bins: 3 samples in the first half.
    expect(densityFromSamples([0, 1, 2, 10], 1000, 0, 10, 2)).toEqual([750, 250]);
    expect(densityFromSamples([], 0, 0, 10, 3)).toEqual([0, 0, 0]);
  });
});
