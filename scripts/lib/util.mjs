// Small helpers shared by the project's scripts: logging, freshness checks, child processes.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

export function say(tag, msg) {
  process.stdout.write(`\x1b[36m[${tag}]\x1b[0m ${msg}\n`);
}

/** Newest modification time (ms) of the files under the given paths (files or directories). */
export function newestMtime(paths, skip = /(^|\/)(node_modules|target|pkg|dist|build)(\/|$)/) {
  let newest = 0;
  const walk = (p) => {
    if (!existsSync(p) || skip.test(p.slice(ROOT.length))) return;
    const st = statSync(p);
    if (st.isDirectory()) for (const e of readdirSync(p)) walk(join(p, e));
    else newest = Math.max(newest, st.mtimeMs);
  };
  for (const p of paths) walk(resolve(ROOT, p));
  return newest;
}

/** True when `output` is missing or older than any input. */
export function stale(output, inputs) {
  const out = resolve(ROOT, output);
  if (!existsSync(out)) return true;
  return newestMtime(inputs) > statSync(out).mtimeMs;
}

/** Environment for building wasm32 with the toolchain scripts/setup.sh selected. */
export function wasmEnv() {
  const f = join(ROOT, '.wasm-toolchain.json');
  const extra = existsSync(f) ? JSON.parse(readFileSync(f, 'utf8')) : {};
  const bin = join(ROOT, 'node_modules/.bin');
  const cargoBin = join(process.env.HOME ?? '/root', '.cargo/bin');
  return { ...process.env, ...extra, PATH: `${bin}:${cargoBin}:${process.env.PATH}` };
}

/** Runs a command synchronously with inherited stdio; exits the process on failure. */
export function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', cwd: ROOT, ...opts });
  if (r.status !== 0) {
    process.stderr.write(`\n${cmd} ${args.join(' ')} failed (exit ${r.status ?? r.signal})\n`);
    process.exit(r.status ?? 1);
  }
}

/** Runs a command and resolves with its exit code (stdio inherited). */
export function runAsync(cmd, args, opts = {}) {
  return new Promise((resolvePromise) => {
    const child = spawn(cmd, args, { stdio: 'inherit', cwd: ROOT, ...opts });
    child.on('exit', (code, signal) => resolvePromise(code ?? (signal ? 1 : 0)));
  });
}
