/** The replay cursor of a user-strategy run (see external.ts): the recorded engine calls, replayed. */
import type { BacktestHandle } from './engine';
import { applyCalls, type Call, type ExternalBacktest } from './external';

/**
 * A replay cursor for a user-strategy run: an external-mode backtest driven by the recorded calls. Forward it
 * steps and replays the calls of each stop; backward it starts a fresh backtest and steps forward again.
 */
export class ScriptedCursor implements BacktestHandle {
  private bt: ExternalBacktest & BacktestHandle;
  private stop = 0;

  constructor(private readonly make: () => ExternalBacktest & BacktestHandle,
    private readonly script: ReadonlyMap<number, readonly Call[]>) {
    this.bt = this.fresh();
  }

  runTo(index: number): void {
    if (index < this.bt.cursor()) {
      this.bt.free();
      this.bt = this.fresh();
    }
    while (this.bt.cursor() < index) {
      const code = this.bt.step(index - this.bt.cursor());
      if (code === 0 || code === 5) break;
      this.stop += 1;
      applyCalls(this.bt, this.script.get(this.stop));
    }
  }

  cursor(): number {
    return this.bt.cursor();
  }

  summary(): Record<string, number> {
    return this.bt.summary();
  }

  fills(): Float64Array {
    return this.bt.fills();
  }

  equity(): Float64Array {
    return this.bt.equity();
  }

  openOrders(): Float64Array {
    return this.bt.openOrders();
  }

  topLevels(side: 0 | 1, depth: number): Float64Array {
    return this.bt.topLevels(side, depth);
  }

  free(): void {
    this.bt.free();
  }

  private fresh(): ExternalBacktest & BacktestHandle {
    const bt = this.make();
    this.stop = 0;
    applyCalls(bt, this.script.get(0));
    return bt;
  }
}
