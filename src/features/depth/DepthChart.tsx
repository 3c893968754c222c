/** The cumulative depth panel: React draws the frame once; `DepthView` repaints the canvas every frame. */
import { useLayoutEffect, useRef, type ReactNode } from 'react';
import { useEngine } from '../../app/engineContext';
import { useAppState } from '../../state';
import { depthColors, DepthView } from './DepthView';
import './depth.css';

export function DepthChart(): ReactNode {
  const engine = useEngine();
  const selected = useAppState((s) => s.selected);
  const theme = useAppState((s) => s.theme);
  const canvas = useRef<HTMLCanvasElement>(null);
  const readout = useRef<HTMLSpanElement>(null);
  const view = useRef<DepthView | null>(null);

  useLayoutEffect(() => {
    const c = canvas.current;
    const r = readout.current;
    if (!c || !r) return;
    const v = new DepthView(c, depthColors(document.documentElement), r);
    view.current = v;
    const off = engine.onRender((latest) => v.paint(latest));
    return () => {
      off();
      v.dispose();
      view.current = null;
    };
  }, [engine]);

  useLayoutEffect(() => {
    view.current?.setColors(depthColors(document.documentElement));
  }, [theme]);

  return (
    <section className="panel depth" aria-label="Cumulative depth">
      <header className="panel-head">
        <span className="panel-title">Depth</span>
        <span className="sym">{selected ?? '—'}</span>
        <span className="spacer" />
        <span className="depth-readout num" ref={readout} data-testid="depth.readout" />
      </header>
      <canvas className="depth-canvas" ref={canvas} data-testid="depth.canvas" />
    </section>
  );
}
