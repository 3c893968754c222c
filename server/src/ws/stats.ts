/** Gateway counters, reported by `GET /api/health` and in shutdown logs. */
import type { ErrorCode } from '../../../src/protocol/messages.js';

export interface GatewayCounters {
  /** Connections accepted since start. */
  connections: number;
  /** Error replies sent, by code. */
  errors: Record<ErrorCode, number>;
  /** Connections closed by the server, by close code. */
  serverCloses: Record<string, number>;
  /** Times a subscription was conflated because the client fell behind. */
  conflations: number;
  /** Frames not sent to a conflated subscription. */
  framesDropped: number;
  /** Snapshots sent to clients (subscribe, resync, recovery from conflation). */
  snapshotsSent: number;
  /** Upgrades refused because of their Origin. */
  originRejected: number;
}

export function newCounters(): GatewayCounters {
  return {
    connections: 0,
    errors: { bad_json: 0, bad_message: 0, unknown_instrument: 0, not_subscribed: 0, too_large: 0, rate_limited: 0 },
    serverCloses: {},
    conflations: 0,
    framesDropped: 0,
    snapshotsSent: 0,
    originRejected: 0,
  };
}
