/**
 * The options worker: loads the wasm engine and answers pricing requests (src/protocol/options.ts). Quotes are
 * answered as they arrive; curves, strategy P&L and heatmaps run as sliced jobs (jobs.ts) so a quote waits at
 * most one slice.
 */
import type { OptionsMessage, OptionsRequest, OptionsRequestType } from '../protocol/options';
import { curvesJob, heatmapJob, strategyJob } from './handlers';
import { JobRunner, type JobBody } from './jobs';
import { quote, type PricingEngine } from './pricing';
import { loadPricingEngine } from './wasm';

interface WorkerScope {
  postMessage(message: OptionsMessage, transfer: Transferable[]): void;
  addEventListener(type: 'message', listener: (e: MessageEvent<OptionsRequest>) => void): void;
}

const scope = globalThis as unknown as WorkerScope;
const post = (m: OptionsMessage, transfer: ArrayBuffer[] = []): void => scope.postMessage(m, transfer);

const channel = new MessageChannel();
const deferred: Array<() => void> = [];
channel.port1.onmessage = () => deferred.shift()?.();
const runner = new JobRunner({
  now: () => performance.now(),
  defer: (fn) => {
    deferred.push(fn);
    channel.port2.postMessage(0);
  },
});

let engine: PricingEngine | null = null;
let failure: string | null = null;
const early: OptionsRequest[] = [];

const fail = (reqId: number, request: OptionsRequestType, error: string, superseded = false): void =>
  post({ type: 'reply', reqId, request, ok: false, error, superseded });

function buffersOf(result: object): ArrayBuffer[] {
  return Object.values(result).filter((v): v is ArrayBuffer => v instanceof ArrayBuffer);
}

type JobRequest = Extract<OptionsRequest, { type: 'curves' | 'strategy' | 'heatmap' }>;

function submit(req: JobRequest, body: JobBody<object>): void {
  runner.submit(`${req.type}:${req.channel}`, req.reqId, body, {
    done: (result) => post({ type: 'reply', reqId: req.reqId, request: req.type, ok: true, result } as OptionsMessage,
      buffersOf(result)),
    fail: (error, superseded) => fail(req.reqId, req.type, error, superseded),
    progress: (done, total) => post({ type: 'progress', reqId: req.reqId, done, total }),
  });
}

function handle(e: PricingEngine, req: OptionsRequest): void {
  try {
    switch (req.type) {
      case 'quote':
        post({ type: 'reply', reqId: req.reqId, request: 'quote', ok: true, result: quote(e, req.inputs) });
        return;
      case 'curves':
        return submit(req, curvesJob(e, req.inputs, req.points));
      case 'strategy':
        return submit(req, strategyJob(e, req));
      case 'heatmap':
        return submit(req, heatmapJob(e, req));
    }
  } catch (err) {
    fail(req.reqId, req.type, err instanceof Error ? err.message : String(err));
  }
}

loadPricingEngine().then(
  ({ engine: loaded, version }) => {
    engine = loaded;
    post({ type: 'ready', engineVersion: version });
    for (const r of early.splice(0)) handle(loaded, r);
  },
  (err: unknown) => {
    failure = `Could not load the wasm engine: ${err instanceof Error ? err.message : String(err)}`;
    post({ type: 'failed', error: failure });
    for (const r of early.splice(0)) fail(r.reqId, r.type, failure);
  },
);

scope.addEventListener('message', (ev) => {
  const req = ev.data;
  if (engine) handle(engine, req);
  else if (failure) fail(req.reqId, req.type, failure);
  else early.push(req);
});
