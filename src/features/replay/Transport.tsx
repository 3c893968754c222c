/**
 * Playback controls and the timeline: play/pause, step, speed 1×–1000× and "as fast as possible", the cursor
 * time and position in the data, and a timeline of event density and fills that seeks on click or drag.
 * Keyboard: Space play/pause, ←/→ step (Shift: 100), [ and ] slower/faster, Home/End start/end.
 */
import { useEffect, useLayoutEffect, useRef, type ReactNode } from 'react';
import { SPEEDS } from '../../protocol/replay';
import { clockText, paintTimeline, timeAtX, type TimelineColors } from './timeline';
import { control, replayClient, useReplayStore } from './store';

export const speedLabel = (s: number): string => (s === Number.POSITIVE_INFINITY ? 'max' : `${s}×`);

function timelineColors(): TimelineColors {
  const css = getComputedStyle(document.documentElement);
  const v = (n: string, f: string): string => css.getPropertyValue(n).trim() || f;
  return {
    background: v('--panel', '#0f1319'),
    density: v('--border-strong', '#2a3442'),
    played: 'rgba(229, 168, 35, 0.10)',
    cursor: v('--accent', '#e5a823'),
    buy: v('--bid', '#21c07a'),
    sell: v('--ask', '#f0524f'),
    text: v('--text-dim', '#8b96a5'),
  };
}

