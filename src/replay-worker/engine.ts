/**
 * What the replay session needs from the wasm engine, as interfaces: `wasm.ts` adapts the generated bindings,
 * unit tests supply fakes. Times cross as ms (float) here; the engine keeps integer ns inside.
 */
import type { CursorBook } from './frames';

export interface DatasetMeta {
  venue: string;
  symbol: string;
  priceDecimals: number;
  qtyDecimals: number;
}

/** A dataset held by the engine (its event columns live in wasm memory, not in the JS heap). */
export interface DatasetHandle {
  readonly meta: DatasetMeta;
  length(): number;
  trades(): number;
  /** `ts_recv` of event `i` in ms. */
  tsMs(i: number): number;
  /** The first event at or after `ms` (`length()` when none). */
  indexAtMs(ms: number): number;
  /** The first event after `i` with a later `ts_recv` (`length()` when none). */
  nextTime(i: number): number;
  /** Trade rows `[tsMs, priceTicks, qtyLots, aggressor]` among events `[from, to)`, the last `max` of them. */
  tradesBetween(from: number, to: number, max: number): Float64Array;
  /** Hex SHA-256 of the event columns. */
  hash(): string;
}

/** Columns of one window of a dataset file (`docs/datasets.md`). */
export interface EventColumns {
  tsRecv: BigInt64Array;
  tsEvent: BigInt64Array;
  kind: Uint8Array;
  side: Uint8Array;
  price: BigInt64Array;
  qty: BigInt64Array;
  flags: Uint8Array;
}

export interface DatasetBuilder {
  /** Appends a window (validated by the engine; throws naming the column, row and value). */
  append(columns: EventColumns): void;
  /** Checks the dataset is complete and hands it over. */
  finish(): DatasetHandle;
}

export interface BacktestHandle extends CursorBook {
  /** Moves the cursor to event `index` (forward by processing, backward through the nearest checkpoint). */
  runTo(index: number): void;
  cursor(): number;
  /** The summary at the cursor (snake_case keys, docs/backtest.md). */
  summary(): Record<string, number>;
  /** Fills so far: `[tsRecvNs, orderId, side, priceTicks, qtyLots, fee, maker]` per fill (ns as a float). */
  fills(): Float64Array;
  /** Equity samples so far: `[tsNs, equity, positionLots, realised, unrealised]` (ns as a float). */
  equity(): Float64Array;
  /** Open orders: `[id, side, priceTicks, qtyLots, leavesLots, aheadLots]`. */
  openOrders(): Float64Array;
  free(): void;
}

export interface ReplayBackend {
  readonly version: string;
  /** The built-in sample day: the simulator's book and trades, deterministic for a seed. */
  sampleDay(seed: number, minutes: number): DatasetHandle;
  newDataset(meta: DatasetMeta): DatasetBuilder;
  /** A backtest over `dataset` with a JSON config (throws naming the field and value). */
  backtest(configJson: string, dataset: DatasetHandle): BacktestHandle;
}

/** Reads a dataset file window by window (`src/dataset`), calling `onWindow` for each record batch. */
export type FileReader = (
  file: Blob,
  onMeta: (meta: DatasetMeta) => void,
  onWindow: (columns: EventColumns) => void,
  onProgress: (bytes: number, total: number) => void,
) => Promise<void>;
