/**
 * The main thread's client of the market-data worker: typed requests with ids resolved as promises,
 * connection/instrument/notice events, and render snapshots delivered through a `FrameLoop` (listeners,
 * never React state).
 */
import type { InstrumentInfo } from '../protocol/messages';
import type {
  ConnectionStatus, WorkerMessage, WorkerNotice, WorkerReplyMap, WorkerRequest, WorkerRequestType,
} from '../protocol/worker';
import { FrameLoop, type FrameScheduler, type RenderListener } from './frameLoop';
import { toRenderFrame, type RenderFrame } from './renderFrame';

/** The worker as the client sees it; `createWorkerPort` (worker.ts) adapts the browser's `Worker`. */
export interface WorkerPort {
  post(message: WorkerRequest): void;
  listen(onMessage: (message: WorkerMessage) => void, onError: (message: string) => void): void;
  terminate(): void;
}

export interface EngineEvents {
  status(status: ConnectionStatus): void;
  instruments(server: string, instruments: InstrumentInfo[]): void;
  notice(notice: WorkerNotice): void;
}

type RequestOf<K extends WorkerRequestType> = Extract<WorkerRequest, { type: K }>;
export type RequestBody<K extends WorkerRequestType> = Omit<RequestOf<K>, 'type' | 'reqId'>;

interface Pending {
  type: WorkerRequestType;
  resolve(value: WorkerReplyMap[WorkerRequestType]): void;
  reject(error: Error): void;
  timer: ReturnType<typeof setTimeout>;
}

export class WorkerRequestError extends Error {
  constructor(readonly request: WorkerRequestType, message: string) {
    super(`${request}: ${message}`);
    this.name = 'WorkerRequestError';
  }
}

export const REQUEST_TIMEOUT_MS = 20_000;

export class EngineClient {
  readonly frames: FrameLoop;
  private readonly pending = new Map<number, Pending>();
  private nextReqId = 1;
  private closed = false;

  constructor(
    private readonly port: WorkerPort,
    private readonly events: EngineEvents,
    scheduler: FrameScheduler,
  ) {
    this.frames = new FrameLoop(scheduler, () => {
      this.request('refresh', {}).catch(() => undefined);
    });
    port.listen(
      (m) => this.onMessage(m, scheduler.now()),
      (message) => this.onWorkerError(message),
    );
    this.frames.start();
  }

  request<K extends WorkerRequestType>(type: K, body: RequestBody<K>): Promise<WorkerReplyMap[K]> {
    if (this.closed) return Promise.reject(new WorkerRequestError(type, 'the engine client is closed'));
    const reqId = this.nextReqId++;
    return new Promise<WorkerReplyMap[K]>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(reqId);
        reject(new WorkerRequestError(type, `no reply within ${REQUEST_TIMEOUT_MS / 1000} s`));
      }, REQUEST_TIMEOUT_MS);
      this.pending.set(reqId, {
        type,
        resolve: resolve as (value: WorkerReplyMap[WorkerRequestType]) => void,
        reject,
        timer,
      });
      this.port.post({ ...body, type, reqId } as RequestOf<K>);
    });
  }

  onRender(listener: RenderListener): () => void {
    return this.frames.subscribe(listener);
  }

  lastFrame(): RenderFrame | null {
    return this.frames.latest;
  }

  close(): void {
    this.closed = true;
    this.frames.stop();
    this.failAll('the engine client was closed');
    this.port.terminate();
  }

  private onMessage(m: WorkerMessage, now: number): void {
    switch (m.type) {
      case 'reply': {
        const p = this.pending.get(m.reqId);
        if (!p) return;
        this.pending.delete(m.reqId);
        clearTimeout(p.timer);
        if (m.ok && m.request === p.type) p.resolve(m.result);
        else if (m.ok) p.reject(new WorkerRequestError(p.type, `reply was for "${m.request}"`));
        else p.reject(new WorkerRequestError(p.type, m.error));
        return;
      }
      case 'status':
        return this.events.status(m.status);
      case 'instruments':
        return this.events.instruments(m.server, m.instruments);
      case 'notice':
        return this.events.notice(m.notice);
      case 'render':
        return this.frames.push(toRenderFrame(m.snapshot, now));
    }
  }

  private onWorkerError(message: string): void {
    this.events.notice({ level: 'error', code: 'engine', message: `Market-data worker failed: ${message}`, ts: Date.now() });
    this.events.status({ state: 'disconnected', reason: 'the market-data worker stopped', code: null });
    this.failAll(message);
  }

  private failAll(message: string): void {
    for (const [id, p] of this.pending) {
      clearTimeout(p.timer);
      p.reject(new WorkerRequestError(p.type, message));
      this.pending.delete(id);
    }
  }
}
