/**
 * A render snapshot as the main thread reads it: the transferred buffers wrapped once in Float64Array views.
 * Nothing here parses market data; it only indexes the worker's fixed layouts (src/protocol/worker.ts).
 */
import { askOffset, bidOffset, CANDLE_FIELDS, Stat, TRADE_FIELDS, type RenderSnapshot } from '../protocol/worker';

export interface RenderFrame {
  readonly meta: Omit<RenderSnapshot, 'stats' | 'levels' | 'trades' | 'candles' | 'heat'>;
  readonly stats: Float64Array;
  readonly levels: Float64Array;
  readonly trades: Float64Array;
  readonly candles: Float64Array;
  /** This snapshot's heatmap column (`HeatField` / `HEAT_ROWS` layout). */
  readonly heat: Float64Array;
  /** `performance.now()` on the main thread when the snapshot arrived. */
  readonly receivedAt: number;
}

export function toRenderFrame(snapshot: RenderSnapshot, receivedAt: number): RenderFrame {
  const { stats, levels, trades, candles, heat, ...meta } = snapshot;
  return {
    meta,
    stats: new Float64Array(stats),
    levels: new Float64Array(levels),
    trades: new Float64Array(trades),
    candles: new Float64Array(candles),
    heat: new Float64Array(heat),
    receivedAt,
  };
}

export const bidCount = (f: RenderFrame): number => f.levels[0] ?? 0;
export const askCount = (f: RenderFrame): number => f.levels[1] ?? 0;
export const bidAt = (f: RenderFrame, i: number): number => bidOffset(i);
export const askAt = (f: RenderFrame, i: number): number => askOffset(f.meta.depth, i);
export const tradeCount = (f: RenderFrame): number => f.trades.length / TRADE_FIELDS;
export const candleCount = (f: RenderFrame): number => f.candles.length / CANDLE_FIELDS;
export const stat = (f: RenderFrame, key: (typeof Stat)[keyof typeof Stat]): number => f.stats[key] ?? Number.NaN;

/** A plain summary of a frame (for the test API and debugging). */
export interface RenderSummary {
  frame: number;
  symbol: string;
  instrumentId: number;
  seq: number;
  bestBid: number | null;
  bestAsk: number | null;
  spread: number | null;
  mid: number | null;
  microprice: number | null;
  imbalance: number | null;
  bidLevels: number;
  askLevels: number;
  /** Rows shown a side (after grouping and the depth limit). */
  bidRows: number;
  askRows: number;
  awaitingSnapshot: boolean;
  depth: number;
  grouping: number;
}

const orNull = (v: number): number | null => (Number.isFinite(v) ? v : null);

export function summarise(f: RenderFrame): RenderSummary {
  return {
    frame: f.meta.frame,
    symbol: f.meta.symbol,
    instrumentId: f.meta.instrumentId,
    seq: stat(f, Stat.Seq),
    bestBid: orNull(stat(f, Stat.BestBid)),
    bestAsk: orNull(stat(f, Stat.BestAsk)),
    spread: orNull(stat(f, Stat.Spread)),
    mid: orNull(stat(f, Stat.Mid)),
    microprice: orNull(stat(f, Stat.Microprice)),
    imbalance: orNull(stat(f, Stat.Imbalance)),
    bidLevels: stat(f, Stat.BidLevels),
    askLevels: stat(f, Stat.AskLevels),
    bidRows: bidCount(f),
    askRows: askCount(f),
    awaitingSnapshot: stat(f, Stat.AwaitingSnapshot) === 1,
    depth: f.meta.depth,
    grouping: f.meta.grouping,
  };
}
