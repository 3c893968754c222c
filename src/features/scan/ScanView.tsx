/**
 * The scenario-scan workspace (`?view=scan`): ranges of S, K, σ and t priced over a pool of wasm workers, with
 * progress, Cancel (button or Esc), timing, heatmaps, line slices and Arrow export. The ranges and the heatmap
 * choices live in the URL; the last finished result stays on screen while the form is edited or a later scan
 * is cancelled.
 */
import { useEffect, useMemo, useState, useSyncExternalStore, type ReactNode } from 'react';
import { AXES, gridSize, type GridIndex } from '../../scan/grid';
import type { ScanResult } from '../../scan/pool';
import { formFromSearch, searchWithForm, validateForm, type ScanDisplay, type ScanForm } from './form';
import { ScanFormPanel } from './ScanFormPanel';
import { ScanResults } from './ScanResults';
import { scanSession, workersProblem } from './pageSession';
import type { ScanSnapshot } from './session';
import { installScanTestApi } from './testApi';
import './scan.css';

installScanTestApi(scanSession);

const fmtInt = (n: number): string => Math.round(n).toLocaleString('en-US');

function rate(perSec: number): string {
  if (perSec >= 1e6) return `${(perSec / 1e6).toFixed(2)} M`;
  if (perSec >= 1e3) return `${(perSec / 1e3).toFixed(1)} k`;
  return perSec.toFixed(0);
}

function centre(result: ScanResult): GridIndex {
  const at = {} as GridIndex;
  for (const a of AXES) at[a] = Math.floor((result.spec[a].steps - 1) / 2);
  return at;
}

function RunStatus(props: { snap: ScanSnapshot; onCancel: () => void }): ReactNode {
  const { snap } = props;
  const running = snap.state === 'running' || snap.state === 'cancelling';
  const pct = snap.total > 0 ? (100 * snap.rowsDone) / snap.total : 0;
  const r = snap.result;
  return (
    <div className="scan-status" data-testid="scan.status" data-state={snap.state}>
      {running && (
        <>
          <div className="scan-progress" role="progressbar" aria-label="scan progress" aria-valuemin={0}
            aria-valuemax={snap.total} aria-valuenow={snap.rowsDone} data-testid="scan.progress">
            <div className="scan-progress-bar" style={{ width: `${pct.toFixed(2)}%` }} />
          </div>
          <div className="scan-progress-text num">
            {fmtInt(snap.rowsDone)} / {fmtInt(snap.total)} · {fmtInt(snap.elapsedMs)} ms
            {snap.state === 'cancelling' && ' · stopping the workers…'}
          </div>
          <button type="button" className="ctl" onClick={props.onCancel} disabled={snap.state === 'cancelling'}
            data-testid="scan.cancel" title="Cancel the scan (Esc)">
            Cancel <span className="kbd">Esc</span>
          </button>
        </>
      )}
      {!running && snap.message && (
        <div className={snap.state === 'failed' ? 'scan-message error' : 'scan-message'} role="alert" data-testid="scan.message">
          {snap.message}
        </div>
      )}
      {r && (
        <div className="scan-timing num" data-testid="scan.timing" data-elapsed-ms={r.elapsedMs.toFixed(1)} data-rows={r.total}>
          last scan: {fmtInt(r.total)} options in {fmtInt(r.elapsedMs)} ms · {rate((r.total / r.elapsedMs) * 1000)} options/s ·{' '}
          {((r.elapsedMs * 1e6) / r.total).toFixed(0)} ns/option · {r.workers} workers
        </div>
      )}
    </div>
  );
}

export default function ScanView(): ReactNode {
  const initial = useMemo(() => formFromSearch(window.location.search), []);
  const [form, setForm] = useState<ScanForm>(initial.form);
  const [display, setDisplay] = useState<ScanDisplay>(initial.display);
  const validation = useMemo(() => validateForm(form), [form]);
  const snap = useSyncExternalStore(scanSession.subscribe, scanSession.snapshot);
  const running = snap.state === 'running' || snap.state === 'cancelling';
  const result = snap.result;
  const [selection, setSelection] = useState<{ seq: number; at: GridIndex } | null>(null);
  const at = result && selection?.seq === snap.resultSeq ? selection.at : result ? centre(result) : null;

  useEffect(() => {
    scanSession.warm();
  }, []);

  // Shareable state: the ranges (when valid) and the heatmap choices.
  useEffect(() => {
    if (!validation.spec) return;
    const url = new URL(window.location.href);
    url.search = searchWithForm(url.search, form, display);
    if (url.href !== window.location.href) window.history.replaceState(window.history.state, '', url);
  }, [form, display, validation.spec]);

  // Esc cancels a running scan (and goes no further, so it does not also dismiss a notice).
  useEffect(() => {
    if (!running) return;
    const onKey = (e: KeyboardEvent): void => {
      if (e.key !== 'Escape') return;
      e.preventDefault();
      e.stopPropagation();
      void scanSession.cancel();
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [running]);

  const run = (): void => {
    if (validation.spec) void scanSession.run(validation.spec);
  };

  return (
    <div className="scan-view" data-testid="scan.view">
      <aside className="scan-side panel">
        <div className="panel-head"><span className="panel-title">scenario scan</span></div>
        <div className="scan-side-body">
          <ScanFormPanel form={form} validation={validation} running={running} onChange={setForm} onRun={run} />
          <RunStatus snap={snap} onCancel={() => void scanSession.cancel()} />
          {workersProblem && <div className="scan-message" role="alert" data-testid="scan.workers-problem">{workersProblem}</div>}
        </div>
      </aside>
      <section className="scan-body panel">
        {result && at ? (
          <ScanResults result={result} display={display} onDisplay={setDisplay} at={at}
            onAt={(next) => setSelection({ seq: snap.resultSeq, at: next })} />
        ) : (
          <div className="scan-empty" data-testid="scan.empty">
            {running
              ? `Pricing ${fmtInt(snap.total)} combinations…`
              : `Set the ranges and press Run scan (Enter): up to ${fmtInt(5_000_000)} combinations of S, K, σ and t, priced on ${
                scanSession.poolStats()?.workers ?? 'several'} workers.`}
            {validation.spec && !running && <div className="num">{fmtInt(gridSize(validation.spec))} combinations ready to run.</div>}
          </div>
        )}
      </section>
    </div>
  );
}
