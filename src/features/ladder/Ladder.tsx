/** The order-book panel: React draws the frame and controls once; `LadderView` paints the rows every frame. */
import { useEffect, useLayoutEffect, useRef, type ReactNode } from 'react';
import { useEngine } from '../../app/engineContext';
import { formatFixed } from '../../format/number';
import { DEPTH_PRESETS, GROUPING_PRESETS, useAppState, useStoreApi } from '../../state';
import { LadderView, type SpreadElements, type TooltipElements } from './LadderView';
import './ladder.css';

export function Ladder(): ReactNode {
  const engine = useEngine();
  const store = useStoreApi();
  const depth = useAppState((s) => s.depth);
  const grouping = useAppState((s) => s.grouping);
  const selected = useAppState((s) => s.selected);
  const live = useAppState((s) => s.connection.state === 'connected');
  const tick = useAppState((s) => s.instruments.find((i) => i.symbol === s.selected)?.tickSize ?? null);
  const priceDecimals = useAppState((s) => s.instruments.find((i) => i.symbol === s.selected)?.priceDecimals ?? 0);

  const root = useRef<HTMLElement>(null);
  const view = useRef<LadderView | null>(null);

  useLayoutEffect(() => {
    const section = root.current;
    if (!section) return;
    const el = (name: string): HTMLElement => {
      const found = section.querySelector<HTMLElement>(`[data-el="${name}"]`);
      if (!found) throw new Error(`Ladder: element "${name}" missing`);
      return found;
    };
    const spread: SpreadElements = {
      spread: el('spread'), spreadBps: el('spreadBps'), mid: el('mid'), micro: el('micro'), imbalance: el('imbalance'),
      imbalanceBar: el('imbalanceBar'), bestBidQty: el('bestBidQty'), bestAskQty: el('bestAskQty'),
      awaiting: el('awaiting'),
    };
    const tip: TooltipElements = {
      root: el('tip'), title: el('tipTitle'), avg: el('tipAvg'), qty: el('tipQty'), notional: el('tipNotional'),
      note: el('tipNote'),
    };
    const v = new LadderView(el('body'), el('asks'), el('bids'), spread, tip);
    view.current = v;
    v.setDepth(store.getState().depth);
    const off = engine.onRender((latest) => v.paint(latest));
    return () => {
      off();
      v.dispose();
      view.current = null;
    };
  }, [engine, store]);

  useLayoutEffect(() => {
    view.current?.setDepth(depth);
  }, [depth]);

  useEffect(() => {
    view.current?.centre();
  }, [selected, depth]);

  const tickNum = tick === null ? Number.NaN : Number(tick);
  const stepLabel = (g: number): string =>
    Number.isFinite(tickNum) ? formatFixed(g * tickNum, priceDecimals) : `${g}×`;

  return (
    <section className="panel ladder" data-live={live} aria-label="Order book" ref={root}>
      <header className="panel-head">
        <span className="panel-title">Book</span>
        <span className="sym">{selected ?? '—'}</span>
        <span className="spacer" />
        <label>
          Step
          <select className="ctl num" data-testid="ladder.grouping" value={grouping} title="Price grouping (g / G)"
            onChange={(e) => store.getState().setGrouping(Number(e.target.value))}>
            {(GROUPING_PRESETS as readonly number[]).includes(grouping) ? null : (
              <option value={grouping}>{stepLabel(grouping)}</option>
            )}
            {GROUPING_PRESETS.map((g) => (
              <option key={g} value={g}>{stepLabel(g)}</option>
            ))}
          </select>
        </label>
        <label>
          Depth
          <select className="ctl num" data-testid="ladder.depth" value={depth} title="Levels a side ([ / ])"
            onChange={(e) => store.getState().setDepth(Number(e.target.value))}>
            {(DEPTH_PRESETS as readonly number[]).includes(depth) ? null : <option value={depth}>{depth}</option>}
            {DEPTH_PRESETS.map((d) => (
              <option key={d} value={d}>{d}</option>
            ))}
          </select>
        </label>
      </header>
      <div className="ladder-touch num">
        <span className="touch-q" title="Size at the best bid">
          <span className="touch-label">bid</span>
          <span className="bid-q" data-el="bestBidQty" />
        </span>
        <div className="imb" title="Imbalance of the top 5 levels: (bid − ask) / (bid + ask)">
          <span className="touch-label">imb</span>
          <div className="imb-track"><div className="imb-bar" data-el="imbalanceBar" /></div>
          <span className="imb-val" data-el="imbalance" />
        </div>
        <span className="touch-q touch-ask" title="Size at the best ask">
          <span className="ask-q" data-el="bestAskQty" />
          <span className="touch-label">ask</span>
        </span>
      </div>
      <div className="ladder-cols">
        <span>Price</span>
        <span>Size</span>
        <span>Total</span>
      </div>
      <div className="ladder-body num" data-el="body">
        <div className="ladder-side" data-el="asks" />
        <div className="ladder-spread" data-testid="ladder.spread-row">
          <span className="sp-label">Spread</span>
          <span className="sp-val" data-testid="ladder.spread" data-el="spread" />
          <span className="sp-bps" data-el="spreadBps" />
          <span className="spacer" />
          <span className="sp-label">Mid</span>
          <span className="sp-mid" data-testid="ladder.mid" data-el="mid" />
          <span className="sp-label" title="Size-weighted microprice">Micro</span>
          <span className="sp-micro" data-el="micro" />
        </div>
        <div className="ladder-side" data-el="bids" />
        <div className="ladder-awaiting" data-el="awaiting" hidden>awaiting book snapshot…</div>
      </div>
      <div className="ladder-tip num" data-testid="ladder.tooltip" data-el="tip" role="tooltip" hidden>
        <div className="tip-title" data-el="tipTitle" />
        <dl>
          <dt>Avg price</dt><dd data-testid="ladder.tooltip.avg" data-el="tipAvg" />
          <dt>Total qty</dt><dd data-testid="ladder.tooltip.qty" data-el="tipQty" />
          <dt>Notional</dt><dd data-testid="ladder.tooltip.notional" data-el="tipNotional" />
        </dl>
        <div className="tip-note" data-testid="ladder.copied" data-el="tipNote" hidden />
        <div className="tip-hint">click or Enter copies the price</div>
      </div>
    </section>
  );
}
