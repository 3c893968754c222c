/**
 * The replay worker's side of the strategy sandbox (sandboxWorker.ts): creates the worker, sends it the strategy
 * and event batches one request at a time, and gives each request a time budget. A strategy that has not
 * answered within its budget (an infinite loop, a very slow callback) cannot be interrupted from inside, so the
 * worker is terminated and the request resolves with a `budget` error; the next `load` (or `restart`) starts a
 * fresh worker. Requests never reject: every outcome, errors included, is a value the replay can show.
 */
import {
  CALLBACK_OF, type CallbackName, type SandboxReply, type SandboxRequest, type StrategyError, type StrategyEvent,
  type StrategyMeta, type StrategyState,
} from './api';

export interface SandboxPort {
  post(message: SandboxRequest): void;
  listen(onMessage: (m: SandboxReply) => void, onError: (message: string) => void): void;
  terminate(): void;
}

/** The real sandbox: a module worker (nested inside the replay worker). */
export function createSandboxPort(): SandboxPort {
  const worker = new Worker(new URL('./sandboxWorker.ts', import.meta.url), { type: 'module', name: 'ferrodesk-strategy' });
  return {
    post: (m) => worker.postMessage(m),
    listen(onMessage, onError) {
      worker.addEventListener('message', (e: MessageEvent<SandboxReply>) => onMessage(e.data));
      worker.addEventListener('messageerror', () => onError('a message from the strategy sandbox could not be read'));
      worker.addEventListener('error', (e: ErrorEvent) => {
        e.preventDefault();
        onError(e.message || 'the strategy sandbox failed to load');
      });
    },
    terminate: () => worker.terminate(),
  };
}

