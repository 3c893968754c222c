/**
 * The blotter under the replay: the strategy's open orders at the cursor (with queue position) and its fills up
 * to the cursor, newest first. Refreshed from the throttled cursor copy, not every frame.
 */
import { memo, useMemo, type ReactNode } from 'react';
import { FILL_FIELDS } from '../../protocol/replay';
import { formatFixed } from '../../format/number';
import { readOrders } from './ownLadder';
import { clockText } from './timeline';
import { useReplayStore } from './store';

const SHOWN = 200;

export interface FillRow {
  tsMs: number;
  id: number;
  side: 0 | 1;
  price: number;
  qty: number;
  fee: number;
  maker: boolean;
}

/** Fills at or before `untilMs`, newest first, at most `max`. */
export function fillsUpTo(fills: Float64Array, untilMs: number, max = SHOWN): FillRow[] {
  let end = 0;
  while (end + FILL_FIELDS <= fills.length && (fills[end] ?? 0) <= untilMs) end += FILL_FIELDS;
  const out: FillRow[] = [];
  for (let i = end - FILL_FIELDS; i >= 0 && out.length < max; i -= FILL_FIELDS) {
    out.push({
      tsMs: fills[i] ?? 0, id: fills[i + 1] ?? 0, side: (fills[i + 2] ?? 0) === 1 ? 1 : 0, price: fills[i + 3] ?? 0,
      qty: fills[i + 4] ?? 0, fee: fills[i + 5] ?? 0, maker: (fills[i + 6] ?? 0) === 1,
    });
  }
  return out;
}

/** Fills at or before `untilMs` (binary search over the time-ordered fills). */
export function fillCountUpTo(fills: Float64Array, untilMs: number): number {
  let lo = 0;
  let hi = fills.length / FILL_FIELDS;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((fills[mid * FILL_FIELDS] ?? 0) <= untilMs) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The fills table; re-rendered only when the number of fills up to the cursor changes. */
const FillsTable = memo(function FillsTable(props: { fills: Float64Array; count: number; pd: number; qd: number }):
  ReactNode {
  const { pd, qd } = props;
  const rows = fillsUpTo(props.fills.subarray(0, props.count * FILL_FIELDS), Number.POSITIVE_INFINITY);
  return (
    <table className="replay-table num" data-testid="replay.fills">
      <thead><tr><th>Time</th><th>Order</th><th>Side</th><th>Price</th><th>Qty</th><th>Fee</th><th>Liq.</th></tr></thead>
      <tbody>
        {rows.map((f, i) => (
          <tr key={`${f.id}-${f.tsMs}-${i}`} className={f.side === 0 ? 'buy' : 'sell'}>
            <td>{clockText(f.tsMs)}</td><td>{f.id}</td><td>{f.side === 0 ? 'buy' : 'sell'}</td>
            <td>{formatFixed(f.price, pd)}</td><td>{formatFixed(f.qty, qd)}</td><td>{f.fee.toFixed(4)}</td>
            <td>{f.maker ? 'maker' : 'taker'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
});

/** Open orders; re-rendered only when they change. */
const OrdersTable = memo(function OrdersTable(props: { key2: string; orders: Float64Array; pd: number; qd: number }):
  ReactNode {
  const { pd, qd } = props;
  return (
    <table className="replay-table num" data-testid="replay.orders">
      <thead><tr><th>Order</th><th>Side</th><th>Price</th><th>Qty</th><th>Left</th><th>Ahead</th></tr></thead>
      <tbody>
        {readOrders(props.orders).map((o) => (
          <tr key={o.id} className={o.side === 0 ? 'buy' : 'sell'}>
            <td>{o.id}</td><td>{o.side === 0 ? 'buy' : 'sell'}</td><td>{formatFixed(o.price, pd)}</td>
            <td>{formatFixed(o.qty, qd)}</td><td>{formatFixed(o.leaves, qd)}</td><td>{formatFixed(o.ahead, qd)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}, (a, b) => a.key2 === b.key2 && a.pd === b.pd && a.qd === b.qd);

export function Blotter(props: { extraTabs?: Array<{ id: string; title: string; render: () => ReactNode }> }): ReactNode {
  const tab = useReplayStore((s) => s.tab);
  const setTab = (t: string): void => useReplayStore.setState({ tab: t });
  const cursor = useReplayStore((s) => s.cursor);
  const run = useReplayStore((s) => s.run);
  const dataset = useReplayStore((s) => s.dataset);
  const pd = dataset?.priceDecimals ?? 2;
  const qd = dataset?.qtyDecimals ?? 4;
  const orderBuf = useMemo(() => (cursor ? new Float64Array(cursor.orders) : new Float64Array(0)), [cursor]);
  const orderKey = Array.prototype.join.call(orderBuf, ',');
  const orderCount = orderBuf.length / 6;
  const fillCount = run && cursor ? fillCountUpTo(run.fills, cursor.tsMs) : 0;
  const tabs = [
    { id: 'fills', title: `Fills${cursor ? ` (${cursor.fills})` : ''}` },
    { id: 'orders', title: `Open orders (${orderCount})` },
    ...(props.extraTabs ?? []).map(({ id, title }) => ({ id, title })),
  ];
  const extra = props.extraTabs?.find((t) => t.id === tab);
  return (
    <section className={`panel replay-blotter tab-${tab}`} aria-label="Blotter" data-testid="replay.blotter">
      <header className="panel-head">
        <nav className="seg" role="tablist">
          {tabs.map((t) => (
            <button key={t.id} type="button" role="tab" className="ctl" aria-selected={tab === t.id}
              aria-pressed={tab === t.id} data-testid={`replay.tab.${t.id}`} onClick={() => setTab(t.id)}>
              {t.title}
            </button>
          ))}
        </nav>
      </header>
      <div className="replay-blotter-body">
        {tab === 'fills' && run && <FillsTable fills={run.fills} count={fillCount} pd={pd} qd={qd} />}
        {tab === 'orders' && <OrdersTable key2={orderKey} orders={orderBuf} pd={pd} qd={qd} />}
        {extra?.render()}
      </div>
    </section>
  );
}
