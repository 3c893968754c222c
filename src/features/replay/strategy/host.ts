/**
 * StrategyHost: compiles a user strategy (plain JavaScript, see api.ts and docs/strategies.md), calls its
 * callbacks for replay events and collects what they ask for as one numeric command batch per callback.
 *
 * Isolation here is lexical: the source is compiled with `new Function` inside a wrapper whose parameters shadow
 * the globals a strategy must not reach (network, storage, messaging, workers, eval, Function, timers…), and runs
 * in strict mode, so `this` is undefined. The sandbox worker (sandboxWorker.ts) adds the hard part: it deletes
 * those globals from the worker scope and disables the Function constructors before any strategy runs, and the
 * replay worker (sandboxClient.ts) terminates it when a callback overruns its time budget.
 *
 * Errors point into the user's source: runtime errors through the stack trace (V8/Chromium and Firefox formats,
 * with the wrapper's line offset measured once by a probe), syntax errors by locating the shortest prefix of the
 * source that already fails with the same message (engines do not expose a SyntaxError's position to script).
 */
import {
  CALLBACK_OF, CALLBACKS, COMMAND_STRIDE, FLAG_IOC, FLAG_POST_ONLY, Op, OPEN_ORDER_STRIDE,
  type Book, type CallbackName, type Fill, type Level, type OpenOrder, type OpCode, type OrderOptions,
  type SideCode, type SideName, type StrategyContext, type StrategyError, type StrategyEvent, type StrategyMeta,
  type StrategyParams, type StrategyState, type Trade,
} from './api';

/** Captured at load, before a sandbox disables the Function constructor for user code. */
const FunctionCtor = Function;

/** The file name stack traces give the user's code (`//# sourceURL`). */
export const SOURCE_URL = 'ferrodesk-strategy.js';

/** Globals a strategy sees as undefined (`console` is replaced by one that writes to the strategy log). */
export const SHADOWED_GLOBALS = [
  'self', 'globalThis', 'window', 'global', 'document', 'navigator', 'location',
  'fetch', 'XMLHttpRequest', 'WebSocket', 'EventSource', 'WebTransport', 'Request', 'Response',
  'importScripts', 'indexedDB', 'caches', 'localStorage', 'sessionStorage', 'cookieStore',
  'postMessage', 'close', 'onmessage', 'onerror', 'addEventListener', 'removeEventListener', 'dispatchEvent',
  'Worker', 'SharedWorker', 'BroadcastChannel', 'MessageChannel', 'MessagePort', 'WebAssembly',
  'eval', 'Function', 'setTimeout', 'setInterval', 'clearTimeout', 'clearInterval', 'queueMicrotask',
  'requestAnimationFrame', 'process', 'require', 'module', 'exports', 'Deno', 'Bun',
] as const;

/** Most commands one callback may queue, log lines kept per batch, characters kept per log line. */
export const MAX_COMMANDS_PER_CALLBACK = 10_000;
export const MAX_LOG_LINES = 200;
export const MAX_LOG_CHARS = 500;

const WRAP_HEAD = 'return (function () { "use strict";\n';
const WRAP_TAIL = `\n;return [${CALLBACKS.map((n) => `typeof ${n} === "function" ? ${n} : undefined`).join(', ')}];\n})();\n//# sourceURL=${SOURCE_URL}`;

type Callback = (ctx: StrategyContext, arg?: unknown) => unknown;
type Factory = (...shadows: unknown[]) => Array<Callback | undefined>;

function compileWrapped(source: string): Factory {
  return new FunctionCtor(...SHADOWED_GLOBALS, 'console', WRAP_HEAD + source + WRAP_TAIL) as Factory;
}

// ---- source locations -------------------------------------------------------------------------------------

export interface StackLocation {
  line: number;
  column: number;
}

const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const FRAME_PATTERNS = [
  // Any engine honouring //# sourceURL: "at onBook (ferrodesk-strategy.js:7:11)", "onBook@ferrodesk-strategy.js:7:11"
  new RegExp(`${escapeRe(SOURCE_URL)}:(\\d+):(\\d+)`),
  // V8 without sourceURL: "at onBook (eval at compileWrapped (http://…/host.ts:50:10), <anonymous>:7:11)"
  /eval at [^\n]*<anonymous>:(\d+):(\d+)\)?\s*$/,
  // Firefox without sourceURL: "onBook@http://…/host.ts line 50 > Function:7:11"
  /> (?:Function|eval):(\d+):(\d+)\s*$/,
];

