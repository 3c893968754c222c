/**
 * Main thread ↔ scan worker messages, version 1, and the scenario-scan specification they carry.
 * Types and constants only.
 *
 * The main thread's pool (src/scan/pool.ts) hands each worker chunks of one job: contiguous row ranges of the
 * grid, at most a few in flight per worker. A worker answers every chunk with exactly one `chunk` or
 * `chunk-error`, in the order received. `cancel` drops the job's chunks still queued in the worker; its
 * `cancelled` reply is the last message the worker sends about that job. Result columns move as transferred
 * ArrayBuffers of float64, one per output, `count` values each.
 */

export const SCAN_PROTOCOL_VERSION = 1;

/** The models `priceBatch` accepts (core-wasm/bindings/src/options.rs). */
export const SCAN_MODELS = [
  'bsm',
  'black76',
  'black76coin',
  'bachelier',
  'baw',
  'bjs1993',
  'bjs2002',
  'binomial',
  'binomial_european',
] as const;
export type ScanModel = (typeof SCAN_MODELS)[number];
export type OptionKind = 'call' | 'put';

/** The varying inputs, in row order (slowest first). */
export const AXES = ['S', 'K', 'sigma', 't'] as const;
export type Axis = (typeof AXES)[number];

/** The result columns, in the order of `priceBatch`'s outputs. */
export const OUTPUTS = ['price', 'delta', 'gamma', 'vega', 'theta', 'rho'] as const;
export type Output = (typeof OUTPUTS)[number];

export interface AxisRange {
  min: number;
  max: number;
  /** Number of evenly spaced values from `min` to `max` inclusive (1: just `min`). */
  steps: number;
}

export interface ScanSpec {
  model: ScanModel;
  type: OptionKind;
  /** Continuously compounded rate, per 1.00 (0.03 = 3 %). */
  r: number;
  /** Continuous dividend (or carry) yield, per 1.00. */
  q: number;
  S: AxisRange;
  K: AxisRange;
  sigma: AxisRange;
  t: AxisRange;
}

/** The most combinations one scan may have. */
export const MAX_COMBINATIONS = 5_000_000;

/** One float64 column per output, `count` values each. */
export type ChunkColumns = Record<Output, Float64Array>;

// ---- main → worker ---------------------------------------------------------------------------------------

export type ScanRequest =
  /** Price rows `start … start + count − 1` of `spec`'s grid. */
  | { type: 'chunk'; job: number; chunk: number; start: number; count: number; spec: ScanSpec }
  /** Drop every queued chunk of `job`; answered by `cancelled`. */
  | { type: 'cancel'; job: number };

// ---- worker → main ---------------------------------------------------------------------------------------

export type ScanReply =
  /** The engine is loaded; chunks sent before this are queued, not lost. */
  | { type: 'ready'; engineVersion: string }
  /** The engine could not be loaded: every chunk sent to this worker fails with this reason. */
  | { type: 'load-failed'; reason: string }
  /** `computeMs`: time spent in the kernel for this chunk (fill + price + copy out). */
  | { type: 'chunk'; job: number; chunk: number; start: number; count: number; computeMs: number; columns: ChunkColumns }
  | { type: 'chunk-error'; job: number; chunk: number; start: number; count: number; reason: string }
  /** `dropped`: queued chunks of `job` that were not computed. */
  | { type: 'cancelled'; job: number; dropped: number };
