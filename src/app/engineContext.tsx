/** Gives components the engine client (for render subscriptions); the store has its own provider. */
import { createContext, useContext, type ReactNode } from 'react';
import type { EngineClient } from '../engine/client';

const EngineContext = createContext<EngineClient | null>(null);

export function EngineProvider({ engine, children }: { engine: EngineClient; children: ReactNode }): ReactNode {
  return <EngineContext.Provider value={engine}>{children}</EngineContext.Provider>;
}

export function useEngine(): EngineClient {
  const engine = useContext(EngineContext);
  if (!engine) throw new Error('useEngine: no EngineProvider above this component');
  return engine;
}
