/**
 * Per-connection inbound message rate limit, counted in one-second windows.
 *
 * Up to `perSecond` frames per window are processed. Beyond that frames are dropped; the first drop in a window
 * is reported to the client (`rate_limited`), later ones silently, so a flood cannot make the server amplify it.
 * A flood is "sustained" when `floodWindows` consecutive windows go over the limit, or when one window exceeds
 * `floodFactor` times the limit; the connection is then closed (4429).
 */

export type RateDecision = 'allow' | 'drop-and-notify' | 'drop' | 'flood';

export interface RateLimitOptions {
  perSecond: number;
  floodWindows: number;
  floodFactor: number;
}

const WINDOW_MS = 1000;

export class MessageRateLimiter {
  private windowStart = Number.NEGATIVE_INFINITY;
  private count = 0;
  private notified = false;
  /** Consecutive completed windows that went over the limit. */
  private overWindows = 0;

  constructor(private readonly opts: RateLimitOptions) {}

  check(nowMs: number): RateDecision {
    const elapsed = nowMs - this.windowStart;
    if (elapsed >= WINDOW_MS) {
      const wasOver = this.count > this.opts.perSecond;
      this.overWindows = wasOver && elapsed < 2 * WINDOW_MS ? this.overWindows + 1 : 0;
      this.windowStart = nowMs;
      this.count = 0;
      this.notified = false;
    }
    this.count += 1;
    if (this.count <= this.opts.perSecond) return 'allow';
    if (this.overWindows + 1 >= this.opts.floodWindows || this.count > this.opts.perSecond * this.opts.floodFactor) {
      return 'flood';
    }
    if (this.notified) return 'drop';
    this.notified = true;
    return 'drop-and-notify';
  }
}