export interface Timers {
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

const realTimers: Timers = {
  set: (fn, ms) => setTimeout(fn, ms),
  clear: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

export const DEFAULT_BUDGET_MS = 250;
export const DEFAULT_LOAD_BUDGET_MS = 2000;
/** For the sandbox worker to start (fetch and compile its script) before the load budget starts counting. */
export const DEFAULT_START_TIMEOUT_MS = 15_000;

export interface SandboxClientOptions {
  /** Per event batch (default 250 ms). */
  budgetMs?: number;
  /** For compiling and running the top-level code (default 2000 ms). */
  loadBudgetMs?: number;
  /** For the worker to start, before any budget counts (default 15 s). */
  startTimeoutMs?: number;
  createPort?: () => SandboxPort;
  timers?: Timers;
}

export type LoadOutcome =
  | { ok: true; callbacks: CallbackName[]; logs: string[] }
  | { ok: false; error: StrategyError; logs: string[] };

export interface DispatchOutcome {
  /** One command batch per event handled (see api.ts `Op`); fewer than the events when `error` is set. */
  batches: Float64Array[];
  logs: string[];
  error?: StrategyError;
}

interface Pending {
  resolve(reply: SandboxReply | { failure: StrategyError }): void;
  timer: unknown;
}

const sandboxError = (message: string): StrategyError => ({ kind: 'sandbox', message, detail: message });

function checkBudget(name: string, v: number | undefined, fallback: number): number {
  if (v === undefined) return fallback;
  if (!Number.isFinite(v) || v <= 0) throw new RangeError(`${name} ${String(v)} is not a positive number of ms`);
  return v;
}

/** "onBook", or "onBook/onFill" for a batch mixing event kinds. */
export function callbacksOf(events: readonly StrategyEvent[]): string {
  const names = [...new Set(events.map((e) => CALLBACK_OF[e.kind]).filter((n) => n !== undefined))];
  return names.length === 0 ? 'the strategy' : names.join('/');
}

export function budgetError(budgetMs: number, where: string, callback?: CallbackName | 'top level'): StrategyError {
  const detail = `exceeded its time budget of ${budgetMs} ms`;
  const error: StrategyError = {
    kind: 'budget', message: `strategy exceeded its time budget of ${budgetMs} ms in ${where} (likely an infinite loop); it was stopped`, detail,
  };
  if (callback) error.callback = callback;
  return error;
}

export class SandboxClient {
  private readonly budgetMs: number;
  private readonly loadBudgetMs: number;
  private readonly startTimeoutMs: number;
  private started: { resolve(ok: boolean): void; timer: unknown } | null = null;
  private readonly createPort: () => SandboxPort;
  private readonly timers: Timers;
  private port: SandboxPort | null = null;
  private loaded = false;
  private disposed = false;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private queue: Promise<unknown> = Promise.resolve();
  private last: { source: string; params: Record<string, unknown>; meta: StrategyMeta } | null = null;

  constructor(options: SandboxClientOptions = {}) {
    this.budgetMs = checkBudget('budgetMs', options.budgetMs, DEFAULT_BUDGET_MS);
    this.loadBudgetMs = checkBudget('loadBudgetMs', options.loadBudgetMs, DEFAULT_LOAD_BUDGET_MS);
    this.startTimeoutMs = checkBudget('startTimeoutMs', options.startTimeoutMs, DEFAULT_START_TIMEOUT_MS);
    this.createPort = options.createPort ?? createSandboxPort;
    this.timers = options.timers ?? realTimers;
  }

  /** True while a strategy is loaded in a live sandbox. */
  get ready(): boolean {
    return this.loaded && this.port !== null;
  }

  /** Starts a fresh sandbox (stopping any current one) and loads `source` into it. */
  load(source: string, params: Record<string, unknown>, meta: StrategyMeta): Promise<LoadOutcome> {
    this.last = { source, params, meta };
    return this.enqueue(() => this.doLoad(source, params, meta));
  }

  /** Stops the sandbox and loads the last source again (after a budget overrun or an error). */
  restart(): Promise<LoadOutcome> {
    const last = this.last;
    if (!last) return Promise.resolve({ ok: false, error: sandboxError('no strategy was loaded'), logs: [] });
    return this.load(last.source, last.params, last.meta);
  }

  /** Sends events (and optionally the engine's state) and resolves with one command batch per event. */
  dispatch(events: StrategyEvent[], state?: StrategyState): Promise<DispatchOutcome> {
    return this.enqueue(async (): Promise<DispatchOutcome> => {
      if (!this.port || !this.loaded) {
        return { batches: [], logs: [], error: sandboxError(this.disposed ? 'the strategy sandbox is disposed' : 'no strategy is loaded (load or restart it)') };
      }
      const where = callbacksOf(events);
      const firstKind = events[0]?.kind;
      const callback = new Set(events.map((e) => e.kind)).size === 1 && firstKind ? CALLBACK_OF[firstKind] : undefined;
      const reply = await this.request(
        (reqId) => (state ? { type: 'events', reqId, events, state } : { type: 'events', reqId, events }),
        this.budgetMs, () => budgetError(this.budgetMs, where, callback),
      );
      if ('failure' in reply) return { batches: [], logs: [], error: reply.failure };
      if (reply.type !== 'result') return { batches: [], logs: [], error: sandboxError(`unexpected reply "${reply.type}" to events`) };
      const out: DispatchOutcome = { batches: reply.batches, logs: reply.logs };
      if (reply.error) {
        out.error = reply.error;
        if (reply.error.kind !== 'sandbox') this.loaded = false;
      }
      return out;
    });
  }

  /** Stops the sandbox; pending requests resolve with a `sandbox` error. */
  dispose(): void {
    this.disposed = true;
    this.stop(sandboxError('the strategy sandbox is disposed'));
  }

  private enqueue<T>(job: () => Promise<T>): Promise<T> {
    const run = this.queue.then(job, job);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async doLoad(source: string, params: Record<string, unknown>, meta: StrategyMeta): Promise<LoadOutcome> {
    if (this.disposed) return { ok: false, error: sandboxError('the strategy sandbox is disposed'), logs: [] };
    this.stop(sandboxError('the strategy was reloaded'));
    if (!(await this.start())) {
      return { ok: false, error: this.startFailure ?? sandboxError('the strategy sandbox did not start'), logs: [] };
    }
    const reply = await this.request((reqId) => ({ type: 'load', reqId, source, params, meta }), this.loadBudgetMs,
      () => budgetError(this.loadBudgetMs, 'its top-level code', 'top level'));
    if ('failure' in reply) return { ok: false, error: reply.failure, logs: [] };
    if (reply.type !== 'loaded') return { ok: false, error: sandboxError(`unexpected reply "${reply.type}" to load`), logs: [] };
    this.loaded = reply.ok;
    return reply.ok ? { ok: true, callbacks: reply.callbacks, logs: reply.logs } : { ok: false, error: reply.error, logs: reply.logs };
  }

  private startFailure: StrategyError | null = null;

  /** Creates the worker; resolves true once it reports ready, false when it fails or does not start in time. */
  private start(): Promise<boolean> {
    const port = this.createPort();
    this.port = port;
    this.startFailure = null;
    const ready = new Promise<boolean>((resolve) => {
      const timer = this.timers.set(() => {
        if (this.port === port && this.started) {
          this.startFailure = sandboxError(`the strategy sandbox did not start within ${this.startTimeoutMs} ms`);
          this.stop(this.startFailure);
        }
      }, this.startTimeoutMs);
      this.started = { resolve, timer };
    });
    port.listen(
      (m) => {
        if (this.port !== port) return;
        if (m.type === 'ready') {
          const s = this.started;
          this.started = null;
          if (s) {
            this.timers.clear(s.timer);
            s.resolve(true);
          }
          return;
        }
        const p = this.pending.get(m.reqId);
        if (!p) return;
        this.pending.delete(m.reqId);
        this.timers.clear(p.timer);
        p.resolve(m);
      },
      (message) => {
        if (this.port !== port) return;
        this.startFailure = sandboxError(`the strategy sandbox failed: ${message}`);
        this.stop(this.startFailure);
      },
    );
    return ready;
  }

  /** Terminates the worker and resolves everything pending with `error`. */
  private stop(error: StrategyError): void {
    const port = this.port;
    this.port = null;
    this.loaded = false;
    if (port) port.terminate();
    const s = this.started;
    this.started = null;
    if (s) {
      this.timers.clear(s.timer);
      if (!this.startFailure) this.startFailure = error;
      s.resolve(false);
    }
    for (const [id, p] of this.pending) {
      this.timers.clear(p.timer);
      this.pending.delete(id);
      p.resolve({ failure: error });
    }
  }

  private request(
    build: (reqId: number) => SandboxRequest, budgetMs: number, overrun: () => StrategyError,
  ): Promise<SandboxReply | { failure: StrategyError }> {
    const port = this.port;
    if (!port) return Promise.resolve({ failure: sandboxError('the strategy sandbox is not running') });
    const reqId = this.nextId++;
    return new Promise((resolve) => {
      const timer = this.timers.set(() => {
        if (this.pending.has(reqId)) this.stop(overrun());
      }, budgetMs);
      this.pending.set(reqId, { resolve, timer });
      try {
        port.post(build(reqId));
      } catch (e) {
        this.stop(sandboxError(`the request could not be sent to the strategy sandbox: ${e instanceof Error ? e.message : String(e)}`));
      }
    });
  }
}
