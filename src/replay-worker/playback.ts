/**
 * The replay's clock: maps wall time to data time at a speed, so a replay plays like a video. Pure logic (the
 * caller supplies `now`); the worker asks it, every tick, how far the data should have advanced.
 *
 * At a finite speed the target data time is `dataAtAnchor + (now − wallAtAnchor) × speed`, re-anchored on every
 * play, seek and speed change, so changing speed never jumps. A tick is at most `MAX_TICK_MS` of wall time (a
 * throttled background tab does not jump ahead). "As fast as possible" (`Infinity`) advances a number of events
 * per tick instead of a time.
 */

/** Wall-clock time one tick may cover at most. */
export const MAX_TICK_MS = 100;
/** Events per tick when playing as fast as possible. */
export const FAST_EVENTS_PER_TICK = 400_000;

export type Advance =
  | { kind: 'time'; targetMs: number }
  | { kind: 'events'; count: number }
  | { kind: 'none' };

export class Playback {
  private playingFlag = false;
  private speedValue = 1;
  private wallAnchor = 0;
  private dataAnchor = 0;

  constructor(private readonly now: () => number) {}

  get playing(): boolean {
    return this.playingFlag;
  }

  get speed(): number {
    return this.speedValue;
  }

  /** Starts playing from data time `fromMs` (the cursor). */
  play(fromMs: number): void {
    this.playingFlag = true;
    this.anchor(fromMs);
  }

  pause(): void {
    this.playingFlag = false;
  }

  /** Sets the speed (data ms per wall ms, or `Infinity`); `atMs` is the cursor's data time now. */
  setSpeed(speed: number, atMs: number): void {
    if (!(speed > 0)) throw new Error(`speed must be above 0, got ${speed}`);
    this.speedValue = speed;
    this.anchor(atMs);
  }

  /** The cursor moved (seek, step): continue from there. */
  moved(toMs: number): void {
    this.anchor(toMs);
  }

  /** How far the next tick should advance; call once per tick, then `reached(dataMs)` with where it got. */
  next(): Advance {
    if (!this.playingFlag) return { kind: 'none' };
    if (this.speedValue === Number.POSITIVE_INFINITY) return { kind: 'events', count: FAST_EVENTS_PER_TICK };
    const now = this.now();
    const wall = Math.min(now - this.wallAnchor, MAX_TICK_MS);
    const target = this.dataAnchor + wall * this.speedValue;
    return { kind: 'time', targetMs: target };
  }

  /** Records where the tick got to in data time (the new anchor). */
  reached(dataMs: number, targetMs?: number): void {
    // Anchoring at the target rather than at the last event keeps a sparse stretch of data playing at speed.
    this.anchor(targetMs !== undefined && targetMs > dataMs ? targetMs : dataMs);
  }

  private anchor(dataMs: number): void {
    this.wallAnchor = this.now();
    this.dataAnchor = dataMs;
  }
}

/**
 * Event density over `[startMs, endMs]` in `bins` bins from `samples` evenly spaced event indices: sample k is
 * event `round(k × (n − 1) / (samples − 1))` at time `tsAt(k)`; each sample stands for `n / samples` events.
 */
export function densityFromSamples(times: ArrayLike<number>, events: number, startMs: number, endMs: number,
  bins: number): number[] {
  const out = new Array<number>(bins).fill(0);
  const span = endMs - startMs;
  const weight = times.length > 0 ? events / times.length : 0;
  for (let k = 0; k < times.length; k++) {
    const t = times[k] ?? startMs;
    const b = span > 0 ? Math.min(bins - 1, Math.max(0, Math.floor(((t - startMs) / span) * bins))) : 0;
    out[b] = (out[b] ?? 0) + weight;
  }
  return out.map((v) => Math.round(v));
}
