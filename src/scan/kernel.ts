/**
 * The scan's one door into the wasm engine: loads the generated bindings and prices chunks of a scenario grid.
 * Everything else in src/scan/ reaches wasm only through `loadScanWasm()` and the `ScanKernel` it returns.
 *
 * Chunks are priced in place in wasm memory: one `OptionBatch` per kernel (re-created when a chunk is larger) whose
 * input columns the grid is written into through typed-array views, one engine call per chunk, and one copy of each
 * output (`slice`) — the copies are what the worker transfers to the page. BSM chunks go through the engine's
 * vector scan kernel (`scanBsm`: two lanes per SIMD128 register; results within a few ulps of max(S, K) of the
 * scalar model, see `SCAN_TOLERANCE`); the other models through `priceAll`, identical to `priceOption`.
 *
 * In the browser the SIMD128 build (core-wasm/pkg-simd) is loaded when the engine validates a SIMD module, the
 * baseline build otherwise; Node (tests, benchmarks) passes the baseline module's bytes.
 */
import type * as Glue from '../../core-wasm/pkg/ferrodesk_wasm.js';
import { optionBatchViews, type OptionBatchViews } from '../wasm/optionBatch';
import { fillGridColumns, type ChunkColumns, type OptionKind, type Output, type ScanModel, type ScanSpec } from './grid';

type GlueModule = typeof Glue;
type Batch = InstanceType<GlueModule['OptionBatch']>;

/**
 * How far a BSM scan cell may be from `priceOption` (the vector kernel evaluates N(x) and the price directly rather
 * than through the normalised Black function): per output, a bound relative to max(S, K) for money amounts.
 */
export function scanTolerance(output: Output, S: number, K: number): number {
  const scale = Math.max(S, K);
  switch (output) {
    case 'delta':
      return 1e-12;
    case 'gamma':
      return 1e-12 / scale;
    default:
      return 1e-12 * scale;
  }
}

/** The smallest module using a SIMD128 instruction (i8x16.splat … f64x2 ops), to ask the engine whether it runs them. */
const SIMD_PROBE = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 10, 1, 8, 0,
  65, 0, 253, 15, 253, 98, 11]);

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
  /** True when the engine build in use runs SIMD128. */
  readonly simd: boolean;
  /**
   * Prices rows `start … start + count − 1` of `spec`'s grid. The returned columns are new and owned by the caller
   * (their buffers can be transferred). Rows whose inputs the engine rejects come back as NaN.
   * Throws an Error naming the argument when the engine refuses the whole call (e.g. an unknown model).
   */
  priceChunk(spec: ScanSpec, start: number, count: number): ChunkColumns;
  /** One option through the scalar binding `priceOption`, the reference a scan's cells can be checked against. */
  priceOne(o: OneOption): Record<Output, number>;
}

class ColumnKernel implements ScanKernel {
  readonly engineVersion: string;
  private batch: Batch | null = null;

  constructor(private readonly glue: GlueModule, private readonly memory: WebAssembly.Memory,
    readonly simd: boolean) {
    this.engineVersion = glue.engineVersion();
  }

  private views(count: number): OptionBatchViews {
    if (!this.batch || this.batch.capacity < count) {
      this.batch?.free();
      this.batch = null;
      this.batch = new this.glue.OptionBatch(count);
    }
    return optionBatchViews(this.memory, this.batch);
  }

  priceChunk(spec: ScanSpec, start: number, count: number): ChunkColumns {
    let v = this.views(count);
    const batch = this.batch;
    if (!batch) throw new Error('scan kernel: no batch');
    fillGridColumns(spec, start, count, {
      spot: v.spot.subarray(0, count), strike: v.strike.subarray(0, count), vol: v.vol.subarray(0, count),
      time: v.time.subarray(0, count),
    });
    v.rate.fill(spec.r, 0, count);
    v.div.fill(spec.q, 0, count);
    v.isCall.fill(spec.type === 'call' ? 1 : 0, 0, count);
    if (spec.model === 'bsm') batch.scanBsm(count);
    else batch.priceAll(spec.model, count);
    if (!v.fresh()) v = optionBatchViews(this.memory, batch);
    return {
      price: v.price.slice(0, count),
      delta: v.delta.slice(0, count),
      gamma: v.gamma.slice(0, count),
      vega: v.vega.slice(0, count),
      theta: v.theta.slice(0, count),
      rho: v.rho.slice(0, count),
    };
  }

  priceOne(o: OneOption): Record<Output, number> {
    const tree = o.model === 'binomial' || o.model === 'binomial_european';
    const res = this.glue.priceOption(o.model, o.type, o.S, o.K, o.r, o.q, o.t, o.sigma,
      tree ? BATCH_BINOMIAL_STEPS : 0);
    try {
      return { price: res.price, delta: res.delta, gamma: res.gamma, vega: res.vega, theta: res.theta, rho: res.rho };
    } finally {
      res.free();
    }
  }
}

let loading: Promise<ScanKernel> | null = null;

async function instantiate(bytes?: BufferSource): Promise<ScanKernel> {
  if (bytes) {
    const glue = await import('../../core-wasm/pkg/ferrodesk_wasm.js');
    const out = await glue.default({ module_or_path: bytes });
    return new ColumnKernel(glue, out.memory, glue.simdEnabled());
  }
  const glue: GlueModule = WebAssembly.validate(SIMD_PROBE)
    ? await import('../../core-wasm/pkg-simd/ferrodesk_wasm.js')
    : await import('../../core-wasm/pkg/ferrodesk_wasm.js');
  const out = await glue.default();
  return new ColumnKernel(glue, out.memory, glue.simdEnabled());
}

/**
 * Instantiates the engine once per realm (worker or page) and returns the kernel. In the browser the .wasm is
 * fetched next to the bundled glue; Node (tests, benchmarks) passes the module's bytes.
 */
export function loadScanWasm(bytes?: BufferSource): Promise<ScanKernel> {
  loading ??= instantiate(bytes);
  loading.catch(() => {
    loading = null;
  });
  return loading;
}
