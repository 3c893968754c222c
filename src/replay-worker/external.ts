/**
 * User strategies (src/features/replay/strategy) against the wasm engine's external mode.
 *
 * - `BacktestExternal` adapts a `Backtest` to the strategy driver's `ExternalEngine`: what `step()` stopped at,
 *   the strategy's view (book after feed latency, position, open orders) and the order calls.
 * - It also records every engine call made at each stop. A user strategy runs once, headless, in its sandbox;
 *   the replay cursor then re-runs the engine with those recorded calls at the same stops (`ScriptedCursor`).
 *   The engine is deterministic, so the cursor sees exactly the run the strategy made, and seeking never runs
 *   user code again.
 *
 * Shared by the replay worker and the CLI (no DOM or Node imports).
 */
import type { ExternalEngine } from '../features/replay/strategy/driver.js';
import type { StrategyEvent, StrategyState } from '../features/replay/strategy/api.js';

/** The calls of the wasm `Backtest` binding this module uses. */
export interface ExternalBacktest {
  step(maxEvents: number): number;
  cursor(): number;
  now(): number;
  strategyTopLevels(side: number, depth: number): Float64Array;
  strategyPosition(): number;
  strategyOrders(): Float64Array;
  lastTrade(): Float64Array;
  lastFill(): Float64Array;
  submitLimit(side: number, price: number, qty: number, postOnly: boolean, ioc: boolean): number;
  submitMarket(side: number, qty: number): number;
  cancelOrder(id: number): number;
  modifyOrder(id: number, price: number, qty: number): number;
  setTimer(ts: number): void;
}

export interface Pricing {
  priceDecimals: number;
  qtyDecimals: number;
  makerBps: number;
  takerBps: number;
}

/** One engine call as recorded: `[op, a, b, c, d]` (op 0 limit, 1 market, 2 cancel, 3 modify, 4 timer). */
export type Call = [number, number, number, number, number];

/** Levels a side sent with each book event. */
const BOOK_DEPTH = 20;

export class BacktestExternal implements ExternalEngine {
  /** Calls made at each stop; stop 0 is `onStart`, stop k the k-th `step()` that needed the strategy. */
  readonly script = new Map<number, Call[]>();
  private stop = 0;

  constructor(private readonly bt: ExternalBacktest, private readonly pricing: Pricing,
    private readonly firstTsNs: number) {}

  step(maxEvents: number): number {
    const code = this.bt.step(maxEvents);
    if (code >= 1 && code <= 4) this.stop += 1;
    return code;
  }

  event(code: number): StrategyEvent {
    const ts = this.bt.now();
    switch (code) {
      case 2: {
        const t = this.bt.lastTrade();
        return { kind: 'trade', ts: t[0] ?? ts, side: (t[1] ?? 0) === 1 ? 1 : 0, price: t[2] ?? 0, qty: t[3] ?? 0 };
      }
      case 3: {
        const f = this.bt.lastFill();
        const price = f[3] ?? 0;
        const qty = f[4] ?? 0;
        const maker = (f[6] ?? 0) === 1;
        return {
          kind: 'fill', ts: f[0] ?? ts, orderId: f[1] ?? 0, side: (f[2] ?? 0) === 1 ? 1 : 0, price, qty, maker,
          fee: this.fee(price, qty, maker),
        };
      }
      case 4:
        return { kind: 'timer', ts };
      default:
        return { kind: 'book', ts, bids: this.bt.strategyTopLevels(0, BOOK_DEPTH), asks: this.bt.strategyTopLevels(1, BOOK_DEPTH) };
    }
  }

  state(): StrategyState {
    return { position: this.bt.strategyPosition(), openOrders: this.bt.strategyOrders() };
  }

  startTs(): number {
    return this.firstTsNs;
  }

  limit(side: 0 | 1, price: number, qty: number, postOnly: boolean, ioc: boolean): number {
    this.record([0, side, price, qty, (postOnly ? 1 : 0) | (ioc ? 2 : 0)]);
    return this.bt.submitLimit(side, price, qty, postOnly, ioc);
  }

  market(side: 0 | 1, qty: number): number {
    this.record([1, side, qty, 0, 0]);
    return this.bt.submitMarket(side, qty);
  }

  cancel(engineId: number): void {
    this.record([2, engineId, 0, 0, 0]);
    this.bt.cancelOrder(engineId);
  }

  modify(engineId: number, price: number, qty: number): void {
    this.record([3, engineId, price, qty, 0]);
    this.bt.modifyOrder(engineId, price, qty);
  }

  setTimer(ts: bigint): void {
    this.record([4, Number(ts), 0, 0, 0]);
    this.bt.setTimer(Number(ts));
  }

  /** The fee the engine charges (notional × bps), in quote currency. */
  private fee(priceTicks: number, qtyLots: number, maker: boolean): number {
    const p = this.pricing;
    const notional = (priceTicks / 10 ** p.priceDecimals) * (qtyLots / 10 ** p.qtyDecimals);
    return (notional * (maker ? p.makerBps : p.takerBps)) / 1e4;
  }

  private record(call: Call): void {
    const list = this.script.get(this.stop);
    if (list) list.push(call);
    else this.script.set(this.stop, [call]);
  }
}

/** Applies recorded calls to a backtest. */
export function applyCalls(bt: ExternalBacktest, calls: readonly Call[] | undefined): void {
  for (const [op, a, b, c, d] of calls ?? []) {
    switch (op) {
      case 0:
        bt.submitLimit(a, b, c, (d & 1) !== 0, (d & 2) !== 0);
        break;
      case 1:
        bt.submitMarket(a, b);
        break;
      case 2:
        bt.cancelOrder(a);
        break;
      case 3:
        bt.modifyOrder(a, b, c);
        break;
      case 4:
        bt.setTimer(a);
        break;
    }
  }
}