/** The topmost frame of a stack trace that is in Function-compiled code, as the engine numbers it. */
export function locateInStack(stack: string): StackLocation | null {
  for (const frame of stack.split('\n')) {
    for (const re of FRAME_PATTERNS) {
      const m = re.exec(frame);
      if (m) return { line: Number(m[1]), column: Number(m[2]) };
    }
  }
  return null;
}

let wrapperOffset: number | null | undefined;

/** Lines the engine counts before the user's line 1 in a wrapped source (null when stacks carry no position). */
export function wrapperLineOffset(): number | null {
  if (wrapperOffset === undefined) {
    wrapperOffset = null;
    try {
      compileWrapped('throw new Error("probe");')();
    } catch (e) {
      const at = e instanceof Error && typeof e.stack === 'string' ? locateInStack(e.stack) : null;
      if (at) wrapperOffset = at.line - 1;
    }
  }
  return wrapperOffset;
}

/** Maps an engine stack location to the user's source, or null when it falls outside it. */
export function toSourceLocation(stack: string, offset: number | null, lineCount: number): StackLocation | null {
  if (offset === null) return null;
  const at = locateInStack(stack);
  if (!at) return null;
  const line = at.line - offset;
  return line >= 1 && line <= lineCount ? { line, column: at.column } : null;
}

function syntaxMessage(text: string): string | null {
  try {
    new FunctionCtor(`"use strict";\n${text}`);
    return null;
  } catch (e) {
    return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  }
}

/**
 * The 1-based line of a syntax error whose message is `message`: the shortest prefix of whole lines that fails
 * with that same message whatever follows it (two different trailing sentinels), i.e. the parser meets the
 * error before the end of the prefix. Null when only the end of the source explains the error (an unclosed
 * block, string or comment).
 */
export function locateSyntaxError(source: string, message: string): number | null {
  const lines = source.split('\n');
  const failsWithin = (k: number): boolean => {
    const prefix = lines.slice(0, k).join('\n');
    return syntaxMessage(`${prefix}\n\u0001`) === message && syntaxMessage(`${prefix}\n)`) === message;
  };
  if (!failsWithin(lines.length)) return null;
  let lo = 1;
  let hi = lines.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (failsWithin(mid)) hi = mid;
    else lo = mid + 1;
  }
  // The predicate is monotone for a left-to-right parser; confirm, else scan.
  if (lo === 1 || !failsWithin(lo - 1)) return lo;
  for (let k = 1; k <= lines.length; k++) if (failsWithin(k)) return k;
  return null;
}

/** 1-based number of the last line that is not blank (1 for an empty source). */
function lastCodeLine(source: string): number {
  const lines = source.split('\n');
  for (let i = lines.length - 1; i >= 0; i--) if ((lines[i] as string).trim() !== '') return i + 1;
  return 1;
}

/**
 * `import()` is syntax, so no parameter can shadow it and it would load code from the network. The word is
 * refused anywhere in the source, comments and strings included: that check cannot be fooled by quoting tricks.
 */
const FORBIDDEN_SYNTAX: Array<{ re: RegExp; what: string }> = [
  { re: /^\s*export\b/, what: 'export statements are not available to strategies (a strategy is one plain script)' },
  {
    re: /(^|[^.\w$])import(?![\w$])/,
    what: 'the word "import" is not allowed anywhere in a strategy, comments and strings included (modules cannot be loaded: keep helpers in the same source)',
  },
];

function forbiddenUse(source: string): { line: number; what: string } | null {
  const lines = source.split('\n');
  for (let i = 0; i < lines.length; i++) {
    for (const f of FORBIDDEN_SYNTAX) if (f.re.test(lines[i] as string)) return { line: i + 1, what: f.what };
  }
  return null;
}

const describeThrown = (e: unknown): string => {
  if (e instanceof Error) return `${e.name}: ${e.message}`;
  try {
    return `threw ${typeof e === 'string' ? JSON.stringify(e) : String(e)} (not an Error)`;
  } catch {
    return 'threw a value that cannot be shown';
  }
};

const at = (loc: { line?: number; column?: number }): string =>
  loc.line === undefined ? '' : loc.column === undefined ? ` at line ${loc.line}` : ` at line ${loc.line}, column ${loc.column}`;

// ---- commands ---------------------------------------------------------------------------------------------

