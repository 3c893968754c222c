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
import { formatNotional, sweepTo } from './levelStats';

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
  side: Side;
  /** Rank from the best price on its side (0 = best). */
  index: number;
}

/** The hover/focus tooltip and its value cells. */
export interface TooltipElements {
  root: HTMLElement;
  title: HTMLElement;
  avg: HTMLElement;
  qty: HTMLElement;
  notional: HTMLElement;
  note: HTMLElement;
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
const COPIED_MS = 900;

function span(cls: string, testId: string): HTMLSpanElement {
  const s = document.createElement('span');
  s.className = cls;
  s.dataset.testid = testId;
  return s;
}

function createRow(side: Side, index: number): Row {
  const el = document.createElement('div');
  el.className = 'lrow';
  el.dataset.testid = 'ladder.row';
  el.dataset.side = side;
  el.dataset.index = String(index);
  el.tabIndex = 0;
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
    lastPrice: Number.NaN, lastQty: Number.NaN, flashUntil: 0, side, index,
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
  /** The displayed levels a side, best first (what the tooltip sums). */
  private bidPx = new Float64Array(0);
  private bidQty = new Float64Array(0);
  private askPx = new Float64Array(0);
  private askQty = new Float64Array(0);
  private nBid = 0;
  private nAsk = 0;
  private pd = 0;
  private qd = 0;
  private hovered: Row | null = null;
  private copiedRow: Row | null = null;
  private copiedTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly detach: () => void;

  constructor(
    private readonly scroller: HTMLElement,
    private readonly askHost: HTMLElement,
    private readonly bidHost: HTMLElement,
    private readonly spread: SpreadElements,
    private readonly tip: TooltipElements | null = null,
    private readonly now: () => number = () => performance.now(),
    private readonly writeClipboard: (text: string) => Promise<void> = (t) => navigator.clipboard.writeText(t),
  ) {
    this.detach = this.attachPointer();
  }

  dispose(): void {
    this.detach();
    if (this.copiedTimer !== null) clearTimeout(this.copiedTimer);
  }

  private rowOf(target: EventTarget | null): Row | null {
    if (!(target instanceof Element)) return null;
    const el = target.closest<HTMLElement>('.lrow');
    if (!el) return null;
    const rows = el.dataset.side === 'ask' ? this.asks : this.bids;
    return rows[Number(el.dataset.index)] ?? null;
  }

  private attachPointer(): () => void {
    const sc = this.scroller;
    const over = (e: Event): void => this.hover(this.rowOf(e.target));
    const leave = (): void => this.hover(null);
    const focusOut = (e: FocusEvent): void => {
      if (!this.rowOf(e.relatedTarget)) this.hover(null);
    };
    const click = (e: MouseEvent): void => {
      const row = this.rowOf(e.target);
      if (row) void this.copy(row);
    };
    const key = (e: KeyboardEvent): void => {
      if (e.key !== 'Enter') return;
      const row = this.rowOf(e.target);
      if (!row) return;
      e.preventDefault();
      void this.copy(row);
    };
    sc.addEventListener('pointerover', over);
    sc.addEventListener('pointerleave', leave);
    sc.addEventListener('focusin', over);
    sc.addEventListener('focusout', focusOut);
    sc.addEventListener('click', click);
    sc.addEventListener('keydown', key);
    return () => {
      sc.removeEventListener('pointerover', over);
      sc.removeEventListener('pointerleave', leave);
      sc.removeEventListener('focusin', over);
      sc.removeEventListener('focusout', focusOut);
      sc.removeEventListener('click', click);
      sc.removeEventListener('keydown', key);
    };
  }

  private hover(row: Row | null): void {
    this.hovered = row;
    this.paintTooltip();
  }

  /** Copies the row's displayed price; the row and the tooltip confirm it (or show why it failed). */
  private async copy(row: Row): Promise<void> {
    const text = row.priceText;
    if (text === '') return;
    let note: string;
    try {
      await this.writeClipboard(text);
      note = `Copied ${text}`;
      if (this.copiedRow && this.copiedRow !== row) delete this.copiedRow.el.dataset.copied;
      row.el.dataset.copied = 'true';
      this.copiedRow = row;
    } catch (err) {
      note = `Copy failed: ${err instanceof Error ? err.message : String(err)}`;
    }
    if (this.tip) {
      this.tip.note.textContent = note;
      this.tip.note.hidden = false;
    }
    if (this.copiedTimer !== null) clearTimeout(this.copiedTimer);
    this.copiedTimer = setTimeout(() => {
      this.copiedTimer = null;
      if (this.copiedRow) delete this.copiedRow.el.dataset.copied;
      this.copiedRow = null;
      if (this.tip) this.tip.note.hidden = true;
    }, COPIED_MS);
  }

  /** Rewrites the tooltip for the hovered row (on hover and on every frame while it is shown). */
  private paintTooltip(): void {
    const tip = this.tip;
    if (!tip) return;
    const row = this.hovered;
    const stats = row === null ? null : row.side === 'bid'
      ? sweepTo(this.bidPx.subarray(0, this.nBid), this.bidQty.subarray(0, this.nBid), row.index)
      : sweepTo(this.askPx.subarray(0, this.nAsk), this.askQty.subarray(0, this.nAsk), row.index);
    if (row === null || stats === null) {
      if (!tip.root.hidden) tip.root.hidden = true;
      return;
    }
    const from = formatFixed((row.side === 'bid' ? this.bidPx : this.askPx)[0] ?? Number.NaN, this.pd);
    setText(tip.title, `${row.side === 'bid' ? 'Sell into bids' : 'Buy from asks'} ${from} → ${row.priceText} `
      + `(${stats.levels} level${stats.levels === 1 ? '' : 's'})`);
    setText(tip.avg, formatFixed(stats.avgPrice, this.pd + 2));
    setText(tip.qty, formatFixed(stats.totalQty, this.qd));
    setText(tip.notional, formatNotional(stats.notional));
    tip.root.dataset.side = row.side;
    if (tip.root.hidden) tip.root.hidden = false;
    // Place it beside the row, inside the panel (the tooltip's offset parent).
    const host = tip.root.offsetParent;
    if (!(host instanceof HTMLElement)) return;
    const hr = host.getBoundingClientRect();
    const rr = row.el.getBoundingClientRect();
    const h = tip.root.offsetHeight;
    const below = rr.bottom - hr.top + 2;
    const top = below + h > hr.height ? rr.top - hr.top - h - 2 : below;
    tip.root.style.transform = `translate(${Math.round(Math.max(4, rr.left - hr.left + 8))}px, ${Math.round(top)}px)`;
  }

  /** Builds `depth` rows a side (reusing none: a depth change is rare). */
  setDepth(depth: number): void {
    if (depth === this.depth) return;
    this.depth = depth;
    this.asks = Array.from({ length: depth }, (_, i) => createRow('ask', i));
    this.bids = Array.from({ length: depth }, (_, i) => createRow('bid', i));
    this.bidPx = new Float64Array(depth);
    this.bidQty = new Float64Array(depth);
    this.askPx = new Float64Array(depth);
    this.askQty = new Float64Array(depth);
    this.nBid = this.nAsk = 0;
    this.hover(null);
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
    for (let i = 0; i < nb; i++) {
      const o = bidAt(frame, i);
      this.bidPx[i] = lv[o] ?? Number.NaN;
      this.bidQty[i] = lv[o + 1] ?? Number.NaN;
    }
    for (let i = 0; i < na; i++) {
      const o = askAt(frame, i);
      this.askPx[i] = lv[o] ?? Number.NaN;
      this.askQty[i] = lv[o + 1] ?? Number.NaN;
    }
    this.nBid = nb;
    this.nAsk = na;
    this.pd = meta.priceDecimals;
    this.qd = meta.qtyDecimals;
    if (this.hovered) this.paintTooltip();
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
