/**
 * Server ↔ client control messages, protocol version 1 (docs/protocol.md).
 * Types only, shared by the backend (server/) and the Web Worker (src/worker/).
 */

export const PROTOCOL_VERSION = 1;

export interface InstrumentInfo {
  /** Id used in binary frames. */
  id: number;
  symbol: string;
  venue: string;
  /** Decimal price increment, e.g. "0.1". */
  tickSize: string;
  /** Decimal quantity increment, e.g. "0.001". */
  lotSize: string;
  priceDecimals: number;
  qtyDecimals: number;
}

export type Channel = 'book' | 'trades';

export type ClientMessage =
  | { type: 'subscribe'; reqId: number; instrument: string; channels?: Channel[] }
  | { type: 'unsubscribe'; reqId: number; instrument: string }
  | { type: 'resync'; reqId: number; instrument: string }
  | { type: 'ping'; reqId: number; ts: number };

/** Error codes; docs/protocol.md lists when each is sent. None of them closes the connection. */
export type ErrorCode =
  | 'bad_json'
  | 'bad_message'
  | 'unknown_instrument'
  /** unsubscribe/resync for an instrument not subscribed on this connection (resync: not with "book"). */
  | 'not_subscribed'
  /** Frame over 64 KiB (frames over 1 MiB close the connection with 1009 instead). */
  | 'too_large'
  | 'rate_limited';

export type ServerMessage =
  | { type: 'hello'; v: number; server: string; instruments: InstrumentInfo[]; heartbeatMs: number }
  | { type: 'subscribed'; reqId: number; instrument: string; instrumentId: number }
  | { type: 'unsubscribed'; reqId: number; instrument: string; instrumentId: number }
  | { type: 'pong'; reqId: number; ts: number }
  | { type: 'heartbeat'; ts: number }
  | { type: 'error'; code: ErrorCode; message: string; reqId?: number };

/** WebSocket close codes used by the server. */
export const CloseCode = {
  /** Standard: the server is shutting down. */
  GoingAway: 1001,
  /** Standard: a frame over the 1 MiB hard cap. */
  MessageTooBig: 1009,
  UnsupportedVersion: 4400,
  HeartbeatTimeout: 4408,
  Flood: 4429,
} as const;

// ---- HTTP API (docs/protocol.md, "HTTP API") ----------------------------------------------------------------

/**
 * A workspace's saved settings: `PUT /api/workspace/:name` body, and `workspace` in the replies.
 * `panels` maps a panel id to its size as a fraction (0..1) of the split that contains it; 0 is collapsed.
 * `grouping` is the ladder's price grouping in ticks per row (a positive integer).
 */
export interface WorkspaceSettings {
  instrument: string;
  theme: 'dark' | 'light';
  panels: Record<string, number>;
  grouping?: number;
}

/** Reply to `GET` and `PUT /api/workspace/:name`. */
export interface SavedWorkspace {
  name: string;
  /** ISO 8601 time the server stored this version. */
  savedAt: string;
  workspace: WorkspaceSettings;
}

/** One reason a request was rejected: where (`$.panels.ladder`), what was received, and why. */
export interface ValidationIssue {
  path: string;
  value: unknown;
  reason: string;
}

/** Body of every non-2xx JSON reply. */
export interface HttpErrorBody {
  error:
    | 'invalid_body'
    | 'invalid_json'
    | 'invalid_name'
    | 'invalid_id'
    | 'invalid_query'
    | 'unsupported_media_type'
    | 'payload_too_large'
    | 'not_found'
    | 'method_not_allowed'
    | 'redis_unavailable'
    | 'not_replaying'
    | 'internal';
  message: string;
  issues?: ValidationIssue[];
  /** True when the same request may succeed later unchanged (e.g. Redis was unreachable). */
  retryable?: boolean;
}

/**
 * Reply to `GET` and `PUT /api/feed/speed`: whether the backend replays recordings as its live feed (`--replay`),
 * at what speed (× recorded time), which speeds the UI offers, and what it replays. The simulator: `replaying`
 * false, `speed` null, `sources` empty.
 */
export interface FeedSpeedResponse {
  replaying: boolean;
  speed: number | null;
  min: number;
  max: number;
  choices: number[];
  sources: Array<{ file: string; venue: string; symbol: string; events: number; durationS: number; loops: number }>;
}

export interface HealthResponse {
  /** "ok" when Redis is ready (HTTP 200), "degraded" otherwise (HTTP 503); market data flows either way. */
  status: 'ok' | 'degraded';
  redis: { state: 'ready' | 'connecting' | 'down'; url: string; owned: boolean; port: number };
  uptimeS: number;
  clients: number;
  instruments: Array<{
    id: number;
    symbol: string;
    seq: string;
    lastTradeId: string;
    batches: number;
    bestBid: number;
    bestAsk: number;
  }>;
  ws: {
    connections: number;
    errors: Record<ErrorCode, number>;
    serverCloses: Record<string, number>;
    conflations: number;
    framesDropped: number;
    snapshotsSent: number;
    originRejected: number;
  };
  /** Present when the backend records the feed to Redis Streams (`--record`). */
  recorder?: {
    state: 'recording' | 'down' | 'stopped';
    session: string;
    queued: number;
    maxQueue: number;
    written: number;
    dropped: number;
    flushes: number;
    gaps: Array<{ dropped: number; reason: 'queue_full' | 'redis_error'; fromMs: number; resumedMs: number | null }>;
    lastError: string | null;
  };
}
