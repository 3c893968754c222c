/**
 * The worker's live session: the server conversation (hello, subscriptions, resyncs, pings), the frame batches
 * applied in the engine, and the render snapshot posted once per animation frame.
 *
 * Subscriptions: only the selected instrument is subscribed. Switching sends `unsubscribe` for the old one and,
 * once the server confirms, resets its book in the engine, so coming back to it starts again from a snapshot
 * (resetting earlier would make the engine reject the deltas still in flight). After every reconnect
 * (a new `hello`) all books are reset and the selection is subscribed again, which brings a fresh snapshot.
 */
import type { ServerMessage } from '../protocol/messages';
import { PROTOCOL_VERSION } from '../protocol/messages';
import type { NoticeCode, NoticeLevel, RenderSnapshot, ViewConfig, WorkerMessage, WorkerReplyMap, WorkerRequest } from
  '../protocol/worker.js';
import { HEAT_DEPTH, Stat, STAT_COUNT } from '../protocol/worker';
import { CandleHistory } from './candles';
import { parseStep } from './decimal';
import type { EngineLike } from './engine';
import { FrameQueue } from './frameQueue';
import { RateCounter } from './rate';
import { heatColumn } from './heatColumn';
import { readLevels, writeBookStats, type Instrument } from './snapshot';
import type { Clock, MarketSocket } from './socket';
import { applyBatch, BatchCounters, TapeBuffer } from './batch';
import { normaliseView } from './view';
import { parseServerMessage } from './validate';

export type Post = (message: WorkerMessage, transfer?: ArrayBuffer[]) => void;

/** Apply at once, without waiting for the next frame, when this much is queued (e.g. a throttled hidden tab). */
const EAGER_APPLY_BYTES = 256 * 1024;
const PING_EVERY_MS = 5000;
const RESYNC_RETRY_MS = 5000;
/** Post a snapshot at least this often even when nothing changed, so rates and latency stay current. */
const IDLE_POST_MS = 250;

