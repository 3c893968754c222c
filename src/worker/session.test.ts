import { beforeEach, describe, expect, it } from 'vitest';
import { askOffset, bidOffset, HEAT_HEADER, HEAT_ROWS, HeatField, levelsLength, Stat, TRADE_FIELDS,
  type RenderSnapshot, type WorkerMessage } from '../protocol/worker';
import { FakeEngine, FakeSockets, ManualClock } from '../testing/workerFakes';
import { WorkerSession } from './session';
import { MarketSocket } from './socket';

const INSTRUMENTS = [
  { id: 1, symbol: 'BTC-USD', venue: 'sim', tickSize: '0.1', lotSize: '0.0001', priceDecimals: 1, qtyDecimals: 4 },
  { id: 2, symbol: 'ETH-USD', venue: 'sim', tickSize: '0.01', lotSize: '0.001', priceDecimals: 2, qtyDecimals: 3 },
];
const HELLO = JSON.stringify({ type: 'hello', v: 1, server: 'test', instruments: INSTRUMENTS, heartbeatMs: 5000 });

interface Rig {
  clock: ManualClock;
  sockets: FakeSockets;
  engine: FakeEngine;
  posted: WorkerMessage[];
  session: WorkerSession;
  socket: MarketSocket;
}

function rig(): Rig {
  const clock = new ManualClock();
  const sockets = new FakeSockets();
  const engine = new FakeEngine();
  const posted: WorkerMessage[] = [];
  let session: WorkerSession | null = null;
  const socket = new MarketSocket(sockets.factory, clock, {
    status: (status) => posted.push({ type: 'status', status }),
    open: () => undefined,
    text: (text) => session?.onText(text),
    binary: (frame, recv) => session?.onBinary(frame, recv),
    down: () => session?.onDown(),
  });
  session = new WorkerSession(engine, socket, clock, (m) => posted.push(m), { depth: 5, grouping: 1, candleSec: 1 });
  socket.start('ws://test/ws?v=1');
  return { clock, sockets, engine, posted, session, socket };
}

const connect = (r: Rig): void => {
  r.sockets.handlers?.open();
  r.sockets.handlers?.message(HELLO);
};

const renders = (r: Rig): RenderSnapshot[] =>
  r.posted.flatMap((m) => (m.type === 'render' ? [m.snapshot] : []));

const replies = (r: Rig): Array<Extract<WorkerMessage, { type: 'reply' }>> =>
  r.posted.flatMap((m) => (m.type === 'reply' ? [m] : []));

