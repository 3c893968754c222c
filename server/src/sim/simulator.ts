/**
 * A synthetic L2 market for one instrument, deterministic for a given seed.
 *
 * Model, one `step()` per batch:
 * - a hidden fair value follows a random walk with occasional jumps; the book follows it;
 * - a regime switch produces bursts: more aggression, more churn, shorter gaps between batches;
 * - aggressive orders (buy-biased when fair value is above the mid) sweep the touch and print trades, one
 *   trade per level filled, and a consumed touch sometimes refreshes at the same price;
 * - makers pull quotes that fair value has run through and refill the spread towards fair value;
 * - random size changes, cancels and inserts concentrate near the touch;
 * - depth is kept between TARGET_DEPTH and MAX_DEPTH levels a side, extending or trimming the far end;
 *   level gaps widen and sizes grow away from the touch, with random clumps and heavier round numbers.
 *
 * All prices are integer ticks and sizes integer lots. Every mutation goes through `Book.set`, which refuses
 * to cross, and every step's net changes become one delta batch with contiguous update sequence numbers.
 */
import type { InstrumentInfo } from '../../../src/protocol/messages.js';
import { Aggressor, Side, type LevelUpdate, type TradeRecord } from '../../../src/protocol/wire.js';
import { Book } from './book.js';
import type { InstrumentSpec, MarketParams } from './instruments.js';
import { Prng } from './prng.js';

export const TARGET_DEPTH = 400;
export const MAX_DEPTH = 440;
/** Levels within this many places of the touch receive most of the churn. */
const CHURN_MEAN_INDEX = 8;
/** Distance in ticks over which resting size grows by about 1.7x. */
const SIZE_SCALE_TICKS = 60;

export interface SimBatch {
  instrumentId: number;
  tsEventNs: bigint;
  /** Net level changes of this step; update sequence numbers seqFirst..=seqLast, one per record. */
  deltas: LevelUpdate[];
  seqFirst: bigint;
  seqLast: bigint;
  /** Trades printed in this step; trade ids tradeIdFirst..=tradeIdLast, one per record. */
  trades: TradeRecord[];
  tradeIdFirst: bigint;
  tradeIdLast: bigint;
}

export interface BookSnapshot {
  instrumentId: number;
  seq: bigint;
  tsEventNs: bigint;
  levels: LevelUpdate[];
}

/** +1 when moving away from the touch increases the price (asks), -1 for bids. */
const outward = (side: Side): number => (side === Side.Bid ? -1 : 1);

export class MarketSimulator {
  readonly info: InstrumentInfo;
  private readonly params: MarketParams;
  private readonly rng: Prng;
  private readonly book = new Book();
  private fair: number;
  private seq = 0n;
  private lastTradeId = 0n;
  private lastTsNs = 0n;
  private burstStepsLeft = 0;
  private intensity = 1;

  constructor(spec: InstrumentSpec, seed: number) {
    this.info = spec.info;
    this.params = spec.market;
    this.rng = Prng.derive(seed, spec.info.id);
    this.fair = spec.market.initialMidTicks + 0.5;
    this.seedBook();
    this.book.takeChanges();
  }

  /** The sequence number of the last update applied to the book. */
  get currentSeq(): bigint {
    return this.seq;
  }

  get inBurst(): boolean {
    return this.burstStepsLeft > 0;
  }

  snapshot(): BookSnapshot {
    return { instrumentId: this.info.id, seq: this.seq, tsEventNs: this.lastTsNs, levels: this.book.levels() };
  }

  /** Best bid and ask in ticks. */
  touch(): { bid: number; ask: number } {
    return { bid: this.book.best(Side.Bid) as number, ask: this.book.best(Side.Ask) as number };
  }

  /** Milliseconds until the next step, given the calm-market interval; bursts shorten it. */
  nextDelayMs(baseMs: number): number {
    return baseMs / Math.pow(this.intensity, 0.7);
  }

