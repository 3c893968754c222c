/**
 * The scan form as text fields: validation into a ScanSpec (every problem named with its field, value and
 * reason), and the query-string form that makes a scan shareable (`scan.S=80:120:200`, `scan.model=bsm`, …).
 */
import {
  AXES, gridSize, MAX_COMBINATIONS, OUTPUTS, SCAN_MODELS, type Axis, type AxisRange, type OptionKind, type Output,
  type ScanModel, type ScanSpec,
} from '../../scan/grid';

export type RangeField = 'min' | 'max' | 'steps';
export type FieldKey = 'model' | 'type' | 'r' | 'q' | `${Axis}.${RangeField}`;

export interface ScanForm {
  model: string;
  type: string;
  r: string;
  q: string;
  ranges: Record<Axis, Record<RangeField, string>>;
}

/** Heatmap choices kept in the URL beside the ranges. */
export interface ScanDisplay {
  x: Axis;
  y: Axis;
  output: Output;
}

export const MAX_STEPS_PER_AXIS = 10_000;

export const AXIS_LABEL: Record<Axis, string> = { S: 'S', K: 'K', sigma: 'σ', t: 't' };
export const AXIS_TITLE: Record<Axis, string> = {
  S: 'spot (forward for Black-76)', K: 'strike', sigma: 'volatility', t: 'time to expiry (years)',
};

/** 200 spots × 100 strikes × 50 vols × 5 expiries: the full 5 M. */
export const DEFAULT_FORM: ScanForm = {
  model: 'bsm',
  type: 'call',
  r: '0.03',
  q: '0.01',
  ranges: {
    S: { min: '60', max: '140', steps: '200' },
    K: { min: '80', max: '120', steps: '100' },
    sigma: { min: '0.05', max: '0.8', steps: '50' },
    t: { min: '0.05', max: '2', steps: '5' },
  },
};

export const DEFAULT_DISPLAY: ScanDisplay = { x: 'S', y: 'K', output: 'price' };

const fmtInt = (n: number): string => n.toLocaleString('en-US');

/** Bounds of each input (inclusive unless noted): what the engine accepts, within reason for a scan. */
function bounds(axis: Axis, model: string): { lo: number; hi: number; what: string } {
  switch (axis) {
    case 'S':
    case 'K':
      return { lo: 0, hi: 1e9, what: 'a positive price up to 1e9' };
    case 'sigma':
      return model === 'bachelier'
        ? { lo: 0, hi: 1e9, what: 'a positive absolute volatility up to 1e9' }
        : { lo: 0, hi: 10, what: 'a positive volatility up to 10 (1000 %)' };
    case 't':
      return { lo: 0, hi: 100, what: 'a positive time up to 100 years' };
  }
}

export interface Validation {
  /** The spec, when every field is valid and the grid is within the limit. */
  spec: ScanSpec | null;
  errors: Partial<Record<FieldKey, string>>;
  /** Combinations, when every axis has a valid step count (even if other fields are wrong). */
  combinations: number | null;
  /** The combinations problem (over the limit), if any. */
  sizeError: string | null;
}

function number(label: string, raw: string): { value: number } | { error: string } {
  const text = raw.trim();
  if (text === '') return { error: `${label}: required` };
  const value = Number(text);
  if (!Number.isFinite(value)) return { error: `${label}: '${raw}' is not a number` };
  return { value };
}

