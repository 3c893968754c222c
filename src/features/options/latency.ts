/**
 * Slider-to-paint latency of the pricer: from the input event's timestamp to the animation frame that first
 * shows the new price (the `requestAnimationFrame` callback after the DOM was written; the browser paints at
 * the end of that frame). Samples are kept for `window.__ferrodeskPricer`, read by the benchmark.
 */
const MAX_SAMPLES = 5000;
const samples: number[] = [];
/** Per sample: [sent to the worker, reply handled, frame] in ms after the input event. */
const stages: Array<[number, number, number]> = [];

export function recordLatency(inputTime: number, sentAt: number): void {
  const replied = performance.now();
  requestAnimationFrame(() => {
    const frame = performance.now();
    samples.push(frame - inputTime);
    stages.push([sentAt - inputTime, replied - inputTime, frame - inputTime]);
    if (samples.length > MAX_SAMPLES) {
      samples.shift();
      stages.shift();
    }
  });
}

export interface PricerTestApi {
  /** Latency samples in ms, oldest first. */
  latencies(): number[];
  /** Per sample, ms after the input event: sent to the worker, reply written to the DOM, frame. */
  stages(): Array<[number, number, number]>;
  clearLatencies(): void;
  /** Quotes painted so far. */
  painted(): number;
}

let paintedCount = 0;
export function notePainted(): void {
  paintedCount++;
}

declare global {
  interface Window {
    __ferrodeskPricer?: PricerTestApi;
  }
}

export function installPricerTestApi(win: Window): void {
  win.__ferrodeskPricer = {
    latencies: () => [...samples],
    stages: () => stages.map((s) => [...s]),
    clearLatencies: () => {
      samples.length = 0;
      stages.length = 0;
    },
    painted: () => paintedCount,
  };
}
