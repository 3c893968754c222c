/**
 * The trade tape, newest first, painted imperatively: new trades are inserted at the top and, past the cap,
 * the oldest row element is recycled for the next trade instead of allocating a new one.
 * Rows: `[data-testid=tape.row][data-side=buy|sell|none]` with time, price and size cells.
 */
import { TRADE_FIELDS } from '../../protocol/worker';
import { formatFixed, formatTime } from '../../format/number';
import type { RenderFrame } from '../../engine/renderFrame';

export const TAPE_CAP = 200;

const SIDES = ['none', 'buy', 'sell'] as const;

interface TapeRow {
  el: HTMLDivElement;
  time: HTMLSpanElement;
  price: HTMLSpanElement;
  size: HTMLSpanElement;
}

function createRow(): TapeRow {
  const el = document.createElement('div');
  el.className = 'trow';
  el.dataset.testid = 'tape.row';
  const time = document.createElement('span');
  time.className = 'tc tc-time';
  const price = document.createElement('span');
  price.className = 'tc tc-price';
  price.dataset.testid = 'tape.price';
  const size = document.createElement('span');
  size.className = 'tc tc-size';
  size.dataset.testid = 'tape.size';
  el.append(time, price, size);
  return { el, time, price, size };
}

export class TapeView {
  /** Newest first, mirroring the DOM order. */
  private rows: TapeRow[] = [];
  private instrument = -1;

  constructor(private readonly host: HTMLElement, private readonly cap = TAPE_CAP) {
    host.replaceChildren();
  }

  get length(): number {
    return this.rows.length;
  }

  /** Adds the trades of every snapshot since the last paint. */
  paint(frames: readonly RenderFrame[]): void {
    for (const frame of frames) {
      if (frame.meta.instrumentId !== this.instrument) {
        this.instrument = frame.meta.instrumentId;
        this.clear();
      }
      this.add(frame);
    }
  }

  clear(): void {
    this.rows = [];
    this.host.replaceChildren();
  }

  private add(frame: RenderFrame): void {
    const t = frame.trades;
    const n = t.length / TRADE_FIELDS;
    if (n === 0) return;
    const { priceDecimals: pd, qtyDecimals: qd } = frame.meta;
    // Only the newest `cap` trades of a burst can be visible.
    const first = Math.max(0, n - this.cap);
    const fragment = document.createDocumentFragment();
    const fresh: TapeRow[] = [];
    for (let i = first; i < n; i++) {
      const o = i * TRADE_FIELDS;
      const price = t[o + 1] ?? 0;
      const aggressor = t[o + 3] ?? 0;
      const row = this.rows.length + fresh.length >= this.cap ? this.recycle() : createRow();
      row.time.textContent = formatTime(t[o] ?? 0);
      row.price.textContent = formatFixed(price, pd);
      row.size.textContent = formatFixed(t[o + 2] ?? 0, qd);
      row.el.dataset.side = SIDES[aggressor] ?? 'none';
      fresh.push(row);
      // Newest first: each later trade goes above the earlier ones.
      fragment.prepend(row.el);
    }
    this.host.prepend(fragment);
    fresh.reverse();
    this.rows = fresh.concat(this.rows);
  }

  /** Takes the oldest row out of the DOM for reuse. */
  private recycle(): TapeRow {
    const row = this.rows.pop();
    if (!row) return createRow();
    row.el.remove();
    return row;
  }
}