describe('worker session', () => {
  let r: Rig;
  beforeEach(() => {
    r = rig();
  });

  it('subscribes the selected instrument once the server says hello, and answers the select on ack', () => {
    r.session.handle({ type: 'select', reqId: 1, symbol: 'BTC-USD' });
    expect(replies(r)).toEqual([{ type: 'reply', reqId: 1, request: 'select', ok: true,
      result: { symbol: 'BTC-USD', instrumentId: null, subscribed: false } }]);
    connect(r);
    expect(r.posted.some((m) => m.type === 'instruments')).toBe(true);
    expect(r.posted.some((m) => m.type === 'status' && m.status.state === 'connected')).toBe(true);
    const sub = r.sockets.messages('subscribe');
    expect(sub).toEqual([{ type: 'subscribe', reqId: expect.any(Number) as number, instrument: 'BTC-USD' }]);

    r.session.handle({ type: 'select', reqId: 2, symbol: 'BTC-USD' });
    expect(replies(r).length).toBe(1);
    r.sockets.handlers?.message(JSON.stringify({ type: 'subscribed', reqId: sub[0]?.reqId, instrument: 'BTC-USD', instrumentId: 1 }));
    expect(replies(r)[1]).toMatchObject({ reqId: 2, ok: true, result: { subscribed: true, instrumentId: 1 } });
  });

  it('unsubscribes the old instrument and resets its book once the server confirms', () => {
    connect(r);
    r.session.handle({ type: 'select', reqId: 1, symbol: 'BTC-USD' });
    r.engine.resets.length = 0;
    r.session.handle({ type: 'select', reqId: 2, symbol: 'ETH-USD' });
    const [unsub, sub] = r.sockets.messages().slice(-2);
    expect([[unsub?.type, unsub?.instrument], [sub?.type, sub?.instrument]]).toEqual([
      ['unsubscribe', 'BTC-USD'], ['subscribe', 'ETH-USD']]);
    // Frames queued before the confirmation still belong to the old subscription and are applied first.
    r.session.onBinary(new Uint8Array([5]), r.clock.t);
    expect(r.engine.resets).toEqual([]);
    r.sockets.handlers?.message(JSON.stringify({ type: 'unsubscribed', reqId: unsub?.reqId, instrument: 'BTC-USD',
      instrumentId: 1 }));
    expect(r.engine.applied.length).toBe(1);
    expect(r.engine.resets).toEqual([1]);
    // The superseded select is answered rather than left hanging.
    expect(replies(r).find((m) => m.reqId === 1)).toMatchObject({ ok: true, result: { subscribed: false } });
  });

  it('rejects an instrument the server does not stream', () => {
    connect(r);
    r.session.handle({ type: 'select', reqId: 7, symbol: 'XRP-USD' });
    expect(replies(r).at(-1)).toMatchObject({ reqId: 7, ok: false,
      error: 'unknown instrument "XRP-USD"; the server streams BTC-USD, ETH-USD' });
  });

  it('applies queued frames as one batch per tick and posts converted levels, stats and trades', () => {
    connect(r);
    r.session.handle({ type: 'select', reqId: 1, symbol: 'BTC-USD' });
    r.engine.books.set(1, { bids: [[650_000, 2500], [649_999, 100]], asks: [[650_001, 1200]], seq: 42, awaiting: false });
    r.engine.pendingTrades = [[1, 1_700_000_000_500, 650_001, 1200, 1], [2, 1_700_000_000_600, 340_000, 5, 2]];
    r.clock.t = 2000;
    r.session.onBinary(new Uint8Array([1, 2]), 1990);
    r.session.onBinary(new Uint8Array([3]), 1995);
    r.session.tick();
    expect(r.engine.applied.map((b) => Array.from(b))).toEqual([[1, 2, 3]]);

    const snap = renders(r).at(-1);
    if (!snap) throw new Error('no snapshot posted');
    expect(snap).toMatchObject({ symbol: 'BTC-USD', instrumentId: 1, priceDecimals: 1, qtyDecimals: 4, depth: 5,
      candlesReset: true });
    const lv = new Float64Array(snap.levels);
    expect(lv.length).toBe(levelsLength(5));
    expect([lv[0], lv[1]]).toEqual([2, 1]);
    expect(Array.from(lv.subarray(bidOffset(0), bidOffset(0) + 3))).toEqual([65000, 0.25, 0.25]);
    expect(Array.from(lv.subarray(bidOffset(1), bidOffset(1) + 3))).toEqual([64999.9, 0.01, 0.26]);
    expect(Array.from(lv.subarray(askOffset(5, 0), askOffset(5, 0) + 3))).toEqual([65000.1, 0.12, 0.12]);

    // The heatmap column: the window centred on the mid (650 000.5 ticks → row index 650 001 − HEAT_ROWS / 2).
    const heat = new Float64Array(snap.heat);
    expect(heat.length).toBe(HEAT_HEADER + HEAT_ROWS);
    const base = heat[HeatField.BaseIndex] ?? Number.NaN;
    expect(base).toBe(650_001 - HEAT_ROWS / 2);
    expect(heat[HeatField.Step]).toBeCloseTo(0.1, 12);
    expect([heat[HeatField.BestBid], heat[HeatField.BestAsk]]).toEqual([65000, 65000.1]);
    expect(heat[HEAT_HEADER + 650_000 - base]).toBe(0.25);
    expect(heat[HEAT_HEADER + 649_999 - base]).toBe(0.01);
    expect(heat[HEAT_HEADER + 650_001 - base]).toBe(0.12);

    const st = new Float64Array(snap.stats);
    expect(st[Stat.BestBid]).toBe(65000);
    expect(st[Stat.BestAsk]).toBe(65000.1);
    expect(st[Stat.Spread]).toBe(0.1);
    expect(st[Stat.Seq]).toBe(42);
    expect(st[Stat.LatencyMaxMs]).toBe(10);
    expect(st[Stat.LatencyMeanMs]).toBe(7.5);
    expect(st[Stat.MsgsPerSec]).toBe(2); // the two binary frames: hello came more than a second earlier

    // Only the selected instrument's trades reach the tape; prices and sizes are decimal.
    const trades = new Float64Array(snap.trades);
    expect(trades.length).toBe(TRADE_FIELDS);
    expect(Array.from(trades)).toEqual([1_700_000_000_500, 65000.1, 0.12, 1]);
    expect(new Float64Array(snap.candles).length).toBeGreaterThan(0);

    // Nothing new: no second snapshot until the idle interval passes.
    const count = renders(r).length;
    r.session.tick();
    expect(renders(r).length).toBe(count);
    r.clock.t += 300;
    r.session.tick();
    expect(renders(r).length).toBe(count + 1);
  });

  it('requests one resync per gap and reports when the snapshot restored the book', () => {
    connect(r);
    r.session.handle({ type: 'select', reqId: 1, symbol: 'BTC-USD' });
    r.engine.books.set(1, { bids: [[10, 1]], asks: [[11, 1]], seq: 5, awaiting: true });
    r.engine.nextResync = [1];
    r.session.onBinary(new Uint8Array([9]), r.clock.t);
    r.session.tick();
    r.engine.nextResync = [1];
    r.session.onBinary(new Uint8Array([9]), r.clock.t);
    r.session.tick();
    expect(r.sockets.messages('resync').map((m) => m.instrument)).toEqual(['BTC-USD']);
    const book = r.engine.books.get(1);
    if (book) book.awaiting = false;
    r.session.onBinary(new Uint8Array([9]), r.clock.t);
    r.session.tick();
    const notices = r.posted.flatMap((m) => (m.type === 'notice' ? [m.notice.message] : []));
    expect(notices).toEqual(['Sequence gap on BTC-USD: requested a fresh snapshot', 'BTC-USD book restored from a snapshot']);
  });

  it('counts invalid control messages and reports them without acting on them', () => {
    connect(r);
    r.sockets.handlers?.message('{"type":"subscribed","reqId":"x"}');
    r.sockets.handlers?.message('not json');
    const notices = r.posted.flatMap((m) => (m.type === 'notice' ? [m.notice] : []));
    expect(notices.map((n) => n.code)).toEqual(['protocol', 'protocol']);
    r.session.handle({ type: 'select', reqId: 1, symbol: 'BTC-USD' });
    r.session.tick();
    const snap = renders(r).at(-1);
    expect(snap && new Float64Array(snap.stats)[Stat.InvalidMessages]).toBe(2);
  });

  it('after a reconnect resets every book and subscribes the selection again', () => {
    connect(r);
    r.session.handle({ type: 'select', reqId: 1, symbol: 'ETH-USD' });
    r.sockets.handlers?.close(1006, '');
    const states = r.posted.flatMap((m) => (m.type === 'status' ? [m.status.state] : []));
    expect(states.slice(-2)).toEqual(['disconnected', 'reconnecting']);
    r.engine.resets.length = 0;
    r.clock.advance(1000);
    connect(r);
    expect(r.engine.resets.sort()).toEqual([1, 1, 2, 2]);
    expect(r.sockets.messages('subscribe').map((m) => m.instrument)).toEqual(['ETH-USD', 'ETH-USD']);
  });
});
