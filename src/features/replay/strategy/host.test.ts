import { describe, expect, it } from 'vitest';
import { COMMAND_STRIDE, FLAG_IOC, FLAG_POST_ONLY, Op, decodeCommands, type StrategyEvent } from './api';
import {
  SHADOWED_GLOBALS, SOURCE_URL, StrategyHost, locateInStack, locateSyntaxError, toSourceLocation, wrapperLineOffset,
} from './host';
import { TEMPLATES } from './templates';

const META = { priceDecimals: 2, qtyDecimals: 3 };

const book = (ts: number, bids: number[], asks: number[]): StrategyEvent =>
  ({ kind: 'book', ts, bids: Float64Array.from(bids), asks: Float64Array.from(asks) });

function loaded(source: string, params: Record<string, unknown> = {}): StrategyHost {
  const host = new StrategyHost();
  const r = host.load(source, params, META);
  if (!r.ok) throw new Error(`expected the source to load: ${r.error.message}`);
  return host;
}

const rows = (batch: Float64Array): number[][] => {
  const out: number[][] = [];
  for (let i = 0; i < batch.length; i += COMMAND_STRIDE) out.push(Array.from(batch.subarray(i, i + COMMAND_STRIDE)));
  return out;
};

describe('StrategyHost commands', () => {
  it('returns one numeric batch per callback with every command queued in it', () => {
    const host = loaded(`
function onBook(ctx, book) {
  const [bid] = book.bids[0];
  const [ask] = book.asks[0];
  const a = ctx.buy(bid, 3, { postOnly: true });
  const b = ctx.sell(ask, 2, { ioc: true });
  ctx.cancel(a);
  ctx.modify(b, ask + 1, 1);
  ctx.market('sell', 4);
  ctx.setTimer(book.ts + 1500000000);
}
function onTrade(ctx, trade) { ctx.log('trade', trade.side, trade.price, trade.qty); }
`);
    const r = host.dispatch([
      book(2_000_000_000, [10000, 5, 9999, 1], [10002, 7]),
      { kind: 'trade', ts: 2_000_000_001, side: 1, price: 10000, qty: 2 },
      book(2_000_000_002, [10001, 1], [10003, 1]),
    ]);
    expect(r.error).toBeUndefined();
    expect(r.batches).toHaveLength(3);
    expect(rows(r.batches[0] as Float64Array)).toEqual([
      [Op.LIMIT, 0, 10000, 3, FLAG_POST_ONLY, 1],
      [Op.LIMIT, 1, 10002, 2, FLAG_IOC, 2],
      [Op.CANCEL, 0, 0, 0, 0, 1],
      [Op.MODIFY, 0, 10003, 1, 0, 2],
      [Op.MARKET, 1, 0, 4, 0, 3],
      [Op.TIMER, 0, 3, 500_000_000, 0, 0],
    ]);
    expect(r.batches[1]).toHaveLength(0);
    // Ids keep counting across callbacks.
    expect(rows(r.batches[2] as Float64Array)[0]).toEqual([Op.LIMIT, 0, 10001, 3, FLAG_POST_ONLY, 4]);
    expect(host.takeLogs()).toEqual(['trade sell 10000 2']);
    expect(decodeCommands(r.batches[0] as Float64Array)).toEqual([
      { op: 'limit', id: 1, side: 0, price: 10000, qty: 3, postOnly: true, ioc: false },
      { op: 'limit', id: 2, side: 1, price: 10002, qty: 2, postOnly: false, ioc: true },
      { op: 'cancel', id: 1 },
      { op: 'modify', id: 2, price: 10003, qty: 1 },
      { op: 'market', id: 3, side: 1, qty: 4 },
      { op: 'timer', ts: 3_500_000_000n },
    ]);
  });

  it('encodes a bigint timer exactly', () => {
    const host = loaded('function onTimer(ctx, ts) { ctx.setTimer(1700000000123456789n); }');
    const r = host.dispatch([{ kind: 'timer', ts: 1 }]);
    expect(rows(r.batches[0] as Float64Array)).toEqual([[Op.TIMER, 0, 1_700_000_000, 123_456_789, 0, 0]]);
    expect(decodeCommands(r.batches[0] as Float64Array)).toEqual([{ op: 'timer', ts: 1_700_000_000_123_456_789n }]);
  });

  it('passes params frozen, converts ticks and lots with the dataset decimals', () => {
    const host = loaded(`
function onStart(ctx) {
  ctx.log(ctx.params.spread, ctx.params.nested.k, Object.isFrozen(ctx.params), Object.isFrozen(ctx.params.nested));
  ctx.log(ctx.price(12345), ctx.ticks(123.456), ctx.qty(1500), ctx.lots(0.25));
}
`, { spread: 3, nested: { k: 'v' } });
    expect(host.dispatch([{ kind: 'start', ts: 0 }]).error).toBeUndefined();
    expect(host.takeLogs()).toEqual(['3 v true true', '123.45 12346 1.5 250']);
  });

  it('takes position and open orders from the engine snapshot, and follows fills between snapshots', () => {
    const host = loaded(`
function onFill(ctx, fill) { ctx.log(fill.orderId, fill.side, fill.maker, ctx.position, ctx.openOrders.map((o) => o.id + ':' + o.leaves).join(',')); }
`);
    const fill = (ts: number, qty: number): StrategyEvent => ({ kind: 'fill', ts, orderId: 7, side: 0, price: 100, qty, fee: 0.01, maker: true });
    // The snapshot already includes the fill it comes with.
    const snapshot = { position: 4, openOrders: Float64Array.from([7, 0, 100, 5, 3, 0, 8, 1, 105, 2, 2, 0]) };
    expect(host.dispatch([fill(1, 2)], snapshot).error).toBeUndefined();
    expect(host.takeLogs()).toEqual(['7 buy true 4 7:3,8:2']);
    // Without a snapshot the sandbox applies fills itself.
    expect(host.dispatch([fill(2, 1), fill(3, 2)]).error).toBeUndefined();
    expect(host.takeLogs()).toEqual(['7 buy true 5 7:2,8:2', '7 buy true 7 8:2']);
  });

  it('rejects bad arguments with a message naming the call, the field and the value', () => {
    const host = loaded('function onBook(ctx) {\n  ctx.buy(100.5, 1);\n}');
    const r = host.dispatch([book(1, [1, 1], [2, 1])]);
    expect(r.error?.kind).toBe('runtime');
    expect(r.error?.detail).toBe('TypeError: ctx.buy: price 100.5 is not a positive whole number of ticks');
    expect(r.error?.line).toBe(2);
  });
});

