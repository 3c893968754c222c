/**
 * The scan worker's logic, apart from the worker global so it can be tested in Node: a FIFO of chunk requests,
 * computed one per macrotask so that a `cancel` arriving meanwhile is seen between chunks.
 */
import type { ScanReply, ScanRequest } from '../protocol/scan';
import { gridSize } from './grid';
import type { ScanKernel } from './kernel';

type ChunkRequest = Extract<ScanRequest, { type: 'chunk' }>;

export interface WorkerCoreDeps {
  post(message: ScanReply, transfer: ArrayBuffer[]): void;
  /** Runs `fn` in a later macrotask (after messages that are already queued, where the platform allows). */
  schedule(fn: () => void): void;
  now(): number;
}

const errorText = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/** Why a chunk request cannot be computed, or null. Requests come from the pool; this guards its arithmetic. */
export function chunkProblem(req: ChunkRequest): string | null {
  const total = gridSize(req.spec);
  if (!Number.isSafeInteger(req.start) || req.start < 0) return `start ${req.start} is not a row index`;
  if (!Number.isSafeInteger(req.count) || req.count < 1) return `count ${req.count} is not a positive whole number`;
  if (req.start + req.count > total) return `rows ${req.start}…${req.start + req.count - 1} exceed the grid's ${total}`;
  return null;
}

export class ScanWorkerCore {
  private kernel: ScanKernel | null = null;
  private failed = false;
  private queue: ChunkRequest[] = [];
  private scheduled = false;

  constructor(private readonly deps: WorkerCoreDeps) {}

  loaded(kernel: ScanKernel): void {
    this.kernel = kernel;
    this.deps.post({ type: 'ready', engineVersion: kernel.engineVersion }, []);
    this.pump();
  }

  /** The engine could not be loaded: say so once; queued and later chunks are dropped (the pool re-queues them). */
  loadFailed(err: unknown): void {
    this.failed = true;
    this.queue = [];
    this.deps.post({ type: 'load-failed', reason: errorText(err) }, []);
  }

  handle(msg: ScanRequest): void {
    switch (msg.type) {
      case 'chunk':
        if (this.failed) return;
        this.queue.push(msg);
        this.pump();
        return;
      case 'cancel': {
        const before = this.queue.length;
        this.queue = this.queue.filter((c) => c.job !== msg.job);
        this.deps.post({ type: 'cancelled', job: msg.job, dropped: before - this.queue.length }, []);
        return;
      }
    }
  }

  private pump(): void {
    if (this.scheduled || !this.kernel || this.queue.length === 0) return;
    this.scheduled = true;
    this.deps.schedule(() => {
      this.scheduled = false;
      this.step();
      this.pump();
    });
  }

  private step(): void {
    const kernel = this.kernel;
    const req = this.queue.shift();
    if (!kernel || !req) return;
    const { job, chunk, start, count } = req;
    const problem = chunkProblem(req);
    if (problem) {
      this.deps.post({ type: 'chunk-error', job, chunk, start, count, reason: problem }, []);
      return;
    }
    const t0 = this.deps.now();
    try {
      const columns = kernel.priceChunk(req.spec, start, count);
      const computeMs = this.deps.now() - t0;
      const transfer = Object.values(columns).map((c) => c.buffer as ArrayBuffer);
      this.deps.post({ type: 'chunk', job, chunk, start, count, computeMs, columns }, transfer);
    } catch (err) {
      this.deps.post({ type: 'chunk-error', job, chunk, start, count, reason: errorText(err) }, []);
    }
  }
}
