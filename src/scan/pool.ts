/**
 * A pool of scan workers, each with its own wasm instance, that prices one scenario grid at a time.
 *
 * The grid is cut into chunks of contiguous rows (`chunkRows`); each worker has at most `depth` chunks in flight,
 * so it starts the next one as soon as it posts a result, and faster workers take more chunks. Results arrive as
 * transferred buffers and are kept as they came, one set of columns per chunk (no copy on the main thread).
 *
 * Stopping (cancel, a chunk's error, dispose) takes the job's queued chunks back at once and asks every busy
 * worker to drop what it still has queued; a worker that has not acknowledged within `cancelGraceMs` (a chunk that
 * runs long) is terminated and replaced. The job's promise settles when no worker is working on it any more.
 */
import type { ChunkColumns, ScanReply, ScanRequest, ScanSpec } from '../protocol/scan';
import { chunkRows, gridSize } from './grid';

export interface ScanPort {
  post(message: ScanRequest): void;
  /** `onError`: the worker died or its script failed; it sends nothing more. */
  listen(onMessage: (message: ScanReply) => void, onError: (reason: string) => void): void;
  terminate(): void;
}

export type SpawnPort = (index: number) => ScanPort;

export interface ChunkRef {
  chunk: number;
  start: number;
  count: number;
}

export type ScanErrorKind = 'cancelled' | 'chunk' | 'engine' | 'busy';

export class ScanError extends Error {
  constructor(
    readonly kind: ScanErrorKind,
    message: string,
    /** The chunk that failed (kind `chunk`). */
    readonly chunk?: ChunkRef,
    /** The engine's own words (kinds `chunk` and `engine`). */
    readonly reason?: string,
  ) {
    super(message);
    this.name = 'ScanError';
  }
}

export interface ScanProgress {
  rowsDone: number;
  total: number;
  chunksDone: number;
  chunks: number;
  elapsedMs: number;
}

export interface ScanResult {
  spec: ScanSpec;
  total: number;
  /** Rows per chunk; chunk `c` holds rows `c · chunkRows …` (the last may be shorter). */
  chunkRows: number;
  chunks: ChunkColumns[];
  /** From `run()` to the last chunk's arrival on the main thread. */
  elapsedMs: number;
  /** Sum over chunks of the time spent in the kernel, across all workers. */
  computeMs: number;
  workers: number;
}

export interface RunOptions {
  onProgress?: (p: ScanProgress) => void;
  signal?: AbortSignal;
}

export interface PoolOptions {
  size: number;
  spawn: SpawnPort;
  /** Chunks in flight per worker (default 2: one computing, one queued behind it). */
  depth?: number;
  /** How long a stopping worker may take to acknowledge before it is terminated (default 500 ms). */
  cancelGraceMs?: number;
  now?: () => number;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
}

export interface PoolStats {
  workers: number;
  ready: number;
  failed: number;
  /** Chunks the workers have answered, across all jobs. */
  chunksComputed: number;
  /** Chunks answered after their job was stopped (their results were discarded). */
  chunksAfterStop: number;
  /** Workers terminated because they did not stop in time. */
  terminated: number;
  running: boolean;
  engineVersion: string | null;
}

interface Slot {
  index: number;
  port: ScanPort;
  state: 'loading' | 'ready' | 'failed';
  failure: string;
  inflight: Map<number, ChunkRef>;
  /** The job whose `cancelled` acknowledgement this worker still owes. */
  owes: number | null;
}

interface Job {
  id: number;
  spec: ScanSpec;
  total: number;
  rows: number;
  chunks: number;
  next: number;
  requeued: ChunkRef[];
  results: (ChunkColumns | undefined)[];
  rowsDone: number;
  chunksDone: number;
  computeMs: number;
  t0: number;
  stopping: ScanError | null;
  timer: unknown;
  opts: RunOptions;
  resolve: (r: ScanResult) => void;
  reject: (e: ScanError) => void;
}

const describe = (c: ChunkRef): string => `chunk ${c.chunk} (rows ${c.start}–${c.start + c.count - 1})`;

/** The default pool size: one worker per logical core, at least two. */
export function defaultPoolSize(hardwareConcurrency: number | undefined): number {
  return Math.max(2, Math.floor(hardwareConcurrency ?? 0) || 2);
}

export class ScanPool {
  private readonly slots: Slot[] = [];
  private job: Job | null = null;
  private jobSeq = 0;
  private readonly depth: number;
  private readonly graceMs: number;
  private readonly now: () => number;
  private readonly setTimer: (fn: () => void, ms: number) => unknown;
  private readonly clearTimer: (handle: unknown) => void;
  private readyWaiters: Array<() => void> = [];
  private computed = 0;
  private afterStop = 0;
  private terminated = 0;
  private version: string | null = null;
  private disposed = false;

