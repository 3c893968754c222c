import type { StateCreator } from 'zustand/vanilla';
import {
  DEFAULT_CANDLE_SEC, DEFAULT_DEPTH, DEFAULT_GROUPING, DEFAULT_PANELS, DEFAULT_THEME, DEPTH_PRESETS, GROUPING_PRESETS,
  stepPreset,
} from '../defaults';
import type { AppState, PanelSizes, SettingsSlice } from '../types';
import { VIEW_LIMITS } from '../../protocol/worker';

const clampInt = (v: number, min: number, max: number): number => Math.min(max, Math.max(min, Math.round(v)));

/** Keeps fractions within 0..1, rounded to 1e-4 so that a drag does not produce endless distinct values. */
export function cleanPanels(panels: PanelSizes): PanelSizes {
  const out: PanelSizes = {};
  for (const [id, v] of Object.entries(panels)) {
    if (Number.isFinite(v)) out[id] = Math.round(Math.min(1, Math.max(0, v)) * 10_000) / 10_000;
  }
  return out;
}

export const createSettingsSlice: StateCreator<AppState, [], [], SettingsSlice> = (set, get) => ({
  theme: DEFAULT_THEME,
  panels: { ...DEFAULT_PANELS },
  depth: DEFAULT_DEPTH,
  grouping: DEFAULT_GROUPING,
  candleSec: DEFAULT_CANDLE_SEC,
  setTheme: (theme) => set({ theme }),
  toggleTheme: () => set({ theme: get().theme === 'dark' ? 'light' : 'dark' }),
  setPanels: (panels) => set({ panels: { ...get().panels, ...cleanPanels(panels) } }),
  setDepth: (depth) => set({ depth: clampInt(depth, VIEW_LIMITS.minDepth, VIEW_LIMITS.maxDepth) }),
  stepDepth: (steps) => set({ depth: stepPreset(DEPTH_PRESETS, get().depth, steps) }),
  setGrouping: (grouping) => set({ grouping: clampInt(grouping, VIEW_LIMITS.minGrouping, VIEW_LIMITS.maxGrouping) }),
  stepGrouping: (steps) => set({ grouping: stepPreset(GROUPING_PRESETS, get().grouping, steps) }),
  setCandleSec: (candleSec) => set({ candleSec }),
});
