import { describe, expect, it } from 'vitest';
import type { RenderSnapshot } from '../protocol/worker';
import type { ReplayState } from '../protocol/replay';
import type { BacktestHandle, DatasetHandle, ReplayBackend } from './engine';
import { ReplaySession } from './session';

/** A dataset of `n` events, event i at t0 + i ms, every 10th a trade; times are whole ms. */
function fakeDataset(n: number, t0 = 1_700_000_000_000): DatasetHandle {
  return {
    meta: { venue: 'sim', symbol: 'TEST', priceDecimals: 2, qtyDecimals: 3 },
    length: () => n,
    trades: () => Math.ceil(n / 10),
    tsMs: (i) => t0 + i,
    indexAtMs: (ms) => Math.min(n, Math.max(0, Math.ceil(ms - t0))),
    nextTime: (i) => Math.min(n, i + 1),
    tradesBetween: (from, to, max) => {
      const rows: number[] = [];
      for (let i = from; i < to; i++) if (i % 10 === 0) rows.push(t0 + i, 10_000 + i, 5, i % 20 === 0 ? 0 : 1);
      return Float64Array.from(rows.slice(-4 * max));
    },
    hash: () => 'ab'.repeat(32),
  };
}

class FakeBacktest implements BacktestHandle {
  at = 0;
  freed = false;
  runs: number[] = [];
  runTo(index: number): void {
    this.runs.push(index);
    this.at = index;
  }
  cursor(): number {
    return this.at;
  }
  summary(): Record<string, number> {
    return { events: this.at, position: 1000, pnl: this.at / 100, fills: Math.floor(this.at / 100), fees: 0.5 };
  }
  fills(): Float64Array {
    return new Float64Array([1_700_000_000_050e6, 1, 0, 10_050, 1000, 0.01, 1]);
  }
  equity(): Float64Array {
    return new Float64Array([1_700_000_000_000e6, 0, 0, 0, 0, 1_700_000_001_000e6, 1.5, 2000, 1, 0.5]);
  }
  openOrders(): Float64Array {
    return new Float64Array([7, 0, 9_999, 1000, 600, 2500]);
  }
  topLevels(side: 0 | 1, depth: number): Float64Array {
    const out: number[] = [];
    for (let i = 0; i < Math.min(depth, 3); i++) out.push(side === 0 ? 9_999 - i : 10_001 + i, 1000 * (i + 1));
    return Float64Array.from(out);
  }
  free(): void {
    this.freed = true;
  }
}

function setup(n = 10_000): {
  session: ReplaySession; frames: Array<{ snapshot: RenderSnapshot; state: ReplayState }>;
  stops: string[]; clock: { t: number }; made: FakeBacktest[];
} {
  const made: FakeBacktest[] = [];
  const backend: ReplayBackend = {
    version: '0.1.0-test',
    sampleDay: () => fakeDataset(n),
    newDataset: () => { throw new Error('not used'); },
    fromRecording: () => { throw new Error('not used'); },
    externalBacktest: () => { throw new Error('not used'); },
    backtest: (json) => {
      if (json.includes('bad')) throw new Error('strategy.kind is "bad", expected mm, imbalance or external');
      const b = new FakeBacktest();
      made.push(b);
      return b;
    },
  };
  const frames: Array<{ snapshot: RenderSnapshot; state: ReplayState }> = [];
  const stops: string[] = [];
  const clock = { t: 0 };
  const session = new ReplaySession(backend, () => Promise.reject(new Error('no files here')), {
    sandbox: () => { throw new Error('no sandbox here'); },
    now: () => clock.t,
    yield: () => Promise.resolve(),
    frame: (snapshot, state) => frames.push({ snapshot, state }),
    stopped: (reason) => stops.push(reason),
  });
  return { session, frames, stops, clock, made };
}

