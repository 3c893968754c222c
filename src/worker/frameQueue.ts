/**
 * Binary frames waiting for the next batch. Frames are copied into one growing buffer as they arrive, so a
 * batch is a single contiguous view handed to wasm in one `applyFrames` call. Receipt times are kept as a
 * count and a sum (for the mean receive→post latency) and the oldest (for the max).
 */
export interface BatchTiming {
  frames: number;
  sumRecvMs: number;
  oldestRecvMs: number;
}

export class FrameQueue {
  private buf = new Uint8Array(64 * 1024);
  private len = 0;
  private frames = 0;
  private sumRecv = 0;
  private oldest = Number.POSITIVE_INFINITY;

  get bytes(): number {
    return this.len;
  }

  get count(): number {
    return this.frames;
  }

  push(frame: Uint8Array, recvMs: number): void {
    this.ensure(this.len + frame.byteLength);
    this.buf.set(frame, this.len);
    this.len += frame.byteLength;
    this.frames += 1;
    this.sumRecv += recvMs;
    if (recvMs < this.oldest) this.oldest = recvMs;
  }

  /**
   * Hands the queued bytes to `apply` (a view valid only during the call) and empties the queue.
   * Returns the timing of the frames taken, or null when the queue was empty.
   */
  take(apply: (bytes: Uint8Array) => void): BatchTiming | null {
    if (this.frames === 0) return null;
    const timing = { frames: this.frames, sumRecvMs: this.sumRecv, oldestRecvMs: this.oldest };
    const view = this.buf.subarray(0, this.len);
    this.clear();
    apply(view);
    return timing;
  }

  clear(): void {
    this.len = 0;
    this.frames = 0;
    this.sumRecv = 0;
    this.oldest = Number.POSITIVE_INFINITY;
  }

  private ensure(size: number): void {
    if (size <= this.buf.byteLength) return;
    let cap = this.buf.byteLength * 2;
    while (cap < size) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }
}
