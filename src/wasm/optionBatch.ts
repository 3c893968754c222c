/**
 * Typed-array views over an `OptionBatch`'s columns in wasm memory: the zero-copy side of the batch API. Fill the
 * input views, call `priceAll` / `scanBsm` / `ivAll` once, read the output views. No DOM or Node dependency, so the
 * browser workers and the CLI share it.
 *
 * A view stays valid until wasm memory grows (any allocation inside wasm may grow it); `fresh()` tells whether the
 * views still point at the live buffer, and `optionBatchViews` re-creates them.
 */

/** What the views need from a batch (the generated `OptionBatch` class satisfies it). */
export interface BatchColumns {
  readonly capacity: number;
  ptr(column: string): number;
}

export const F64_COLUMNS = ['spot', 'strike', 'rate', 'div', 'time', 'vol', 'price', 'delta', 'gamma', 'vega',
  'theta', 'rho', 'iv'] as const;
export type F64Column = (typeof F64_COLUMNS)[number];

export type OptionBatchViews = Record<F64Column, Float64Array> & {
  isCall: Uint8Array;
  code: Uint8Array;
  /** True while the views still address the live wasm memory. */
  fresh(): boolean;
};

export function optionBatchViews(memory: WebAssembly.Memory, batch: BatchColumns): OptionBatchViews {
  const buffer = memory.buffer;
  const n = batch.capacity;
  const f64 = (c: F64Column): Float64Array => new Float64Array(buffer, batch.ptr(c), n);
  const views = {
    isCall: new Uint8Array(buffer, batch.ptr('isCall'), n),
    code: new Uint8Array(buffer, batch.ptr('code'), n),
    fresh: () => memory.buffer === buffer,
  } as OptionBatchViews;
  for (const c of F64_COLUMNS) views[c] = f64(c);
  return views;
}
