import { describe, expect, it } from 'vitest';
import { isArrowFile, isGzip, isZip, venueOfText } from './recording';

describe('recording detection', () => {
  it('tells venues apart by their messages', () => {
    expect(venueOfText('1723 {"stream":"btcusdt@depth@0ms","data":{"e":"depthUpdate","U":1,"u":2}}')).toBe('binance-spot');
    expect(venueOfText('1723 {"stream":"btcusdt@depth@0ms","data":{"e":"depthUpdate","U":1,"u":2,"pu":0}}')).toBe('binance-futures');
    expect(venueOfText('{"topic":"orderbook.500.XRPUSDT","type":"snapshot"}')).toBe('bybit');
    expect(venueOfText('1583 : [1234,{"as":[]},"book-1000","XBT/USD"]')).toBe('kraken');
    expect(venueOfText('{"type":"l2update","product_id":"BTC-USD","changes":[]}')).toBe('coinbase');
    expect(venueOfText('hello')).toBeNull();
  });

  it('recognises file signatures', () => {
    expect(isArrowFile(new TextEncoder().encode('ARROW1\0\0'))).toBe(true);
    expect(isArrowFile(new TextEncoder().encode('ARRO'))).toBe(false);
    expect(isGzip(new Uint8Array([0x1f, 0x8b, 8]))).toBe(true);
    expect(isZip(new Uint8Array([0x50, 0x4b, 3, 4]))).toBe(true);
  });
});
