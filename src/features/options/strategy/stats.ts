/**
 * The strategy's headline figures from the worker's P&L curves: analytic when every option leg shares one expiry
 * (payoff.ts), otherwise read off the sampled P&L at the first expiry (later legs at model value) and marked so.
 */
import type { StrategyResult } from '../../../protocol/options';
import type { StrategyDoc } from './codec';
import { analyseExpiry, meanVol, payoffAt, probabilityOfProfit, sampledBreakevens, singleExpiry, type Extreme } from './payoff';

export interface StrategyStats {
  entryCost: number;
  analytic: boolean;
  breakevens: number[];
  maxProfit: Extreme;
  maxLoss: Extreme;
  /** Probability of profit at the first expiry; null without option legs. */
  pop: number | null;
  popVol: number;
  popYears: number;
}

function interp(xs: Float64Array, ys: Float64Array, x: number): number {
  const n = xs.length;
  if (x <= (xs[0] as number)) return ys[0] as number;
  if (x >= (xs[n - 1] as number)) return ys[n - 1] as number;
  let lo = 0;
  let hi = n - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if ((xs[mid] as number) <= x) lo = mid;
    else hi = mid;
  }
  const t = (x - (xs[lo] as number)) / ((xs[hi] as number) - (xs[lo] as number));
  return (ys[lo] as number) + t * ((ys[hi] as number) - (ys[lo] as number));
}

export function strategyStats(doc: StrategyDoc, r: StrategyResult): StrategyStats {
  const { strategy: st, scenario } = doc;
  const legs = st.legs;
  const popVol = Math.max(meanVol(legs) + scenario.volShift, 1e-4);
  const popYears = (r.firstExpiryDay ?? 0) / 365;
  if (singleExpiry(legs)) {
    const a = analyseExpiry(legs, r.entryCost);
    const pop = r.firstExpiryDay === null ? null
      : probabilityOfProfit((s) => payoffAt(legs, s, r.entryCost), a.breakevens, st.spot, st.rate, st.div, popVol, popYears);
    return { entryCost: r.entryCost, analytic: true, breakevens: a.breakevens, maxProfit: a.maxProfit, maxLoss: a.maxLoss, pop, popVol, popYears };
  }
  const xs = new Float64Array(r.spots);
  const ys = new Float64Array(r.atExpiry);
  const breakevens = sampledBreakevens(xs, ys);
  let hi: Extreme = { value: -Infinity, at: null };
  let lo: Extreme = { value: Infinity, at: null };
  ys.forEach((y, i) => {
    if (y > (hi.value as number)) hi = { value: y, at: xs[i] as number };
    if (y < (lo.value as number)) lo = { value: y, at: xs[i] as number };
  });
  const pop = probabilityOfProfit((s) => interp(xs, ys, s), breakevens, st.spot, st.rate, st.div, popVol, popYears);
  return { entryCost: r.entryCost, analytic: false, breakevens, maxProfit: hi, maxLoss: lo, pop, popVol, popYears };
}
