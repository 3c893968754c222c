// A SandboxClient port over a Node worker thread (cli/src/strategy/worker.ts).
import { Worker } from 'node:worker_threads';
import type { SandboxReply } from '../../../src/features/replay/strategy/api.js';
import { SandboxClient, type SandboxPort } from '../../../src/features/replay/strategy/sandboxClient.js';

function nodePort(): SandboxPort {
  const worker = new Worker(new URL('./worker.js', import.meta.url));
  return {
    post: (m) => worker.postMessage(m),
    listen(onMessage, onError) {
      worker.on('message', (m: SandboxReply) => onMessage(m));
      worker.on('error', (e) => onError(e.message));
      worker.on('exit', (code) => {
        if (code !== 0) onError(`the strategy worker exited with code ${code}`);
      });
    },
    terminate: () => void worker.terminate(),
  };
}

export function nodeSandbox(budgetMs?: number): SandboxClient {
  return new SandboxClient({ createPort: nodePort, ...(budgetMs ? { budgetMs } : {}) });
}
