/**
 * The one application store (vanilla zustand), composed from typed slices. UI state only: per-tick market data
 * never enters it (the ladder, tape and chart take render snapshots straight from the engine client).
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { WorkspaceSettings } from '../protocol/messages';
import { createConnectionSlice } from './slices/connection';
import { createInstrumentsSlice } from './slices/instruments';
import { createNoticesSlice, createUiSlice } from './slices/notices';
import { createOptionsSlice } from './slices/options';
import { createSettingsSlice } from './slices/settings';
import { createWorkspaceSlice } from './slices/workspace';
import type { AppState } from './types';

export type AppStore = StoreApi<AppState>;

export function createAppStore(workspaceName = 'default'): AppStore {
  return createStore<AppState>()((...a) => ({
    ...createConnectionSlice(...a),
    ...createInstrumentsSlice(...a),
    ...createSettingsSlice(...a),
    ...createWorkspaceSlice(workspaceName)(...a),
    ...createNoticesSlice(...a),
    ...createUiSlice(...a),
    ...createOptionsSlice(...a),
  }));
}

/** What is saved to the server for the workspace; null while there is no instrument to save. */
export function selectWorkspace(s: AppState): WorkspaceSettings | null {
  if (s.selected === null) return null;
  return { instrument: s.selected, theme: s.theme, panels: { ...s.panels }, grouping: s.grouping };
}

/**
 * Calls `listener` whenever `selector`'s result changes (compared with `equals`, `Object.is` by default).
 * The non-React way to follow the store, e.g. to forward settings to the worker.
 */
export function watch<T>(
  store: AppStore,
  selector: (s: AppState) => T,
  listener: (value: T, previous: T) => void,
  equals: (a: T, b: T) => boolean = Object.is,
): () => void {
  let current = selector(store.getState());
  return store.subscribe((state) => {
    const next = selector(state);
    if (equals(next, current)) return;
    const previous = current;
    current = next;
    listener(next, previous);
  });
}
