/**
 * The page's scan session: one worker pool (created on first use, kept while the page lives), the scan in
 * progress and the last finished result, which survives switching views. React reads it through
 * `useSyncExternalStore`; progress notifications are coalesced to one per animation frame.
 */
import { gridSize, type ScanSpec } from '../../scan/grid';
import { ScanError, type PoolStats, type ScanPool, type ScanResult } from '../../scan/pool';
import { createScanPool } from '../../scan/spawn';

export type RunState = 'idle' | 'running' | 'cancelling' | 'done' | 'cancelled' | 'failed';

export interface ScanSnapshot {
  state: RunState;
  rowsDone: number;
  total: number;
  /** Milliseconds since the running scan started (updated with progress). */
  elapsedMs: number;
  /** What went wrong or why the last scan stopped, in words; null when the last scan finished. */
  message: string | null;
  /** The last finished scan (kept through later cancelled or failed runs). */
  result: ScanResult | null;
  /** Increments with every new result, so views can tell results apart cheaply. */
  resultSeq: number;
}

const fmt = (n: number): string => n.toLocaleString('en-US');

export interface FrameScheduler {
  request(fn: () => void): number;
  cancel(id: number): void;
}

export class ScanSession {
  private pool: ScanPool | null = null;
  private snap: ScanSnapshot = {
    state: 'idle', rowsDone: 0, total: 0, elapsedMs: 0, message: null, result: null, resultSeq: 0,
  };
  private readonly listeners = new Set<() => void>();
  private frame = 0;

  constructor(
    private readonly makePool: () => ScanPool = () => createScanPool(),
    private readonly frames: FrameScheduler = {
      request: (fn) => requestAnimationFrame(fn),
      cancel: (id) => cancelAnimationFrame(id),
    },
  ) {}

  subscribe = (fn: () => void): (() => void) => {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  };

  snapshot = (): ScanSnapshot => this.snap;

  /** Starts the workers (and their engine loads) ahead of the first scan. */
  warm(): ScanPool {
    this.pool ??= this.makePool();
    return this.pool;
  }

  poolStats(): PoolStats | null {
    return this.pool?.stats() ?? null;
  }

  get running(): boolean {
    return this.snap.state === 'running' || this.snap.state === 'cancelling';
  }

  /** Runs a scan; resolves with its result, or null if it was cancelled or failed (the snapshot says why). */
  async run(spec: ScanSpec): Promise<ScanResult | null> {
    if (this.running) return null;
    const pool = this.warm();
    this.set({ state: 'running', rowsDone: 0, total: gridSize(spec), elapsedMs: 0, message: null }, true);
    try {
      const result = await pool.run(spec, {
        onProgress: (p) => this.set({ rowsDone: p.rowsDone, total: p.total, elapsedMs: p.elapsedMs }),
      });
      this.set({
        state: 'done', rowsDone: result.total, total: result.total, elapsedMs: result.elapsedMs, result,
        resultSeq: this.snap.resultSeq + 1,
      }, true);
      return result;
    } catch (err) {
      const cancelled = err instanceof ScanError && err.kind === 'cancelled';
      const { rowsDone, total } = this.snap;
      const message = cancelled
        ? `Cancelled after ${fmt(rowsDone)} of ${fmt(total)} combinations.`
        : `The scan failed: ${err instanceof Error ? err.message : String(err)}`;
      this.set({ state: cancelled ? 'cancelled' : 'failed', message }, true);
      return null;
    }
  }

  /** Cancels the running scan; resolves when the workers have stopped. */
  async cancel(): Promise<void> {
    if (!this.pool || this.snap.state !== 'running') return;
    this.set({ state: 'cancelling' }, true);
    await this.pool.cancel();
  }

  dispose(): void {
    this.frames.cancel(this.frame);
    this.pool?.dispose();
    this.pool = null;
  }

  private set(patch: Partial<ScanSnapshot>, now = false): void {
    this.snap = { ...this.snap, ...patch };
    if (now) {
      this.frames.cancel(this.frame);
      this.frame = 0;
      this.emit();
    } else if (!this.frame) {
      this.frame = this.frames.request(() => {
        this.frame = 0;
        this.emit();
      });
    }
  }

  private emit(): void {
    for (const fn of this.listeners) fn();
  }
}
