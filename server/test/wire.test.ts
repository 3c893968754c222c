import { describe, expect, it } from 'vitest';
import {
  Aggressor,
  decodeFrames,
  encodeLevels,
  encodeTrades,
  FrameKind,
  HEADER_BYTES,
  LEVEL_RECORD_BYTES,
  readHeader,
  Side,
  TRADE_RECORD_BYTES,
  WireError,
  type LevelUpdate,
  type TradeRecord,
} from '../../src/protocol/wire.js';

const levels: LevelUpdate[] = [
  { side: Side.Bid, price: 650_000, qty: 12_345 },
  { side: Side.Bid, price: 649_999, qty: 0 },
  { side: Side.Ask, price: 650_001, qty: Number.MAX_SAFE_INTEGER },
];
const trades: TradeRecord[] = [
  { tsEventNs: 1_763_000_000_123_456_789n, price: 650_001, qty: 7, aggressor: Aggressor.Buyer },
  { tsEventNs: 1_763_000_000_123_456_790n, price: 649_998, qty: 1, aggressor: Aggressor.Seller },
  { tsEventNs: 1_763_000_000_123_456_791n, price: 649_998, qty: 2, aggressor: Aggressor.Unknown },
];
const header = { instrumentId: 2, seqFirst: 2n ** 40n + 1n, seqLast: 2n ** 40n + 3n, tsEventNs: 1_763_000_000_000_000_000n };

describe('wire encoding', () => {
  it('round-trips a delta frame, byte layout as documented', () => {
    const buf = encodeLevels({ kind: FrameKind.Delta, ...header }, levels);
    expect(buf.byteLength).toBe(HEADER_BYTES + 3 * LEVEL_RECORD_BYTES);
    expect([...buf.subarray(0, 4)]).toEqual([0xfd, 1, 2, 0]);
    const view = new DataView(buf.buffer);
    expect(view.getUint32(8, true)).toBe(3);
    expect(view.getBigInt64(HEADER_BYTES, true)).toBe(650_000n);
    expect(view.getUint8(HEADER_BYTES + LEVEL_RECORD_BYTES * 2 + 16)).toBe(Side.Ask);
    expect(decodeFrames(buf)).toEqual([{ kind: FrameKind.Delta, ...header, levels }]);
  });

  it('round-trips snapshot and trade frames concatenated in one buffer', () => {
    const snap = encodeLevels({ kind: FrameKind.Snapshot, instrumentId: 1, seqFirst: 9n, seqLast: 9n, tsEventNs: 5n }, levels.filter((l) => l.qty > 0));
    const tr = encodeTrades({ kind: FrameKind.Trades, ...header }, trades);
    expect(tr.byteLength).toBe(HEADER_BYTES + 3 * TRADE_RECORD_BYTES);
    const both = new Uint8Array(snap.byteLength + tr.byteLength);
    both.set(snap, 0);
    both.set(tr, snap.byteLength);
    const frames = decodeFrames(both);
    expect(frames).toHaveLength(2);
    expect(frames[0]).toMatchObject({ kind: FrameKind.Snapshot, seqFirst: 9n, seqLast: 9n, levels: levels.filter((l) => l.qty > 0) });
    expect(frames[1]).toEqual({ kind: FrameKind.Trades, ...header, trades });
    expect(readHeader(tr)).toEqual({ kind: FrameKind.Trades, ...header, count: 3 });
  });

  it('decodes a frame that does not start at offset 0 of its ArrayBuffer', () => {
    const frame = encodeTrades({ kind: FrameKind.Trades, ...header }, trades);
    const padded = new Uint8Array(frame.byteLength + 8);
    padded.set(frame, 8);
    expect(decodeFrames(padded.subarray(8))).toEqual([{ kind: FrameKind.Trades, ...header, trades }]);
  });

  it('rejects bad magic, truncation and bad side bytes with the offset', () => {
    const frame = encodeLevels({ kind: FrameKind.Delta, ...header }, levels);
    const badMagic = frame.slice();
    badMagic[0] = 0xfe;
    expect(() => decodeFrames(badMagic)).toThrow(WireError);
    expect(() => decodeFrames(frame.subarray(0, frame.byteLength - 1))).toThrow(/declares 3 records \(112 bytes\) but 111 remain/);
    const badSide = frame.slice();
    badSide[HEADER_BYTES + 16] = 7;
    expect(() => decodeFrames(badSide)).toThrow(/side byte at 56 is 7/);
    const badKind = frame.slice();
    badKind[2] = 9;
    expect(readHeader(badKind)).toBeNull();
  });

  it('encodes an empty batch as a bare header', () => {
    const frame = encodeLevels({ kind: FrameKind.Delta, ...header }, []);
    expect(frame.byteLength).toBe(HEADER_BYTES);
    expect(decodeFrames(frame)).toEqual([{ kind: FrameKind.Delta, ...header, levels: [] }]);
  });
});
