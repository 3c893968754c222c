/** Loads the wasm engine for the replay worker: the one module here that imports the generated bindings. */
import init, { Backtest, Dataset, engineVersion, sampleDay } from '../../core-wasm/pkg/ferrodesk_wasm.js';
import type { BacktestHandle, DatasetBuilder, DatasetHandle, DatasetMeta, ReplayBackend } from './engine';

class WasmDataset implements DatasetHandle {
  readonly meta: DatasetMeta;
  private digestHex: string | null = null;
  private tradeRows: number | null = null;

  constructor(readonly ds: Dataset) {
    this.meta = { venue: ds.venue, symbol: ds.symbol, priceDecimals: ds.priceDecimals, qtyDecimals: ds.qtyDecimals };
  }

  length(): number {
    return this.ds.length;
  }

  trades(): number {
    this.tradeRows ??= this.ds.tradeCount();
    return this.tradeRows;
  }

  tsMs(i: number): number {
    return this.ds.tsMsAt(i);
  }

  indexAtMs(ms: number): number {
    return this.ds.indexAtMs(ms);
  }

  nextTime(i: number): number {
    return this.ds.nextTime(i);
  }

  tradesBetween(from: number, to: number, max: number): Float64Array {
    return this.ds.tradesBetween(from, to, max);
  }

  hash(): string {
    this.digestHex ??= this.ds.digest();
    return this.digestHex;
  }
}

class WasmBacktest implements BacktestHandle {
  constructor(private readonly bt: Backtest) {}

  runTo(index: number): void {
    this.bt.runTo(index);
  }

  cursor(): number {
    return this.bt.cursor();
  }

  summary(): Record<string, number> {
    return JSON.parse(this.bt.summaryJson()) as Record<string, number>;
  }

  fills(): Float64Array {
    return this.bt.fills();
  }

  equity(): Float64Array {
    return this.bt.equity();
  }

  openOrders(): Float64Array {
    return this.bt.openOrders();
  }

  topLevels(side: 0 | 1, depth: number): Float64Array {
    return this.bt.topLevels(side, depth);
  }

  free(): void {
    this.bt.free();
  }
}

export async function loadReplayBackend(): Promise<ReplayBackend> {
  await init();
  return {
    version: engineVersion(),
    sampleDay: (seed, minutes) => new WasmDataset(sampleDay(seed, minutes * 60)),
    newDataset(meta): DatasetBuilder {
      const ds = new Dataset(meta.venue, meta.symbol, meta.priceDecimals, meta.qtyDecimals);
      return {
        append: (c) => ds.append(c.tsRecv, c.tsEvent, c.kind, c.side, c.price, c.qty, c.flags),
        finish: () => {
          ds.finish();
          return new WasmDataset(ds);
        },
      };
    },
    backtest: (configJson, dataset) => {
      if (!(dataset instanceof WasmDataset)) throw new Error('the dataset was not loaded by this engine');
      return new WasmBacktest(Backtest.withDataset(configJson, dataset.ds));
    },
  };
}
