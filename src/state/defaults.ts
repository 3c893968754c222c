import type { CandleSeconds } from '../protocol/worker';
import type { PanelSizes, Theme } from './types';

/** Ids of the panels in the live workspace's horizontal split, left to right. */
export const PANEL_IDS = ['ladder', 'chart', 'depth', 'tape'] as const;
export type PanelId = (typeof PANEL_IDS)[number];

export const DEFAULT_PANELS: Readonly<PanelSizes> = { ladder: 0.26, chart: 0.36, depth: 0.2, tape: 0.18 };
export const DEFAULT_THEME: Theme = 'dark';
export const DEFAULT_DEPTH = 25;
export const DEFAULT_GROUPING = 1;
export const DEFAULT_CANDLE_SEC: CandleSeconds = 1;

export const DEPTH_PRESETS = [10, 15, 20, 25, 30, 40, 50] as const;
export const GROUPING_PRESETS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000] as const;
export const MAX_NOTICES = 50;

/** The preset `steps` away from `value` (or from the nearest preset below it), clamped to the list. */
export function stepPreset(presets: readonly number[], value: number, steps: number): number {
  let at = 0;
  for (let i = 0; i < presets.length; i++) if ((presets[i] ?? Infinity) <= value) at = i;
  // Between two presets, the one below counts as the first step down.
  if (presets[at] !== value && steps < 0 && (presets[at] ?? Infinity) < value) steps += 1;
  const next = Math.min(presets.length - 1, Math.max(0, at + steps));
  return presets[next] ?? value;
}
