/**
 * The scenario grid: the Cartesian product of four axes (spot S, strike K, volatility σ, time t) under one model,
 * option type, rate and dividend yield. Pure arithmetic, shared by the main thread, the scan workers and the
 * Arrow export.
 *
 * Row order: S varies slowest and t fastest, so row `i` is
 * `i = ((iS · nK + iK) · nσ + iσ) · nt + it`, and axis values are evenly spaced: `min + j · (max − min) / (n − 1)`
 * (the single value `min` when `n = 1`).
 */

import type { Axis, AxisRange, ScanModel, ScanSpec } from '../protocol/scan';

export {
  AXES, MAX_COMBINATIONS, OUTPUTS, SCAN_MODELS, type Axis, type AxisRange, type ChunkColumns, type OptionKind,
  type Output, type ScanModel, type ScanSpec,
} from '../protocol/scan';

export function gridSize(spec: Pick<ScanSpec, Axis>): number {
  return spec.S.steps * spec.K.steps * spec.sigma.steps * spec.t.steps;
}

/** The `j`-th value of an axis. */
export function axisValue(range: AxisRange, j: number): number {
  if (range.steps <= 1) return range.min;
  if (j === range.steps - 1) return range.max;
  return range.min + (j * (range.max - range.min)) / (range.steps - 1);
}

export function axisValues(range: AxisRange): Float64Array {
  const out = new Float64Array(range.steps);
  for (let j = 0; j < range.steps; j++) out[j] = axisValue(range, j);
  return out;
}

/** Row-index step of each axis (how far apart two neighbouring values of that axis are in row order). */
export function strides(spec: Pick<ScanSpec, Axis>): Record<Axis, number> {
  const t = 1;
  const sigma = spec.t.steps;
  const K = sigma * spec.sigma.steps;
  const S = K * spec.K.steps;
  return { S, K, sigma, t };
}

export type GridIndex = Record<Axis, number>;

export function indexOf(spec: Pick<ScanSpec, Axis>, at: GridIndex): number {
  const st = strides(spec);
  return at.S * st.S + at.K * st.K + at.sigma * st.sigma + at.t;
}

export function decodeIndex(spec: Pick<ScanSpec, Axis>, row: number): GridIndex {
  const st = strides(spec);
  const S = Math.floor(row / st.S);
  let rest = row - S * st.S;
  const K = Math.floor(rest / st.K);
  rest -= K * st.K;
  const sigma = Math.floor(rest / st.sigma);
  return { S, K, sigma, t: rest - sigma * st.sigma };
}

/** The four inputs of one row. */
export function rowInputs(spec: ScanSpec, row: number): Record<Axis, number> {
  const at = decodeIndex(spec, row);
  return {
    S: axisValue(spec.S, at.S),
    K: axisValue(spec.K, at.K),
    sigma: axisValue(spec.sigma, at.sigma),
    t: axisValue(spec.t, at.t),
  };
}

/** Columns the varying inputs are written into (each at least `count` long). */
export interface GridColumns {
  spot: Float64Array;
  strike: Float64Array;
  vol: Float64Array;
  time: Float64Array;
}

/**
 * Writes rows `start … start + count − 1` of the grid into `out[0 … count − 1]`: one decode of the first row, then
 * an odometer over the four axis indices (no division per row).
 */
export function fillGridColumns(spec: ScanSpec, start: number, count: number, out: GridColumns): void {
  const S = axisValues(spec.S);
  const K = axisValues(spec.K);
  const V = axisValues(spec.sigma);
  const T = axisValues(spec.t);
  const nK = K.length;
  const nV = V.length;
  const nT = T.length;
  const at = decodeIndex(spec, start);
  let iS = at.S;
  let iK = at.K;
  let iV = at.sigma;
  let iT = at.t;
  const { spot, strike, vol, time } = out;
  for (let i = 0; i < count; i++) {
    spot[i] = S[iS] as number;
    strike[i] = K[iK] as number;
    vol[i] = V[iV] as number;
    time[i] = T[iT] as number;
    if (++iT === nT) {
      iT = 0;
      if (++iV === nV) {
        iV = 0;
        if (++iK === nK) {
          iK = 0;
          iS++;
        }
      }
    }
  }
}

/**
 * Rows per chunk: enough chunks that every worker gets several (load balance, prompt progress and cancellation),
 * no chunk bigger than about 10–40 ms of work for the model on this class of machine.
 */
export function chunkRows(model: ScanModel, total: number, workers: number): number {
  const most = model === 'binomial' || model === 'binomial_european' ? 512
    : model === 'baw' || model === 'bjs1993' || model === 'bjs2002' ? 16_384
    : 65_536;
  const even = Math.ceil(total / Math.max(1, workers * 8));
  return Math.max(1, Math.min(most, Math.max(256, even)));
}
