// Options benchmark in Node: 5 M BSM prices with delta, gamma, vega, theta and rho on the grid the native
// benchmark builds (core-wasm/bench `option_grid`), as wasm (baseline build and SIMD128 build, through the
// zero-copy OptionBatch) and as the plain TypeScript baseline; then implied vol in wasm.
import { performance } from 'node:perf_hooks';
import { optionBatchViews, type OptionBatchViews } from '../../../src/wasm/optionBatch.js';
import { loadWasmVariant, type WasmVariant } from '../wasm.js';
import { median, type BenchResult } from './result.js';
import { tsBsm, type Columns } from './ts-bsm.js';

const frac = (x: number): number => x % 1;

/** Row i of the benchmark grid (identical to the native `option_grid`). */
export function fillGrid(c: Columns, n: number): void {
  for (let i = 0; i < n; i++) {
    c.isCall[i] = i & 1;
    c.spot[i] = 60 + 80 * frac(i * 0.6180339887498949);
    c.strike[i] = 100;
    c.rate[i] = 0.03;
    c.div[i] = 0.01;
    c.time[i] = 0.05 + 2 * frac(i * 0.7548776662466927);
    c.vol[i] = 0.08 + 0.7 * frac(i * 0.5698402909980532);
  }
}

function nsPerRow(reps: number, n: number, once: () => void): number {
  once(); // warm-up: wasm tier-up, JIT
  const samples: number[] = [];
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now();
    once();
    samples.push(((performance.now() - t0) * 1e6) / n);
  }
  return median(samples);
}

const IMPL: Record<WasmVariant, string> = { scalar: 'wasm-node', simd: 'wasm-simd-node' };

export async function benchOptions(n = 5_000_000, reps = 3): Promise<BenchResult[]> {
  const out: BenchResult[] = [];
  const add = (name: string, impl: string, ns: number): void => {
    out.push({ suite: 'options', name, impl, metric: 'ns_per_option', value: ns, unit: 'ns' });
  };
  let reference: OptionBatchViews | undefined;
  for (const variant of ['scalar', 'simd'] as const) {
    const { wasm, memory } = await loadWasmVariant(variant);
    const batch = new wasm.OptionBatch(n);
    const v = optionBatchViews(memory, batch);
    fillGrid(v, n);
    add('bsm_greeks_scan', IMPL[variant], nsPerRow(reps, n, () => batch.scanBsm(n)));
    add('bsm_greeks', IMPL[variant], nsPerRow(reps, n, () => batch.priceAll('bsm', n)));
    add('implied_vol', IMPL[variant], nsPerRow(reps, n, () => batch.ivAll('bsm', n)));
    if (variant === 'scalar') reference = v;
    else batch.free();
  }
  // The TypeScript baseline on the same grid; checked against the engine so a wrong baseline is not timed.
  const cols: Columns = {
    isCall: new Uint8Array(n), spot: new Float64Array(n), strike: new Float64Array(n), rate: new Float64Array(n),
    div: new Float64Array(n), time: new Float64Array(n), vol: new Float64Array(n),
  };
  fillGrid(cols, n);
  const res = { price: new Float64Array(n), delta: new Float64Array(n), gamma: new Float64Array(n),
    vega: new Float64Array(n), theta: new Float64Array(n), rho: new Float64Array(n) };
  add('bsm_greeks_scan', 'ts', nsPerRow(reps, n, () => tsBsm(cols, res, n)));
  if (reference) {
    for (let i = 0; i < n; i += 9973) {
      if (Math.abs(res.delta[i]! - reference.delta[i]!) > 1e-9) {
        throw new Error(`TypeScript baseline disagrees with the engine at row ${i}: delta ${res.delta[i]} vs ${reference.delta[i]}`);
      }
    }
  }
  return out;
}
