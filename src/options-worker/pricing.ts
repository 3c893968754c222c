/**
 * Option and strategy valuation on the wasm engine, as plain functions of an engine handle so that they run the
 * same in the worker and in Node tests. Nothing here touches the DOM or posts messages.
 *
 * Strategy conventions:
 * - a leg's value at spot S, valuation day d and vol shift δ is its model price with time (expiry − d)/365 years
 *   and volatility `vol(leg, k, t) + δ` (Bachelier legs: δ·S, the shift in price units); an option whose expiry
 *   is on or before d settles at intrinsic, max(±(S − K), 0), undiscounted;
 * - the underlying leg is worth S per unit;
 * - entry cost is the legs' value today at spot S₀ without shift; P&L = Σ qty·value − entry cost.
 */
import type * as Wasm from '../../core-wasm/pkg/ferrodesk_wasm.js';
import { GREEKS, type Leg, type OptionInputs, type Quote, type Scenario, type Strategy, type VolSourceSpec } from '../protocol/options';

export type PricingEngine = Pick<typeof Wasm, 'priceOption' | 'priceBatch'>;

/** The smallest volatility a shifted leg is priced at (a shift can push a vol through zero). */
export const MIN_VOL = 1e-4;

/**
 * A leg's volatility before the scenario's shift, from log-moneyness `k = ln(K/S)` and years `t` to expiry.
 * `flat` returns the leg's own vol; a fitted surface plugs in here as another `VolSource`.
 */
export type VolSource = (leg: Leg, k: number, t: number) => number;

export function volSourceFor(spec: VolSourceSpec): VolSource {
  switch (spec.kind) {
    case 'flat':
      return (leg) => leg.vol;
  }
}

export function emptyQuote(): Quote {
  return { price: 0, delta: 0, gamma: 0, vega: 0, theta: 0, rho: 0, dividendRho: 0, vanna: 0, volga: 0, charm: 0 };
}

/** Price and every Greek; throws the engine's error (naming the argument) for invalid inputs. */
export function quote(engine: PricingEngine, i: OptionInputs): Quote {
  const r = engine.priceOption(i.model, i.type, i.spot, i.strike, i.rate, i.div, i.time, i.vol, i.steps);
  try {
    return {
      price: r.price, delta: r.delta, gamma: r.gamma, vega: r.vega, theta: r.theta, rho: r.rho,
      dividendRho: r.dividendRho, vanna: r.vanna, volga: r.volga, charm: r.charm,
    };
  } finally {
    r.free();
  }
}

/** Writes `[x, price, delta, …]` at `out[offset…]`; NaN in every field when the engine refuses the inputs. */
export function writeQuote(engine: PricingEngine, i: OptionInputs, x: number, out: Float64Array, offset: number): void {
  out[offset] = x;
  let q: Quote | null = null;
  try {
    q = quote(engine, i);
  } catch {
    q = null;
  }
  for (let g = 0; g < GREEKS.length; g++) out[offset + 1 + g] = q ? q[GREEKS[g] as keyof Quote] : NaN;
}

/** The x values of a curve of `points` against `axis` around the inputs (time in days to expiry). */
export function curveRange(i: OptionInputs, axis: 'spot' | 'vol' | 'time', points: number): Float64Array<ArrayBuffer> {
  const xs = new Float64Array(points);
  let lo: number;
  let hi: number;
  if (axis === 'spot') {
    const mid = Math.max(Math.abs(i.spot), Math.abs(i.strike), 1e-9);
    if (i.model === 'bachelier') {
      const w = Math.max(4 * i.vol * Math.sqrt(Math.max(i.time, 1 / 365)), 0.05 * mid);
      lo = i.strike - w;
      hi = i.strike + w;
    } else {
      lo = Math.min(i.spot, i.strike) * 0.5;
      hi = Math.max(i.spot, i.strike) * 1.5;
    }
  } else if (axis === 'vol') {
    lo = i.vol * 0.05;
    hi = Math.max(i.vol * 2.5, i.model === 'bachelier' ? i.vol : 1);
  } else {
    lo = 1;
    hi = Math.max(i.time * 365 * 2, 30);
  }
  for (let p = 0; p < points; p++) xs[p] = lo + ((hi - lo) * p) / Math.max(points - 1, 1);
  return xs;
}

export function inputsAt(i: OptionInputs, axis: 'spot' | 'vol' | 'time', x: number): OptionInputs {
  if (axis === 'spot') return { ...i, spot: x };
  if (axis === 'vol') return { ...i, vol: x };
  return { ...i, time: x / 365 };
}

