import { describe, expect, it } from 'vitest';
import type { Leg } from '../../../protocol/options';
import { checkStrategy, decodeStrategy, encodeStrategy, type StrategyDoc } from './codec';
import { analyseExpiry, lognormalCdf, normCdf, payoffAt, probabilityOfProfit, sampledBreakevens } from './payoff';
import { buildPreset, PRESETS, strikeStep } from './presets';

const P = { spot: 100, vol: 0.2, days: 30, model: 'bsm' as const, steps: 200 };
const opt = (kind: Leg['kind'], qty: number, strike: number, expiryDays = 30): Leg =>
  ({ kind, qty, strike, expiryDays, model: 'bsm', vol: 0.2, steps: 200 });

describe('payoffAt', () => {
  it('sums intrinsic values and the underlying, less the entry cost', () => {
    const legs = [opt('call', 1, 100), opt('put', -2, 90), opt('underlying', 3, 0)];
    // entry: 4 of premium + 3 × 100 for the shares
    expect(payoffAt(legs, 120, 304)).toBeCloseTo(20 + 0 + 360 - 304, 12);
    expect(payoffAt(legs, 80, 304)).toBeCloseTo(0 - 2 * 10 + 240 - 304, 12);
  });
});

describe('analyseExpiry on the presets (entry cost given by hand)', () => {
  it('long straddle: loss limited to the premium, profit unbounded, breakevens K ± premium', () => {
    const a = analyseExpiry(buildPreset('long-straddle', P), 6);
    expect(a.maxLoss).toEqual({ value: -6, at: 100 });
    expect(a.maxProfit.value).toBeNull();
    expect(a.breakevens).toEqual([94, 106]);
  });

  it('short straddle: loss unbounded, profit the premium', () => {
    const a = analyseExpiry(buildPreset('short-straddle', P), -6);
    expect(a.maxLoss.value).toBeNull();
    expect(a.maxProfit).toEqual({ value: 6, at: 100 });
    expect(a.breakevens).toEqual([94, 106]);
  });

  it('long and short strangle', () => {
    const long = analyseExpiry(buildPreset('long-strangle', P), 2);
    expect(long.breakevens).toEqual([93, 107]);
    expect(long.maxLoss.value).toBe(-2);
    expect(long.maxProfit.value).toBeNull();
    const short = analyseExpiry(buildPreset('short-strangle', P), -2);
    expect(short.maxProfit.value).toBe(2);
    expect(short.maxLoss.value).toBeNull();
  });

  it('verticals: bounded both sides at width − debit and the debit', () => {
    const bullCall = analyseExpiry(buildPreset('bull-call', P), 2.5);
    expect(bullCall.maxLoss.value).toBe(-2.5);
    expect(bullCall.maxProfit.value).toBe(2.5);
    expect(bullCall.breakevens).toEqual([102.5]);
    const bearCall = analyseExpiry(buildPreset('bear-call', P), -2);
    expect(bearCall.maxProfit.value).toBe(2);
    expect(bearCall.maxLoss.value).toBe(-3);
    expect(bearCall.breakevens).toEqual([102]);
    const bullPut = analyseExpiry(buildPreset('bull-put', P), -1.5);
    expect(bullPut.maxProfit.value).toBe(1.5);
    expect(bullPut.maxLoss.value).toBe(-3.5);
    expect(bullPut.breakevens).toEqual([98.5]);
    const bearPut = analyseExpiry(buildPreset('bear-put', P), 2);
    expect(bearPut.maxProfit.value).toBe(3);
    expect(bearPut.maxLoss.value).toBe(-2);
    expect(bearPut.breakevens).toEqual([98]);
  });

  it('butterfly: max profit at the body, loss the debit', () => {
    const a = analyseExpiry(buildPreset('butterfly', P), 1);
    expect(a.maxProfit).toEqual({ value: 4, at: 100 });
    expect(a.maxLoss.value).toBe(-1);
    expect(a.breakevens).toEqual([96, 104]);
  });

  it('iron condor: max loss = wing width − credit, breakevens at the short strikes ∓ credit', () => {
    const legs = buildPreset('iron-condor', P);
    expect(legs.map((l) => l.strike)).toEqual([90, 95, 105, 110]);
    const a = analyseExpiry(legs, -1.2);
    expect(a.maxProfit.value).toBeCloseTo(1.2, 12);
    expect(a.maxLoss.value).toBeCloseTo(-3.8, 12);
    expect(a.breakevens[0]).toBeCloseTo(93.8, 12);
    expect(a.breakevens[1]).toBeCloseTo(106.2, 12);
  });

  it('covered call and collar with the underlying bought at 100', () => {
    const cc = analyseExpiry(buildPreset('covered-call', P), 100 - 1.5);
    expect(cc.maxProfit.value).toBeCloseTo(6.5, 12);
    expect(cc.maxLoss).toEqual({ value: -98.5, at: 0 });
    expect(cc.breakevens).toEqual([98.5]);
    const collar = analyseExpiry(buildPreset('collar', P), 100 + 0.5);
    expect(collar.maxProfit.value).toBeCloseTo(4.5, 12);
    expect(collar.maxLoss.value).toBeCloseTo(-5.5, 12);
  });

  it('a naked short call and a short stock position have unbounded loss', () => {
    expect(analyseExpiry([opt('call', -1, 105)], -2).maxLoss.value).toBeNull();
    expect(analyseExpiry([opt('underlying', -1, 0)], -100).maxLoss.value).toBeNull();
    expect(analyseExpiry([opt('underlying', -1, 0)], -100).maxProfit).toEqual({ value: 100, at: 0 });
  });

  it('every preset builds valid legs', () => {
    for (const p of PRESETS) {
      const doc: StrategyDoc = { strategy: { spot: 100, rate: 0.03, div: 0, legs: buildPreset(p.id, P) }, scenario: { day: 0, volShift: 0 } };
      expect(checkStrategy(doc)).toEqual([]);
    }
    expect(buildPreset('calendar', P).map((l) => l.expiryDays)).toEqual([30, 60]);
  });
});