describe('StrategyHost isolation', () => {
  it('leaves the forbidden globals undefined and `this` unbound', () => {
    const names = SHADOWED_GLOBALS.filter((n) => n !== 'eval' && n !== 'Function');
    const host = loaded(`
function onStart(ctx) {
  ctx.log(${names.map((n) => `typeof ${n}`).join(', ')});
  ctx.log(typeof eval, typeof Function, this === undefined);
  console.log('console goes to the log');
}
`);
    host.dispatch([{ kind: 'start', ts: 0 }]);
    expect(host.takeLogs()).toEqual([names.map(() => 'undefined').join(' '), 'undefined undefined true', 'console goes to the log']);
  });

  it('refuses dynamic import and import statements, naming the line', () => {
    const host = new StrategyHost();
    const r = host.load('function onStart(ctx) {\n  import("https://example.com/x.js");\n}', {}, META);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.kind).toBe('forbidden');
      expect(r.error.line).toBe(2);
      expect(r.error.message).toMatch(/^Line 2: the word "import" is not allowed anywhere in a strategy/);
    }
    const s = host.load('import x from "y";\nfunction onStart() {}', {}, META);
    expect(!s.ok && s.error.line).toBe(1);
    const hidden = host.load('function onStart() {\n  const q = "\'";\n  import /* a\n comment */ ("x");\n}', {}, META);
    expect(!hidden.ok && hidden.error.line).toBe(3);
    const e = host.load('function onStart() {}\nexport { onStart };', {}, META);
    expect(!e.ok && e.error.line).toBe(2);
    expect(host.load('function onStart(ctx) { ctx.log(ctx.params.important, ctx.params.reimport); }', {}, META).ok).toBe(true);
  });

  it('refuses a source that tries to close the wrapper', () => {
    const r = new StrategyHost().load('})(); (function () {\nfunction onStart() {}', {}, META);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.kind).toBe('syntax');
  });
});

