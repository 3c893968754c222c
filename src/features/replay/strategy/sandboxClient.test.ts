import { describe, expect, it } from 'vitest';
import type { SandboxReply, SandboxRequest, StrategyEvent } from './api';
import { StrategyHost } from './host';
import { SandboxClient, type SandboxPort, type Timers } from './sandboxClient';

const META = { priceDecimals: 2, qtyDecimals: 0 };
const BOOK: StrategyEvent = { kind: 'book', ts: 5, bids: Float64Array.from([100, 1]), asks: Float64Array.from([101, 1]) };

/** A worker stand-in running a real StrategyHost; `hang` makes it stop answering, like a worker stuck in a loop. */
class FakeSandbox implements SandboxPort {
  readonly host = new StrategyHost();
  readonly posted: SandboxRequest[] = [];
  terminated = false;
  hang = false;
  /** Never reports ready (a worker whose script does not load). */
  silent = false;
  private onMessage: ((m: SandboxReply) => void) | null = null;
  onError: ((message: string) => void) | null = null;

  post(m: SandboxRequest): void {
    this.posted.push(m);
    if (this.hang || this.terminated) return;
    queueMicrotask(() => {
      if (this.terminated) return;
      if (m.type === 'load') {
        const r = this.host.load(m.source, m.params, m.meta);
        const logs = this.host.takeLogs();
        this.onMessage?.(r.ok ? { type: 'loaded', reqId: m.reqId, ok: true, callbacks: r.callbacks, logs } : { type: 'loaded', reqId: m.reqId, ok: false, error: r.error, logs });
      } else {
        const r = this.host.dispatch(m.events, m.state);
        const reply: SandboxReply = { type: 'result', reqId: m.reqId, batches: r.batches, logs: this.host.takeLogs() };
        if (r.error) reply.error = r.error;
        this.onMessage?.(reply);
      }
    });
  }

  listen(onMessage: (m: SandboxReply) => void, onError: (message: string) => void): void {
    this.onMessage = onMessage;
    this.onError = onError;
    if (!this.silent) queueMicrotask(() => this.onMessage?.({ type: 'ready' }));
  }

  terminate(): void {
    this.terminated = true;
  }
}

/** Timers fired by the test, never by the clock. */
class ManualTimers implements Timers {
  private next = 1;
  readonly live = new Map<number, { fn: () => void; ms: number }>();
  set(fn: () => void, ms: number): unknown {
    const id = this.next++;
    this.live.set(id, { fn, ms });
    return id;
  }
  clear(handle: unknown): void {
    this.live.delete(handle as number);
  }
  fireAll(): void {
    const due = [...this.live.values()];
    this.live.clear();
    for (const t of due) t.fn();
  }
}

function setup(budgetMs?: number) {
  const ports: FakeSandbox[] = [];
  const timers = new ManualTimers();
  const next = { hang: false, silent: false };
  const client = new SandboxClient({
    ...(budgetMs === undefined ? {} : { budgetMs }),
    timers,
    createPort: () => {
      const p = new FakeSandbox();
      p.hang = next.hang;
      p.silent = next.silent;
      ports.push(p);
      return p;
    },
  });
  return { client, ports, timers, next };
}

const flush = async (): Promise<void> => {
  for (let i = 0; i < 5; i++) await Promise.resolve();
};

