/**
 * The simulator's authoritative L2 book for one instrument.
 *
 * Each side keeps its prices in a sorted array, best first (bids descending, asks ascending), plus a map from
 * price to quantity. Books here hold a few hundred levels a side and nearly all changes happen near the touch,
 * so a binary search and an array splice are cheap and keep "n-th level" lookups O(1).
 *
 * Every mutation is journalled: `takeChanges()` returns the net change per (side, price) since the last call,
 * in first-touched order, which is exactly one delta batch. A change that would cross the book throws
 * `CrossedBookError`: the simulator must never attempt one, and a test drives it for thousands of steps.
 */
import { Side, type LevelUpdate } from '../../../src/protocol/wire.js';

export class CrossedBookError extends Error {
  constructor(side: Side, price: number, opposite: number) {
    const name = side === Side.Bid ? 'bid' : 'ask';
    super(`a ${name} at ${price} ticks would cross the opposite best at ${opposite} ticks`);
    this.name = 'CrossedBookError';
  }
}

class BookSide {
  /** Prices, best first. */
  readonly prices: number[] = [];
  readonly qty = new Map<number, number>();

  constructor(private readonly descending: boolean) {}

  /** Index of `price` in `prices` if present, else the index where it would be inserted. */
  private search(price: number): number {
    let lo = 0;
    let hi = this.prices.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const p = this.prices[mid] as number;
      const before = this.descending ? p > price : p < price;
      if (before) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  set(price: number, qty: number): void {
    const had = this.qty.has(price);
    if (qty > 0) {
      if (!had) this.prices.splice(this.search(price), 0, price);
      this.qty.set(price, qty);
    } else if (had) {
      this.prices.splice(this.search(price), 1);
      this.qty.delete(price);
    }
  }
}

export class Book {
  private readonly bids = new BookSide(true);
  private readonly asks = new BookSide(false);
  private readonly journal = new Map<number, LevelUpdate>();

  private side(side: Side): BookSide {
    return side === Side.Bid ? this.bids : this.asks;
  }

  /** Best price on a side, or undefined when the side is empty. */
  best(side: Side): number | undefined {
    return this.side(side).prices[0];
  }

  /** Furthest price from the touch on a side. */
  worst(side: Side): number | undefined {
    const prices = this.side(side).prices;
    return prices[prices.length - 1];
  }

  /** Price of the level `index` places from the touch (0 = best). */
  priceAt(side: Side, index: number): number | undefined {
    return this.side(side).prices[index];
  }

  qty(side: Side, price: number): number {
    return this.side(side).qty.get(price) ?? 0;
  }

  depth(side: Side): number {
    return this.side(side).prices.length;
  }

  /**
   * Sets the quantity at a price level; 0 removes the level.
   * @throws CrossedBookError if a positive quantity would lock or cross the opposite side.
   */
  set(side: Side, price: number, qty: number): void {
    if (qty > 0) {
      const opposite = this.best(side === Side.Bid ? Side.Ask : Side.Bid);
      if (opposite !== undefined && (side === Side.Bid ? price >= opposite : price <= opposite)) {
        throw new CrossedBookError(side, price, opposite);
      }
    }
    const s = this.side(side);
    const before = s.qty.get(price) ?? 0;
    if (before === qty) return;
    s.set(price, qty);
    const key = price * 2 + side;
    const pending = this.journal.get(key);
    if (pending) pending.qty = qty;
    else this.journal.set(key, { side, price, qty });
  }

  /** Net level changes since the previous call, in the order each level was first touched. */
  takeChanges(): LevelUpdate[] {
    const changes = [...this.journal.values()];
    this.journal.clear();
    return changes;
  }

  /** Every level, bids best first then asks best first. */
  levels(): LevelUpdate[] {
    const out: LevelUpdate[] = [];
    for (const price of this.bids.prices) out.push({ side: Side.Bid, price, qty: this.bids.qty.get(price) as number });
    for (const price of this.asks.prices) out.push({ side: Side.Ask, price, qty: this.asks.qty.get(price) as number });
    return out;
  }
}