class CommandQueue {
  private buf = new Float64Array(COMMAND_STRIDE * 16);
  private n = 0;

  get length(): number {
    return this.n;
  }

  push(op: OpCode, side: number, price: number, qty: number, flags: number, id: number): void {
    if (this.n >= MAX_COMMANDS_PER_CALLBACK) {
      throw new RangeError(`more than ${MAX_COMMANDS_PER_CALLBACK} commands in one callback`);
    }
    if ((this.n + 1) * COMMAND_STRIDE > this.buf.length) {
      const grown = new Float64Array(this.buf.length * 2);
      grown.set(this.buf);
      this.buf = grown;
    }
    this.buf.set([op, side, price, qty, flags, id], this.n * COMMAND_STRIDE);
    this.n++;
  }

  take(): Float64Array {
    const out = this.buf.slice(0, this.n * COMMAND_STRIDE);
    this.n = 0;
    return out;
  }

  clear(): void {
    this.n = 0;
  }
}

const SIDE_NAMES: readonly SideName[] = ['buy', 'sell'];

function sideCode(side: unknown, where: string): SideCode {
  if (side === 'buy' || side === 0) return 0;
  if (side === 'sell' || side === 1) return 1;
  throw new TypeError(`${where}: side ${describeValue(side)} is not "buy" or "sell"`);
}

function describeValue(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'bigint') return `${v}n`;
  if (v === null || typeof v !== 'object') return String(v);
  return Array.isArray(v) ? 'an array' : 'an object';
}

function positiveInt(v: unknown, where: string, field: string, unit: string): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v <= 0) {
    throw new TypeError(`${where}: ${field} ${describeValue(v)} is not a positive whole number of ${unit}`);
  }
  return v;
}

function deepFreeze<T>(v: T): T {
  if (v && typeof v === 'object') {
    for (const k of Object.keys(v)) deepFreeze((v as Record<string, unknown>)[k]);
    Object.freeze(v);
  }
  return v;
}

class Context implements StrategyContext {
  readonly queue = new CommandQueue();
  position = 0;
  openOrders: OpenOrder[] = [];
  now = 0;
  nextId = 1;

  constructor(
    readonly params: StrategyParams,
    private readonly priceScale: number,
    private readonly qtyScale: number,
    private readonly writeLog: (line: string) => void,
  ) {}

  private limit(side: SideCode, price: unknown, qty: unknown, options: unknown): number {
    const where = side === 0 ? 'ctx.buy' : 'ctx.sell';
    const p = positiveInt(price, where, 'price', 'ticks');
    const q = positiveInt(qty, where, 'qty', 'lots');
    let flags = 0;
    if (options !== undefined && options !== null) {
      if (typeof options !== 'object') throw new TypeError(`${where}: options ${describeValue(options)} is not an object`);
      const o = options as OrderOptions;
      if (o.postOnly) flags |= FLAG_POST_ONLY;
      if (o.ioc) flags |= FLAG_IOC;
      if (flags === (FLAG_POST_ONLY | FLAG_IOC)) throw new TypeError(`${where}: options postOnly and ioc cannot both be true`);
    }
    const id = this.nextId++;
    this.queue.push(Op.LIMIT, side, p, q, flags, id);
    return id;
  }

  buy(price: number, qty: number, options?: OrderOptions): number {
    return this.limit(0, price, qty, options);
  }

  sell(price: number, qty: number, options?: OrderOptions): number {
    return this.limit(1, price, qty, options);
  }

  market(side: SideName | SideCode, qty: number): number {
    const s = sideCode(side, 'ctx.market');
    const q = positiveInt(qty, 'ctx.market', 'qty', 'lots');
    const id = this.nextId++;
    this.queue.push(Op.MARKET, s, 0, q, 0, id);
    return id;
  }

  private knownId(id: unknown, where: string): number {
    if (typeof id !== 'number' || !Number.isSafeInteger(id) || id < 1 || id >= this.nextId) {
      throw new TypeError(`${where}: id ${describeValue(id)} is not an order id returned by buy, sell or market`);
    }
    return id;
  }

  cancel(id: number): void {
    this.queue.push(Op.CANCEL, 0, 0, 0, 0, this.knownId(id, 'ctx.cancel'));
  }

  modify(id: number, price: number, qty: number): void {
    const i = this.knownId(id, 'ctx.modify');
    this.queue.push(Op.MODIFY, 0, positiveInt(price, 'ctx.modify', 'price', 'ticks'), positiveInt(qty, 'ctx.modify', 'qty', 'lots'), 0, i);
  }

