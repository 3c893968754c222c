/**
 * The blotter under the replay: the strategy's open orders at the cursor (with queue position) and its fills up
 * to the cursor, newest first. Refreshed from the throttled cursor copy, not every frame.
 */
import { useState, type ReactNode } from 'react';
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

export function Blotter(props: { extraTabs?: Array<{ id: string; title: string; render: () => ReactNode }> }): ReactNode {
  const [tab, setTab] = useState('fills');
  const cursor = useReplayStore((s) => s.cursor);
  const run = useReplayStore((s) => s.run);
  const dataset = useReplayStore((s) => s.dataset);
  const pd = dataset?.priceDecimals ?? 2;
  const qd = dataset?.qtyDecimals ?? 4;
  const orders = cursor ? readOrders(new Float64Array(cursor.orders)) : [];
  const fills = run && cursor ? fillsUpTo(run.fills, cursor.tsMs) : [];
  const tabs = [
    { id: 'fills', title: `Fills${cursor ? ` (${cursor.fills})` : ''}` },
    { id: 'orders', title: `Open orders (${orders.length})` },
    ...(props.extraTabs ?? []).map(({ id, title }) => ({ id, title })),
  ];
  const extra = props.extraTabs?.find((t) => t.id === tab);
  return (
    <section className="panel replay-blotter" aria-label="Blotter" data-testid="replay.blotter">
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
        {tab === 'fills' && (
          <table className="replay-table num" data-testid="replay.fills">
            <thead><tr><th>Time</th><th>Order</th><th>Side</th><th>Price</th><th>Qty</th><th>Fee</th><th>Liq.</th></tr></thead>
            <tbody>
              {fills.map((f, i) => (
                <tr key={`${f.id}-${f.tsMs}-${i}`} className={f.side === 0 ? 'buy' : 'sell'}>
                  <td>{clockText(f.tsMs)}</td><td>{f.id}</td><td>{f.side === 0 ? 'buy' : 'sell'}</td>
                  <td>{formatFixed(f.price, pd)}</td><td>{formatFixed(f.qty, qd)}</td><td>{f.fee.toFixed(4)}</td>
                  <td>{f.maker ? 'maker' : 'taker'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {tab === 'orders' && (
          <table className="replay-table num" data-testid="replay.orders">
            <thead><tr><th>Order</th><th>Side</th><th>Price</th><th>Qty</th><th>Left</th><th>Ahead</th></tr></thead>
            <tbody>
              {orders.map((o) => (
                <tr key={o.id} className={o.side === 0 ? 'buy' : 'sell'}>
                  <td>{o.id}</td><td>{o.side === 0 ? 'buy' : 'sell'}</td><td>{formatFixed(o.price, pd)}</td>
                  <td>{formatFixed(o.qty, qd)}</td><td>{formatFixed(o.leaves, qd)}</td><td>{formatFixed(o.ahead, qd)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {extra?.render()}
      </div>
    </section>
  );
}
