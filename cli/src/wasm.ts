// Loads the wasm engine in Node: the same .wasm the browser worker runs (wasm-pack --target web output).
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type * as Wasm from '../../core-wasm/pkg/ferrodesk_wasm.js';

export type WasmModule = typeof Wasm;

/** The project root: the directory holding core-wasm/ (found upwards from this file, source or build). */
export function projectRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    if (existsSync(join(dir, 'core-wasm', 'Cargo.toml'))) return dir;
    dir = dirname(dir);
  }
  throw new Error('cannot find the project root (a directory containing core-wasm/Cargo.toml)');
}

/** A loaded engine: the bindings and the instance's memory (for zero-copy views such as OptionBatch columns). */
export interface LoadedWasm {
  wasm: WasmModule;
  memory: WebAssembly.Memory;
}

/** `scalar` is core-wasm/pkg; `simd` the same engine built with SIMD128 (core-wasm/pkg-simd). */
export type WasmVariant = 'scalar' | 'simd';

const cached = new Map<WasmVariant, LoadedWasm>();

/** Imports the generated bindings of one build and instantiates it synchronously; cached per process. */
export async function loadWasmVariant(variant: WasmVariant): Promise<LoadedWasm> {
  const hit = cached.get(variant);
  if (hit) return hit;
  const pkg = join(projectRoot(), 'core-wasm', variant === 'simd' ? 'pkg-simd' : 'pkg');
  const glue = join(pkg, 'ferrodesk_wasm.js');
  const bin = join(pkg, 'ferrodesk_wasm_bg.wasm');
  if (!existsSync(glue) || !existsSync(bin)) {
    throw new Error(`wasm engine not built (${glue} missing); run \`node scripts/build.mjs\``);
  }
  const wasm = (await import(pathToFileURL(glue).href)) as WasmModule;
  const exports = wasm.initSync({ module: readFileSync(bin) });
  const loaded = { wasm, memory: exports.memory };
  cached.set(variant, loaded);
  return loaded;
}

/** The engine's bindings (the scalar build). */
export async function loadWasm(): Promise<WasmModule> {
  return (await loadWasmVariant('scalar')).wasm;
}