/** True when a key event belongs to a text field (shortcuts stay out of the way). */
export function typing(e: KeyboardEvent): boolean {
  const t = e.target as HTMLElement | null;
  return !!t && (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT' || t.isContentEditable);
}

export function togglePlay(): void {
  const c = replayClient();
  const playing = useReplayStore.getState().cursor?.playing ?? false;
  control(playing ? c.request('pause', {}) : c.request('play', {}));
}

export function changeSpeed(dir: 1 | -1): void {
  const cur = useReplayStore.getState().cursor?.speed ?? 1;
  const i = SPEEDS.findIndex((s) => s === cur);
  const next = SPEEDS[Math.min(SPEEDS.length - 1, Math.max(0, (i < 0 ? 0 : i) + dir))] ?? 1;
  control(replayClient().request('speed', { speed: next }));
}

export function Transport(): ReactNode {
  const dataset = useReplayStore((s) => s.dataset);
  const run = useReplayStore((s) => s.run);
  const cursor = useReplayStore((s) => s.cursor);
  const canvas = useRef<HTMLCanvasElement>(null);
  const clock = useRef<HTMLSpanElement>(null);
  const where = useRef<HTMLSpanElement>(null);
  const rate = useRef<HTMLSpanElement>(null);
  const ready = !!dataset && !!run;

  useLayoutEffect(() => {
    const el = canvas.current;
    if (!el) return;
    const colors = timelineColors();
    let cursorMs = Number.NaN;
    // The size comes from the ResizeObserver (reading it per frame would force a layout), and drawing is
    // coalesced to one per animation frame however many cursor updates arrive.
    let width = 0;
    let height = 0;
    let queued = false;
    const paint = (): void => {
      queued = false;
      const dpr = window.devicePixelRatio || 1;
      if (el.width !== Math.round(width * dpr)) el.width = Math.round(width * dpr);
      if (el.height !== Math.round(height * dpr)) el.height = Math.round(height * dpr);
      const ctx = el.getContext('2d');
      if (!ctx || width === 0) return;
      const s = useReplayStore.getState();
      paintTimeline(ctx, width, height, dpr, s.dataset ? {
        startMs: s.dataset.startMs, endMs: s.dataset.endMs, density: s.dataset.density,
        fills: s.run?.fills ?? new Float64Array(0),
      } : null, cursorMs, colors);
    };
    const draw = (): void => {
      if (queued) return;
      queued = true;
      requestAnimationFrame(paint);
    };
    const ro = new ResizeObserver((entries) => {
      const box = entries[0]?.contentRect;
      if (box) {
        width = box.width;
        height = box.height;
      }
      draw();
    });
    ro.observe(el);
    const unsub = useReplayStore.subscribe(draw);
    const off = replayClient().onState((st) => {
      cursorMs = st.tsMs;
      draw();
      if (clock.current) clock.current.textContent = clockText(st.tsMs);
      if (where.current) {
        where.current.textContent = `${st.index.toLocaleString('en-US')} / ${st.events.toLocaleString('en-US')}`;
        where.current.dataset.index = String(st.index);
      }
      if (rate.current) {
        rate.current.textContent = st.playing ? `${(st.eventsPerSec / 1e6).toFixed(2)} M ev/s` : '';
      }
    });
    draw();
    return () => {
      ro.disconnect();
      unsub();
      off();
    };
  }, []);

  // Seek by click or drag: the newest position wins while a seek is in flight.
  useEffect(() => {
    const el = canvas.current;
    if (!el) return;
    let dragging = false;
    let inFlight = false;
    let queued: number | null = null;
    const send = (ms: number): void => {
      if (inFlight) {
        queued = ms;
        return;
      }
      inFlight = true;
      replayClient().request('seek', { tsMs: ms }).catch((err: unknown) => {
        useReplayStore.setState({ error: err instanceof Error ? err.message : String(err) });
      }).finally(() => {
        inFlight = false;
        if (queued !== null) {
          const q = queued;
          queued = null;
          send(q);
        }
      });
    };
    const at = (e: PointerEvent): number | null => {
      const d = useReplayStore.getState().dataset;
      if (!d || !useReplayStore.getState().run) return null;
      const r = el.getBoundingClientRect();
      return timeAtX(e.clientX - r.left, r.width, d.startMs, d.endMs);
    };
    const down = (e: PointerEvent): void => {
      const ms = at(e);
      if (ms === null) return;
      dragging = true;
      el.setPointerCapture(e.pointerId);
      send(ms);
    };
    const move = (e: PointerEvent): void => {
      if (!dragging) return;
      const ms = at(e);
      if (ms !== null) send(ms);
    };
    const up = (): void => {
      dragging = false;
    };
    el.addEventListener('pointerdown', down);
    el.addEventListener('pointermove', move);
    el.addEventListener('pointerup', up);
    el.addEventListener('pointercancel', up);
    return () => {
      el.removeEventListener('pointerdown', down);
      el.removeEventListener('pointermove', move);
      el.removeEventListener('pointerup', up);
      el.removeEventListener('pointercancel', up);
    };
  }, []);

  const c = replayClient();
  const playing = cursor?.playing ?? false;
  const speed = cursor?.speed ?? 1;
  return (
    <div className="replay-transport" data-testid="replay.transport">
      <div className="rt-buttons">
        <button type="button" className="ctl" disabled={!ready} title="Back to the start (Home)" data-testid="replay.start"
          onClick={() => control(c.request('seek', { index: 0 }))}>⇤</button>
        <button type="button" className="ctl rt-play" disabled={!ready} data-testid="replay.play"
          aria-pressed={playing} title={playing ? 'Pause (Space)' : 'Play (Space)'} onClick={togglePlay}>
          {playing ? '❚❚ Pause' : '▶ Play'}
        </button>
        <button type="button" className="ctl" disabled={!ready} title="Step one update (→; Shift+→ 100)"
          data-testid="replay.step" onClick={() => control(c.request('step', { events: 1 }))}>Step ▸</button>
        <label className="rt-speed" title="Playback speed ([ slower, ] faster)">
          Speed
          <select className="ctl num" value={String(speed)} data-testid="replay.speed"
            onChange={(e) => control(c.request('speed', { speed: Number(e.target.value) }))}>
            {SPEEDS.map((s) => <option key={String(s)} value={String(s)}>{speedLabel(s)}</option>)}
          </select>
        </label>
        <span className="rt-clock num" ref={clock} data-testid="replay.clock">—</span>
        <span className="rt-where num" ref={where} data-testid="replay.cursor" />
        <span className="rt-rate num" ref={rate} />
      </div>
      <canvas className="rt-timeline" ref={canvas} data-testid="replay.timeline"
        title={ready ? 'Click or drag to seek' : 'Load a dataset and run a backtest to replay it'} />
    </div>
  );
}
