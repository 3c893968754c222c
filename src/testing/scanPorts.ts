/**
 * Test double for the scan pool: a port to an in-process scan worker (the real ScanWorkerCore) whose messages
 * cross asynchronously, as they would between threads. Used only by *.test.ts files.
 */
import type { ScanReply, ScanRequest } from '../protocol/scan';
import type { ScanKernel } from '../scan/kernel';
import type { ScanPort } from '../scan/pool';
import { ScanWorkerCore } from '../scan/workerCore';

export interface TestPort extends ScanPort {
  terminated: boolean;
  received: ScanRequest[];
}

const later = (fn: () => void): void => void setTimeout(fn, 0);

/**
 * `kernel` is called when the worker "loads": a kernel, or an Error for an engine that fails to load.
 * `stuck`: the worker never gets to read its messages (a chunk that runs on).
 */
export function inProcessPort(kernel: () => ScanKernel | Error, opts: { stuck?: boolean } = {}): TestPort {
  let deliver: (m: ScanReply) => void = () => undefined;
  const port: TestPort = {
    terminated: false,
    received: [],
    post: (m) => {
      port.received.push(m);
      if (!opts.stuck) later(() => !port.terminated && core.handle(m));
    },
    listen: (onMessage) => {
      deliver = onMessage;
    },
    terminate: () => {
      port.terminated = true;
    },
  };
  const core = new ScanWorkerCore({
    post: (m) => later(() => !port.terminated && deliver(m)),
    schedule: later,
    now: () => performance.now(),
  });
  later(() => {
    const got = kernel();
    if (got instanceof Error) core.loadFailed(got);
    else core.loaded(got);
  });
  return port;
}
