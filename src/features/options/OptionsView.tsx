/**
 * The Options workspace (`?view=options`): the single-option pricer and the strategy builder, both priced by
 * the options worker. `?tab=strategy` opens the builder; `st=` carries a shared strategy (strategy/codec.ts).
 */
import { useEffect, type ReactNode } from 'react';
import { useAppState, useStoreApi } from '../../state';
import { installPricerTestApi } from './latency';
import { PricerPanel } from './pricer/PricerPanel';
import { StrategyPanel } from './strategy/StrategyPanel';
import { useOptionsShortcuts } from './shortcuts';
import './options.css';

export default function OptionsView(): ReactNode {
  const store = useStoreApi();
  const tab = useAppState((s) => s.optionsTab);
  useOptionsShortcuts();
  useEffect(() => {
    installPricerTestApi(window);
    const q = new URLSearchParams(window.location.search);
    if (q.get('tab') === 'strategy' || q.has('st')) store.getState().setOptionsTab('strategy');
  }, [store]);
  // The tab is kept in `?tab=` however it was chosen (click or shortcut), so a reload opens the same one.
  useEffect(() => {
    const url = new URL(window.location.href);
    if (tab === 'pricer') url.searchParams.delete('tab');
    else url.searchParams.set('tab', tab);
    if (url.href !== window.location.href) window.history.replaceState(window.history.state, '', url);
  }, [tab]);
  const select = (t: 'pricer' | 'strategy'): void => store.getState().setOptionsTab(t);
  return (
    <section className="panel options-view" aria-label="Options">
      <header className="panel-head">
        <span className="panel-title">Options</span>
        <div className="seg" role="tablist" aria-label="Options tools">
          <button type="button" role="tab" className="ctl" aria-selected={tab === 'pricer'} aria-pressed={tab === 'pricer'}
            data-testid="opt.tab.pricer" title="Single-option pricer (p)" onClick={() => select('pricer')}>Pricer</button>
          <button type="button" role="tab" className="ctl" aria-selected={tab === 'strategy'} aria-pressed={tab === 'strategy'}
            data-testid="opt.tab.strategy" title="Multi-leg strategy builder (s)" onClick={() => select('strategy')}>Strategy</button>
        </div>
      </header>
      <div className="options-body">{tab === 'pricer' ? <PricerPanel /> : <StrategyPanel />}</div>
    </section>
  );
}
