/**
 * Main thread ↔ replay worker messages (src/replay-worker/). Types and constants only.
 *
 * Requests carry a `reqId`; the worker answers each with one `reply`. Long requests (loading a dataset, a
 * headless run) send `progress` messages with the same `reqId` first. While a replay plays, the worker posts at
 * most one `frame` per tick: a render snapshot in the live layout (src/protocol/worker.ts, so the ladder,
 * heatmap and tape views paint it unchanged) plus the replay's own state at the cursor.
 */
import type { RenderSnapshot } from './worker.js';

/** Where a dataset comes from: a file the user dropped (read in windows, never uploaded), or the sample day. */
export type DatasetSource =
  | { kind: 'file'; file: File }
  | { kind: 'sample'; seed: number; minutes: number };

export interface DatasetInfo {
  name: string;
  venue: string;
  symbol: string;
  priceDecimals: number;
  qtyDecimals: number;
  events: number;
  trades: number;
  /**
   * First and last `ts_recv` in ms since the epoch. Times cross this protocol as float ms (exact to about 0.25 µs
   * today); the worker keeps the engine's integer ns.
   */
  startMs: number;
  endMs: number;
  /** Hex SHA-256 of the dataset's event columns (identifies the data a run used). */
  hash: string;
  /** Events per time bin over [startMs, endMs], `DENSITY_BINS` bins. */
  density: number[];
}

export const DENSITY_BINS = 600;

/** Playback speeds offered (data seconds per wall second); `Infinity` is "as fast as possible". */
export const SPEEDS = [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, Number.POSITIVE_INFINITY] as const;

export interface RunResult {
  /** The engine's summary (snake_case keys: events, orders, fills, pnl, …; see docs/backtest.md). */
  summary: Record<string, number>;
  /** `FILL_FIELDS` numbers per fill. */
  fills: ArrayBuffer;
  /** `EQUITY_FIELDS` numbers per sample. */
  equity: ArrayBuffer;
  /** The engine's own fills `[tsRecvNs, orderId, side, priceTicks, qtyLots, fee, maker]` (for Arrow export). */
  fillsRaw: ArrayBuffer;
  /** The engine's own equity samples `[tsNs, equity, positionLots, realised, unrealised]`. */
  equityRaw: ArrayBuffer;
  engineVersion: string;
  configJson: string;
}

/** Layout of `RunResult.fills`: `[tsMs, orderId, side (0 buy, 1 sell), price, qty, fee, maker (1/0)]`, decimal values. */
export const FILL_FIELDS = 7;
/** Layout of `RunResult.equity`: `[tsMs, equity, position, realised, unrealised]`. */
export const EQUITY_FIELDS = 5;
/** Layout of `ReplayState.orders`: `[id, side, price, qty, leaves, qtyAhead]`, decimal values. */
export const ORDER_FIELDS = 6;

export type ReplayRequest =
  | { type: 'load'; reqId: number; source: DatasetSource }
  /** Run the whole dataset headless with this config (JSON, docs/backtest.md) and position the cursor at 0. */
  | { type: 'run'; reqId: number; configJson: string }
  | { type: 'play'; reqId: number }
  | { type: 'pause'; reqId: number }
  /** Advance to the next event group that changes the book or trades. */
  | { type: 'step'; reqId: number; events: number }
  /** Move the cursor to the first event at or after `tsMs` (or to `index`). */
  | { type: 'seek'; reqId: number; tsMs?: number; index?: number }
  | { type: 'speed'; reqId: number; speed: number }
  | { type: 'view'; reqId: number; depth: number };

export type ReplayRequestType = ReplayRequest['type'];

export interface ReplayReplyMap {
  load: DatasetInfo;
  run: RunResult;
  play: { playing: boolean };
  pause: { playing: boolean };
  step: { index: number };
  seek: { index: number; ms: number };
  speed: { speed: number };
  view: { depth: number };
}

/** The replay's own state at the cursor, posted with each frame. */
export interface ReplayState {
  index: number;
  events: number;
  tsMs: number;
  playing: boolean;
  speed: number;
  position: number;
  equity: number;
  realised: number;
  unrealised: number;
  fees: number;
  fills: number;
  /** `ORDER_FIELDS` numbers per open order of the strategy. */
  orders: ArrayBuffer;
  /** Events applied per second of wall time during the last tick. */
  eventsPerSec: number;
  /** Increases with every seek (views that accumulate, like the heatmap, start again). */
  seekSerial: number;
}

export type ReplayMessage =
  | { type: 'ready'; engineVersion: string }
  | { type: 'failed'; error: string }
  | { type: 'progress'; reqId: number; done: number; total: number; label: string }
  | {
    [K in ReplayRequestType]: { type: 'reply'; reqId: number; request: K; ok: true; result: ReplayReplyMap[K] };
  }[ReplayRequestType]
  | { type: 'reply'; reqId: number; request: ReplayRequestType; ok: false; error: string }
  | { type: 'frame'; snapshot: RenderSnapshot; state: ReplayState }
  /** Playback stopped by itself: the end of the data, or an error (a user strategy threw, the engine refused). */
  | { type: 'stopped'; reason: string; error: boolean };
