export { createAppStore, selectWorkspace, watch, type AppStore } from './store';
export { StoreProvider, useAppShallow, useAppState, useStoreApi } from './react';
export * from './defaults';
export type * from './types';
