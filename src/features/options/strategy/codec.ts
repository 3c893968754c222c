/**
 * Strategies in the URL, compactly: `st=1*S_r_q_day_shift*LEG*LEG…` with each leg `k_qty_strike_days_model_vol_steps`
 * (`k`: c call, p put, u underlying). Only characters that URLSearchParams leaves alone (`*`, `_`, `.`, `-`,
 * digits, letters), so a link stays readable. `checkStrategy` is the one validation of a strategy's fields on
 * the client: decoded links and edited legs go through it; errors name the field, the value and the reason.
 */
import { MODELS, type Leg, type ModelName, type StrategyDocument } from '../../../protocol/options';

export const MAX_LEGS = 12;
export const MAX_DAYS = 3650;
export const MAX_STEPS_UI = 2000;

export type StrategyDoc = StrategyDocument;

export interface FieldError {
  path: string;
  value: unknown;
  reason: string;
}

type Check = [path: string, value: number, ok: boolean, reason: string];

export function checkLeg(leg: Leg, path: string): FieldError[] {
  const lognormal = leg.model !== 'bachelier';
  const checks: Check[] = [
    [`${path}.qty`, leg.qty, Number.isFinite(leg.qty) && leg.qty !== 0 && Math.abs(leg.qty) <= 1e6, 'must be a non-zero number within ±1,000,000'],
  ];
  if (leg.kind !== 'underlying') {
    checks.push(
      [`${path}.strike`, leg.strike, Number.isFinite(leg.strike) && leg.strike > 0 && leg.strike <= 1e9, 'must be a number above 0 and at most 1e9'],
      [`${path}.expiryDays`, leg.expiryDays, Number.isInteger(leg.expiryDays) && leg.expiryDays >= 0 && leg.expiryDays <= MAX_DAYS, `must be a whole number of days from 0 to ${MAX_DAYS}`],
      [`${path}.vol`, leg.vol, Number.isFinite(leg.vol) && leg.vol > 0 && (!lognormal || leg.vol <= 5), lognormal ? 'must be above 0 and at most 5 (500%)' : 'must be above 0'],
      [`${path}.steps`, leg.steps, Number.isInteger(leg.steps) && leg.steps >= 1 && leg.steps <= MAX_STEPS_UI, `must be a whole number from 1 to ${MAX_STEPS_UI}`],
    );
  }
  const errors: FieldError[] = checks.filter((c) => !c[2]).map(([p, value, , reason]) => ({ path: p, value, reason }));
  if (!(MODELS as readonly string[]).includes(leg.model)) errors.push({ path: `${path}.model`, value: leg.model, reason: `must be one of ${MODELS.join(', ')}` });
  return errors;
}

export function checkStrategy(doc: StrategyDoc): FieldError[] {
  const { strategy: s, scenario: sc } = doc;
  const checks: Check[] = [
    ['spot', s.spot, Number.isFinite(s.spot) && s.spot > 0 && s.spot <= 1e9, 'must be a number above 0 and at most 1e9'],
    ['rate', s.rate, Number.isFinite(s.rate) && Math.abs(s.rate) <= 1, 'must be within ±1 (±100%)'],
    ['div', s.div, Number.isFinite(s.div) && Math.abs(s.div) <= 1, 'must be within ±1 (±100%)'],
    ['day', sc.day, Number.isInteger(sc.day) && sc.day >= 0 && sc.day <= MAX_DAYS, `must be a whole number of days from 0 to ${MAX_DAYS}`],
    ['volShift', sc.volShift, Number.isFinite(sc.volShift) && Math.abs(sc.volShift) <= 1, 'must be within ±1 (±100 vol points)'],
  ];
  const errors: FieldError[] = checks.filter((c) => !c[2]).map(([path, value, , reason]) => ({ path, value, reason }));
  if (s.legs.length < 1 || s.legs.length > MAX_LEGS) errors.push({ path: 'legs', value: s.legs.length, reason: `must have 1 to ${MAX_LEGS} legs` });
  s.legs.forEach((l, i) => errors.push(...checkLeg(l, `legs[${i}]`)));
  return errors;
}

const num = (v: number): string => String(Number(v.toPrecision(10)));
const KIND: Record<Leg['kind'], string> = { call: 'c', put: 'p', underlying: 'u' };

export function encodeStrategy(doc: StrategyDoc): string {
  const { strategy: s, scenario: sc } = doc;
  const head = [s.spot, s.rate, s.div, sc.day, sc.volShift].map(num).join('_');
  const legs = s.legs.map((l) => l.kind === 'underlying'
    ? `u_${num(l.qty)}`
    : [KIND[l.kind], num(l.qty), num(l.strike), num(l.expiryDays), l.model, num(l.vol), num(l.steps)].join('_'));
  return ['1', head, ...legs].join('*');
}

export type Decoded = { ok: true; doc: StrategyDoc } | { ok: false; errors: FieldError[] };

function parseNum(text: string | undefined, path: string, errors: FieldError[]): number {
  const v = text === undefined || text.trim() === '' ? NaN : Number(text);
  if (!Number.isFinite(v)) errors.push({ path, value: text ?? null, reason: 'must be a number' });
  return v;
}

export function decodeStrategy(text: string): Decoded {
  const parts = text.split('*');
  if (parts[0] !== '1') return { ok: false, errors: [{ path: 'version', value: parts[0] ?? '', reason: 'expected format version 1' }] };
  const errors: FieldError[] = [];
  const head = (parts[1] ?? '').split('_');
  const [spot, rate, div, day, volShift] = ['spot', 'rate', 'div', 'day', 'volShift'].map((p, i) => parseNum(head[i], p, errors)) as
    [number, number, number, number, number];
  const legs: Leg[] = [];
  parts.slice(2).forEach((raw, i) => {
    const f = raw.split('_');
    const path = `legs[${i}]`;
    if (f[0] === 'u') {
      legs.push({ kind: 'underlying', qty: parseNum(f[1], `${path}.qty`, errors), strike: 0, expiryDays: 0, model: 'bsm', vol: 0.2, steps: 200 });
      return;
    }
    const kind = f[0] === 'c' ? 'call' : f[0] === 'p' ? 'put' : null;
    if (!kind) {
      errors.push({ path: `${path}.kind`, value: f[0] ?? '', reason: 'expected c (call), p (put) or u (underlying)' });
      return;
    }
    const model = (MODELS as readonly string[]).includes(f[4] ?? '') ? (f[4] as ModelName) : null;
    if (!model) errors.push({ path: `${path}.model`, value: f[4] ?? '', reason: `expected one of ${MODELS.join(', ')}` });
    legs.push({ kind, qty: parseNum(f[1], `${path}.qty`, errors), strike: parseNum(f[2], `${path}.strike`, errors),
      expiryDays: parseNum(f[3], `${path}.expiryDays`, errors), model: model ?? 'bsm', vol: parseNum(f[5], `${path}.vol`, errors),
      steps: parseNum(f[6], `${path}.steps`, errors) });
  });
  if (errors.length) return { ok: false, errors };
  const doc: StrategyDoc = { strategy: { spot, rate, div, legs }, scenario: { day, volShift } };
  const invalid = checkStrategy(doc);
  return invalid.length ? { ok: false, errors: invalid } : { ok: true, doc };
}

export function describeErrors(errors: readonly FieldError[]): string {
  return errors.map((e) => `${e.path} = ${JSON.stringify(e.value)}: ${e.reason}`).join('; ');
}
