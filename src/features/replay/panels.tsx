/**
 * The replay workspace's market panels, each painting imperatively from the replay client's frames: the ladder
 * with own orders, the liquidity heatmap, the price chart with fill markers, the trade tape, and the equity and
 * position chart.
 */
import { useLayoutEffect, useRef, type ReactNode } from 'react';
import { FILL_FIELDS } from '../../protocol/replay';
import type { RenderFrame } from '../../engine/renderFrame';
import { ChartView, themeColors } from '../chart/chartView';
import { heatColors, HeatmapView } from '../heatmap/HeatmapView';
import { TapeView } from '../tape/TapeView';
import { EquityChart } from './equityChart';
import { OwnLadderView, readOrders } from './ownLadder';
import { replayClient, useReplayStore } from './store';
import '../heatmap/heatmap.css';
import '../tape/tape.css';

const LADDER_ROWS = 14;

/**
 * Feeds a view that accumulates frames (heatmap, tape) and clears it on every seek; returns the unsubscribe.
 */
function followFrames(paint: (frames: readonly RenderFrame[]) => void, clear: () => void): () => void {
  const c = replayClient();
  let serial = -1;
  const offState = c.onState((s) => {
    if (s.seekSerial !== serial) {
      serial = s.seekSerial;
      clear();
    }
  });
  const offRender = c.onRender((_latest, frames) => paint(frames));
  return () => {
    offState();
    offRender();
  };
}

export function LadderPanel(): ReactNode {
  const asks = useRef<HTMLDivElement>(null);
  const bids = useRef<HTMLDivElement>(null);
  const spread = useRef<HTMLDivElement>(null);
  const symbol = useReplayStore((s) => s.dataset?.symbol ?? '—');
  useLayoutEffect(() => {
    if (!asks.current || !bids.current || !spread.current) return;
    const view = new OwnLadderView(asks.current, bids.current, spread.current, LADDER_ROWS);
    const c = replayClient();
    const offState = c.onState((s) => view.setOrders(readOrders(new Float64Array(s.orders))));
    const offRender = c.onRender((latest) => view.paint(latest));
    return () => {
      offState();
      offRender();
    };
  }, []);
  return (
    <section className="panel replay-ladder" aria-label="Order book at the cursor" data-testid="replay.ladder">
      <header className="panel-head">
        <span className="panel-title">Book</span>
        <span className="sym">{symbol}</span>
        <span className="spacer" />
        <span className="rl-legend" title="Own orders: size left ▸ quantity ahead of it in the queue">own ▸ ahead</span>
      </header>
      <div className="rl-body num">
        <div className="rl-side" ref={asks} />
        <div className="rl-spread" ref={spread} data-testid="replay.ladder.spread" />
        <div className="rl-side" ref={bids} />
      </div>
    </section>
  );
}

export function HeatmapPanel(): ReactNode {
  const canvas = useRef<HTMLCanvasElement>(null);
  useLayoutEffect(() => {
    const el = canvas.current;
    if (!el) return;
    const view = new HeatmapView(el, heatColors(document.documentElement), (lo, hi) => view.setCutoffs(lo, hi));
    const off = followFrames((frames) => view.paintFrames(frames), () => view.clear());
    return () => {
      off();
      view.dispose();
    };
  }, []);
  return (
    <section className="panel heatmap" aria-label="Liquidity heatmap" data-testid="replay.heatmap">
      <header className="panel-head">
        <span className="panel-title">Heatmap</span>
        <span className="spacer" />
        <span className="heat-hint" title="One column per played frame; history rebuilt after a seek; bubbles are trades">bubbles: trades</span>
      </header>
      <canvas className="heat-canvas" ref={canvas} data-testid="replay.heatmap.canvas" />
    </section>
  );
}

