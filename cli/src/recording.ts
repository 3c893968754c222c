// A recorded feed stream (docs/protocol.md, "Recording (Redis Streams)") → dataset rows (docs/datasets.md), one
// stream entry at a time: the converter holds only its chaining state, never the stream.
import { Aggressor, decodeFrames, FrameKind, WireError, type DecodedFrame } from '../../src/protocol/wire.js';
import { FLAG_LAST, type EventColumns } from '../../src/dataset/index.js';

export const KIND_SNAPSHOT = 0;
export const KIND_DELTA = 1;
export const KIND_TRADE = 2;
export const KIND_CLEAR = 3;

const MAX_VALUE = BigInt(Number.MAX_SAFE_INTEGER);

/** A recorded entry that cannot be converted; the message names the entry id, the field and the value. */
export class RecordingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RecordingError';
  }
}

/**
 * The integer factor from a tick (or lot) count to units of 10^-decimals: `tickSize × 10^decimals`, computed
 * exactly from the decimal string ("0.1" with 1 decimal → 1; "0.5" with 1 decimal → 5).
 */
export function gridScale(field: string, size: string, decimals: number): bigint {
  const m = /^(\d+)(?:\.(\d+))?$/.exec(size);
  if (!m || !Number.isInteger(decimals) || decimals < 0 || decimals > 18) {
    throw new RecordingError(`${field} is '${size}' with ${decimals} decimals, expected a positive decimal and 0..18 decimals`);
  }
  const frac = m[2] ?? '';
  if (frac.replace(/0+$/, '').length > decimals) {
    throw new RecordingError(`${field} is '${size}', finer than its ${decimals} decimals`);
  }
  const scale = BigInt(`${m[1] ?? '0'}${frac.padEnd(decimals, '0').slice(0, decimals)}`);
  if (scale <= 0n) throw new RecordingError(`${field} is '${size}', expected a positive increment`);
  return scale;
}

/** Counters of what the conversion kept and skipped (the command's JSON summary prints them). */
export interface ConvertStats {
  entries: number;
  snapshots: number;
  deltas: number;
  trades: number;
  gaps: number;
  /** Delta frames not newer than the latest snapshot (written before a resync), skipped. */
  staleDeltas: number;
  /** Delta frames whose seqFirst did not chain: the book is cleared until the next snapshot. */
  brokenChains: number;
  /** Delta frames seen while waiting for a snapshot (before the first one, or after a gap), skipped. */
  waitingDeltas: number;
  /** Trades whose aggressor was not recorded (the dataset needs one), skipped. */
  unknownAggressor: number;
}

/** Growable columns for one page of rows. */
class RowBuffer {
  private tsRecv: bigint[] = [];
  private tsEvent: bigint[] = [];
  private kind: number[] = [];
  private side: number[] = [];
  private price: bigint[] = [];
  private qty: bigint[] = [];
  private flags: number[] = [];

  get length(): number {
    return this.kind.length;
  }

  push(tsRecv: bigint, tsEvent: bigint, kind: number, side: number, price: bigint, qty: bigint, flags: number): void {
    this.tsRecv.push(tsRecv);
    this.tsEvent.push(tsEvent);
    this.kind.push(kind);
    this.side.push(side);
    this.price.push(price);
    this.qty.push(qty);
    this.flags.push(flags);
  }

  /** The rows as typed columns; empties the buffer. */
  take(): EventColumns {
    const c: EventColumns = {
      tsRecv: BigInt64Array.from(this.tsRecv), tsEvent: BigInt64Array.from(this.tsEvent),
      kind: Uint8Array.from(this.kind), side: Uint8Array.from(this.side),
      price: BigInt64Array.from(this.price), qty: BigInt64Array.from(this.qty), flags: Uint8Array.from(this.flags),
    };
    this.tsRecv = []; this.tsEvent = []; this.kind = []; this.side = [];
    this.price = []; this.qty = []; this.flags = [];
    return c;
  }
}

/**
 * Applies the stream's reading rules entry by entry: start at a snapshot; apply delta frames whose seqFirst is the
 * previous seqLast + 1; skip deltas not newer than the latest snapshot; a `gap` entry (or a delta that does not
 * chain) becomes a clear row, and deltas wait for the next snapshot. Trades are kept throughout (they do not
 * depend on the book). Receive times are the frame timestamps, made non-decreasing.
 */
export class RecordingConverter {
  readonly stats: ConvertStats = {
    entries: 0, snapshots: 0, deltas: 0, trades: 0, gaps: 0, staleDeltas: 0, brokenChains: 0, waitingDeltas: 0, unknownAggressor: 0,
  };
  private readonly rows = new RowBuffer();
  /** seqLast of the latest applied snapshot or delta; null while waiting for a snapshot. */
  private seq: bigint | null = null;
  private lastTs = 0n;

