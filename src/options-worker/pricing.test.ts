import { beforeAll, describe, expect, it } from 'vitest';
import type * as Wasm from '../../core-wasm/pkg/ferrodesk_wasm.js';
import type { Strategy } from '../protocol/options';
import { heatmapJob, strategyJob } from './handlers';
import { JobRunner, type JobBody } from './jobs';
import { legValues, volSourceFor, type PricingEngine } from './pricing';

// The browser tsconfig has no Node types: the one Node module needed is imported by name, typed by hand.
const fs = (await import('node:fs' as string)) as { existsSync(p: URL): boolean; readFileSync(p: URL): Uint8Array<ArrayBuffer> };
const WASM = new URL('../../core-wasm/pkg/ferrodesk_wasm_bg.wasm', import.meta.url);
const built = fs.existsSync(WASM);
let engine: PricingEngine;

beforeAll(async () => {
  if (!built) return;
  const mod = (await import('../../core-wasm/pkg/ferrodesk_wasm.js')) as typeof Wasm;
  mod.initSync({ module: fs.readFileSync(WASM) });
  engine = mod;
});

function run<T>(job: JobBody<T>): T {
  for (;;) {
    const step = job.next();
    if (step.done) return step.value;
  }
}

const price = (kind: 'call' | 'put', s: number, k: number, t: number): number => {
  const r = engine.priceOption('bsm', kind, s, k, 0.03, 0, t, 0.2, 0);
  try {
    return r.price;
  } finally {
    r.free();
  }
};

describe.skipIf(!built)('strategy valuation on the wasm engine (core-wasm/pkg)', () => {
  const st: Strategy = { spot: 100, rate: 0.03, div: 0, legs: [
    { kind: 'call', qty: -1, strike: 100, expiryDays: 10, model: 'bsm', vol: 0.2, steps: 200 },
    { kind: 'call', qty: 1, strike: 100, expiryDays: 40, model: 'bsm', vol: 0.2, steps: 200 },
  ] };

  it('settles a leg that has expired at intrinsic and prices the rest with the model', () => {
    const spots = Float64Array.of(90, 100, 115);
    const out = new Float64Array(3);
    legValues(engine, st, st.legs[0] as Strategy['legs'][number], volSourceFor({ kind: 'flat' }), spots, 20, 0, out);
    expect([...out]).toEqual([0, 0, 15]);
    const r = run(strategyJob(engine, { type: 'strategy', reqId: 1, channel: 'c', strategy: st, vols: { kind: 'flat' },
      scenario: { day: 20, volShift: 0 }, lo: 90, hi: 110, n: 3 }));
    const entry = -price('call', 100, 100, 10 / 365) + price('call', 100, 100, 40 / 365);
    expect(r.entryCost).toBeCloseTo(entry, 12);
    const atDate = new Float64Array(r.atDate);
    // Day 20: the short call expired at intrinsic (spot 110: −10), the long call has 20 days left.
    expect(atDate[2]).toBeCloseTo(-10 + price('call', 110, 100, 20 / 365) - entry, 10);
    expect(r.firstExpiryDay).toBe(10);
    const atExpiry = new Float64Array(r.atExpiry);
    expect(atExpiry[1]).toBeCloseTo(price('call', 100, 100, 30 / 365) - entry, 10);
  });

  it('shifts vols and fills a heatmap row per date', () => {
    const h = run(heatmapJob(engine, { type: 'heatmap', reqId: 2, channel: 'c', strategy: st, vols: { kind: 'flat' },
      scenario: { day: 0, volShift: 0.05 }, rows: 'day', rowLo: 0, rowHi: 40, rowN: 3, lo: 90, hi: 110, n: 5 }));
    const v = new Float64Array(h.values);
    expect(v).toHaveLength(15);
    const entry = -price('call', 100, 100, 10 / 365) + price('call', 100, 100, 40 / 365);
    const shifted = (s: number, k: number, t: number): number => {
      const r = engine.priceOption('bsm', 'call', s, k, 0.03, 0, t, 0.25, 0);
      try {
        return r.price;
      } finally {
        r.free();
      }
    };
    // Row 0 (day 0), column 2 (spot 100): both legs at the shifted vol.
    expect(v[2]).toBeCloseTo(-shifted(100, 100, 10 / 365) + shifted(100, 100, 40 / 365) - entry, 10);
    // Row 2 (day 40): both expired, intrinsic only; spot 110 → −10 + 10.
    expect(v[14]).toBeCloseTo(-entry, 10);
  });

  it('rejects a bad grid with a message naming it', () => {
    expect(() => run(strategyJob(engine, { type: 'strategy', reqId: 3, channel: 'c', strategy: st, vols: { kind: 'flat' },
      scenario: { day: 0, volShift: 0 }, lo: 110, hi: 90, n: 3 }))).toThrow(/lo < hi/);
  });
});

describe('JobRunner', () => {
  it('supersedes a job on the same channel and runs others to completion', () => {
    let t = 0;
    const tasks: Array<() => void> = [];
    const runner = new JobRunner({ now: () => (t += 1), defer: (fn) => tasks.push(fn) }, 3);
    const results: string[] = [];
    function* counting(name: string, n: number): JobBody<string> {
      for (let i = 0; i < n; i++) yield [i, n];
      return name;
    }
    const handlers = (tag: string) => ({
      done: (r: string) => results.push(`${tag}:done:${r}`),
      fail: (e: string, superseded: boolean) => results.push(`${tag}:fail:${superseded}`),
      progress: () => undefined,
    });
    runner.submit('a', 1, counting('one', 50), handlers('1'));
    runner.submit('b', 2, counting('two', 5), handlers('2'));
    tasks.shift()?.();
    runner.submit('a', 3, counting('three', 2), handlers('3'));
    while (tasks.length) tasks.shift()?.();
    // The superseded job is answered at once; the others finish in round-robin order.
    expect(results[0]).toBe('1:fail:true');
    expect(results.slice(1).sort()).toEqual(['2:done:two', '3:done:three']);
    expect(runner.pending).toBe(0);
  });
});
