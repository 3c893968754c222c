/**
 * The backtest replay workspace (`?view=replay`): load a dataset (drop an Arrow file, open one, or generate the
 * sample day), run a strategy through the engine headless, then play it back like a video — book with own orders,
 * heatmap, price with fills, tape, equity and position, blotter — with play/pause/step/seek/speed. The dataset
 * is read in the replay worker and never leaves the machine.
 */
import { useEffect, useRef, useState, type DragEvent, type ReactNode } from 'react';
import { Blotter } from './Blotter';
import { CompareOverlay, RunsTab, SaveRunBar } from './RunsTab';
import { BacktestPanel } from './BacktestPanel';
import { EquityPanel, HeatmapPanel, LadderPanel, PricePanel, TapePanel } from './panels';
import { changeSpeed, togglePlay, Transport, typing } from './Transport';
import { control, loadDataset, replayClient, runBacktest, useReplayStore } from './store';
import '../chart/chart.css';
import './replay.css';

function useShortcuts(): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (typing(e) || e.ctrlKey || e.metaKey || e.altKey) return;
      const s = useReplayStore.getState();
      const ready = !!s.dataset && !!s.run;
      const c = replayClient();
      switch (e.key) {
        case ' ':
          if (!ready) return;
          e.preventDefault();
          togglePlay();
          return;
        case 'ArrowRight':
          if (!ready) return;
          e.preventDefault();
          control(c.request('step', { events: e.shiftKey ? 100 : 1 }));
          return;
        case ']':
          return changeSpeed(1);
        case '[':
          return changeSpeed(-1);
        case 'Home':
          if (ready) control(c.request('seek', { index: 0 }));
          return;
        case 'End':
          if (ready && s.dataset) control(c.request('seek', { index: s.dataset.events }));
          return;
        case 'r':
          if (s.dataset && !s.busy) void runBacktest();
          return;
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}

function DatasetBar(): ReactNode {
  const dataset = useReplayStore((s) => s.dataset);
  const busy = useReplayStore((s) => s.busy);
  const [seed, setSeed] = useState('7');
  const [minutes, setMinutes] = useState('20');
  const [err, setErr] = useState<string | null>(null);
  const file = useRef<HTMLInputElement>(null);
  const sample = (): void => {
    const sd = Number(seed);
    const mn = Number(minutes);
    if (!Number.isInteger(sd) || sd < 0) return setErr(`Seed "${seed}" must be a whole number of 0 or more`);
    if (!Number.isInteger(mn) || mn < 1 || mn > 240) return setErr(`Minutes "${minutes}" must be a whole number from 1 to 240`);
    setErr(null);
    void loadDataset({ kind: 'sample', seed: sd, minutes: mn });
  };
  return (
    <div className="replay-section" data-testid="replay.dataset">
      <div className="replay-section-title">Dataset</div>
      <div className="replay-row">
        <button type="button" className="ctl" disabled={!!busy} data-testid="replay.open"
          title="Open an Arrow IPC dataset (docs/datasets.md); it is read here, never uploaded"
          onClick={() => file.current?.click()}>Open file…</button>
        <input ref={file} type="file" accept=".arrow,.feather,application/vnd.apache.arrow.file" hidden
          data-testid="replay.file" onChange={(e) => {
            const f = e.target.files?.[0];
            e.target.value = '';
            if (f) void loadDataset({ kind: 'file', file: f });
          }} />
        <span className="replay-or">or drop it here</span>
      </div>
      <div className="replay-row">
        <button type="button" className="ctl" disabled={!!busy} data-testid="replay.sample" onClick={sample}
          title="Generate a simulated session with a fixed seed">Sample day</button>
        <label>seed <input className="ctl num small" value={seed} onChange={(e) => setSeed(e.target.value)}
          data-testid="replay.sample.seed" /></label>
        <label>min <input className="ctl num small" value={minutes} onChange={(e) => setMinutes(e.target.value)}
          data-testid="replay.sample.minutes" /></label>
      </div>
      {err && <div className="replay-error" role="alert">{err}</div>}
      {dataset && (
        <div className="replay-info num" data-testid="replay.dataset.info" data-events={dataset.events}
          data-hash={dataset.hash}>
          <div title={dataset.name}>{dataset.name}</div>
          <div>{dataset.venue} · {dataset.symbol} · {dataset.events.toLocaleString('en-US')} events ·{' '}
            {dataset.trades.toLocaleString('en-US')} trades</div>
          <div>{new Date(dataset.startMs).toISOString().replace('T', ' ').slice(0, 19)} UTC ·{' '}
            {((dataset.endMs - dataset.startMs) / 60_000).toFixed(1)} min</div>
        </div>
      )}
    </div>
  );
}

