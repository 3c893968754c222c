/**
 * Workspace persistence through the backend: load once at start (retrying while the server says it may
 * succeed later), then save every change of the persisted settings with `WorkspaceSaver`.
 * The server's copy is the source of truth; nothing is kept in localStorage.
 */
import type { WorkspaceSettings } from '../protocol/messages';
import { selectWorkspace, watch, type AppStore, type SaveStatus } from '../state';
import { backoffDelay, type BackoffPolicy } from '../util/backoff';
import type { WorkspaceApi } from './api';
import { WorkspaceSaver, type Timers } from './saver';

export interface SyncOptions {
  timers: Timers;
  /** Load attempts before giving up and starting from defaults. */
  loadAttempts?: number;
  loadRetry?: BackoffPolicy;
  debounceMs?: number;
  random?: () => number;
}

export interface WorkspaceSync {
  saver: WorkspaceSaver;
  /** Resolves once the store is hydrated (from the server, or defaults after giving up). */
  ready: Promise<void>;
  stop(): void;
}

const sameJson = <T>(a: T, b: T): boolean => JSON.stringify(a) === JSON.stringify(b);

export function startWorkspaceSync(store: AppStore, api: WorkspaceApi, opts: SyncOptions): WorkspaceSync {
  const name = store.getState().workspaceName;
  const loadAttempts = opts.loadAttempts ?? 5;
  const loadRetry = opts.loadRetry ?? { baseMs: 500, capMs: 4000 };
  let stopped = false;
  let unwatch: (() => void) | null = null;
  let retryTimer: number | null = null;

  const saver = new WorkspaceSaver({
    save: (ws, o) => api.save(name, ws, o),
    setStatus: (save) => store.getState().setSave(save),
    timers: opts.timers,
    ...(opts.random ? { random: opts.random } : {}),
    ...(opts.debounceMs !== undefined ? { debounceMs: opts.debounceMs } : {}),
  });

  const notice = (level: 'info' | 'warn' | 'error', message: string): void =>
    store.getState().pushNotice({ level, source: 'settings', message, ts: Date.now() });

  /**
   * Follows the persisted settings. The first complete state (once an instrument is chosen) is the baseline,
   * not a change: choosing a default instrument, or keeping the UI's defaults after a failed load, must not
   * overwrite what the server has.
   */
  const begin = (status: SaveStatus): void => {
    const follow = (ws: WorkspaceSettings | null): void => {
      if (!ws) return;
      if (saver.started) saver.change(ws);
      else saver.baseline(ws, status);
    };
    follow(selectWorkspace(store.getState()));
    unwatch = watch(store, selectWorkspace, follow, sameJson);
  };

  const ready = new Promise<void>((resolve) => {
    const attempt = async (n: number): Promise<void> => {
      const result = await api.load(name);
      if (stopped) return resolve();
      if (result.ok) {
        const saved = result.value;
        const status: SaveStatus = saved ? { state: 'saved', savedAt: saved.savedAt } : { state: 'defaults' };
        store.getState().hydrate(saved?.workspace ?? null, status);
        begin(status);
        return resolve();
      }
      const { error } = result;
      if (error.retryable && n + 1 < loadAttempts) {
        const delay = Math.max(error.retryAfterMs ?? 0, backoffDelay(loadRetry, n, opts.random));
        store.getState().setSave({ state: 'error', message: `Not loaded: ${error.message} — retrying`, retrying: true });
        retryTimer = opts.timers.setTimeout(() => {
          retryTimer = null;
          void attempt(n + 1);
        }, delay);
        return;
      }
      notice('error', `Workspace "${name}" could not be loaded (${error.message}); using defaults. ` +
        'Changes will be saved once the server accepts them.');
      const status: SaveStatus = { state: 'error', message: `Not loaded: ${error.message}`, retrying: false };
      store.getState().hydrate(null, status);
      begin(status);
      resolve();
    };
    void attempt(0);
  });

  return {
    saver,
    ready,
    stop: () => {
      stopped = true;
      if (retryTimer !== null) opts.timers.clearTimeout(retryTimer);
      unwatch?.();
      saver.dispose();
    },
  };
}
