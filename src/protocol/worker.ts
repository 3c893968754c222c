/**
 * Main thread ↔ Web Worker messages, version 1. Types and constants only.
 *
 * Requests from the main thread carry a `reqId`; the worker answers each with exactly one `reply` echoing it.
 * Everything else the worker sends is unsolicited: connection status, the instrument list from `hello`,
 * notices, and at most one `render` snapshot per animation frame.
 *
 * A render snapshot moves its bulk data as transferred ArrayBuffers of float64 (layouts below). Prices and
 * quantities in them are already decimal values (ticks × tickSize, lots × lotSize, computed in the worker);
 * the main thread only prints them with the snapshot's `priceDecimals` / `qtyDecimals`.
 */
import type { InstrumentInfo } from './messages.js';

export const WORKER_PROTOCOL_VERSION = 1;

export type ConnectionState = 'connecting' | 'connected' | 'disconnected' | 'reconnecting';

export type ConnectionStatus =
  | { state: 'connecting'; attempt: number; url: string }
  | { state: 'connected'; server: string; heartbeatMs: number }
  | { state: 'disconnected'; reason: string; code: number | null }
  /** `retryAt` is the wall-clock time (ms since the epoch) of the next attempt. */
  | { state: 'reconnecting'; reason: string; inMs: number; retryAt: number; attempt: number };

export type CandleSeconds = 1 | 5;

/** What the worker renders: ladder depth (levels a side), price grouping (ticks per row), candle interval. */
export interface ViewConfig {
  depth: number;
  grouping: number;
  candleSec: CandleSeconds;
}

export const VIEW_LIMITS = {
  minDepth: 1,
  maxDepth: 200,
  minGrouping: 1,
  maxGrouping: 1_000_000,
} as const;

// ---- main → worker ---------------------------------------------------------------------------------------

export type WorkerRequest =
  /** Load the engine and open the WebSocket at `url` (`ws(s)://host/ws?v=1`). */
  | { type: 'start'; reqId: number; url: string; view: ViewConfig }
  /** Show this instrument: subscribe to it, unsubscribing the one shown before. */
  | { type: 'select'; reqId: number; symbol: string }
  | { type: 'view'; reqId: number; view: ViewConfig }
  /** Drop the current connection (if any) and connect again now, skipping the backoff wait. */
  | { type: 'reconnect'; reqId: number }
  /** Send the whole candle history with the next snapshot (after the main thread dropped snapshots). */
  | { type: 'refresh'; reqId: number };

export type WorkerRequestType = WorkerRequest['type'];

export interface WorkerReplyMap {
  start: { engineVersion: string };
  /** `subscribed` is false while not connected: the worker subscribes as soon as the server says hello. */
  select: { symbol: string; instrumentId: number | null; subscribed: boolean };
  view: ViewConfig;
  reconnect: { state: ConnectionState };
  refresh: { frame: number };
}

// ---- worker → main ---------------------------------------------------------------------------------------

export type WorkerReply = {
  [K in WorkerRequestType]: { type: 'reply'; reqId: number; request: K; ok: true; result: WorkerReplyMap[K] };
}[WorkerRequestType] | { type: 'reply'; reqId: number; request: WorkerRequestType; ok: false; error: string };

export type NoticeLevel = 'info' | 'warn' | 'error';

export type NoticeCode =
  /** The wasm engine failed to load or threw. */
  | 'engine'
  /** A JSON control message from the server that is not valid protocol v1. */
  | 'protocol'
  /** An `error` message from the server. */
  | 'server'
  /** A sequence gap: a resync was requested, or the book came back from a snapshot. */
  | 'resync'
  /** Frames the engine rejected (malformed, invalid records). */
  | 'rejected'
  | 'connection';

export interface WorkerNotice {
  level: NoticeLevel;
  code: NoticeCode;
  message: string;
  /** Wall-clock ms since the epoch. */
  ts: number;
}

export type WorkerMessage =
  | WorkerReply
  | { type: 'status'; status: ConnectionStatus }
  | { type: 'instruments'; server: string; instruments: InstrumentInfo[] }
  | { type: 'notice'; notice: WorkerNotice }
  | { type: 'render'; snapshot: RenderSnapshot };

// ---- render snapshot -------------------------------------------------------------------------------------

