/**
 * The pricer form as engine inputs: field rules, exercise ↔ model mapping, display units of the Greeks.
 * Percent fields (σ, r, q) are shown in % for the lognormal models; Bachelier's σ is absolute (price units/√year).
 */
import type { CurveAxis, GreekName, ModelName, OptionInputs } from '../../../protocol/options';
import type { PricerState } from '../../../state';
import { MAX_STEPS_UI } from '../strategy/codec';

export type Exercise = 'european' | 'american';

export const MODEL_LABELS: Record<ModelName, string> = {
  bsm: 'Black–Scholes–Merton', black76: 'Black-76 (forward)', bachelier: 'Bachelier (normal)',
  baw: 'Barone-Adesi–Whaley', bjs1993: 'Bjerksund–Stensland 1993', bjs2002: 'Bjerksund–Stensland 2002',
  binomial: 'Binomial (Leisen–Reimer)', binomial_european: 'Binomial (Leisen–Reimer)',
};

export const MODELS_FOR: Record<Exercise, ModelName[]> = {
  european: ['bsm', 'black76', 'bachelier', 'binomial_european'],
  american: ['baw', 'bjs1993', 'bjs2002', 'binomial'],
};

export const exerciseOf = (m: ModelName): Exercise => (MODELS_FOR.american.includes(m) ? 'american' : 'european');
export const isTree = (m: ModelName): boolean => m === 'binomial' || m === 'binomial_european';

/** The model to use when the exercise style changes: the same tree, else the style's first model. */
export function modelForExercise(m: ModelName, ex: Exercise): ModelName {
  if (exerciseOf(m) === ex) return m;
  if (m === 'binomial') return 'binomial_european';
  if (m === 'binomial_european') return 'binomial';
  return MODELS_FOR[ex][0] as ModelName;
}

export function toInputs(p: PricerState): OptionInputs {
  return {
    model: p.model, type: p.type, spot: p.spot, strike: p.strike, rate: p.ratePct / 100, div: p.divPct / 100,
    time: p.days / 365, vol: p.model === 'bachelier' ? p.volPct : p.volPct / 100, steps: p.steps,
  };
}

export type PricerField = 'spot' | 'strike' | 'volPct' | 'ratePct' | 'divPct' | 'days' | 'steps';

/** null when `v` is acceptable for `field` under `model`, else the reason. */
export function checkField(field: PricerField, v: number, model: ModelName): string | null {
  const lognormal = model !== 'bachelier';
  switch (field) {
    case 'spot':
    case 'strike':
      if (lognormal && v <= 0) return 'must be above 0 for a lognormal model';
      return Math.abs(v) > 1e9 ? 'must be at most 1e9 in size' : null;
    case 'volPct':
      if (v <= 0) return 'must be above 0';
      return lognormal && v > 500 ? 'must be at most 500 %' : null;
    case 'ratePct':
    case 'divPct':
      return Math.abs(v) > 100 ? 'must be within ±100 %' : null;
    case 'days':
      return v < 0 || v > 36500 ? 'must be from 0 to 36500 days' : null;
    case 'steps':
      return !Number.isInteger(v) || v < 1 || v > MAX_STEPS_UI ? `must be a whole number from 1 to ${MAX_STEPS_UI}` : null;
  }
}

/** Points per curve: fewer for the models whose Greeks take many model evaluations. */
export function curvePoints(m: ModelName): number {
  if (isTree(m)) return 41;
  if (m === 'baw' || m === 'bjs1993' || m === 'bjs2002') return 81;
  return 161;
}

export interface GreekDisplay {
  name: GreekName;
  label: string;
  /** Factor from QuantLib units to the displayed unit. */
  scale: number;
  unit: string;
}

export function greekDisplays(perDay: boolean, perPct: boolean): GreekDisplay[] {
  const pct = perPct ? 0.01 : 1;
  return [
    { name: 'price', label: 'Price', scale: 1, unit: '' },
    { name: 'delta', label: 'Delta', scale: 1, unit: '∂V/∂S' },
    { name: 'gamma', label: 'Gamma', scale: 1, unit: '∂²V/∂S²' },
    { name: 'vega', label: 'Vega', scale: pct, unit: perPct ? 'per 1 vol pt' : 'per 1.00 vol' },
    { name: 'theta', label: 'Theta', scale: perDay ? 1 / 365 : 1, unit: perDay ? 'per day' : 'per year' },
    { name: 'rho', label: 'Rho', scale: pct, unit: perPct ? 'per 1 %' : 'per 1.00' },
    { name: 'dividendRho', label: 'Div rho', scale: pct, unit: perPct ? 'per 1 %' : 'per 1.00' },
    { name: 'vanna', label: 'Vanna', scale: pct, unit: perPct ? 'Δ per 1 vol pt' : 'Δ per 1.00 vol' },
    { name: 'volga', label: 'Volga', scale: pct * pct, unit: perPct ? 'vega per 1 vol pt²' : 'per 1.00²' },
    { name: 'charm', label: 'Charm', scale: perDay ? 1 / 365 : 1, unit: perDay ? 'Δ per day' : 'Δ per year' },
  ];
}

export function formatValue(v: number): string {
  if (!Number.isFinite(v)) return '—';
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-4 || a >= 1e7)) return v.toExponential(4);
  if (a >= 1000) return v.toFixed(2);
  return v.toFixed(Math.max(2, 6 - Math.max(0, Math.floor(Math.log10(a || 1)) + 1)));
}

export const AXIS_LABEL: Record<CurveAxis, string> = { spot: 'spot', vol: 'volatility', time: 'days to expiry' };

/** Days from today (UTC) to an ISO date `yyyy-mm-dd`; NaN when unreadable. */
export function daysUntil(iso: string, now: Date): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) return NaN;
  const target = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return Math.round((target - today) / 86_400_000);
}

export function dateAfter(days: number, now: Date): string {
  const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) + Math.round(days) * 86_400_000);
  return d.toISOString().slice(0, 10);
}
