// Book delta-apply throughput of the wasm engine in Node and of the TypeScript baseline, on the identical
// synthetic depth-1000 stream the native benchmark generates (same seed and parameters).
import { performance } from 'node:perf_hooks';
import { loadWasm } from '../wasm.js';
import { median, type BenchResult } from './result.js';
import { TsBook } from './ts-book.js';

export interface BookBenchParams {
  seed: number;
  depth: number;
  batches: number;
  batchSize: number;
  reps: number;
}

export const DEFAULT_BOOK_PARAMS: BookBenchParams = { seed: 42, depth: 1000, batches: 2000, batchSize: 50, reps: 7 };

function timeReps(reps: number, once: () => number): { nsPerRecord: number; records: number } {
  const samples: number[] = [];
  let records = 0;
  once(); // warm-up: JIT and wasm tier-up
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    records = once();
    samples.push(((performance.now() - t0) * 1e6) / records);
  }
  return { nsPerRecord: median(samples), records };
}

export async function benchBook(p: BookBenchParams = DEFAULT_BOOK_PARAMS): Promise<BenchResult[]> {
  const wasm = await loadWasm();
  const frames = wasm.synthFrames(p.seed, p.depth, p.batches, p.batchSize);
  const name = `apply_synth_depth${p.depth}`;

  const w = timeReps(p.reps, () => {
    const engine = new wasm.Engine();
    const summary = engine.applyFrames(frames);
    const n = summary.deltas;
    const bad = summary.rejected + summary.gaps;
    summary.free();
    engine.free();
    if (bad) throw new Error(`wasm engine rejected ${bad} frames of the synthetic stream`);
    return n;
  });
  const t = timeReps(p.reps, () => {
    const book = new TsBook();
    const n = book.applyFrames(frames);
    if (book.gaps) throw new Error(`TypeScript baseline saw ${book.gaps} gaps in the synthetic stream`);
    return n;
  });
  const out: BenchResult[] = [];
  for (const [impl, r] of [['wasm-node', w], ['ts', t]] as const) {
    out.push({ suite: 'book', name, impl, metric: 'deltas_per_s', value: 1e9 / r.nsPerRecord, unit: 'deltas/s' });
    out.push({ suite: 'book', name, impl, metric: 'ns_per_delta', value: r.nsPerRecord, unit: 'ns' });
  }
  return out;
}
