/** The price chart panel: candles from trades, interval 1 s or 5 s. */
import { useLayoutEffect, useRef, type ReactNode } from 'react';
import { useEngine } from '../../app/engineContext';
import { useAppState, useStoreApi } from '../../state';
import { ChartView, formatLast, themeColors } from './chartView';
import './chart.css';

export function PriceChart(): ReactNode {
  const engine = useEngine();
  const store = useStoreApi();
  const selected = useAppState((s) => s.selected);
  const candleSec = useAppState((s) => s.candleSec);
  const theme = useAppState((s) => s.theme);
  const host = useRef<HTMLDivElement>(null);
  const last = useRef<HTMLSpanElement>(null);
  const view = useRef<ChartView | null>(null);

  useLayoutEffect(() => {
    const el = host.current;
    if (!el) return;
    const v = new ChartView(el, themeColors(document.documentElement), (close, pd) => {
      const text = formatLast(close, pd);
      if (last.current && last.current.textContent !== text) last.current.textContent = text;
    });
    view.current = v;
    const off = engine.onRender((_latest, frames) => v.paint(frames));
    // A new chart needs the whole history, not just the candles that change from now on.
    engine.request('refresh', {}).catch(() => undefined);
    return () => {
      off();
      v.dispose();
      view.current = null;
    };
  }, [engine]);

  useLayoutEffect(() => {
    if (!view.current) return;
    view.current.setColors(themeColors(document.documentElement));
    // Volume bars carry their colours: redraw the history in the new theme.
    engine.request('refresh', {}).catch(() => undefined);
  }, [theme, engine]);

  return (
    <section className="panel chart" aria-label="Price chart">
      <header className="panel-head">
        <span className="panel-title">Chart</span>
        <span className="sym">{selected ?? '—'}</span>
        <span className="chart-last num" ref={last} title="Last trade price" />
        <span className="spacer" />
        <div className="seg" role="group" aria-label="Candle interval (c)">
          {([1, 5] as const).map((sec) => (
            <button key={sec} type="button" className="ctl num" aria-pressed={candleSec === sec}
              data-testid={`chart.interval.${sec}s`} onClick={() => store.getState().setCandleSec(sec)}>
              {sec}s
            </button>
          ))}
        </div>
      </header>
      <div className="chart-host" ref={host} data-testid="chart.price" />
    </section>
  );
}
