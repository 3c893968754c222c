import type { StateCreator } from 'zustand/vanilla';
import type { InstrumentInfo } from '../../protocol/messages';
import type { AppState, InstrumentsSlice } from '../types';

/**
 * The instrument to show: the current one if the server still lists it, else the workspace's preferred one,
 * else the first listed. Nothing is chosen before the workspace has loaded, so a saved choice is not
 * overridden by a default for the split second in between.
 */
export function resolveSelection(
  instruments: readonly InstrumentInfo[],
  selected: string | null,
  preferred: string | null,
  hydrated: boolean,
): string | null {
  if (!hydrated || instruments.length === 0) return selected;
  const has = (s: string | null): s is string => s !== null && instruments.some((i) => i.symbol === s);
  if (has(selected)) return selected;
  if (has(preferred)) return preferred;
  return instruments[0]?.symbol ?? null;
}

export const createInstrumentsSlice: StateCreator<AppState, [], [], InstrumentsSlice> = (set, get) => ({
  instruments: [],
  selected: null,
  setInstruments: (_server, instruments) => {
    const s = get();
    set({ instruments, selected: resolveSelection(instruments, s.selected, s.preferredInstrument, s.hydrated) });
  },
  select: (symbol) => {
    const s = get();
    if (s.instruments.length > 0 && !s.instruments.some((i) => i.symbol === symbol)) return;
    if (s.selected !== symbol) set({ selected: symbol });
  },
  selectIndex: (index) => {
    const inst = get().instruments[index];
    if (inst) get().select(inst.symbol);
  },
});