describe('StrategyHost errors', () => {
  it('gives the line of a syntax error', () => {
    const host = new StrategyHost();
    const r = host.load('function onBook(ctx, book) {\n  const a = 1;\n  const b = ;\n  return a;\n}\n', {}, META);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.kind).toBe('syntax');
      expect(r.error.line).toBe(3);
      expect(r.error.message).toMatch(/^SyntaxError: .* at line 3$/);
    }
  });

  it('gives the line of a redeclaration and of a stray closing token', () => {
    const a = new StrategyHost().load('let x = 1;\nfunction onStart() {}\nlet x = 2;\n', {}, META);
    expect(!a.ok && a.error.line).toBe(3);
    const b = new StrategyHost().load('function onStart(ctx) {\n  ctx.log(1));\n}\n', {}, META);
    expect(!b.ok && b.error.line).toBe(2);
  });

  it('reports an unclosed block at the end of the source', () => {
    const r = new StrategyHost().load('function onStart(ctx) {\n  if (true) {\n    ctx.log(1);\n}\n', {}, META);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.line).toBe(4);
      expect(r.error.message).toMatch(/at the end of the source \(line 4\): a block, string or comment is not closed$/);
    }
  });

  it('gives the line and column of a runtime throw, then refuses further events', () => {
    const host = loaded('const k = 2;\nfunction onBook(ctx, book) {\n  ctx.buy(1, 1);\n  const level = book.bids[5];\n  return level[0];\n}\n');
    const r = host.dispatch([book(1, [1, 1], [2, 1])]);
    expect(r.batches).toHaveLength(0);
    expect(r.error).toMatchObject({ kind: 'runtime', callback: 'onBook', line: 5, column: 15 });
    expect(r.error?.message).toMatch(/^onBook threw at line 5, column 15: TypeError: /);
    const again = host.dispatch([book(2, [1, 1], [2, 1])]);
    expect(again.error?.message).toMatch(/^the strategy stopped after an error; reload it/);
  });

  it('gives the line of a throw in top-level code and in a helper function', () => {
    const top = new StrategyHost().load('function onStart() {}\n\nthrow new Error("bad config");\n', {}, META);
    expect(!top.ok && top.error).toMatchObject({ callback: 'top level', line: 3, detail: 'Error: bad config' });
    const host = loaded('function helper(x) {\n  throw new RangeError("x is " + x);\n}\nfunction onTimer(ctx, ts) { helper(ts); }\n');
    const r = host.dispatch([{ kind: 'timer', ts: 42 }]);
    expect(r.error).toMatchObject({ callback: 'onTimer', line: 2, detail: 'RangeError: x is 42' });
  });

  it('reports a thrown non-Error value without a location', () => {
    const host = loaded('function onStart() { throw "nope"; }');
    const r = host.dispatch([{ kind: 'start', ts: 0 }]);
    expect(r.error?.message).toBe('onStart threw: threw "nope" (not an Error)');
  });

  it('refuses async and generator callbacks, promises and a top-level return', () => {
    const a = new StrategyHost().load('async function onBook(ctx) {}', {}, META);
    expect(!a.ok && a.error).toMatchObject({
      kind: 'forbidden', callback: 'onBook',
      message: 'onBook is an AsyncFunction: callbacks must be plain synchronous functions (their orders are submitted when they return)',
    });
    const g = new StrategyHost().load('function* onTrade(ctx) {}', {}, META);
    expect(!g.ok && g.error.message).toMatch(/^onTrade is a GeneratorFunction: /);
    const host = loaded('function onTimer(ctx) {\n  ctx.market("buy", 1);\n  return Promise.resolve(1);\n}');
    const r = host.dispatch([{ kind: 'timer', ts: 1 }]);
    expect(r.batches).toHaveLength(0);
    expect(r.error?.detail).toBe('TypeError: onTimer returned a Promise: callbacks must be synchronous (their orders are submitted when they return)');
    const ret = new StrategyHost().load('function onStart() {}\nreturn;', {}, META);
    expect(!ret.ok && ret.error.message).toBe('the top level of the source returned early: remove the top-level `return`');
  });

  it('requires at least one callback', () => {
    const r = new StrategyHost().load('const x = 1;', {}, META);
    expect(!r.ok && r.error.message).toBe('the source defines none of onStart, onBook, onTrade, onFill, onTimer');
  });

  it('validates params and meta', () => {
    const r = new StrategyHost().load('function onStart() {}', [] as unknown as Record<string, unknown>, META);
    expect(!r.ok && r.error.message).toBe('params an array is not a JSON object');
    const m = new StrategyHost().load('function onStart() {}', {}, { priceDecimals: 2.5, qtyDecimals: 0 });
    expect(!m.ok && m.error.message).toBe('meta.priceDecimals 2.5 is not an integer in 0..18');
  });
});

