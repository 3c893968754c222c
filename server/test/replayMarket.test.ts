/**
 * ReplayMarket on a small crafted dataset: an Arrow dataset file written with the project's writer and loaded
 * through the real wasm engine; the wall clock is a variable, so every step is driven by `tickNow`.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { datasetToBytes, type EventColumns } from '../../src/dataset/index.js';
import { decodeFrames, FrameKind, type DecodedFrame } from '../../src/protocol/wire.js';
import { increment, loadReplayColumns, ReplayLoadError, ReplayMarket, speedProblem, type ReplayColumns } from '../src/feed/replay.js';
import { ReferenceBook, tempDir } from './helpers.js';

const MS = 1_000_000n;
const T0 = 1_723_161_254_000n * MS;

/** Rows [msAfterStart, kind, side, price, qty, last]. */
type Row = [number, number, number, number, number, 0 | 1];
const ROWS: Row[] = [
  [0, 2, 0, 1000, 5, 1], // a trade before any book
  [10, 0, 0, 999, 3, 0], // snapshot: bids 999, 998; asks 1001, 1002
  [10, 0, 0, 998, 4, 0],
  [10, 0, 1, 1001, 2, 0],
  [10, 0, 1, 1002, 6, 1],
  [20, 1, 0, 999, 0, 0], // delta: bid 999 gone, bid 1000 new
  [20, 1, 0, 1000, 1, 1],
  [30, 2, 1, 1000, 1, 1], // trade, seller aggressor
  [40, 3, 0, 0, 0, 1], // clear
  [50, 0, 0, 990, 1, 0], // a new snapshot
  [50, 0, 1, 995, 1, 1],
];

function columns(): EventColumns {
  const n = ROWS.length;
  const c: EventColumns = {
    tsRecv: new BigInt64Array(n), tsEvent: new BigInt64Array(n), kind: new Uint8Array(n), side: new Uint8Array(n),
    price: new BigInt64Array(n), qty: new BigInt64Array(n), flags: new Uint8Array(n),
  };
  ROWS.forEach(([ms, kind, side, price, qty, last], i) => {
    c.tsRecv[i] = T0 + BigInt(ms) * MS;
    c.tsEvent[i] = T0 + BigInt(ms) * MS - 1000n;
    c.kind[i] = kind;
    c.side[i] = side;
    c.price[i] = BigInt(price);
    c.qty[i] = BigInt(qty);
    c.flags[i] = last;
  });
  return c;
}

let dir: Awaited<ReturnType<typeof tempDir>>;
let cols: ReplayColumns;

beforeAll(async () => {
  dir = await tempDir('replay-market');
  const file = join(dir.path, 'crafted.arrow');
  await writeFile(file, await datasetToBytes(columns(), { venue: 'crafted', symbol: 'TEST-USD', priceDecimals: 1, qtyDecimals: 3 }));
  cols = await loadReplayColumns({ file, venue: null });
});

afterAll(async () => {
  await dir?.remove();
});

function market(now: { t: number }, speed = 1): { m: ReplayMarket; frames: DecodedFrame[] } {
  const m = new ReplayMarket({ recordings: [{ file: '/x/crafted.arrow', columns: cols }], speed, onListenerError: (e) => { throw e; }, now: () => now.t });
  const frames: DecodedFrame[] = [];
  m.onStep((s) => {
    if (s.trades) frames.push(...decodeFrames(s.trades));
    if (s.deltas) frames.push(...decodeFrames(s.deltas));
  });
  return { m, frames };
}

