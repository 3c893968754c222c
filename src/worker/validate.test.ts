import { describe, expect, it } from 'vitest';
import { parseServerMessage } from './validate';

const BTC = { id: 1, symbol: 'BTC-USD', venue: 'sim', tickSize: '0.1', lotSize: '0.0001', priceDecimals: 1, qtyDecimals: 4 };
const hello = { type: 'hello', v: 1, server: 'ferrodesk/0.1.0', instruments: [BTC], heartbeatMs: 5000 };

const reason = (text: string): string => {
  const r = parseServerMessage(text);
  if (r.ok) throw new Error(`expected a rejection of ${text}`);
  return r.reason;
};

describe('server control message validation', () => {
  it('accepts every message type of protocol v1', () => {
    const good = [
      hello,
      { type: 'subscribed', reqId: 3, instrument: 'BTC-USD', instrumentId: 1 },
      { type: 'unsubscribed', reqId: 4, instrument: 'BTC-USD', instrumentId: 1 },
      { type: 'pong', reqId: 5, ts: 123.5 },
      { type: 'heartbeat', ts: 1_700_000_000_000 },
      { type: 'error', code: 'unknown_instrument', message: 'field "instrument" ...', reqId: 9 },
      { type: 'error', code: 'rate_limited', message: 'slow down' },
    ];
    for (const m of good) {
      const r = parseServerMessage(JSON.stringify(m));
      expect(r.ok, JSON.stringify(m)).toBe(true);
      if (r.ok) expect(r.message).toEqual(m);
    }
  });

  it('ignores fields a type does not define (forward compatibility)', () => {
    const r = parseServerMessage(JSON.stringify({ type: 'heartbeat', ts: 1, extra: { nested: true } }));
    expect(r).toEqual({ ok: true, message: { type: 'heartbeat', ts: 1 } });
  });

  it('names the field, the value and the expectation when a field is wrong', () => {
    expect(reason(JSON.stringify({ type: 'pong', reqId: -1, ts: 1 }))).toBe(
      'pong: field "reqId" is -1, expected an integer in 0..9007199254740991');
    expect(reason(JSON.stringify({ type: 'subscribed', reqId: 1, instrument: '', instrumentId: 1 }))).toBe(
      'subscribed: field "instrument" is "", expected a non-empty string');
    expect(reason(JSON.stringify({ type: 'heartbeat' }))).toBe('heartbeat: field "ts" is missing, expected a finite number');
    expect(reason(JSON.stringify({ type: 'error', code: 'nope', message: 'x' }))).toMatch(/field "code" is "nope", expected one of bad_json/);
  });

  it('checks instruments in hello, down to the tick size', () => {
    const bad = { ...hello, instruments: [{ ...BTC, tickSize: '1e-1' }] };
    expect(reason(JSON.stringify(bad))).toBe(
      'hello: field "instruments[0].tickSize" is "1e-1", expected a positive decimal string such as "0.1"');
    const dup = { ...hello, instruments: [BTC, { ...BTC, symbol: 'ETH-USD' }] };
    expect(reason(JSON.stringify(dup))).toMatch(/distinct instrument ids/);
    expect(reason(JSON.stringify({ ...hello, instruments: 'BTC-USD' }))).toMatch(/"instruments" is "BTC-USD", expected an array/);
  });

  it('rejects non-JSON, non-objects and unknown types without throwing', () => {
    expect(reason('{"type":')).toMatch(/^not JSON/);
    expect(reason('[1,2]')).toBe('expected a JSON object, got [1,2]');
    expect(reason('null')).toBe('expected a JSON object, got null');
    expect(reason('{"type":"teleport"}')).toBe('unknown message type "teleport"');
    expect(reason('{}')).toBe('unknown message type missing');
  });

  it('never throws on arbitrary input', () => {
    const samples = ['', ' ', '0', '"x"', 'true', '{"type":1}', '{"type":"hello"}', '{"type":"hello","instruments":[null]}',
      '{"type":"error","code":"bad_json"}', '\u0000', '{"type":"pong","reqId":1.5,"ts":"1"}'];
    for (const s of samples) expect(() => parseServerMessage(s)).not.toThrow();
    for (const s of samples) expect(parseServerMessage(s).ok).toBe(false);
  });
});
