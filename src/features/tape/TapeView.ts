/**
 * The trade tape, newest first, painted imperatively. The last `cap` trades are kept as numbers in a ring; the
 * row elements are created once and never move. A paint rewrites only the rows in view (the body's scroll
 * position is cached from scroll events, so painting never forces a layout); rows scrolled into view are filled
 * on the scroll event. A burst of hundreds of trades per frame (a replay at 100×) thus costs a few dozen text
 * updates, not hundreds of inserted and removed elements.
 * Rows: `[data-testid=tape.row][data-side=buy|sell|none]` with time, price and size cells.
 */
import { TRADE_FIELDS } from '../../protocol/worker';
import { formatFixed, formatTime } from '../../format/number';
import type { RenderFrame } from '../../engine/renderFrame';

export const TAPE_CAP = 200;
/** Row height in CSS px (tape.css `.trow`). */
const ROW_PX = 14;
/** Rows painted beyond the visible ones, for smooth scrolling. */
const MARGIN = 4;
/**
 * Least time between two rewrites of the rows: faster than anyone reads a tape, and it bounds the work when
 * trades arrive every frame (a fast replay); the newest trades are shown at most this late.
 */
export const TAPE_REFRESH_MS = 50;

const SIDES = ['none', 'buy', 'sell'] as const;

interface TapeRow {
  el: HTMLDivElement;
  time: HTMLSpanElement;
  price: HTMLSpanElement;
  size: HTMLSpanElement;
  /** The trade (its sequence number) this row shows; -1 for none. */
  shows: number;
}

function createRow(): TapeRow {
  const el = document.createElement('div');
  el.className = 'trow';
  el.dataset.testid = 'tape.row';
  el.hidden = true;
  const time = document.createElement('span');
  time.className = 'tc tc-time';
  const price = document.createElement('span');
  price.className = 'tc tc-price';
  price.dataset.testid = 'tape.price';
  const size = document.createElement('span');
  size.className = 'tc tc-size';
  size.dataset.testid = 'tape.size';
  el.append(time, price, size);
  return { el, time, price, size, shows: -1 };
}

export class TapeView {
  private readonly rows: TapeRow[] = [];
  /** `TRADE_FIELDS` numbers per trade, slot `seq % cap`. */
  private readonly ring: Float64Array;
  /** Trades ever added (the next one's sequence number). */
  private count = 0;
  private instrument = -1;
  private pd = 0;
  private qd = 0;
  private scrollTop = 0;
  private viewRows = 40;
  private lastRefresh = Number.NEGATIVE_INFINITY;
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(private readonly host: HTMLElement, private readonly cap = TAPE_CAP) {
    this.ring = new Float64Array(cap * TRADE_FIELDS);
    host.replaceChildren();
    for (let i = 0; i < cap; i++) {
      const r = createRow();
      this.rows.push(r);
      host.append(r.el);
    }
    host.addEventListener('scroll', () => {
      this.scrollTop = host.scrollTop;
      this.refresh();
    }, { passive: true });
    if (typeof ResizeObserver !== 'undefined') {
      new ResizeObserver((entries) => {
        const h = entries[0]?.contentRect.height ?? 0;
        this.viewRows = Math.max(1, Math.ceil(h / ROW_PX));
        this.refresh();
      }).observe(host);
    }
  }

  /** Trades shown (at most the cap). */
  get length(): number {
    return Math.min(this.count, this.cap);
  }

  /** Adds the trades of every snapshot since the last paint. */
  paint(frames: readonly RenderFrame[]): void {
    for (const frame of frames) {
      if (frame.meta.instrumentId !== this.instrument) {
        this.instrument = frame.meta.instrumentId;
        this.clear();
      }
      this.pd = frame.meta.priceDecimals;
      this.qd = frame.meta.qtyDecimals;
      const t = frame.trades;
      const n = t.length / TRADE_FIELDS;
      // Only the newest `cap` trades of a burst can be shown.
      for (let i = Math.max(0, n - this.cap); i < n; i++) {
        this.ring.set(t.subarray(i * TRADE_FIELDS, (i + 1) * TRADE_FIELDS), (this.count % this.cap) * TRADE_FIELDS);
        this.count += 1;
      }
    }
    this.schedule();
  }

  /** Refreshes now, or once `TAPE_REFRESH_MS` after the previous refresh. */
  private schedule(): void {
    if (this.timer !== null) return;
    const wait = this.lastRefresh + TAPE_REFRESH_MS - performance.now();
    if (wait <= 0) this.refresh();
    else {
      this.timer = setTimeout(() => {
        this.timer = null;
        this.refresh();
      }, wait);
    }
  }

  clear(): void {
    this.count = 0;
    for (const r of this.rows) {
      r.shows = -1;
      r.el.hidden = true;
    }
  }

  /** Rewrites the rows in view whose trade changed; shows or hides rows as trades arrive or are cleared. */
  private refresh(): void {
    this.lastRefresh = performance.now();
    const shown = this.length;
    const first = Math.max(0, Math.floor(this.scrollTop / ROW_PX) - MARGIN);
    const last = Math.min(this.cap, first + this.viewRows + 2 * MARGIN);
    for (let i = 0; i < this.cap; i++) {
      const row = this.rows[i];
      if (!row) continue;
      const present = i < shown;
      if (row.el.hidden === present) row.el.hidden = !present;
      if (!present || i < first || i >= last) continue;
      const seq = this.count - 1 - i;
      if (row.shows === seq) continue;
      row.shows = seq;
      const o = (seq % this.cap) * TRADE_FIELDS;
      row.time.textContent = formatTime(this.ring[o] ?? 0);
      row.price.textContent = formatFixed(this.ring[o + 1] ?? 0, this.pd);
      row.size.textContent = formatFixed(this.ring[o + 2] ?? 0, this.qd);
      row.el.dataset.side = SIDES[this.ring[o + 3] ?? 0] ?? 'none';
    }
  }
}
