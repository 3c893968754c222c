/** The workstation shell: header with workspace tabs, the selected view, status bar, shortcut help. */
import { Suspense, useEffect, type ReactNode } from 'react';
import { DepthChart } from '../features/depth/DepthChart';
import { Heatmap, requestHeatmapFit } from '../features/heatmap/Heatmap';
import { Ladder } from '../features/ladder/Ladder';
import { PriceChart } from '../features/chart/PriceChart';
import { Tape } from '../features/tape/Tape';
import { useStoreApi } from '../state';
import { useEngine } from './engineContext';
import { Header } from './Header';
import { HelpOverlay } from './HelpOverlay';
import { shortcutFor } from './shortcuts';
import { SplitPane } from './SplitPane';
import { StatusBar } from './StatusBar';
import { useView, VIEWS, ViewTabs, type ViewDef } from './views';

function useShortcuts(): void {
  const store = useStoreApi();
  const engine = useEngine();
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      const target = e.target instanceof HTMLElement ? e.target : null;
      const action = shortcutFor({
        key: e.key, ctrlKey: e.ctrlKey, altKey: e.altKey, metaKey: e.metaKey,
        targetTag: target?.tagName ?? '', targetEditable: target?.isContentEditable ?? false,
      });
      if (!action) return;
      e.preventDefault();
      const s = store.getState();
      switch (action.type) {
        case 'instrument':
          return s.selectIndex(action.index);
        case 'theme':
          return s.toggleTheme();
        case 'help':
          return s.setHelpOpen(!s.helpOpen);
        case 'close': {
          if (s.helpOpen) return s.setHelpOpen(false);
          const newest = s.notices[s.notices.length - 1];
          if (newest) s.dismissNotice(newest.id);
          return;
        }
        case 'grouping':
          return s.stepGrouping(action.steps);
        case 'depth':
          return s.stepDepth(action.steps);
        case 'candles':
          return s.setCandleSec(s.candleSec === 1 ? 5 : 1);
        case 'reconnect':
          engine.request('reconnect', {}).catch(() => undefined);
          return;
        case 'heatmap-fit':
          return requestHeatmapFit();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [store, engine]);
}

function LiveWorkspace(): ReactNode {
  return (
    <SplitPane
      panes={[
        { id: 'ladder', label: 'order book', minPx: 300, children: <Ladder /> },
        {
          id: 'chart', label: 'chart', minPx: 320,
          children: <div className="pane-stack"><PriceChart /><Heatmap /></div>,
        },
        { id: 'depth', label: 'depth', minPx: 200, children: <DepthChart /> },
        { id: 'tape', label: 'trades', minPx: 220, children: <Tape /> },
      ]}
    />
  );
}

const ALL_VIEWS: ViewDef[] = [
  { id: 'live', title: 'Live', hint: 'Live order book, chart and trades', render: () => <LiveWorkspace /> },
  ...VIEWS,
];

export function App(): ReactNode {
  useShortcuts();
  const [view, setView] = useView(ALL_VIEWS);
  const current = ALL_VIEWS.find((v) => v.id === view) ?? ALL_VIEWS[0];
  return (
    <div className="app">
      <Header tabs={<ViewTabs views={ALL_VIEWS} view={view} onSelect={setView} />} />
      <main className="workspace" data-view={view}>
        <Suspense fallback={<div className="view-loading">loading…</div>}>{current?.render()}</Suspense>
      </main>
      <StatusBar />
      <HelpOverlay />
    </div>
  );
}
