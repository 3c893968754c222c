// The scan session over a real pool of in-process workers and the real wasm kernel.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ScanSpec } from '../../scan/grid';
import { loadScanWasm, type ScanKernel } from '../../scan/kernel';
import { ScanPool } from '../../scan/pool';
import { inProcessPort } from '../../testing/scanPorts';
import { ScanSession, type RunState } from './session';

const WASM = resolve(import.meta.dirname, '../../../core-wasm/pkg/ferrodesk_wasm_bg.wasm');
let kernel: ScanKernel;
beforeAll(async () => {
  kernel = await loadScanWasm(readFileSync(WASM));
});

const small: ScanSpec = {
  model: 'bsm', type: 'call', r: 0.03, q: 0,
  S: { min: 90, max: 110, steps: 5 }, K: { min: 100, max: 100, steps: 1 },
  sigma: { min: 0.2, max: 0.3, steps: 2 }, t: { min: 1, max: 1, steps: 1 },
};
const big: ScanSpec = { ...small, S: { min: 50, max: 150, steps: 2000 }, K: { min: 80, max: 120, steps: 100 } };

function session(): { s: ScanSession; states: RunState[] } {
  let id = 0;
  const timers = new Map<number, ReturnType<typeof setTimeout>>();
  const s = new ScanSession(
    () => new ScanPool({ size: 2, spawn: () => inProcessPort(() => kernel) }),
    {
      request: (fn) => {
        const n = ++id;
        timers.set(n, setTimeout(fn, 16));
        return n;
      },
      cancel: (n) => clearTimeout(timers.get(n)),
    },
  );
  const states: RunState[] = [];
  s.subscribe(() => {
    const st = s.snapshot().state;
    if (states[states.length - 1] !== st) states.push(st);
  });
  return { s, states };
}

describe('scan session', () => {
  it('runs a scan to a result, then keeps it through a cancelled one', async () => {
    const { s, states } = session();
    const first = await s.run(small);
    expect(first?.total).toBe(10);
    expect(s.snapshot()).toMatchObject({ state: 'done', rowsDone: 10, total: 10, message: null, resultSeq: 1 });
    const pending = s.run(big);
    expect(s.running).toBe(true);
    expect(await s.run(small)).toBeNull(); // one scan at a time
    await new Promise((r) => setTimeout(r, 5));
    await s.cancel();
    expect(await pending).toBeNull();
    const snap = s.snapshot();
    expect(snap.state).toBe('cancelled');
    expect(snap.message).toMatch(/^Cancelled after [\d,]+ of 400,000 combinations\.$/);
    expect(snap.result).toBe(first);
    expect(snap.resultSeq).toBe(1);
    expect(states).toEqual(['running', 'done', 'running', 'cancelling', 'cancelled']);
    s.dispose();
  });

  it('says why a scan failed, naming the chunk', async () => {
    const { s } = session();
    expect(await s.run({ ...small, model: 'nope' } as unknown as ScanSpec)).toBeNull();
    expect(s.snapshot().state).toBe('failed');
    expect(s.snapshot().message).toMatch(/^The scan failed: chunk 0 \(rows 0–9\) failed: model: .*nope/);
    s.dispose();
  });
});
