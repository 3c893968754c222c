/**
 * Reads one instrument's book out of the engine for a render snapshot, converting ticks and lots to decimal
 * values (docs: `RenderSnapshot` in src/protocol/worker.ts). Everything here allocates only the arrays that
 * are transferred to the main thread.
 */
import type { InstrumentInfo } from '../protocol/messages';
import { askOffset, bidOffset, levelsLength, Stat, type ViewConfig } from '../protocol/worker';
import { stepsToValue, type DecimalStep } from './decimal';
import type { EngineLike } from './engine';

export interface Instrument {
  info: InstrumentInfo;
  price: DecimalStep;
  lot: DecimalStep;
}

/** The top `view.depth` levels a side, `[bidCount, askCount, bids…, asks…]` as `[price, qty, cumQty]` values. */
export function readLevels(engine: EngineLike, inst: Instrument, view: ViewConfig): Float64Array<ArrayBuffer> {
  const { depth } = view;
  const out = new Float64Array(levelsLength(depth));
  engine.topLevels(inst.info.id, depth, view.grouping, out);
  const bids = Math.min(depth, Math.max(0, out[0] ?? 0));
  const asks = Math.min(depth, Math.max(0, out[1] ?? 0));
  out[0] = bids;
  out[1] = asks;
  const convert = (at: number): void => {
    out[at] = stepsToValue(out[at] ?? 0, inst.price);
    out[at + 1] = stepsToValue(out[at + 1] ?? 0, inst.lot);
    out[at + 2] = stepsToValue(out[at + 2] ?? 0, inst.lot);
  };
  for (let i = 0; i < bids; i++) convert(bidOffset(i));
  for (let i = 0; i < asks; i++) convert(askOffset(depth, i));
  return out;
}

/** Writes the book part of the stats (best prices, spread, mid, microprice, imbalance, seq, level counts). */
export function writeBookStats(engine: EngineLike, inst: Instrument, stats: Float64Array): void {
  stats[Stat.InstrumentId] = inst.info.id;
  const book = engine.bookState(inst.info.id);
  if (!book) {
    for (const k of [Stat.Seq, Stat.BestBid, Stat.BestAsk, Stat.BestBidQty, Stat.BestAskQty, Stat.Spread, Stat.Mid,
      Stat.Microprice, Stat.Imbalance]) stats[k] = Number.NaN;
    stats[Stat.BidLevels] = 0;
    stats[Stat.AskLevels] = 0;
    stats[Stat.AwaitingSnapshot] = 1;
    return;
  }
  try {
    const hasBid = book.bidLevels > 0;
    const hasAsk = book.askLevels > 0;
    const px = (ticks: number, present: boolean): number => (present ? stepsToValue(ticks, inst.price) : Number.NaN);
    const qty = (lots: number, present: boolean): number => (present ? stepsToValue(lots, inst.lot) : Number.NaN);
    const both = hasBid && hasAsk;
    stats[Stat.Seq] = book.seq;
    stats[Stat.BestBid] = px(book.bestBid, hasBid);
    stats[Stat.BestAsk] = px(book.bestAsk, hasAsk);
    stats[Stat.BestBidQty] = qty(book.bestBidQty, hasBid);
    stats[Stat.BestAskQty] = qty(book.bestAskQty, hasAsk);
    stats[Stat.Spread] = px(book.bestAsk - book.bestBid, both);
    stats[Stat.Mid] = both && Number.isFinite(book.mid) ? stepsToValue(book.mid, inst.price) : Number.NaN;
    stats[Stat.Microprice] = both && Number.isFinite(book.microprice)
      ? stepsToValue(book.microprice, inst.price) : Number.NaN;
    stats[Stat.Imbalance] = both && Number.isFinite(book.imbalance) ? book.imbalance : Number.NaN;
    stats[Stat.BidLevels] = book.bidLevels;
    stats[Stat.AskLevels] = book.askLevels;
    stats[Stat.AwaitingSnapshot] = book.awaitingSnapshot ? 1 : 0;
  } finally {
    book.free();
  }
}
