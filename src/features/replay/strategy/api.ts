/**
 * The user strategy API (docs/strategies.md) and the messages that carry it between the replay worker and the
 * sandbox worker that runs the strategy.
 *
 * A strategy is plain JavaScript (ES2020, no imports) that defines any of `onStart(ctx)`, `onBook(ctx, book)`,
 * `onTrade(ctx, trade)`, `onFill(ctx, fill)` and `onTimer(ctx, ts)`. Prices are integer ticks and quantities
 * integer lots, as in the engine; `ctx.price(ticks)` / `ctx.ticks(price)` and `ctx.qty(lots)` / `ctx.lots(qty)`
 * convert with the dataset's decimals. Timestamps are nanoseconds since the Unix epoch as JS numbers (exact to a
 * few hundred ns; `setTimer` also takes a bigint for an exact time).
 *
 * What a callback asks for is queued and handed back as one command batch per callback: a Float64Array of
 * `COMMAND_STRIDE` numbers per command (`op, side, price, qty, flags, id`, see `Op`), so the replay worker crosses
 * into wasm once per callback rather than once per order.
 */

/** 0 = buy, 1 = sell, as in the dataset's side column. */
export type SideCode = 0 | 1;
export type SideName = 'buy' | 'sell';

/** One price level: [price ticks, quantity lots]. */
export type Level = [price: number, qty: number];

export interface Book {
  /** Best first. */
  readonly bids: Level[];
  /** Best first. */
  readonly asks: Level[];
  /** ns, when the strategy sees the update (after feed latency). */
  readonly ts: number;
}

export interface Trade {
  readonly ts: number;
  /** The aggressor's side. */
  readonly side: SideName;
  readonly price: number;
  readonly qty: number;
}

export interface Fill {
  readonly ts: number;
  /** The id `buy`/`sell`/`market` returned. */
  readonly orderId: number;
  readonly side: SideName;
  readonly price: number;
  readonly qty: number;
  /** In quote currency; negative is a rebate. */
  readonly fee: number;
  readonly maker: boolean;
}

export interface OpenOrder {
  readonly id: number;
  readonly side: SideName;
  readonly price: number;
  readonly qty: number;
  /** Quantity still working. */
  readonly leaves: number;
  /** Estimated quantity queued ahead of the order at its price. */
  readonly qtyAhead: number;
}

export interface OrderOptions {
  /** Rejected instead of crossing the spread. */
  postOnly?: boolean;
  /** Immediate-or-cancel: what does not fill at once is cancelled. */
  ioc?: boolean;
}

export type StrategyParams = Readonly<Record<string, unknown>>;

/** What each callback receives as `ctx`. */
export interface StrategyContext {
  /** Limit buy; returns the order id. */
  buy(price: number, qty: number, options?: OrderOptions): number;
  /** Limit sell; returns the order id. */
  sell(price: number, qty: number, options?: OrderOptions): number;
  market(side: SideName | SideCode, qty: number): number;
  cancel(id: number): void;
  modify(id: number, price: number, qty: number): void;
  /** Asks for `onTimer(ctx, ts)` at `ts` (ns). */
  setTimer(ts: number | bigint): void;
  /** Signed position in lots (long > 0) after the fills seen so far. */
  readonly position: number;
  /** The orders the exchange holds, as of the event; orders placed in this callback appear from the next one. */
  readonly openOrders: readonly OpenOrder[];
  /** The JSON object given with the run, frozen. */
  readonly params: StrategyParams;
  /** ns timestamp of the event being handled. */
  readonly now: number;
  /** ticks -> price */
  price(ticks: number): number;
  /** price -> ticks (rounded to the nearest tick) */
  ticks(price: number): number;
  /** lots -> quantity */
  qty(lots: number): number;
  /** quantity -> lots (rounded to the nearest lot) */
  lots(qty: number): number;
  /** Writes a line to the strategy log (each argument JSON-formatted unless a string). */
  log(...args: unknown[]): void;
}

/** The functions a strategy source may define. */
export const CALLBACKS = ['onStart', 'onBook', 'onTrade', 'onFill', 'onTimer'] as const;
export type CallbackName = (typeof CALLBACKS)[number];

/** Command batch layout: `COMMAND_STRIDE` numbers per command. */
export const COMMAND_STRIDE = 6;
/** Column order within a command. */
export const COL = { op: 0, side: 1, price: 2, qty: 3, flags: 4, id: 5 } as const;

/**
 * Command ops. Columns per op:
 * - LIMIT:  side, price ticks, qty lots, flags (FLAG_POST_ONLY | FLAG_IOC), id = the new order's id
 * - MARKET: side, 0, qty lots, 0, id = the new order's id
 * - CANCEL: 0, 0, 0, 0, id = the order to cancel
 * - MODIFY: 0, new price ticks, new qty lots, 0, id = the order to modify
 * - TIMER:  0, seconds, nanoseconds (0..999,999,999), 0, 0 — the timer's time is seconds * 1e9 + nanoseconds
 */
export const Op = { LIMIT: 1, MARKET: 2, CANCEL: 3, MODIFY: 4, TIMER: 5 } as const;
export type OpCode = (typeof Op)[keyof typeof Op];
export const FLAG_POST_ONLY = 1;
export const FLAG_IOC = 2;

