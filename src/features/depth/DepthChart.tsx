/** The cumulative depth panel: React draws the frame once; `DepthView` paints the canvas every render frame. */
import { useLayoutEffect, useRef, type ReactNode } from 'react';
import { useEngine } from '../../app/engineContext';
import { useAppState } from '../../state';
import { DepthView } from './DepthView';
import './depth.css';

export function DepthChart(): ReactNode {
  const engine = useEngine();
  const selected = useAppState((s) => s.selected);
  const canvas = useRef<HTMLCanvasElement>(null);
  const readout = useRef<HTMLSpanElement>(null);

  useLayoutEffect(() => {
    const c = canvas.current;
    const r = readout.current;
    if (!c || !r) return;
    const view = new DepthView(c, r);
    const off = engine.onRender((latest) => view.paint(latest));
    return () => {
      off();
      view.dispose();
    };
  }, [engine]);

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
