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

export type ErrorCode =
  | 'bad_json'
  | 'bad_message'
  | 'unknown_instrument'
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
  UnsupportedVersion: 4400,
  HeartbeatTimeout: 4408,
  Flood: 4429,
} as const;