/** The dataset's decimals: one tick is 10^-priceDecimals, one lot 10^-qtyDecimals. */
export interface StrategyMeta {
  priceDecimals: number;
  qtyDecimals: number;
}

// ---- events: replay worker -> sandbox ---------------------------------------------------------------------

/** Engine `step()` results that call the strategy, with what the strategy receives. */
export type StrategyEvent =
  | { kind: 'start'; ts: number }
  /** bids / asks: price, qty pairs best first, as `Backtest.topLevels(side, depth)` returns them. */
  | { kind: 'book'; ts: number; bids: Float64Array; asks: Float64Array }
  | { kind: 'trade'; ts: number; side: SideCode; price: number; qty: number }
  | { kind: 'fill'; ts: number; orderId: number; side: SideCode; price: number; qty: number; fee: number; maker: boolean }
  | { kind: 'timer'; ts: number };

export type StrategyEventKind = StrategyEvent['kind'];

export const CALLBACK_OF: Record<StrategyEventKind, CallbackName> = {
  start: 'onStart', book: 'onBook', trade: 'onTrade', fill: 'onFill', timer: 'onTimer',
};

/** Stride of `StrategyState.openOrders`: id, side, price, qty, leaves, qtyAhead (as `Backtest.openOrders()`). */
export const OPEN_ORDER_STRIDE = 6;

/**
 * The engine's view as `step()` left it (fills of the batch included), sent with an event batch. It replaces the
 * sandbox's copy before the first event, and what it gives is then not updated from the batch's fill events;
 * what it omits is (the sandbox adds each fill to the position and takes it off the order's leaves).
 */
export interface StrategyState {
  position?: number;
  openOrders?: Float64Array;
}

// ---- errors -----------------------------------------------------------------------------------------------

export type StrategyErrorKind =
  /** The source does not parse. */
  | 'syntax'
  /** The source uses something strategies may not (e.g. `import()`). */
  | 'forbidden'
  /** A callback (or the top level of the source) threw. */
  | 'runtime'
  /** A callback ran longer than its time budget and the sandbox was stopped. */
  | 'budget'
  /** The sandbox worker failed or was disposed. */
  | 'sandbox';

export interface StrategyError {
  kind: StrategyErrorKind;
  /** Complete, human-readable: names the callback and the line when known. */
  message: string;
  /** The error's own message, without location. */
  detail: string;
  /** 1-based, in the user's source. */
  line?: number;
  /** 1-based, in the user's source. */
  column?: number;
  callback?: CallbackName | 'top level';
}

// ---- messages ---------------------------------------------------------------------------------------------

export type SandboxRequest =
  | { type: 'load'; reqId: number; source: string; params: Record<string, unknown>; meta: StrategyMeta }
  | { type: 'events'; reqId: number; events: StrategyEvent[]; state?: StrategyState };

export type SandboxReply =
  | { type: 'loaded'; reqId: number; ok: true; callbacks: CallbackName[]; logs: string[] }
  | { type: 'loaded'; reqId: number; ok: false; error: StrategyError; logs: string[] }
  /** Posted once when the sandbox has started and locked its scope; requests sent before it are queued. */
  | { type: 'ready' }
  /**
   * One command batch per event handled, in order. With `error`, the event that failed and those after it
   * have no batch (a failing callback's commands are dropped) and the strategy accepts no more events.
   */
  | { type: 'result'; reqId: number; batches: Float64Array[]; logs: string[]; error?: StrategyError };

// ---- decoding a batch (replay worker side) ----------------------------------------------------------------

/** One command of a batch, shaped like the engine's `submit` commands plus the timer. */
export type StrategyCommand =
  | { op: 'limit'; id: number; side: SideCode; price: number; qty: number; postOnly: boolean; ioc: boolean }
  | { op: 'market'; id: number; side: SideCode; qty: number }
  | { op: 'cancel'; id: number }
  | { op: 'modify'; id: number; price: number; qty: number }
  | { op: 'timer'; ts: bigint };

/** The commands of a batch in order; a row with an unknown op is reported by `onUnknown` and skipped. */
export function decodeCommands(batch: Float64Array, onUnknown?: (op: number, index: number) => void): StrategyCommand[] {
  const out: StrategyCommand[] = [];
  for (let i = 0; i + COMMAND_STRIDE <= batch.length; i += COMMAND_STRIDE) {
    const op = batch[i + COL.op] as number;
    const side = (batch[i + COL.side] === 1 ? 1 : 0) as SideCode;
    const price = batch[i + COL.price] as number;
    const qty = batch[i + COL.qty] as number;
    const flags = batch[i + COL.flags] as number;
    const id = batch[i + COL.id] as number;
    switch (op) {
      case Op.LIMIT:
        out.push({ op: 'limit', id, side, price, qty, postOnly: (flags & FLAG_POST_ONLY) !== 0, ioc: (flags & FLAG_IOC) !== 0 });
        break;
      case Op.MARKET:
        out.push({ op: 'market', id, side, qty });
        break;
      case Op.CANCEL:
        out.push({ op: 'cancel', id });
        break;
      case Op.MODIFY:
        out.push({ op: 'modify', id, price, qty });
        break;
      case Op.TIMER:
        out.push({ op: 'timer', ts: BigInt(price) * 1_000_000_000n + BigInt(qty) });
        break;
      default:
        onUnknown?.(op, i / COMMAND_STRIDE);
    }
  }
  return out;
}
