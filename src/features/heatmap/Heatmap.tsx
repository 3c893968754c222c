/** The liquidity heatmap panel: cutoff controls in React; `HeatmapView` adds one column per frame. */
import { useLayoutEffect, useRef, useState, type ReactNode } from 'react';
import { useEngine } from '../../app/engineContext';
import { useAppState } from '../../state';
import { heatColors, HeatmapView } from './HeatmapView';
import './heatmap.css';

/** Parses a cutoff field: a positive finite number, or the reason it is not. */
function parseCutoff(name: string, text: string): { ok: true; value: number } | { ok: false; error: string } {
  const v = Number(text);
  if (text.trim() === '' || !Number.isFinite(v)) return { ok: false, error: `${name} "${text}" is not a number` };
  if (v <= 0) return { ok: false, error: `${name} ${text} must be above 0 (the scale is logarithmic)` };
  return { ok: true, value: v };
}

/** Commands from the keyboard shortcuts to the mounted heatmap (none when it is not shown). */
const commands = new EventTarget();

/** Fits the shown heatmap's cutoffs to the book (the `f` shortcut). */
export function requestHeatmapFit(): void {
  commands.dispatchEvent(new Event('fit'));
}

const show = (v: number): string => (v >= 100 ? v.toFixed(0) : v >= 1 ? v.toFixed(2) : v.toPrecision(2));

export function Heatmap(): ReactNode {
  const engine = useEngine();
  const selected = useAppState((s) => s.selected);
  const theme = useAppState((s) => s.theme);
  const canvas = useRef<HTMLCanvasElement>(null);
  const view = useRef<HeatmapView | null>(null);
  const [lo, setLo] = useState('0.1');
  const [hi, setHi] = useState('10');
  const [error, setError] = useState<string | null>(null);

  useLayoutEffect(() => {
    const c = canvas.current;
    if (!c) return;
    const v = new HeatmapView(c, heatColors(document.documentElement), (l, h) => {
      setLo(show(l));
      setHi(show(h));
      setError(null);
      v.setCutoffs(Number(show(l)), Number(show(h)));
    });
    view.current = v;
    const off = engine.onRender((_latest, frames) => v.paintFrames(frames));
    const fit = (): void => v.refit();
    commands.addEventListener('fit', fit);
    return () => {
      off();
      commands.removeEventListener('fit', fit);
      v.dispose();
      view.current = null;
    };
  }, [engine]);

  useLayoutEffect(() => {
    view.current?.setColors(heatColors(document.documentElement));
  }, [theme]);

  const apply = (loText: string, hiText: string): void => {
    const l = parseCutoff('Low cutoff', loText);
    const h = parseCutoff('High cutoff', hiText);
    if (!l.ok) return setError(l.error);
    if (!h.ok) return setError(h.error);
    if (h.value <= l.value) return setError(`High cutoff ${hiText} must be above the low cutoff ${loText}`);
    setError(null);
    view.current?.setCutoffs(l.value, h.value);
  };

  return (
    <section className="panel heatmap" aria-label="Liquidity heatmap" data-testid="heatmap.panel">
      <header className="panel-head">
        <span className="panel-title">Heatmap</span>
        <span className="sym">{selected ?? '—'}</span>
        <span className="spacer" />
        <label title="Sizes at or below this are not shown">
          Low
          <input className="ctl num heat-cut" data-testid="heatmap.lo" value={lo} inputMode="decimal"
            aria-invalid={error?.startsWith('Low') ?? false}
            onChange={(e) => {
              setLo(e.target.value);
              apply(e.target.value, hi);
            }} />
        </label>
        <label title="Sizes at or above this show the brightest colour">
          High
          <input className="ctl num heat-cut" data-testid="heatmap.hi" value={hi} inputMode="decimal"
            aria-invalid={error?.startsWith('High') ?? false}
            onChange={(e) => {
              setHi(e.target.value);
              apply(lo, e.target.value);
            }} />
        </label>
        <button type="button" className="ctl" data-testid="heatmap.fit" title="Fit the cutoffs to the book now (f)"
          onClick={() => view.current?.refit()}>
          Fit
        </button>
      </header>
      {error ? <div className="heat-error" role="alert" data-testid="heatmap.error">{error}</div> : null}
      <canvas className="heat-canvas" ref={canvas} data-testid="heatmap.canvas" />
    </section>
  );
}
