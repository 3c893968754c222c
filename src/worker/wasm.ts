/** Loads the wasm engine: the one module of the worker that imports the generated bindings. */
import init, { Engine, engineVersion } from '../../core-wasm/pkg/ferrodesk_wasm.js';
import type { LoadedEngine } from './engine';

export async function loadEngine(): Promise<LoadedEngine> {
  await init();
  return { engine: new Engine(), version: engineVersion() };
}
