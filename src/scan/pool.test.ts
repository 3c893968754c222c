// The worker pool with in-process ports (src/testing/scanPorts.ts): the real worker logic and the real wasm kernel.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { OUTPUTS, type ScanSpec } from '../protocol/scan';
import { inProcessPort as inProcess, type TestPort } from '../testing/scanPorts';
import { chunkRows, gridSize, rowInputs } from './grid';
import { loadScanWasm, scanTolerance, type ScanKernel } from './kernel';
import { defaultPoolSize, ScanError, ScanPool } from './pool';
import { cellAt } from './result';

const WASM = resolve(import.meta.dirname, '../../core-wasm/pkg/ferrodesk_wasm_bg.wasm');
let kernel: ScanKernel;

beforeAll(async () => {
  kernel = await loadScanWasm(readFileSync(WASM));
});

const spec: ScanSpec = {
  model: 'bsm', type: 'put', r: 0.02, q: 0.01,
  S: { min: 50, max: 150, steps: 41 },
  K: { min: 80, max: 120, steps: 21 },
  sigma: { min: 0.05, max: 0.9, steps: 12 },
  t: { min: 0.05, max: 2, steps: 4 },
};

describe('scan pool', () => {
  it('defaults to one worker per core, at least two', () => {
    expect(defaultPoolSize(undefined)).toBe(2);
    expect(defaultPoolSize(1)).toBe(2);
    expect(defaultPoolSize(8)).toBe(8);
  });

  it('prices every row across the workers, with progress, matching the scalar binding', async () => {
    const ports: TestPort[] = [];
    const pool = new ScanPool({ size: 3, spawn: () => { const p = inProcess(() => kernel); ports.push(p); return p; } });
    await pool.ready();
    expect(pool.stats()).toMatchObject({ workers: 3, ready: 3, failed: 0, engineVersion: kernel.engineVersion });
    const progress: number[] = [];
    const result = await pool.run(spec, { onProgress: (p) => progress.push(p.rowsDone) });
    const total = gridSize(spec);
    expect(result.total).toBe(total);
    expect(result.chunkRows).toBe(chunkRows('bsm', total, 3));
    expect(result.chunks.length).toBe(Math.ceil(total / result.chunkRows));
    expect(result.chunks.reduce((n, c) => n + c.price.length, 0)).toBe(total);
    expect(progress.length).toBe(result.chunks.length);
    expect(progress.at(-1)).toBe(total);
    for (let i = 1; i < progress.length; i++) expect(progress[i]).toBeGreaterThan(progress[i - 1] ?? 0);
    // Every worker took part.
    for (const p of ports) expect(p.received.some((m) => m.type === 'chunk')).toBe(true);
    for (const row of [0, 1, 777, 12_345, total - 1]) {
      const cell = cellAt(result, row);
      const inp = rowInputs(spec, row);
      const ref = kernel.priceOne({ model: spec.model, type: spec.type, r: spec.r, q: spec.q, ...inp });
      for (const o of OUTPUTS) {
        expect(Math.abs(cell.outputs[o] - ref[o]), `row ${row} ${o}`).toBeLessThanOrEqual(scanTolerance(o, inp.S, inp.K));
      }
    }
    pool.dispose();
  });

  it('cancel stops dispatching, drops queued chunks and rejects with kind cancelled', async () => {
    const pool = new ScanPool({ size: 2, spawn: () => inProcess(() => kernel) });
    await pool.ready();
    const big: ScanSpec = { ...spec, S: { min: 50, max: 150, steps: 400 } };
    let seen = 0;
    const run = pool.run(big, {
      onProgress: () => {
        if (++seen === 2) void pool.cancel();
      },
    });
    const err = await run.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ScanError);
    expect((err as ScanError).kind).toBe('cancelled');
    const after = pool.stats();
    expect(after.running).toBe(false);
    expect(after.terminated).toBe(0);
    // Far fewer chunks than the job had were computed, and nothing more arrives afterwards.
    const chunks = Math.ceil(gridSize(big) / chunkRows('bsm', gridSize(big), 2));
    expect(after.chunksComputed).toBeLessThan(chunks / 2);
    await new Promise((r) => setTimeout(r, 50));
    expect(pool.stats().chunksComputed).toBe(after.chunksComputed);
    // The pool runs the next scan normally.
    const again = await pool.run(spec);
    expect(again.total).toBe(gridSize(spec));
    pool.dispose();
  });

  it('an AbortSignal cancels too', async () => {
    const pool = new ScanPool({ size: 2, spawn: () => inProcess(() => kernel) });
    const ac = new AbortController();
    const run = pool.run(spec, { signal: ac.signal });
    ac.abort();
    await expect(run).rejects.toMatchObject({ kind: 'cancelled' });
    pool.dispose();
  });

  it('terminates and replaces a worker that does not stop in time', async () => {
    const ports: TestPort[] = [];
    let n = 0;
    // Worker 0 is stuck and never answers; its replacement works normally.
    const pool = new ScanPool({
      size: 2, cancelGraceMs: 30,
      spawn: () => {
        const p = inProcess(() => kernel, { stuck: n++ === 0 });
        ports.push(p);
        return p;
      },
    });
    const run = pool.run(spec);
    setTimeout(() => void pool.cancel(), 5);
    await expect(run).rejects.toMatchObject({ kind: 'cancelled' });
    expect(ports[0]?.terminated).toBe(true);
    expect(pool.stats().terminated).toBe(1);
    expect(ports.length).toBe(3);
    await pool.ready();
    expect(pool.stats()).toMatchObject({ workers: 2, ready: 2 });
    pool.dispose();
  });

  it('a chunk the engine refuses fails the scan with the chunk and the reason', async () => {
    const pool = new ScanPool({ size: 2, spawn: () => inProcess(() => kernel) });
    const bad = { ...spec, model: 'heston' } as unknown as ScanSpec;
    const err = (await pool.run(bad).catch((e: unknown) => e)) as ScanError;
    expect(err).toBeInstanceOf(ScanError);
    expect(err.kind).toBe('chunk');
    expect(err.chunk?.count).toBeGreaterThan(0);
    expect(err.message).toMatch(/^chunk \d+ \(rows \d+–\d+\) failed: model: .*heston/);
    expect(pool.stats().running).toBe(false);
    pool.dispose();
  });

  it('re-queues the chunks of a worker that cannot load the engine; fails only if none can', async () => {
    let n = 0;
    const pool = new ScanPool({
      size: 2, spawn: () => inProcess(() => (n++ === 0 ? new Error('wasm: out of memory') : kernel)),
    });
    const result = await pool.run(spec);
    expect(result.chunks.every((c) => c.price.length > 0)).toBe(true);
    expect(pool.stats()).toMatchObject({ failed: 1, ready: 1 });
    pool.dispose();

    const none = new ScanPool({ size: 2, spawn: () => inProcess(() => new Error('wasm: out of memory')) });
    await expect(none.run(spec)).rejects.toMatchObject({
      kind: 'engine', message: 'no scan worker could load the engine: wasm: out of memory',
    });
    none.dispose();
  });

  it('refuses a second scan while one runs', async () => {
    const pool = new ScanPool({ size: 2, spawn: () => inProcess(() => kernel) });
    const first = pool.run(spec);
    await expect(pool.run(spec)).rejects.toMatchObject({ kind: 'busy' });
    await first;
    pool.dispose();
  });
});
