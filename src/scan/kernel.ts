/**
 * The scan's one door into the wasm engine: loads the generated bindings and prices chunks of a scenario grid.
 * Everything else in src/scan/ reaches wasm only through `loadScanWasm()` and the `ScanKernel` it returns, so the
 * engine call can change (columns written straight into wasm memory, a SIMD build) without touching the pool,
 * the worker or the view.
 *
 * This version calls `priceBatch`: the grid's inputs are written into reusable JS columns, the bindings copy them
 * into wasm memory, and the outputs are copied back once into fresh Float64Arrays that the worker then transfers
 * to the main thread.
 *
 * Switching to columns in wasm memory: keep one batch of `capacity` rows per kernel (re-created when a chunk is
 * larger), write the grid with `fillGridColumns(spec, start, count, { spot: batch.spot(), … })` and fill `rate()`,
 * `div()`, `isCall()`, call `priceAll(model, count)`, then copy each output out once with `.slice(0, count)` (views
 * die on the next wasm allocation, and the copies are what the worker transfers). A SIMD build is chosen in
 * `loadScanWasm` by importing the other package's glue.
 */
import init, { engineVersion, priceBatch, priceOption } from '../../core-wasm/pkg/ferrodesk_wasm.js';
import { fillGridColumns, type ChunkColumns, type OptionKind, type Output, type ScanModel, type ScanSpec } from './grid';

/** Steps of the binomial trees in `priceBatch` (`DEFAULT_BINOMIAL_STEPS` in the engine). */
export const BATCH_BINOMIAL_STEPS = 201;

export interface OneOption {
  model: ScanModel;
  type: OptionKind;
  S: number;
  K: number;
  r: number;
  q: number;
  t: number;
  sigma: number;
}

export interface ScanKernel {
  readonly engineVersion: string;
  /**
   * Prices rows `start … start + count − 1` of `spec`'s grid. The returned columns are new and owned by the caller
   * (their buffers can be transferred). Rows whose inputs the engine rejects come back as NaN.
   * Throws an Error naming the argument when the engine refuses the whole call (e.g. an unknown model).
   */
  priceChunk(spec: ScanSpec, start: number, count: number): ChunkColumns;
  /** One option through the scalar binding `priceOption`, the reference a scan's cells can be checked against. */
  priceOne(o: OneOption): Record<Output, number>;
}

class BatchKernel implements ScanKernel {
  readonly engineVersion = engineVersion();
  private capacity = 0;
  private spot = new Float64Array(0);
  private strike = new Float64Array(0);
  private vol = new Float64Array(0);
  private time = new Float64Array(0);
  private rate = new Float64Array(0);
  private div = new Float64Array(0);
  private isCall = new Uint8Array(0);

  private ensure(count: number): void {
    if (count <= this.capacity) return;
    this.capacity = count;
    this.spot = new Float64Array(count);
    this.strike = new Float64Array(count);
    this.vol = new Float64Array(count);
    this.time = new Float64Array(count);
    this.rate = new Float64Array(count);
    this.div = new Float64Array(count);
    this.isCall = new Uint8Array(count);
  }

  priceChunk(spec: ScanSpec, start: number, count: number): ChunkColumns {
    this.ensure(count);
    const view = <T extends Float64Array | Uint8Array>(a: T): T => (a.length === count ? a : (a.subarray(0, count) as T));
    const cols = { spot: view(this.spot), strike: view(this.strike), vol: view(this.vol), time: view(this.time) };
    fillGridColumns(spec, start, count, cols);
    const rate = view(this.rate).fill(spec.r);
    const div = view(this.div).fill(spec.q);
    const isCall = view(this.isCall).fill(spec.type === 'call' ? 1 : 0);
    const out: ChunkColumns = {
      price: new Float64Array(count),
      delta: new Float64Array(count),
      gamma: new Float64Array(count),
      vega: new Float64Array(count),
      theta: new Float64Array(count),
      rho: new Float64Array(count),
    };
    priceBatch(spec.model, isCall, cols.spot, cols.strike, rate, div, cols.time, cols.vol,
      out.price, out.delta, out.gamma, out.vega, out.theta, out.rho);
    return out;
  }

  priceOne(o: OneOption): Record<Output, number> {
    const tree = o.model === 'binomial' || o.model === 'binomial_european';
    const res = priceOption(o.model, o.type, o.S, o.K, o.r, o.q, o.t, o.sigma, tree ? BATCH_BINOMIAL_STEPS : 0);
    try {
      return { price: res.price, delta: res.delta, gamma: res.gamma, vega: res.vega, theta: res.theta, rho: res.rho };
    } finally {
      res.free();
    }
  }
}

let loading: Promise<ScanKernel> | null = null;

/**
 * Instantiates the engine once per realm (worker or page) and returns the kernel. In the browser the .wasm is
 * fetched next to the bundled glue; Node (tests, benchmarks) passes the module's bytes.
 */
export function loadScanWasm(bytes?: BufferSource): Promise<ScanKernel> {
  loading ??= (bytes ? init({ module_or_path: bytes }) : init()).then(() => new BatchKernel() as ScanKernel);
  loading.catch(() => {
    loading = null;
  });
  return loading;
}
