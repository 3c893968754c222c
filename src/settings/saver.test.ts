import { describe, expect, it } from 'vitest';
import type { SavedWorkspace, WorkspaceSettings } from '../protocol/messages';
import type { SaveStatus } from '../state';
import { ManualClock } from '../testing/workerFakes';
import type { ApiFailure, ApiResult } from './api';
import { WorkspaceSaver } from './saver';

const base: WorkspaceSettings = { instrument: 'BTC-USD', theme: 'dark', panels: { ladder: 0.3 }, grouping: 1 };
const REDIS_DOWN: ApiFailure = { status: 503, code: 'redis_unavailable', message: 'Redis unavailable', retryable: true,
  retryAfterMs: 1000, issues: [] };
const INVALID: ApiFailure = { status: 400, code: 'invalid_body', message: 'invalid body', retryable: false, retryAfterMs: null,
  issues: [{ path: '$.instrument', value: 'BTC USD', reason: 'bad symbol' }] };

/** Lets awaited promises run. */
const settle = async (): Promise<void> => {
  for (let i = 0; i < 10; i++) await Promise.resolve();
};

function rig(replies: Array<ApiResult<SavedWorkspace> | 'hang'>): {
  clock: ManualClock; saver: WorkspaceSaver; sent: WorkspaceSettings[]; statuses: SaveStatus[]; release: () => void;
} {
  const clock = new ManualClock();
  const sent: WorkspaceSettings[] = [];
  const statuses: SaveStatus[] = [];
  let release = (): void => undefined;
  const saver = new WorkspaceSaver({
    save: (ws) => {
      sent.push(ws);
      const next = replies.shift() ?? { ok: true, value: { name: 'w', savedAt: `t${sent.length}`, workspace: ws } };
      if (next === 'hang') {
        return new Promise((resolve) => {
          release = () => resolve({ ok: true, value: { name: 'w', savedAt: `t${sent.length}`, workspace: ws } });
        });
      }
      return Promise.resolve(next);
    },
    setStatus: (s) => statuses.push(s),
    timers: clock,
    random: () => 0.5,
  });
  saver.baseline(base, { state: 'saved', savedAt: 't0' });
  return { clock, saver, sent, statuses, release: () => release() };
}

describe('workspace saver', () => {
  it('debounces a burst of changes into one PUT of the latest state', async () => {
    const r = rig([]);
    r.saver.change({ ...base, theme: 'light' });
    r.clock.advance(100);
    r.saver.change({ ...base, theme: 'light', grouping: 5 });
    r.clock.advance(299);
    expect(r.sent).toEqual([]);
    expect(r.statuses.at(-1)).toEqual({ state: 'saving' });
    r.clock.advance(1);
    await settle();
    expect(r.sent).toEqual([{ ...base, theme: 'light', grouping: 5 }]);
    expect(r.statuses.at(-1)).toEqual({ state: 'saved', savedAt: 't1' });
    expect(r.saver.dirty).toBe(false);
  });

  it('sends nothing when a change is undone before the debounce ends', async () => {
    const r = rig([]);
    r.saver.change({ ...base, theme: 'light' });
    r.saver.change(base);
    r.clock.advance(1000);
    await settle();
    expect(r.sent).toEqual([]);
    expect(r.statuses.at(-1)).toEqual({ state: 'saved', savedAt: 't0' });
  });

  it('retries while Redis is down, with backoff no shorter than Retry-After, until it succeeds', async () => {
    const down = { ok: false as const, error: REDIS_DOWN };
    const r = rig([down, down, down]);
    r.saver.change({ ...base, theme: 'light' });
    r.clock.advance(300);
    await settle();
    expect(r.statuses.at(-1)).toEqual({ state: 'error', message: 'Not saved: Redis unavailable — retrying', retrying: true });
    const times: number[] = [];
    for (let i = 0; i < 3; i++) {
      const before = r.sent.length;
      const start = r.clock.t;
      while (r.sent.length === before) {
        r.clock.advance(50);
        await settle();
      }
      times.push(r.clock.t - start);
    }
    // Retry-After: 1 s dominates the first delays; then backoff (500 · 2^n, 75 % with this jitter) takes over.
    expect(times).toEqual([1000, 1000, 1500]);
    expect(r.sent.length).toBe(4);
    expect(r.statuses.at(-1)).toEqual({ state: 'saved', savedAt: 't4' });
  });

  it('does not drop a change made while a save is in flight', async () => {
    const r = rig(['hang']);
    r.saver.change({ ...base, theme: 'light' });
    r.clock.advance(300);
    await settle();
    r.saver.change({ ...base, theme: 'light', grouping: 10 });
    r.clock.advance(300);
    await settle();
    expect(r.sent.length).toBe(1);
    r.release();
    await settle();
    r.clock.advance(0);
    await settle();
    expect(r.sent.map((w) => w.grouping)).toEqual([1, 10]);
    expect(r.statuses.at(-1)).toEqual({ state: 'saved', savedAt: 't2' });
  });

  it('reports a refused change readably and does not retry it', async () => {
    const r = rig([{ ok: false, error: INVALID }]);
    r.saver.change({ ...base, theme: 'light' });
    r.clock.advance(300);
    await settle();
    r.clock.advance(60_000);
    await settle();
    expect(r.sent.length).toBe(1);
    expect(r.statuses.at(-1)).toEqual({ state: 'error', retrying: false,
      message: 'Not saved: $.instrument: bad symbol (got "BTC USD")' });
  });

  it('checks a change before sending it', async () => {
    const r = rig([]);
    r.saver.change({ ...base, theme: 'sepia' as WorkspaceSettings['theme'] });
    r.clock.advance(1000);
    await settle();
    expect(r.sent).toEqual([]);
    expect(r.statuses.at(-1)).toMatchObject({ state: 'error', message: expect.stringContaining('$.theme') as string });
  });
});