  constructor(private readonly priceScale: bigint, private readonly qtyScale: bigint) {}

  get pending(): number {
    return this.rows.length;
  }

  /** The rows converted since the last call. */
  take(): EventColumns {
    return this.rows.take();
  }

  /** Converts one stream entry (`id` as Redis gives it, fields as name → bytes). */
  entry(id: string, fields: ReadonlyMap<string, Uint8Array>): void {
    this.stats.entries += 1;
    const k = fields.get('k');
    const kind = k ? Buffer.from(k).toString('utf8') : '';
    if (kind === 'gap') {
      this.stats.gaps += 1;
      this.clear(this.lastTs);
      return;
    }
    if (kind !== 's' && kind !== 'd' && kind !== 't') {
      throw new RecordingError(`entry ${id}: field k is '${kind}', expected s, d, t or gap`);
    }
    const bytes = fields.get('f');
    if (!bytes) throw new RecordingError(`entry ${id}: field f (the frame) is missing`);
    let frames: DecodedFrame[];
    try {
      frames = decodeFrames(bytes);
    } catch (e) {
      throw new RecordingError(`entry ${id}: field f: ${e instanceof WireError ? e.message : String(e)}`);
    }
    const frame = frames[0];
    const expected = kind === 's' ? FrameKind.Snapshot : kind === 'd' ? FrameKind.Delta : FrameKind.Trades;
    if (frames.length !== 1 || !frame || frame.kind !== expected) {
      throw new RecordingError(`entry ${id}: field f holds ${frames.length} frame(s) of kind ${frame?.kind ?? '-'}, expected one frame of kind ${expected}`);
    }
    const ts = frame.tsEventNs > this.lastTs ? frame.tsEventNs : this.lastTs;
    this.lastTs = ts;
    if (frame.kind === FrameKind.Trades) {
      for (const t of frame.trades) {
        if (t.aggressor === Aggressor.Unknown) {
          this.stats.unknownAggressor += 1;
          continue;
        }
        const side = t.aggressor === Aggressor.Buyer ? 0 : 1;
        this.rows.push(ts, t.tsEventNs, KIND_TRADE, side, this.scaled(id, 'price', t.price, this.priceScale, 1),
          this.scaled(id, 'qty', t.qty, this.qtyScale, 1), FLAG_LAST);
        this.stats.trades += 1;
      }
      return;
    }
    if (frame.kind === FrameKind.Snapshot) {
      const levels = frame.levels.filter((l) => l.qty > 0);
      if (levels.length === 0) {
        // An empty book has no snapshot group: the book is unknown until the next one.
        this.clear(ts);
        return;
      }
      levels.forEach((l, i) => {
        this.rows.push(ts, frame.tsEventNs, KIND_SNAPSHOT, l.side, this.scaled(id, 'price', l.price, this.priceScale, 1),
          this.scaled(id, 'qty', l.qty, this.qtyScale, 1), i === levels.length - 1 ? FLAG_LAST : 0);
      });
      this.seq = frame.seqLast;
      this.stats.snapshots += 1;
      return;
    }
    if (this.seq === null) {
      this.stats.waitingDeltas += 1;
      return;
    }
    if (frame.seqLast <= this.seq) {
      this.stats.staleDeltas += 1;
      return;
    }
    if (frame.seqFirst !== this.seq + 1n) {
      this.stats.brokenChains += 1;
      this.clear(ts);
      return;
    }
    this.seq = frame.seqLast;
    this.stats.deltas += 1;
    frame.levels.forEach((l, i) => {
      this.rows.push(ts, frame.tsEventNs, KIND_DELTA, l.side, this.scaled(id, 'price', l.price, this.priceScale, 1),
        this.scaled(id, 'qty', l.qty, this.qtyScale, 0), i === frame.levels.length - 1 ? FLAG_LAST : 0);
    });
  }

  /** A clear row when a book is known; from here deltas wait for a snapshot. */
  private clear(ts: bigint): void {
    if (this.seq === null) return;
    this.seq = null;
    this.rows.push(ts, ts, KIND_CLEAR, 0, 0n, 0n, FLAG_LAST);
  }

  private scaled(id: string, field: string, v: number, scale: bigint, min: number): bigint {
    const out = BigInt(v) * scale;
    if (v < min || out > MAX_VALUE) {
      throw new RecordingError(`entry ${id}: ${field} ${v} (× ${scale} on the dataset grid) is outside ${min}..2^53-1`);
    }
    return out;
  }
}