export class WorkerSession {
  private readonly instruments = new Map<string, Instrument>();
  private readonly byId = new Map<number, Instrument>();
  private selected: string | null = null;
  /** The instrument last asked of the server, whether or not it has acknowledged yet. */
  private requested: { symbol: string; id: number; reqId: number; acked: boolean } | null = null;
  private waitingSelects: number[] = [];
  private readonly resyncs = new Map<number, number>();
  /** `unsubscribe` requests in flight: reqId → instrument id, whose book is reset once the server confirms. */
  private readonly unsubscribing = new Map<number, number>();
  private readonly candles = new Map<number, CandleHistory>();
  private readonly tape = new TapeBuffer(200);
  private readonly queue = new FrameQueue();
  private readonly counters = new BatchCounters();
  private readonly msgRate: RateCounter;
  private readonly byteRate: RateCounter;
  private candlesReset = true;
  private nextReqId = 1;
  private lastPing = 0;
  private rttMs = Number.NaN;
  private invalid = 0;
  private frame = 0;
  private lastPost = Number.NEGATIVE_INFINITY;
  private dirty = true;
  private lastRejectNotice = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly engine: EngineLike,
    private readonly socket: MarketSocket,
    private readonly clock: Clock,
    private readonly post: Post,
    private view: ViewConfig,
  ) {
    this.msgRate = new RateCounter(() => clock.now());
    this.byteRate = new RateCounter(() => clock.now());
  }

  // ---- requests from the main thread ----------------------------------------------------------------------

  handle(req: Exclude<WorkerRequest, { type: 'start' }>): void {
    switch (req.type) {
      case 'select':
        return this.select(req.reqId, req.symbol);
      case 'view': {
        const next = normaliseView(req.view);
        if (next.candleSec !== this.view.candleSec) this.candlesReset = true;
        this.view = next;
        this.dirty = true;
        return this.reply(req.reqId, 'view', next);
      }
      case 'reconnect':
        this.socket.reconnectNow('reconnect requested');
        return this.reply(req.reqId, 'reconnect', { state: 'connecting' });
      case 'refresh':
        this.candlesReset = true;
        this.dirty = true;
        return this.reply(req.reqId, 'refresh', { frame: this.frame });
    }
  }

  private select(reqId: number, symbol: string): void {
    if (symbol !== this.selected) {
      this.selected = symbol;
      this.candlesReset = true;
      this.tape.clear();
      this.dirty = true;
    }
    if (!this.socket.isOpen) {
      this.reply(reqId, 'select', { symbol, instrumentId: null, subscribed: false });
      return;
    }
    const inst = this.instruments.get(symbol);
    if (!inst) {
      const known = [...this.instruments.keys()].join(', ');
      this.replyError(reqId, 'select', `unknown instrument "${symbol}"; the server streams ${known || 'nothing'}`);
      return;
    }
    if (this.requested?.symbol === symbol) {
      if (this.requested.acked) this.reply(reqId, 'select', { symbol, instrumentId: inst.info.id, subscribed: true });
      else this.waitingSelects.push(reqId);
      return;
    }
    this.subscribe(inst);
    this.waitingSelects.push(reqId);
  }

  private subscribe(inst: Instrument): void {
    const old = this.requested;
    if (old && old.symbol !== inst.info.symbol) {
      const reqId = this.nextReqId++;
      this.unsubscribing.set(reqId, old.id);
      this.socket.send({ type: 'unsubscribe', reqId, instrument: old.symbol });
      this.resyncs.delete(old.id);
    }
    // Selects still waiting were for the instrument being replaced: they are answered as superseded.
    this.settleSelects(false);
    const reqId = this.nextReqId++;
    this.requested = { symbol: inst.info.symbol, id: inst.info.id, reqId, acked: false };
    this.socket.send({ type: 'subscribe', reqId, instrument: inst.info.symbol });
  }

  private settleSelects(subscribed: boolean): void {
    const waiting = this.waitingSelects;
    this.waitingSelects = [];
    const req = this.requested;
    for (const reqId of waiting) {
      this.reply(reqId, 'select', {
        symbol: req?.symbol ?? this.selected ?? '',
        instrumentId: req?.id ?? null,
        subscribed: subscribed && req !== null,
      });
    }
  }

  // ---- socket events ----------------------------------------------------------------------------------------

  onBinary(frame: Uint8Array, recvMs: number): void {
    this.msgRate.add();
    this.byteRate.add(frame.byteLength);
    this.queue.push(frame, recvMs);
    if (this.queue.bytes >= EAGER_APPLY_BYTES) this.applyQueued();
  }

  onText(text: string): void {
    this.msgRate.add();
    this.byteRate.add(text.length);
    const parsed = parseServerMessage(text);
    if (!parsed.ok) {
      this.invalid += 1;
      this.notice('error', 'protocol', `Ignored an invalid message from the server: ${parsed.reason}`);
      return;
    }
    this.onMessage(parsed.message);
  }

  /** The socket dropped: discard what the old connection queued; its books are reset on the next hello. */
  onDown(): void {
    this.queue.clear();
    this.resyncs.clear();
    this.unsubscribing.clear();
    this.settleSelects(false);
    this.requested = null;
    this.dirty = true;
  }

  private onMessage(msg: ServerMessage): void {
    switch (msg.type) {
      case 'hello':
        return this.onHello(msg);
      case 'subscribed':
        if (this.requested?.reqId === msg.reqId) {
          this.requested.acked = true;
          this.settleSelects(true);
        }
        return;
      case 'unsubscribed': {
        // Nothing of that instrument follows the confirmation: once the frames queued before it are applied, its
        // book can go, so that subscribing again starts from the snapshot rather than from a stale book.
        const id = this.unsubscribing.get(msg.reqId);
        if (id === undefined) return;
        this.unsubscribing.delete(msg.reqId);
        this.applyQueued();
        if (this.requested?.id !== id) this.engine.resetInstrument(id);
        return;
      }
      case 'heartbeat':
        return;
      case 'pong':
        this.rttMs = this.clock.now() - msg.ts;
        return;
      case 'error':
        if (this.requested && this.requested.reqId === msg.reqId && !this.requested.acked) {
          const waiting = this.waitingSelects;
          this.waitingSelects = [];
          for (const reqId of waiting) this.replyError(reqId, 'select', `${msg.code}: ${msg.message}`);
          this.requested = null;
        }
        this.notice(msg.code === 'rate_limited' ? 'warn' : 'error', 'server', `Server: ${msg.code} — ${msg.message}`);
        return;
    }
  }

  private onHello(msg: Extract<ServerMessage, { type: 'hello' }>): void {
    if (msg.v !== PROTOCOL_VERSION) {
      this.notice('error', 'protocol', `Server speaks protocol v${msg.v}; this client speaks v${PROTOCOL_VERSION}`);
    }
    for (const id of this.byId.keys()) this.engine.resetInstrument(id);
    this.instruments.clear();
    this.byId.clear();
    for (const info of msg.instruments) {
      const price = parseStep(info.tickSize);
      const lot = parseStep(info.lotSize);
      if (!price || !lot) continue;
      const inst = { info, price, lot };
      this.instruments.set(info.symbol, inst);
      this.byId.set(info.id, inst);
      this.engine.resetInstrument(info.id);
    }
    this.requested = null;
    this.resyncs.clear();
    this.post({ type: 'instruments', server: msg.server, instruments: msg.instruments });
    this.socket.connected(msg.server, msg.heartbeatMs);
    this.lastPing = this.clock.now();
    const inst = this.selected ? this.instruments.get(this.selected) : undefined;
    if (inst) this.subscribe(inst);
    else if (this.selected) this.notice('warn', 'protocol', `The server no longer streams ${this.selected}`);
    this.dirty = true;
  }

  // ---- batches ----------------------------------------------------------------------------------------------

  private applyQueued(): void {
    const selectedId = this.selectedInstrument()?.info.id ?? -1;
    const result = applyBatch(this.engine, this.queue, this.counters, {
      now: () => this.clock.now(),
      byId: this.byId,
      candles: this.candles,
      tape: this.tape,
      selectedId,
    });
    if (!result) return;
    this.dirty = true;
    if (result.thrown) this.notice('error', 'engine', `Engine failed on a batch: ${result.thrown}`);
    if (result.rejectedError) {
      const now = this.clock.now();
      if (now - this.lastRejectNotice > 5000) {
        this.lastRejectNotice = now;
        this.notice('warn', 'rejected', `Rejected market data: ${result.rejectedError}`);
      }
    }
    for (const id of result.resync) this.requestResync(id);
    this.checkResyncs();
  }

  private requestResync(id: number): void {
    const req = this.requested;
    if (!req || req.id !== id || this.resyncs.has(id)) return;
    this.resyncs.set(id, this.clock.now());
    this.counters.resyncsRequested += 1;
    this.socket.send({ type: 'resync', reqId: this.nextReqId++, instrument: req.symbol });
    this.notice('warn', 'resync', `Sequence gap on ${req.symbol}: requested a fresh snapshot`);
  }

  private checkResyncs(): void {
    for (const [id, since] of this.resyncs) {
      const book = this.engine.bookState(id);
      const waiting = book?.awaitingSnapshot ?? true;
      book?.free();
      const symbol = this.byId.get(id)?.info.symbol ?? `#${id}`;
      if (!waiting) {
        this.resyncs.delete(id);
        this.notice('info', 'resync', `${symbol} book restored from a snapshot`);
      } else if (this.clock.now() - since > RESYNC_RETRY_MS && this.requested?.id === id) {
        this.resyncs.set(id, this.clock.now());
        this.socket.send({ type: 'resync', reqId: this.nextReqId++, instrument: symbol });
      }
    }
  }

  // ---- render -----------------------------------------------------------------------------------------------

  /** Called once per animation frame: applies the queued batch and posts a snapshot if there is news. */
  tick(): void {
    this.applyQueued();
    const now = this.clock.now();
    if (this.socket.isOpen && now - this.lastPing >= PING_EVERY_MS) {
      this.lastPing = now;
      this.socket.send({ type: 'ping', reqId: this.nextReqId++, ts: now });
    }
    if (!this.dirty && now - this.lastPost < IDLE_POST_MS) return;
    const inst = this.selectedInstrument();
    if (!inst) return;
    const built = this.buildSnapshot(inst, now);
    this.dirty = false;
    this.lastPost = now;
    this.post({ type: 'render', snapshot: built }, [built.stats, built.levels, built.trades, built.candles, built.heat]);
  }

  private buildSnapshot(inst: Instrument, now: number): RenderSnapshot {
    const stats = new Float64Array(STAT_COUNT);
    writeBookStats(this.engine, inst, stats);
    this.counters.writeStats(stats, now);
    stats[Stat.MsgsPerSec] = this.msgRate.perSecond();
    stats[Stat.BytesPerSec] = this.byteRate.perSecond();
    stats[Stat.RttMs] = this.rttMs;
    stats[Stat.InvalidMessages] = this.invalid;
    this.frame += 1;
    stats[Stat.Posted] = this.frame;
    const levels = readLevels(this.engine, inst, this.view);
    const rowStep = (this.view.grouping * inst.price.units) / inst.price.scale;
    const heatDepth = Math.max(this.view.depth, HEAT_DEPTH);
    const heatLevels = heatDepth === this.view.depth ? levels : readLevels(this.engine, inst, { ...this.view, depth: heatDepth });
    const heat = heatColumn(heatLevels, heatDepth, rowStep);
    const trades = this.tape.take();
    let history = this.candles.get(inst.info.id);
    if (!history) {
      history = new CandleHistory();
      this.candles.set(inst.info.id, history);
    }
    const candlesReset = this.candlesReset;
    this.candlesReset = false;
    const candles = candlesReset
      ? history.all(this.view.candleSec, inst.price, inst.lot)
      : history.takeChanged(this.view.candleSec, inst.price, inst.lot);
    return {
      frame: this.frame,
      symbol: inst.info.symbol,
      instrumentId: inst.info.id,
      priceDecimals: inst.info.priceDecimals,
      qtyDecimals: inst.info.qtyDecimals,
      rowStep,
      depth: this.view.depth,
      grouping: this.view.grouping,
      candleSec: this.view.candleSec,
      candlesReset,
      stats: stats.buffer,
      levels: levels.buffer,
      trades: trades.buffer,
      candles: candles.buffer,
      heat: heat.buffer,
    };
  }

  private selectedInstrument(): Instrument | undefined {
    return this.selected ? this.instruments.get(this.selected) : undefined;
  }

  // ---- replies and notices ----------------------------------------------------------------------------------

  private reply<K extends keyof WorkerReplyMap>(reqId: number, request: K, result: WorkerReplyMap[K]): void {
    this.post({ type: 'reply', reqId, request, ok: true, result } as WorkerMessage);
  }

  private replyError(reqId: number, request: keyof WorkerReplyMap, error: string): void {
    this.post({ type: 'reply', reqId, request, ok: false, error });
  }

  private notice(level: NoticeLevel, code: NoticeCode, message: string): void {
    this.post({ type: 'notice', notice: { level, code, message, ts: this.clock.wallNow() } });
  }
}
