/**
 * The part of the wasm engine the worker uses, as an interface: `wasm.ts` supplies the real one, unit tests a
 * fake. Prices and quantities are integer ticks and lots. Objects returned by the engine own wasm memory and
 * must be `free()`d once read.
 */

export interface ApplySummaryLike {
  readonly frames: number;
  readonly snapshots: number;
  readonly deltas: number;
  readonly trades: number;
  readonly rejected: number;
  readonly stale: number;
  readonly gaps: number;
  /** Instruments whose books hit a sequence gap in this call and wait for a snapshot. */
  readonly resyncInstruments: Uint32Array;
  /** The first decoding or validation error in this call, if any. */
  readonly error: string | undefined;
  free(): void;
}

export interface BookStateLike {
  readonly seq: number;
  readonly bidLevels: number;
  readonly askLevels: number;
  readonly bestBid: number;
  readonly bestAsk: number;
  readonly bestBidQty: number;
  readonly bestAskQty: number;
  readonly mid: number;
  readonly microprice: number;
  readonly imbalance: number;
  readonly awaitingSnapshot: boolean;
  free(): void;
}

export interface EngineLike {
  /** Decodes and applies concatenated binary frames; bad data is counted in the summary, never thrown. */
  applyFrames(bytes: Uint8Array): ApplySummaryLike;
  /**
   * Writes the top `depth` levels a side, grouped by `grouping` ticks, into `out` (length ≥ 2 + 6 × depth):
   * `out[0]` bid count, `out[1]` ask count, bids at `2 + 3i`, asks at `2 + 3 × depth + 3i`, each
   * `[priceTicks, qtyLots, cumQtyLots]`.
   */
  topLevels(instrumentId: number, depth: number, grouping: number, out: Float64Array): number;
  /** Moves pending trades into `out`, 5 numbers each: `[instrumentId, tsEventMs, priceTicks, qtyLots, aggressor]`. */
  drainTrades(out: Float64Array): number;
  bookState(instrumentId: number): BookStateLike | undefined;
  resetInstrument(instrumentId: number): void;
  free(): void;
}

export interface LoadedEngine {
  engine: EngineLike;
  version: string;
}

/** Numbers per trade in `drainTrades` output. */
export const DRAIN_FIELDS = 5;
