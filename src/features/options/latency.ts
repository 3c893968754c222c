/**
 * Slider-to-paint latency of the pricer: from the input event's timestamp to the animation frame that first
 * shows the new price (the `requestAnimationFrame` callback after the DOM was written; the browser paints at
 * the end of that frame). Samples are kept for `window.__ferrodeskPricer`, read by the benchmark.
 */
const MAX_SAMPLES = 5000;
const samples: number[] = [];

export function recordLatency(inputTime: number): void {
  requestAnimationFrame(() => {
    samples.push(performance.now() - inputTime);
    if (samples.length > MAX_SAMPLES) samples.shift();
  });
}

export interface PricerTestApi {
  /** Latency samples in ms, oldest first. */
  latencies(): number[];
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
    clearLatencies: () => {
      samples.length = 0;
    },
    painted: () => paintedCount,
  };
}
