/**
 * Parses and validates a client's JSON text frame into a `ClientMessage` (docs/protocol.md).
 *
 * Nothing a client sends is trusted: the frame must be a JSON object whose `type` is known and whose fields have
 * the documented types. A rejection carries the protocol error code and a message naming the field, the value
 * received and the reason, plus the request id when the frame had a valid one, so the client can match it.
 * Fields this version does not know are ignored, so newer clients can add optional fields.
 */
import type { Channel, ClientMessage, ErrorCode } from '../../../src/protocol/messages.js';
import { describeJsonError } from '../jsonError.js';

export type ParseResult =
  | { ok: true; msg: ClientMessage }
  | { ok: false; code: ErrorCode; message: string; reqId?: number };

const TYPES = ['subscribe', 'unsubscribe', 'resync', 'ping'] as const;
type ClientType = (typeof TYPES)[number];
const CHANNELS: readonly Channel[] = ['book', 'trades'];

/** A short, JSON-like rendering of a received value for error messages. */
export function showValue(value: unknown): string {
  if (value === undefined) return 'undefined';
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

class Rejection {
  constructor(
    readonly code: ErrorCode,
    readonly message: string,
  ) {}
}

const fieldError = (field: string, value: unknown, reason: string): Rejection =>
  new Rejection('bad_message', `field "${field}" has value ${showValue(value)}: ${reason}`);
const missing = (field: string, expected: string): Rejection =>
  new Rejection('bad_message', `field "${field}" is missing: expected ${expected}`);

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isReqId = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

function requireReqId(obj: Record<string, unknown>): number {
  const v = obj['reqId'];
  if (v === undefined) throw missing('reqId', 'a non-negative integer');
  if (!isReqId(v)) throw fieldError('reqId', v, 'expected a non-negative integer');
  return v;
}

function requireInstrument(obj: Record<string, unknown>, known: readonly string[]): string {
  const v = obj['instrument'];
  if (v === undefined) throw missing('instrument', 'an instrument symbol such as "BTC-USD"');
  if (typeof v !== 'string') throw fieldError('instrument', v, 'expected a string (an instrument symbol)');
  if (!known.includes(v)) {
    throw new Rejection(
      'unknown_instrument',
      `field "instrument" has value ${showValue(v)}: unknown instrument, expected one of ${known.join(', ')}`,
    );
  }
  return v;
}

function optionalChannels(obj: Record<string, unknown>): Channel[] | undefined {
  const v = obj['channels'];
  if (v === undefined) return undefined;
  if (!Array.isArray(v)) throw fieldError('channels', v, 'expected an array of "book" and/or "trades"');
  if (v.length === 0) throw fieldError('channels', v, 'expected at least one channel');
  const out: Channel[] = [];
  v.forEach((c: unknown, i) => {
    const channel = CHANNELS.find((known) => known === c);
    if (channel === undefined) throw fieldError(`channels[${i}]`, c, 'expected "book" or "trades"');
    if (out.includes(channel)) throw fieldError(`channels[${i}]`, c, 'duplicate channel');
    out.push(channel);
  });
  return out;
}

function requireTs(obj: Record<string, unknown>): number {
  const v = obj['ts'];
  if (v === undefined) throw missing('ts', 'a number (client time in ms)');
  if (typeof v !== 'number' || !Number.isFinite(v)) throw fieldError('ts', v, 'expected a finite number (client time in ms)');
  return v;
}

function build(type: ClientType, obj: Record<string, unknown>, known: readonly string[]): ClientMessage {
  const reqId = requireReqId(obj);
  switch (type) {
    case 'subscribe': {
      const instrument = requireInstrument(obj, known);
      const channels = optionalChannels(obj);
      return channels ? { type, reqId, instrument, channels } : { type, reqId, instrument };
    }
    case 'unsubscribe':
    case 'resync':
      return { type, reqId, instrument: requireInstrument(obj, known) };
    case 'ping':
      return { type, reqId, ts: requireTs(obj) };
  }
}

/** Parses one text frame. `knownSymbols` are the instruments this server streams. */
export function parseClientMessage(text: string, knownSymbols: readonly string[]): ParseResult {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { ok: false, code: 'bad_json', message: `frame is not valid JSON ${describeJsonError(text)}` };
  }
  if (!isRecord(parsed)) {
    const kind = Array.isArray(parsed) ? 'an array' : parsed === null ? 'null' : `a ${typeof parsed}`;
    return { ok: false, code: 'bad_message', message: `message must be a JSON object, got ${kind}` };
  }
  const reqId = isReqId(parsed['reqId']) ? parsed['reqId'] : undefined;
  const reject = (r: Rejection): ParseResult =>
    reqId === undefined ? { ok: false, code: r.code, message: r.message } : { ok: false, code: r.code, message: r.message, reqId };
  const type = parsed['type'];
  const expected = `one of ${TYPES.join(', ')}`;
  if (type === undefined) return reject(missing('type', expected));
  const known = TYPES.find((t) => t === type);
  if (known === undefined) {
    return reject(fieldError('type', type, typeof type === 'string' ? `unknown message type, expected ${expected}` : `expected a string, ${expected}`));
  }
  try {
    return { ok: true, msg: build(known, parsed, knownSymbols) };
  } catch (err) {
    if (err instanceof Rejection) return reject(err);
    throw err;
  }
}
