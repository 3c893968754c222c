import { describe, expect, it } from 'vitest';
import type { ConnectionStatus, RenderSnapshot, WorkerMessage, WorkerNotice, WorkerRequest } from '../protocol/worker';
import { STAT_COUNT, Stat, levelsLength } from '../protocol/worker';
import { EngineClient, type WorkerPort } from './client';
import { summarise } from './renderFrame';

class FakePort implements WorkerPort {
  readonly posted: WorkerRequest[] = [];
  private onMessage: (m: WorkerMessage) => void = () => undefined;
  private onError: (m: string) => void = () => undefined;
  terminated = false;
  post(message: WorkerRequest): void {
    this.posted.push(message);
  }
  listen(onMessage: (m: WorkerMessage) => void, onError: (m: string) => void): void {
    this.onMessage = onMessage;
    this.onError = onError;
  }
  terminate(): void {
    this.terminated = true;
  }
  emit(m: WorkerMessage): void {
    this.onMessage(m);
  }
  fail(message: string): void {
    this.onError(message);
  }
}

function snapshot(frame: number, trades: number[] = []): RenderSnapshot {
  const stats = new Float64Array(STAT_COUNT);
  stats[Stat.BestBid] = 100.5;
  stats[Stat.BestAsk] = 100.6;
  stats[Stat.Seq] = frame * 10;
  const levels = new Float64Array(levelsLength(2));
  levels.set([1, 1, 100.5, 2, 2, 0, 0, 0], 0);
  levels.set([100.6, 1, 1], 2 + 3 * 2);
  return {
    frame, symbol: 'X', instrumentId: 1, priceDecimals: 1, qtyDecimals: 0, rowStep: 0.1, depth: 2, grouping: 1,
    candleSec: 1, candlesReset: false, stats: stats.buffer, levels: levels.buffer,
    trades: Float64Array.from(trades).buffer, candles: new ArrayBuffer(0), heat: new ArrayBuffer(0),
  };
}

function rig(): { port: FakePort; client: EngineClient; statuses: ConnectionStatus[]; notices: WorkerNotice[] } {
  const port = new FakePort();
  const statuses: ConnectionStatus[] = [];
  const notices: WorkerNotice[] = [];
  const client = new EngineClient(port, {
    status: (s) => statuses.push(s),
    instruments: () => undefined,
    notice: (n) => notices.push(n),
  }, { request: () => 0, now: () => 0 });
  return { port, client, statuses, notices };
}

describe('engine client', () => {
  it('matches replies to requests by id', async () => {
    const { port, client } = rig();
    const a = client.request('view', { view: { depth: 10, grouping: 2, candleSec: 5 } });
    const b = client.request('select', { symbol: 'ETH-USD' });
    expect(port.posted.map((p) => [p.type, p.reqId])).toEqual([['view', 1], ['select', 2]]);
    port.emit({ type: 'reply', reqId: 2, request: 'select', ok: false, error: 'unknown instrument "ETH-USD"' });
    port.emit({ type: 'reply', reqId: 1, request: 'view', ok: true, result: { depth: 10, grouping: 2, candleSec: 5 } });
    await expect(a).resolves.toEqual({ depth: 10, grouping: 2, candleSec: 5 });
    await expect(b).rejects.toThrow('select: unknown instrument "ETH-USD"');
  });

  it('fails pending requests and reports the worker as gone when it crashes', async () => {
    const { port, client, statuses, notices } = rig();
    const p = client.request('reconnect', {});
    port.fail('out of memory');
    await expect(p).rejects.toThrow('reconnect: out of memory');
    expect(statuses.at(-1)).toMatchObject({ state: 'disconnected' });
    expect(notices.at(-1)?.message).toBe('Market-data worker failed: out of memory');
  });

  it('hands every snapshot since the last paint to listeners, once, on the next frame', () => {
    const { port, client } = rig();
    const seen: Array<[number, number[]]> = [];
    client.onRender((latest, frames) => seen.push([latest.meta.frame, frames.map((f) => f.meta.frame)]));
    port.emit({ type: 'render', snapshot: snapshot(1, [1, 100.5, 3, 1]) });
    port.emit({ type: 'render', snapshot: snapshot(2) });
    expect(seen).toEqual([]);
    client.frames.paint();
    client.frames.paint();
    expect(seen).toEqual([[2, [1, 2]]]);
    const last = client.lastFrame();
    if (!last) throw new Error('no frame');
    expect(summarise(last)).toMatchObject({
      frame: 2, bestBid: 100.5, bestAsk: 100.6, bidRows: 1, askRows: 1, seq: 20 });
  });

  it('gives a listener that subscribes late the newest snapshot', () => {
    const { port, client } = rig();
    port.emit({ type: 'render', snapshot: snapshot(7) });
    client.frames.paint();
    const seen: number[] = [];
    client.onRender((latest) => seen.push(latest.meta.frame));
    client.frames.paint();
    client.frames.paint();
    expect(seen).toEqual([7]);
  });
});
