import { describe, expect, it } from 'vitest';
import type { BacktestHandle } from './engine';
import { BacktestExternal, type ExternalBacktest } from './external';
import { ScriptedCursor } from './scriptedCursor';

/** An engine stand-in: 100 events, a strategy stop every 10; it logs the calls it receives with its cursor. */
class FakeExternal implements ExternalBacktest, BacktestHandle {
  at = 0;
  nextId = 1;
  calls: string[] = [];
  step(max: number): number {
    if (this.at >= 100) return 0;
    const next = Math.min(100, (Math.floor(this.at / 10) + 1) * 10);
    if (next - this.at > max) {
      this.at += max;
      return 5;
    }
    this.at = next;
    return this.at === 100 ? 0 : (this.at / 10) % 2 === 0 ? 1 : 2;
  }
  cursor(): number { return this.at; }
  now(): number { return this.at * 1000; }
  strategyTopLevels(): Float64Array { return new Float64Array([100, 1]); }
  strategyPosition(): number { return 0; }
  strategyOrders(): Float64Array { return new Float64Array(0); }
  lastTrade(): Float64Array { return new Float64Array([this.at * 1000, 1, 100, 2]); }
  lastFill(): Float64Array { return new Float64Array([this.at * 1000, 1, 0, 10_000, 100, 0, 1]); }
  submitLimit(side: number, price: number): number { this.calls.push(`${this.at}:limit ${side}@${price}`); return this.nextId++; }
  submitMarket(side: number, qty: number): number { this.calls.push(`${this.at}:market ${side}x${qty}`); return this.nextId++; }
  cancelOrder(id: number): number { this.calls.push(`${this.at}:cancel ${id}`); return id; }
  modifyOrder(id: number, price: number): number { this.calls.push(`${this.at}:modify ${id}@${price}`); return id; }
  setTimer(ts: number): void { this.calls.push(`${this.at}:timer ${ts}`); }
  runTo(): void { throw new Error('external backtests step'); }
  summary(): Record<string, number> { return { events: this.at }; }
  fills(): Float64Array { return new Float64Array(0); }
  equity(): Float64Array { return new Float64Array(0); }
  openOrders(): Float64Array { return new Float64Array(0); }
  topLevels(): Float64Array { return new Float64Array(0); }
  free(): void { this.calls.push('free'); }
}

const pricing = { priceDecimals: 2, qtyDecimals: 2, makerBps: -1, takerBps: 5 };

describe('BacktestExternal', () => {
  it('reports events and the fee the engine charges, and records each call at its stop', () => {
    const bt = new FakeExternal();
    const ext = new BacktestExternal(bt, pricing, 0);
    ext.limit(0, 9_900, 10, true, false);
    expect(ext.step(1_000)).toBe(2);
    expect(ext.event(2)).toEqual({ kind: 'trade', ts: 10_000, side: 1, price: 100, qty: 2 });
    ext.market(1, 5);
    expect(ext.step(1_000)).toBe(1);
    // 100.00 × 1.00 at −1 bps (maker): a rebate of 0.01.
    expect(ext.event(3)).toMatchObject({ kind: 'fill', orderId: 1, price: 10_000, qty: 100, maker: true, fee: -0.01 });
    ext.cancel(1);
    ext.setTimer(123n);
    expect([...ext.script.entries()]).toEqual([
      [0, [[0, 0, 9_900, 10, 1]]],
      [1, [[1, 1, 5, 0, 0]]],
      [2, [[2, 1, 0, 0, 0], [4, 123, 0, 0, 0]]],
    ]);
  });
});

describe('ScriptedCursor', () => {
  it('replays the recorded calls at the same stops, forward and after a backward seek', () => {
    const made: FakeExternal[] = [];
    const script = new Map([[0, [[0, 0, 9_900, 10, 1] as [number, number, number, number, number]]],
      [2, [[1, 1, 5, 0, 0] as [number, number, number, number, number]]]]);
    const cursor = new ScriptedCursor(() => {
      const f = new FakeExternal();
      made.push(f);
      return f;
    }, script);
    cursor.runTo(35);
    expect(cursor.cursor()).toBe(35);
    expect(made[0]?.calls).toEqual(['0:limit 0@9900', '20:market 1x5']);
    cursor.runTo(5);
    expect(made.length).toBe(2);
    expect(made[0]?.calls.at(-1)).toBe('free');
    expect(made[1]?.calls).toEqual(['0:limit 0@9900']);
    expect(cursor.cursor()).toBe(5);
  });
});
