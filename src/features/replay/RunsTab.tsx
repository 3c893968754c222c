/**
 * Saving and comparing runs from the replay: "Save run" stores the current run (settings, dataset hash, engine
 * version, summary, equity curve) through the backend; the saved runs list selects runs to compare, whose
 * equity curves and statistics open side by side over the market panels (Esc closes). Fills and equity of the
 * current run export as Arrow IPC.
 */
import { useEffect, useState, type ReactNode } from 'react';
import type { JsonValue, RunInput, RunSummary, SavedRun } from '../../protocol/runs';
import { SUMMARY_KEYS } from '../../protocol/runs';
import { EQUITY_FIELDS } from '../../protocol/replay';
import { describeFailure, getRun, saveRun } from './runs/api';
import { CompareChart } from './runs/CompareChart';
import { RunsPanel } from './runs/RunsPanel';
import { messageOf, useReplayStore, type RunView } from './store';
import type { DatasetInfo } from '../../protocol/replay';

/** A default name that says what differs between runs: strategy, latencies, seed. */
export function runName(run: RunView): string {
  const f = run.form;
  const lat = (l: { kind: string; a: string; b: string }): string =>
    l.kind === 'constant' ? `${l.a}µs` : l.kind === 'uniform' ? `${l.a}–${l.b}µs` : `ln ${l.a}µs σ${l.b}`;
  const kind = f.strategy === 'mm' ? 'MM' : f.strategy === 'imbalance' ? 'Imbalance' : 'Script';
  return `${kind} · feed ${lat(f.feed)} · order ${lat(f.order)} · seed ${f.seed}`.slice(0, 80);
}

/** The body of `POST /api/runs` for a run of `dataset`. */
export function runInput(name: string, run: RunView, dataset: DatasetInfo): RunInput {
  const config = JSON.parse(run.configJson) as Record<string, JsonValue>;
  const strategy = (config.strategy ?? {}) as { kind?: JsonValue; params?: JsonValue };
  const summary = {} as RunSummary;
  for (const k of SUMMARY_KEYS) summary[k] = 0;
  for (const [k, v] of Object.entries(run.summary)) {
    if ((SUMMARY_KEYS as readonly string[]).includes(k) && Number.isFinite(v)) summary[k as keyof RunSummary] = v;
  }
  summary.elapsed_ms = run.elapsedMs;
  summary.events_per_s = run.elapsedMs > 0 ? (dataset.events / run.elapsedMs) * 1000 : 0;
  const ts: number[] = [];
  const equity: number[] = [];
  const position: number[] = [];
  for (let i = 0; i + EQUITY_FIELDS <= run.equity.length; i += EQUITY_FIELDS) {
    ts.push(Math.round((run.equity[i] ?? 0) * 1e6));
    equity.push(run.equity[i + 1] ?? 0);
    position.push(run.equity[i + 2] ?? 0);
  }
  return {
    name,
    strategy: {
      kind: typeof strategy.kind === 'string' ? strategy.kind : 'unknown',
      params: (typeof strategy.params === 'object' && strategy.params !== null && !Array.isArray(strategy.params)
        ? strategy.params : {}) as Record<string, JsonValue>,
    },
    config,
    dataset: { hash: dataset.hash, name: dataset.name.slice(0, 200), events: dataset.events, venue: dataset.venue,
      symbol: dataset.symbol },
    engineVersion: run.engineVersion,
    summary,
    curve: { ts, equity, position },
  };
}

export function SaveRunBar(props: { onSaved: () => void }): ReactNode {
  const run = useReplayStore((s) => s.run);
  const dataset = useReplayStore((s) => s.dataset);
  const [name, setName] = useState('');
  const [status, setStatus] = useState<{ text: string; error: boolean } | null>(null);
  useEffect(() => {
    if (run) setName(runName(run));
    setStatus(null);
  }, [run]);
  if (!run || !dataset) return null;
  const save = async (): Promise<void> => {
    setStatus({ text: 'saving…', error: false });
    try {
      const r = await saveRun(runInput(name.trim() || runName(run), run, dataset));
      if (r.ok) {
        setStatus({ text: `saved as ${r.value.id}`, error: false });
        props.onSaved();
      } else setStatus({ text: describeFailure('Saving the run', r), error: true });
    } catch (err) {
      setStatus({ text: `Saving the run failed: ${messageOf(err)}`, error: true });
    }
  };
  const exportFills = async (): Promise<void> => {
    try {
      const { downloadFills, downloadEquity, fillsFromEngine, equityFromEngine } = await import('./runs/exportArrow');
      const meta = { dataset_hash: dataset.hash, engine_version: run.engineVersion, config: run.configJson };
      downloadFills(name, fillsFromEngine(run.fillsRaw), meta);
      downloadEquity(name, equityFromEngine(run.equityRaw), meta);
    } catch (err) {
      setStatus({ text: `Export failed: ${messageOf(err)}`, error: true });
    }
  };
  return (
    <div className="replay-save" data-testid="replay.save">
      <input className="ctl" value={name} maxLength={80} aria-label="Run name" data-testid="replay.save.name"
        onChange={(e) => setName(e.target.value)} />
      <button type="button" className="ctl" data-testid="replay.save.button" onClick={() => void save()}
        title="Save this run (settings, dataset hash, summary, equity) to compare it later">Save run</button>
      <button type="button" className="ctl" data-testid="replay.export" onClick={() => void exportFills()}
        title="Download the fills and the equity curve as Arrow IPC files">Export Arrow</button>
      {status && <span className={status.error ? 'replay-save-status error' : 'replay-save-status'} role="status"
        data-testid="replay.save.status">{status.text}</span>}
    </div>
  );
}

export function RunsTab(props: { refreshKey: number; onCompare: (ids: string[]) => void }): ReactNode {
  return <RunsPanel refreshKey={props.refreshKey} onCompare={props.onCompare} />;
}

/** The comparison overlay: loads the runs, then the chart and the stats table. */
export function CompareOverlay(props: { ids: string[]; onClose: () => void }): ReactNode {
  const [runs, setRuns] = useState<SavedRun[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const { ids, onClose } = props;
  useEffect(() => {
    let live = true;
    Promise.all(ids.map(async (id) => {
      const r = await getRun(id);
      if (!r.ok) throw new Error(describeFailure(`Loading run ${id}`, r));
      if (!r.value) throw new Error(`Run ${id} no longer exists`);
      return r.value;
    })).then((list) => { if (live) setRuns(list); }, (err: unknown) => { if (live) setError(messageOf(err)); });
    return () => {
      live = false;
    };
  }, [ids]);
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (e.key === 'Escape') onClose();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);
  return (
    <div className="replay-compare panel" role="dialog" aria-label="Compare runs" data-testid="replay.compare">
      <header className="panel-head">
        <span className="panel-title">Compare {ids.length} runs</span>
        <span className="spacer" />
        <button type="button" className="ctl" onClick={onClose} data-testid="replay.compare.close"
          title="Close (Esc)">Close <span className="kbd">Esc</span></button>
      </header>
      {error && <div className="replay-error" role="alert">{error}</div>}
      {!runs && !error && <div className="replay-notice">loading runs…</div>}
      {runs && <CompareChart runs={runs} />}
    </div>
  );
}
