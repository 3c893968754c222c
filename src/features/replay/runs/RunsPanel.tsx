/**
 * The saved backtest runs, newest first: name, strategy, dataset, key figures and date per run. Select two or
 * more to compare; delete asks for confirmation; a run's equity curve can be exported as an Arrow IPC file.
 *
 * Keyboard (the list has focus; listKeys.ts): ↑/↓ move, Home/End jump, Space toggles the selection of the current run,
 * Enter compares the selection, Delete asks to delete the current run (Enter or y confirms, Escape cancels).
 *
 * Props: `onCompare(ids)` receives the selected ids in list order; a change of `refreshKey` reloads the list
 * (e.g. after the view saved a run).
 */
import { useCallback, useEffect, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import type { RunListItem } from '../../../protocol/runs';
import { deleteRun, describeFailure, getRun, listRuns } from './api';
import { formatStat } from './compare';
import { listKeyAction } from './listKeys';
import './runs.css';

export interface RunsPanelProps {
  onCompare(ids: string[]): void;
  refreshKey?: unknown;
}

type Status = { kind: 'idle' } | { kind: 'busy'; text: string } | { kind: 'ok'; text: string } | { kind: 'error'; text: string };

const PAGE = 50;

function when(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString(undefined, { dateStyle: 'short', timeStyle: 'medium' });
}

export function RunsPanel(props: RunsPanelProps): ReactNode {
  const { onCompare, refreshKey } = props;
  const [runs, setRuns] = useState<RunListItem[]>([]);
  const [total, setTotal] = useState(0);
  const [nextOffset, setNextOffset] = useState<number | null>(null);
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [active, setActive] = useState(0);
  const [confirming, setConfirming] = useState<string | null>(null);
  const [status, setStatus] = useState<Status>({ kind: 'idle' });
  const listRef = useRef<HTMLUListElement>(null);

  const load = useCallback(async (offset: number) => {
    setStatus({ kind: 'busy', text: 'loading runs…' });
    const r = await listRuns(offset, PAGE);
    if (!r.ok) {
      setStatus({ kind: 'error', text: describeFailure('Could not list runs', r) });
      return;
    }
    const page = r.value;
    setRuns((prev) => (offset === 0 ? page.runs : [...prev, ...page.runs.filter((x) => !prev.some((p) => p.id === x.id))]));
    setTotal(page.total);
    setNextOffset(page.nextOffset);
    setStatus({ kind: 'idle' });
  }, []);

  useEffect(() => {
    void load(0);
  }, [load, refreshKey]);

  // Selections of runs that left the list are dropped; the cursor stays within it.
  useEffect(() => {
    setSelected((prev) => {
      const ids = new Set(runs.map((r) => r.id));
      const kept = [...prev].filter((id) => ids.has(id));
      return kept.length === prev.size ? prev : new Set(kept);
    });
    setActive((a) => Math.max(0, Math.min(a, runs.length - 1)));
  }, [runs]);

  const toggle = (id: string): void => {
    setSelected((prev) => {
      const next = new Set(prev);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  };

  const selectedIds = runs.filter((r) => selected.has(r.id)).map((r) => r.id);
  const compare = (): void => {
    if (selectedIds.length >= 2) onCompare(selectedIds);
  };

  const remove = async (id: string): Promise<void> => {
    setConfirming(null);
    const name = runs.find((r) => r.id === id)?.name ?? id;
    setStatus({ kind: 'busy', text: `deleting “${name}”…` });
    const r = await deleteRun(id);
    if (!r.ok && r.status !== 404) {
      setStatus({ kind: 'error', text: describeFailure(`Could not delete “${name}”`, r) });
      return;
    }
    setRuns((prev) => prev.filter((x) => x.id !== id));
    setTotal((t) => Math.max(0, t - 1));
    setStatus({ kind: 'ok', text: `deleted “${name}”` });
    listRef.current?.focus();
  };

  const exportEquity = async (run: RunListItem): Promise<void> => {
    setStatus({ kind: 'busy', text: `exporting “${run.name}”…` });
    const r = await getRun(run.id);
    if (!r.ok) return setStatus({ kind: 'error', text: describeFailure(`Could not load “${run.name}”`, r) });
    if (!r.value) return setStatus({ kind: 'error', text: `“${run.name}” no longer exists` });
    try {
      // apache-arrow loads with the first export, not with the panel.
      const { downloadEquity, equityFromCurve } = await import('./exportArrow');
      const file = downloadEquity(run.name, equityFromCurve(r.value.curve), {
        run_id: run.id, dataset_hash: run.dataset.hash, engine_version: run.engineVersion, created_at: run.createdAt,
      });
      setStatus({ kind: 'ok', text: `saved ${file}` });
    } catch (err) {
      setStatus({ kind: 'error', text: `Export failed: ${err instanceof Error ? err.message : String(err)}` });
    }
  };

  const onKey = (e: KeyboardEvent<HTMLUListElement>): void => {
    const action = listKeyAction(e.key, active, runs.length, confirming !== null);
    if (!action) return;
    e.preventDefault();
    const current = runs[active];
    switch (action.type) {
      case 'move': setActive(action.to); break;
      case 'toggle': if (current) toggle(current.id); break;
      case 'compare': compare(); break;
      case 'ask-delete': if (current) setConfirming(current.id); break;
      case 'confirm-delete': if (confirming !== null) void remove(confirming); break;
      case 'cancel-delete': setConfirming(null); break;
    }
  };

  useEffect(() => {
    listRef.current?.querySelector(`[data-index="${active}"]`)?.scrollIntoView({ block: 'nearest' });
  }, [active]);

  return (
    <div className="panel runs-panel" data-testid="runs.panel">
      <div className="panel-head">
        <span className="panel-title">Runs</span>
        <span className="runs-count" data-testid="runs.count">{runs.length < total ? `${runs.length} of ${total}` : total}</span>
        <span className="spacer" />
        <button type="button" className="ctl" data-testid="runs.compare" disabled={selectedIds.length < 2}
          title="Overlay the equity curves of the selected runs (Enter)" onClick={compare}>
          Compare{selectedIds.length ? ` (${selectedIds.length})` : ''}
        </button>
        <button type="button" className="ctl" data-testid="runs.refresh" onClick={() => void load(0)}>Refresh</button>
      </div>
      <ul ref={listRef} className="runs-list" role="listbox" aria-multiselectable="true" aria-label="Saved runs" tabIndex={0}
        aria-activedescendant={runs[active] ? `run-${runs[active].id}` : undefined} onKeyDown={onKey} data-testid="runs.list">
        {runs.map((run, i) => (
          <li key={run.id} id={`run-${run.id}`} role="option" aria-selected={selected.has(run.id)} data-index={i}
            data-testid="runs.item" data-run-id={run.id}
            className={`runs-item${i === active ? ' active' : ''}${selected.has(run.id) ? ' selected' : ''}`}
            onClick={() => setActive(i)}>
            <input type="checkbox" tabIndex={-1} checked={selected.has(run.id)} aria-label={`Select ${run.name}`}
              onChange={() => { setActive(i); toggle(run.id); }} />
            <div className="runs-main">
              <div className="runs-line">
                <span className="runs-name" title={run.name}>{run.name}</span>
                <span className="runs-date">{when(run.createdAt)}</span>
              </div>
              <div className="runs-line dim">
                <span>{run.strategy.kind}</span>
                <span title={`${run.dataset.name} · sha256 ${run.dataset.hash}`}>{run.dataset.venue}:{run.dataset.symbol} · {run.dataset.name}</span>
              </div>
              <div className="runs-line stats">
                <span className={run.summary.pnl >= 0 ? 'pos' : 'neg'}>PnL {formatStat(run.summary.pnl)}</span>
                <span>Sharpe {formatStat(run.summary.sharpe)}</span>
                <span>DD {formatStat(run.summary.max_drawdown)}</span>
                <span>{formatStat(run.summary.fills)} fills</span>
              </div>
            </div>
            <div className="runs-actions">
              {confirming === run.id ? (
                <>
                  <button type="button" className="ctl danger" data-testid="runs.confirm-delete" onClick={() => void remove(run.id)}>Delete?</button>
                  <button type="button" className="ctl" onClick={() => setConfirming(null)}>Keep</button>
                </>
              ) : (
                <>
                  <button type="button" className="ctl" tabIndex={-1} title="Export the equity curve as an Arrow IPC file"
                    data-testid="runs.export" onClick={() => void exportEquity(run)}>Arrow</button>
                  <button type="button" className="ctl" tabIndex={-1} title="Delete this run (Delete)" data-testid="runs.delete"
                    onClick={() => setConfirming(run.id)}>Delete</button>
                </>
              )}
            </div>
          </li>
        ))}
        {runs.length === 0 && status.kind !== 'busy' ? <li className="runs-empty" role="presentation">No saved runs yet.</li> : null}
      </ul>
      {nextOffset !== null ? (
        <button type="button" className="ctl runs-more" data-testid="runs.more" onClick={() => void load(nextOffset)}>
          Load more ({total - runs.length} older)
        </button>
      ) : null}
      <div className={`runs-status ${status.kind}`} role={status.kind === 'error' ? 'alert' : 'status'} data-testid="runs.status">
        {status.kind === 'idle' ? '' : status.text}
      </div>
    </div>
  );
}
