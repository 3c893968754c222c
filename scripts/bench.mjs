// `npm run bench`: the contenders side by side in one run, with ratios.
//   book: L2 delta apply on a synthetic depth-1000 stream — native Rust, wasm in Node, TypeScript baseline.
//   options: 5 M BSM prices with Greeks — native Rust, wasm and wasm SIMD128 in Node, TypeScript, numpy/scipy;
//            implied vol (Let's Be Rational) — native and wasm.
//   backtest: headless backtest with the built-in market maker on the synthetic L2 dataset, events/s — native Rust
//             and wasm in Node, with zero and with 1 ms latency.
//   pricer: option pricer slider-to-paint latency in Chromium (e2e/pricer-latency.bench.ts), p50/p95 in ms.
//   gateway: backend fan-out to N WebSocket clients on 127.0.0.1 (updates/s, latency p50/p99, RSS per client) and
//            the recorder's XADD rate beside redis-benchmark.
//   browser-scan: the 5 M BSM scenario scan in Chromium over the page's scan workers (needs dist/ built).
// `npm run bench -- --json` prints only a JSON array of {suite, name, impl, metric, value, unit}.
// `npm run bench -- --suite book` runs one suite.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT, say } from './lib/util.mjs';

const args = process.argv.slice(2);
const json = args.includes('--json');
const suiteIdx = args.indexOf('--suite');
const onlySuite = suiteIdx >= 0 ? args[suiteIdx + 1] : undefined;
const log = (m) => { if (!json) say('bench', m); };

function native(suite, extra = []) {
  log(`${suite}: native Rust (cargo, release)`);
  const r = spawnSync('cargo', ['run', '--quiet', '--release', '-p', 'ferrodesk-bench', '--', suite, '--json', ...extra], {
    cwd: join(ROOT, 'core-wasm'),
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, PATH: `${process.env.HOME}/.cargo/bin:${process.env.PATH}` },
  });
  if (r.status !== 0) throw new Error(`native ${suite} benchmark failed (exit ${r.status})`);
  return r.stdout.split('\n').filter((l) => l.trim().startsWith('{')).map((l) => JSON.parse(l));
}

async function nodeSuite(file, fn) {
  const mod = await import(pathToFileURL(join(ROOT, 'build/cli/src/bench', file)).href);
  return mod[fn]();
}

