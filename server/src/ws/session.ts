/**
 * One client connection: its subscriptions, request handling, rate limit, heartbeat and back-pressure.
 *
 * Back-pressure (conflation): before forwarding a step's frames, the session looks at how many bytes are still
 * queued for this client. Above `highWaterBytes` the subscription is marked conflated and frames are dropped
 * (counted) instead of queued. Once the queue is back under `lowWaterBytes`, the client gets a fresh snapshot
 * of the current book in place of the backlog, and live deltas resume from there, so a slow client sees a
 * current book rather than an ever-older one, and the server's memory per client stays bounded.
 *
 * The session talks to a `Transport` (a thin view of the WebSocket), which keeps it testable without sockets.
 */
import type { ClientMessage, ErrorCode, InstrumentInfo, ServerMessage } from '../../../src/protocol/messages.js';
import { CloseCode, PROTOCOL_VERSION } from '../../../src/protocol/messages.js';
import type { Logger } from '../log.js';
import type { MarketFeed } from '../feed/types.js';
import type { StepFrames } from '../sim/market.js';
import { parseClientMessage } from './clientMessages.js';
import { MessageRateLimiter } from './rateLimit.js';
import type { GatewayCounters } from './stats.js';

export interface Transport {
  readonly open: boolean;
  /** Bytes queued for sending and not yet handed to the OS. */
  readonly bufferedAmount: number;
  send(data: string | Uint8Array): void;
  ping(): void;
  close(code: number, reason: string): void;
}

export interface SessionLimits {
  /** Largest client frame the server reads; bigger frames get `too_large`. */
  maxMessageBytes: number;
  messagesPerSecond: number;
  floodWindows: number;
  floodFactor: number;
  highWaterBytes: number;
  lowWaterBytes: number;
  heartbeatMs: number;
  /** Close with 4408 after hearing nothing (no frame, no pong) for this many heartbeat intervals. */
  heartbeatTimeouts: number;
}

export const DEFAULT_LIMITS: SessionLimits = {
  maxMessageBytes: 64 * 1024,
  messagesPerSecond: 100,
  floodWindows: 3,
  floodFactor: 5,
  highWaterBytes: 4 * 1024 * 1024,
  lowWaterBytes: 1024 * 1024,
  heartbeatMs: 5000,
  heartbeatTimeouts: 3,
};

interface Subscription {
  info: InstrumentInfo;
  book: boolean;
  trades: boolean;
  /** True while frames are withheld because the client fell behind. */
  conflated: boolean;
}

export interface SessionDeps {
  id: number;
  remote: string;
  transport: Transport;
  market: MarketFeed;
  limits: SessionLimits;
  counters: GatewayCounters;
  logger: Logger;
  serverName: string;
  now: () => number;
}

export class Session {
  private readonly subs = new Map<number, Subscription>();
  private readonly limiter: MessageRateLimiter;
  private readonly symbols: readonly string[];
  private lastSentMs: number;
  private lastHeardMs: number;
  private closing = false;

  constructor(private readonly deps: SessionDeps) {
    this.limiter = new MessageRateLimiter({
      perSecond: deps.limits.messagesPerSecond,
      floodWindows: deps.limits.floodWindows,
      floodFactor: deps.limits.floodFactor,
    });
    this.symbols = deps.market.instruments().map((i) => i.symbol);
    this.lastSentMs = deps.now();
    this.lastHeardMs = this.lastSentMs;
  }

  get subscriptionCount(): number {
    return this.subs.size;
  }

  start(): void {
    this.sendJson({
      type: 'hello',
      v: PROTOCOL_VERSION,
      server: this.deps.serverName,
      instruments: this.deps.market.instruments(),
      heartbeatMs: this.deps.limits.heartbeatMs,
    });
  }

  /** A frame from the client. `bytes` is its size on the wire. */
  onFrame(data: string | null, bytes: number): void {
    if (this.closing) return;
    const now = this.deps.now();
    this.lastHeardMs = now;
    const decision = this.limiter.check(now);
    if (decision === 'flood') {
      this.close(CloseCode.Flood, `flood: more than ${this.deps.limits.messagesPerSecond} messages/s sustained`);
      return;
    }
    if (decision !== 'allow') {
      if (decision === 'drop-and-notify') {
        this.sendError('rate_limited', `more than ${this.deps.limits.messagesPerSecond} messages/s; messages are being dropped`);
      }
      return;
    }
    if (bytes > this.deps.limits.maxMessageBytes) {
      this.sendError('too_large', `frame of ${bytes} bytes exceeds the limit of ${this.deps.limits.maxMessageBytes} bytes`);
      return;
    }
    if (data === null) {
      this.sendError('bad_message', `binary frame of ${bytes} bytes: clients must send JSON text frames`);
      return;
    }
    const parsed = parseClientMessage(data, this.symbols);
    if (!parsed.ok) {
      this.sendError(parsed.code, parsed.message, parsed.reqId);
      return;
    }
    this.handle(parsed.msg);
  }

  onPong(): void {
    this.lastHeardMs = this.deps.now();
  }

  /** Called periodically: heartbeat when idle, liveness probe, timeout. */
  tick(): void {
    if (this.closing) return;
    const now = this.deps.now();
    const { heartbeatMs, heartbeatTimeouts } = this.deps.limits;
    if (now - this.lastHeardMs > heartbeatMs * heartbeatTimeouts) {
      this.close(CloseCode.HeartbeatTimeout, `heartbeat timeout: nothing received for ${now - this.lastHeardMs} ms`);
      return;
    }
    if (now - this.lastSentMs >= heartbeatMs) this.sendJson({ type: 'heartbeat', ts: Date.now() });
    this.deps.transport.ping();
  }

