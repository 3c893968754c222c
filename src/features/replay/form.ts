/**
 * The backtest form: what the user types (strings, sizes in the instrument's units, latencies in µs) and its
 * validation into the engine's JSON config (docs/backtest.md: sizes in lots, times in ns). Each error names the
 * field, the value and the reason. The form round-trips through the URL (`?bt=`), so a run's settings can be
 * shared.
 */

export type StrategyKind = 'mm' | 'imbalance' | 'js';
export type LatencyKind = 'constant' | 'uniform' | 'lognormal';

export interface LatencyForm {
  kind: LatencyKind;
  /** µs: the constant, the uniform minimum, or the lognormal median. */
  a: string;
  /** µs for the uniform maximum; σ (dimensionless) for the lognormal. */
  b: string;
}

export interface BacktestForm {
  strategy: StrategyKind;
  // market maker
  spreadTicks: string;
  skewTicks: string;
  requoteTicks: string;
  // imbalance taker
  levels: string;
  threshold: string;
  cooldownMs: string;
  // both
  orderQty: string;
  maxPosition: string;
  feed: LatencyForm;
  order: LatencyForm;
  makerBps: string;
  takerBps: string;
  fillModel: 'queue' | 'probabilistic';
  power: string;
  seed: string;
}

export const DEFAULT_FORM: BacktestForm = {
  strategy: 'mm',
  spreadTicks: '2',
  skewTicks: '1',
  requoteTicks: '1',
  levels: '5',
  threshold: '0.6',
  cooldownMs: '500',
  orderQty: '0.01',
  maxPosition: '0.05',
  feed: { kind: 'constant', a: '500', b: '' },
  order: { kind: 'constant', a: '1000', b: '' },
  makerBps: '-0.5',
  takerBps: '4',
  fillModel: 'queue',
  power: '2',
  seed: '1',
};

export interface Precision {
  priceDecimals: number;
  qtyDecimals: number;
}

export type FormResult =
  | { ok: true; config: Record<string, unknown>; json: string }
  | { ok: false; field: string; error: string };

class FieldError extends Error {
  constructor(readonly field: string, message: string) {
    super(message);
  }
}

function num(field: string, label: string, text: string, min: number, max: number, opts: { whole?: boolean } = {}):
  number {
  const t = text.trim();
  const v = Number(t);
  if (t === '' || !Number.isFinite(v)) throw new FieldError(field, `${label} "${text}" is not a number`);
  if (opts.whole && !Number.isInteger(v)) throw new FieldError(field, `${label} ${text} must be a whole number`);
  if (v < min || v > max) throw new FieldError(field, `${label} ${text} must be between ${min} and ${max}`);
  return v;
}

/** One lot as a decimal string: 10^-decimals. */
const lotText = (decimals: number): string => (decimals === 0 ? '1' : `0.${'0'.repeat(decimals - 1)}1`);

/** A size in the instrument's units as whole lots (`10^-qtyDecimals`), exactly. */
function lots(field: string, label: string, text: string, qtyDecimals: number, allowZero = false): number {
  const v = num(field, label, text, 0, 1e12);
  const l = Math.round(v * 10 ** qtyDecimals);
  if (Math.abs(l - v * 10 ** qtyDecimals) > 1e-6 * Math.max(1, l)) {
    throw new FieldError(field, `${label} ${text} is finer than the instrument's lot (${lotText(qtyDecimals)})`);
  }
  if (!allowZero && l < 1) throw new FieldError(field, `${label} ${text} must be at least one lot (${lotText(qtyDecimals)})`);
  if (!Number.isSafeInteger(l)) throw new FieldError(field, `${label} ${text} is too large`);
  return l;
}

function latency(field: string, label: string, f: LatencyForm): Record<string, unknown> {
  const us = (sub: string, text: string, what: string): number =>
    Math.round(num(`${field}.${sub}`, `${label} ${what}`, text, 0, 60e6) * 1000);
  switch (f.kind) {
    case 'constant':
      return { kind: 'constant', ns: us('a', f.a, 'latency (µs)') };
    case 'uniform': {
      const minNs = us('a', f.a, 'minimum (µs)');
      const maxNs = us('b', f.b, 'maximum (µs)');
      if (maxNs < minNs) throw new FieldError(`${field}.b`, `${label} maximum ${f.b} µs is below the minimum ${f.a} µs`);
      return { kind: 'uniform', minNs, maxNs };
    }
    case 'lognormal':
      return {
        kind: 'lognormal',
        medianNs: us('a', f.a, 'median (µs)'),
        sigma: num(`${field}.b`, `${label} σ`, f.b, 0, 5),
      };
  }
}

