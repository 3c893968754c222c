// `npm test`: every quality gate and every test, in order, with a summary at the end.
//   rustfmt --check, clippy (warnings denied), tsc --noEmit, eslint, cargo test, vitest, Playwright e2e.
// Steps run even after a failure so one run shows everything that is wrong; the exit code is non-zero if any failed.
// Usage: node scripts/test.mjs [--only NAME[,NAME]]   (names: fmt, clippy, tsc, eslint, cargo, vitest, e2e)
import { ROOT, runAsync, say } from './lib/util.mjs';

const args = process.argv.slice(2);
const onlyIdx = args.indexOf('--only');
const only = onlyIdx >= 0 ? new Set((args[onlyIdx + 1] ?? '').split(',')) : undefined;

const cargoEnv = { ...process.env, PATH: `${process.env.HOME}/.cargo/bin:${process.env.PATH}` };
const cw = { cwd: `${ROOT}/core-wasm`, env: cargoEnv };

const steps = [
  ['fmt', 'cargo', ['fmt', '--all', '--check'], cw],
  ['clippy', 'cargo', ['clippy', '--workspace', '--all-targets', '--quiet', '--', '-D', 'warnings'], cw],
  ['tsc', 'npx', ['tsc', '--noEmit', '-p', 'tsconfig.json'], {}],
  ['tsc', 'npx', ['tsc', '--noEmit', '-p', 'server/tsconfig.json'], {}],
  ['tsc', 'npx', ['tsc', '--noEmit', '-p', 'server/tsconfig.test.json'], {}],
  ['tsc', 'npx', ['tsc', '--noEmit', '-p', 'cli/tsconfig.json'], {}],
  ['tsc', 'npx', ['tsc', '--noEmit', '-p', 'e2e/tsconfig.json'], {}],
  ['eslint', 'npx', ['eslint', '--max-warnings=0', '.'], {}],
  ['cargo', 'cargo', ['test', '--workspace', '--release', '--quiet'], cw],
  ['vitest', 'npx', ['vitest', 'run'], {}],
  ['e2e', 'npx', ['playwright', 'test'], {}],
];

const results = [];
for (const [name, cmd, cmdArgs, opts] of steps) {
  if (only && !only.has(name)) continue;
  say('test', `${name}: ${cmd} ${cmdArgs.join(' ')}`);
  const t0 = Date.now();
  const code = await runAsync(cmd, cmdArgs, opts);
  results.push({ name: `${name} (${cmd} ${cmdArgs.slice(0, 2).join(' ')})`, ok: code === 0, s: (Date.now() - t0) / 1000 });
}

say('test', 'summary');
for (const r of results) process.stdout.write(`  ${r.ok ? 'ok  ' : 'FAIL'}  ${r.name}  ${r.s.toFixed(1)} s\n`);
const failed = results.filter((r) => !r.ok).length;
process.stdout.write(`steps: ${results.length - failed} passed, ${failed} failed\n`);
process.exit(failed ? 1 : 0);
