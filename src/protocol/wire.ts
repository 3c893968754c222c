/**
 * Binary market-data frames, protocol version 1 (docs/protocol.md, "Binary frames").
 * The server encodes with these constants; the wasm engine decodes (core-wasm/engine/src/wire.rs).
 */

export const FRAME_MAGIC = 0xfd;
export const FRAME_VERSION = 1;
export const HEADER_BYTES = 40;
export const LEVEL_RECORD_BYTES = 24;
export const TRADE_RECORD_BYTES = 32;

export const FrameKind = {
  Snapshot: 1,
  Delta: 2,
  Trades: 3,
} as const;
export type FrameKind = (typeof FrameKind)[keyof typeof FrameKind];

export const Side = { Bid: 0, Ask: 1 } as const;
export type Side = (typeof Side)[keyof typeof Side];

export const Aggressor = { Unknown: 0, Buyer: 1, Seller: 2 } as const;
export type Aggressor = (typeof Aggressor)[keyof typeof Aggressor];

export interface LevelUpdate {
  side: Side;
  /** Price in ticks. */
  price: number;
  /** Quantity in lots; 0 deletes the level (deltas only). */
  qty: number;
}

export interface TradeRecord {
  tsEventNs: bigint;
  price: number;
  qty: number;
  aggressor: Aggressor;
}

export interface FrameHeader {
  kind: FrameKind;
  instrumentId: number;
  seqFirst: bigint;
  seqLast: bigint;
  tsEventNs: bigint;
}

function writeHeader(view: DataView, h: FrameHeader, count: number): void {
  view.setUint8(0, FRAME_MAGIC);
  view.setUint8(1, FRAME_VERSION);
  view.setUint8(2, h.kind);
  view.setUint8(3, 0);
  view.setUint32(4, h.instrumentId, true);
  view.setUint32(8, count, true);
  view.setUint32(12, 0, true);
  view.setBigUint64(16, h.seqFirst, true);
  view.setBigUint64(24, h.seqLast, true);
  view.setBigInt64(32, h.tsEventNs, true);
}

/** Encodes a snapshot or delta frame. */
export function encodeLevels(h: FrameHeader, levels: readonly LevelUpdate[]): Uint8Array {
  const buf = new Uint8Array(HEADER_BYTES + levels.length * LEVEL_RECORD_BYTES);
  const view = new DataView(buf.buffer);
  writeHeader(view, h, levels.length);
  let off = HEADER_BYTES;
  for (const l of levels) {
    view.setBigInt64(off, BigInt(l.price), true);
    view.setBigInt64(off + 8, BigInt(l.qty), true);
    view.setUint8(off + 16, l.side);
    off += LEVEL_RECORD_BYTES;
  }
  return buf;
}

/** Encodes a trade frame. */
export function encodeTrades(h: FrameHeader, trades: readonly TradeRecord[]): Uint8Array {
  const buf = new Uint8Array(HEADER_BYTES + trades.length * TRADE_RECORD_BYTES);
  const view = new DataView(buf.buffer);
  writeHeader(view, h, trades.length);
  let off = HEADER_BYTES;
  for (const t of trades) {
    view.setBigInt64(off, t.tsEventNs, true);
    view.setBigInt64(off + 8, BigInt(t.price), true);
    view.setBigInt64(off + 16, BigInt(t.qty), true);
    view.setUint8(off + 24, t.aggressor);
    off += TRADE_RECORD_BYTES;
  }
  return buf;
}

/** Reads a frame header (for logging and routing on the server side; the worker leaves decoding to wasm). */
export function readHeader(buf: Uint8Array): (FrameHeader & { count: number }) | null {
  if (buf.byteLength < HEADER_BYTES) return null;
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  if (view.getUint8(0) !== FRAME_MAGIC || view.getUint8(1) !== FRAME_VERSION) return null;
  const kind = view.getUint8(2);
  if (kind !== 1 && kind !== 2 && kind !== 3) return null;
  return {
    kind,
    instrumentId: view.getUint32(4, true),
    count: view.getUint32(8, true),
    seqFirst: view.getBigUint64(16, true),
    seqLast: view.getBigUint64(24, true),
    tsEventNs: view.getBigInt64(32, true),
  };
}

export type DecodedFrame =
  | (FrameHeader & { kind: typeof FrameKind.Snapshot | typeof FrameKind.Delta; levels: LevelUpdate[] })
  | (FrameHeader & { kind: typeof FrameKind.Trades; trades: TradeRecord[] });

/** A malformed binary frame; the message names the byte offset and the offending value. */
export class WireError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WireError';
  }
}

function safeInt(view: DataView, at: number, what: string): number {
  const v = view.getBigInt64(at, true);
  if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < BigInt(Number.MIN_SAFE_INTEGER)) {
    throw new WireError(`${what} at byte ${at} is ${v}, outside the safe integer range`);
  }
  return Number(v);
}

/**
 * Decodes every frame in `buf` (one frame, or several concatenated). A reference decoder for tests and tools;
 * the worker hands frames to the wasm engine instead.
 * @throws WireError on a bad magic, version or kind, a truncated frame, or a bad side/aggressor byte.
 */
export function decodeFrames(buf: Uint8Array): DecodedFrame[] {
  const frames: DecodedFrame[] = [];
  let start = 0;
  while (start < buf.byteLength) {
    const rest = buf.subarray(start);
    const h = readHeader(rest);
    if (!h) throw new WireError(`no valid frame header at byte ${start} (magic, version or kind)`);
    const size = h.kind === FrameKind.Trades ? TRADE_RECORD_BYTES : LEVEL_RECORD_BYTES;
    const end = HEADER_BYTES + h.count * size;
    if (rest.byteLength < end) {
      throw new WireError(`frame at byte ${start} declares ${h.count} records (${end} bytes) but ${rest.byteLength} remain`);
    }
    const view = new DataView(rest.buffer, rest.byteOffset, end);
    const header: FrameHeader = {
      kind: h.kind,
      instrumentId: h.instrumentId,
      seqFirst: h.seqFirst,
      seqLast: h.seqLast,
      tsEventNs: h.tsEventNs,
    };
    if (h.kind === FrameKind.Trades) {
      const trades: TradeRecord[] = [];
      for (let off = HEADER_BYTES; off < end; off += TRADE_RECORD_BYTES) {
        const aggressor = view.getUint8(off + 24);
        if (aggressor > 2) throw new WireError(`aggressor byte at ${start + off + 24} is ${aggressor}, expected 0, 1 or 2`);
        trades.push({
          tsEventNs: view.getBigInt64(off, true),
          price: safeInt(view, off + 8, 'price'),
          qty: safeInt(view, off + 16, 'quantity'),
          aggressor: aggressor as Aggressor,
        });
      }
      frames.push({ ...header, kind: FrameKind.Trades, trades });
    } else {
      const levels: LevelUpdate[] = [];
      for (let off = HEADER_BYTES; off < end; off += LEVEL_RECORD_BYTES) {
        const side = view.getUint8(off + 16);
        if (side > 1) throw new WireError(`side byte at ${start + off + 16} is ${side}, expected 0 or 1`);
        levels.push({ price: safeInt(view, off, 'price'), qty: safeInt(view, off + 8, 'quantity'), side: side as Side });
      }
      frames.push({ ...header, kind: h.kind, levels });
    }
    start += end;
  }
  return frames;
}
