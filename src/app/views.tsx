/**
 * The workstation's top-level views (Live, and each workspace a feature adds). A feature registers one entry in
 * VIEWS; the header shows them as tabs, `?view=<id>` in the URL selects one (shareable, kept on reload), and
 * Alt+1…9 switches between them. Views other than Live load lazily so the live path stays small.
 */
import { lazy, useCallback, useEffect, useState, type ReactNode } from 'react';

const OptionsView = lazy(() => import('../features/options/OptionsView'));
const ScanView = lazy(() => import('../features/scan/ScanView'));
const ReplayView = lazy(() => import('../features/replay/ReplayView'));

export interface ViewDef {
  id: string;
  title: string;
  /** What the tab's tooltip says the view is for. */
  hint: string;
  render: () => ReactNode;
}

/**
 * The views after Live (which App defines). Each feature adds one entry here, rendering a component loaded with
 * React.lazy, e.g. `{ id: 'options', title: 'Options', hint: '…', render: () => <OptionsView /> }`.
 */
export const VIEWS: ViewDef[] = [
  { id: 'options', title: 'Options', hint: 'Option pricer and strategy builder', render: () => <OptionsView /> },
  { id: 'scan', title: 'Scan', hint: 'Scenario scan: millions of option prices and Greeks over S, K, σ and t', render: () => <ScanView /> },
  {
    id: 'replay', title: 'Replay', hint: 'Backtest replay: run a strategy through recorded L2 data and watch it play',
    render: () => <ReplayView />,
  },
];

export function viewFromSearch(search: string, views: readonly ViewDef[]): string {
  const wanted = new URLSearchParams(search).get('view');
  return views.find((v) => v.id === wanted)?.id ?? views[0]?.id ?? 'live';
}

/** The current view id, kept in `?view=` with history.replaceState (other query parameters untouched). */
export function useView(views: readonly ViewDef[]): [string, (id: string) => void] {
  const [view, setViewState] = useState(() => viewFromSearch(window.location.search, views));
  const setView = useCallback(
    (id: string) => {
      if (!views.some((v) => v.id === id)) return;
      const url = new URL(window.location.href);
      if (id === views[0]?.id) url.searchParams.delete('view');
      else url.searchParams.set('view', id);
      window.history.replaceState(window.history.state, '', url);
      setViewState(id);
    },
    [views],
  );
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (!e.altKey || e.ctrlKey || e.metaKey) return;
      const m = /^Digit([1-9])$/.exec(e.code);
      const target = views[Number(m?.[1] ?? 0) - 1];
      if (!m || !target) return;
      e.preventDefault();
      setView(target.id);
    };
    const onPop = (): void => setViewState(viewFromSearch(window.location.search, views));
    window.addEventListener('keydown', onKey);
    window.addEventListener('popstate', onPop);
    return () => {
      window.removeEventListener('keydown', onKey);
      window.removeEventListener('popstate', onPop);
    };
  }, [views, setView]);
  return [view, setView];
}

export function ViewTabs(props: { views: readonly ViewDef[]; view: string; onSelect: (id: string) => void }):
  ReactNode {
  if (props.views.length < 2) return null;
  return (
    <nav className="view-tabs" role="tablist" aria-label="Workspaces">
      {props.views.map((v, i) => (
        <button key={v.id} type="button" role="tab" className="view-tab" data-testid="view.tab" data-view={v.id}
          aria-selected={v.id === props.view} title={`${v.hint} (Alt+${i + 1})`}
          onClick={() => props.onSelect(v.id)}>
          {v.title}
        </button>
      ))}
    </nav>
  );
}
