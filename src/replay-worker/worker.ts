/**
 * The replay worker: loads the wasm engine, holds one `ReplaySession` and answers the requests of
 * src/protocol/replay.ts. Playback ticks run on a timer here, so the main thread only paints.
 */
import type { ReplayMessage, ReplayReplyMap, ReplayRequest, ReplayRequestType } from '../protocol/replay';
import type { RenderSnapshot } from '../protocol/worker';
import { readDatasetFile } from './fileReader';
import { ReplaySession } from './session';
import { loadReplayBackend } from './wasm';

interface WorkerScope {
  postMessage(message: ReplayMessage, transfer: Transferable[]): void;
  addEventListener(type: 'message', listener: (e: MessageEvent<ReplayRequest>) => void): void;
}

/** Milliseconds between playback ticks (about one per display frame). */
const TICK_MS = 16;

const scope = globalThis as unknown as WorkerScope;
const post = (m: ReplayMessage, transfer: Transferable[] = []): void => scope.postMessage(m, transfer);

function snapshotBuffers(s: RenderSnapshot): ArrayBuffer[] {
  return [s.stats, s.levels, s.trades, s.candles, s.heat];
}

let session: ReplaySession | null = null;
let failure: string | null = null;
const early: ReplayRequest[] = [];
let ticking = false;

function schedule(): void {
  if (ticking || !session?.playing) return;
  ticking = true;
  setTimeout(() => {
    ticking = false;
    session?.tick();
    schedule();
  }, TICK_MS);
}

const reply = <K extends ReplayRequestType>(req: Extract<ReplayRequest, { type: K }>, result: ReplayReplyMap[K],
  transfer: Transferable[] = []): void =>
  post({ type: 'reply', reqId: req.reqId, request: req.type, ok: true, result } as ReplayMessage, transfer);

const fail = (req: ReplayRequest, error: string): void =>
  post({ type: 'reply', reqId: req.reqId, request: req.type, ok: false, error });

async function handle(s: ReplaySession, req: ReplayRequest): Promise<void> {
  try {
    const progress = (done: number, total: number, label: string): void =>
      post({ type: 'progress', reqId: req.reqId, done, total, label });
    switch (req.type) {
      case 'load':
        return reply(req, await s.load(req.source, progress));
      case 'run': {
        const result = await s.runAll(req.configJson, progress);
        return reply(req, result, [result.fills, result.equity, result.fillsRaw, result.equityRaw]);
      }
      case 'play':
        s.play();
        schedule();
        return reply(req, { playing: true });
      case 'pause':
        s.pause();
        return reply(req, { playing: false });
      case 'step':
        return reply(req, { index: s.step(req.events) });
      case 'seek': {
        const t0 = performance.now();
        const index = s.seek(req);
        return reply(req, { index, ms: performance.now() - t0 });
      }
      case 'speed':
        return reply(req, { speed: s.setSpeed(req.speed) });
      case 'view':
        return reply(req, { depth: s.setDepth(req.depth) });
    }
  } catch (err) {
    fail(req, err instanceof Error ? err.message : String(err));
  }
}

// Requests run one at a time in arrival order (a seek never interleaves with a load).
let queue: Promise<void> = Promise.resolve();
const enqueue = (s: ReplaySession, req: ReplayRequest): void => {
  queue = queue.then(() => handle(s, req));
};

loadReplayBackend().then(
  (backend) => {
    session = new ReplaySession(backend, readDatasetFile, {
      now: () => performance.now(),
      yield: () => new Promise((res) => setTimeout(res, 0)),
      frame: (snapshot, state) => post({ type: 'frame', snapshot, state }, [...snapshotBuffers(snapshot), state.orders]),
      stopped: (reason, error) => post({ type: 'stopped', reason, error }),
    });
    post({ type: 'ready', engineVersion: backend.version });
    for (const r of early.splice(0)) enqueue(session, r);
  },
  (err: unknown) => {
    failure = `Could not load the wasm engine: ${err instanceof Error ? err.message : String(err)}`;
    post({ type: 'failed', error: failure });
    for (const r of early.splice(0)) fail(r, failure);
  },
);

scope.addEventListener('message', (ev) => {
  const req = ev.data;
  if (session) enqueue(session, req);
  else if (failure) fail(req, failure);
  else early.push(req);
});
