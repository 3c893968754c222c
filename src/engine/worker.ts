/** The application's one `new Worker`: the market-data worker (src/worker/worker.ts) as an ES module worker. */
import type { WorkerMessage, WorkerRequest } from '../protocol/worker';
import type { WorkerPort } from './client';

export function createWorkerPort(): WorkerPort {
  const worker = new Worker(new URL('../worker/worker.ts', import.meta.url), { type: 'module', name: 'ferrodesk-market' });
  return {
    post: (message: WorkerRequest) => worker.postMessage(message),
    listen(onMessage, onError) {
      worker.addEventListener('message', (e: MessageEvent<WorkerMessage>) => onMessage(e.data));
      worker.addEventListener('messageerror', () => onError('a message from the worker could not be read'));
      worker.addEventListener('error', (e: ErrorEvent) => {
        e.preventDefault();
        onError(e.message || 'the worker script failed to load');
      });
    },
    terminate: () => worker.terminate(),
  };
}

/** `ws(s)://<host>/ws?v=1` for the page's own origin. */
export function marketSocketUrl(loc: Pick<Location, 'protocol' | 'host'>): string {
  const scheme = loc.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${loc.host}/ws?v=1`;
}
