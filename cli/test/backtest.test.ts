// `ferrodesk backtest` as a user runs it: the launcher, the compiled CLI and the real wasm engine, on the real
// Binance BTCUSDT recording (MANIFEST.md) and on the built-in sample day. Build first: `node scripts/build.mjs`.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import { afterAll, describe, expect, it } from 'vitest';
import { ferrodesk } from './run';

const SPOT = resolve(import.meta.dirname, '..', '..', '..', 'shared', 'data', 'orderbook', 'binance', 'spot_btcusdt_20240808.gz');
const hasData = existsSync(SPOT);
if (!hasData) console.warn(`skipping the BTCUSDT backtests: ${SPOT} is absent`);

const tmp = mkdtempSync(join(tmpdir(), 'ferrodesk-backtest-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const MM = JSON.stringify({ spreadTicks: 2, orderQtyLots: 1000, maxPositionLots: 5000, requoteTicks: 1 });
const CONFIG = JSON.stringify({
  feedLatency: { kind: 'constant', ns: 500_000 }, orderLatency: { kind: 'constant', ns: 1_000_000 },
  fees: { makerBps: -0.5, takerBps: 4 },
});

type Summary = Record<string, unknown> & { dataset: { events: number; hash: string } };

function run(...args: string[]): Summary {
  const r = ferrodesk('backtest', ...args);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as Summary;
}

const withoutTiming = (s: Summary): Summary => {
  const { elapsed_ms: _e, events_per_s: _r, ...rest } = s;
  return rest as Summary;
};

describe.skipIf(!hasData)('on the Binance BTCUSDT spot recording', () => {
  it('runs the market maker and prints every figure of the summary', () => {
    const s = run('--data', SPOT, '--venue', 'binance-spot', '--strategy', 'mm', '--params', MM, '--config', CONFIG);
    for (const k of ['events', 'orders', 'fills', 'pnl', 'fees', 'sharpe', 'max_drawdown', 'elapsed_ms', 'events_per_s']) {
      expect(s, k).toHaveProperty(k);
    }
    expect(s.events).toBe(s.dataset.events);
    expect(s.fills as number).toBeGreaterThan(0);
    expect(s.orders as number).toBeGreaterThanOrEqual(s.fills as number > 0 ? 1 : 0);
    // Maker fills only (post-only quotes) at a −0.5 bps rebate: fees are a credit.
    expect(s.fees as number).toBeLessThan(0);
    expect(s.dataset.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('is deterministic, and gives the same numbers from the imported Arrow dataset as from the recording', () => {
    const a = run('--data', SPOT, '--venue', 'binance-spot', '--strategy', 'mm', '--params', MM, '--config', CONFIG, '--seed', '9');
    const b = run('--data', SPOT, '--venue', 'binance-spot', '--strategy', 'mm', '--params', MM, '--config', CONFIG, '--seed', '9');
    expect(withoutTiming(b)).toEqual(withoutTiming(a));

    const arrow = join(tmp, 'spot.arrow');
    const imp = ferrodesk('import', '--venue', 'binance-spot', '--in', SPOT, '--out', arrow);
    expect(imp.code).toBe(0);
    const c = run('--data', arrow, '--strategy', 'mm', '--params', MM, '--config', CONFIG, '--seed', '9');
    const { dataset: da, ...ra } = withoutTiming(a);
    const { dataset: dc, ...rc } = withoutTiming(c);
    expect(rc).toEqual(ra);
    expect(dc.hash).toBe(da.hash);
  });

  it('writes the summary, the fills and the equity curve with --out', () => {
    const out = join(tmp, 'run1');
    const s = run('--data', SPOT, '--venue', 'binance-spot', '--strategy', 'mm', '--params', MM, '--config', CONFIG,
      '--out', out);
    const fills = tableFromIPC(readFileSync(join(out, 'fills.arrow')));
    expect(fills.numRows).toBe(s.fills);
    expect(fills.schema.fields.map((f) => f.name)).toEqual(['ts_recv', 'order_id', 'side', 'price', 'qty', 'fee', 'maker']);
    const equity = tableFromIPC(readFileSync(join(out, 'equity.arrow')));
    expect(equity.numRows).toBeGreaterThan(100);
    const saved = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as Summary;
    expect(saved.pnl).toBe(s.pnl);
  });

  it('runs a user strategy file, and reports its errors with the line', () => {
    const mm = join(tmp, 'mm.js');
    writeFileSync(mm, [
      'let bid = null, ask = null, quoted = null;',
      'function onBook(ctx, book) {',
      '  if (!book.bids.length || !book.asks.length) return;',
      '  const mid = (book.bids[0][0] + book.asks[0][0]) / 2;',
      '  if (quoted !== null && Math.abs(mid - quoted) < 1) return;',
      '  if (bid !== null) ctx.cancel(bid);',
      '  if (ask !== null) ctx.cancel(ask);',
      '  bid = ctx.buy(Math.floor(mid - 1), ctx.params.qty, { postOnly: true });',
      '  ask = ctx.sell(Math.ceil(mid + 1), ctx.params.qty, { postOnly: true });',
      '  quoted = mid;',
      '}',
    ].join('\n'));
    const s = run('--data', SPOT, '--venue', 'binance-spot', '--strategy', mm, '--params', '{"qty":1000}');
    expect(s.orders as number).toBeGreaterThan(10);
    expect(s.fills as number).toBeGreaterThan(0);

    const bad = join(tmp, 'bad.js');
    writeFileSync(bad, 'function onTrade(ctx, t) {\n  const a = null;\n  return a.b;\n}\n');
    const r = ferrodesk('backtest', '--data', SPOT, '--venue', 'binance-spot', '--strategy', bad);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('onTrade threw at line 3');

    const loop = join(tmp, 'loop.js');
    writeFileSync(loop, 'function onBook() {\n  for (;;) {}\n}\n');
    const l = ferrodesk('backtest', '--data', SPOT, '--venue', 'binance-spot', '--strategy', loop, '--budget-ms', '100');
    expect(l.code).toBe(1);
    expect(l.stderr).toContain('exceeded its time budget of 100 ms in onBook');
  });
});

describe('bad input', () => {
  it('names the flag, the value and the reason', () => {
    const sample = join(tmp, 'sample.arrow');
    expect(ferrodesk('sample', '--seed', '1', '--span', '60', '--out', sample).code).toBe(0);
    const cases: Array<[string[], string]> = [
      [['--data', sample, '--strategy', 'martingale'], "--strategy must be mm, imbalance or a PATH.js user strategy, got 'martingale'"],
      [['--data', sample, '--strategy', 'mm', '--params', '{oops'], '--params is not valid JSON'],
      [['--data', sample, '--strategy', 'mm', '--params', '[1]'], "--params must be a JSON object, got '[1]'"],
      [['--data', sample, '--strategy', 'mm', '--config', '{"fees":{"makerBps":"x"}}'], 'fees.makerBps'],
      [['--data', join(tmp, 'missing.arrow'), '--strategy', 'mm'], 'ENOENT'],
      [['--data', sample, '--venue', 'nyse', '--strategy', 'mm'], "--venue must be one of"],
    ];
    for (const [args, want] of cases) {
      const r = ferrodesk('backtest', ...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toContain(want);
      expect(r.stdout).toBe('');
    }
    const junk = join(tmp, 'junk.arrow');
    writeFileSync(junk, 'ARROW1 but not really');
    const j = ferrodesk('backtest', '--data', junk, '--strategy', 'mm');
    expect(j.code).toBe(2);
    expect(j.stderr).toContain(`--data '${junk}'`);
  });

  it('runs the sample day end to end', () => {
    const sample = join(tmp, 'sample2.arrow');
    expect(ferrodesk('sample', '--seed', '3', '--span', '120', '--out', sample).code).toBe(0);
    const s = run('--data', sample, '--strategy', 'imbalance', '--params', '{"orderQtyLots":10,"maxPositionLots":100}');
    expect(s.events).toBe(s.dataset.events);
    expect(s.orders as number).toBeGreaterThan(0);
  });
});
