/**
 * Reading a finished scan: single cells, 2-D planes for heatmaps and 1-D lines for slices, straight from the
 * per-chunk columns the workers transferred (nothing is concatenated).
 */
import {
  AXES, axisValue, decodeIndex, indexOf, OUTPUTS, strides, type Axis, type GridIndex, type Output,
} from './grid';
import type { ScanResult } from './pool';

export function valueAt(result: ScanResult, output: Output, row: number): number {
  const chunk = result.chunks[Math.floor(row / result.chunkRows)];
  return chunk ? (chunk[output][row % result.chunkRows] ?? NaN) : NaN;
}

export interface Cell {
  row: number;
  at: GridIndex;
  inputs: Record<Axis, number>;
  outputs: Record<Output, number>;
}

export function cellAt(result: ScanResult, row: number): Cell {
  const at = decodeIndex(result.spec, row);
  const inputs = {} as Record<Axis, number>;
  for (const a of AXES) inputs[a] = axisValue(result.spec[a], at[a]);
  const outputs = {} as Record<Output, number>;
  for (const o of OUTPUTS) outputs[o] = valueAt(result, o, row);
  return { row, at, inputs, outputs };
}

export interface Plane {
  /** `values[y · nx + x]`, NaN where the engine gave no value. */
  values: Float64Array;
  nx: number;
  ny: number;
  /** Smallest and largest finite value (NaN when there is none). */
  min: number;
  max: number;
}

/**
 * The values over axis indices `xs` × `ys` of two distinct axes, the other two held at `fixed`'s indices.
 * Pass every index of an axis, or a sample of them when there are more cells than pixels.
 */
export function extractPlane(
  result: ScanResult, output: Output, xAxis: Axis, yAxis: Axis, xs: ArrayLike<number>, ys: ArrayLike<number>,
  fixed: GridIndex,
): Plane {
  const st = strides(result.spec);
  const base = indexOf(result.spec, { ...fixed, [xAxis]: 0, [yAxis]: 0 });
  const nx = xs.length;
  const ny = ys.length;
  const values = new Float64Array(nx * ny);
  const rowsPer = result.chunkRows;
  let min = Infinity;
  let max = -Infinity;
  for (let y = 0; y < ny; y++) {
    const rowBase = base + (ys[y] ?? 0) * st[yAxis];
    for (let x = 0; x < nx; x++) {
      const row = rowBase + (xs[x] ?? 0) * st[xAxis];
      const chunk = result.chunks[Math.floor(row / rowsPer)];
      const v = chunk ? (chunk[output][row % rowsPer] ?? NaN) : NaN;
      values[y * nx + x] = v;
      if (v < min) min = v;
      if (v > max) max = v;
    }
  }
  return { values, nx, ny, min: min === Infinity ? NaN : min, max: max === -Infinity ? NaN : max };
}

/** Every value along `axis`, the other axes held at `fixed`'s indices. */
export function extractLine(result: ScanResult, output: Output, axis: Axis, fixed: GridIndex): Float64Array {
  const n = result.spec[axis].steps;
  const st = strides(result.spec)[axis];
  const base = indexOf(result.spec, { ...fixed, [axis]: 0 });
  const out = new Float64Array(n);
  for (let j = 0; j < n; j++) out[j] = valueAt(result, output, base + j * st);
  return out;
}

/** `n` indices spread evenly over `0 … steps − 1` (all of them when `steps ≤ n`), first and last included. */
export function sampleIndices(steps: number, n: number): Int32Array {
  if (steps <= n) return Int32Array.from({ length: steps }, (_, i) => i);
  if (n <= 1) return Int32Array.of(0);
  return Int32Array.from({ length: n }, (_, i) => Math.round((i * (steps - 1)) / (n - 1)));
}
