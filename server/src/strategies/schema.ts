/**
 * Named option strategies (`StrategyDocument` in src/protocol/options.ts) and their validation rules:
 * - name (URL segment): 1-64 of A-Z a-z 0-9 _ -
 * - strategy.spot: above 0, at most 1e9; strategy.rate, strategy.div: within ±1 (continuous, per year);
 * - strategy.legs: 1 to 12 legs of { kind: call|put|underlying, qty: non-zero within ±1e6, strike: above 0 up to
 *   1e9 (0 for the underlying), expiryDays: integer 0..3650, model: a model name, vol: above 0 (at most 5 unless
 *   bachelier), steps: integer 1..2000 };
 * - scenario.day: integer 0..3650, scenario.volShift: within ±1.
 * Unknown fields are rejected, and every problem is reported with its path (`$.strategy.legs[2].strike`).
 */
import { MODELS, type Leg, type StrategyDocument } from '../../../src/protocol/options.js';
import { number, object, oneOf, validate, type Schema, type ValidationResult } from '../validate.js';
import type { ValidationIssue } from '../../../src/protocol/messages.js';

export const STRATEGY_NAME = /^[A-Za-z0-9_-]{1,64}$/;
export const STRATEGY_NAME_HELP = '1 to 64 characters from A-Z, a-z, 0-9, "_" and "-"';
export const MAX_LEGS = 12;

function array<T>(item: Schema<T>, min: number, max: number): Schema<T[]> {
  return (value, path, issues) => {
    if (!Array.isArray(value)) {
      issues.push({ path, value: value === null ? null : typeof value, reason: 'expected an array' });
      return undefined;
    }
    const before = issues.length;
    if (value.length < min || value.length > max) {
      issues.push({ path, value: value.length, reason: `expected ${min} to ${max} items, got ${value.length}` });
    }
    const out = value.map((v, i) => item(v, `${path}[${i}]`, issues));
    return issues.length === before ? (out as T[]) : undefined;
  };
}

function nonZero(inner: Schema<number>): Schema<number> {
  return (value, path, issues) => {
    const v = inner(value, path, issues);
    if (v === 0) {
      issues.push({ path, value: 0, reason: 'must not be zero' });
      return undefined;
    }
    return v;
  };
}

const legFields = object(
  {
    kind: oneOf(['call', 'put', 'underlying'] as const),
    qty: nonZero(number({ min: -1e6, max: 1e6 })),
    strike: number({ min: 0, max: 1e9 }),
    expiryDays: number({ min: 0, max: 3650, integer: true }),
    model: oneOf(MODELS),
    vol: number({ min: 0, max: 1e9 }),
    steps: number({ min: 1, max: 2000, integer: true }),
  },
  {},
);

/** Rules that span fields: options need a positive strike and vol; lognormal vols are at most 5. */
const leg: Schema<Leg> = (value, path, issues) => {
  const l = legFields(value, path, issues);
  if (!l) return undefined;
  const local: ValidationIssue[] = [];
  if (l.kind !== 'underlying' && l.strike <= 0) local.push({ path: `${path}.strike`, value: l.strike, reason: 'an option needs a strike above 0' });
  if (l.vol <= 0) local.push({ path: `${path}.vol`, value: l.vol, reason: 'must be above 0' });
  if (l.model !== 'bachelier' && l.vol > 5) local.push({ path: `${path}.vol`, value: l.vol, reason: 'must be at most 5 (500%) for a lognormal model' });
  issues.push(...local);
  return local.length ? undefined : l;
};

const documentSchema = object(
  {
    strategy: object(
      {
        spot: number({ min: 0, max: 1e9 }),
        rate: number({ min: -1, max: 1 }),
        div: number({ min: -1, max: 1 }),
        legs: array(leg, 1, MAX_LEGS),
      },
      {},
    ),
    scenario: object({ day: number({ min: 0, max: 3650, integer: true }), volShift: number({ min: -1, max: 1 }) }, {}),
  },
  {},
);

export function validateStrategyDocument(body: unknown): ValidationResult<StrategyDocument> {
  const r = validate(documentSchema, body);
  if (!r.ok) return r;
  if (r.value.strategy.spot <= 0) {
    return { ok: false, issues: [{ path: '$.strategy.spot', value: r.value.strategy.spot, reason: 'must be above 0' }] };
  }
  return r;
}
