import { describe, expect, it } from 'vitest';
import type { ConnectionStatus } from '../protocol/worker';
import { FakeSockets, ManualClock } from '../testing/workerFakes';
import { closeReason, MarketSocket } from './socket';

function rig(): { clock: ManualClock; sockets: FakeSockets; statuses: ConnectionStatus[]; socket: MarketSocket } {
  const clock = new ManualClock();
  const sockets = new FakeSockets();
  const statuses: ConnectionStatus[] = [];
  const socket = new MarketSocket(sockets.factory, clock, {
    status: (s) => statuses.push(s),
    open: () => undefined,
    text: () => undefined,
    binary: () => undefined,
    down: () => undefined,
  });
  return { clock, sockets, statuses, socket };
}

describe('market socket', () => {
  it('reports connecting → connected, then disconnected (with reason) → reconnecting (with delay)', () => {
    const { clock, sockets, statuses, socket } = rig();
    socket.start('ws://h/ws?v=1');
    sockets.handlers?.open();
    socket.connected('srv', 5000);
    sockets.handlers?.close(1001, '');
    expect(statuses.map((s) => s.state)).toEqual(['connecting', 'connected', 'disconnected', 'reconnecting']);
    expect(statuses[2]).toEqual({ state: 'disconnected', reason: 'server shutting down', code: 1001 });
    // Equal jitter with random() = 0.5: 75 % of the nominal 250 ms.
    expect(statuses[3]).toMatchObject({ state: 'reconnecting', inMs: 188, attempt: 1 });
    clock.advance(188);
    expect(sockets.urls.length).toBe(2);
  });

  it('backs off exponentially while connections keep failing, and resets after a hello', () => {
    const { clock, sockets, statuses, socket } = rig();
    socket.start('ws://h/ws?v=1');
    const delays: number[] = [];
    for (let i = 0; i < 7; i++) {
      sockets.handlers?.close(1006, '');
      const last = statuses.at(-1);
      if (last?.state !== 'reconnecting') throw new Error('expected reconnecting');
      delays.push(last.inMs);
      clock.advance(last.inMs);
    }
    expect(delays).toEqual([188, 375, 750, 1500, 3000, 6000, 6000]);
    sockets.handlers?.open();
    socket.connected('srv', 5000);
    sockets.handlers?.close(1006, '');
    expect(statuses.at(-1)).toMatchObject({ state: 'reconnecting', inMs: 188 });
  });

  it('replaces a connection that has gone silent for three heartbeats', () => {
    const { clock, sockets, statuses, socket } = rig();
    socket.start('ws://h/ws?v=1');
    sockets.handlers?.open();
    socket.connected('srv', 1000);
    clock.advance(2500);
    sockets.handlers?.message('{"type":"heartbeat","ts":1}');
    clock.advance(2500);
    expect(statuses.at(-1)?.state).toBe('connected');
    clock.advance(1500);
    expect(statuses.slice(-3).map((s) => s.state)).toEqual(['disconnected', 'reconnecting', 'connecting']);
    expect(statuses.at(-3)).toEqual({ state: 'disconnected', reason: 'nothing from the server for 3 s', code: null });
    expect(sockets.closed.at(-1)?.code).toBe(4000);
    expect(sockets.urls.length).toBe(2);
  });

  it('explains close codes', () => {
    expect(closeReason(1006, '')).toBe('connection lost');
    expect(closeReason(4400, 'unsupported protocol version 2')).toBe(
      'protocol version not supported by the server: unsupported protocol version 2');
    expect(closeReason(4999, '')).toBe('closed with code 4999');
  });
});
