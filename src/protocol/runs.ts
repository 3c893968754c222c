/**
 * Saved backtest runs (`/api/runs`, docs/protocol.md "Backtest runs"). Types only, shared by the backend
 * (server/src/runs) and the page (src/features/replay/runs).
 */

/** The keys of a run's summary, as the engine's `summary_json()` writes them plus `elapsed_ms` and `events_per_s`. */
export const SUMMARY_KEYS = [
  'events', 'orders', 'fills', 'pnl', 'realised', 'unrealised', 'fees', 'position', 'volume', 'turnover', 'return',
  'sharpe', 'sortino', 'max_drawdown', 'fill_ratio', 'inventory_mean_abs', 'inventory_max_abs', 'elapsed_ms',
  'events_per_s',
] as const;

export type SummaryKey = (typeof SUMMARY_KEYS)[number];
export type RunSummary = Record<SummaryKey, number>;

/** Most points a saved equity curve may have; the page downsamples longer curves before saving. */
export const MAX_CURVE_POINTS = 5000;
export const MAX_RUN_NAME = 80;

/** A JSON value as stored for strategy parameters and engine configuration. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** The equity curve as parallel arrays of the same length; `ts` in nanoseconds (as JSON numbers), non-decreasing. */
export interface RunCurve {
  ts: number[];
  equity: number[];
  position: number[];
}

export interface RunDataset {
  /** SHA-256 of the dataset file, 64 lowercase hex digits. */
  hash: string;
  name: string;
  events: number;
  venue: string;
  symbol: string;
}

/** `POST /api/runs` body. */
export interface RunInput {
  name: string;
  strategy: { kind: string; params: Record<string, JsonValue> };
  /** The engine configuration the run used (latency, fees, fill model, seed, …), as given to `Config::from_json`. */
  config: Record<string, JsonValue>;
  dataset: RunDataset;
  engineVersion: string;
  summary: RunSummary;
  curve: RunCurve;
}

/** A run as listed: everything but the curve, with its id, creation time and curve length. */
export interface RunListItem extends Omit<RunInput, 'curve'> {
  id: string;
  /** ISO 8601 time the server stored the run. */
  createdAt: string;
  points: number;
}

/** `GET /api/runs/:id`. */
export interface SavedRun extends RunListItem {
  curve: RunCurve;
}

/** `GET /api/runs?offset=&limit=`: newest first. */
export interface RunList {
  runs: RunListItem[];
  total: number;
  offset: number;
  limit: number;
  /** The `offset` of the next page, or null on the last one. */
  nextOffset: number | null;
}

/** `POST /api/runs` reply (201). */
export interface RunCreated {
  id: string;
  createdAt: string;
}

export const RUN_ID = /^[0-9a-z]{8,40}$/;
export const RUN_ID_HELP = '8 to 40 characters from 0-9 and a-z';
