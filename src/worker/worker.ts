/**
 * Web Worker entry: loads the wasm engine, owns the WebSocket, and posts render snapshots to the main thread
 * at most once per animation frame (the worker's own `requestAnimationFrame` where the browser offers it,
 * otherwise a 16 ms timer).
 */
import type { WorkerMessage, WorkerRequest } from '../protocol/worker';
import type { EngineLike } from './engine';
import { normaliseView } from './view';
import { WorkerSession } from './session';
import { browserSocket, MarketSocket, type Clock } from './socket';
import { loadEngine } from './wasm';

/** The parts of the dedicated worker scope used here (the DOM lib types `self` as a Window). */
interface WorkerScope {
  postMessage(message: WorkerMessage, transfer: Transferable[]): void;
  addEventListener(type: 'message', listener: (e: MessageEvent<WorkerRequest>) => void): void;
  requestAnimationFrame?: (cb: (time: number) => void) => number;
}

const scope = globalThis as unknown as WorkerScope;
const post = (message: WorkerMessage, transfer: ArrayBuffer[] = []): void => scope.postMessage(message, transfer);

const clock: Clock = {
  now: () => performance.now(),
  wallNow: () => Date.now(),
  setTimeout: (fn, ms) => self.setTimeout(fn, ms),
  clearTimeout: (id) => self.clearTimeout(id),
  random: () => Math.random(),
};

type StartRequest = Extract<WorkerRequest, { type: 'start' }>;
type SessionRequest = Exclude<WorkerRequest, { type: 'start' }>;

let session: WorkerSession | null = null;
let starting: Promise<void> | null = null;
/** Requests that arrived while the engine was loading; handled in order once it is ready. */
let early: SessionRequest[] = [];
/** Why the engine could not be loaded, once that is known. */
let failure: string | null = null;

let lastTickError = Number.NEGATIVE_INFINITY;

function scheduleFrames(tick: () => void): void {
  const safeTick = (): void => {
    try {
      tick();
    } catch (err) {
      const now = Date.now();
      if (now - lastTickError < 5000) return;
      lastTickError = now;
      const message = `Render failed in the worker: ${err instanceof Error ? err.message : String(err)}`;
      post({ type: 'notice', notice: { level: 'error', code: 'engine', message, ts: now } });
    }
  };
  const raf = scope.requestAnimationFrame?.bind(scope);
  if (raf) {
    const loop = (): void => {
      raf(loop);
      safeTick();
    };
    raf(loop);
  } else {
    self.setInterval(safeTick, 16);
  }
}

function start(req: StartRequest): void {
  const { reqId, url } = req;
  if (starting) {
    post({ type: 'reply', reqId, request: 'start', ok: false, error: 'already started' });
    return;
  }
  starting = loadEngine().then(
    ({ engine, version }: { engine: EngineLike; version: string }) => {
      let current: WorkerSession | null = null;
      const socket = new MarketSocket(browserSocket, clock, {
        status: (status) => post({ type: 'status', status }),
        open: () => undefined,
        text: (text) => current?.onText(text),
        binary: (frame, recvMs) => current?.onBinary(frame, recvMs),
        down: () => current?.onDown(),
      });
      current = new WorkerSession(engine, socket, clock, post, normaliseView(req.view));
      session = current;
      scheduleFrames(() => current?.tick());
      socket.start(url);
      post({ type: 'reply', reqId, request: 'start', ok: true, result: { engineVersion: version } });
      const queued = early;
      early = [];
      for (const r of queued) handle(current, r);
    },
    (err: unknown) => {
      const message = `Could not load the wasm engine: ${err instanceof Error ? err.message : String(err)}`;
      failure = message;
      post({ type: 'notice', notice: { level: 'error', code: 'engine', message, ts: Date.now() } });
      post({ type: 'reply', reqId, request: 'start', ok: false, error: message });
      for (const r of early) post({ type: 'reply', reqId: r.reqId, request: r.type, ok: false, error: message });
      early = [];
    },
  );
}

function handle(target: WorkerSession, req: SessionRequest): void {
  try {
    target.handle(req);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    post({ type: 'reply', reqId: req.reqId, request: req.type, ok: false, error: message });
    post({ type: 'notice', notice: { level: 'error', code: 'engine', message: `Worker error: ${message}`, ts: Date.now() } });
  }
}

scope.addEventListener('message', (e) => {
  const req = e.data;
  if (req.type === 'start') start(req);
  else if (session) handle(session, req);
  else if (failure) post({ type: 'reply', reqId: req.reqId, request: req.type, ok: false, error: failure });
  else if (starting) early.push(req);
  else post({ type: 'reply', reqId: req.reqId, request: req.type, ok: false, error: 'the worker has not been started' });
});
