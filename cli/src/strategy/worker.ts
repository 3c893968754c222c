// The CLI's strategy sandbox: a worker thread hosting one StrategyHost, speaking the same messages as the
// browser's sandbox worker (src/features/replay/strategy/api.ts). The parent's SandboxClient gives each request
// a time budget and terminates this thread when a callback never returns.
import { parentPort } from 'node:worker_threads';
import type { SandboxReply, SandboxRequest, StrategyMeta } from '../../../src/features/replay/strategy/api.js';
import { StrategyHost, wrapperLineOffset } from '../../../src/features/replay/strategy/host.js';

const port = parentPort;
if (!port) throw new Error('cli/src/strategy/worker.ts runs as a worker thread');
const host = new StrategyHost();

function post(m: SandboxReply): void {
  port?.postMessage(m);
}

port.on('message', (data: unknown) => {
  const req = data as Partial<SandboxRequest> | null;
  const reqId = req && typeof req.reqId === 'number' ? req.reqId : -1;
  if (req?.type === 'load') {
    const r = host.load(req.source as string, req.params as Record<string, unknown>, req.meta as StrategyMeta);
    const logs = host.takeLogs();
    post(r.ok ? { type: 'loaded', reqId, ok: true, callbacks: r.callbacks, logs }
      : { type: 'loaded', reqId, ok: false, error: r.error, logs });
    return;
  }
  if (req?.type === 'events' && Array.isArray(req.events)) {
    const r = host.dispatch(req.events, req.state);
    const reply: SandboxReply = { type: 'result', reqId, batches: r.batches, logs: host.takeLogs() };
    if (r.error) reply.error = r.error;
    post(reply);
    return;
  }
  const why = `request ${JSON.stringify(req?.type)} is not "load" or "events"`;
  post({ type: 'result', reqId, batches: [], logs: [], error: { kind: 'sandbox', message: why, detail: why } });
});

wrapperLineOffset();
post({ type: 'ready' });
