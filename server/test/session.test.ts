/**
 * Session logic against an in-memory transport (a pure unit test: no sockets, a controllable clock and a
 * settable bufferedAmount). The same behaviour is exercised over real WebSockets in gateway.test.ts.
 */
import { describe, expect, it } from 'vitest';
import type { ServerMessage } from '../../src/protocol/messages.js';
import { decodeFrames, FrameKind, type DecodedFrame } from '../../src/protocol/wire.js';
import { silentLogger } from '../src/log.js';
import { Market } from '../src/sim/market.js';
import { DEFAULT_LIMITS, Session, type SessionLimits, type Transport } from '../src/ws/session.js';
import { newCounters } from '../src/ws/stats.js';

class MemoryTransport implements Transport {
  open = true;
  bufferedAmount = 0;
  readonly json: ServerMessage[] = [];
  readonly frames: DecodedFrame[] = [];
  pings = 0;
  closedWith: { code: number; reason: string } | null = null;

  send(data: string | Uint8Array): void {
    if (typeof data === 'string') this.json.push(JSON.parse(data) as ServerMessage);
    else this.frames.push(...decodeFrames(data));
  }
  ping(): void {
    this.pings += 1;
  }
  close(code: number, reason: string): void {
    this.closedWith = { code, reason };
    this.open = false;
  }
}

function setup(limits: Partial<SessionLimits> = {}) {
  const market = new Market({ seed: 1, batchesPerSecond: 20, onListenerError: (err) => { throw err; } });
  const transport = new MemoryTransport();
  const counters = newCounters();
  const clock = { now: 0 };
  const session = new Session({
    id: 1,
    remote: 'test',
    transport,
    market,
    limits: { ...DEFAULT_LIMITS, highWaterBytes: 1000, lowWaterBytes: 100, ...limits },
    counters,
    logger: silentLogger,
    serverName: 'test',
    now: () => clock.now,
  });
  market.onStep((f) => session.onStep(f));
  session.start();
  const send = (msg: object): void => {
    const text = JSON.stringify(msg);
    session.onFrame(text, text.length);
  };
  return { market, transport, counters, clock, session, send };
}

