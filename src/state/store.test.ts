import { describe, expect, it } from 'vitest';
import type { InstrumentInfo } from '../protocol/messages';
import { createAppStore, selectWorkspace, watch } from './store';
import { stepPreset } from './defaults';

const inst = (id: number, symbol: string): InstrumentInfo =>
  ({ id, symbol, venue: 'sim', tickSize: '0.1', lotSize: '0.001', priceDecimals: 1, qtyDecimals: 3 });
const BTC = inst(1, 'BTC-USD');
const ETH = inst(2, 'ETH-USD');

describe('instrument selection', () => {
  it('waits for the workspace before choosing, then prefers the saved instrument', () => {
    const store = createAppStore('w');
    store.getState().setInstruments('srv', [BTC, ETH]);
    expect(store.getState().selected).toBeNull();
    store.getState().hydrate({ instrument: 'ETH-USD', theme: 'light', panels: { ladder: 0.4 }, grouping: 10 },
      { state: 'saved', savedAt: '2024-01-01T00:00:00Z' });
    const s = store.getState();
    expect(s.selected).toBe('ETH-USD');
    expect([s.theme, s.grouping, s.panels.ladder, s.panels.chart]).toEqual(['light', 10, 0.4, 0.36]);
  });

  it('uses the saved instrument once the server lists it, when the workspace loaded first', () => {
    const store = createAppStore('w');
    store.getState().hydrate({ instrument: 'ETH-USD', theme: 'dark', panels: {} }, { state: 'saved', savedAt: '' });
    store.getState().setInstruments('srv', [BTC, ETH]);
    expect(store.getState().selected).toBe('ETH-USD');
  });

  it('falls back to the first instrument when the saved one is not streamed', () => {
    const store = createAppStore('w');
    store.getState().hydrate({ instrument: 'XRP-USD', theme: 'dark', panels: {} }, { state: 'saved', savedAt: '' });
    store.getState().setInstruments('srv', [BTC, ETH]);
    expect(store.getState().selected).toBe('BTC-USD');
  });

  it('keeps the current instrument across a reconnect and ignores unknown symbols', () => {
    const store = createAppStore('w');
    store.getState().hydrate(null, { state: 'defaults' });
    store.getState().setInstruments('srv', [BTC, ETH]);
    store.getState().selectIndex(1);
    store.getState().setInstruments('srv', [BTC, ETH]);
    expect(store.getState().selected).toBe('ETH-USD');
    store.getState().select('DOGE-USD');
    store.getState().selectIndex(5);
    expect(store.getState().selected).toBe('ETH-USD');
  });
});

describe('settings slice', () => {
  it('toggles the theme and steps grouping and depth through their presets', () => {
    const store = createAppStore();
    const s = (): ReturnType<typeof store.getState> => store.getState();
    expect(s().theme).toBe('dark');
    s().toggleTheme();
    expect(s().theme).toBe('light');
    s().stepGrouping(1);
    s().stepGrouping(1);
    expect(s().grouping).toBe(5);
    s().stepGrouping(-5);
    expect(s().grouping).toBe(1);
    s().stepDepth(1);
    expect(s().depth).toBe(30);
    s().setDepth(1000);
    expect(s().depth).toBe(200);
    s().setGrouping(0);
    expect(s().grouping).toBe(1);
  });

  it('clamps and rounds panel fractions', () => {
    const store = createAppStore();
    store.getState().setPanels({ ladder: 0.333333333, tape: 7, chart: Number.NaN });
    expect(store.getState().panels).toEqual({ ladder: 0.3333, chart: 0.36, depth: 0.2, tape: 1 });
  });

  it('steps from a value between presets to its neighbours', () => {
    const presets = [1, 2, 5, 10];
    expect(stepPreset(presets, 3, 1)).toBe(5);
    expect(stepPreset(presets, 3, -1)).toBe(2);
    expect(stepPreset(presets, 10, 1)).toBe(10);
    expect(stepPreset(presets, 1, -1)).toBe(1);
  });
});

describe('notices', () => {
  it('merges a repeated message and keeps at most 50', () => {
    const store = createAppStore();
    const push = (message: string): void => store.getState().pushNotice({ level: 'warn', source: 'app', message, ts: 1 });
    push('a');
    push('a');
    expect(store.getState().notices.map((n) => n.message)).toEqual(['a']);
    for (let i = 0; i < 60; i++) push(`m${i}`);
    expect(store.getState().notices.length).toBe(50);
    const last = store.getState().notices.at(-1);
    if (last) store.getState().dismissNotice(last.id);
    expect(store.getState().notices.at(-1)?.message).toBe('m58');
  });
});

describe('persisted workspace and watch', () => {
  it('selects exactly the fields the server stores, and watch fires only on change', () => {
    const store = createAppStore();
    expect(selectWorkspace(store.getState())).toBeNull();
    store.getState().hydrate(null, { state: 'defaults' });
    store.getState().setInstruments('srv', [BTC]);
    expect(selectWorkspace(store.getState())).toEqual({
      instrument: 'BTC-USD', theme: 'dark', panels: { ladder: 0.26, chart: 0.36, depth: 0.2, tape: 0.18 }, grouping: 1 });
    const seen: string[] = [];
    const stop = watch(store, (s) => s.theme, (t) => seen.push(t));
    store.getState().setHelpOpen(true);
    store.getState().toggleTheme();
    store.getState().setTheme('light');
    stop();
    store.getState().toggleTheme();
    expect(seen).toEqual(['light']);
  });
});
