// The Backtest class in the real wasm build: configuration and argument errors as JS Errors naming the field,
// event columns loaded from typed arrays, the external-strategy step/submit loop, and seeking.
import { describe, expect, it } from 'vitest';
import { loadWasm } from '../src/wasm';

/** A tiny dataset: a 2-level snapshot, a sell trade at the bid, then a delta. */
function columns() {
  const rows: [number, number, number, number, number, number][] = [
    // ts, kind, side, price, qty, flags
    [100, 0, 0, 100, 10, 0],
    [100, 0, 1, 101, 10, 1],
    [200, 2, 1, 100, 4, 1],
    [300, 1, 1, 101, 7, 1],
  ];
  const big = (f: (r: (typeof rows)[number]) => number) => BigInt64Array.from(rows, (r) => BigInt(f(r)));
  const u8 = (f: (r: (typeof rows)[number]) => number) => Uint8Array.from(rows, f);
  return [big((r) => r[0]), big((r) => r[0]), u8((r) => r[1]), u8((r) => r[2]), big((r) => r[3]), big((r) => r[4]),
    u8((r) => r[5])] as const;
}

const EXTERNAL = JSON.stringify({ strategy: { kind: 'external' }, priceDecimals: 2, qtyDecimals: 3 });

describe('Backtest (wasm)', () => {
  it('throws Errors naming the config path and the argument', async () => {
    const wasm = await loadWasm();
    expect(() => new wasm.Backtest('{"priceDecimals": 2, "qtyDecimals": 3, "strategy": {"kind": "mm", "params": {"spreadTicks": 0}}}'))
      .toThrow(/strategy\.params\.spreadTicks is 0/);
    expect(() => new wasm.Backtest('{"qtyDecimals": 3}')).toThrow(/priceDecimals is missing/);
    const bt = new wasm.Backtest(EXTERNAL);
    const [a, b, c, d, e, f, g] = columns();
    expect(() => bt.load(a, b, c, d, e, f.subarray(1), g)).toThrow(/column qty has 3 rows/);
    bt.load(a, b, c, d, e, f, g);
    bt.finishLoading();
    expect(() => bt.runTo(-1)).toThrow(/index must be a whole number/);
    expect(() => bt.runTo(5)).toThrow(/index must be a whole number between 0 and 4, got 5/);
    expect(() => bt.submitLimit(2, 100, 1, true, false)).toThrow(/side must be a whole number/);
    expect(() => bt.submitMarket(0, 0.5)).toThrow(/qty must be a whole number/);
    expect(() => bt.topLevels(0, Number.NaN)).toThrow(/depth/);
    bt.free();
  });

  it('drives an external strategy with step and submit', async () => {
    const wasm = await loadWasm();
    const bt = new wasm.Backtest(EXTERNAL);
    bt.load(...columns());
    expect(bt.step(1000)).toBe(1); // the snapshot reaches the strategy
    expect(Array.from(bt.strategyTopLevels(1, 5))).toEqual([101, 10]);
    const id = bt.submitLimit(0, 100, 8, true, false);
    expect(bt.step(1000)).toBe(2); // the trade at 100: 10 ahead of us, no fill
    expect(Array.from(bt.openOrders())).toEqual([id, 0, 100, 8, 8, 6]);
    expect(Array.from(bt.lastTrade())).toEqual([200, 1, 100, 4]);
    expect(bt.step(1000)).toBe(1);
    expect(bt.step(1000)).toBe(0);
    expect(bt.cursor()).toBe(4);
    expect(bt.tsAt(3)).toBe(300n);
    expect(bt.fills().length).toBe(0);
    const s = JSON.parse(bt.summaryJson()) as Record<string, number>;
    expect(s.events).toBe(4);
    expect(s.orders).toBe(1);
    expect(bt.equity().length % 5).toBe(0);
    bt.free();
  });

  it('seeks back to the same fills and equity as a straight run', async () => {
    const wasm = await loadWasm();
    const cfg = JSON.stringify({ priceDecimals: 2, qtyDecimals: 3, checkpointEvery: 5000,
      orderLatency: { kind: 'uniform', minNs: 0, maxNs: 2000000 }, feedLatency: { kind: 'constant', ns: 500000 } });
    const a = wasm.Backtest.synthetic(cfg, 7, 20000);
    a.runToEnd();
    a.runTo(12345);
    const b = wasm.Backtest.synthetic(cfg, 7, 20000);
    b.runTo(12345);
    expect(a.fills().length).toBeGreaterThan(0);
    expect(Array.from(a.fills())).toEqual(Array.from(b.fills()));
    expect(Array.from(a.equity())).toEqual(Array.from(b.equity()));
    expect(a.summaryJson()).toBe(b.summaryJson());
    a.free();
    b.free();
  });
});
