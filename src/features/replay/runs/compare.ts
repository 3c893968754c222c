/**
 * Pure logic behind comparing saved runs: curves turned into chart series on a common time axis, long curves
 * reduced before saving, and the side-by-side table of summaries and of the settings that differ.
 */
import { formatGrouped } from '../../../format/number';
import { MAX_CURVE_POINTS, SUMMARY_KEYS, type JsonValue, type RunCurve, type SavedRun, type SummaryKey } from '../../../protocol/runs';

/** Series colours, distinguishable on the dark and the light theme; run i gets colour i mod length. */
export const RUN_COLORS = ['#e5a823', '#4aa3ff', '#21c07a', '#f0524f', '#b07cff', '#3fd0d4', '#ff8c42', '#c9d1db'] as const;

export const colorOf = (i: number): string => RUN_COLORS[i % RUN_COLORS.length] ?? RUN_COLORS[0];

/**
 * `absolute`: wall-clock time of the data (runs over the same dataset line up event for event);
 * `elapsed`: seconds since each run's first point (runs over different datasets start together).
 */
export type TimeAxis = 'absolute' | 'elapsed';
/** `raw`: equity as saved; `rebased`: equity minus the run's first value, so every curve starts at 0. */
export type Normalise = 'raw' | 'rebased';

export interface SeriesPoint {
  /** Seconds (the chart's time unit): since the epoch for `absolute`, since the run's start for `elapsed`. */
  time: number;
  value: number;
}

/** The axis that suits `runs`: absolute when they all replay the same dataset, else elapsed. */
export function defaultAxis(runs: ReadonlyArray<Pick<SavedRun, 'dataset'>>): TimeAxis {
  const hashes = new Set(runs.map((r) => r.dataset.hash));
  return hashes.size <= 1 ? 'absolute' : 'elapsed';
}

/**
 * One run's equity as chart points: nanoseconds to whole seconds (the chart needs strictly increasing times),
 * keeping the last sample of each second, which is the equity at the end of that second.
 */
export function toSeries(curve: RunCurve, axis: TimeAxis, normalise: Normalise): SeriesPoint[] {
  const n = Math.min(curve.ts.length, curve.equity.length);
  const out: SeriesPoint[] = [];
  if (n === 0) return out;
  const t0 = curve.ts[0] ?? 0;
  const base = normalise === 'rebased' ? (curve.equity[0] ?? 0) : 0;
  for (let i = 0; i < n; i++) {
    const ns = (curve.ts[i] ?? 0) - (axis === 'elapsed' ? t0 : 0);
    const time = Math.floor(ns / 1e9);
    const value = (curve.equity[i] ?? 0) - base;
    const last = out[out.length - 1];
    if (last && last.time === time) last.value = value;
    else if (!last || time > last.time) out.push({ time, value });
  }
  return out;
}

/**
 * A curve of at most `max` points for saving: unchanged when short enough; otherwise the points are cut into
 * buckets of equal count and each bucket keeps its lowest and highest equity (in time order), so drawdowns and
 * peaks survive, plus the first and last points.
 */
export function reduceCurve(curve: RunCurve, max: number = MAX_CURVE_POINTS): RunCurve {
  const n = curve.ts.length;
  if (n <= max) return curve;
  const keep: number[] = [0];
  const buckets = Math.max(1, Math.floor((max - 2) / 2));
  const inner = n - 2;
  for (let b = 0; b < buckets; b++) {
    const from = 1 + Math.floor((b * inner) / buckets);
    const to = 1 + Math.floor(((b + 1) * inner) / buckets);
    if (to <= from) continue;
    let lo = from;
    let hi = from;
    for (let i = from; i < to; i++) {
      const e = curve.equity[i] ?? 0;
      if (e < (curve.equity[lo] ?? 0)) lo = i;
      if (e > (curve.equity[hi] ?? 0)) hi = i;
    }
    if (lo === hi) keep.push(lo);
    else keep.push(Math.min(lo, hi), Math.max(lo, hi));
  }
  keep.push(n - 1);
  const pick = (a: number[]): number[] => keep.map((i) => a[i] ?? 0);
  return { ts: pick(curve.ts), equity: pick(curve.equity), position: pick(curve.position) };
}

/** Which way a summary figure is better, for highlighting the best run; absent keys are neutral. */
const BETTER: Partial<Record<SummaryKey, 'high' | 'low' | 'low-abs'>> = {
  pnl: 'high', realised: 'high', return: 'high', sharpe: 'high', sortino: 'high', fill_ratio: 'high', events_per_s: 'high',
  fees: 'low', max_drawdown: 'low-abs', inventory_mean_abs: 'low', inventory_max_abs: 'low', elapsed_ms: 'low',
};

export interface DiffRow {
  /** A summary key, or a dotted settings path such as `config.feedLatency.ns`. */
  key: string;
  kind: 'summary' | 'setting';
  /** One entry per run, in the runs' order; settings as display strings, `—` when a run lacks the path. */
  values: Array<number | string>;
  /** Not all runs have the same value. */
  differs: boolean;
  /** Indices of the runs with the best value, when the figure has a direction and the values differ. */
  best: number[];
}

const same = (a: number, b: number): boolean => a === b || Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b));

/** `{a: {b: 1}, c: [2]}` as `[["a.b", "1"], ["c", "[2]"]]`: objects are walked, anything else is a leaf. */
export function flatten(value: JsonValue, prefix: string, out: Map<string, string> = new Map()): Map<string, string> {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) flatten(v, prefix ? `${prefix}.${k}` : k, out);
  } else {
    out.set(prefix, typeof value === 'string' ? value : JSON.stringify(value));
  }
  return out;
}

/** The settings that differ between the runs (strategy, its parameters, the configuration, the dataset, the engine). */
export function settingsDiff(runs: ReadonlyArray<Omit<SavedRun, 'curve'>>): DiffRow[] {
  const flat = runs.map((r) =>
    flatten({ strategy: r.strategy as unknown as JsonValue, config: r.config, dataset: { name: r.dataset.name, hash: r.dataset.hash }, engine: r.engineVersion }, ''),
  );
  const keys = [...new Set(flat.flatMap((m) => [...m.keys()]))];
  return keys
    .map((key): DiffRow => {
      const values = flat.map((m) => m.get(key) ?? '—');
      return { key, kind: 'setting', values, differs: new Set(values).size > 1, best: [] };
    })
    .filter((row) => row.differs);
}

/** One row per summary figure, with whether the runs differ and which is best. */
export function summaryDiff(runs: ReadonlyArray<Pick<SavedRun, 'summary'>>): DiffRow[] {
  return SUMMARY_KEYS.map((key): DiffRow => {
    const values = runs.map((r) => r.summary[key]);
    const differs = values.some((v) => !same(v, values[0] ?? v));
    const dir = BETTER[key];
    let best: number[] = [];
    if (dir && differs) {
      const score = values.map((v) => (dir === 'high' ? v : dir === 'low' ? -v : -Math.abs(v)));
      const top = Math.max(...score);
      best = score.flatMap((s, i) => (same(s, top) ? [i] : []));
    }
    return { key, kind: 'summary', values, differs, best };
  });
}

/** A summary figure for a table cell: integers grouped, large values to 2 decimals, small ones to 4. */
export function formatStat(value: number | string): string {
  if (typeof value === 'string') return value;
  if (!Number.isFinite(value)) return '–';
  if (Number.isInteger(value)) return formatGrouped(value, 0);
  return formatGrouped(value, Math.abs(value) >= 100 ? 2 : 4);
}