export function validateForm(form: ScanForm): Validation {
  const errors: Partial<Record<FieldKey, string>> = {};
  const model = SCAN_MODELS.find((m) => m === form.model);
  if (!model) errors.model = `model: '${form.model}' is not one of ${SCAN_MODELS.join(', ')}`;
  const type = form.type === 'call' || form.type === 'put' ? (form.type as OptionKind) : null;
  if (!type) errors.type = `type: '${form.type}' is not call or put`;

  const rate = (key: 'r' | 'q', label: string): number => {
    const got = number(label, form[key]);
    if ('error' in got) errors[key] = got.error;
    else if (Math.abs(got.value) > 1) errors[key] = `${label}: ${form[key].trim()} is outside −1 … 1 (per 1.00: 0.03 is 3 %)`;
    else return got.value;
    return NaN;
  };
  const r = rate('r', 'r');
  const q = rate('q', 'q');

  const ranges = {} as Record<Axis, AxisRange>;
  let stepsKnown = true;
  for (const axis of AXES) {
    const f = form.ranges[axis];
    const name = AXIS_LABEL[axis];
    const b = bounds(axis, form.model);
    const end = (which: 'min' | 'max'): number => {
      const got = number(`${name} ${which}`, f[which]);
      if ('error' in got) errors[`${axis}.${which}`] = got.error;
      else if (!(got.value > b.lo && got.value <= b.hi)) {
        errors[`${axis}.${which}`] = `${name} ${which}: ${f[which].trim()} is not ${b.what}`;
      } else return got.value;
      return NaN;
    };
    const min = end('min');
    const max = end('max');
    let steps = NaN;
    const s = number(`${name} steps`, f.steps);
    if ('error' in s) errors[`${axis}.steps`] = s.error;
    else if (!Number.isInteger(s.value) || s.value < 1 || s.value > MAX_STEPS_PER_AXIS) {
      errors[`${axis}.steps`] = `${name} steps: ${f.steps.trim()} is not a whole number from 1 to ${fmtInt(MAX_STEPS_PER_AXIS)}`;
    } else steps = s.value;
    if (Number.isNaN(steps)) stepsKnown = false;
    if (Number.isFinite(min) && Number.isFinite(max)) {
      if (min > max) errors[`${axis}.max`] = `${name} max: ${f.max.trim()} is below min ${f.min.trim()}`;
      else if (steps === 1 && min !== max) {
        errors[`${axis}.steps`] = `${name} steps: 1 step covers only min ${f.min.trim()}; use 2 or more, or set max = min`;
      }
    }
    ranges[axis] = { min, max, steps };
  }

  const combinations = stepsKnown ? gridSize(ranges) : null;
  const sizeError = combinations !== null && combinations > MAX_COMBINATIONS
    ? `${fmtInt(combinations)} combinations: more than the ${fmtInt(MAX_COMBINATIONS)} one scan may have`
    : null;
  const ok = Object.keys(errors).length === 0 && sizeError === null && model && type;
  const spec: ScanSpec | null = ok ? { model: model as ScanModel, type: type as OptionKind, r, q, ...ranges } : null;
  return { spec, errors, combinations, sizeError };
}

// ---- URL -------------------------------------------------------------------------------------------------

const P = 'scan.';

export const MAX_WORKERS = 64;

/**
 * The worker count asked for with `scan.workers=N` (1 … 64), or null for the default (one per core). Anything
 * else is an error message naming the value, so the page can say why it used the default.
 */
export function workersFromSearch(search: string): { workers: number | null; error: string | null } {
  const raw = new URLSearchParams(search).get(`${P}workers`);
  if (raw === null) return { workers: null, error: null };
  const n = Number(raw);
  if (raw.trim() !== '' && Number.isInteger(n) && n >= 1 && n <= MAX_WORKERS) return { workers: n, error: null };
  return { workers: null, error: `scan.workers: '${raw}' is not a whole number from 1 to ${MAX_WORKERS}; using one worker per core` };
}

/** Reads the form and display from a query string; missing or malformed parameters keep the defaults. */
export function formFromSearch(search: string): { form: ScanForm; display: ScanDisplay } {
  const p = new URLSearchParams(search);
  const form: ScanForm = structuredClone(DEFAULT_FORM);
  for (const k of ['model', 'type', 'r', 'q'] as const) {
    const v = p.get(P + k);
    if (v !== null) form[k] = v;
  }
  for (const axis of AXES) {
    const v = p.get(P + axis);
    if (v === null) continue;
    const [min = '', max = '', steps = ''] = v.split(':');
    form.ranges[axis] = { min, max, steps };
  }
  const axis = (v: string | null, dflt: Axis): Axis => AXES.find((a) => a === v) ?? dflt;
  let x = axis(p.get(`${P}x`), DEFAULT_DISPLAY.x);
  let y = axis(p.get(`${P}y`), DEFAULT_DISPLAY.y);
  if (x === y) [x, y] = [DEFAULT_DISPLAY.x, DEFAULT_DISPLAY.y];
  const output = OUTPUTS.find((o) => o === p.get(`${P}out`)) ?? DEFAULT_DISPLAY.output;
  return { form, display: { x, y, output } };
}

/** `search` with the form's and display's parameters set (other parameters untouched). */
export function searchWithForm(search: string, form: ScanForm, display: ScanDisplay): string {
  const p = new URLSearchParams(search);
  for (const k of ['model', 'type', 'r', 'q'] as const) p.set(P + k, form[k].trim());
  for (const axis of AXES) {
    const f = form.ranges[axis];
    p.set(P + axis, `${f.min.trim()}:${f.max.trim()}:${f.steps.trim()}`);
  }
  p.set(`${P}x`, display.x);
  p.set(`${P}y`, display.y);
  p.set(`${P}out`, display.output);
  const s = p.toString();
  return s ? `?${s}` : '';
}
