/**
 * The loop that joins an external-strategy backtest to the sandbox: `step()` the engine until it needs the
 * strategy, send that event, submit the command batch that comes back, repeat. It also keeps the two id spaces
 * apart: the strategy numbers its orders 1, 2, 3… (host.ts) while the engine gives its own ids, so commands are
 * translated on the way in and fills / open orders on the way out.
 *
 * The engine is reached through `ExternalEngine`, a thin adapter the replay worker writes over the wasm
 * `Backtest` binding (its exact calls belong to the engine work).
 */
import {
  CALLBACK_OF, decodeCommands, OPEN_ORDER_STRIDE, type StrategyError, type StrategyEvent, type StrategyState,
} from './api';
import type { DispatchOutcome } from './sandboxClient';

/** `step()` results. */
export const Step = { END: 0, BOOK: 1, TRADE: 2, FILL: 3, TIMER: 4, BUDGET: 5 } as const;

export interface ExternalEngine {
  /** Runs until the strategy must be called or `maxEvents` events were processed; a `Step` code. */
  step(maxEvents: number): number;
  /** The event the last `step()` stopped at (BOOK, TRADE, FILL or TIMER), with engine order ids. */
  event(code: number): StrategyEvent;
  /** The engine's view to send with the event (engine order ids), or undefined to let the sandbox track fills. */
  state?(): StrategyState | undefined;
  /** ns timestamp the replay starts at (for onStart). */
  startTs(): number;
  /** Each returns the engine's order id. */
  limit(side: 0 | 1, price: number, qty: number, postOnly: boolean, ioc: boolean): number;
  market(side: 0 | 1, qty: number): number;
  cancel(engineId: number): void;
  modify(engineId: number, price: number, qty: number): void;
  setTimer(ts: bigint): void;
}

/** What the driver needs of SandboxClient. */
export interface StrategyPort {
  dispatch(events: StrategyEvent[], state?: StrategyState): Promise<DispatchOutcome>;
}

export type DriveResult =
  /** The dataset is replayed. */
  | { kind: 'end'; calls: number }
  /** `maxCalls` strategy calls or `maxEvents` events without one: call `run` again to continue. */
  | { kind: 'paused'; calls: number }
  /** The strategy failed (its error says where): the replay stops here. */
  | { kind: 'error'; calls: number; error: StrategyError };

export class StrategyDriver {
  private readonly toEngine = new Map<number, number>();
  private readonly toStrategy = new Map<number, number>();
  private started = false;
  private failed: StrategyError | null = null;
  /** Log lines from the strategy, oldest first, at most `maxLogLines`. */
  readonly logs: string[] = [];

  constructor(
    private readonly engine: ExternalEngine,
    private readonly strategy: StrategyPort,
    private readonly maxLogLines = 1000,
  ) {}

  /**
   * Steps the engine and calls the strategy until the end, an error, `maxCalls` strategy calls or a `step()`
   * that processed `maxEvents` events without needing the strategy.
   */
  async run(maxCalls: number, maxEvents = 65_536): Promise<DriveResult> {
    if (this.failed) return { kind: 'error', calls: 0, error: this.failed };
    let calls = 0;
    if (!this.started) {
      this.started = true;
      const r = await this.call({ kind: 'start', ts: this.engine.startTs() });
      calls++;
      if (r) return { kind: 'error', calls, error: r };
    }
    while (calls < maxCalls) {
      const code = this.engine.step(maxEvents);
      if (code === Step.END) return { kind: 'end', calls };
      if (code === Step.BUDGET) return { kind: 'paused', calls };
      if (code !== Step.BOOK && code !== Step.TRADE && code !== Step.FILL && code !== Step.TIMER) {
        const detail = `engine step() returned ${code}, not one of 0..5`;
        this.failed = { kind: 'sandbox', message: detail, detail };
        return { kind: 'error', calls, error: this.failed };
      }
      const r = await this.call(this.engine.event(code));
      calls++;
      if (r) return { kind: 'error', calls, error: r };
    }
    return { kind: 'paused', calls };
  }

  private async call(engineEvent: StrategyEvent): Promise<StrategyError | null> {
    const event = engineEvent.kind === 'fill'
      ? { ...engineEvent, orderId: this.toStrategy.get(engineEvent.orderId) ?? -engineEvent.orderId }
      : engineEvent;
    const state = this.engine.state?.();
    const out = state ? await this.strategy.dispatch([event], this.translateState(state)) : await this.strategy.dispatch([event]);
    for (const line of out.logs) {
      if (this.logs.length >= this.maxLogLines) this.logs.shift();
      this.logs.push(line);
    }
    if (out.error) {
      this.failed = out.error;
      return out.error;
    }
    const batch = out.batches[0];
    if (!batch) return null;
    try {
      this.submit(batch);
    } catch (e) {
      const detail = e instanceof Error ? e.message : String(e);
      const callback = CALLBACK_OF[event.kind];
      this.failed = { kind: 'runtime', message: `the engine refused an order from ${callback}: ${detail}`, detail, callback };
      return this.failed;
    }
    return null;
  }

  private translateState(state: StrategyState): StrategyState {
    if (!state.openOrders) return state;
    const orders = state.openOrders.slice();
    for (let i = 0; i + OPEN_ORDER_STRIDE <= orders.length; i += OPEN_ORDER_STRIDE) {
      const engineId = orders[i] as number;
      orders[i] = this.toStrategy.get(engineId) ?? -engineId;
    }
    return { ...state, openOrders: orders };
  }

  private submit(batch: Float64Array): void {
    for (const c of decodeCommands(batch)) {
      switch (c.op) {
        case 'limit':
          this.remember(c.id, this.engine.limit(c.side, c.price, c.qty, c.postOnly, c.ioc));
          break;
        case 'market':
          this.remember(c.id, this.engine.market(c.side, c.qty));
          break;
        case 'cancel': {
          const id = this.toEngine.get(c.id);
          if (id !== undefined) this.engine.cancel(id);
          break;
        }
        case 'modify': {
          const id = this.toEngine.get(c.id);
          if (id !== undefined) this.engine.modify(id, c.price, c.qty);
          break;
        }
        case 'timer':
          this.engine.setTimer(c.ts);
          break;
      }
    }
  }

  private remember(strategyId: number, engineId: number): void {
    this.toEngine.set(strategyId, engineId);
    this.toStrategy.set(engineId, strategyId);
  }
}
