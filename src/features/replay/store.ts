/**
 * The replay workspace's state (zustand) and actions. The worker client lives here, created with the view; the
 * per-frame cursor state never enters this store (views read it from the client's listeners), only what React
 * draws: the dataset, the run, progress, errors and a throttled copy of the cursor for the blotter.
 */
import { create } from 'zustand';
import type { DatasetInfo, DatasetSource, ReplayState, RunResult, UserScript } from '../../protocol/replay';
import { ReplayClient, ReplayError, createReplayWorkerPort } from './client';
import type { StrategyError } from './strategy/api';
import { buildConfig, DEFAULT_FORM, formFromParam, formToParam, type BacktestForm } from './form';

export interface Busy {
  what: 'load' | 'run';
  label: string;
  done: number;
  total: number;
}

export interface RunView {
  summary: Record<string, number>;
  fills: Float64Array;
  equity: Float64Array;
  /** The engine's layouts (ns, ticks, lots), for export. */
  fillsRaw: Float64Array;
  equityRaw: Float64Array;
  configJson: string;
  engineVersion: string;
  /** The form that produced it (for saving and comparing). */
  form: BacktestForm;
  elapsedMs: number;
}

export interface ReplayStore {
  engine: 'loading' | 'ready' | 'failed';
  dataset: DatasetInfo | null;
  busy: Busy | null;
  error: string | null;
  form: BacktestForm;
  fieldError: { field: string; error: string } | null;
  run: RunView | null;
  /** The cursor, copied at most a few times a second (blotter, buttons). */
  cursor: ReplayState | null;
  notice: { text: string; error: boolean } | null;
  /** The blotter's tab: fills, orders, runs, code. */
  tab: string;
  /** The last user-strategy failure (the editor marks its line), and the strategy's log. */
  strategyError: StrategyError | null;
  logs: string[];
}

export const useReplayStore = create<ReplayStore>(() => ({
  engine: 'loading',
  dataset: null,
  busy: null,
  error: null,
  form: formFromParam(new URLSearchParams(window.location.search).get('bt')),
  fieldError: null,
  run: null,
  cursor: null,
  notice: null,
  tab: 'fills',
  strategyError: null,
  logs: [],
}));

declare global {
  interface Window {
    /** Read by the replay benchmark (e2e/replay-fps.bench.ts). */
    __ferrodeskReplay?: { framesReceived(): number };
  }
}

let client: ReplayClient | null = null;
let lastCursorCopy = 0;

/** The worker client, created on first use (when the Replay view mounts). */
export function replayClient(): ReplayClient {
  if (client) return client;
  const c = new ReplayClient(createReplayWorkerPort(), {
    request: (cb) => requestAnimationFrame(cb),
    now: () => performance.now(),
  });
  client = c;
  window.__ferrodeskReplay = { framesReceived: () => c.framesReceived };
  void c.request('speed', { speed: 1 }).then(
    () => useReplayStore.setState({ engine: 'ready' }),
    (err: unknown) => useReplayStore.setState({ engine: 'failed', error: messageOf(err) }),
  );
  c.onState((s) => {
    const now = performance.now();
    const prev = useReplayStore.getState().cursor;
    if (!prev || now - lastCursorCopy > 200 || s.playing !== prev.playing || s.seekSerial !== prev.seekSerial) {
      lastCursorCopy = now;
      useReplayStore.setState({ cursor: s });
    }
  });
  c.onStopped((reason, error) => {
    const cur = c.state;
    useReplayStore.setState({
      notice: { text: error ? reason : `Replay stopped: ${reason}`, error },
      cursor: cur ? { ...cur, playing: false } : cur,
    });
  });
  return c;
}

export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export function setForm(patch: Partial<BacktestForm>): void {
  const form = { ...useReplayStore.getState().form, ...patch };
  useReplayStore.setState({ form, fieldError: null });
  const url = new URL(window.location.href);
  const p = formToParam(form);
  if (p) url.searchParams.set('bt', p);
  else url.searchParams.delete('bt');
  window.history.replaceState(window.history.state, '', url);
}

export async function loadDataset(source: DatasetSource): Promise<void> {
  const c = replayClient();
  useReplayStore.setState({ busy: { what: 'load', label: 'loading', done: 0, total: 1 }, error: null, notice: null });
  try {
    const info = await c.request('load', { source }, (done, total, label) =>
      useReplayStore.setState({ busy: { what: 'load', label, done, total } }));
    useReplayStore.setState({ dataset: info, run: null, cursor: null, busy: null });
  } catch (err) {
    useReplayStore.setState({ busy: null, error: messageOf(err) });
  }
}

export async function runBacktest(script?: UserScript): Promise<RunResult | null> {
  const { dataset, form } = useReplayStore.getState();
  if (form.strategy === 'js' && !script) {
    useReplayStore.setState({
      tab: 'code',
      error: 'Your strategy runs from the Strategy code tab: write or pick one there and press Run (Ctrl+Enter).',
    });
    return null;
  }
  if (!dataset) {
    useReplayStore.setState({ error: 'Load a dataset first: drop a file here or pick the sample day.' });
    return null;
  }
  const built = buildConfig(form, dataset);
  if (!built.ok) {
    useReplayStore.setState({ fieldError: { field: built.field, error: built.error } });
    return null;
  }
  const c = replayClient();
  useReplayStore.setState({ busy: { what: 'run', label: 'running', done: 0, total: dataset.events }, error: null,
    notice: null, strategyError: null });
  const t0 = performance.now();
  try {
    const body = form.strategy === 'js' && script ? { configJson: built.json, script } : { configJson: built.json };
    const r = await c.request('run', body, (done, total, label) =>
      useReplayStore.setState({ busy: { what: 'run', label, done, total } }));
    const elapsedMs = performance.now() - t0;
    useReplayStore.setState({
      busy: null,
      run: {
        summary: r.summary, fills: new Float64Array(r.fills), equity: new Float64Array(r.equity),
        fillsRaw: new Float64Array(r.fillsRaw), equityRaw: new Float64Array(r.equityRaw),
        configJson: r.configJson, engineVersion: r.engineVersion, form, elapsedMs,
      },
      logs: r.logs,
    });
    return r;
  } catch (err) {
    const strategyError = err instanceof ReplayError ? err.strategyError ?? null : null;
    useReplayStore.setState({ busy: null, error: messageOf(err), strategyError, ...(strategyError ? { tab: 'code' } : {}) });
    return null;
  }
}

/** Sends a playback request; a refusal shows as the workspace's error. */
export function control(p: Promise<unknown>): void {
  p.catch((err: unknown) => useReplayStore.setState({ error: messageOf(err) }));
}

export const defaultForm = DEFAULT_FORM;
