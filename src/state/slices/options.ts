import type { StateCreator } from 'zustand/vanilla';
import type { AppState, OptionsSlice, PricerState } from '../types';

export const DEFAULT_PRICER: PricerState = {
  model: 'bsm', type: 'call', spot: 100, strike: 100, volPct: 20, ratePct: 3, divPct: 0, days: 30, steps: 200,
  perDay: true, perPct: true, axis: 'spot', expiryMode: 'days',
};

export const createOptionsSlice: StateCreator<AppState, [], [], OptionsSlice> = (set, get) => ({
  optionsTab: 'pricer',
  pricer: DEFAULT_PRICER,
  strategyDoc: {
    strategy: { spot: 100, rate: 0.03, div: 0, legs: [] },
    scenario: { day: 0, volShift: 0 },
  },
  strategyName: '',
  heatRows: 'day',
  setOptionsTab: (optionsTab) => set({ optionsTab }),
  setPricer: (patch) => set({ pricer: { ...get().pricer, ...patch } }),
  setStrategyDoc: (strategyDoc) => set({ strategyDoc }),
  setStrategy: (patch) => {
    const doc = get().strategyDoc;
    set({ strategyDoc: { ...doc, strategy: { ...doc.strategy, ...patch } } });
  },
  setScenario: (patch) => {
    const doc = get().strategyDoc;
    set({ strategyDoc: { ...doc, scenario: { ...doc.scenario, ...patch } } });
  },
  setStrategyName: (strategyName) => set({ strategyName }),
  setHeatRows: (heatRows) => set({ heatRows }),
});
