/**
 * Scan worker entry: one wasm instance per worker, chunks priced in arrival order, results transferred back.
 * Between chunks it yields to the event loop through a MessageChannel (no timer clamping), so a `cancel` that
 * arrived while a chunk was being priced is handled before the next one starts.
 */
import type { ScanReply, ScanRequest } from '../protocol/scan';
import { loadScanWasm } from './kernel';
import { ScanWorkerCore } from './workerCore';

interface WorkerScope {
  postMessage(message: ScanReply, transfer: Transferable[]): void;
  addEventListener(type: 'message', listener: (e: MessageEvent<ScanRequest>) => void): void;
}

const scope = globalThis as unknown as WorkerScope;
const tasks: Array<() => void> = [];
const channel = new MessageChannel();
channel.port1.onmessage = () => tasks.shift()?.();

const core = new ScanWorkerCore({
  post: (message, transfer) => scope.postMessage(message, transfer),
  schedule: (fn) => {
    tasks.push(fn);
    channel.port2.postMessage(null);
  },
  now: () => performance.now(),
});

scope.addEventListener('message', (e) => core.handle(e.data));
loadScanWasm().then(
  (kernel) => core.loaded(kernel),
  (err: unknown) => core.loadFailed(err),
);
