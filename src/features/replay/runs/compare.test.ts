import { describe, expect, it } from 'vitest';
import { SUMMARY_KEYS, type RunSummary, type SavedRun } from '../../../protocol/runs';
import { colorOf, defaultAxis, flatten, formatStat, reduceCurve, RUN_COLORS, settingsDiff, summaryDiff, toSeries } from './compare';

const S = 1e9;
const T0 = 1_767_225_600 * S;

function run(id: string, over: Partial<SavedRun> = {}, summary: Partial<RunSummary> = {}): SavedRun {
  const base = Object.fromEntries(SUMMARY_KEYS.map((k) => [k, 1])) as RunSummary;
  return {
    id, name: id, createdAt: '2026-01-01T00:00:00.000Z', points: 0, engineVersion: '0.3.0',
    strategy: { kind: 'mm', params: { spreadTicks: 2 } },
    config: { feedLatency: { kind: 'constant', ns: 0 }, seed: 1 },
    dataset: { hash: 'ab'.repeat(32), name: 'day.arrow', events: 10, venue: 'binance', symbol: 'BTCUSDT' },
    summary: { ...base, ...summary },
    curve: { ts: [], equity: [], position: [] },
    ...over,
  };
}

describe('toSeries', () => {
  const curve = { ts: [T0, T0 + 0.5 * S, T0 + S, T0 + 3 * S], equity: [10, 11, 12, 9], position: [0, 1, 1, 0] };

  it('maps ns to whole seconds, keeping the last sample of each second', () => {
    expect(toSeries(curve, 'absolute', 'raw')).toEqual([
      { time: 1_767_225_600, value: 11 }, { time: 1_767_225_601, value: 12 }, { time: 1_767_225_603, value: 9 },
    ]);
  });

  it('rebases to the first value and counts elapsed seconds', () => {
    expect(toSeries(curve, 'elapsed', 'rebased')).toEqual([{ time: 0, value: 1 }, { time: 1, value: 2 }, { time: 3, value: -1 }]);
  });

  it('gives nothing for an empty curve', () => {
    expect(toSeries({ ts: [], equity: [], position: [] }, 'absolute', 'raw')).toEqual([]);
  });
});

describe('defaultAxis', () => {
  it('is absolute for one dataset and elapsed for several', () => {
    expect(defaultAxis([run('a'), run('b')])).toBe('absolute');
    expect(defaultAxis([run('a'), run('b', { dataset: { ...run('b').dataset, hash: 'cd'.repeat(32) } })])).toBe('elapsed');
  });
});

describe('reduceCurve', () => {
  it('leaves a short curve alone', () => {
    const c = { ts: [1, 2], equity: [1, 2], position: [0, 0] };
    expect(reduceCurve(c, 10)).toBe(c);
  });

  it('keeps at most max points, the ends, the extremes, and time order', () => {
    const n = 10_001;
    const ts = Array.from({ length: n }, (_, i) => T0 + i * S);
    const equity = Array.from({ length: n }, (_, i) => Math.sin(i / 300) * 100 + (i === 7_777 ? -1000 : 0));
    const position = Array.from({ length: n }, (_, i) => i % 5);
    const r = reduceCurve({ ts, equity, position }, 5000);
    expect(r.ts.length).toBeLessThanOrEqual(5000);
    expect(r.ts.length).toBeGreaterThan(4000);
    expect(r.ts[0]).toBe(ts[0]);
    expect(r.ts.at(-1)).toBe(ts.at(-1));
    expect(Math.min(...r.equity)).toBe(Math.min(...equity));
    expect(Math.max(...r.equity)).toBe(Math.max(...equity));
    expect(r.ts.every((t, i) => i === 0 || t > (r.ts[i - 1] ?? 0))).toBe(true);
    const at = r.ts.indexOf(ts[7_777] ?? 0);
    expect(r.equity[at]).toBe(equity[7_777]);
    expect(r.position[at]).toBe(position[7_777]);
  });
});

describe('summaryDiff', () => {
  it('marks differing figures and the best run by each figure’s direction', () => {
    const rows = summaryDiff([
      run('a', {}, { pnl: 10, max_drawdown: -5, fees: 2, sharpe: 1.5 }),
      run('b', {}, { pnl: 12, max_drawdown: -8, fees: 2, sharpe: 1.5 + 1e-12 }),
      run('c', {}, { pnl: 12, max_drawdown: 4, fees: 3, sharpe: 1.5 }),
    ]);
    const row = (k: string) => rows.find((r) => r.key === k);
    expect(rows.map((r) => r.key)).toEqual([...SUMMARY_KEYS]);
    expect(row('pnl')).toMatchObject({ values: [10, 12, 12], differs: true, best: [1, 2] });
    expect(row('max_drawdown')).toMatchObject({ differs: true, best: [2] });
    expect(row('fees')).toMatchObject({ differs: true, best: [0, 1] });
    expect(row('sharpe')).toMatchObject({ differs: false, best: [] });
    expect(row('volume')).toMatchObject({ differs: false, best: [] });
  });
});

describe('settingsDiff', () => {
  it('lists only the settings that differ, as dotted paths', () => {
    const a = run('a');
    const b = run('b', { config: { feedLatency: { kind: 'constant', ns: 5_000_000 }, seed: 1 } });
    const c = run('c', { config: { feedLatency: { kind: 'uniform', minNs: 1, maxNs: 2 }, seed: 1 } });
    expect(settingsDiff([a, b])).toEqual([
      { key: 'config.feedLatency.ns', kind: 'setting', values: ['0', '5000000'], differs: true, best: [] },
    ]);
    expect(settingsDiff([a, c]).map((r) => [r.key, r.values])).toEqual([
      ['config.feedLatency.kind', ['constant', 'uniform']],
      ['config.feedLatency.ns', ['0', '—']],
      ['config.feedLatency.minNs', ['—', '1']],
      ['config.feedLatency.maxNs', ['—', '2']],
    ]);
    expect(settingsDiff([a, run('a2')])).toEqual([]);
  });

  it('flattens nested objects and keeps arrays as leaves', () => {
    expect([...flatten({ a: { b: 1 }, c: [2, 3], d: 'x' }, '')]).toEqual([['a.b', '1'], ['c', '[2,3]'], ['d', 'x']]);
  });
});

describe('colorOf', () => {
  it('cycles through the palette', () => {
    expect(colorOf(0)).toBe(RUN_COLORS[0]);
    expect(colorOf(RUN_COLORS.length + 1)).toBe(RUN_COLORS[1]);
  });
});

describe('formatStat', () => {
  it('groups integers and rounds by size', () => {
    expect(formatStat(1234567)).toBe('1,234,567');
    expect(formatStat(1234.5678)).toBe('1,234.57');
    expect(formatStat(-0.123456)).toBe('-0.1235');
    expect(formatStat(Number.NaN)).toBe('–');
    expect(formatStat('x')).toBe('x');
  });
});
