// Load benchmark of the backend on 127.0.0.1 (suite `gateway` of `npm run bench`), bounded in clients and time.
//
// For each scenario: a real redis-server in a temp dir, the built backend as a child process (simulator at a given
// batch rate, recording on), N WebSocket clients subscribed to every instrument's book and trades. Over a fixed
// window it measures the book updates (level records) the backend delivers per second across all clients, the
// event-to-receive latency of each delta frame (the frame's event time is the server's clock, which is the wall
// clock to the microsecond on this machine, as is the client's), the server's RSS per connected client, and the
// recorder's XADD entries per second. Then the recorder's own ceiling (entries pushed as fast as it accepts them)
// beside `redis-benchmark` pipelined XADD of the same payload size on the same Redis.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { hrtime } from 'node:process';
import { pathToFileURL } from 'node:url';
import { WebSocket } from 'ws';
import { ROOT } from '../lib/util.mjs';

const SCENARIOS = [
  { clients: 10, rate: 100 },
  { clients: 40, rate: 250 },
];
const WARM_MS = 1500;
const WINDOW_MS = 5000;

const anchorMono = hrtime.bigint();
const anchorWall = BigInt(Math.round((performance.timeOrigin + performance.now()) * 1e6));
const nowNs = () => anchorWall + (hrtime.bigint() - anchorMono);

const imp = (rel) => import(pathToFileURL(join(ROOT, rel)).href);

function rssKb(pid) {
  const m = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) : NaN;
}

function quantile(sorted, q) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

function startBackend(redisUrl, rate) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(ROOT, 'build/server/src/main.js'), '--port', '0', '--host', '127.0.0.1',
      '--redis-url', redisUrl, '--seed', '1', '--rate', String(rate), '--record', '1000000'], { stdio: ['ignore', 'pipe', 'inherit'] });
    const timer = setTimeout(() => reject(new Error('backend did not report its URL within 15 s')), 15_000);
    let buf = '';
    child.stdout.on('data', (chunk) => {
      buf += chunk.toString();
      const m = /listening on (http:\/\/[^\s"]+)/.exec(buf);
      if (m) {
        clearTimeout(timer);
        child.stdout.removeAllListeners('data');
        child.stdout.resume();
        resolve({ child, url: m[1] });
      }
    });
    child.once('exit', (code) => reject(new Error(`backend exited early (${code})`)));
  });
}