  constructor(private readonly opts: PoolOptions) {
    this.depth = Math.max(1, opts.depth ?? 2);
    this.graceMs = opts.cancelGraceMs ?? 500;
    this.now = opts.now ?? (() => performance.now());
    this.setTimer = opts.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
    this.clearTimer = opts.clearTimer ?? ((h) => clearTimeout(h as ReturnType<typeof setTimeout>));
    for (let i = 0; i < Math.max(1, opts.size); i++) this.slots.push(this.spawn(i));
  }

  get size(): number {
    return this.slots.length;
  }

  /** Resolves once every worker has loaded its engine or failed to. */
  ready(): Promise<void> {
    if (this.settledLoading()) return Promise.resolve();
    return new Promise((res) => this.readyWaiters.push(res));
  }

  stats(): PoolStats {
    return {
      workers: this.slots.length,
      ready: this.slots.filter((s) => s.state === 'ready').length,
      failed: this.slots.filter((s) => s.state === 'failed').length,
      chunksComputed: this.computed,
      chunksAfterStop: this.afterStop,
      terminated: this.terminated,
      running: this.job !== null,
      engineVersion: this.version,
    };
  }

  run(spec: ScanSpec, opts: RunOptions = {}): Promise<ScanResult> {
    if (this.disposed) return Promise.reject(new ScanError('engine', 'the scan pool has been shut down'));
    if (this.job) return Promise.reject(new ScanError('busy', 'a scan is already running; cancel it first'));
    if (opts.signal?.aborted) return Promise.reject(new ScanError('cancelled', 'the scan was cancelled'));
    const total = gridSize(spec);
    const rows = chunkRows(spec.model, total, this.slots.length);
    const chunks = Math.ceil(total / rows);
    return new Promise<ScanResult>((resolve, reject) => {
      const job: Job = {
        id: ++this.jobSeq, spec, total, rows, chunks, next: 0, requeued: [], results: new Array(chunks),
        rowsDone: 0, chunksDone: 0, computeMs: 0, t0: this.now(), stopping: null, timer: null, opts, resolve, reject,
      };
      this.job = job;
      opts.signal?.addEventListener('abort', () => {
        if (this.job === job) void this.cancel();
      }, { once: true });
      if (this.slots.every((s) => s.state === 'failed')) {
        this.stop(job, this.engineError());
        return;
      }
      this.pump();
    });
  }

  /** Stops the running scan (its promise rejects with kind `cancelled`); resolves when the workers have stopped. */
  cancel(): Promise<void> {
    const job = this.job;
    if (!job) return Promise.resolve();
    const stopped = new Promise<void>((res) => {
      const { resolve, reject } = job;
      job.resolve = (r) => {
        resolve(r);
        res();
      };
      job.reject = (e) => {
        reject(e);
        res();
      };
    });
    if (!job.stopping) this.stop(job, new ScanError('cancelled', 'the scan was cancelled'));
    return stopped;
  }

  dispose(): void {
    if (this.disposed) return;
    const job = this.job;
    if (job) {
      this.job = null;
      if (job.timer !== null) this.clearTimer(job.timer);
      job.reject(job.stopping ?? new ScanError('cancelled', 'the scan was cancelled: the scan workers were shut down'));
    }
    this.disposed = true;
    for (const s of this.slots) s.port.terminate();
    this.flushReadyWaiters(true);
  }

  // ---- workers -------------------------------------------------------------------------------------------

  private spawn(index: number): Slot {
    const slot: Slot = {
      index, port: this.opts.spawn(index), state: 'loading', failure: '', inflight: new Map(), owes: null,
    };
    slot.port.listen(
      (m) => {
        if (this.slots[index] === slot) this.onMessage(slot, m);
      },
      (reason) => {
        if (this.slots[index] === slot) this.onDead(slot, reason);
      },
    );
    return slot;
  }

  /** Terminates a worker that did not stop in time and puts a fresh one in its place. */
  private replace(slot: Slot): void {
    slot.port.terminate();
    this.terminated++;
    this.slots[slot.index] = this.spawn(slot.index);
  }