  setTimer(ts: number | bigint): void {
    let sec: number;
    let ns: number;
    if (typeof ts === 'bigint' && ts >= 0n && ts < 2n ** 63n) {
      sec = Number(ts / 1_000_000_000n);
      ns = Number(ts % 1_000_000_000n);
    } else if (typeof ts === 'number' && Number.isFinite(ts) && ts >= 0 && ts < 2 ** 63) {
      const t = Math.round(ts);
      sec = Math.floor(t / 1e9);
      ns = Math.min(999_999_999, Math.max(0, t - sec * 1e9));
    } else {
      throw new TypeError(`ctx.setTimer: ts ${describeValue(ts)} is not a time in ns (a number or bigint >= 0)`);
    }
    this.queue.push(Op.TIMER, 0, sec, ns, 0, 0);
  }

  price(ticks: number): number {
    return Number((ticks / this.priceScale).toFixed(12));
  }

  ticks(price: number): number {
    return Math.round(price * this.priceScale);
  }

  qty(lots: number): number {
    return Number((lots / this.qtyScale).toFixed(12));
  }

  lots(qty: number): number {
    return Math.round(qty * this.qtyScale);
  }

  log(...args: unknown[]): void {
    const text = args.map((a) => {
      if (typeof a === 'string') return a;
      if (typeof a === 'bigint') return `${a}n`;
      try {
        return JSON.stringify(a) ?? String(a);
      } catch {
        return String(a);
      }
    }).join(' ');
    this.writeLog(text.length > MAX_LOG_CHARS ? `${text.slice(0, MAX_LOG_CHARS)}…` : text);
  }
}

/** The members a strategy may use: the Context's own fields stay private to the host. */
function publicView(c: Context): StrategyContext {
  const view: StrategyContext = {
    buy: (p, q, o) => c.buy(p, q, o),
    sell: (p, q, o) => c.sell(p, q, o),
    market: (s, q) => c.market(s, q),
    cancel: (id) => c.cancel(id),
    modify: (id, p, q) => c.modify(id, p, q),
    setTimer: (ts) => c.setTimer(ts),
    get position() {
      return c.position;
    },
    get openOrders() {
      return c.openOrders;
    },
    params: c.params,
    get now() {
      return c.now;
    },
    price: (t) => c.price(t),
    ticks: (p) => c.ticks(p),
    qty: (l) => c.qty(l),
    lots: (q) => c.lots(q),
    log: (...a) => c.log(...a),
  };
  return Object.freeze(view);
}

function levels(pairs: Float64Array): Level[] {
  const out: Level[] = [];
  for (let i = 0; i + 1 < pairs.length; i += 2) out.push([pairs[i] as number, pairs[i + 1] as number]);
  return out;
}

function openOrdersFrom(a: Float64Array): OpenOrder[] {
  const out: OpenOrder[] = [];
  for (let i = 0; i + OPEN_ORDER_STRIDE <= a.length; i += OPEN_ORDER_STRIDE) {
    out.push(Object.freeze({
      id: a[i] as number, side: SIDE_NAMES[a[i + 1] as number] ?? 'buy', price: a[i + 2] as number,
      qty: a[i + 3] as number, leaves: a[i + 4] as number, qtyAhead: a[i + 5] as number,
    }));
  }
  return out;
}

// ---- the host ---------------------------------------------------------------------------------------------

export type LoadResult = { ok: true; callbacks: CallbackName[] } | { ok: false; error: StrategyError };

export interface DispatchResult {
  batches: Float64Array[];
  error?: StrategyError;
}

function checkMeta(meta: StrategyMeta): string | null {
  for (const k of ['priceDecimals', 'qtyDecimals'] as const) {
    const v: unknown = meta?.[k];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 18) return `meta.${k} ${describeValue(v)} is not an integer in 0..18`;
  }
  return null;
}

function copyParams(params: unknown): { value: StrategyParams } | { error: string } {
  if (params === undefined) return { value: Object.freeze({}) };
  if (params === null || typeof params !== 'object' || Array.isArray(params)) {
    return { error: `params ${describeValue(params)} is not a JSON object` };
  }
  try {
    return { value: deepFreeze(JSON.parse(JSON.stringify(params)) as Record<string, unknown>) };
  } catch (e) {
    return { error: `params cannot be copied as JSON: ${e instanceof Error ? e.message : String(e)}` };
  }
}

