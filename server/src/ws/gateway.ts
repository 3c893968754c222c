/**
 * The WebSocket gateway: accepts `/ws?v=1` upgrades on the HTTP server, runs one `Session` per connection and
 * fans simulator steps out to them.
 *
 * The ws library's own payload cap (`HARD_MAX_PAYLOAD`) sits well above the protocol's 64 KiB frame limit:
 * frames between the two are read and answered with a `too_large` error while the connection stays open;
 * only frames beyond the hard cap make the library close the connection (1009), because buffering them at all
 * would let one client make the server allocate without bound.
 */
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import { CloseCode, PROTOCOL_VERSION } from '../../../src/protocol/messages.js';
import { describeError, type Logger } from '../log.js';
import type { MarketFeed } from '../feed/types.js';
import { Session, type SessionLimits, type Transport } from './session.js';
import { newCounters, type GatewayCounters } from './stats.js';

export const WS_PATH = '/ws';
export const HARD_MAX_PAYLOAD = 1024 * 1024;

export interface GatewayOptions {
  market: MarketFeed;
  logger: Logger;
  limits: SessionLimits;
  serverName: string;
  /** Browser origins allowed besides the server's own (exact `scheme://host[:port]`, or `*` for any). */
  allowedOrigins?: readonly string[];
}

/**
 * Whether a WebSocket upgrade may proceed, judged by its `Origin` header (browsers always send one; other clients
 * need not). Allowed: no Origin at all, the server's own origin (the Origin's host equals the Host header), an
 * origin in the allow-list, anything when the list holds `*`. A page on another site cannot open a session.
 */
export function originAllowed(origin: string | undefined, host: string | undefined, allowList: readonly string[]): boolean {
  if (origin === undefined) return true;
  if (allowList.includes('*')) return true;
  const normalised = origin.trim().toLowerCase().replace(/\/+$/, '');
  if (allowList.some((o) => o.trim().toLowerCase().replace(/\/+$/, '') === normalised)) return true;
  let parsed: URL;
  try {
    parsed = new URL(normalised);
  } catch {
    return false;
  }
  return (parsed.protocol === 'http:' || parsed.protocol === 'https:') && host !== undefined &&
    parsed.host === host.trim().toLowerCase();
}

function rawSize(data: RawData): number {
  if (Array.isArray(data)) return data.reduce((n, b) => n + b.byteLength, 0);
  return data.byteLength;
}

function rawText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data instanceof ArrayBuffer ? new Uint8Array(data) : data).toString('utf8');
}

export class Gateway {
  readonly counters: GatewayCounters = newCounters();
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: HARD_MAX_PAYLOAD, perMessageDeflate: false });
  private readonly sessions = new Map<WebSocket, Session>();
  private readonly unsubscribeMarket: () => void;
  private readonly heartbeat: NodeJS.Timeout;
  private nextId = 1;

  constructor(private readonly opts: GatewayOptions) {
    this.unsubscribeMarket = opts.market.onStep((frames) => {
      for (const session of this.sessions.values()) session.onStep(frames);
    });
    this.heartbeat = setInterval(() => {
      for (const session of this.sessions.values()) session.tick();
    }, Math.max(10, Math.floor(opts.limits.heartbeatMs / 2)));
  }

  get clientCount(): number {
    return this.sessions.size;
  }

  attach(server: Server): void {
    server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => this.onUpgrade(req, socket, head));
  }

  /** Closes every connection with 1001 (terminating those that do not answer within a second). */
  close(): Promise<void> {
    clearInterval(this.heartbeat);
    this.unsubscribeMarket();
    for (const ws of this.wss.clients) ws.close(CloseCode.GoingAway, 'server shutting down');
    return new Promise((resolve) => {
      const deadline = setTimeout(() => {
        for (const ws of this.wss.clients) ws.terminate();
      }, 1000);
      this.wss.close(() => {
        clearTimeout(deadline);
        resolve();
      });
    });
  }

  private onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname !== WS_PATH) {
      socket.end('HTTP/1.1 404 Not Found\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\nno WebSocket endpoint here; use /ws?v=1\n');
      return;
    }
    socket.on('error', (err) => this.opts.logger.debug('ws.socket_error', describeError(err)));
    const origin = req.headers.origin;
    if (!originAllowed(origin, req.headers.host, this.opts.allowedOrigins ?? [])) {
      this.counters.originRejected += 1;
      const remote = `${req.socket.remoteAddress ?? '?'}:${req.socket.remotePort ?? '?'}`;
      this.opts.logger.warn('ws.origin_rejected', `rejected ${remote}: origin ${JSON.stringify(origin)} is not allowed`, { remote, origin });
      socket.end('HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n' +
        `origin ${JSON.stringify(origin)} is not allowed to open a session; start the backend with --allow-origin\n`);
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => this.onConnection(ws, req, url.searchParams.get('v')));
  }

  private onConnection(ws: WebSocket, req: IncomingMessage, version: string | null): void {
    const remote = `${req.socket.remoteAddress ?? '?'}:${req.socket.remotePort ?? '?'}`;
    if (version !== String(PROTOCOL_VERSION)) {
      const shown = version === null ? 'missing' : `"${version.slice(0, 16)}"`;
      const reason = `unsupported protocol version ${shown}; this server speaks v=${PROTOCOL_VERSION}`;
      this.opts.logger.info('ws.rejected', `rejected ${remote}: ${reason}`, { remote });
      const key = String(CloseCode.UnsupportedVersion);
      this.counters.serverCloses[key] = (this.counters.serverCloses[key] ?? 0) + 1;
      ws.close(CloseCode.UnsupportedVersion, reason);
      return;
    }
    const id = this.nextId++;
    this.counters.connections += 1;
    const transport: Transport = {
      get open() {
        return ws.readyState === WebSocket.OPEN;
      },
      get bufferedAmount() {
        return ws.bufferedAmount;
      },
      send: (data) => ws.send(data),
      ping: () => ws.ping(),
      close: (code, reason) => ws.close(code, reason),
    };
    const session = new Session({
      id,
      remote,
      transport,
      market: this.opts.market,
      limits: this.opts.limits,
      counters: this.counters,
      logger: this.opts.logger,
      serverName: this.opts.serverName,
      now: () => performance.now(),
    });
    this.sessions.set(ws, session);
    this.opts.logger.info('ws.connect', `client ${id} connected from ${remote}`, { client: id, remote });
    ws.on('message', (data, isBinary) => {
      try {
        session.onFrame(isBinary ? null : rawText(data), rawSize(data));
      } catch (err) {
        this.opts.logger.error('ws.handler_error', `client ${id}: ${describeError(err)}`, { client: id });
      }
    });
    ws.on('pong', () => session.onPong());
    ws.on('error', (err) => {
      this.opts.logger.info('ws.error', `client ${id}: ${describeError(err)}`, { client: id });
    });
    ws.on('close', (code, reason) => {
      this.sessions.delete(ws);
      this.opts.logger.info('ws.disconnect', `client ${id} disconnected: ${code} ${reason.toString('utf8')}`, {
        client: id,
        code,
      });
    });
    session.start();
  }
}
