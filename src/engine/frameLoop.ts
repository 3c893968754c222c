/**
 * Paints on the main thread once per animation frame. Snapshots from the worker are held until the next frame
 * and then handed to every listener together: the ladder paints the newest, the tape and the chart consume the
 * trades and candles of all of them. Also measures the main thread's frame rate.
 */
import type { RenderFrame } from './renderFrame';

/** `latest` is the newest snapshot; `frames` every snapshot since the previous paint, oldest first. */
export type RenderListener = (latest: RenderFrame, frames: readonly RenderFrame[]) => void;

export interface FrameScheduler {
  request(cb: (time: number) => void): number;
  now(): number;
}

/** More snapshots than this between two paints (a hidden tab) and the oldest are dropped. */
export const MAX_PENDING = 240;

export class FrameLoop {
  private pending: RenderFrame[] = [];
  private readonly listeners = new Set<RenderListener>();
  private readonly fresh = new Set<RenderListener>();
  private latestFrame: RenderFrame | null = null;
  private frameCount = 0;
  private windowStart: number;
  private currentFps = 0;
  private running = false;

  constructor(
    private readonly scheduler: FrameScheduler,
    /** Called when snapshots had to be dropped, so the caller can ask for a full refresh. */
    private readonly onOverflow: () => void,
  ) {
    this.windowStart = scheduler.now();
  }

  get latest(): RenderFrame | null {
    return this.latestFrame;
  }

  /** Frames painted per second over the last complete second. */
  get fps(): number {
    return this.currentFps;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.scheduler.request(this.loop);
  }

  stop(): void {
    this.running = false;
  }

  push(frame: RenderFrame): void {
    this.latestFrame = frame;
    this.pending.push(frame);
    if (this.pending.length > MAX_PENDING) {
      this.pending.splice(0, this.pending.length - MAX_PENDING);
      this.onOverflow();
    }
  }

  /** Adds a listener; it gets the newest snapshot on the next frame even if nothing new arrives. */
  subscribe(listener: RenderListener): () => void {
    this.listeners.add(listener);
    this.fresh.add(listener);
    return () => {
      this.listeners.delete(listener);
      this.fresh.delete(listener);
    };
  }

  /** Runs one paint: exposed for tests; the loop calls it every animation frame. */
  paint(): void {
    const latest = this.latestFrame;
    const frames = this.pending;
    const newest = frames[frames.length - 1];
    if (newest) {
      this.pending = [];
      for (const l of this.listeners) {
        this.fresh.delete(l);
        l(newest, frames);
      }
    } else if (latest && this.fresh.size > 0) {
      const late = [...this.fresh];
      this.fresh.clear();
      for (const l of late) l(latest, [latest]);
    }
  }

  private readonly loop = (): void => {
    if (!this.running) return;
    this.scheduler.request(this.loop);
    this.frameCount += 1;
    const now = this.scheduler.now();
    if (now - this.windowStart >= 1000) {
      this.currentFps = (this.frameCount * 1000) / (now - this.windowStart);
      this.frameCount = 0;
      this.windowStart = now;
    }
    this.paint();
  };
}
