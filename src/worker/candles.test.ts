import { describe, expect, it } from 'vitest';
import { CANDLE_FIELDS } from '../protocol/worker';
import { CandleHistory } from './candles';
import { parseStep } from './decimal';

const price = parseStep('0.1');
const lot = parseStep('0.001');
if (!price || !lot) throw new Error('bad steps');

const rows = (a: Float64Array): number[][] => {
  const out: number[][] = [];
  for (let i = 0; i < a.length; i += CANDLE_FIELDS) out.push(Array.from(a.subarray(i, i + CANDLE_FIELDS)));
  return out;
};

describe('candles from trades', () => {
  it('builds one-second OHLCV bars in decimal values', () => {
    const h = new CandleHistory();
    h.add(10_000, 1000, 5); // t=10 s
    h.add(10_400, 1003, 1);
    h.add(10_900, 998, 2);
    h.add(11_100, 1001, 4); // t=11 s
    expect(rows(h.all(1, price, lot))).toEqual([
      [10, 100, 100.3, 99.8, 99.8, 0.008],
      [11, 100.1, 100.1, 100.1, 100.1, 0.004],
    ]);
  });

  it('aggregates five-second bars exactly from one-second bars', () => {
    const h = new CandleHistory();
    const trades: Array<[number, number, number]> = [[10_000, 1000, 1], [11_500, 1010, 2], [12_000, 990, 3],
      [14_999, 1005, 4], [15_000, 1007, 5], [19_000, 1001, 6]];
    for (const [ts, p, q] of trades) h.add(ts, p, q);
    expect(rows(h.all(5, price, lot))).toEqual([
      [10, 100, 101, 99, 100.5, 0.01],
      [15, 100.7, 100.7, 100.1, 100.1, 0.011],
    ]);
  });

  it('reports only the bars touched since the last call', () => {
    const h = new CandleHistory();
    h.add(10_000, 1000, 1);
    h.add(11_000, 1001, 1);
    h.all(1, price, lot);
    expect(h.takeChanged(1, price, lot).length).toBe(0);
    h.add(11_500, 1002, 1);
    h.add(12_000, 1003, 1);
    expect(rows(h.takeChanged(1, price, lot)).map((r) => r[0])).toEqual([11, 12]);
    h.add(12_500, 1004, 1);
    expect(rows(h.takeChanged(5, price, lot)).map((r) => r[0])).toEqual([10]);
  });

  it('folds a trade stamped before the newest bar into it, so bars never go back in time', () => {
    const h = new CandleHistory();
    h.add(20_000, 1000, 1);
    h.add(19_000, 990, 1);
    expect(rows(h.all(1, price, lot))).toEqual([[20, 100, 100, 99, 99, 0.002]]);
  });

  it('keeps at most its capacity of seconds', () => {
    const h = new CandleHistory(3);
    for (let s = 0; s < 10; s++) h.add(s * 1000, 1000 + s, 1);
    expect(h.size).toBe(3);
    expect(rows(h.all(1, price, lot)).map((r) => r[0])).toEqual([7, 8, 9]);
  });
});
