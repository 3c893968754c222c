/**
 * Test doubles for the worker's unit tests: an engine with a scripted book, a socket factory that records what
 * is sent, and a manual clock. Used only by *.test.ts files.
 */
import type { ApplySummaryLike, BookStateLike, EngineLike } from '../worker/engine';
import type { Clock, SocketFactory, SocketHandlers } from '../worker/socket';

export class ManualClock implements Clock {
  t = 1000;
  wall = 1_700_000_000_000;
  private timers = new Map<number, { at: number; fn: () => void }>();
  private nextId = 1;
  now = (): number => this.t;
  wallNow = (): number => this.wall + this.t;
  random = (): number => 0.5;
  setTimeout = (fn: () => void, ms: number): number => {
    const id = this.nextId++;
    this.timers.set(id, { at: this.t + ms, fn });
    return id;
  };
  clearTimeout = (id: number): void => {
    this.timers.delete(id);
  };
  /** Advances time, firing due timers in order. */
  advance(ms: number): void {
    const end = this.t + ms;
    for (;;) {
      let next: [number, { at: number; fn: () => void }] | null = null;
      for (const e of this.timers) if (e[1].at <= end && (!next || e[1].at < next[1].at)) next = e;
      if (!next) break;
      this.timers.delete(next[0]);
      this.t = next[1].at;
      next[1].fn();
    }
    this.t = end;
  }
}

export class FakeSockets {
  readonly sent: string[] = [];
  readonly urls: string[] = [];
  handlers: SocketHandlers | null = null;
  closed: Array<{ code: number; reason: string }> = [];
  factory: SocketFactory = (url, h) => {
    this.urls.push(url);
    this.handlers = h;
    return {
      send: (text) => this.sent.push(text),
      close: (code, reason) => this.closed.push({ code, reason }),
    };
  };
  /** Sent messages parsed, optionally only of one type. */
  messages(type?: string): Array<Record<string, unknown>> {
    const all = this.sent.map((s) => JSON.parse(s) as Record<string, unknown>);
    return type ? all.filter((m) => m.type === type) : all;
  }
}

export interface FakeBook {
  bids: Array<[number, number]>;
  asks: Array<[number, number]>;
  seq: number;
  awaiting: boolean;
}

export class FakeEngine implements EngineLike {
  readonly applied: Uint8Array[] = [];
  readonly resets: number[] = [];
  books = new Map<number, FakeBook>();
  /** Instruments the next applyFrames reports for resync. */
  nextResync: number[] = [];
  nextRejected = 0;
  /** Trades handed out by the next drainTrades: [instrumentId, tsMs, priceTicks, qtyLots, aggressor]. */
  pendingTrades: number[][] = [];

  applyFrames(bytes: Uint8Array): ApplySummaryLike {
    this.applied.push(bytes.slice());
    const resync = this.nextResync;
    const rejected = this.nextRejected;
    this.nextResync = [];
    this.nextRejected = 0;
    return {
      frames: 1, snapshots: 0, deltas: 1, trades: 0, rejected, stale: 0, gaps: resync.length,
      resyncInstruments: Uint32Array.from(resync),
      error: rejected > 0 ? 'delta batch at byte 0: price 0 is not positive' : undefined,
      free: () => undefined,
    };
  }

  topLevels(id: number, depth: number, grouping: number, out: Float64Array): number {
    const book = this.books.get(id);
    const bids = book?.bids.slice(0, depth) ?? [];
    const asks = book?.asks.slice(0, depth) ?? [];
    out[0] = bids.length;
    out[1] = asks.length;
    let cum = 0;
    bids.forEach(([p, q], i) => {
      cum += q;
      out.set([Math.floor(p / grouping) * grouping, q, cum], 2 + 3 * i);
    });
    cum = 0;
    asks.forEach(([p, q], i) => {
      cum += q;
      out.set([Math.ceil(p / grouping) * grouping, q, cum], 2 + 3 * depth + 3 * i);
    });
    return 2 + 6 * depth;
  }

  drainTrades(out: Float64Array): number {
    const n = Math.min(this.pendingTrades.length, Math.floor(out.length / 5));
    for (let i = 0; i < n; i++) out.set(this.pendingTrades[i] ?? [], i * 5);
    this.pendingTrades = this.pendingTrades.slice(n);
    return n;
  }

  bookState(id: number): BookStateLike | undefined {
    const b = this.books.get(id);
    if (!b) return undefined;
    const [bb = 0, bq = 0] = b.bids[0] ?? [];
    const [ba = 0, aq = 0] = b.asks[0] ?? [];
    return {
      seq: b.seq, bidLevels: b.bids.length, askLevels: b.asks.length, bestBid: bb, bestAsk: ba, bestBidQty: bq,
      bestAskQty: aq, mid: (bb + ba) / 2, microprice: (bb * aq + ba * bq) / (bq + aq), imbalance: (bq - aq) / (bq + aq),
      awaitingSnapshot: b.awaiting, free: () => undefined,
    };
  }

  resetInstrument(id: number): void {
    this.resets.push(id);
    const b = this.books.get(id);
    if (b) b.awaiting = true;
  }

  free(): void {
    this.books.clear();
  }
}
