/**
 * The main thread's client of the options worker (src/options-worker/): typed requests with ids resolved as
 * promises, progress for long jobs, and `LatestOnly`, which keeps at most one request of a kind in flight and
 * sends only the newest of those that arrive meanwhile (a slider drag never builds a queue).
 */
import type {
  OptionsMessage, OptionsReplyMap, OptionsRequest, OptionsRequestType,
} from '../protocol/options';

type RequestOf<K extends OptionsRequestType> = Extract<OptionsRequest, { type: K }>;
export type OptionsBody<K extends OptionsRequestType> = Omit<RequestOf<K>, 'type' | 'reqId'>;

export class SupersededError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SupersededError';
  }
}

export interface OptionsPort {
  post(m: OptionsRequest): void;
  listen(onMessage: (m: OptionsMessage) => void, onError: (message: string) => void): void;
  terminate(): void;
}

interface Pending {
  resolve(v: unknown): void;
  reject(e: Error): void;
  progress: ((done: number, total: number) => void) | undefined;
}

export function createOptionsWorkerPort(name: string): OptionsPort {
  const worker = new Worker(new URL('../options-worker/worker.ts', import.meta.url), { type: 'module', name });
  return {
    post: (m) => worker.postMessage(m),
    listen(onMessage, onError) {
      worker.addEventListener('message', (e: MessageEvent<OptionsMessage>) => onMessage(e.data));
      worker.addEventListener('error', (e: ErrorEvent) => {
        e.preventDefault();
        onError(e.message || 'the options worker failed to load');
      });
    },
    terminate: () => worker.terminate(),
  };
}

export class OptionsClient {
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private failure: string | null = null;
  engineVersion: string | null = null;

  constructor(private readonly port: OptionsPort) {
    port.listen((m) => this.onMessage(m), (message) => this.failAll(message));
  }

  request<K extends OptionsRequestType>(type: K, body: OptionsBody<K>,
    progress?: (done: number, total: number) => void): Promise<OptionsReplyMap[K]> {
    if (this.failure) return Promise.reject(new Error(this.failure));
    const reqId = this.nextId++;
    return new Promise<OptionsReplyMap[K]>((resolve, reject) => {
      this.pending.set(reqId, { resolve: resolve as (v: unknown) => void, reject, progress });
      this.port.post({ ...body, type, reqId } as RequestOf<K>);
    });
  }

  close(): void {
    this.failAll('the options worker was closed');
    this.port.terminate();
  }

  private onMessage(m: OptionsMessage): void {
    switch (m.type) {
      case 'ready':
        this.engineVersion = m.engineVersion;
        return;
      case 'failed':
        return this.failAll(m.error);
      case 'progress':
        this.pending.get(m.reqId)?.progress?.(m.done, m.total);
        return;
      case 'reply': {
        const p = this.pending.get(m.reqId);
        if (!p) return;
        this.pending.delete(m.reqId);
        if (m.ok) p.resolve(m.result);
        else p.reject(m.superseded ? new SupersededError(m.error) : new Error(m.error));
      }
    }
  }

  private failAll(message: string): void {
    this.failure = message;
    for (const [id, p] of this.pending) {
      p.reject(new Error(message));
      this.pending.delete(id);
    }
  }
}

/**
 * At most one call in flight; while it runs, only the newest submitted arguments are kept and sent when it
 * settles. Each result goes to `onResult` with the arguments that produced it.
 */
export class LatestOnly<A, R> {
  private busy = false;
  private next: { args: A } | null = null;

  constructor(private readonly call: (args: A) => Promise<R>, private readonly onResult: (r: R, args: A) => void,
    private readonly onError: (e: Error, args: A) => void) {}

  /** True while a call is in flight (including one started for queued arguments). */
  get inFlight(): boolean {
    return this.busy;
  }

  submit(args: A): void {
    if (this.busy) {
      this.next = { args };
      return;
    }
    this.run(args);
  }

  private run(args: A): void {
    this.busy = true;
    this.call(args).then(
      (r) => this.settle(() => this.onResult(r, args)),
      (e: unknown) => this.settle(() => {
        if (!(e instanceof SupersededError)) this.onError(e instanceof Error ? e : new Error(String(e)), args);
      }),
    );
  }

  private settle(report: () => void): void {
    this.busy = false;
    const queued = this.next;
    this.next = null;
    // Newer arguments are waiting: start them before reporting, so the result shown is never older than needed.
    if (queued) this.run(queued.args);
    report();
  }
}

/**
 * The session's two options workers, started on first use (the Options view is the only user): `quotes` answers
 * single quotes and nothing else, so a slider drag never waits behind a curve or heatmap job running in `jobs`.
 */
export interface OptionsClients {
  quotes: OptionsClient;
  jobs: OptionsClient;
}

let shared: OptionsClients | null = null;

export function optionsClients(): OptionsClients {
  shared ??= {
    quotes: new OptionsClient(createOptionsWorkerPort('ferrodesk-options-quotes')),
    jobs: new OptionsClient(createOptionsWorkerPort('ferrodesk-options-jobs')),
  };
  return shared;
}
