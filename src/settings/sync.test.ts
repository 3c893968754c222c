import { describe, expect, it } from 'vitest';
import type { InstrumentInfo } from '../protocol/messages';
import { createAppStore } from '../state';
import { ManualClock } from '../testing/workerFakes';
import { WorkspaceApi, type Fetch } from './api';
import { startWorkspaceSync } from './sync';

const BTC: InstrumentInfo = { id: 1, symbol: 'BTC-USD', venue: 'sim', tickSize: '0.1', lotSize: '0.001', priceDecimals: 1, qtyDecimals: 3 };
const ETH: InstrumentInfo = { ...BTC, id: 2, symbol: 'ETH-USD' };
const SAVED = { name: 'w', savedAt: '2024-05-01T10:00:00.000Z',
  workspace: { instrument: 'ETH-USD', theme: 'light', panels: { ladder: 0.35 }, grouping: 5 } };

const json = (status: number, body: unknown): Response =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

const settle = async (): Promise<void> => {
  for (let i = 0; i < 20; i++) await Promise.resolve();
};

function rig(replies: Array<() => Response>): { clock: ManualClock; requests: Array<[string, string]>; fetchFn: Fetch } {
  const requests: Array<[string, string]> = [];
  const fetchFn: Fetch = async (input, init) => {
    requests.push([init?.method ?? 'GET', input]);
    const next = replies.shift();
    if (!next) throw new TypeError('no more replies');
    return next();
  };
  return { clock: new ManualClock(), requests, fetchFn };
}

describe('workspace sync', () => {
  it('retries a load while Redis is down, then applies the saved workspace without saving it back', async () => {
    const r = rig([
      () => json(503, { error: 'redis_unavailable', message: 'down', retryable: true }),
      () => json(200, SAVED),
    ]);
    const store = createAppStore('w');
    const sync = startWorkspaceSync(store, new WorkspaceApi(r.fetchFn), { timers: r.clock, random: () => 0.5 });
    await settle();
    expect(store.getState().save).toEqual({ state: 'error', message: 'Not loaded: Redis unavailable — retrying', retrying: true });
    r.clock.advance(1000);
    await sync.ready;
    store.getState().setInstruments('srv', [BTC, ETH]);
    const s = store.getState();
    expect([s.selected, s.theme, s.grouping, s.panels.ladder]).toEqual(['ETH-USD', 'light', 5, 0.35]);
    expect(s.save).toEqual({ state: 'saved', savedAt: SAVED.savedAt });
    r.clock.advance(5000);
    await settle();
    expect(r.requests.map((q) => q[0])).toEqual(['GET', 'GET']);
    sync.stop();
  });

  it('starts from defaults on 404 and saves the first real change', async () => {
    const r = rig([() => json(404, { error: 'not_found', message: 'none' }), () => json(200, { ...SAVED, workspace: {
      instrument: 'BTC-USD', theme: 'light', panels: { ladder: 0.3, chart: 0.48, tape: 0.22 }, grouping: 1 } })]);
    const store = createAppStore('w');
    const sync = startWorkspaceSync(store, new WorkspaceApi(r.fetchFn), { timers: r.clock });
    await sync.ready;
    store.getState().setInstruments('srv', [BTC, ETH]);
    expect(store.getState().save).toEqual({ state: 'defaults' });
    r.clock.advance(1000);
    await settle();
    expect(r.requests.length).toBe(1);
    store.getState().toggleTheme();
    expect(store.getState().save).toEqual({ state: 'saving' });
    r.clock.advance(300);
    await settle();
    expect(r.requests[1]).toEqual(['PUT', '/api/workspace/w']);
    expect(store.getState().save).toMatchObject({ state: 'saved' });
    sync.stop();
  });

  it('after giving up on a load, keeps the server copy until the user changes something', async () => {
    const down = (): Response => json(503, { error: 'redis_unavailable', message: 'down', retryable: true });
    const r = rig([down, down]);
    const store = createAppStore('w');
    const sync = startWorkspaceSync(store, new WorkspaceApi(r.fetchFn), { timers: r.clock, loadAttempts: 2 });
    await settle();
    r.clock.advance(5000);
    await sync.ready;
    store.getState().setInstruments('srv', [BTC]);
    r.clock.advance(5000);
    await settle();
    expect(r.requests.map((q) => q[0])).toEqual(['GET', 'GET']);
    expect(store.getState().notices.at(-1)?.message).toMatch(/could not be loaded \(Redis unavailable\); using defaults/);
    sync.stop();
  });
});
