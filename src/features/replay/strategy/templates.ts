/** Example strategies the editor offers as starting points (each is exercised by host.test.ts). */

export interface StrategyTemplate {
  id: 'skeleton' | 'market-maker' | 'imbalance-taker';
  label: string;
  params: Record<string, unknown>;
  source: string;
}

const SKELETON = `// A strategy that does nothing: every callback the replay can call, with what it receives.
// Prices are integer ticks, quantities integer lots; ctx.price(ticks) / ctx.qty(lots) convert for display.

function onStart(ctx) {
  ctx.log('start', ctx.params);
}

function onBook(ctx, book) {
  // book.bids / book.asks: [[price, qty], ...] best first; book.ts in ns.
}

function onTrade(ctx, trade) {
  // trade: { ts, side: 'buy' | 'sell' (aggressor), price, qty }
}

function onFill(ctx, fill) {
  // fill: { ts, orderId, side, price, qty, fee, maker }; ctx.position already includes it.
}

function onTimer(ctx, ts) {
  // Called at the time given to ctx.setTimer(ts).
}
`;

const MARKET_MAKER = `// Quotes one bid and one ask around the mid, skewed against the position, and requotes when the
// mid moves by params.requoteTicks or more. Stops quoting the side that would exceed maxPositionLots.

let quotedMid = null;
let bidId = null;
let askId = null;

function onBook(ctx, book) {
  if (book.bids.length === 0 || book.asks.length === 0) return;
  const p = ctx.params;
  const mid = (book.bids[0][0] + book.asks[0][0]) / 2;
  if (quotedMid !== null && Math.abs(mid - quotedMid) < p.requoteTicks) return;

  if (bidId !== null) ctx.cancel(bidId);
  if (askId !== null) ctx.cancel(askId);
  bidId = askId = null;

  const skew = Math.round(ctx.position * p.skewTicksPerLot);
  const bid = Math.floor(mid - p.spreadTicks / 2) - skew;
  const ask = Math.ceil(mid + p.spreadTicks / 2) - skew;
  if (ctx.position + p.orderQtyLots <= p.maxPositionLots && bid > 0) {
    bidId = ctx.buy(bid, p.orderQtyLots, { postOnly: true });
  }
  if (ctx.position - p.orderQtyLots >= -p.maxPositionLots) {
    askId = ctx.sell(ask, p.orderQtyLots, { postOnly: true });
  }
  quotedMid = mid;
}

function onFill(ctx, fill) {
  ctx.log('fill', fill.side, ctx.price(fill.price), 'x', fill.qty, 'position', ctx.position);
  // Requote on the next book update.
  if (fill.orderId === bidId) bidId = null;
  if (fill.orderId === askId) askId = null;
  quotedMid = null;
}
`;

const IMBALANCE_TAKER = `// Takes liquidity when the top params.levels levels of the book lean to one side:
// imbalance = (bid qty - ask qty) / (bid qty + ask qty). Buys above +threshold, sells below -threshold,
// then waits params.cooldownNs before acting again. Flattens on a timer params.holdNs later.

let readyAt = 0;

function depth(levels, n) {
  let sum = 0;
  for (let i = 0; i < Math.min(n, levels.length); i++) sum += levels[i][1];
  return sum;
}

function onBook(ctx, book) {
  if (book.ts < readyAt) return;
  const p = ctx.params;
  const b = depth(book.bids, p.levels);
  const a = depth(book.asks, p.levels);
  if (b + a === 0) return;
  const imbalance = (b - a) / (b + a);
  if (imbalance > p.threshold && ctx.position + p.orderQtyLots <= p.maxPositionLots) {
    ctx.market('buy', p.orderQtyLots);
  } else if (imbalance < -p.threshold && ctx.position - p.orderQtyLots >= -p.maxPositionLots) {
    ctx.market('sell', p.orderQtyLots);
  } else {
    return;
  }
  readyAt = book.ts + p.cooldownNs;
  ctx.setTimer(book.ts + p.holdNs);
}

function onTimer(ctx, ts) {
  if (ctx.position > 0) ctx.market('sell', ctx.position);
  if (ctx.position < 0) ctx.market('buy', -ctx.position);
}
`;

export const TEMPLATES: readonly StrategyTemplate[] = [
  { id: 'skeleton', label: 'Do nothing (skeleton)', params: {}, source: SKELETON },
  {
    id: 'market-maker', label: 'Simple market maker',
    params: { spreadTicks: 2, skewTicksPerLot: 0.5, orderQtyLots: 1, maxPositionLots: 5, requoteTicks: 1 },
    source: MARKET_MAKER,
  },
  {
    id: 'imbalance-taker', label: 'Imbalance taker',
    params: { levels: 5, threshold: 0.6, orderQtyLots: 1, maxPositionLots: 3, cooldownNs: 1e9, holdNs: 5e9 },
    source: IMBALANCE_TAKER,
  },
];

export const DEFAULT_TEMPLATE = TEMPLATES[0] as StrategyTemplate;