  private onMessage(slot: Slot, m: ScanReply): void {
    switch (m.type) {
      case 'ready':
        slot.state = 'ready';
        this.version = m.engineVersion;
        this.flushReadyWaiters();
        return;
      case 'load-failed':
        return this.onDead(slot, m.reason);
      case 'chunk': {
        this.computed++;
        const job = this.job;
        if (!job || job.id !== m.job || !slot.inflight.delete(m.chunk)) return;
        if (job.stopping) {
          this.afterStop++;
          return;
        }
        job.results[m.chunk] = m.columns;
        job.rowsDone += m.count;
        job.chunksDone++;
        job.computeMs += m.computeMs;
        job.opts.onProgress?.({
          rowsDone: job.rowsDone, total: job.total, chunksDone: job.chunksDone, chunks: job.chunks,
          elapsedMs: this.now() - job.t0,
        });
        if (job.chunksDone === job.chunks) return this.finish(job);
        return this.pump();
      }
      case 'chunk-error': {
        this.computed++;
        const job = this.job;
        if (!job || job.id !== m.job || !slot.inflight.delete(m.chunk)) return;
        if (job.stopping) return;
        const ref = { chunk: m.chunk, start: m.start, count: m.count };
        return this.stop(job, new ScanError('chunk', `${describe(ref)} failed: ${m.reason}`, ref, m.reason));
      }
      case 'cancelled': {
        if (slot.owes !== m.job) return;
        slot.owes = null;
        slot.inflight.clear();
        const job = this.job;
        if (job && job.id === m.job) this.settleIfStopped(job);
        return;
      }
    }
  }

  /** A worker that cannot work: its chunks go back to the queue for the others. */
  private onDead(slot: Slot, reason: string): void {
    if (slot.state === 'failed') return;
    slot.state = 'failed';
    slot.failure = reason;
    slot.port.terminate();
    const job = this.job;
    const orphans = [...slot.inflight.values()];
    slot.inflight.clear();
    slot.owes = null;
    this.flushReadyWaiters();
    if (!job) return;
    if (job.stopping) return this.settleIfStopped(job);
    job.requeued.push(...orphans);
    if (this.slots.every((s) => s.state === 'failed')) return this.stop(job, this.engineError());
    this.pump();
  }

  private engineError(): ScanError {
    const reason = this.slots.find((s) => s.failure)?.failure ?? 'unknown reason';
    return new ScanError('engine', `no scan worker could load the engine: ${reason}`, undefined, reason);
  }

  // ---- the job -------------------------------------------------------------------------------------------

  private pump(): void {
    const job = this.job;
    if (!job || job.stopping) return;
    for (const slot of this.slots) {
      if (slot.state === 'failed' || slot.owes !== null) continue;
      while (slot.inflight.size < this.depth) {
        const ref = job.requeued.pop() ?? this.take(job);
        if (!ref) return;
        slot.inflight.set(ref.chunk, ref);
        slot.port.post({ type: 'chunk', job: job.id, chunk: ref.chunk, start: ref.start, count: ref.count, spec: job.spec });
      }
    }
  }

  private take(job: Job): ChunkRef | null {
    if (job.next >= job.chunks) return null;
    const chunk = job.next++;
    const start = chunk * job.rows;
    return { chunk, start, count: Math.min(job.rows, job.total - start) };
  }

  private finish(job: Job): void {
    this.job = null;
    job.resolve({
      spec: job.spec, total: job.total, chunkRows: job.rows, chunks: job.results as ChunkColumns[],
      elapsedMs: this.now() - job.t0, computeMs: job.computeMs, workers: this.slots.length,
    });
  }

  private stop(job: Job, why: ScanError): void {
    job.stopping = why;
    job.requeued = [];
    job.next = job.chunks;
    for (const slot of this.slots) {
      if (slot.state === 'failed' || slot.inflight.size === 0) continue;
      slot.owes = job.id;
      slot.port.post({ type: 'cancel', job: job.id });
    }
    job.timer = this.setTimer(() => {
      job.timer = null;
      for (const slot of [...this.slots]) if (slot.owes === job.id) this.replace(slot);
      this.settleIfStopped(job);
    }, this.graceMs);
    this.settleIfStopped(job);
  }

  private settleIfStopped(job: Job): void {
    if (this.job !== job || !job.stopping) return;
    if (this.slots.some((s) => s.owes === job.id)) return;
    if (job.timer !== null) this.clearTimer(job.timer);
    job.timer = null;
    this.job = null;
    job.reject(job.stopping);
  }

  private settledLoading(): boolean {
    return this.disposed || this.slots.every((s) => s.state !== 'loading');
  }

  private flushReadyWaiters(force = false): void {
    if (!force && !this.settledLoading()) return;
    const waiters = this.readyWaiters;
    this.readyWaiters = [];
    for (const w of waiters) w();
  }
}
