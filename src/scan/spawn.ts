/**
 * The browser's scan workers: src/scan/scan.worker.ts as ES module workers (Vite bundles it and its wasm).
 * Kept apart from the pool so the pool can be tested in Node with in-process ports.
 */
import type { ScanReply, ScanRequest } from '../protocol/scan';
import { defaultPoolSize, ScanPool, type ScanPort } from './pool';

export function spawnScanWorker(index: number): ScanPort {
  const worker = new Worker(new URL('./scan.worker.ts', import.meta.url), { type: 'module', name: `ferrodesk-scan-${index}` });
  return {
    post: (message: ScanRequest) => worker.postMessage(message),
    listen(onMessage, onError) {
      worker.addEventListener('message', (e: MessageEvent<ScanReply>) => onMessage(e.data));
      worker.addEventListener('messageerror', () => onError('a message from the scan worker could not be read'));
      worker.addEventListener('error', (e: ErrorEvent) => {
        e.preventDefault();
        onError(e.message || 'the scan worker script failed to load');
      });
    },
    terminate: () => worker.terminate(),
  };
}

/** A pool of `size` browser workers (default: one per logical core, at least two). */
export function createScanPool(size = defaultPoolSize(navigator.hardwareConcurrency)): ScanPool {
  return new ScanPool({ size, spawn: spawnScanWorker });
}
