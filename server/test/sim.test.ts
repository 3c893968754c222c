import { describe, expect, it } from 'vitest';
import { Aggressor, Side } from '../../src/protocol/wire.js';
import { Book, CrossedBookError } from '../src/sim/book.js';
import { SIM_INSTRUMENTS, type InstrumentSpec } from '../src/sim/instruments.js';
import { Prng } from '../src/sim/prng.js';
import { MarketSimulator, TARGET_DEPTH, type SimBatch } from '../src/sim/simulator.js';
import { ReferenceBook } from './helpers.js';

const STEP_NS = 50_000_000n;
function instrument(symbol: string): InstrumentSpec {
  const spec = SIM_INSTRUMENTS.find((s) => s.info.symbol === symbol);
  if (!spec) throw new Error(`${symbol} is not simulated`);
  return spec;
}
const BTC = instrument('BTC-USD');
const ETH = instrument('ETH-USD');

function run(seed: number, steps: number, spec = BTC): SimBatch[] {
  const sim = new MarketSimulator(spec, seed);
  const out: SimBatch[] = [];
  for (let i = 1; i <= steps; i++) out.push(sim.step(BigInt(i) * STEP_NS));
  return out;
}

describe('Prng', () => {
  it('repeats its sequence for a seed and differs across seeds', () => {
    const a = new Prng(7);
    const b = new Prng(7);
    const c = new Prng(8);
    const seqA = Array.from({ length: 100 }, () => a.nextU32());
    expect(Array.from({ length: 100 }, () => b.nextU32())).toEqual(seqA);
    expect(Array.from({ length: 100 }, () => c.nextU32())).not.toEqual(seqA);
  });

  it('keeps draws in range with plausible moments', () => {
    const rng = new Prng(1);
    const n = 20_000;
    let sum = 0;
    let sumSq = 0;
    let outOfRange = 0;
    for (let i = 0; i < n; i++) {
      const f = rng.float();
      const k = rng.int(3, 5);
      if (f < 0 || f >= 1 || k < 3 || k > 5 || !Number.isInteger(k)) outOfRange += 1;
      const z = rng.normal();
      sum += z;
      sumSq += z * z;
    }
    expect(outOfRange).toBe(0);
    expect(Math.abs(sum / n)).toBeLessThan(0.05);
    expect(Math.abs(sumSq / n - 1)).toBeLessThan(0.05);
    const mean = Array.from({ length: n }, () => rng.poisson(2)).reduce((s, x) => s + x, 0) / n;
    expect(Math.abs(mean - 2)).toBeLessThan(0.1);
  });
});

describe('Book', () => {
  it('journals net changes per level in first-touched order', () => {
    const book = new Book();
    book.set(Side.Bid, 100, 5);
    book.set(Side.Ask, 102, 7);
    book.set(Side.Bid, 100, 9);
    book.set(Side.Bid, 99, 3);
    book.set(Side.Bid, 99, 0);
    expect(book.takeChanges()).toEqual([
      { side: Side.Bid, price: 100, qty: 9 },
      { side: Side.Ask, price: 102, qty: 7 },
      { side: Side.Bid, price: 99, qty: 0 },
    ]);
    expect(book.takeChanges()).toEqual([]);
    expect(book.levels()).toEqual([
      { side: Side.Bid, price: 100, qty: 9 },
      { side: Side.Ask, price: 102, qty: 7 },
    ]);
  });

  it('refuses to lock or cross', () => {
    const book = new Book();
    book.set(Side.Bid, 100, 1);
    book.set(Side.Ask, 101, 1);
    expect(() => book.set(Side.Bid, 101, 1)).toThrow(CrossedBookError);
    expect(() => book.set(Side.Ask, 100, 1)).toThrow(/ask at 100 ticks would cross the opposite best at 100/);
    expect(book.best(Side.Bid)).toBe(100);
    expect(book.best(Side.Ask)).toBe(101);
  });

  it('orders each side best first', () => {
    const book = new Book();
    for (const p of [95, 99, 97, 90]) book.set(Side.Bid, p, 1);
    for (const p of [105, 101, 103]) book.set(Side.Ask, p, 1);
    expect([0, 1, 2, 3].map((i) => book.priceAt(Side.Bid, i))).toEqual([99, 97, 95, 90]);
    expect([0, 1, 2].map((i) => book.priceAt(Side.Ask, i))).toEqual([101, 103, 105]);
    expect(book.worst(Side.Bid)).toBe(90);
  });
});

