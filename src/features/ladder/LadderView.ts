/**
 * The order-book ladder, painted imperatively: rows are created once per depth and each animation frame only
 * rewrites the text and bar widths that changed. Asks are drawn above the spread row, deepest first (so the
 * best ask sits just above the spread); bids below it, best first.
 *
 * Each row: `[data-testid=ladder.row][data-side=bid|ask]` holding `ladder.price`, `ladder.size`, `ladder.cum`.
 * Bars: the strong one is the level's size relative to the largest visible level, the faint one its cumulative
 * size relative to the deeper of the two sides' totals. Bars change `width` rather than `transform`: rows are
 * layout-contained, so that re-lays-out one row, and it avoids a transform node (and a paint chunk) per bar.
 */
import { Stat } from '../../protocol/worker';
import { askAt, askCount, bidAt, bidCount, stat, type RenderFrame } from '../../engine/renderFrame';
import { formatFixed, spreadBps } from '../../format/number';

type Side = 'bid' | 'ask';

interface Row {
  el: HTMLDivElement;
  price: HTMLSpanElement;
  size: HTMLSpanElement;
  cum: HTMLSpanElement;
  bar: HTMLDivElement;
  cumBar: HTMLDivElement;
  /** Last written values, to skip unchanged DOM writes. */
  priceText: string;
  sizeText: string;
  cumText: string;
  barScale: number;
  cumScale: number;
  lastPrice: number;
  lastQty: number;
  flashUntil: number;
}

export interface SpreadElements {
  spread: HTMLElement;
  spreadBps: HTMLElement;
  mid: HTMLElement;
  micro: HTMLElement;
  imbalance: HTMLElement;
  imbalanceBar: HTMLElement;
  bestBidQty: HTMLElement;
  bestAskQty: HTMLElement;
  awaiting: HTMLElement;
}

const FLASH_MS = 320;

function span(cls: string, testId: string): HTMLSpanElement {
  const s = document.createElement('span');
  s.className = cls;
  s.dataset.testid = testId;
  return s;
}

function createRow(side: Side): Row {
  const el = document.createElement('div');
  el.className = 'lrow';
  el.dataset.testid = 'ladder.row';
  el.dataset.side = side;
  const cumBar = document.createElement('div');
  cumBar.className = 'lbar lbar-cum';
  const bar = document.createElement('div');
  bar.className = 'lbar';
  const price = span('lc lc-price', 'ladder.price');
  const size = span('lc lc-size', 'ladder.size');
  const cum = span('lc lc-cum', 'ladder.cum');
  el.append(cumBar, bar, price, size, cum);
  return {
    el, price, size, cum, bar, cumBar,
    priceText: '', sizeText: '', cumText: '', barScale: -1, cumScale: -1,
    lastPrice: Number.NaN, lastQty: Number.NaN, flashUntil: 0,
  };
}

const setText = (el: HTMLElement, text: string): void => {
  if (el.textContent !== text) el.textContent = text;
};

export class LadderView {
  private asks: Row[] = [];
  private bids: Row[] = [];
  private depth = 0;
  private lastInstrument = -1;
  private centred = false;