describe('ReplaySession', () => {
  it('describes a loaded dataset: span, density and hash', async () => {
    const { session } = setup();
    const labels: string[] = [];
    const info = await session.load({ kind: 'sample', seed: 7, minutes: 5 }, (_d, _t, l) => labels.push(l));
    expect(info).toMatchObject({ events: 10_000, trades: 1_000, symbol: 'TEST', priceDecimals: 2, qtyDecimals: 3 });
    expect(info.endMs - info.startMs).toBe(9_999);
    expect(Math.abs(info.density.reduce((a, b) => a + b, 0) - 10_000)).toBeLessThan(100);
    expect(labels).toContain('generating the sample day');
    await expect(session.load({ kind: 'sample', seed: -1, minutes: 5 }, () => undefined))
      .rejects.toThrow('seed must be a whole number from 0 to 9007199254740991, got -1');
  });

  it('refuses playback before a dataset and a run, with the reason', async () => {
    const { session } = setup();
    expect(() => session.play()).toThrow('load a dataset first');
    await session.load({ kind: 'sample', seed: 1, minutes: 1 }, () => undefined);
    expect(() => session.play()).toThrow('run a backtest first');
  });

  it('runs headless in slices with progress, converts fills to decimals, and parks the cursor at 0', async () => {
    const { session, frames, made } = setup(3_000_000);
    await session.load({ kind: 'sample', seed: 1, minutes: 1 }, () => undefined);
    const progress: number[] = [];
    const r = await session.runAll('{"strategy":{"kind":"mm"}}', (d) => progress.push(d));
    expect(progress).toEqual([1 << 20, 2 << 20, 3_000_000]);
    expect(made[0]?.freed).toBe(true);
    const fills = Array.from(new Float64Array(r.fills));
    expect(fills[0]).toBeCloseTo(1_700_000_000_050, 3);
    expect(fills.slice(1)).toEqual([1, 0, 100.5, 1, 0.01, 1]);
    const eq = Array.from(new Float64Array(r.equity)).slice(5);
    expect(eq[0]).toBeCloseTo(1_700_000_001_000, 3);
    expect(eq.slice(1)).toEqual([1.5, 2, 1, 0.5]);
    expect(new Float64Array(r.fillsRaw)[3]).toBe(10_050);
    const last = frames[frames.length - 1];
    expect(last?.state).toMatchObject({ index: 0, position: 1, seekSerial: 1 });
    expect(Array.from(new Float64Array(last?.state.orders ?? new ArrayBuffer(0)))).toEqual([7, 0, 99.99, 1, 0.6, 2.5]);
    await expect(session.runAll('{"strategy":{"kind":"bad"}}', () => undefined)).rejects.toThrow('strategy.kind is "bad"');
  });

  it('plays at speed: data time advances by wall time × speed per tick, and stops at the end', async () => {
    const { session, frames, stops, clock } = setup(10_000);
    await session.load({ kind: 'sample', seed: 1, minutes: 1 }, () => undefined);
    await session.runAll('{}', () => undefined);
    session.setSpeed(100);
    session.play();
    clock.t += 16;
    session.tick();
    // 16 ms × 100 = 1,600 ms of data = 1,600 events at one per ms.
    expect(frames[frames.length - 1]?.state.index).toBe(1_600);
    const snap = frames[frames.length - 1]?.snapshot;
    expect(new Float64Array(snap?.trades ?? new ArrayBuffer(0)).length).toBe(160 * 4);
    for (let k = 0; k < 200 && session.playing; k++) {
      clock.t += 100;
      session.tick();
    }
    expect(stops).toEqual(['end of the data']);
    expect(frames[frames.length - 1]?.state).toMatchObject({ index: 10_000, playing: false });
  });

  it('seeks by time and by index, steps, and counts seeks for the views', async () => {
    const { session, frames } = setup(10_000);
    await session.load({ kind: 'sample', seed: 1, minutes: 1 }, () => undefined);
    await session.runAll('{}', () => undefined);
    const before = frames.length;
    expect(session.seek({ tsMs: 1_700_000_000_000 + 4_321.5 })).toBe(4_322);
    // The heatmap's history before the cursor comes first: 120 columns 16 ms apart at 1× (one per tick), then
    // the frame at the cursor.
    const posted = frames.slice(before);
    expect(posted.length).toBe(121);
    for (const f of posted.slice(0, -1)) {
      expect(f.snapshot.trades.byteLength).toBe(0);
      expect(f.snapshot.candlesReset).toBe(false);
      expect(new Float64Array(f.snapshot.heat).length).toBeGreaterThan(4);
    }
    expect(posted.at(-1)?.snapshot.candlesReset).toBe(true);
    expect(session.seek({ index: 10 })).toBe(10);
    expect(session.step(3)).toBe(13);
    expect(frames[frames.length - 1]?.state).toMatchObject({ index: 13, seekSerial: 3 });
    expect(() => session.seek({ index: 10_001 })).toThrow('index must be a whole number from 0 to 10000, got 10001');
    expect(() => session.seek({})).toThrow('seek needs a finite tsMs or an index');
  });
});