/** Validates the form into the engine config; `external` for a user strategy run from the editor. */
export function buildConfig(form: BacktestForm, p: Precision): FormResult {
  try {
    const orderQtyLots = lots('orderQty', 'Order size', form.orderQty, p.qtyDecimals);
    const maxPositionLots = lots('maxPosition', 'Max position', form.maxPosition, p.qtyDecimals, true);
    let strategy: Record<string, unknown>;
    switch (form.strategy) {
      case 'mm':
        strategy = {
          kind: 'mm',
          params: {
            spreadTicks: num('spreadTicks', 'Spread (ticks)', form.spreadTicks, 1, 1e6, { whole: true }),
            skewTicksPerLot: num('skewTicks', 'Skew (ticks per order size)', form.skewTicks, 0, 1e6) / orderQtyLots,
            orderQtyLots,
            maxPositionLots,
            requoteTicks: num('requoteTicks', 'Requote (ticks)', form.requoteTicks, 1, 1e6, { whole: true }),
          },
        };
        break;
      case 'imbalance':
        strategy = {
          kind: 'imbalance',
          params: {
            levels: num('levels', 'Levels', form.levels, 1, 100, { whole: true }),
            threshold: num('threshold', 'Threshold', form.threshold, 0, 1),
            orderQtyLots,
            maxPositionLots,
            cooldownNs: Math.round(num('cooldownMs', 'Cooldown (ms)', form.cooldownMs, 0, 3.6e6) * 1e6),
          },
        };
        break;
      case 'js':
        strategy = { kind: 'external' };
        break;
    }
    const config: Record<string, unknown> = {
      strategy,
      feedLatency: latency('feed', 'Feed', form.feed),
      orderLatency: latency('order', 'Order', form.order),
      fees: {
        makerBps: num('makerBps', 'Maker fee (bps)', form.makerBps, -100, 100),
        takerBps: num('takerBps', 'Taker fee (bps)', form.takerBps, -100, 100),
      },
      fillModel: form.fillModel === 'queue' ? { kind: 'queue' }
        : { kind: 'probabilistic', power: num('power', 'Queue power', form.power, 0.1, 10) },
      seed: num('seed', 'Seed', form.seed, 0, Number.MAX_SAFE_INTEGER, { whole: true }),
      priceDecimals: p.priceDecimals,
      qtyDecimals: p.qtyDecimals,
    };
    return { ok: true, config, json: JSON.stringify(config) };
  } catch (err) {
    if (err instanceof FieldError) return { ok: false, field: err.field, error: err.message };
    throw err;
  }
}

/** The form as a compact URL parameter value (only what differs from the defaults). */
export function formToParam(form: BacktestForm): string {
  const diff: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(form) as Array<[keyof BacktestForm, unknown]>) {
    if (JSON.stringify(v) !== JSON.stringify(DEFAULT_FORM[k])) diff[k] = v;
  }
  return Object.keys(diff).length ? JSON.stringify(diff) : '';
}

/** Reads `?bt=`; anything malformed falls back to the defaults field by field. */
export function formFromParam(param: string | null): BacktestForm {
  if (!param) return { ...DEFAULT_FORM };
  let raw: unknown;
  try {
    raw = JSON.parse(param);
  } catch {
    return { ...DEFAULT_FORM };
  }
  if (typeof raw !== 'object' || raw === null) return { ...DEFAULT_FORM };
  const out: BacktestForm = { ...DEFAULT_FORM };
  const r = raw as Record<string, unknown>;
  for (const k of Object.keys(DEFAULT_FORM) as Array<keyof BacktestForm>) {
    const v = r[k];
    const d = DEFAULT_FORM[k];
    if (typeof d === 'string' && typeof v === 'string') (out as unknown as Record<string, unknown>)[k] = v;
    if (typeof d === 'object' && typeof v === 'object' && v !== null) {
      const l = v as Partial<LatencyForm>;
      if (['constant', 'uniform', 'lognormal'].includes(String(l.kind)) && typeof l.a === 'string' && typeof l.b === 'string') {
        (out as unknown as Record<string, unknown>)[k] = { kind: l.kind, a: l.a, b: l.b };
      }
    }
  }
  if (!['mm', 'imbalance', 'js'].includes(out.strategy)) out.strategy = DEFAULT_FORM.strategy;
  if (!['queue', 'probabilistic'].includes(out.fillModel)) out.fillModel = DEFAULT_FORM.fillModel;
  return out;
}
