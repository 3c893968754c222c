import { describe, expect, it } from 'vitest';
import type { StrategyEvent, StrategyState } from './api';
import { Step, StrategyDriver, type ExternalEngine, type StrategyPort } from './driver';
import { StrategyHost } from './host';

const META = { priceDecimals: 2, qtyDecimals: 0 };

/** An engine stand-in that plays a script of step() results and records what it is asked. */
class ScriptedEngine implements ExternalEngine {
  readonly calls: string[] = [];
  private next = 101;
  private current: StrategyEvent | null = null;
  constructor(private readonly script: Array<[number, StrategyEvent | null]>, private readonly snapshot?: () => StrategyState) {}
  step(maxEvents: number): number {
    const s = this.script.shift();
    this.calls.push(`step ${maxEvents}`);
    if (!s) return Step.END;
    this.current = s[1];
    return s[0];
  }
  event(): StrategyEvent {
    if (!this.current) throw new Error('no event');
    return this.current;
  }
  state(): StrategyState | undefined {
    return this.snapshot?.();
  }
  startTs(): number {
    return 1000;
  }
  limit(side: 0 | 1, price: number, qty: number, postOnly: boolean, ioc: boolean): number {
    if (price > 1_000_000) throw new Error('price 1000001 is above the engine limit');
    const id = this.next++;
    this.calls.push(`limit ${side} ${price} ${qty} ${postOnly} ${ioc} -> ${id}`);
    return id;
  }
  market(side: 0 | 1, qty: number): number {
    const id = this.next++;
    this.calls.push(`market ${side} ${qty} -> ${id}`);
    return id;
  }
  cancel(id: number): void {
    this.calls.push(`cancel ${id}`);
  }
  modify(id: number, price: number, qty: number): void {
    this.calls.push(`modify ${id} ${price} ${qty}`);
  }
  setTimer(ts: bigint): void {
    this.calls.push(`timer ${ts}`);
  }
}

function port(source: string): StrategyPort {
  const host = new StrategyHost();
  const r = host.load(source, {}, META);
  if (!r.ok) throw new Error(r.error.message);
  return {
    dispatch: (events, state) => {
      const d = host.dispatch(events, state);
      return Promise.resolve({ ...d, logs: host.takeLogs() });
    },
  };
}

const book: StrategyEvent = { kind: 'book', ts: 2000, bids: Float64Array.from([500, 1]), asks: Float64Array.from([502, 1]) };

describe('StrategyDriver', () => {
  it('submits each batch to the engine and translates order ids both ways', async () => {
    const engine = new ScriptedEngine([
      [Step.BOOK, book],
      [Step.FILL, { kind: 'fill', ts: 3000, orderId: 101, side: 0, price: 500, qty: 1, fee: 0, maker: true }],
      [Step.BUDGET, null],
      [Step.TIMER, { kind: 'timer', ts: 4000 }],
    ]);
    const driver = new StrategyDriver(engine, port(`
function onStart(ctx) { ctx.setTimer(4000n); }
function onBook(ctx, book) { ctx.buy(book.bids[0][0], 1, { postOnly: true }); ctx.market('sell', 2); }
function onFill(ctx, fill) { ctx.log('filled', fill.orderId, ctx.position); ctx.modify(2, 503, 1); }
function onTimer(ctx) { ctx.cancel(1); }
`));
    expect(await driver.run(10, 100)).toEqual({ kind: 'paused', calls: 3 });
    expect(await driver.run(10, 100)).toEqual({ kind: 'end', calls: 1 });
    expect(engine.calls).toEqual([
      'timer 4000',
      'step 100', 'limit 0 500 1 true false -> 101', 'market 1 2 -> 102',
      'step 100', 'modify 102 503 1',
      'step 100',
      'step 100', 'cancel 101',
      'step 100',
    ]);
    expect(driver.logs).toEqual(['filled 1 1']);
  });

  it('sends open orders with the strategy ids and stops at maxCalls', async () => {
    const engine = new ScriptedEngine([[Step.BOOK, book], [Step.BOOK, book], [Step.BOOK, book]],
      () => ({ position: 0, openOrders: Float64Array.from([101, 0, 500, 1, 1, 0]) }));
    const driver = new StrategyDriver(engine, port(`
function onBook(ctx, book) {
  if (ctx.openOrders.length === 0 || ctx.openOrders[0].id !== 1) ctx.log('no order 1');
  ctx.buy(400, 1);
}
`));
    expect(await driver.run(3)).toEqual({ kind: 'paused', calls: 3 });
    // Only the first call, before the strategy placed it, sees engine order 101 under an unknown id.
    expect(driver.logs).toEqual(['no order 1']);
  });

  it('stops the replay at a strategy error and at an order the engine refuses', async () => {
    const a = new StrategyDriver(new ScriptedEngine([[Step.BOOK, book], [Step.BOOK, book]]), port('function onBook() {\n  null.x;\n}'));
    const r = await a.run(10);
    expect(r.kind === 'error' && r.error).toMatchObject({ kind: 'runtime', callback: 'onBook', line: 2 });
    expect((await a.run(10)).kind).toBe('error');

    const b = new StrategyDriver(new ScriptedEngine([[Step.BOOK, book]]), port('function onBook(ctx) { ctx.buy(1000001, 1); }'));
    const s = await b.run(10);
    expect(s.kind === 'error' && s.error.message).toBe('the engine refused an order from onBook: price 1000001 is above the engine limit');
  });
});