export class StrategyHost {
  private callbacks: Partial<Record<CallbackName, Callback>> = {};
  private ctx: Context | null = null;
  private view: StrategyContext | null = null;
  private lineCount = 0;
  private logs: string[] = [];
  private dropped = 0;
  private failed: StrategyError | null = null;

  /** Log lines written since the last call (top-level code, callbacks, console.*). */
  takeLogs(): string[] {
    const out = this.logs;
    if (this.dropped > 0) out.push(`… ${this.dropped} more log lines dropped (at most ${MAX_LOG_LINES} per batch)`);
    this.logs = [];
    this.dropped = 0;
    return out;
  }

  private writeLog = (line: string): void => {
    if (this.logs.length < MAX_LOG_LINES) this.logs.push(line);
    else this.dropped++;
  };

  /** Compiles `source` and runs its top level; replaces any strategy loaded before. */
  load(source: string, params: Record<string, unknown>, meta: StrategyMeta): LoadResult {
    this.callbacks = {};
    this.ctx = null;
    this.view = null;
    this.failed = null;
    const fail = (error: StrategyError): LoadResult => {
      this.failed = error;
      return { ok: false, error };
    };
    if (typeof source !== 'string') {
      return fail({ kind: 'syntax', message: `source ${describeValue(source)} is not a string`, detail: 'not a string' });
    }
    const metaError = checkMeta(meta);
    if (metaError) return fail({ kind: 'runtime', message: metaError, detail: metaError, callback: 'top level' });
    const p = copyParams(params);
    if ('error' in p) return fail({ kind: 'runtime', message: p.error, detail: p.error, callback: 'top level' });
    this.lineCount = source.split('\n').length;

    const forbidden = forbiddenUse(source);
    if (forbidden) {
      const detail = forbidden.what;
      return fail({ kind: 'forbidden', message: `Line ${forbidden.line}: ${detail}`, detail, line: forbidden.line });
    }
    const syntax = syntaxMessage(source);
    if (syntax) {
      const line = locateSyntaxError(source, syntax);
      const last = lastCodeLine(source);
      const where = line === null ? `at the end of the source (line ${last}): a block, string or comment is not closed` : `at line ${line}`;
      return fail({ kind: 'syntax', message: `${syntax} ${where}`, detail: syntax, line: line ?? last });
    }

    const ctx = new Context(p.value, 10 ** meta.priceDecimals, 10 ** meta.qtyDecimals, this.writeLog);
    const view = publicView(ctx);
    const consoleShim = Object.freeze({
      log: (...a: unknown[]) => ctx.log(...a),
      info: (...a: unknown[]) => ctx.log(...a),
      warn: (...a: unknown[]) => ctx.log('warn:', ...a),
      error: (...a: unknown[]) => ctx.log('error:', ...a),
      debug: (...a: unknown[]) => ctx.log(...a),
    });
    let found: Array<Callback | undefined>;
    try {
      const factory = compileWrapped(source);
      found = factory(...SHADOWED_GLOBALS.map(() => undefined), consoleShim);
    } catch (e) {
      if (e instanceof SyntaxError) {
        const detail = `${e.name}: ${e.message}`;
        return fail({ kind: 'syntax', message: `${detail}: the source closes a block it did not open`, detail });
      }
      return fail(this.runtimeError(e, 'top level'));
    }
    if (!Array.isArray(found)) {
      const detail = 'the top level of the source returned early: remove the top-level `return`';
      return fail({ kind: 'runtime', message: detail, detail, callback: 'top level' });
    }
    const names: CallbackName[] = [];
    for (const [i, name] of CALLBACKS.entries()) {
      const fn = found[i];
      if (!fn) continue;
      const kind = Object.prototype.toString.call(fn);
      if (kind !== '[object Function]') {
        const what = kind.replace(/^\[object |\]$/g, '');
        const detail = `${name} is a${/^[AEIOU]/.test(what) ? 'n' : ''} ${what}: callbacks must be plain synchronous functions (their orders are submitted when they return)`;
        return fail({ kind: 'forbidden', message: detail, detail, callback: name });
      }
      this.callbacks[name] = fn;
      names.push(name);
    }
    if (names.length === 0) {
      const detail = `the source defines none of ${CALLBACKS.join(', ')}`;
      return fail({ kind: 'runtime', message: detail, detail, callback: 'top level' });
    }
    this.ctx = ctx;
    this.view = view;
    return { ok: true, callbacks: names };
  }

