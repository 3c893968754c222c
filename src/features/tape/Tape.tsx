/** The trade tape panel; `TapeView` adds rows imperatively as snapshots arrive. */
import { useLayoutEffect, useRef, type ReactNode } from 'react';
import { useEngine } from '../../app/engineContext';
import { useAppState } from '../../state';
import { TapeView } from './TapeView';
import './tape.css';

export function Tape(): ReactNode {
  const engine = useEngine();
  const selected = useAppState((s) => s.selected);
  const host = useRef<HTMLDivElement>(null);

  useLayoutEffect(() => {
    const el = host.current;
    if (!el) return;
    const view = new TapeView(el);
    return engine.onRender((_latest, frames) => view.paint(frames));
  }, [engine]);

  return (
    <section className="panel tape" aria-label="Trades">
      <header className="panel-head">
        <span className="panel-title">Trades</span>
        <span className="sym">{selected ?? '—'}</span>
      </header>
      <div className="tape-cols">
        <span>Time</span>
        <span>Price</span>
        <span>Size</span>
      </div>
      <div className="tape-body num" ref={host} data-testid="tape.list" />
    </section>
  );
}
