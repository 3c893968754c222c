/**
 * The main thread's client of the replay worker (src/replay-worker/): typed requests resolved as promises with
 * progress, and frames delivered once per animation frame through a `FrameLoop` to listeners (the ladder,
 * heatmap, tape and charts paint from them directly, never through React state).
 */
import { FrameLoop, type FrameScheduler } from '../../engine/frameLoop';
import { toRenderFrame, type RenderFrame } from '../../engine/renderFrame';
import type { StrategyError } from './strategy/api';
import type {
  ReplayMessage, ReplayReplyMap, ReplayRequest, ReplayRequestType, ReplayState,
} from '../../protocol/replay';

export interface ReplayPort {
  post(m: ReplayRequest, transfer?: Transferable[]): void;
  listen(onMessage: (m: ReplayMessage) => void, onError: (message: string) => void): void;
  terminate(): void;
}

type RequestOf<K extends ReplayRequestType> = Extract<ReplayRequest, { type: K }>;
export type ReplayBody<K extends ReplayRequestType> = Omit<RequestOf<K>, 'type' | 'reqId'>;
export type Progress = (done: number, total: number, label: string) => void;

interface Pending {
  resolve(v: unknown): void;
  reject(e: Error): void;
  progress: Progress | undefined;
}

export function createReplayWorkerPort(): ReplayPort {
  const worker = new Worker(new URL('../../replay-worker/worker.ts', import.meta.url), { type: 'module', name: 'replay' });
  return {
    post: (m, transfer = []) => worker.postMessage(m, transfer),
    listen(onMessage, onError) {
      worker.addEventListener('message', (e: MessageEvent<ReplayMessage>) => onMessage(e.data));
      worker.addEventListener('error', (e: ErrorEvent) => {
        e.preventDefault();
        onError(e.message || 'the replay worker failed to load');
      });
    },
    terminate: () => worker.terminate(),
  };
}

/** A refused request; `strategyError` when a user strategy failed. */
export class ReplayError extends Error {
  constructor(message: string, readonly strategyError?: StrategyError) {
    super(message);
    this.name = 'ReplayError';
  }
}

export type StateListener = (state: ReplayState) => void;
export type StoppedListener = (reason: string, error: boolean) => void;

export class ReplayClient {
  readonly frames: FrameLoop;
  private readonly pending = new Map<number, Pending>();
  private readonly stateListeners = new Set<StateListener>();
  private readonly stoppedListeners = new Set<StoppedListener>();
  private nextId = 1;
  private failure: string | null = null;
  private latestState: ReplayState | null = null;
  /** Frames received from the worker (the replay benchmark reads it). */
  framesReceived = 0;
  engineVersion: string | null = null;

  constructor(private readonly port: ReplayPort, scheduler: FrameScheduler) {
    this.frames = new FrameLoop(scheduler, () => undefined);
    this.frames.start();
    port.listen((m) => this.onMessage(m, scheduler.now()), (message) => this.failAll(message));
  }

  get state(): ReplayState | null {
    return this.latestState;
  }

  request<K extends ReplayRequestType>(type: K, body: ReplayBody<K>, progress?: Progress):
    Promise<ReplayReplyMap[K]> {
    if (this.failure) return Promise.reject(new Error(this.failure));
    const reqId = this.nextId++;
    return new Promise<ReplayReplyMap[K]>((resolve, reject) => {
      this.pending.set(reqId, { resolve: resolve as (v: unknown) => void, reject, progress });
      this.port.post({ ...body, type, reqId } as RequestOf<K>);
    });
  }

  /** Called with the replay state of every frame (after the frame's views have painted). */
  onState(listener: StateListener): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  onStopped(listener: StoppedListener): () => void {
    this.stoppedListeners.add(listener);
    return () => this.stoppedListeners.delete(listener);
  }

  onRender(listener: (latest: RenderFrame, frames: readonly RenderFrame[]) => void): () => void {
    return this.frames.subscribe(listener);
  }

  close(): void {
    this.frames.stop();
    this.failAll('the replay worker was closed');
    this.port.terminate();
  }

  private onMessage(m: ReplayMessage, now: number): void {
    switch (m.type) {
      case 'ready':
        this.engineVersion = m.engineVersion;
        return;
      case 'failed':
        return this.failAll(m.error);
      case 'progress':
        this.pending.get(m.reqId)?.progress?.(m.done, m.total, m.label);
        return;
      case 'reply': {
        const p = this.pending.get(m.reqId);
        if (!p) return;
        this.pending.delete(m.reqId);
        if (m.ok) p.resolve(m.result);
        else p.reject(new ReplayError(m.error, m.strategyError));
        return;
      }
      case 'frame':
        this.framesReceived += 1;
        this.latestState = m.state;
        this.frames.push(toRenderFrame(m.snapshot, now));
        for (const l of this.stateListeners) l(m.state);
        return;
      case 'stopped':
        for (const l of this.stoppedListeners) l(m.reason, m.error);
        return;
    }
  }

  private failAll(message: string): void {
    this.failure = message;
    for (const [id, p] of this.pending) {
      p.reject(new Error(message));
      this.pending.delete(id);
    }
    for (const l of this.stoppedListeners) l(message, true);
  }
}