describe('SandboxClient', () => {
  it('loads a strategy and returns a command batch per event', async () => {
    const { client, timers } = setup();
    const loaded = await client.load('function onBook(ctx, book) { ctx.buy(book.bids[0][0], 2); }', {}, META);
    expect(loaded).toEqual({ ok: true, callbacks: ['onBook'], logs: [] });
    const out = await client.dispatch([BOOK, BOOK]);
    expect(out.error).toBeUndefined();
    expect(out.batches.map((b) => Array.from(b))).toEqual([[1, 0, 100, 2, 0, 1], [1, 0, 100, 2, 0, 2]]);
    expect(timers.live.size).toBe(0);
  });

  it('stops a strategy that overruns its budget, names the callback, and restarts cleanly', async () => {
    const { client, ports, timers } = setup(100);
    expect((await client.load('function onBook() { for (;;) {} }', {}, META)).ok).toBe(true);
    const port = ports[0] as FakeSandbox;
    port.hang = true;
    const pending = client.dispatch([BOOK]);
    await flush();
    expect([...timers.live.values()].map((t) => t.ms)).toEqual([100]);
    timers.fireAll();
    const out = await pending;
    expect(out.error).toMatchObject({ kind: 'budget', callback: 'onBook' });
    expect(out.error?.message).toBe('strategy exceeded its time budget of 100 ms in onBook (likely an infinite loop); it was stopped');
    expect(port.terminated).toBe(true);
    expect(client.ready).toBe(false);

    const after = await client.dispatch([BOOK]);
    expect(after.error?.message).toBe('no strategy is loaded (load or restart it)');

    const again = await client.restart();
    expect(again.ok).toBe(true);
    expect(ports).toHaveLength(2);
    expect(client.ready).toBe(true);
  });

  it('names every callback of a mixed batch and gives top-level code its own budget', async () => {
    const { client, ports, timers, next } = setup();
    await client.load('function onBook() {}\nfunction onTimer() {}', {}, META);
    (ports[0] as FakeSandbox).hang = true;
    const pending = client.dispatch([BOOK, { kind: 'timer', ts: 6 }]);
    await flush();
    timers.fireAll();
    expect((await pending).error?.message).toBe('strategy exceeded its time budget of 250 ms in onBook/onTimer (likely an infinite loop); it was stopped');

    next.hang = true;
    const load = client.load('while (true) {}\nfunction onBook() {}', {}, META);
    await flush();
    expect(ports[1]?.posted.map((m) => m.type)).toEqual(['load']);
    expect([...timers.live.values()].map((t) => t.ms)).toEqual([2000]);
    timers.fireAll();
    const r = await load;
    expect(!r.ok && r.error.message).toBe('strategy exceeded its time budget of 2000 ms in its top-level code (likely an infinite loop); it was stopped');
  });

  it('sends one request at a time', async () => {
    const { client, ports } = setup();
    await client.load('function onBook(ctx) { ctx.market("buy", 1); }', {}, META);
    const port = ports[0] as FakeSandbox;
    const a = client.dispatch([BOOK]);
    const b = client.dispatch([BOOK]);
    expect(port.posted.filter((m) => m.type === 'events')).toHaveLength(0);
    await a;
    await b;
    expect(port.posted.map((m) => m.type)).toEqual(['load', 'events', 'events']);
  });

  it('passes runtime errors through and reports a crashed sandbox', async () => {
    const { client, ports } = setup();
    await client.load('function onBook(ctx, book) {\n  null.x;\n}', {}, META);
    const out = await client.dispatch([BOOK]);
    expect(out.error).toMatchObject({ kind: 'runtime', callback: 'onBook', line: 2 });
    expect(client.ready).toBe(false);

    await client.restart();
    const port = ports[1] as FakeSandbox;
    port.hang = true;
    const pending = client.dispatch([BOOK]);
    await flush();
    port.onError?.('out of memory');
    expect((await pending).error).toMatchObject({ kind: 'sandbox', message: 'the strategy sandbox failed: out of memory' });
    expect(port.terminated).toBe(true);
  });

  it('reports a sandbox that does not start, without counting its start-up against the budget', async () => {
    const { client, ports, timers, next } = setup();
    next.silent = true;
    const load = client.load('function onBook() {}', {}, META);
    await flush();
    expect(ports[0]?.posted).toEqual([]);
    expect([...timers.live.values()].map((t) => t.ms)).toEqual([15_000]);
    timers.fireAll();
    const r = await load;
    expect(!r.ok && r.error).toMatchObject({ kind: 'sandbox', message: 'the strategy sandbox did not start within 15000 ms' });
    expect(ports[0]?.terminated).toBe(true);

    const failed = client.load('function onBook() {}', {}, META);
    await flush();
    ports[1]?.onError?.('the strategy sandbox failed to load');
    const f = await failed;
    expect(!f.ok && f.error.message).toBe('the strategy sandbox failed: the strategy sandbox failed to load');
  });

  it('rejects a budget that is not a positive number', () => {
    expect(() => new SandboxClient({ budgetMs: 0 })).toThrow('budgetMs 0 is not a positive number of ms');
  });
});
