/**
 * Strategy P&L at a single expiry, analytically: the payoff Σ qty·max(±(S − K), 0) + Σ qty·S is piecewise linear
 * in S with kinks at the strikes, so breakevens are the roots on each linear piece and the extremes sit at S = 0,
 * at a kink, or at S → ∞ (unbounded when the slope beyond the last strike is non-zero). Spot is floored at 0.
 *
 * Probability of profit: S_T lognormal under the risk-neutral (BSM) measure,
 * ln S_T ~ N(ln S₀ + (r − q − σ²/2)T, σ²T), integrated over the intervals where the P&L is positive.
 */
import type { Leg } from '../../../protocol/options';

/**
 * The P&L at expiry of `legs` at spot `s`, given the entry cost: premiums paid (negative if received) plus
 * qty × entry spot for the underlying.
 */
export function payoffAt(legs: readonly Leg[], s: number, entryCost: number): number {
  let v = -entryCost;
  for (const leg of legs) {
    if (leg.kind === 'call') v += leg.qty * Math.max(s - leg.strike, 0);
    else if (leg.kind === 'put') v += leg.qty * Math.max(leg.strike - s, 0);
    else v += leg.qty * s;
  }
  return v;
}

export interface Extreme {
  /** null when unbounded. */
  value: number | null;
  /** Where it is reached (the lowest such spot), null when unbounded. */
  at: number | null;
}

export interface ExpiryAnalysis {
  breakevens: number[];
  maxProfit: Extreme;
  maxLoss: Extreme;
  /** Slope of P&L in S beyond the highest strike. */
  rightSlope: number;
}

const EPS = 1e-9;

/** Breakevens and extremes of the expiry P&L; every option leg must share the expiry. */
export function analyseExpiry(legs: readonly Leg[], entryCost: number): ExpiryAnalysis {
  const kinks = [...new Set(legs.filter((l) => l.kind !== 'underlying').map((l) => l.strike))].filter((k) => k > 0).sort((a, b) => a - b);
  const points = [0, ...kinks];
  const f = (s: number): number => payoffAt(legs, s, entryCost);
  let rightSlope = 0;
  for (const leg of legs) if (leg.kind === 'call' || leg.kind === 'underlying') rightSlope += leg.qty;

  const breakevens: number[] = [];
  const scale = Math.max(1, ...legs.map((l) => Math.abs(l.qty * l.strike)), Math.abs(entryCost));
  const zero = (v: number): boolean => Math.abs(v) <= EPS * scale;
  for (let i = 0; i < points.length; i++) {
    const a = points[i] as number;
    const fa = f(a);
    if (zero(fa) && a > 0) breakevens.push(a);
    const b = points[i + 1];
    if (b !== undefined) {
      const fb = f(b);
      if (!zero(fa) && !zero(fb) && fa * fb < 0) breakevens.push(a + ((b - a) * fa) / (fa - fb));
    } else if (!zero(rightSlope) && !zero(fa) && fa * rightSlope < 0) {
      breakevens.push(a - fa / rightSlope);
    }
  }
  // A flat stretch at zero would list each kink on it; keep them, but not twice.
  const uniq = breakevens.sort((x, y) => x - y).filter((x, i, arr) => i === 0 || Math.abs(x - (arr[i - 1] as number)) > EPS * scale);

  let hi: Extreme = { value: -Infinity, at: null };
  let lo: Extreme = { value: Infinity, at: null };
  for (const p of points) {
    const v = f(p);
    if (v > (hi.value as number) + EPS * scale) hi = { value: v, at: p };
    if (v < (lo.value as number) - EPS * scale) lo = { value: v, at: p };
  }
  if (rightSlope > EPS) hi = { value: null, at: null };
  if (rightSlope < -EPS) lo = { value: null, at: null };
  return { breakevens: uniq, maxProfit: hi, maxLoss: lo, rightSlope };
}

/** Standard normal CDF (Abramowitz & Stegun 7.1.26 via erf; absolute error below 1.5e-7). */
export function normCdf(x: number): number {
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * z);
  const y = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-z * z);
  return x >= 0 ? 0.5 * (1 + y) : 0.5 * (1 - y);
}

/** P(S_T ≤ x) for lognormal S_T under the risk-neutral measure. */
export function lognormalCdf(x: number, spot: number, rate: number, div: number, vol: number, years: number): number {
  if (x <= 0) return 0;
  if (years <= 0 || vol <= 0) return spot <= x ? 1 : 0;
  const sd = vol * Math.sqrt(years);
  return normCdf((Math.log(x / spot) - (rate - div - 0.5 * vol * vol) * years) / sd);
}

/**
 * Probability that the P&L `f` is positive at expiry, given the sorted breakevens (sign changes of `f`).
 * Sums the lognormal mass of each interval between consecutive breakevens whose midpoint is profitable.
 */
export function probabilityOfProfit(f: (s: number) => number, breakevens: readonly number[], spot: number, rate: number,
  div: number, vol: number, years: number): number {
  const edges = [0, ...breakevens, Infinity];
  let p = 0;
  for (let i = 0; i + 1 < edges.length; i++) {
    const a = edges[i] as number;
    const b = edges[i + 1] as number;
    const mid = b === Infinity ? a * 2 + 1 : (a + b) / 2;
    if (f(mid) > 0) p += (b === Infinity ? 1 : lognormalCdf(b, spot, rate, div, vol, years)) - lognormalCdf(a, spot, rate, div, vol, years);
  }
  return Math.min(1, Math.max(0, p));
}

/** Sign changes of sampled P&L (linear interpolation): breakevens of a curve with no closed form. */
export function sampledBreakevens(xs: ArrayLike<number>, ys: ArrayLike<number>): number[] {
  const out: number[] = [];
  for (let i = 1; i < xs.length; i++) {
    const y0 = ys[i - 1] as number;
    const y1 = ys[i] as number;
    if (!Number.isFinite(y0) || !Number.isFinite(y1)) continue;
    if (y0 === 0) out.push(xs[i - 1] as number);
    else if (y0 * y1 < 0) out.push((xs[i - 1] as number) + (((xs[i] as number) - (xs[i - 1] as number)) * y0) / (y0 - y1));
  }
  return out;
}

/** Legs' |qty|-weighted mean volatility (the σ used for the probability of profit). */
export function meanVol(legs: readonly Leg[]): number {
  let w = 0;
  let sum = 0;
  for (const l of legs) {
    if (l.kind === 'underlying') continue;
    w += Math.abs(l.qty);
    sum += Math.abs(l.qty) * l.vol;
  }
  return w > 0 ? sum / w : 0;
}

/** True when every option leg expires on the same day (the analytic case). */
export function singleExpiry(legs: readonly Leg[]): boolean {
  const days = new Set(legs.filter((l) => l.kind !== 'underlying').map((l) => l.expiryDays));
  return days.size <= 1;
}