describe('stack locations', () => {
  const offset = 3;
  it('reads V8 / Chromium frames with and without sourceURL', () => {
    const withUrl = `TypeError: Cannot read properties of undefined (reading '0')\n    at Object.buy (http://localhost:5173/src/features/replay/strategy/host.ts:210:11)\n    at onBook (${SOURCE_URL}:9:15)\n    at StrategyHost.dispatch (http://localhost:5173/src/features/replay/strategy/host.ts:400:12)`;
    expect(locateInStack(withUrl)).toEqual({ line: 9, column: 15 });
    expect(toSourceLocation(withUrl, offset, 10)).toEqual({ line: 6, column: 15 });
    const bare = 'Error: x\n    at onBook (eval at compileWrapped (http://localhost:5173/assets/sandboxWorker-abc.js:1:2345), <anonymous>:12:7)\n    at x (http://localhost:5173/assets/sandboxWorker-abc.js:1:999)';
    expect(locateInStack(bare)).toEqual({ line: 12, column: 7 });
  });

  it('reads Firefox frames', () => {
    expect(locateInStack(`onBook@${SOURCE_URL}:8:3\ndispatch@http://localhost/host.js:1:1`)).toEqual({ line: 8, column: 3 });
    expect(locateInStack('onBook@http://localhost/assets/sandbox.js line 1 > Function:6:9\n')).toEqual({ line: 6, column: 9 });
  });

  it('ignores frames outside the user source', () => {
    expect(toSourceLocation(`Error\n    at x (${SOURCE_URL}:2:1)`, offset, 10)).toBeNull();
    expect(toSourceLocation('Error\n    at x (http://localhost/a.js:20:1)', offset, 10)).toBeNull();
  });

  it('measures the wrapper offset in this engine', () => {
    expect(wrapperLineOffset()).toBeGreaterThan(0);
  });

  it('locates syntax errors by prefix', () => {
    expect(locateSyntaxError('let a = 1;\nlet b = 2;\nlet c = = 3;\n', 'SyntaxError: Unexpected token \'=\'')).toBe(3);
  });
});

describe('templates', () => {
  it('each loads and handles a start, a book, a trade, a fill and a timer', () => {
    for (const t of TEMPLATES) {
      const host = new StrategyHost();
      const r = host.load(t.source, t.params, META);
      expect(r.ok, `${t.id}: ${r.ok ? '' : r.error.message}`).toBe(true);
      const d = host.dispatch([
        { kind: 'start', ts: 1e18 },
        book(1e18 + 1, [10000, 500, 9999, 400, 9998, 300, 9997, 200, 9996, 100], [10001, 50, 10002, 60, 10003, 70, 10004, 80, 10005, 90]),
        { kind: 'trade', ts: 1e18 + 2, side: 0, price: 10001, qty: 3 },
        { kind: 'fill', ts: 1e18 + 3, orderId: 1, side: 0, price: 10000, qty: 1, fee: 0, maker: true },
        { kind: 'timer', ts: 1e18 + 4 },
        book(1e18 + 5, [10000, 500], []),
      ]);
      expect(d.error, `${t.id}: ${d.error?.message ?? ''}`).toBeUndefined();
      expect(d.batches).toHaveLength(6);
    }
  });
});