  /** Advances the market by one batch. `tsEventNs` is clamped so event times never go backwards. */
  step(tsEventNs: bigint): SimBatch {
    const ts = tsEventNs > this.lastTsNs ? tsEventNs : this.lastTsNs;
    this.lastTsNs = ts;
    this.updateRegime();
    this.moveFairValue();
    const trades = this.aggress(ts);
    this.pullStaleQuotes();
    this.closeSpread();
    this.churnNearTouch();
    this.maintainDepth(Side.Bid);
    this.maintainDepth(Side.Ask);

    const deltas = this.book.takeChanges();
    const seqFirst = this.seq + 1n;
    this.seq += BigInt(deltas.length);
    const tradeIdFirst = this.lastTradeId + 1n;
    this.lastTradeId += BigInt(trades.length);
    return {
      instrumentId: this.info.id,
      tsEventNs: ts,
      deltas,
      seqFirst,
      seqLast: this.seq,
      trades,
      tradeIdFirst,
      tradeIdLast: this.lastTradeId,
    };
  }

  private seedBook(): void {
    const bid = Math.ceil(this.fair) - 1;
    for (const side of [Side.Bid, Side.Ask]) {
      let price = side === Side.Bid ? bid : bid + 1;
      for (let i = 0; i < TARGET_DEPTH; i++) {
        this.book.set(side, price, this.levelQty(i === 0 ? 0 : Math.abs(price - this.fair), price));
        price += outward(side) * this.levelGap(i);
      }
    }
  }

  /** Gap in ticks between the level `index` places from the touch and the next one out. */
  private levelGap(index: number): number {
    return 1 + this.rng.geometric(1 / (1 + index / 120));
  }

  /** A resting size for a level `distance` ticks from fair value: heavier further out, clumpy, round numbers. */
  private levelQty(distance: number, price: number): number {
    const shape = Math.pow(1 + distance / SIZE_SCALE_TICKS, 0.8);
    let qty = this.rng.logNormal(this.params.touchQtyLots * shape, 0.9);
    if (this.rng.chance(0.03)) qty *= this.rng.int(5, 25);
    if (price % this.params.roundTicks === 0) qty *= 3;
    return Math.max(1, Math.round(qty));
  }

  private updateRegime(): void {
    if (this.burstStepsLeft > 0) {
      this.burstStepsLeft -= 1;
      if (this.burstStepsLeft === 0) this.intensity = 1;
    } else if (this.rng.chance(0.002)) {
      this.startBurst();
    }
  }

  private startBurst(): void {
    this.burstStepsLeft = this.rng.int(20, 120);
    this.intensity = 2 + 3 * this.rng.float();
  }

  private moveFairValue(): void {
    const p = this.params;
    this.fair += this.rng.normal() * p.stepVolTicks * (this.inBurst ? 1.5 : 1);
    if (this.rng.chance(0.0015)) {
      const sign = this.rng.chance(0.5) ? 1 : -1;
      this.fair += sign * p.jumpTicks * (0.5 + this.rng.float());
      this.startBurst();
    }
    this.fair = Math.min(Math.max(this.fair, p.initialMidTicks * 0.2), p.initialMidTicks * 5);
  }

  /** Aggressive orders against the touch; returns the trades they print. */
  private aggress(ts: bigint): TradeRecord[] {
    const trades: TradeRecord[] = [];
    const { bid, ask } = this.touch();
    const mid = (bid + ask) / 2;
    const pBuy = 1 / (1 + Math.exp(-(this.fair - mid) / (2 * this.params.stepVolTicks)));
    const orders = this.rng.poisson(0.6 * this.intensity);
    for (let i = 0; i < orders; i++) {
      const buy = this.rng.chance(pBuy);
      const side = buy ? Side.Ask : Side.Bid;
      let remaining = Math.max(1, Math.round(this.rng.logNormal(this.params.tradeQtyLots, 1.0)));
      let levels = 1 + this.rng.geometric(0.6);
      while (remaining > 0 && levels > 0 && this.book.depth(side) > 1) {
        const price = this.book.best(side) as number;
        const resting = this.book.qty(side, price);
        const fill = Math.min(remaining, resting);
        trades.push({ tsEventNs: ts, price, qty: fill, aggressor: buy ? Aggressor.Buyer : Aggressor.Seller });
        remaining -= fill;
        levels -= 1;
        this.book.set(side, price, resting - fill);
        if (resting === fill && this.rng.chance(0.25)) {
          this.book.set(side, price, Math.max(1, Math.round(this.levelQty(0, price) / 2)));
          break;
        }
      }
    }
    return trades;
  }