describe('MarketSimulator', () => {
  it('is deterministic for a seed and differs across seeds', () => {
    const a = run(99, 2000);
    const b = run(99, 2000);
    expect(b).toEqual(a);
    const c = run(100, 2000);
    expect(c.map((x) => x.deltas)).not.toEqual(a.map((x) => x.deltas));
  });

  it('simulates BTC-USD and ETH-USD with their contract specs', () => {
    expect(SIM_INSTRUMENTS.map((s) => [s.info.id, s.info.symbol, s.info.tickSize, s.info.lotSize])).toEqual([
      [1, 'BTC-USD', '0.1', '0.0001'],
      [2, 'ETH-USD', '0.01', '0.001'],
    ]);
    const btc = new MarketSimulator(BTC, 1).touch();
    expect(btc.bid * 0.1).toBeCloseTo(65_000, -2);
    const eth = new MarketSimulator(ETH, 1).touch();
    expect(eth.bid * 0.01).toBeCloseTo(3_400, -1);
  });

  for (const spec of [BTC, ETH]) {
    it(`${spec.info.symbol}: never crossed, deep, contiguous, trades at the touch, deltas rebuild the book`, () => {
      const sim = new MarketSimulator(spec, 2024);
      const ref = new ReferenceBook();
      const initial = sim.snapshot();
      expect(initial.seq).toBe(0n);
      ref.apply(initial.levels);
      let seq = initial.seq;
      let tradeId = 0n;
      let trades = 0;
      let fastSteps = 0;
      let minMid = Infinity;
      let maxMid = -Infinity;
      let minDepth = Infinity;
      const violations: string[] = [];
      const check = (ok: boolean, what: string): void => {
        if (!ok && violations.length < 10) violations.push(what);
      };
      for (let i = 1; i <= 20_000; i++) {
        const bidBefore = ref.bestBid();
        const askBefore = ref.bestAsk();
        const batch = sim.step(BigInt(i) * STEP_NS);
        if (sim.nextDelayMs(50) < 40) fastSteps += 1;

        // Sequencing: one update per record, no gaps, no reuse.
        check(batch.seqFirst === seq + 1n, `step ${i}: seqFirst ${batch.seqFirst} after ${seq}`);
        check(batch.seqLast - batch.seqFirst + 1n === BigInt(batch.deltas.length), `step ${i}: seq range vs count`);
        seq = batch.seqLast;
        check(batch.tradeIdFirst === tradeId + 1n, `step ${i}: tradeIdFirst ${batch.tradeIdFirst} after ${tradeId}`);
        check(batch.tradeIdLast - batch.tradeIdFirst + 1n === BigInt(batch.trades.length), `step ${i}: trade id range`);
        tradeId = batch.tradeIdLast;

        // Trades consume the touch: buyers lift asks at or above the previous best ask, sellers hit bids.
        for (const t of batch.trades) {
          check(t.qty > 0 && Number.isInteger(t.qty), `step ${i}: trade qty ${t.qty}`);
          if (t.aggressor === Aggressor.Buyer) check(t.price >= askBefore, `step ${i}: buy at ${t.price} < ask ${askBefore}`);
          else check(t.aggressor === Aggressor.Seller && t.price <= bidBefore, `step ${i}: sell at ${t.price} > bid ${bidBefore}`);
        }
        trades += batch.trades.length;

        for (const d of batch.deltas) {
          check(d.price > 0 && d.qty >= 0 && Number.isInteger(d.qty) && Number.isInteger(d.price), `step ${i}: bad level ${JSON.stringify(d)}`);
        }
        ref.apply(batch.deltas);
        const bid = ref.bestBid();
        const ask = ref.bestAsk();
        check(bid < ask, `step ${i}: crossed ${bid} >= ${ask}`);
        minDepth = Math.min(minDepth, ref.bids.size, ref.asks.size);
        minMid = Math.min(minMid, (bid + ask) / 2);
        maxMid = Math.max(maxMid, (bid + ask) / 2);
        if (i % 2500 === 0) {
          const snap = sim.snapshot();
          expect(snap.seq).toBe(seq);
          expect(snap.levels).toEqual(ref.levels());
          expect(snap.levels.every((l) => l.qty > 0)).toBe(true);
        }
      }
      expect(violations).toEqual([]);
      expect(minDepth).toBeGreaterThanOrEqual(TARGET_DEPTH);
      expect(TARGET_DEPTH).toBeGreaterThanOrEqual(300);
      expect(trades).toBeGreaterThan(10_000);
      expect(fastSteps).toBeGreaterThan(100);
      expect(maxMid - minMid).toBeGreaterThan(50);
    });
  }

  it('rests more size away from the touch than at it', () => {
    const levels = new MarketSimulator(BTC, 5).snapshot().levels.filter((l) => l.side === Side.Bid);
    const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
    const near = median(levels.slice(0, 50).map((l) => l.qty));
    const far = median(levels.slice(-50).map((l) => l.qty));
    expect(far).toBeGreaterThan(3 * near);
  });

  it('never moves event time backwards', () => {
    const sim = new MarketSimulator(ETH, 3);
    expect(sim.step(1000n).tsEventNs).toBe(1000n);
    expect(sim.step(500n).tsEventNs).toBe(1000n);
    expect(sim.step(2000n).tsEventNs).toBe(2000n);
  });
});
