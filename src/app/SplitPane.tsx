/**
 * A horizontal split of panes with draggable (and keyboard-operable) splitters. Sizes are fractions of the
 * split kept in the store under each pane's id, so they persist with the workspace; double-click a splitter to
 * restore its neighbours' default sizes.
 */
import { useCallback, useRef, type KeyboardEvent, type PointerEvent, type ReactNode } from 'react';
import { DEFAULT_PANELS, useAppShallow, useStoreApi, type PanelId } from '../state';
import { moveBoundary, normaliseFractions } from './layout';

export interface PaneSpec {
  id: PanelId;
  minPx: number;
  label: string;
  children: ReactNode;
}

const SPLITTER_PX = 5;

export function SplitPane({ panes }: { panes: PaneSpec[] }): ReactNode {
  const store = useStoreApi();
  const ids = panes.map((p) => p.id);
  const fractions = useAppShallow((s) => normaliseFractions(ids, s.panels));
  const container = useRef<HTMLDivElement>(null);

  const idKey = ids.join('|');
  const commit = useCallback(
    (next: readonly number[]) => {
      const update: Record<string, number> = {};
      idKey.split('|').forEach((id, k) => {
        update[id] = next[k] ?? 0;
      });
      store.getState().setPanels(update);
    },
    [store, idKey],
  );

  const minFractions = (): number[] => {
    const width = (container.current?.clientWidth ?? 1) - SPLITTER_PX * (panes.length - 1);
    return panes.map((p) => p.minPx / Math.max(1, width));
  };

  const onPointerDown = (i: number) => (e: PointerEvent<HTMLDivElement>) => {
    const el = e.currentTarget;
    el.setPointerCapture(e.pointerId);
    el.dataset.dragging = 'true';
    const startX = e.clientX;
    const start = normaliseFractions(ids, store.getState().panels);
    const width = Math.max(1, (container.current?.clientWidth ?? 1) - SPLITTER_PX * (panes.length - 1));
    const mins = minFractions();
    let frame = 0;
    const move = (ev: globalThis.PointerEvent): void => {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(() => commit(moveBoundary(start, i, (ev.clientX - startX) / width, mins)));
    };
    const up = (): void => {
      el.dataset.dragging = 'false';
      el.removeEventListener('pointermove', move);
      el.removeEventListener('pointerup', up);
      el.removeEventListener('pointercancel', up);
    };
    el.addEventListener('pointermove', move);
    el.addEventListener('pointerup', up);
    el.addEventListener('pointercancel', up);
  };

  const onKeyDown = (i: number) => (e: KeyboardEvent<HTMLDivElement>) => {
    const step = e.shiftKey ? 0.05 : 0.01;
    const delta = e.key === 'ArrowLeft' ? -step : e.key === 'ArrowRight' ? step : 0;
    if (delta === 0) return;
    e.preventDefault();
    e.stopPropagation();
    commit(moveBoundary(fractions, i, delta, minFractions()));
  };

  const onDoubleClick = (i: number) => () => {
    const defaults = normaliseFractions(ids, DEFAULT_PANELS);
    const next = [...fractions];
    const pair = (fractions[i] ?? 0) + (fractions[i + 1] ?? 0);
    const share = (defaults[i] ?? 0) / ((defaults[i] ?? 0) + (defaults[i + 1] ?? 0));
    next[i] = pair * share;
    next[i + 1] = pair * (1 - share);
    commit(next);
  };

  return (
    <div className="split" ref={container}>
      {panes.map((p, i) => (
        <PaneWithSplitter
          key={p.id}
          spec={p}
          fraction={fractions[i] ?? 0}
          splitter={i < panes.length - 1
            ? {
                onPointerDown: onPointerDown(i),
                onKeyDown: onKeyDown(i),
                onDoubleClick: onDoubleClick(i),
                label: `Resize ${p.label} and ${panes[i + 1]?.label ?? ''}`,
                value: Math.round((fractions[i] ?? 0) * 100),
              }
            : null}
        />
      ))}
    </div>
  );
}

interface SplitterProps {
  onPointerDown(e: PointerEvent<HTMLDivElement>): void;
  onKeyDown(e: KeyboardEvent<HTMLDivElement>): void;
  onDoubleClick(): void;
  label: string;
  value: number;
}

function PaneWithSplitter({ spec, fraction, splitter }: { spec: PaneSpec; fraction: number; splitter: SplitterProps | null }):
  ReactNode {
  return (
    <>
      <div className="pane" data-panel={spec.id} style={{ flex: `${fraction} 1 0px`, minWidth: spec.minPx }}>
        {spec.children}
      </div>
      {splitter && (
        <div
          className="splitter"
          role="separator"
          aria-orientation="vertical"
          aria-label={splitter.label}
          aria-valuenow={splitter.value}
          aria-valuemin={0}
          aria-valuemax={100}
          tabIndex={0}
          data-testid={`layout.splitter.${spec.id}`}
          onPointerDown={splitter.onPointerDown}
          onKeyDown={splitter.onKeyDown}
          onDoubleClick={splitter.onDoubleClick}
        />
      )}
    </>
  );
}
