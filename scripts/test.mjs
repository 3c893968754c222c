// `npm test`: every quality gate and every test, in order, with a summary at the end.
//   rustfmt --check, clippy (warnings denied), tsc --noEmit, eslint, cargo test, vitest, Playwright e2e.
// Steps run even after a failure so one run shows everything that is wrong; the exit code is non-zero if any failed.
// Usage: node scripts/test.mjs [--only NAME[,NAME]]   (names: fmt, clippy, tsc, eslint, cargo, vitest, e2e)
import { spawn } from 'node:child_process';
import { ROOT, say } from './lib/util.mjs';

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

/**
 * Runs a step with its output echoed as it comes and kept (bounded), so the summary can repeat what went wrong:
 * a long log is often read from its end.
 */
function runStep(cmd, cmdArgs, opts) {
  return new Promise((resolvePromise) => {
    const child = spawn(cmd, cmdArgs, { cwd: ROOT, ...opts, stdio: ['inherit', 'pipe', 'pipe'] });
    let kept = '';
    const keep = (chunk, sink) => {
      sink.write(chunk);
      kept += chunk.toString();
      if (kept.length > 4_000_000) kept = kept.slice(-2_000_000);
    };
    child.stdout.on('data', (c) => keep(c, process.stdout));
    child.stderr.on('data', (c) => keep(c, process.stderr));
    child.on('close', (code, signal) => resolvePromise({ code: code ?? (signal ? 1 : 0), output: kept }));
  });
}

const ERROR_LINE = /error|expect\(|expected|received|panicked|failed|FAIL|✘|assert|timed? ?out|›/i;

/** The lines of a failed step worth repeating: each error-looking line with two lines after it, at most 60. */
function excerpt(output) {
  // eslint-disable-next-line no-control-regex
  const lines = output.replace(/\x1b\[[0-9;]*m/g, '').split('\n');
  const picked = new Set();
  lines.forEach((line, i) => {
    if (ERROR_LINE.test(line)) for (let j = i; j <= Math.min(i + 2, lines.length - 1); j++) picked.add(j);
  });
  return [...picked].slice(0, 60).map((i) => `    ${lines[i]}`).join('\n');
}

const results = [];
for (const [name, cmd, cmdArgs, opts] of steps) {
  if (only && !only.has(name)) continue;
  say('test', `${name}: ${cmd} ${cmdArgs.join(' ')}`);
  const t0 = Date.now();
  const { code, output } = await runStep(cmd, cmdArgs, opts);
  results.push({
    name: `${name} (${cmd} ${cmdArgs.slice(0, 2).join(' ')})`,
    ok: code === 0,
    s: (Date.now() - t0) / 1000,
    output: code === 0 ? '' : output,
  });
}

for (const r of results.filter((x) => !x.ok)) {
  say('test', `what failed in ${r.name}`);
  process.stdout.write(`${excerpt(r.output)}\n`);
}
say('test', 'summary');
for (const r of results) process.stdout.write(`  ${r.ok ? 'ok  ' : 'FAIL'}  ${r.name}  ${r.s.toFixed(1)} s\n`);
const failed = results.filter((r) => !r.ok).length;
process.stdout.write(`steps: ${results.length - failed} passed, ${failed} failed\n`);
process.exit(failed ? 1 : 0);
