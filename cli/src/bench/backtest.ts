// Headless backtest throughput of the wasm engine in Node: the built-in market maker over the engine's synthetic
// L2 dataset (`Backtest.synthetic`, the same generator and seed as the native `backtest` suite), with zero
// latency and with 1 ms feed and order latency.
import { performance } from 'node:perf_hooks';
import { loadWasm } from '../wasm.js';
import { median, type BenchResult } from './result.js';

export interface BacktestBenchParams {
  seed: number;
  groups: number;
  reps: number;
}

export const DEFAULT_BACKTEST_PARAMS: BacktestBenchParams = { seed: 42, groups: 2_000_000, reps: 5 };

export async function benchBacktest(p: BacktestBenchParams = DEFAULT_BACKTEST_PARAMS): Promise<BenchResult[]> {
  const wasm = await loadWasm();
  const out: BenchResult[] = [];
  for (const [name, ns] of [['mm_zero_latency', 0], ['mm_latency_1ms', 1_000_000]] as const) {
    const config = JSON.stringify({
      priceDecimals: 2,
      qtyDecimals: 3,
      feedLatency: { kind: 'constant', ns },
      orderLatency: { kind: 'constant', ns },
    });
    const samples: number[] = [];
    for (let i = 0; i <= p.reps; i++) {
      const bt = wasm.Backtest.synthetic(config, p.seed, p.groups);
      const t0 = performance.now();
      bt.runToEnd();
      const ms = performance.now() - t0;
      const events = bt.length();
      bt.free();
      if (i > 0) samples.push((ms * 1e6) / events); // the first run warms up
    }
    const nsPerEvent = median(samples);
    out.push({ suite: 'backtest', name, impl: 'wasm-node', metric: 'events_per_s', value: 1e9 / nsPerEvent, unit: 'events/s' });
    out.push({ suite: 'backtest', name, impl: 'wasm-node', metric: 'ns_per_event', value: nsPerEvent, unit: 'ns' });
  }
  return out;
}
