/**
 * A small schema validator for JSON request bodies.
 *
 * A schema is a function that checks a value at a path, appends an issue for every problem it finds (it does not
 * stop at the first) and returns the accepted value, rebuilt from known fields only. Paths are written
 * `$`, `$.theme`, `$.panels.ladder`, `$.panels["odd key"]`, `$.list[2]`.
 */
import type { ValidationIssue } from '../../src/protocol/messages.js';

export type Schema<T> = (value: unknown, path: string, issues: ValidationIssue[]) => T | undefined;
type Shape = Record<string, Schema<unknown>>;
type Out<S extends Shape> = { [K in keyof S]: S[K] extends Schema<infer T> ? T : never };

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function childPath(path: string, key: string): string {
  return IDENT.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
}

/** The received value as reported in an issue: primitives as they are, long strings and containers abbreviated. */
export function preview(value: unknown): unknown {
  if (typeof value === 'string') return value.length > 100 ? `${value.slice(0, 97)}...` : value;
  if (value === null || typeof value === 'number' || typeof value === 'boolean') return value;
  const json = JSON.stringify(value) ?? String(value);
  return json.length > 100 ? `${json.slice(0, 97)}...` : json;
}

export function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

function issue(issues: ValidationIssue[], path: string, value: unknown, reason: string): undefined {
  issues.push({ path, value: preview(value), reason });
  return undefined;
}

export function string(opts: { min: number; max: number; pattern?: RegExp; patternHelp?: string }): Schema<string> {
  return (value, path, issues) => {
    if (typeof value !== 'string') return issue(issues, path, value, `expected a string, got ${typeName(value)}`);
    if (value.length < opts.min || value.length > opts.max) {
      return issue(issues, path, value, `expected ${opts.min} to ${opts.max} characters, got ${value.length}`);
    }
    if (opts.pattern && !opts.pattern.test(value)) {
      return issue(issues, path, value, `expected ${opts.patternHelp ?? `to match ${String(opts.pattern)}`}`);
    }
    return value;
  };
}

export function oneOf<const T extends string>(choices: readonly T[]): Schema<T> {
  return (value, path, issues) => {
    const found = choices.find((c) => c === value);
    if (found === undefined) {
      return issue(issues, path, value, `expected one of ${choices.map((c) => JSON.stringify(c)).join(', ')}`);
    }
    return found;
  };
}

export function number(opts: { min: number; max: number; integer?: boolean }): Schema<number> {
  return (value, path, issues) => {
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      return issue(issues, path, value, `expected a number, got ${typeName(value)}`);
    }
    if (opts.integer && !Number.isInteger(value)) return issue(issues, path, value, 'expected an integer');
    if (value < opts.min || value > opts.max) return issue(issues, path, value, `expected a value from ${opts.min} to ${opts.max}`);
    return value;
  };
}

/** A JSON object with required and optional fields; unknown fields are reported. */
export function object<R extends Shape, O extends Shape>(required: R, optional: O): Schema<Out<R> & Partial<Out<O>>> {
  return (value, path, issues) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      return issue(issues, path, value, `expected an object, got ${typeName(value)}`);
    }
    const input = value as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    const before = issues.length;
    for (const [key, schema] of Object.entries(required)) {
      const p = childPath(path, key);
      if (!Object.hasOwn(input, key)) issue(issues, p, null, 'required field is missing');
      else out[key] = schema(input[key], p, issues);
    }
    for (const [key, schema] of Object.entries(optional)) {
      if (Object.hasOwn(input, key)) out[key] = schema(input[key], childPath(path, key), issues);
    }
    for (const key of Object.keys(input)) {
      if (!Object.hasOwn(required, key) && !Object.hasOwn(optional, key)) {
        const known = [...Object.keys(required), ...Object.keys(optional)].join(', ');
        issue(issues, childPath(path, key), input[key], `unknown field (known fields: ${known})`);
      }
    }
    return issues.length === before ? (out as Out<R> & Partial<Out<O>>) : undefined;
  };
}

/** A JSON object used as a map: every key must match `key`, every value `item`. */
export function record<T>(opts: { key: RegExp; keyHelp: string; maxEntries: number; item: Schema<T> }): Schema<Record<string, T>> {
  return (value, path, issues) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      return issue(issues, path, value, `expected an object, got ${typeName(value)}`);
    }
    const entries = Object.entries(value);
    const before = issues.length;
    if (entries.length > opts.maxEntries) {
      issue(issues, path, value, `expected at most ${opts.maxEntries} entries, got ${entries.length}`);
    }
    const out: Record<string, T> = {};
    for (const [key, item] of entries) {
      const p = childPath(path, key);
      if (!opts.key.test(key)) {
        issue(issues, p, key, `invalid key: expected ${opts.keyHelp}`);
        continue;
      }
      const accepted = opts.item(item, p, issues);
      if (accepted !== undefined) out[key] = accepted;
    }
    return issues.length === before ? out : undefined;
  };
}

export type ValidationResult<T> = { ok: true; value: T } | { ok: false; issues: ValidationIssue[] };

export function validate<T>(schema: Schema<T>, value: unknown): ValidationResult<T> {
  const issues: ValidationIssue[] = [];
  const accepted = schema(value, '$', issues);
  return issues.length === 0 && accepted !== undefined ? { ok: true, value: accepted } : { ok: false, issues };
}
