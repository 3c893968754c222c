import { describe, expect, it } from 'vitest';
import { FrameQueue } from './frameQueue';
import { RateCounter } from './rate';

describe('frame queue', () => {
  it('concatenates queued frames into one batch and reports their receipt times', () => {
    const q = new FrameQueue();
    q.push(new Uint8Array([1, 2, 3]), 10);
    q.push(new Uint8Array([4]), 12);
    q.push(new Uint8Array(100_000).fill(7), 15);
    let seen: number[] = [];
    const timing = q.take((bytes) => {
      seen = [bytes.byteLength, bytes[0] ?? -1, bytes[3] ?? -1, bytes[4] ?? -1];
    });
    expect(seen).toEqual([100_004, 1, 4, 7]);
    expect(timing).toEqual({ frames: 3, sumRecvMs: 37, oldestRecvMs: 10 });
    expect(q.bytes).toBe(0);
    expect(q.take(() => undefined)).toBeNull();
  });
});

describe('rate counter', () => {
  it('counts events over the last second', () => {
    let now = 0;
    const r = new RateCounter(() => now);
    for (let i = 0; i < 50; i++) {
      r.add();
      now += 10;
    }
    expect(r.perSecond()).toBe(50);
    now += 600;
    r.add(3);
    // The first half second of events has left the window.
    expect(r.perSecond()).toBeLessThan(53);
    now += 5000;
    expect(r.perSecond()).toBe(0);
  });
});
