/** Loads the wasm engine for the replay worker: the one module here that imports the generated bindings. */
import init, {
  Backtest, Dataset, datasetFromRecording, engineVersion, sampleDay,
} from '../../core-wasm/pkg/ferrodesk_wasm.js';
import type { BacktestHandle, DatasetBuilder, DatasetHandle, DatasetMeta, ReplayBackend } from './engine';
import type { ExternalBacktest } from './external';

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

class WasmBacktest implements BacktestHandle, ExternalBacktest {
  constructor(private readonly bt: Backtest) {}

  step(maxEvents: number): number {
    return this.bt.step(maxEvents);
  }

  now(): number {
    return this.bt.now();
  }

  strategyTopLevels(side: number, depth: number): Float64Array {
    return this.bt.strategyTopLevels(side, depth);
  }

  strategyPosition(): number {
    return this.bt.strategyPosition();
  }

  strategyOrders(): Float64Array {
    return this.bt.strategyOrders();
  }

  lastTrade(): Float64Array {
    return this.bt.lastTrade();
  }

  lastFill(): Float64Array {
    return this.bt.lastFill();
  }

  submitLimit(side: number, price: number, qty: number, postOnly: boolean, ioc: boolean): number {
    return this.bt.submitLimit(side, price, qty, postOnly, ioc);
  }

  submitMarket(side: number, qty: number): number {
    return this.bt.submitMarket(side, qty);
  }

  cancelOrder(id: number): number {
    return this.bt.cancelOrder(id);
  }

  modifyOrder(id: number, price: number, qty: number): number {
    return this.bt.modifyOrder(id, price, qty);
  }

  setTimer(ts: number): void {
    this.bt.setTimer(ts);
  }

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

function wasmDataset(d: DatasetHandle): WasmDataset {
  if (!(d instanceof WasmDataset)) throw new Error('the dataset was not loaded by this engine');
  return d;
}

export async function loadReplayBackend(): Promise<ReplayBackend> {
  await init();
  return {
    version: engineVersion(),
    sampleDay: (seed, minutes) => new WasmDataset(sampleDay(seed, minutes * 60)),
    fromRecording: (venue, bytes) => new WasmDataset(datasetFromRecording(venue, bytes)),
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
    backtest: (configJson, dataset) => new WasmBacktest(Backtest.withDataset(configJson, wasmDataset(dataset).ds)),
    externalBacktest: (configJson, dataset) =>
      new WasmBacktest(Backtest.withDataset(configJson, wasmDataset(dataset).ds)),
  };
}
