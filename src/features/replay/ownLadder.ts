/**
 * The replay ladder: the book at the cursor with the strategy's own orders beside their levels — size left and
 * the quantity ahead of it in the queue. Painted imperatively each frame into fixed rows (no React per frame).
 */
import { askOffset, bidOffset } from '../../protocol/worker';
import { ORDER_FIELDS } from '../../protocol/replay';
import type { RenderFrame } from '../../engine/renderFrame';
import { formatFixed } from '../../format/number';

export interface OwnOrder {
  id: number;
  side: 0 | 1;
  price: number;
  qty: number;
  leaves: number;
  ahead: number;
}

function setText(el: HTMLElement, text: string): void {
  if (el.textContent !== text) el.textContent = text;
}

/** A size without trailing zeros ("0.0100" → "0.01"). */
export function trim(v: number, decimals: number): string {
  const s = formatFixed(v, decimals);
  return s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s;
}

export function readOrders(buf: Float64Array): OwnOrder[] {
  const out: OwnOrder[] = [];
  for (let i = 0; i + ORDER_FIELDS <= buf.length; i += ORDER_FIELDS) {
    out.push({
      id: buf[i] ?? 0,
      side: (buf[i + 1] ?? 0) === 1 ? 1 : 0,
      price: buf[i + 2] ?? 0,
      qty: buf[i + 3] ?? 0,
      leaves: buf[i + 4] ?? 0,
      ahead: buf[i + 5] ?? 0,
    });
  }
  return out;
}

/** Own orders by side and price (several orders at one price are summed; the smallest queue ahead is shown). */
export function ordersByLevel(orders: readonly OwnOrder[]): Map<string, { leaves: number; ahead: number; n: number }> {
  const m = new Map<string, { leaves: number; ahead: number; n: number }>();
  for (const o of orders) {
    const k = `${o.side}:${o.price}`;
    const cur = m.get(k);
    if (cur) {
      cur.leaves += o.leaves;
      cur.ahead = Math.min(cur.ahead, o.ahead);
      cur.n += 1;
    } else m.set(k, { leaves: o.leaves, ahead: o.ahead, n: 1 });
  }
  return m;
}

interface Row {
  el: HTMLElement;
  own: HTMLElement;
  price: HTMLElement;
  size: HTMLElement;
  bar: HTMLElement;
}

export class OwnLadderView {
  private asks: Row[] = [];
  private bids: Row[] = [];
  private orders = new Map<string, { leaves: number; ahead: number; n: number }>();

  constructor(private readonly askHost: HTMLElement, private readonly bidHost: HTMLElement,
    private readonly spreadEl: HTMLElement, private rowsPerSide: number) {
    this.build();
  }

  setRows(n: number): void {
    this.rowsPerSide = n;
    this.build();
  }

  setOrders(orders: readonly OwnOrder[]): void {
    this.orders = ordersByLevel(orders);
  }

  paint(frame: RenderFrame): void {
    const { levels, meta } = frame;
    const depth = meta.depth;
    const nb = Math.min(levels[0] ?? 0, this.rowsPerSide);
    const na = Math.min(levels[1] ?? 0, this.rowsPerSide);
    let max = 0;
    for (let i = 0; i < nb; i++) max = Math.max(max, levels[bidOffset(i) + 1] ?? 0);
    for (let i = 0; i < na; i++) max = Math.max(max, levels[askOffset(depth, i) + 1] ?? 0);
    const pd = meta.priceDecimals;
    const qd = meta.qtyDecimals;
    const fill = (row: Row | undefined, side: 0 | 1, at: number | null): void => {
      if (!row) return;
      if (at === null) {
        if (!row.el.hidden) row.el.hidden = true;
        return;
      }
      if (row.el.hidden) row.el.hidden = false;
      const price = levels[at] ?? 0;
      const size = levels[at + 1] ?? 0;
      // Writes only what changed: an unchanged text still costs a layout of its row.
      setText(row.price, formatFixed(price, pd));
      setText(row.size, formatFixed(size, qd));
      const width = `${max > 0 ? ((100 * size) / max).toFixed(1) : '0'}%`;
      if (row.bar.style.width !== width) row.bar.style.width = width;
      const own = this.orders.get(`${side}:${price}`);
      setText(row.own, own ? `${trim(own.leaves, qd)} ▸${trim(own.ahead, qd)}` : '');
      if (row.el.classList.contains('own') !== (own !== undefined)) row.el.classList.toggle('own', own !== undefined);
      const title = own ? `${own.n} own order${own.n > 1 ? 's' : ''}: ${formatFixed(own.leaves, qd)} left, `
        + `${formatFixed(own.ahead, qd)} ahead in the queue` : '';
      if (row.own.title !== title) row.own.title = title;
    };
    // Asks are drawn best at the bottom: row k (top to bottom) shows ask level rowsPerSide − 1 − k.
    for (let k = 0; k < this.rowsPerSide; k++) {
      const i = this.rowsPerSide - 1 - k;
      fill(this.asks[k], 1, i < na ? askOffset(depth, i) : null);
    }
    for (let i = 0; i < this.rowsPerSide; i++) fill(this.bids[i], 0, i < nb ? bidOffset(i) : null);
    const bid = nb > 0 ? (levels[bidOffset(0)] ?? Number.NaN) : Number.NaN;
    const ask = na > 0 ? (levels[askOffset(depth, 0)] ?? Number.NaN) : Number.NaN;
    setText(this.spreadEl, Number.isFinite(bid) && Number.isFinite(ask)
      ? `spread ${formatFixed(ask - bid, pd)} · mid ${formatFixed((bid + ask) / 2, pd + 1)}` : 'no two-sided book');
  }

  private build(): void {
    this.asks = this.makeRows(this.askHost, 'ask');
    this.bids = this.makeRows(this.bidHost, 'bid');
  }

  private makeRows(host: HTMLElement, cls: string): Row[] {
    host.replaceChildren();
    const rows: Row[] = [];
    for (let i = 0; i < this.rowsPerSide; i++) {
      const el = document.createElement('div');
      el.className = `rl-row ${cls}`;
      el.dataset.testid = `replay.ladder.${cls}`;
      const own = document.createElement('span');
      own.className = 'rl-own';
      own.dataset.testid = 'replay.ladder.own';
      const price = document.createElement('span');
      price.className = 'rl-price';
      const size = document.createElement('span');
      size.className = 'rl-size';
      const bar = document.createElement('span');
      bar.className = 'rl-bar';
      el.append(bar, own, price, size);
      host.append(el);
      rows.push({ el, own, price, size, bar });
    }
    return rows;
  }
}