/**
 * Indices into `RenderSnapshot.stats` (Float64Array). Prices are decimal values; NaN where there is none
 * (an empty side, no frame since the last snapshot). Counters are totals since the worker started.
 */
export const Stat = {
  InstrumentId: 0,
  /** The book's update sequence (exact up to 2^53). */
  Seq: 1,
  BestBid: 2,
  BestAsk: 3,
  BestBidQty: 4,
  BestAskQty: 5,
  Spread: 6,
  Mid: 7,
  Microprice: 8,
  /** Book imbalance at the touch, as the engine reports it. */
  Imbalance: 9,
  BidLevels: 10,
  AskLevels: 11,
  /** 1 while the book waits for a snapshot (after a gap or a reset), else 0. */
  AwaitingSnapshot: 12,
  FramesApplied: 13,
  Snapshots: 14,
  Deltas: 15,
  Trades: 16,
  Rejected: 17,
  Stale: 18,
  Gaps: 19,
  ResyncsRequested: 20,
  /** WebSocket messages received in the last second (binary and JSON). */
  MsgsPerSec: 21,
  BytesPerSec: 22,
  /** Mean and max time from WebSocket receipt to this post, over the frames applied since the last snapshot. */
  LatencyMeanMs: 23,
  LatencyMaxMs: 24,
  /** Time spent in the last `applyFrames` call. */
  ApplyMs: 25,
  /** Round trip of the last `ping`/`pong`. */
  RttMs: 26,
  /** JSON control messages that were not valid protocol v1. */
  InvalidMessages: 27,
  /** Render snapshots posted so far, this one included. */
  Posted: 28,
} as const;
export const STAT_COUNT = 29;

/** Layout of `RenderSnapshot.levels`: `[bidCount, askCount, bids…, asks…]`, each level `[price, qty, cumQty]`. */
export const LEVEL_FIELDS = 3;
export const levelsLength = (depth: number): number => 2 + 2 * LEVEL_FIELDS * depth;
export const bidOffset = (i: number): number => 2 + LEVEL_FIELDS * i;
export const askOffset = (depth: number, i: number): number => 2 + LEVEL_FIELDS * depth + LEVEL_FIELDS * i;

/** Layout of `RenderSnapshot.trades`, oldest first: `[tsEventMs, price, qty, aggressor]` (1 buy, 2 sell, 0 unknown). */
export const TRADE_FIELDS = 4;

/** Layout of `RenderSnapshot.candles`, ascending time: `[timeSec, open, high, low, close, volume]`. */
export const CANDLE_FIELDS = 6;

/**
 * Layout of `RenderSnapshot.heat`: one heatmap column, `[baseIndex, step, bestBid, bestAsk, size₀ … size_{HEAT_ROWS−1}]`.
 * Row r is the total resting size (both sides) at price `(baseIndex + r) × step`; the window is centred on the
 * mid. `baseIndex` is NaN without a two-sided book.
 */
export const HeatField = { BaseIndex: 0, Step: 1, BestBid: 2, BestAsk: 3 } as const;
export const HEAT_HEADER = 4;
export const HEAT_ROWS = 160;
/** Levels a side the worker reads for the heatmap column (at the view's grouping). */
export const HEAT_DEPTH = 100;

export interface RenderSnapshot {
  /** Increases by one with every snapshot posted. */
  frame: number;
  symbol: string;
  instrumentId: number;
  priceDecimals: number;
  qtyDecimals: number;
  /** The price step of one ladder row, as a decimal value (grouping × tickSize). */
  rowStep: number;
  depth: number;
  grouping: number;
  candleSec: CandleSeconds;
  /** True when `candles` holds the whole history (new instrument or interval): replace, do not append. */
  candlesReset: boolean;
  /** Float64Array of `STAT_COUNT` values, indexed by `Stat`. */
  stats: ArrayBuffer;
  /** Float64Array of `levelsLength(depth)` values. */
  levels: ArrayBuffer;
  /** Float64Array of `TRADE_FIELDS` × n values: the selected instrument's trades since the last snapshot. */
  trades: ArrayBuffer;
  /** Float64Array of `CANDLE_FIELDS` × n values: candles changed since the last snapshot (or all, see above). */
  candles: ArrayBuffer;
  /** Float64Array of `HEAT_HEADER + HEAT_ROWS` values: this snapshot's heatmap column (layout above). */
  heat: ArrayBuffer;
}
