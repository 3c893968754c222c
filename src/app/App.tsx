/** The live workspace: header, ladder | chart | tape in a resizable split, status bar, shortcut help. */
import { useEffect, type ReactNode } from 'react';
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
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [store, engine]);
}

export function App(): ReactNode {
  useShortcuts();
  return (
    <div className="app">
      <Header />
      <main className="workspace">
        <SplitPane
          panes={[
            { id: 'ladder', label: 'order book', minPx: 300, children: <Ladder /> },
            { id: 'chart', label: 'chart', minPx: 320, children: <PriceChart /> },
            { id: 'tape', label: 'trades', minPx: 220, children: <Tape /> },
          ]}
        />
      </main>
      <StatusBar />
      <HelpOverlay />
    </div>
  );
}