  constructor(
    private readonly scroller: HTMLElement,
    private readonly askHost: HTMLElement,
    private readonly bidHost: HTMLElement,
    private readonly spread: SpreadElements,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Builds `depth` rows a side (reusing none: a depth change is rare). */
  setDepth(depth: number): void {
    if (depth === this.depth) return;
    this.depth = depth;
    this.asks = Array.from({ length: depth }, () => createRow('ask'));
    this.bids = Array.from({ length: depth }, () => createRow('bid'));
    // Deepest ask at the top: row i of `asks` is the i-th best ask, placed in reverse.
    this.askHost.replaceChildren(...[...this.asks].reverse().map((r) => r.el));
    this.bidHost.replaceChildren(...this.bids.map((r) => r.el));
    this.centred = false;
  }

  paint(frame: RenderFrame): void {
    const { meta } = frame;
    if (meta.instrumentId !== this.lastInstrument) {
      this.lastInstrument = meta.instrumentId;
      for (const r of [...this.asks, ...this.bids]) {
        r.lastPrice = Number.NaN;
        r.lastQty = Number.NaN;
      }
    }
    const nb = Math.min(bidCount(frame), meta.depth, this.depth);
    const na = Math.min(askCount(frame), meta.depth, this.depth);
    const lv = frame.levels;
    let maxQty = 0;
    for (let i = 0; i < nb; i++) maxQty = Math.max(maxQty, lv[bidAt(frame, i) + 1] ?? 0);
    for (let i = 0; i < na; i++) maxQty = Math.max(maxQty, lv[askAt(frame, i) + 1] ?? 0);
    const maxCum = Math.max(nb > 0 ? (lv[bidAt(frame, nb - 1) + 2] ?? 0) : 0,
      na > 0 ? (lv[askAt(frame, na - 1) + 2] ?? 0) : 0);
    const now = this.now();
    const paintSide = (rows: Row[], n: number, at: (i: number) => number): void => {
      for (let i = 0; i < rows.length; i++) {
        const row = rows[i];
        if (!row) continue;
        if (i >= n) {
          this.clearRow(row);
          continue;
        }
        const o = at(i);
        this.paintRow(row, lv[o] ?? 0, lv[o + 1] ?? 0, lv[o + 2] ?? 0, meta.priceDecimals, meta.qtyDecimals,
          maxQty, maxCum, now);
      }
    };
    paintSide(this.bids, nb, (i) => bidAt(frame, i));
    paintSide(this.asks, na, (i) => askAt(frame, i));
    this.paintSpread(frame);
    if (!this.centred && (nb > 0 || na > 0)) this.centre();
  }

  /** Scrolls so the spread row is in the middle (only matters when the rows do not all fit). */
  centre(): void {
    const sc = this.scroller;
    if (sc.scrollHeight <= sc.clientHeight) {
      this.centred = true;
      return;
    }
    const mid = this.askHost.offsetTop + this.askHost.offsetHeight;
    sc.scrollTop = Math.max(0, mid - sc.clientHeight / 2);
    this.centred = true;
  }

  private paintRow(row: Row, price: number, qty: number, cum: number, pd: number, qd: number, maxQty: number,
    maxCum: number, now: number): void {
    const priceText = formatFixed(price, pd);
    const sizeText = formatFixed(qty, qd);
    const cumText = formatFixed(cum, qd);
    if (priceText !== row.priceText) {
      row.price.textContent = priceText;
      row.priceText = priceText;
    }
    if (sizeText !== row.sizeText) {
      row.size.textContent = sizeText;
      row.sizeText = sizeText;
    }
    if (cumText !== row.cumText) {
      row.cum.textContent = cumText;
      row.cumText = cumText;
    }
    // Flash the size when the same price level grew or shrank.
    if (price === row.lastPrice && qty !== row.lastQty) {
      row.el.dataset.flash = qty > row.lastQty ? 'up' : 'down';
      row.flashUntil = now + FLASH_MS;
    } else if (row.flashUntil !== 0 && now >= row.flashUntil) {
      delete row.el.dataset.flash;
      row.flashUntil = 0;
    }
    row.lastPrice = price;
    row.lastQty = qty;
    const barScale = maxQty > 0 ? Math.round((qty / maxQty) * 1000) / 1000 : 0;
    const cumScale = maxCum > 0 ? Math.round((cum / maxCum) * 1000) / 1000 : 0;
    if (barScale !== row.barScale) {
      row.bar.style.width = `${barScale * 100}%`;
      row.barScale = barScale;
    }
    if (cumScale !== row.cumScale) {
      row.cumBar.style.width = `${cumScale * 100}%`;
      row.cumScale = cumScale;
    }
  }

  private clearRow(row: Row): void {
    if (row.priceText === '' && row.barScale === 0) return;
    row.price.textContent = '';
    row.size.textContent = '';
    row.cum.textContent = '';
    row.priceText = row.sizeText = row.cumText = '';
    row.bar.style.width = '0%';
    row.cumBar.style.width = '0%';
    row.barScale = row.cumScale = 0;
    row.lastPrice = row.lastQty = Number.NaN;
    row.flashUntil = 0;
    delete row.el.dataset.flash;
  }

  private paintSpread(frame: RenderFrame): void {
    const { priceDecimals: pd, qtyDecimals: qd } = frame.meta;
    const s = this.spread;
    const spread = stat(frame, Stat.Spread);
    const mid = stat(frame, Stat.Mid);
    setText(s.spread, formatFixed(spread, pd));
    const bps = spreadBps(spread, mid);
    setText(s.spreadBps, Number.isFinite(bps) ? `${bps.toFixed(2)} bps` : '');
    // Mid and microprice can fall between ticks: one more digit than the price.
    setText(s.mid, formatFixed(mid, pd + 1));
    setText(s.micro, formatFixed(stat(frame, Stat.Microprice), pd + 1));
    setText(s.bestBidQty, formatFixed(stat(frame, Stat.BestBidQty), qd));
    setText(s.bestAskQty, formatFixed(stat(frame, Stat.BestAskQty), qd));
    const imb = stat(frame, Stat.Imbalance);
    setText(s.imbalance, Number.isFinite(imb) ? `${imb >= 0 ? '+' : ''}${imb.toFixed(3)}` : '');
    const clamped = Number.isFinite(imb) ? Math.max(-1, Math.min(1, imb)) : 0;
    s.imbalanceBar.style.transform = `scaleX(${Math.abs(clamped)})`;
    s.imbalanceBar.dataset.side = clamped >= 0 ? 'bid' : 'ask';
    const awaiting = stat(frame, Stat.AwaitingSnapshot) === 1;
    if (s.awaiting.hidden === awaiting) s.awaiting.hidden = !awaiting;
  }
}
