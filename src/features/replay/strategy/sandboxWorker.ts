/**
 * The strategy sandbox: a dedicated worker that hosts one StrategyHost for its parent (the replay worker, via
 * sandboxClient.ts). It keeps private references to what it needs, then locks its own scope (lockdown.ts)
 * before any strategy runs. Messages: `SandboxRequest` in, `SandboxReply` out (api.ts); command batches are
 * transferred. A callback that never returns blocks this worker: the parent's time budget terminates it.
 */
import type { SandboxReply, SandboxRequest, StrategyMeta } from './api';
import { StrategyHost, wrapperLineOffset } from './host';
import { LOCKED_GLOBALS, disableFunctionConstructors, lockGlobals } from './lockdown';

interface SandboxScope {
  postMessage(message: SandboxReply, transfer: Transferable[]): void;
  addEventListener(type: 'message', listener: (e: MessageEvent<unknown>) => void): void;
}

const scope = globalThis as unknown as SandboxScope;
const post = scope.postMessage.bind(scope);
const host = new StrategyHost();

function describe(v: unknown): string {
  return typeof v === 'string' ? JSON.stringify(v) : v === null || typeof v !== 'object' ? String(v) : 'an object';
}

function handle(data: unknown): void {
  const req = data as Partial<SandboxRequest> | null;
  const reqId = req && typeof req.reqId === 'number' ? req.reqId : -1;
  const bad = (why: string): void => {
    post({ type: 'result', reqId, batches: [], logs: [], error: { kind: 'sandbox', message: why, detail: why } }, []);
  };
  if (!req || typeof req !== 'object' || reqId < 0) return bad(`request ${describe(data)} has no numeric reqId`);
  if (req.type === 'load') {
    const r = host.load(req.source as string, req.params as Record<string, unknown>, req.meta as StrategyMeta);
    const logs = host.takeLogs();
    post(r.ok ? { type: 'loaded', reqId, ok: true, callbacks: r.callbacks, logs } : { type: 'loaded', reqId, ok: false, error: r.error, logs }, []);
    return;
  }
  if (req.type === 'events') {
    if (!Array.isArray(req.events)) return bad(`events ${describe(req.events)} is not an array`);
    const r = host.dispatch(req.events, req.state);
    const reply: SandboxReply = { type: 'result', reqId, batches: r.batches, logs: host.takeLogs() };
    if (r.error) reply.error = r.error;
    post(reply, r.batches.map((b) => b.buffer as ArrayBuffer));
    return;
  }
  bad(`request type ${describe(req.type)} is not "load" or "events"`);
}

scope.addEventListener('message', (e) => handle(e.data));
// Measure the wrapper's line offset while the engine is untouched, then lock the scope.
wrapperLineOffset();
lockGlobals(globalThis, LOCKED_GLOBALS);
disableFunctionConstructors();
post({ type: 'ready' }, []);
