/** React access to the store: a context for the instance and narrow selector hooks. */
import { createContext, useContext, type ReactNode } from 'react';
import { useStore } from 'zustand';
import { useShallow } from 'zustand/react/shallow';
import type { AppStore } from './store';
import type { AppState } from './types';

const StoreContext = createContext<AppStore | null>(null);

export function StoreProvider({ store, children }: { store: AppStore; children: ReactNode }): ReactNode {
  return <StoreContext.Provider value={store}>{children}</StoreContext.Provider>;
}

export function useStoreApi(): AppStore {
  const store = useContext(StoreContext);
  if (!store) throw new Error('useStoreApi: no StoreProvider above this component');
  return store;
}

/** Subscribes to one selected value; the component re-renders only when it changes (Object.is). */
export function useAppState<T>(selector: (s: AppState) => T): T {
  return useStore(useStoreApi(), selector);
}

/** For selectors that build a new array or object each time: compared shallowly. */
export function useAppShallow<T extends object>(selector: (s: AppState) => T): T {
  return useStore(useStoreApi(), useShallow(selector));
}
