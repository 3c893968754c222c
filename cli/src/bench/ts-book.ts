// The plain TypeScript baseline the benchmarks compare the wasm engine against: the same binary frames
// (docs/protocol.md) decoded with a DataView and applied to a straightforward book — a Map of price → quantity
// per side with the best price cached and recomputed by a scan when the best level goes away.
import { FRAME_MAGIC, FrameKind, HEADER_BYTES, LEVEL_RECORD_BYTES, TRADE_RECORD_BYTES } from '../../../src/protocol/wire.js';

class SideBook {
  readonly levels = new Map<number, number>();
  best = NaN;

  constructor(private readonly isBid: boolean) {}

  set(price: number, qty: number): void {
    if (qty === 0) {
      if (this.levels.delete(price) && price === this.best) this.rescan();
      return;
    }
    this.levels.set(price, qty);
    if (Number.isNaN(this.best) || (this.isBid ? price > this.best : price < this.best)) this.best = price;
  }

  clear(): void {
    this.levels.clear();
    this.best = NaN;
  }

  private rescan(): void {
    let best = NaN;
    for (const p of this.levels.keys()) {
      if (Number.isNaN(best) || (this.isBid ? p > best : p < best)) best = p;
    }
    this.best = best;
  }
}

export class TsBook {
  readonly bids = new SideBook(true);
  readonly asks = new SideBook(false);
  seq = 0n;
  deltas = 0;
  gaps = 0;

  /** Applies concatenated frames; returns the number of delta records applied (snapshot levels not counted). */
  applyFrames(buf: Uint8Array): number {
    const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    let off = 0;
    let applied = 0;
    while (off + HEADER_BYTES <= buf.byteLength) {
      if (view.getUint8(off) !== FRAME_MAGIC) throw new Error(`bad magic at byte ${off}`);
      const kind = view.getUint8(off + 2);
      const count = view.getUint32(off + 8, true);
      const seqFirst = view.getBigUint64(off + 16, true);
      const seqLast = view.getBigUint64(off + 24, true);
      const recBytes = kind === FrameKind.Trades ? TRADE_RECORD_BYTES : LEVEL_RECORD_BYTES;
      const body = off + HEADER_BYTES;
      const end = body + count * recBytes;
      if (end > buf.byteLength) throw new Error(`frame at byte ${off} truncated`);
      if (kind === FrameKind.Snapshot) {
        this.bids.clear();
        this.asks.clear();
        this.seq = seqLast;
      } else if (kind === FrameKind.Delta) {
        if (seqFirst !== this.seq + 1n) {
          this.gaps++;
          off = end;
          continue;
        }
        this.seq = seqLast;
      }
      if (kind !== FrameKind.Trades) {
        for (let r = body; r < end; r += LEVEL_RECORD_BYTES) {
          // i64 read as two u32 halves: exact below 2^53 and free of BigInt allocations.
          const price = view.getUint32(r, true) + view.getInt32(r + 4, true) * 4294967296;
          const qty = view.getUint32(r + 8, true) + view.getInt32(r + 12, true) * 4294967296;
          (view.getUint8(r + 16) === 0 ? this.bids : this.asks).set(price, qty);
        }
        if (kind === FrameKind.Delta) applied += count;
      }
      off = end;
    }
    this.deltas += applied;
    return applied;
  }
}
