import { VIEW_LIMITS, type ViewConfig } from '../protocol/worker';

const clampInt = (v: number, min: number, max: number, fallback: number): number =>
  Number.isFinite(v) ? Math.min(max, Math.max(min, Math.round(v))) : fallback;

/** Brings a requested view within limits: integer depth 1..200 and grouping 1..1,000,000, candles 1 s or 5 s. */
export function normaliseView(view: ViewConfig): ViewConfig {
  return {
    depth: clampInt(view.depth, VIEW_LIMITS.minDepth, VIEW_LIMITS.maxDepth, 25),
    grouping: clampInt(view.grouping, VIEW_LIMITS.minGrouping, VIEW_LIMITS.maxGrouping, 1),
    candleSec: view.candleSec === 5 ? 5 : 1,
  };
}
