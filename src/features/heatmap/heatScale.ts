/**
 * Heatmap colours: resting size on a log scale between a low and a high cutoff, through a fixed colour ramp.
 * Below the low cutoff (or empty) a cell shows the background; above the high cutoff it saturates.
 */

/** Position of `size` between `lo` and `hi` on a log₁₀ scale, clamped to [0, 1]; −1 when below `lo` or empty. */
export function logScale(size: number, lo: number, hi: number): number {
  if (!(size > 0) || !(lo > 0) || size < lo) return -1;
  if (!(hi > lo)) return 1;
  const t = (Math.log10(size) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo));
  return Math.min(1, Math.max(0, t));
}

/** Ramp stops (t, r, g, b): deep blue → blue → amber → pale yellow. */
const STOPS: readonly (readonly [number, number, number, number])[] = [
  [0, 24, 38, 82],
  [0.35, 30, 110, 190],
  [0.7, 236, 168, 40],
  [1, 255, 246, 205],
];

/** Writes the ramp colour for `t` ∈ [0, 1] into `out[at..at+3]` (opaque RGBA). */
export function rampInto(t: number, out: Uint8ClampedArray, at: number): void {
  const x = Math.min(1, Math.max(0, t));
  let k = 1;
  while (k < STOPS.length - 1 && (STOPS[k]?.[0] ?? 1) < x) k++;
  const a = STOPS[k - 1] ?? STOPS[0];
  const b = STOPS[k] ?? STOPS[STOPS.length - 1];
  if (!a || !b) return;
  const f = b[0] > a[0] ? (x - a[0]) / (b[0] - a[0]) : 0;
  out[at] = a[1] + (b[1] - a[1]) * f;
  out[at + 1] = a[2] + (b[2] - a[2]) * f;
  out[at + 2] = a[3] + (b[3] - a[3]) * f;
  out[at + 3] = 255;
}

/**
 * Cutoffs fitted to a column: low at the 10th percentile of the non-empty sizes, high at the largest.
 * Null when the column holds no size.
 */
export function fitCutoffs(sizes: ArrayLike<number>): { lo: number; hi: number } | null {
  const v: number[] = [];
  for (let i = 0; i < sizes.length; i++) {
    const s = sizes[i] ?? 0;
    if (s > 0 && Number.isFinite(s)) v.push(s);
  }
  if (v.length === 0) return null;
  v.sort((a, b) => a - b);
  const lo = v[Math.floor((v.length - 1) * 0.1)] ?? v[0] ?? 1;
  const hi = v[v.length - 1] ?? lo;
  return { lo, hi: hi > lo ? hi : lo * 10 };
}

/** Bubble radius in px for a trade of `qty` against a reference size: area proportional to volume. */
export function bubbleRadius(qty: number, ref: number, minPx = 1.5, maxPx = 10): number {
  if (!(qty > 0) || !(ref > 0)) return minPx;
  return Math.min(maxPx, Math.max(minPx, maxPx * Math.sqrt(qty / ref)));
}
