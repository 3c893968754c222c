/** Events per second over a sliding one-second window, in ten 100 ms buckets. */
export class RateCounter {
  private readonly buckets = new Float64Array(10);
  private bucketStart = 0;
  private head = 0;

  constructor(private readonly now: () => number) {
    this.bucketStart = Math.floor(now() / 100) * 100;
  }

  add(amount = 1): void {
    this.advance();
    this.buckets[this.head] = (this.buckets[this.head] ?? 0) + amount;
  }

  /** Sum over the last second. */
  perSecond(): number {
    this.advance();
    let sum = 0;
    for (const b of this.buckets) sum += b;
    return sum;
  }

  private advance(): void {
    const t = this.now();
    let steps = Math.floor((t - this.bucketStart) / 100);
    if (steps <= 0) return;
    if (steps >= this.buckets.length) {
      this.buckets.fill(0);
      this.bucketStart += steps * 100;
      return;
    }
    while (steps-- > 0) {
      this.head = (this.head + 1) % this.buckets.length;
      this.buckets[this.head] = 0;
      this.bucketStart += 100;
    }
  }
}