export function isOption(leg: Leg): leg is Leg & { kind: 'call' | 'put' } {
  return leg.kind !== 'underlying';
}

/** Day of the first option expiry, or null without option legs. */
export function firstExpiry(s: Strategy): number | null {
  let first: number | null = null;
  for (const leg of s.legs) if (isOption(leg) && (first === null || leg.expiryDays < first)) first = leg.expiryDays;
  return first;
}

function intrinsic(kind: 'call' | 'put', s: number, k: number): number {
  return Math.max(kind === 'call' ? s - k : k - s, 0);
}

function legVol(vols: VolSource, leg: Leg, spot: number, t: number, shift: number): number {
  const base = vols(leg, Math.log(leg.strike / Math.max(spot, 1e-12)), t);
  return Math.max(base + (leg.model === 'bachelier' ? shift * spot : shift), MIN_VOL);
}

/**
 * Per-unit values of one leg at each spot in `spots` on `day` with vol shift `shift`, written to `out`.
 * European closed forms and the American approximations go through one `priceBatch` call; the trees through
 * `priceOption` with the leg's own step count.
 */
export function legValues(engine: PricingEngine, st: Strategy, leg: Leg, vols: VolSource, spots: Float64Array,
  day: number, shift: number, out: Float64Array): void {
  const n = spots.length;
  if (!isOption(leg)) {
    out.set(spots);
    return;
  }
  const t = Math.max(leg.expiryDays - day, 0) / 365;
  if (t === 0) {
    for (let i = 0; i < n; i++) out[i] = intrinsic(leg.kind, spots[i] as number, leg.strike);
    return;
  }
  if (leg.model === 'binomial' || leg.model === 'binomial_european') {
    for (let i = 0; i < n; i++) {
      const s = spots[i] as number;
      try {
        out[i] = quote(engine, { model: leg.model, type: leg.kind, spot: s, strike: leg.strike, rate: st.rate, div: st.div,
          time: t, vol: legVol(vols, leg, s, t, shift), steps: leg.steps }).price;
      } catch {
        out[i] = NaN;
      }
    }
    return;
  }
  const col = (v: number): Float64Array => new Float64Array(n).fill(v);
  const vol = new Float64Array(n);
  for (let i = 0; i < n; i++) vol[i] = legVol(vols, leg, spots[i] as number, t, shift);
  const scratch = (): Float64Array => new Float64Array(n);
  engine.priceBatch(leg.model, new Uint8Array(n).fill(leg.kind === 'call' ? 1 : 0), spots, col(leg.strike), col(st.rate),
    col(st.div), col(t), vol, out, scratch(), scratch(), scratch(), scratch(), scratch());
}

/** Net premium today: Σ qty × value at S₀, day 0, no shift. */
export function entryCost(engine: PricingEngine, st: Strategy, vols: VolSource): number {
  const spot = Float64Array.of(st.spot);
  const v = new Float64Array(1);
  let cost = 0;
  for (const leg of st.legs) {
    legValues(engine, st, leg, vols, spot, 0, 0, v);
    cost += leg.qty * (v[0] as number);
  }
  return cost;
}

/** Adds `qty ×` leg values to `acc` (the P&L before subtracting the entry cost). */
export function accumulateLeg(engine: PricingEngine, st: Strategy, leg: Leg, vols: VolSource, spots: Float64Array,
  day: number, shift: number, acc: Float64Array, scratch: Float64Array): void {
  legValues(engine, st, leg, vols, spots, day, shift, scratch);
  for (let i = 0; i < acc.length; i++) acc[i] = (acc[i] as number) + leg.qty * (scratch[i] as number);
}

/** Position Greeks at S₀ under a scenario: Σ qty × leg Greeks (the underlying: value S, delta 1). */
export function positionGreeks(engine: PricingEngine, st: Strategy, vols: VolSource, sc: Scenario): Quote {
  const total = emptyQuote();
  for (const leg of st.legs) {
    let g: Quote;
    if (!isOption(leg)) {
      g = { ...emptyQuote(), price: st.spot, delta: 1 };
    } else {
      const t = Math.max(leg.expiryDays - sc.day, 0) / 365;
      g = quote(engine, { model: leg.model, type: leg.kind, spot: st.spot, strike: leg.strike, rate: st.rate, div: st.div,
        time: t, vol: legVol(vols, leg, st.spot, t, sc.volShift), steps: leg.steps });
    }
    for (const name of GREEKS) total[name] += leg.qty * g[name];
  }
  return total;
}

export function linspace(lo: number, hi: number, n: number): Float64Array<ArrayBuffer> {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = n === 1 ? lo : lo + ((hi - lo) * i) / (n - 1);
  return out;
}