/** numpy/scipy, installed with pip (user site) when missing; skipped with a message when that is impossible. */
function numpy(script, args) {
  const has = () => spawnSync('python3', ['-c', 'import numpy, scipy'], { stdio: 'ignore' }).status === 0;
  if (!has()) {
    log('numpy/scipy missing: pip install --user numpy scipy');
    spawnSync('python3', ['-m', 'pip', 'install', '--user', '--quiet', 'numpy', 'scipy'], { stdio: json ? 'ignore' : 'inherit' });
  }
  if (!has()) {
    log('numpy/scipy unavailable: the numpy contender is skipped');
    return [];
  }
  log(`numpy/scipy: ${script}`);
  const r = spawnSync('python3', [join(ROOT, 'scripts/bench', script), ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  if (r.status !== 0) throw new Error(`numpy benchmark ${script} failed (exit ${r.status})`);
  return r.stdout.split('\n').filter((l) => l.trim().startsWith('{')).map((l) => JSON.parse(l));
}

const OPTION_ROWS = 5_000_000;

function pricerLatency() {
  log('pricer: slider-to-paint latency in Chromium (Playwright, real backend and wasm)');
  const r = spawnSync('npx', ['playwright', 'test', '-c', 'e2e/bench.config.ts', 'e2e/pricer-latency.bench.ts'], {
    cwd: ROOT, encoding: 'utf8', stdio: ['ignore', json ? 'ignore' : 'inherit', 'inherit'],
  });
  if (r.status !== 0) throw new Error(`pricer latency benchmark failed (exit ${r.status})`);
  const m = JSON.parse(readFileSync(join(ROOT, '.bench-out', 'pricer.json'), 'utf8'));
  return ['p50', 'p95'].map((metric) => ({ suite: 'pricer', name: 'slider-to-paint', impl: 'chromium', metric, value: m[metric], unit: 'ms' }));
}

function replayFps() {
  log('replay: visual replay of the BTCUSDT recording in Chromium at 100× (Playwright, real backend and wasm)');
  rmSync(join(ROOT, '.bench-out', 'replay.json'), { force: true });
  const r = spawnSync('npx', ['playwright', 'test', '-c', 'e2e/bench.config.ts', 'e2e/replay-fps.bench.ts'], {
    cwd: ROOT, encoding: 'utf8', stdio: ['ignore', json ? 'ignore' : 'inherit', 'inherit'],
  });
  if (r.status !== 0) throw new Error(`replay benchmark failed (exit ${r.status})`);
  const path = join(ROOT, '.bench-out', 'replay.json');
  if (!existsSync(path)) {
    log('replay: skipped (../shared/data absent)');
    return [];
  }
  const m = JSON.parse(readFileSync(path, 'utf8'));
  const rows = [];
  for (const [name, v] of [['at-100x', m.at100]]) {
    rows.push({ suite: 'replay', name, impl: 'chromium', metric: 'page-fps', value: v.fps, unit: 'frames/s' });
    rows.push({ suite: 'replay', name, impl: 'chromium', metric: 'replay-fps', value: v.replayFps, unit: 'frames/s' });
    rows.push({ suite: 'replay', name, impl: 'chromium', metric: 'p99-frame', value: v.p99FrameMs, unit: 'ms' });
  }
  return rows;
}

const suites = {
  async book() {
    const nat = native('book');
    log('book: wasm in Node and the TypeScript baseline');
    return [...nat, ...(await nodeSuite('book.js', 'benchBook'))];
  },
  async options() {
    const nat = native('options', ['--n', String(OPTION_ROWS), '--reps', '3']);
    log('options: wasm (baseline and SIMD128 builds) and the TypeScript baseline in Node');
    const node = await nodeSuite('options.js', 'benchOptions');
    return [...nat, ...node, ...numpy('options_numpy.py', [String(OPTION_ROWS), '3'])];
  },
  async backtest() {
    const nat = native('backtest', ['--reps', '3']);
    log('backtest: wasm in Node');
    return [...nat, ...(await nodeSuite('backtest.js', 'benchBacktest'))];
  },
  pricer: async () => pricerLatency(),
  replay: async () => replayFps(),
  async gateway() {
    log('gateway: backend fan-out, latency and memory with N WebSocket clients; recorder XADD vs redis-benchmark');
    const { benchGateway } = await import('./bench/gateway.mjs');
    return benchGateway({ log });
  },
  async 'browser-scan'() {
    log('browser-scan: 5 M BSM scan in Chromium (Playwright): 1 worker, then the default pool');
    const { benchBrowserScan } = await import('./lib/browser-scan.mjs');
    return benchBrowserScan({ log });
  },
};

const results = [];
for (const [name, run] of Object.entries(suites)) {
  if (onlySuite && onlySuite !== name) continue;
  results.push(...(await run()));
}

if (json) {
  process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
} else {
  const fmt = (v) => (v >= 1e6 ? `${(v / 1e6).toFixed(2)} M` : v >= 1e3 ? `${(v / 1e3).toFixed(2)} k` : v.toFixed(2));
  const groups = new Map();
  for (const r of results) {
    const key = `${r.suite}/${r.name}/${r.metric}`;
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key).push(r);
  }
  for (const [key, rows] of groups) {
    process.stdout.write(`\n${key}\n`);
    const base = rows.find((r) => r.impl === 'native') ?? rows[0];
    for (const r of rows) {
      const ratio = r.value / base.value;
      process.stdout.write(`  ${r.impl.padEnd(14)} ${fmt(r.value).padStart(10)} ${r.unit.padEnd(9)} ${ratio.toFixed(2)}× ${base.impl}\n`);
    }
  }
  process.stdout.write('\n');
}
