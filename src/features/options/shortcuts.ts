/** The Options workspace's keyboard shortcuts (table in src/app/shortcuts.ts, shown by the help overlay). */
import { useEffect } from 'react';
import { optionsShortcutFor } from '../../app/shortcuts';
import { CURVE_AXES, type Leg } from '../../protocol/options';
import { useStoreApi } from '../../state';
import { MODELS_FOR, exerciseOf, modelForExercise } from './pricer/model';
import { MAX_LEGS } from './strategy/codec';

/** Listeners for actions that need a component's context (saving goes through the strategy panel). */
export const optionsEvents = new EventTarget();

export function useOptionsShortcuts(): void {
  const store = useStoreApi();
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      const target = e.target instanceof HTMLElement ? e.target : null;
      const action = optionsShortcutFor({ key: e.key, ctrlKey: e.ctrlKey, altKey: e.altKey, metaKey: e.metaKey,
        targetTag: target?.tagName ?? '', targetEditable: target?.isContentEditable ?? false });
      if (!action) return;
      e.preventDefault();
      const s = store.getState();
      const p = s.pricer;
      switch (action) {
        case 'tab-pricer':
          return s.setOptionsTab('pricer');
        case 'tab-strategy':
          return s.setOptionsTab('strategy');
        case 'toggle-type':
          return s.setPricer({ type: p.type === 'call' ? 'put' : 'call' });
        case 'next-model': {
          const list = MODELS_FOR[exerciseOf(p.model)];
          return s.setPricer({ model: list[(list.indexOf(p.model) + 1) % list.length] ?? p.model });
        }
        case 'toggle-exercise':
          return s.setPricer({ model: modelForExercise(p.model, exerciseOf(p.model) === 'american' ? 'european' : 'american') });
        case 'next-axis':
          return s.setPricer({ axis: CURVE_AXES[(CURVE_AXES.indexOf(p.axis) + 1) % CURVE_AXES.length] ?? 'spot' });
        case 'per-day':
          return s.setPricer({ perDay: !p.perDay });
        case 'per-pct':
          return s.setPricer({ perPct: !p.perPct });
        case 'add-leg': {
          const st = s.strategyDoc.strategy;
          if (st.legs.length >= MAX_LEGS) return;
          const leg: Leg = { kind: 'call', qty: 1, strike: st.spot, expiryDays: st.legs[0]?.expiryDays ?? 30, model: 'bsm',
            vol: st.legs[0]?.vol ?? 0.2, steps: 200 };
          return s.setStrategy({ legs: [...st.legs, leg] });
        }
        case 'reset-scenario':
          return s.setScenario({ day: 0, volShift: 0 });
        case 'heat-rows':
          return s.setHeatRows(s.heatRows === 'day' ? 'volShift' : 'day');
        case 'save-strategy':
          optionsEvents.dispatchEvent(new Event('save'));
          return;
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [store]);
}
