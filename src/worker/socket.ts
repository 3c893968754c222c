/**
 * The worker's WebSocket to the backend: connect, reconnect with backoff, liveness, status reports.
 *
 * Status goes `connecting` → (`hello` arrives) `connected`; when the socket drops: `disconnected` (with the
 * reason) → `reconnecting` (with the delay) → `connecting` … The attempt counter resets only after a `hello`,
 * so a server that accepts connections and then drops them still backs off.
 * Liveness: the server sends something at least every `heartbeatMs`; after 3 × `heartbeatMs` of silence (or no
 * `hello` within `helloTimeoutMs` of opening) the socket is presumed dead and replaced.
 */
import type { ClientMessage } from '../protocol/messages';
import { CloseCode } from '../protocol/messages';
import type { ConnectionStatus } from '../protocol/worker';
import { backoffDelay, RECONNECT_BACKOFF, type BackoffPolicy } from '../util/backoff';

export interface SocketHandlers {
  open(): void;
  message(data: string | ArrayBuffer): void;
  close(code: number, reason: string): void;
}

export interface SocketHandle {
  send(text: string): void;
  /** Closes without reporting back through the handlers. */
  close(code: number, reason: string): void;
}

export type SocketFactory = (url: string, handlers: SocketHandlers) => SocketHandle;

/** The browser's WebSocket behind `SocketFactory`. */
export const browserSocket: SocketFactory = (url, h) => {
  const ws = new WebSocket(url);
  ws.binaryType = 'arraybuffer';
  ws.onopen = () => h.open();
  ws.onmessage = (e: MessageEvent<unknown>) => {
    if (typeof e.data === 'string' || e.data instanceof ArrayBuffer) h.message(e.data);
  };
  ws.onclose = (e) => h.close(e.code, e.reason);
  return {
    send: (text) => ws.send(text),
    close: (code, reason) => {
      ws.onopen = null;
      ws.onmessage = null;
      ws.onclose = null;
      ws.close(code, reason);
    },
  };
};

export interface Clock {
  now(): number;
  wallNow(): number;
  setTimeout(fn: () => void, ms: number): number;
  clearTimeout(id: number): void;
  random(): number;
}

export interface SocketEvents {
  status(status: ConnectionStatus): void;
  /** A new socket is open; the server will send `hello` next. */
  open(): void;
  text(text: string, recvMs: number): void;
  binary(frame: Uint8Array, recvMs: number): void;
  /** The socket went away (before `status` reports it). */
  down(): void;
}

const CLOSE_REASONS: Record<number, string> = {
  1000: 'closed',
  1001: 'server shutting down',
  1006: 'connection lost',
  1011: 'server error',
  [CloseCode.MessageTooBig]: 'message too big',
  [CloseCode.UnsupportedVersion]: 'protocol version not supported by the server',
  [CloseCode.HeartbeatTimeout]: 'server heard nothing from this client (heartbeat timeout)',
  [CloseCode.Flood]: 'closed by the server for sending too many messages',
};

export function closeReason(code: number, reason: string): string {
  const known = CLOSE_REASONS[code] ?? `closed with code ${code}`;
  return reason && reason !== known ? `${known}: ${reason}` : known;
}

export class MarketSocket {
  private handle: SocketHandle | null = null;
  private url = '';
  private attempt = 0;
  private retryTimer: number | null = null;
  private watchdog: number | null = null;
  private lastHeard = 0;
  private openedAt = 0;
  private heartbeatMs = 5000;
  private helloSeen = false;
  private stopped = true;

  constructor(
    private readonly factory: SocketFactory,
    private readonly clock: Clock,
    private readonly events: SocketEvents,
    private readonly policy: BackoffPolicy = RECONNECT_BACKOFF,
    private readonly helloTimeoutMs = 10_000,
  ) {}

  get isOpen(): boolean {
    return this.handle !== null && this.helloSeen;
  }

  start(url: string): void {
    this.url = url;
    this.stopped = false;
    this.attempt = 0;
    this.connect();
  }

  /** Replaces the connection now, skipping any backoff wait. */
  reconnectNow(reason: string): void {
    if (this.stopped) return;
    this.drop(1000, reason);
    this.attempt = 0;
    this.events.down();
    this.connect();
  }

  stop(): void {
    this.stopped = true;
    this.drop(1000, 'client stopped');
    this.events.status({ state: 'disconnected', reason: 'stopped', code: null });
  }

  /** The server's `hello` arrived: the connection is usable. */
  connected(server: string, heartbeatMs: number): void {
    this.helloSeen = true;
    this.heartbeatMs = heartbeatMs;
    this.attempt = 0;
    this.events.status({ state: 'connected', server, heartbeatMs });
  }

  send(message: ClientMessage): boolean {
    if (!this.handle) return false;
    this.handle.send(JSON.stringify(message));
    return true;
  }

  private connect(): void {
    this.clearRetry();
    this.helloSeen = false;
    this.events.status({ state: 'connecting', attempt: this.attempt + 1, url: this.url });
    const handle = this.factory(this.url, {
      open: () => {
        if (this.handle !== handle) return;
        this.openedAt = this.clock.now();
        this.lastHeard = this.openedAt;
        this.armWatchdog();
        this.events.open();
      },
      message: (data) => {
        if (this.handle !== handle) return;
        const now = this.clock.now();
        this.lastHeard = now;
        if (typeof data === 'string') this.events.text(data, now);
        else this.events.binary(new Uint8Array(data), now);
      },
      close: (code, reason) => {
        if (this.handle !== handle) return;
        this.handle = null;
        this.lost(closeReason(code, reason), code);
      },
    });
    this.handle = handle;
  }

  private lost(reason: string, code: number | null): void {
    this.clearWatchdog();
    this.helloSeen = false;
    this.events.down();
    this.events.status({ state: 'disconnected', reason, code });
    if (this.stopped) return;
    const inMs = backoffDelay(this.policy, this.attempt, () => this.clock.random());
    this.attempt += 1;
    this.events.status({ state: 'reconnecting', reason, inMs, retryAt: this.clock.wallNow() + inMs, attempt: this.attempt });
    this.retryTimer = this.clock.setTimeout(() => {
      this.retryTimer = null;
      this.connect();
    }, inMs);
  }

  private drop(code: number, reason: string): void {
    this.clearRetry();
    this.clearWatchdog();
    const h = this.handle;
    this.handle = null;
    this.helloSeen = false;
    h?.close(code, reason);
  }

  private armWatchdog(): void {
    this.clearWatchdog();
    this.watchdog = this.clock.setTimeout(() => {
      this.watchdog = null;
      if (!this.handle) return;
      const now = this.clock.now();
      if (!this.helloSeen && now - this.openedAt > this.helloTimeoutMs) {
        this.drop(4000, 'no hello');
        this.lost(`no hello from the server within ${this.helloTimeoutMs / 1000} s`, null);
        return;
      }
      const limit = 3 * this.heartbeatMs;
      if (now - this.lastHeard > limit) {
        this.drop(4000, 'silent server');
        this.lost(`nothing from the server for ${Math.round(limit / 1000)} s`, null);
        return;
      }
      this.armWatchdog();
    }, 1000);
  }

  private clearWatchdog(): void {
    if (this.watchdog !== null) this.clock.clearTimeout(this.watchdog);
    this.watchdog = null;
  }

  private clearRetry(): void {
    if (this.retryTimer !== null) this.clock.clearTimeout(this.retryTimer);
    this.retryTimer = null;
  }
}
