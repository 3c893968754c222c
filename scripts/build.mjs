// Builds what is out of date: the wasm engine (wasm-pack), the Node side (server + CLI, tsc) and the SPA (Vite).
// Quiet when everything is fresh. Usage: node scripts/build.mjs [--force] [--only wasm|node|web]
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, run, say, stale, wasmEnv } from './lib/util.mjs';

const args = process.argv.slice(2);
const force = args.includes('--force');
const onlyIdx = args.indexOf('--only');
const only = onlyIdx >= 0 ? args[onlyIdx + 1] : undefined;
for (const a of args) {
  if (!['--force', '--only', 'wasm', 'node', 'web'].includes(a)) {
    process.stderr.write(`build: unknown argument '${a}' (expected --force, --only wasm|node|web)\n`);
    process.exit(2);
  }
}
const want = (step) => !only || only === step;

const WASM_OUT = 'core-wasm/pkg/ferrodesk_wasm_bg.wasm';
const WASM_SIMD_OUT = 'core-wasm/pkg-simd/ferrodesk_wasm_bg.wasm';
const WASM_INPUTS = ['core-wasm/engine/src', 'core-wasm/bindings/src', 'core-wasm/Cargo.toml', 'core-wasm/Cargo.lock',
  'core-wasm/engine/Cargo.toml', 'core-wasm/bindings/Cargo.toml'];

/**
 * One wasm-pack build into core-wasm/<outDir>. The SIMD128 variant compiles the same crates with
 * `+simd128` into its own target directory (different RUSTFLAGS would otherwise rebuild everything each time).
 */
function buildWasm(outDir, simd) {
  say('build', `wasm engine${simd ? ' with SIMD128' : ''} (wasm-pack, release) → core-wasm/${outDir}`);
  rmSync(join(ROOT, 'core-wasm', outDir), { recursive: true, force: true });
  const env = wasmEnv();
  if (simd) {
    env.RUSTFLAGS = `${env.RUSTFLAGS ?? ''} -C target-feature=+simd128`.trim();
    env.CARGO_TARGET_DIR = join(env.CARGO_TARGET_DIR ?? join(ROOT, 'core-wasm/target'), 'simd128');
  }
  run('wasm-pack', ['build', 'bindings', '--release', '--target', 'web', '--out-dir', `../${outDir}`,
    '--out-name', 'ferrodesk_wasm', '--no-pack'], { cwd: join(ROOT, 'core-wasm'), env });
  // The boundary is typed: fail the build if `any` leaks into the generated declarations.
  const dts = readFileSync(join(ROOT, `core-wasm/${outDir}/ferrodesk_wasm.d.ts`), 'utf8');
  const leaks = dts.split('\n').filter((l) => /\bany\b/.test(l) && !/^\s*(\*|\/\/)/.test(l) && !/readonly memory/.test(l)
    && !/InitInput|InitOutput|SyncInitInput|__wbg|__wbindgen|_export|\(a: number/.test(l));
  if (leaks.length) {
    process.stderr.write(`build: 'any' in core-wasm/${outDir}/ferrodesk_wasm.d.ts:\n${leaks.join('\n')}\n`);
    process.exit(1);
  }
  writeFileSync(join(ROOT, `core-wasm/${outDir}/package.json`),
    JSON.stringify({ name: `ferrodesk-wasm${simd ? '-simd' : ''}`, type: 'module', main: 'ferrodesk_wasm.js',
      types: 'ferrodesk_wasm.d.ts' }, null, 2));
}

if (want('wasm') && (force || stale(WASM_OUT, WASM_INPUTS))) buildWasm('pkg', false);
if (want('wasm') && (force || stale(WASM_SIMD_OUT, WASM_INPUTS))) buildWasm('pkg-simd', true);

const NODE_INPUTS = ['server/src', 'server/tsconfig.json', 'cli/src', 'cli/tsconfig.json', 'src/protocol', 'src/wasm', 'src/dataset'];
if (want('node') && (force || stale('build/.stamp', NODE_INPUTS))) {
  say('build', 'backend and CLI (tsc)');
  run('npx', ['tsc', '-p', 'server/tsconfig.json']);
  run('npx', ['tsc', '-p', 'cli/tsconfig.json']);
  writeFileSync(join(ROOT, 'build/.stamp'), new Date().toISOString());
}

const WEB_INPUTS = ['src', 'index.html', 'vite.config.ts', 'public', 'core-wasm/pkg', 'core-wasm/pkg-simd',
  'package-lock.json'];
if (want('web') && (force || stale('dist/index.html', WEB_INPUTS))) {
  say('build', 'web app (vite)');
  run('npx', ['vite', 'build', '--logLevel', 'warn']);
}
