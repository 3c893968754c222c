// One benchmark figure, in the shape `npm run bench -- --json` prints.
export interface BenchResult {
  suite: string;
  name: string;
  impl: 'native' | 'wasm-node' | 'wasm-chromium' | 'ts' | 'numpy' | 'wasm-simd-node' | string;
  metric: string;
  value: number;
  unit: string;
}

/** Median of a non-empty list of numbers. */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] ?? NaN) : ((s[mid - 1] ?? NaN) + (s[mid] ?? NaN)) / 2;
}