/** Fills up to `untilMs` as chart markers `[timeSec, side, price]`, the last `max`. */
export function fillMarkers(fills: Float64Array, untilMs: number, max = 300): Array<[number, 0 | 1, number]> {
  const out: Array<[number, 0 | 1, number]> = [];
  for (let i = 0; i + FILL_FIELDS <= fills.length; i += FILL_FIELDS) {
    const ms = fills[i] ?? 0;
    if (ms > untilMs) break;
    out.push([Math.floor(ms / 1000), (fills[i + 2] ?? 0) === 1 ? 1 : 0, fills[i + 3] ?? 0]);
  }
  return out.slice(-max);
}

export function PricePanel(): ReactNode {
  const host = useRef<HTMLDivElement>(null);
  useLayoutEffect(() => {
    const el = host.current;
    if (!el) return;
    const chart = new ChartView(el, themeColors(document.documentElement), () => undefined);
    const c = replayClient();
    let shownFills = -1;
    let fills = useReplayStore.getState().run?.fills ?? new Float64Array(0);
    const unsub = useReplayStore.subscribe((s) => {
      const f = s.run?.fills ?? new Float64Array(0);
      if (f !== fills) {
        fills = f;
        shownFills = -1;
      }
    });
    const off = c.onRender((_latest, frames) => chart.paint(frames));
    const offState = c.onState((s) => {
      // Count the fills up to the cursor; redraw the markers only when that count changes.
      let n = 0;
      for (let i = 0; i + FILL_FIELDS <= fills.length && (fills[i] ?? 0) <= s.tsMs; i += FILL_FIELDS) n++;
      if (n !== shownFills) {
        shownFills = n;
        chart.setFillMarkers(fillMarkers(fills, s.tsMs));
      }
    });
    return () => {
      off();
      offState();
      unsub();
      chart.dispose();
    };
  }, []);
  return (
    <section className="panel replay-price" aria-label="Price with fills" data-testid="replay.price">
      <header className="panel-head">
        <span className="panel-title">Price · fills</span>
      </header>
      <div className="chart-host" ref={host} />
    </section>
  );
}

export function TapePanel(): ReactNode {
  const host = useRef<HTMLDivElement>(null);
  useLayoutEffect(() => {
    const el = host.current;
    if (!el) return;
    const view = new TapeView(el);
    return followFrames((frames) => view.paint(frames), () => view.clear());
  }, []);
  return (
    <section className="panel tape" aria-label="Trades">
      <header className="panel-head"><span className="panel-title">Trades</span></header>
      <div className="tape-cols"><span>Time</span><span>Price</span><span>Size</span></div>
      <div className="tape-body num" ref={host} data-testid="replay.tape" />
    </section>
  );
}

export function EquityPanel(): ReactNode {
  const host = useRef<HTMLDivElement>(null);
  const readout = useRef<HTMLSpanElement>(null);
  useLayoutEffect(() => {
    const el = host.current;
    if (!el) return;
    const css = getComputedStyle(document.documentElement);
    const chart = new EquityChart(el, themeColors(document.documentElement),
      css.getPropertyValue('--accent').trim() || '#e5a823');
    let equity: Float64Array | null = null;
    const sync = (): void => {
      const r = useReplayStore.getState().run;
      if (r && r.equity !== equity) {
        equity = r.equity;
        chart.setRun(r.equity);
      }
    };
    sync();
    const unsub = useReplayStore.subscribe(sync);
    let last = 0;
    const offState = replayClient().onState((s) => {
      const now = performance.now();
      if (readout.current) {
        readout.current.textContent = `PnL ${s.equity.toFixed(2)} · pos ${s.position} · fees ${s.fees.toFixed(2)}`;
        readout.current.dataset.pnl = String(s.equity);
      }
      if (!s.playing || now - last > 150) {
        last = now;
        chart.setCursor(s.tsMs);
      }
    });
    return () => {
      unsub();
      offState();
      chart.dispose();
    };
  }, []);
  return (
    <section className="panel replay-equity" aria-label="Equity and position" data-testid="replay.equity">
      <header className="panel-head">
        <span className="panel-title">Equity · position</span>
        <span className="spacer" />
        <span className="num replay-pnl" ref={readout} data-testid="replay.pnl" />
      </header>
      <div className="chart-host" ref={host} />
    </section>
  );
}
