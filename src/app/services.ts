/**
 * Wires the application together outside React: the store, the engine client (and through it the worker),
 * workspace persistence, the document theme, and the test API. React components only read the store and
 * subscribe to render snapshots.
 */
import { EngineClient } from '../engine/client';
import { createWorkerPort, marketSocketUrl } from '../engine/worker';
import type { ViewConfig } from '../protocol/worker';
import { WorkspaceApi } from '../settings/api';
import { startWorkspaceSync, type WorkspaceSync } from '../settings/sync';
import { workspaceNameFrom } from '../settings/validate';
import { createAppStore, watch, type AppState, type AppStore } from '../state';
import { createTestApi } from '../debug/testApi';

export interface Services {
  store: AppStore;
  engine: EngineClient;
  sync: WorkspaceSync;
  dispose(): void;
}

const viewOf = (s: AppState): ViewConfig => ({ depth: s.depth, grouping: s.grouping, candleSec: s.candleSec });
const sameView = (a: ViewConfig, b: ViewConfig): boolean =>
  a.depth === b.depth && a.grouping === b.grouping && a.candleSec === b.candleSec;

export function applyTheme(root: HTMLElement, theme: AppState['theme']): void {
  root.dataset.theme = theme;
}

export function createServices(win: Window): Services {
  const { name, invalid } = workspaceNameFrom(win.location.search);
  const store = createAppStore(name);
  const say = (level: 'info' | 'warn' | 'error', message: string): void =>
    store.getState().pushNotice({ level, source: 'app', message, ts: Date.now() });
  if (invalid !== null) {
    say('warn', `Workspace name "${invalid}" is not valid (1–64 of A-Z a-z 0-9 _ -); using "default"`);
  }

  const engine = new EngineClient(
    createWorkerPort(),
    {
      status: (status) => store.getState().setConnection(status),
      instruments: (server, list) => store.getState().setInstruments(server, list),
      notice: (n) => store.getState().pushNotice({ level: n.level, source: n.code, message: n.message, ts: n.ts }),
    },
    { request: (cb) => win.requestAnimationFrame(cb), now: () => win.performance.now() },
  );

  const root = win.document.documentElement;
  applyTheme(root, store.getState().theme);
  const unsubs = [
    watch(store, (s) => s.theme, (theme) => applyTheme(root, theme)),
    watch(store, (s) => s.selected, (symbol) => {
      if (symbol === null) return;
      engine.request('select', { symbol }).catch((err: unknown) => {
        say('error', `Could not show ${symbol}: ${err instanceof Error ? err.message : String(err)}`);
      });
    }),
    watch(store, viewOf, (view) => {
      engine.request('view', { view }).catch((err: unknown) => {
        say('error', `Could not apply the ladder settings: ${err instanceof Error ? err.message : String(err)}`);
      });
    }, sameView),
  ];

  engine
    .request('start', { url: marketSocketUrl(win.location), view: viewOf(store.getState()) })
    .then(({ engineVersion }) => store.getState().setEngineVersion(engineVersion))
    .catch((err: unknown) => say('error', err instanceof Error ? err.message : String(err)));

  const sync = startWorkspaceSync(store, new WorkspaceApi((input, init) => win.fetch(input, init)), {
    timers: {
      setTimeout: (fn, ms) => win.setTimeout(fn, ms),
      clearTimeout: (id) => win.clearTimeout(id),
    },
  });
  const onHide = (): void => sync.saver.flushOnExit();
  win.addEventListener('pagehide', onHide);

  win.__ferrodesk = createTestApi(store, engine);

  return {
    store,
    engine,
    sync,
    dispose: () => {
      win.removeEventListener('pagehide', onHide);
      for (const u of unsubs) u();
      sync.stop();
      engine.close();
      delete win.__ferrodesk;
    },
  };
}
