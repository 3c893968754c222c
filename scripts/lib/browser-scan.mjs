// Benchmark suite `browser-scan`: the full 5 M-combination BSM scenario scan of the scan view (?view=scan), in
// Debian's Chromium driven by Playwright, over the page's scan worker pool (one worker per core: 2 on the project's
// machines). The built app (dist/) is served by a bare static file server on 127.0.0.1 so no market feed competes
// for the cores. Each timed run goes through the page's session (the Run button's path) and is timed by the pool:
// from dispatch to the last chunk's columns arriving on the main thread. Two warm-up runs, then the median of RUNS;
// a one-worker pool (?scan.workers=1) is measured first as the baseline (one warm-up, median of 5).
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize } from 'node:path';
import { ROOT } from './util.mjs';

const RUNS = 7;
const WARMUP = 2;
/** The scan view's default form: 200 S × 100 K × 50 σ × 5 t. */
const SPEC = {
  model: 'bsm', type: 'call', r: 0.03, q: 0.01,
  S: { min: 60, max: 140, steps: 200 },
  K: { min: 80, max: 120, steps: 100 },
  sigma: { min: 0.05, max: 0.8, steps: 50 },
  t: { min: 0.05, max: 2, steps: 5 },
};
const TOTAL = 200 * 100 * 50 * 5;

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.json': 'application/json', '.map': 'application/json',
};

function serveDist(dir) {
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    let file = normalize(join(dir, path));
    if (!file.startsWith(dir)) {
      res.writeHead(403).end();
      return;
    }
    if (!existsSync(file) || statSync(file).isDirectory()) file = join(dir, 'index.html');
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(res);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

export async function benchBrowserScan({ log = () => undefined } = {}) {
  const dist = join(ROOT, 'dist');
  if (!existsSync(join(dist, 'index.html'))) throw new Error('dist/ is not built: run `node scripts/build.mjs`');
  const { chromium } = await import('playwright-core');
  const server = await serveDist(dist);
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run'],
  });
  try {
    const { port } = server.address();
    const base = `http://127.0.0.1:${port}/?view=scan`;
    // The single-worker pool first, as the baseline the parallel figure is compared with.
    const single = await measure(browser, `${base}&scan.workers=1`, 1, 5, log);
    const pooled = await measure(browser, base, WARMUP, RUNS, log);
    return [...rows(single), ...rows(pooled)];
  } finally {
    await browser.close();
    server.close();
  }
}

async function measure(browser, url, warmup, runs, log) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  try {
    await page.goto(url);
    await page.waitForFunction(() => globalThis.__ferrodeskScan !== undefined);
    await page.evaluate(() => globalThis.__ferrodeskScan.ready());
    const pool = await page.evaluate(() => globalThis.__ferrodeskScan.pool());
    log(`browser-scan: ${pool.workers} worker(s) ready (${pool.ready} loaded), engine ${pool.engineVersion}`);
    const timed = [];
    for (let i = 0; i < warmup + runs; i++) {
      const r = await page.evaluate((spec) => globalThis.__ferrodeskScan.run(spec), SPEC);
      if (!r || r.total !== TOTAL) throw new Error(`scan run ${i} did not finish: ${JSON.stringify(r)}`);
      if (i >= warmup) timed.push(r);
      log(`browser-scan: ${pool.workers}w run ${i + 1}${i < warmup ? ' (warm-up)' : ''}: ${r.elapsedMs.toFixed(1)} ms, ${r.chunks} chunks`);
    }
    return { workers: pool.workers, timed };
  } finally {
    await page.close();
  }
}

function rows({ workers, timed }) {
  const ms = median(timed.map((r) => r.elapsedMs));
  const kernelNs = median(timed.map((r) => (r.computeMs * 1e6) / r.total));
  const impl = `chromium-${workers}w`;
  const name = 'bsm_5M_scan';
  return [
    { suite: 'browser-scan', name, impl, metric: 'total_ms', value: ms, unit: 'ms' },
    { suite: 'browser-scan', name, impl, metric: 'ns_per_option', value: (ms * 1e6) / TOTAL, unit: 'ns' },
    { suite: 'browser-scan', name, impl, metric: 'options_per_s', value: (TOTAL / ms) * 1000, unit: 'options/s' },
    // Time in the kernel per option inside one worker (grid fill + priceBatch + copy out), summed over chunks.
    { suite: 'browser-scan', name, impl, metric: 'kernel_ns_per_option_per_worker', value: kernelNs, unit: 'ns' },
  ];
}