function BusyBar(): ReactNode {
  const busy = useReplayStore((s) => s.busy);
  const error = useReplayStore((s) => s.error);
  const notice = useReplayStore((s) => s.notice);
  return (
    <>
      {busy && (
        <div className="replay-busy" data-testid="replay.busy">
          <div className="replay-progress" role="progressbar" aria-label={busy.label} aria-valuemin={0}
            aria-valuemax={busy.total} aria-valuenow={busy.done}>
            <div className="replay-progress-bar" style={{ width: `${busy.total > 0 ? (100 * busy.done) / busy.total : 0}%` }} />
          </div>
          <div className="num">{busy.label} · {busy.total > 0 ? Math.round((100 * busy.done) / busy.total) : 0} %</div>
        </div>
      )}
      {error && <div className="replay-error" role="alert" data-testid="replay.error">{error}</div>}
      {notice && (
        <div className={notice.error ? 'replay-error' : 'replay-notice'} role={notice.error ? 'alert' : 'status'}
          data-testid="replay.notice">{notice.text}</div>
      )}
    </>
  );
}

export default function ReplayView(): ReactNode {
  useShortcuts();
  const [drag, setDrag] = useState(false);
  const [savedKey, setSavedKey] = useState(0);
  const [compare, setCompare] = useState<string[] | null>(null);
  const engine = useReplayStore((s) => s.engine);
  useEffect(() => {
    replayClient();
  }, []);
  const onDrop = (e: DragEvent): void => {
    e.preventDefault();
    setDrag(false);
    const f = e.dataTransfer.files[0];
    if (f) void loadDataset({ kind: 'file', file: f });
  };
  return (
    <div className={drag ? 'replay-view dragging' : 'replay-view'} data-testid="replay.view" data-engine={engine}
      onDragOver={(e) => {
        e.preventDefault();
        setDrag(true);
      }}
      onDragLeave={(e) => {
        if (e.currentTarget === e.target) setDrag(false);
      }}
      onDrop={onDrop}>
      <aside className="panel replay-side">
        <header className="panel-head"><span className="panel-title">Backtest</span></header>
        <div className="replay-side-body">
          <DatasetBar />
          <BacktestPanel />
          <SaveRunBar onSaved={() => setSavedKey((k) => k + 1)} />
          <BusyBar />
        </div>
      </aside>
      <div className="replay-main">
        <Transport />
        <div className="replay-grid">
          <LadderPanel />
          <HeatmapPanel />
          <div className="replay-col">
            <PricePanel />
            <EquityPanel />
          </div>
          <TapePanel />
        </div>
        <Blotter extraTabs={[{
          id: 'runs', title: 'Saved runs',
          render: () => <RunsTab refreshKey={savedKey} onCompare={(ids) => setCompare(ids)} />,
        }]} />
        {compare && <CompareOverlay ids={compare} onClose={() => setCompare(null)} />}
      </div>
      {drag && <div className="replay-drop" aria-hidden>Drop an Arrow dataset to load it</div>}
    </div>
  );
}
