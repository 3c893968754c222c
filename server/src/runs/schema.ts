/**
 * Validation of a backtest run (`RunInput` in src/protocol/runs.ts), `POST /api/runs`:
 * - name: 1 to 80 characters;
 * - strategy: { kind: 1-32 of a-z 0-9 _ -, params: a JSON object };
 * - config: a JSON object (the engine configuration: latency, fees, fill model, seed, …);
 *   params and config are at most 8 levels deep and 256 entries per object or array;
 * - dataset: { hash: 64 lowercase hex digits (SHA-256), name: 1-200 characters, events: integer 0..2^53-1,
 *   venue and symbol: 1-64 characters };
 * - engineVersion: 1-64 printable characters;
 * - summary: exactly the keys of SUMMARY_KEYS, each a finite number;
 * - curve: { ts, equity, position }: arrays of finite numbers of one length, at most MAX_CURVE_POINTS, ts
 *   non-decreasing.
 * Unknown fields are rejected and every problem is reported with its path (`$.curve.equity[17]`); a bad array
 * reports its first few bad items, not all of them.
 */
import type { ValidationIssue } from '../../../src/protocol/messages.js';
import {
  MAX_CURVE_POINTS, MAX_RUN_NAME, SUMMARY_KEYS, type JsonValue, type RunCurve, type RunInput, type RunSummary,
} from '../../../src/protocol/runs.js';
import { childPath, number, object, preview, string, typeName, validate, type Schema, type ValidationResult } from '../validate.js';

const MAX_DEPTH = 8;
const MAX_ENTRIES = 256;
/** Bad items reported per array before the rest are summarised. */
const MAX_ITEM_ISSUES = 5;

function issue(issues: ValidationIssue[], path: string, value: unknown, reason: string): undefined {
  issues.push({ path, value: preview(value), reason });
  return undefined;
}

function jsonValue(value: unknown, path: string, depth: number, issues: ValidationIssue[]): JsonValue | undefined {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : issue(issues, path, value, 'expected a finite number');
  if (depth >= MAX_DEPTH) return issue(issues, path, value, `nested more than ${MAX_DEPTH} levels deep`);
  if (Array.isArray(value)) {
    if (value.length > MAX_ENTRIES) return issue(issues, path, value, `expected at most ${MAX_ENTRIES} items, got ${value.length}`);
    const before = issues.length;
    const out = value.map((v, i) => jsonValue(v, `${path}[${i}]`, depth + 1, issues));
    return issues.length === before ? (out as JsonValue[]) : undefined;
  }
  if (typeof value === 'object') return jsonObjectAt(value, path, depth, issues);
  return issue(issues, path, value, `expected a JSON value, got ${typeName(value)}`);
}

function jsonObjectAt(value: unknown, path: string, depth: number, issues: ValidationIssue[]): Record<string, JsonValue> | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return issue(issues, path, value, `expected an object, got ${typeName(value)}`);
  }
  const entries = Object.entries(value);
  if (entries.length > MAX_ENTRIES) return issue(issues, path, value, `expected at most ${MAX_ENTRIES} entries, got ${entries.length}`);
  const before = issues.length;
  const out: Record<string, JsonValue> = {};
  for (const [key, item] of entries) {
    const p = childPath(path, key);
    if (key.length === 0 || key.length > 64) {
      issue(issues, p, key, 'keys must be 1 to 64 characters');
      continue;
    }
    const accepted = jsonValue(item, p, depth + 1, issues);
    if (accepted !== undefined) out[key] = accepted;
  }
  return issues.length === before ? out : undefined;
}

/** Any JSON object within the depth and size bounds. */
const jsonObject: Schema<Record<string, JsonValue>> = (value, path, issues) => jsonObjectAt(value, path, 0, issues);

/** An array of at most `max` finite numbers, checked without one issue per item. */
function numberArray(max: number): Schema<number[]> {
  return (value, path, issues) => {
    if (!Array.isArray(value)) return issue(issues, path, value, `expected an array of numbers, got ${typeName(value)}`);
    if (value.length > max) return issue(issues, path, value.length, `expected at most ${max} points, got ${value.length}`);
    let bad = 0;
    for (let i = 0; i < value.length; i++) {
      const v: unknown = value[i];
      if (typeof v === 'number' && Number.isFinite(v)) continue;
      bad++;
      if (bad <= MAX_ITEM_ISSUES) issue(issues, `${path}[${i}]`, v, `expected a finite number, got ${typeof v === 'number' ? String(v) : typeName(v)}`);
    }
    if (bad > MAX_ITEM_ISSUES) issue(issues, path, `${bad} bad items`, `${bad - MAX_ITEM_ISSUES} more items are not finite numbers`);
    return bad === 0 ? (value as number[]) : undefined;
  };
}

const curveFields = object(
  { ts: numberArray(MAX_CURVE_POINTS), equity: numberArray(MAX_CURVE_POINTS), position: numberArray(MAX_CURVE_POINTS) },
  {},
);

/** The arrays must be parallel and time must not go backwards. */
const curve: Schema<RunCurve> = (value, path, issues) => {
  const c = curveFields(value, path, issues);
  if (!c) return undefined;
  const n = c.ts.length;
  const before = issues.length;
  for (const key of ['equity', 'position'] as const) {
    if (c[key].length !== n) issue(issues, `${path}.${key}`, c[key].length, `expected ${n} points (as many as ts), got ${c[key].length}`);
  }
  for (let i = 1; i < n; i++) {
    const prev = c.ts[i - 1] ?? 0;
    const cur = c.ts[i] ?? 0;
    if (cur < prev) {
      issue(issues, `${path}.ts[${i}]`, cur, `timestamps must not decrease (previous is ${prev})`);
      break;
    }
  }
  return issues.length === before ? c : undefined;
};

const finite = number({ min: -Number.MAX_VALUE, max: Number.MAX_VALUE });
const summary = object(
  Object.fromEntries(SUMMARY_KEYS.map((k) => [k, finite])) as Record<keyof RunSummary, Schema<number>>,
  {},
) as Schema<RunSummary>;

/** Text with no control characters (U+0000-U+001F, U+007F). */
const text = (max: number): Schema<string> => {
  const base = string({ min: 1, max });
  return (value, path, issues) => {
    const v = base(value, path, issues);
    if (v === undefined) return undefined;
    for (let i = 0; i < v.length; i++) {
      const c = v.charCodeAt(i);
      if (c < 0x20 || c === 0x7f) return issue(issues, path, v, `control character U+${c.toString(16).padStart(4, '0').toUpperCase()} at ${i}`);
    }
    return v;
  };
};

const runSchema = object(
  {
    name: text(MAX_RUN_NAME),
    strategy: object({ kind: string({ min: 1, max: 32, pattern: /^[a-z0-9_-]+$/, patternHelp: '1 to 32 of a-z, 0-9, "_" and "-"' }), params: jsonObject }, {}),
    config: jsonObject,
    dataset: object(
      {
        hash: string({ min: 1, max: 128, pattern: /^[0-9a-f]{64}$/, patternHelp: 'a SHA-256 digest as 64 lowercase hex digits' }),
        name: text(200),
        events: number({ min: 0, max: Number.MAX_SAFE_INTEGER, integer: true }),
        venue: text(64),
        symbol: text(64),
      },
      {},
    ),
    engineVersion: text(64),
    summary,
    curve,
  },
  {},
);

export function validateRunInput(body: unknown): ValidationResult<RunInput> {
  return validate(runSchema, body) as ValidationResult<RunInput>;
}
