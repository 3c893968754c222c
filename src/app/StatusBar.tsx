/**
 * Bottom bar: connection state (React, from the store), live statistics (written imperatively from render
 * snapshots, four times a second) and the newest notice.
 */
import { useEffect, useLayoutEffect, useRef, useState, type ReactNode } from 'react';
import { Stat, type ConnectionStatus } from '../protocol/worker';
import { stat } from '../engine/renderFrame';
import { formatCount, formatMs } from '../format/number';
import { useAppState, useStoreApi } from '../state';
import { useEngine } from './engineContext';

const STATS_EVERY_MS = 250;

export function connectionDetail(c: ConnectionStatus, now: number): string {
  switch (c.state) {
    case 'connecting':
      return c.attempt > 1 ? `attempt ${c.attempt}` : '';
    case 'connected':
      return c.server;
    case 'disconnected':
      return c.reason;
    case 'reconnecting':
      return `${c.reason} · retry in ${Math.max(0, (c.retryAt - now) / 1000).toFixed(1)} s`;
  }
}

function Connection(): ReactNode {
  const status = useAppState((s) => s.connection);
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (status.state !== 'reconnecting') return;
    setNow(Date.now());
    const id = window.setInterval(() => setNow(Date.now()), 200);
    return () => window.clearInterval(id);
  }, [status]);
  const detail = connectionDetail(status, now);
  return (
    <div className="conn" data-state={status.state}>
      <span className="conn-dot" />
      <span data-testid="status.connection" data-state={status.state}>{status.state}</span>
      {detail && <span className="conn-detail" title={detail} data-testid="status.connection-detail">{detail}</span>}
    </div>
  );
}

const STAT_CELLS = [
  { key: 'msgs', label: 'msg/s', title: 'WebSocket messages per second' },
  { key: 'lat', label: 'lat', title: 'Receive → post latency in the worker, mean / max ms' },
  { key: 'apply', label: 'apply', title: 'Time of the last wasm batch, ms' },
  { key: 'rtt', label: 'rtt', title: 'Ping round trip to the server, ms' },
  { key: 'fps', label: 'fps', title: 'Main-thread frames per second' },
  { key: 'seq', label: 'seq', title: 'Book sequence of the selected instrument' },
  { key: 'gaps', label: 'gaps', title: 'Sequence gaps (each triggers a resync)' },
  { key: 'rej', label: 'rej', title: 'Frames rejected by the engine + invalid control messages' },
] as const;

function Stats(): ReactNode {
  const engine = useEngine();
  const root = useRef<HTMLDivElement>(null);

  useLayoutEffect(() => {
    const el = root.current;
    if (!el) return;
    const cells = new Map<string, HTMLElement>();
    for (const c of STAT_CELLS) {
      const b = el.querySelector<HTMLElement>(`[data-stat="${c.key}"]`);
      if (b) cells.set(c.key, b);
    }
    const write = (key: string, text: string, alert = false): void => {
      const b = cells.get(key);
      if (!b) return;
      if (b.textContent !== text) b.textContent = text;
      const a = String(alert);
      if (b.dataset.alert !== a) b.dataset.alert = a;
    };
    let last = 0;
    // Latency shown: mean and max of receive → post over the snapshots of the last interval.
    let latSum = 0;
    let latCount = 0;
    let latMax = Number.NaN;
    return engine.onRender((f, frames) => {
      for (const fr of frames) {
        const mean = stat(fr, Stat.LatencyMeanMs);
        const max = stat(fr, Stat.LatencyMaxMs);
        if (Number.isFinite(mean)) {
          latSum += mean;
          latCount += 1;
        }
        if (Number.isFinite(max) && !(max <= latMax)) latMax = max;
      }
      const now = performance.now();
      if (now - last < STATS_EVERY_MS) return;
      last = now;
      const latMean = latCount > 0 ? latSum / latCount : Number.NaN;
      write('msgs', formatCount(stat(f, Stat.MsgsPerSec)));
      write('lat', `${formatMs(latMean)} / ${formatMs(latMax)}`, latMax > 50);
      latSum = 0;
      latCount = 0;
      latMax = Number.NaN;
      write('apply', formatMs(stat(f, Stat.ApplyMs)));
      write('rtt', formatMs(stat(f, Stat.RttMs)));
      write('fps', String(Math.round(engine.frames.fps)), engine.frames.fps > 0 && engine.frames.fps < 30);
      const seq = stat(f, Stat.Seq);
      write('seq', Number.isFinite(seq) ? String(seq) : '–');
      write('gaps', String(stat(f, Stat.Gaps)), stat(f, Stat.Gaps) > 0);
      const rejected = stat(f, Stat.Rejected) + stat(f, Stat.InvalidMessages);
      write('rej', String(rejected), rejected > 0);
    });
  }, [engine]);

  return (
    <div className="stats" ref={root} data-testid="status.stats">
      {STAT_CELLS.map((c) => (
        <span className="stat" key={c.key} title={c.title}>
          <span>{c.label}</span>
          <b data-stat={c.key} data-testid={`status.stat.${c.key}`}>–</b>
        </span>
      ))}
    </div>
  );
}

function Notice(): ReactNode {
  const store = useStoreApi();
  const newest = useAppState((s) => s.notices[s.notices.length - 1] ?? null);
  const count = useAppState((s) => s.notices.length);
  return (
    <div className="notice" data-level={newest?.level ?? 'none'}>
      <span className="notice-text" data-testid="status.message" data-level={newest?.level ?? 'none'}
        title={newest ? `${new Date(newest.ts).toLocaleTimeString()} — ${newest.message}` : ''}>
        {newest?.message ?? ''}
      </span>
      {count > 1 && <span className="notice-count" title={`${count} messages`}>+{count - 1}</span>}
      {newest && (
        <button type="button" className="notice-x" aria-label="Dismiss message" title="Dismiss (Esc)"
          onClick={() => store.getState().dismissNotice(newest.id)}>
          ✕
        </button>
      )}
    </div>
  );
}

export function StatusBar(): ReactNode {
  return (
    <footer className="statusbar">
      <Connection />
      <Stats />
      <Notice />
    </footer>
  );
}
