/**
 * Validation of the server's JSON control messages (protocol v1, docs/protocol.md). The server is trusted to
 * follow the protocol but not assumed to: anything malformed is reported with the field, the value received and
 * the reason, and the worker counts it instead of acting on it. Fields a type does not define are ignored.
 */
import type { ErrorCode, InstrumentInfo, ServerMessage } from '../protocol/messages';
import { parseStep } from './decimal';

export type ParseResult = { ok: true; message: ServerMessage } | { ok: false; reason: string };

type Obj = Record<string, unknown>;

const ERROR_CODES: readonly ErrorCode[] = [
  'bad_json', 'bad_message', 'unknown_instrument', 'not_subscribed', 'too_large', 'rate_limited',
];

class Invalid extends Error {}

function show(value: unknown): string {
  if (value === undefined) return 'missing';
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function fail(field: string, value: unknown, expected: string): never {
  throw new Invalid(`field "${field}" is ${show(value)}, expected ${expected}`);
}

function isObject(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function str(o: Obj, field: string, prefix = ''): string {
  const v = o[field];
  if (typeof v !== 'string') fail(prefix + field, v, 'a string');
  return v;
}

function nonEmpty(o: Obj, field: string, prefix = ''): string {
  const v = str(o, field, prefix);
  if (v.length === 0) fail(prefix + field, v, 'a non-empty string');
  return v;
}

function finite(o: Obj, field: string): number {
  const v = o[field];
  if (typeof v !== 'number' || !Number.isFinite(v)) fail(field, v, 'a finite number');
  return v;
}

function int(o: Obj, field: string, min: number, max: number, prefix = ''): number {
  const v = o[field];
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    fail(prefix + field, v, `an integer in ${min}..${max}`);
  }
  return v;
}

const U32 = 0xffff_ffff;
const reqId = (o: Obj): number => int(o, 'reqId', 0, Number.MAX_SAFE_INTEGER);

function instrument(v: unknown, i: number): InstrumentInfo {
  const p = `instruments[${i}].`;
  if (!isObject(v)) fail(`instruments[${i}]`, v, 'an object');
  const tickSize = str(v, 'tickSize', p);
  if (!parseStep(tickSize)) fail(`${p}tickSize`, tickSize, 'a positive decimal string such as "0.1"');
  const lotSize = str(v, 'lotSize', p);
  if (!parseStep(lotSize)) fail(`${p}lotSize`, lotSize, 'a positive decimal string such as "0.001"');
  return {
    id: int(v, 'id', 0, U32, p),
    symbol: nonEmpty(v, 'symbol', p),
    venue: str(v, 'venue', p),
    tickSize,
    lotSize,
    priceDecimals: int(v, 'priceDecimals', 0, 15, p),
    qtyDecimals: int(v, 'qtyDecimals', 0, 15, p),
  };
}

function hello(o: Obj): ServerMessage {
  const list = o.instruments;
  if (!Array.isArray(list)) fail('instruments', list, 'an array');
  const instruments = list.map(instrument);
  const ids = new Set<number>();
  const symbols = new Set<string>();
  for (const inst of instruments) {
    if (ids.has(inst.id)) fail('instruments', inst.id, 'distinct instrument ids');
    if (symbols.has(inst.symbol)) fail('instruments', inst.symbol, 'distinct symbols');
    ids.add(inst.id);
    symbols.add(inst.symbol);
  }
  return {
    type: 'hello',
    v: int(o, 'v', 0, 255),
    server: str(o, 'server'),
    instruments,
    heartbeatMs: int(o, 'heartbeatMs', 1, 3_600_000),
  };
}

function errorMessage(o: Obj): ServerMessage {
  const code = o.code;
  if (typeof code !== 'string' || !(ERROR_CODES as readonly string[]).includes(code)) {
    fail('code', code, `one of ${ERROR_CODES.join(', ')}`);
  }
  const message = str(o, 'message');
  if (o.reqId === undefined) return { type: 'error', code: code as ErrorCode, message };
  return { type: 'error', code: code as ErrorCode, message, reqId: reqId(o) };
}

/** Parses and validates one JSON text frame from the server. Never throws. */
export function parseServerMessage(text: string): ParseResult {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return { ok: false, reason: `not JSON (${err instanceof Error ? err.message : String(err)})` };
  }
  if (!isObject(value)) return { ok: false, reason: `expected a JSON object, got ${show(value)}` };
  try {
    const type = value.type;
    switch (type) {
      case 'hello':
        return { ok: true, message: hello(value) };
      case 'subscribed':
      case 'unsubscribed':
        return {
          ok: true,
          message: { type, reqId: reqId(value), instrument: nonEmpty(value, 'instrument'),
            instrumentId: int(value, 'instrumentId', 0, U32) },
        };
      case 'pong':
        return { ok: true, message: { type, reqId: reqId(value), ts: finite(value, 'ts') } };
      case 'heartbeat':
        return { ok: true, message: { type, ts: finite(value, 'ts') } };
      case 'error':
        return { ok: true, message: errorMessage(value) };
      default:
        return { ok: false, reason: `unknown message type ${show(type)}` };
    }
  } catch (err) {
    if (err instanceof Invalid) return { ok: false, reason: `${String(value.type)}: ${err.message}` };
    throw err;
  }
}