  /** One simulator step for some instrument; forwards what this client subscribed to. */
  onStep(frames: StepFrames): void {
    const sub = this.subs.get(frames.instrumentId);
    if (!sub || this.closing) return;
    const { counters, limits, transport } = this.deps;
    const count = (frames.trades && sub.trades ? 1 : 0) + (frames.deltas && sub.book ? 1 : 0);
    if (sub.conflated) {
      if (transport.bufferedAmount > limits.lowWaterBytes) {
        counters.framesDropped += count;
        return;
      }
      sub.conflated = false;
      this.deps.logger.info('ws.conflation_end', `client ${this.deps.id} drained; resuming ${sub.info.symbol}`, {
        client: this.deps.id,
        instrument: sub.info.symbol,
      });
      if (frames.trades && sub.trades) this.sendBinary(frames.trades);
      if (sub.book) this.sendSnapshot(sub);
      return;
    }
    if (transport.bufferedAmount > limits.highWaterBytes) {
      this.conflate(sub);
      counters.framesDropped += count;
      return;
    }
    if (frames.trades && sub.trades) this.sendBinary(frames.trades);
    if (frames.deltas && sub.book) this.sendBinary(frames.deltas);
  }

  private handle(msg: ClientMessage): void {
    switch (msg.type) {
      case 'ping':
        this.sendJson({ type: 'pong', reqId: msg.reqId, ts: msg.ts });
        return;
      case 'subscribe': {
        // parseClientMessage only lets through symbols this market streams.
        const info = this.deps.market.bySymbol(msg.instrument) as InstrumentInfo;
        const channels = msg.channels ?? ['book', 'trades'];
        const sub: Subscription = { info, book: channels.includes('book'), trades: channels.includes('trades'), conflated: false };
        this.subs.set(info.id, sub);
        this.sendJson({ type: 'subscribed', reqId: msg.reqId, instrument: info.symbol, instrumentId: info.id });
        this.deliverSnapshot(sub);
        this.deps.logger.debug('ws.subscribe', `client ${this.deps.id} subscribed to ${info.symbol}`, {
          client: this.deps.id,
          instrument: info.symbol,
          channels,
        });
        return;
      }
      case 'unsubscribe': {
        const sub = this.subscription(msg.instrument, msg.reqId, false);
        if (!sub) return;
        this.subs.delete(sub.info.id);
        this.sendJson({ type: 'unsubscribed', reqId: msg.reqId, instrument: sub.info.symbol, instrumentId: sub.info.id });
        return;
      }
      case 'resync': {
        const sub = this.subscription(msg.instrument, msg.reqId, true);
        if (sub) this.deliverSnapshot(sub);
        return;
      }
    }
  }

  /** The subscription a request refers to, or null after replying `not_subscribed`. */
  private subscription(symbol: string, reqId: number, needBook: boolean): Subscription | null {
    const info = this.deps.market.bySymbol(symbol) as InstrumentInfo;
    const sub = this.subs.get(info.id);
    if (!sub) {
      this.sendError('not_subscribed', `field "instrument" has value "${symbol}": not subscribed on this connection`, reqId);
      return null;
    }
    if (needBook && !sub.book) {
      this.sendError('not_subscribed', `field "instrument" has value "${symbol}": subscribed without the "book" channel`, reqId);
      return null;
    }
    return sub;
  }

  /** Sends a snapshot now, or, if the client is already behind, conflates so it gets one once drained. */
  private deliverSnapshot(sub: Subscription): void {
    if (!sub.book) return;
    if (this.deps.transport.bufferedAmount > this.deps.limits.highWaterBytes) {
      this.conflate(sub);
      return;
    }
    sub.conflated = false;
    this.sendSnapshot(sub);
  }

  private conflate(sub: Subscription): void {
    if (sub.conflated) return;
    sub.conflated = true;
    this.deps.counters.conflations += 1;
    this.deps.logger.info('ws.conflation_start', `client ${this.deps.id} is behind; conflating ${sub.info.symbol}`, {
      client: this.deps.id,
      instrument: sub.info.symbol,
      bufferedBytes: this.deps.transport.bufferedAmount,
    });
  }

  private sendSnapshot(sub: Subscription): void {
    this.sendBinary(this.deps.market.snapshot(sub.info.id).frame);
    this.deps.counters.snapshotsSent += 1;
  }

  private sendError(code: ErrorCode, message: string, reqId?: number): void {
    this.deps.counters.errors[code] += 1;
    this.deps.logger.debug('ws.client_error', `client ${this.deps.id}: ${code}: ${message}`, { client: this.deps.id, code });
    this.sendJson(reqId === undefined ? { type: 'error', code, message } : { type: 'error', code, message, reqId });
  }

  private sendJson(msg: ServerMessage): void {
    this.send(JSON.stringify(msg));
  }

  private sendBinary(frame: Uint8Array): void {
    this.send(frame);
  }

  private send(data: string | Uint8Array): void {
    if (!this.deps.transport.open) return;
    this.deps.transport.send(data);
    this.lastSentMs = this.deps.now();
  }

  private close(code: number, reason: string): void {
    if (this.closing) return;
    this.closing = true;
    const key = String(code);
    this.deps.counters.serverCloses[key] = (this.deps.counters.serverCloses[key] ?? 0) + 1;
    this.deps.logger.warn('ws.close', `closing client ${this.deps.id} (${this.deps.remote}): ${code} ${reason}`, {
      client: this.deps.id,
      code,
    });
    this.deps.transport.close(code, reason);
  }
}