  /** Makers cancel quotes that fair value has moved through. */
  private pullStaleQuotes(): void {
    for (const side of [Side.Bid, Side.Ask]) {
      const stale = (price: number): boolean => (side === Side.Bid ? price > this.fair : price < this.fair);
      let index = 0;
      for (;;) {
        const price = this.book.priceAt(side, index);
        if (price === undefined || !stale(price) || this.book.depth(side) <= 50) break;
        if (this.rng.chance(0.5)) this.book.set(side, price, 0);
        else index += 1;
      }
    }
  }

  /** Refills a wide spread towards fair value with new levels that become the touch. */
  private closeSpread(): void {
    const target = this.inBurst ? this.rng.int(1, 3) : 1;
    let spread = this.spread();
    let adds = Math.min(20, 1 + Math.floor(spread / 3));
    while (spread > target && adds > 0) {
      const { bid, ask } = this.touch();
      const jitter = this.rng.int(0, Math.min(3, Math.floor(spread / 4)));
      if (this.fair - bid > ask - this.fair) {
        const price = Math.min(ask - 1, bid + 1 + jitter);
        this.book.set(Side.Bid, price, this.levelQty(0, price));
      } else {
        const price = Math.max(bid + 1, ask - 1 - jitter);
        this.book.set(Side.Ask, price, this.levelQty(0, price));
      }
      spread = this.spread();
      adds -= 1;
    }
  }

  private spread(): number {
    const { bid, ask } = this.touch();
    return ask - bid;
  }

  /** Size changes, cancels and inserts, mostly within a few levels of the touch. */
  private churnNearTouch(): void {
    const events = this.rng.poisson(6 * this.intensity);
    for (let i = 0; i < events; i++) {
      const side = this.rng.chance(0.5) ? Side.Bid : Side.Ask;
      const index = Math.min(this.book.depth(side) - 1, this.rng.geometric(1 / (1 + CHURN_MEAN_INDEX)));
      const price = this.book.priceAt(side, index) as number;
      const qty = this.book.qty(side, price);
      const r = this.rng.float();
      if (r < 0.4) {
        this.book.set(side, price, qty + Math.max(1, Math.round(this.rng.logNormal(this.params.touchQtyLots / 2, 0.8))));
      } else if (r < 0.8) {
        const cut = 0.2 + 0.8 * this.rng.float();
        const keepsTouch = index === 0 && !this.rng.chance(0.3);
        const next = cut > 0.9 && !keepsTouch ? 0 : Math.max(1, Math.round(qty * (1 - cut)));
        this.book.set(side, price, next);
      } else {
        this.insertBehind(side, index, price);
      }
    }
  }

  /** Adds a level in the gap between the level at `index` and the next one out, if there is a gap. */
  private insertBehind(side: Side, index: number, price: number): void {
    const next = this.book.priceAt(side, index + 1);
    if (next === undefined || Math.abs(next - price) < 2) return;
    const fresh = price + outward(side) * this.rng.int(1, Math.abs(next - price) - 1);
    this.book.set(side, fresh, this.levelQty(Math.abs(fresh - this.fair), fresh));
  }

  private maintainDepth(side: Side): void {
    while (this.book.depth(side) < TARGET_DEPTH) {
      const worst = this.book.worst(side) as number;
      const price = worst + outward(side) * this.levelGap(this.book.depth(side));
      if (price <= 0) break;
      this.book.set(side, price, this.levelQty(Math.abs(price - this.fair), price));
    }
    while (this.book.depth(side) > MAX_DEPTH) {
      this.book.set(side, this.book.worst(side) as number, 0);
    }
  }
}
