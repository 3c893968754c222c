/** Loads the wasm engine for the options worker: the one module here that imports the generated bindings. */
import init, { engineVersion, priceBatch, priceOption } from '../../core-wasm/pkg/ferrodesk_wasm.js';
import type { PricingEngine } from './pricing';

export async function loadPricingEngine(): Promise<{ engine: PricingEngine; version: string }> {
  await init();
  return { engine: { priceOption, priceBatch }, version: engineVersion() };
}