describe('strike steps', () => {
  it('rounds about 5% of spot to 1, 2, 2.5 or 5 × 10^n', () => {
    expect(strikeStep(100)).toBe(5);
    expect(strikeStep(3000)).toBe(200);
    expect(strikeStep(45)).toBe(2);
    expect(strikeStep(0.8)).toBeCloseTo(0.05, 12);
  });
});

describe('probability of profit', () => {
  it('uses the lognormal risk-neutral distribution', () => {
    expect(normCdf(0)).toBeCloseTo(0.5, 7);
    expect(normCdf(1.959964)).toBeCloseTo(0.975, 6);
    // P(S_T ≤ S0·e^{(r−q−σ²/2)T}) = ½ (the median).
    const median = 100 * Math.exp((0.03 - 0.02) * 0.5);
    expect(lognormalCdf(median, 100, 0.03, 0, 0.2, 0.5)).toBeCloseTo(0.5, 7);
  });

  it('adds the mass of the profitable intervals only', () => {
    const legs = buildPreset('iron-condor', P);
    const f = (s: number): number => payoffAt(legs, s, -1.2);
    const pop = probabilityOfProfit(f, [93.8, 106.2], 100, 0.03, 0, 0.2, 30 / 365);
    const direct = lognormalCdf(106.2, 100, 0.03, 0, 0.2, 30 / 365) - lognormalCdf(93.8, 100, 0.03, 0, 0.2, 30 / 365);
    expect(pop).toBeCloseTo(direct, 12);
    expect(pop).toBeGreaterThan(0.5);
    expect(probabilityOfProfit((s) => s - 50, [50], 100, 0, 0, 0.2, 0)).toBe(1);
  });

  it('finds sign changes of a sampled curve', () => {
    expect(sampledBreakevens([0, 1, 2, 3], [-1, 1, 1, -3])).toEqual([0.5, 2.25]);
  });
});

describe('URL codec', () => {
  const doc: StrategyDoc = {
    strategy: { spot: 100, rate: 0.03, div: 0.01, legs: [...buildPreset('collar', P), opt('put', -0.5, 87.5, 45)] },
    scenario: { day: 7, volShift: -0.025 },
  };

  it('round-trips a strategy through characters the query string leaves alone', () => {
    const text = encodeStrategy(doc);
    expect(new URLSearchParams({ st: text }).toString()).toBe(`st=${text}`);
    const back = decodeStrategy(text);
    expect(back.ok && back.doc).toEqual({ ...doc, strategy: { ...doc.strategy,
      legs: doc.strategy.legs.map((l) => (l.kind === 'underlying' ? { ...l, expiryDays: 0, strike: 0, model: 'bsm', vol: 0.2, steps: 200 } : l)) } });
  });

  it('names every bad field', () => {
    const r = decodeStrategy('1*100_x_0_0_0*c_0_100_30_bsm_0.2_200*z_1*p_1_-5_30_nope_9_200');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.map((e) => e.path)).toEqual(['rate', 'legs[1].kind', 'legs[2].model']);
    const r2 = decodeStrategy('1*100_0_0_0_0*c_0_100_30_bsm_0.2_200*p_1_-5_30_bsm_9_200');
    expect(r2.ok ? [] : r2.errors.map((e) => e.path)).toEqual(['legs[0].qty', 'legs[1].strike', 'legs[1].vol']);
    expect(decodeStrategy('2*100').ok).toBe(false);
  });
});