  private runtimeError(e: unknown, callback: CallbackName | 'top level'): StrategyError {
    const detail = describeThrown(e);
    const stack = e instanceof Error && typeof e.stack === 'string' ? e.stack : '';
    const loc = toSourceLocation(stack, wrapperLineOffset(), this.lineCount);
    const error: StrategyError = { kind: 'runtime', message: `${callback} threw${at(loc ?? {})}: ${detail}`, detail, callback };
    if (loc) {
      error.line = loc.line;
      error.column = loc.column;
    }
    return error;
  }

  /** Calls the strategy for each event in order; stops at the first error, after which it accepts no events. */
  dispatch(events: readonly StrategyEvent[], state?: StrategyState): DispatchResult {
    const batches: Float64Array[] = [];
    const ctx = this.ctx;
    const view = this.view;
    if (this.failed || !ctx || !view) {
      const error: StrategyError = this.failed
        ? { ...this.failed, message: `the strategy stopped after an error; reload it (${this.failed.message})` }
        : { kind: 'sandbox', message: 'no strategy is loaded', detail: 'no strategy is loaded' };
      return { batches, error };
    }
    // A snapshot already includes the batch's fills: apply fills only to what it does not give.
    let fillsMovePosition = true;
    let fillsMoveOrders = true;
    if (state) {
      if (typeof state.position === 'number' && Number.isFinite(state.position)) {
        ctx.position = state.position;
        fillsMovePosition = false;
      }
      if (state.openOrders instanceof Float64Array) {
        ctx.openOrders = Object.freeze(openOrdersFrom(state.openOrders)) as OpenOrder[];
        fillsMoveOrders = false;
      }
    }
    for (const ev of events) {
      const name = CALLBACK_OF[ev.kind];
      if (name === undefined) {
        const detail = `event kind ${describeValue((ev as { kind: unknown }).kind)} is not one of ${Object.keys(CALLBACK_OF).join(', ')}`;
        return { batches, error: { kind: 'sandbox', message: detail, detail } };
      }
      ctx.now = ev.ts;
      if (ev.kind === 'fill') {
        if (fillsMovePosition) ctx.position += ev.side === 0 ? ev.qty : -ev.qty;
        if (fillsMoveOrders) this.applyFill(ctx, ev);
      }
      const fn = this.callbacks[name];
      if (!fn) {
        batches.push(new Float64Array(0));
        continue;
      }
      try {
        const returned: unknown = fn.call(undefined, view, this.argumentOf(ev));
        if (returned !== null && typeof returned === 'object' && typeof (returned as { then?: unknown }).then === 'function') {
          throw new TypeError(`${name} returned a Promise: callbacks must be synchronous (their orders are submitted when they return)`);
        }
      } catch (e) {
        ctx.queue.clear();
        this.failed = this.runtimeError(e, name);
        return { batches, error: this.failed };
      }
      batches.push(ctx.queue.take());
    }
    return { batches };
  }

  private applyFill(ctx: Context, ev: Extract<StrategyEvent, { kind: 'fill' }>): void {
    const i = ctx.openOrders.findIndex((o) => o.id === ev.orderId);
    if (i < 0) return;
    const o = ctx.openOrders[i] as OpenOrder;
    const next = ctx.openOrders.slice();
    if (o.leaves - ev.qty > 0) next[i] = Object.freeze({ ...o, leaves: o.leaves - ev.qty });
    else next.splice(i, 1);
    ctx.openOrders = Object.freeze(next) as OpenOrder[];
  }

  private argumentOf(ev: StrategyEvent): unknown {
    switch (ev.kind) {
      case 'start':
        return undefined;
      case 'book':
        return { bids: levels(ev.bids), asks: levels(ev.asks), ts: ev.ts } satisfies Book;
      case 'trade':
        return Object.freeze({ ts: ev.ts, side: SIDE_NAMES[ev.side] ?? 'buy', price: ev.price, qty: ev.qty } satisfies Trade);
      case 'fill':
        return Object.freeze({
          ts: ev.ts, orderId: ev.orderId, side: SIDE_NAMES[ev.side] ?? 'buy', price: ev.price, qty: ev.qty, fee: ev.fee, maker: ev.maker,
        } satisfies Fill);
      case 'timer':
        return ev.ts;
    }
  }
}
