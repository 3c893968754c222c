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

let cached: WasmModule | undefined;

/** Imports the generated bindings and instantiates the wasm synchronously; cached per process. */
export async function loadWasm(): Promise<WasmModule> {
  if (cached) return cached;
  const pkg = join(projectRoot(), 'core-wasm', 'pkg');
  const glue = join(pkg, 'ferrodesk_wasm.js');
  const bin = join(pkg, 'ferrodesk_wasm_bg.wasm');
  if (!existsSync(glue) || !existsSync(bin)) {
    throw new Error(`wasm engine not built (${glue} missing); run \`node scripts/build.mjs\``);
  }
  const mod = (await import(pathToFileURL(glue).href)) as WasmModule;
  mod.initSync({ module: readFileSync(bin) });
  cached = mod;
  return mod;
}