/** One client: subscribes to every instrument; counts level records and samples delta latencies. */
function connect(url, stats) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${url.replace('http', 'ws')}/ws?v=1`);
    ws.binaryType = 'nodebuffer';
    let reqId = 1;
    ws.on('message', (data, isBinary) => {
      if (!isBinary) {
        const msg = JSON.parse(data.toString());
        if (msg.type === 'hello') {
          for (const inst of msg.instruments) {
            ws.send(JSON.stringify({ type: 'subscribe', reqId: reqId++, instrument: inst.symbol, channels: ['book', 'trades'] }));
          }
          resolve(ws);
        }
        return;
      }
      if (!stats.measuring) return;
      const kind = data[2];
      const count = data.readUInt32LE(8);
      if (kind === 2) {
        stats.updates += count;
        if (stats.latencies.length < 2_000_000) stats.latencies.push(Number(nowNs() - data.readBigInt64LE(32)) / 1e6);
      } else if (kind === 3) {
        stats.trades += count;
      }
    });
    ws.once('error', reject);
  });
}

async function health(url) {
  return (await fetch(`${url}/api/health`)).json();
}

async function scenario({ clients, rate }, redisUrl, log) {
  const { child, url } = await startBackend(redisUrl, rate);
  try {
    const rssBefore = rssKb(child.pid);
    const stats = { measuring: false, updates: 0, trades: 0, latencies: [] };
    const sockets = [];
    for (let i = 0; i < clients; i++) sockets.push(await connect(url, stats));
    await new Promise((r) => setTimeout(r, WARM_MS));
    const h0 = await health(url);
    stats.measuring = true;
    const t0 = performance.now();
    await new Promise((r) => setTimeout(r, WINDOW_MS));
    stats.measuring = false;
    const seconds = (performance.now() - t0) / 1000;
    const h1 = await health(url);
    const rssAfter = rssKb(child.pid);
    for (const ws of sockets) ws.terminate();
    const lat = Float64Array.from(stats.latencies).sort();
    const name = `fanout_${clients}clients_rate${rate}`;
    const written = (h1.recorder?.written ?? 0) - (h0.recorder?.written ?? 0);
    log(`${name}: ${(stats.updates / seconds / 1e3).toFixed(1)} k updates/s delivered, p50 ${quantile(lat, 0.5).toFixed(3)} ms, ` +
      `p99 ${quantile(lat, 0.99).toFixed(3)} ms, recorder dropped ${h1.recorder?.dropped ?? '?'}`);
    return [
      { suite: 'gateway', name, impl: 'node', metric: 'updates_per_s', value: stats.updates / seconds, unit: 'updates/s' },
      { suite: 'gateway', name, impl: 'node', metric: 'latency_p50', value: quantile(lat, 0.5), unit: 'ms' },
      { suite: 'gateway', name, impl: 'node', metric: 'latency_p99', value: quantile(lat, 0.99), unit: 'ms' },
      { suite: 'gateway', name, impl: 'node', metric: 'rss_per_client', value: (rssAfter - rssBefore) / clients, unit: 'KiB' },
      { suite: 'gateway', name, impl: 'recorder', metric: 'xadd_per_s', value: written / seconds, unit: 'entries/s' },
    ];
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }
}

/** The recorder's ceiling: a stub market pushes delta frames as fast as the recorder's queue takes them. */
async function recorderCeiling(redisUrl, frame) {
  const { Recorder } = await imp('build/server/src/recorder/recorder.js');
  const { silentLogger } = await imp('build/server/src/log.js');
  let listener = () => undefined;
  const market = {
    instruments: () => [{ id: 1, symbol: 'BENCH' }],
    onStep: (l) => {
      listener = l;
      return () => undefined;
    },
    snapshot: () => ({ seq: 0n, frame }),
  };
  const rec = new Recorder({ redisUrl, market, logger: silentLogger, maxQueue: 50_000, batchSize: 512, maxLen: 1_000_000,
    session: `bench-${Date.now()}` });
  const deadline = performance.now() + 4000;
  let seq = 0n;
  const w0 = { t: performance.now(), written: rec.status().written };
  while (performance.now() < deadline) {
    const st = rec.status();
    for (let i = st.queued; i < 40_000; i++) listener({ instrumentId: 1, seq: ++seq, trades: null, deltas: frame });
    await new Promise((r) => setImmediate(r));
  }
  const st = rec.status();
  const perS = (st.written - w0.written) / ((performance.now() - w0.t) / 1000);
  await rec.stop(0);
  return perS;
}

function redisBenchmark(port, bytes) {
  const payload = 'x'.repeat(bytes);
  const r = spawnSync('redis-benchmark', ['-h', '127.0.0.1', '-p', String(port), '-n', '300000', '-P', '64', '-q',
    'XADD', 'bench:redis-benchmark', 'MAXLEN', '~', '1000000', '*', 'k', 'd', 'seq', '1', 'f', payload], { encoding: 'utf8' });
  if (r.status !== 0) return NaN;
  const m = /([\d.]+) requests per second/.exec(r.stdout);
  return m ? Number(m[1]) : NaN;
}

export async function benchGateway({ log }) {
  const { startOwnedRedis } = await imp('build/server/src/redis/owned.js');
  const { silentLogger } = await imp('build/server/src/log.js');
  const { encodeLevels, FrameKind } = await imp('build/src/protocol/wire.js');
  const dir = mkdtempSync(join(tmpdir(), 'ferrodesk-bench-gateway-'));
  const redis = await startOwnedRedis({ dataDir: dir, logger: silentLogger });
  const out = [];
  try {
    for (const s of SCENARIOS) out.push(...(await scenario(s, redis.url, log)));
    const levels = Array.from({ length: 10 }, (_, i) => ({ side: i % 2, price: 100_000 + i, qty: 5 + i }));
    const frame = encodeLevels({ kind: FrameKind.Delta, instrumentId: 1, seqFirst: 1n, seqLast: 1n, tsEventNs: 0n }, levels);
    const rec = await recorderCeiling(redis.url, frame);
    const rb = spawnSync('which', ['redis-benchmark']).status === 0 ? redisBenchmark(redis.port, frame.length) : NaN;
    if (Number.isNaN(rb)) log('redis-benchmark not available: its column is skipped');
    log(`recorder ceiling ${(rec / 1e3).toFixed(1)} k entries/s; redis-benchmark XADD -P 64 ${(rb / 1e3).toFixed(1)} k/s`);
    if (!Number.isNaN(rb)) out.push({ suite: 'gateway', name: 'xadd_ceiling', impl: 'redis-benchmark', metric: 'entries_per_s', value: rb, unit: 'entries/s' });
    out.push({ suite: 'gateway', name: 'xadd_ceiling', impl: 'recorder', metric: 'entries_per_s', value: rec, unit: 'entries/s' });
  } finally {
    await redis.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  return out;
}