describe('ReplayMarket', () => {
  it('loads a dataset file: meta, decimals and events', () => {
    expect(cols).toMatchObject({ venue: 'crafted', symbol: 'TEST-USD', priceDecimals: 1, qtyDecimals: 3 });
    expect(cols.kind.length).toBe(ROWS.length);
    expect([increment(0), increment(1), increment(6)]).toEqual(['1', '0.1', '0.000001']);
  });

  it('plays groups on recorded time × speed as trade and delta batches with contiguous sequences, and loops', () => {
    const now = { t: 0 };
    const { m, frames } = market(now);
    expect(m.instruments()).toEqual([
      { id: 1, symbol: 'TEST-USD', venue: 'crafted', tickSize: '0.1', lotSize: '0.001', priceDecimals: 1, qtyDecimals: 3 },
    ]);
    const book = new ReferenceBook();
    book.seq = 0n;
    const follow = (): void => {
      for (const f of frames.splice(0)) {
        if (f.kind !== FrameKind.Delta) continue;
        expect(f.seqFirst).toBe(book.seq + 1n);
        book.apply(f.levels);
        book.seq = f.seqLast;
      }
    };

    // t=0: only the first trade is due.
    expect(m.tickNow(1)?.trades).not.toBeNull();
    expect(frames).toHaveLength(1);
    expect(frames[0]).toMatchObject({ kind: FrameKind.Trades, seqFirst: 1n, seqLast: 1n, trades: [{ price: 1000, qty: 5, aggressor: 1, tsEventNs: T0 - 1000n }] });
    frames.length = 0;
    expect(m.tickNow(1)).toBeNull();

    now.t = 10; // the snapshot
    m.tickNow(1);
    follow();
    expect(book.levels()).toEqual([
      { side: 0, price: 999, qty: 3 }, { side: 0, price: 998, qty: 4 }, { side: 1, price: 1001, qty: 2 }, { side: 1, price: 1002, qty: 6 },
    ]);
    expect(m.stats()[0]).toMatchObject({ bestBid: 999, bestAsk: 1001, seq: '4' });

    m.setSpeed(10); // from t=10 ms, 1 ms of wall time is 10 ms of recording
    now.t = 11; // recording at 20 ms: the delta
    m.tickNow(1);
    follow();
    expect(book.bestBid()).toBe(1000);
    expect(book.bids.has(999)).toBe(false);

    now.t = 13; // recording at 40 ms: the seller's trade, then the clear
    m.tickNow(1);
    const trade = frames.find((f) => f.kind === FrameKind.Trades);
    expect(trade).toMatchObject({ seqFirst: 2n, seqLast: 2n, trades: [{ price: 1000, aggressor: 2 }] });
    follow();
    expect(book.levels()).toEqual([]);

    now.t = 14; // 50 ms: the second snapshot replaces the empty book
    m.tickNow(1);
    follow();
    expect(book.levels()).toEqual([{ side: 0, price: 990, qty: 1 }, { side: 1, price: 995, qty: 1 }]);
    const snap = decodeFrames(m.snapshot(1).frame)[0];
    expect(snap).toMatchObject({ kind: FrameKind.Snapshot, seqFirst: book.seq, seqLast: book.seq });
    expect(snap && 'levels' in snap ? snap.levels : null).toEqual(book.levels());

    // The recording lasts 50 ms plus a 1 s pause at 1×: at 10×, 100 ms of wall time after its end it starts again;
    // 0.5 ms later (5 ms of recording) only the first trade is due.
    now.t = 14 + 100.5;
    m.tickNow(1);
    follow();
    expect(m.sources()[0]).toMatchObject({ file: 'crafted.arrow', loops: 1, symbol: 'TEST-USD', events: ROWS.length });
    // After the loop only the first trade is due again: the book was emptied, to be refilled by the snapshot.
    expect(book.levels()).toEqual([]);
    now.t += 0.5;
    m.tickNow(1);
    follow();
    expect(book.bestBid()).toBe(999);
    expect(book.bestAsk()).toBe(1001);
  });

  it('names a second recording of the same symbol by its venue, and rejects bad speeds', () => {
    const m = new ReplayMarket({
      recordings: [{ file: 'a', columns: cols }, { file: 'b', columns: { ...cols, venue: 'other' } }],
      speed: 1,
      onListenerError: () => undefined,
    });
    expect(m.instruments().map((i) => i.symbol)).toEqual(['TEST-USD', 'TEST-USD:other']);
    expect(() => m.setSpeed(0)).toThrow(/replay speed 0: expected an integer from 1 to 100/);
    expect(() => m.setSpeed(1.5)).toThrow(RangeError);
    expect(speedProblem(100)).toBeNull();
    expect(speedProblem('5')).toMatch(/expected an integer/);
  });

  it('names the file and the reason when a recording cannot be loaded', async () => {
    const text = join(dir.path, 'notes.txt');
    await writeFile(text, 'hello\n');
    await expect(loadReplayColumns({ file: text, venue: null })).rejects.toThrow(/notes\.txt.*--replay-venue must name the venue/);
    await expect(loadReplayColumns({ file: join(dir.path, 'absent.gz'), venue: 'binance-spot' })).rejects.toThrow(ReplayLoadError);
    await expect(loadReplayColumns({ file: text, venue: 'binance-spot' })).rejects.toThrow(/cannot replay ".*notes\.txt"/);
  });
});