describe('Session', () => {
  it('greets, subscribes with a snapshot, then forwards contiguous deltas and trades', () => {
    const { market, transport, send } = setup();
    expect(transport.json[0]).toMatchObject({ type: 'hello', v: 1, instruments: [{ symbol: 'BTC-USD' }, { symbol: 'ETH-USD' }] });
    send({ type: 'subscribe', reqId: 1, instrument: 'ETH-USD' });
    expect(transport.json[1]).toEqual({ type: 'subscribed', reqId: 1, instrument: 'ETH-USD', instrumentId: 2 });
    expect(transport.frames[0]).toMatchObject({ kind: FrameKind.Snapshot, instrumentId: 2, seqFirst: 0n, seqLast: 0n });
    for (let i = 0; i < 50; i++) {
      market.stepNow(1);
      market.stepNow(2);
    }
    const deltas = transport.frames.filter((f) => f.kind === FrameKind.Delta);
    expect(deltas.length).toBeGreaterThan(40);
    expect(transport.frames.every((f) => f.instrumentId === 2)).toBe(true);
    let seq = 0n;
    for (const d of deltas) {
      expect(d.seqFirst).toBe(seq + 1n);
      seq = d.seqLast;
    }
    expect(transport.frames.some((f) => f.kind === FrameKind.Trades)).toBe(true);
  });

  it('conflates a client that falls behind and resumes it with a fresh snapshot', () => {
    const { market, transport, counters, send } = setup();
    send({ type: 'subscribe', reqId: 1, instrument: 'BTC-USD' });
    market.stepNow(1);
    const before = transport.frames.length;
    transport.bufferedAmount = 5000;
    for (let i = 0; i < 20; i++) market.stepNow(1);
    expect(transport.frames.length).toBe(before);
    expect(counters.conflations).toBe(1);
    expect(counters.framesDropped).toBeGreaterThan(10);

    transport.bufferedAmount = 500; // drained below high water but not yet below low water: still withheld
    market.stepNow(1);
    expect(transport.frames.length).toBe(before);

    transport.bufferedAmount = 50;
    const step = market.stepNow(1);
    const resumed = transport.frames.slice(before).filter((f) => f.kind !== FrameKind.Trades);
    expect(resumed).toHaveLength(1);
    expect(resumed[0]).toMatchObject({ kind: FrameKind.Snapshot, seqFirst: step.seq, seqLast: step.seq });
    let next = market.stepNow(1);
    while (!next.deltas) next = market.stepNow(1);
    expect(transport.frames.at(-1)).toMatchObject({ kind: FrameKind.Delta, seqFirst: step.seq + 1n, seqLast: next.seq });
    expect(counters.snapshotsSent).toBe(2);
  });

  it('answers resync with a snapshot at the current sequence, and errors for a stream it does not have', () => {
    const { market, transport, send } = setup();
    send({ type: 'resync', reqId: 9, instrument: 'BTC-USD' });
    expect(transport.json.at(-1)).toMatchObject({ type: 'error', code: 'not_subscribed', reqId: 9 });
    send({ type: 'subscribe', reqId: 10, instrument: 'BTC-USD', channels: ['trades'] });
    send({ type: 'resync', reqId: 11, instrument: 'BTC-USD' });
    expect(transport.json.at(-1)).toMatchObject({ code: 'not_subscribed', message: expect.stringContaining('without the "book" channel') });
    send({ type: 'subscribe', reqId: 12, instrument: 'BTC-USD' });
    for (let i = 0; i < 5; i++) market.stepNow(1);
    send({ type: 'resync', reqId: 13, instrument: 'BTC-USD' });
    expect(transport.frames.at(-1)).toMatchObject({ kind: FrameKind.Snapshot, seqLast: market.snapshot(1).seq });
    send({ type: 'unsubscribe', reqId: 14, instrument: 'BTC-USD' });
    expect(transport.json.at(-1)).toEqual({ type: 'unsubscribed', reqId: 14, instrument: 'BTC-USD', instrumentId: 1 });
    const count = transport.frames.length;
    market.stepNow(1);
    expect(transport.frames.length).toBe(count);
  });

  it('sends heartbeats when idle and closes 4408 when the client goes silent', () => {
    const { clock, session, transport, send } = setup({ heartbeatMs: 1000, heartbeatTimeouts: 3 });
    clock.now = 1000;
    session.tick();
    expect(transport.json.at(-1)).toMatchObject({ type: 'heartbeat' });
    expect(transport.pings).toBe(1);
    clock.now = 2500;
    send({ type: 'ping', reqId: 1, ts: 5 });
    expect(transport.json.at(-1)).toEqual({ type: 'pong', reqId: 1, ts: 5 });
    clock.now = 5000;
    session.tick();
    expect(transport.closedWith).toBeNull();
    clock.now = 5600;
    session.tick();
    expect(transport.closedWith).toMatchObject({ code: 4408 });
  });

  it('rejects frames over the size limit and binary frames, and closes 4429 on a sustained flood', () => {
    const { clock, session, transport, counters } = setup({ messagesPerSecond: 5, floodWindows: 2 });
    session.onFrame('x'.repeat(10), 64 * 1024 + 1);
    expect(transport.json.at(-1)).toMatchObject({ type: 'error', code: 'too_large', message: 'frame of 65537 bytes exceeds the limit of 65536 bytes' });
    session.onFrame(null, 8);
    expect(transport.json.at(-1)).toMatchObject({ code: 'bad_message', message: expect.stringContaining('binary frame') });
    const ping = JSON.stringify({ type: 'ping', reqId: 1, ts: 1 });
    for (let i = 0; i < 8; i++) session.onFrame(ping, ping.length);
    expect(counters.errors.rate_limited).toBe(1);
    clock.now = 1000;
    for (let i = 0; i < 8; i++) session.onFrame(ping, ping.length);
    expect(transport.closedWith).toMatchObject({ code: 4429 });
    expect(counters.serverCloses['4429']).toBe(1);
  });
});
