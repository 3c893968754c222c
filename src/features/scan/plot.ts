/** Small drawing helpers shared by the scan's heatmap and line plots: canvas sizing, ticks, numbers, colours. */

/** Sizes a canvas's backing store to its CSS box × devicePixelRatio; returns a context in CSS pixels. */
export function fitCanvas(canvas: HTMLCanvasElement, width: number, height: number): CanvasRenderingContext2D | null {
  const dpr = window.devicePixelRatio || 1;
  const w = Math.max(1, Math.round(width * dpr));
  const h = Math.max(1, Math.round(height * dpr));
  if (canvas.width !== w) canvas.width = w;
  if (canvas.height !== h) canvas.height = h;
  const ctx = canvas.getContext('2d');
  ctx?.setTransform(dpr, 0, 0, dpr, 0, 0);
  return ctx;
}

export function cssVar(el: Element, name: string, fallback: string): string {
  return getComputedStyle(el).getPropertyValue(name).trim() || fallback;
}

/** A number in at most `digits` significant digits, without trailing zeros; exponent form when very large/small. */
export function fmtNum(v: number, digits = 5): string {
  if (!Number.isFinite(v)) return Number.isNaN(v) ? '—' : v > 0 ? '∞' : '−∞';
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e7 || a < 1e-4) return v.toExponential(Math.max(0, digits - 2)).replace(/\.?0+e/, 'e');
  const s = v.toPrecision(digits);
  return s.includes('.') ? s.replace(/\.?0+$/, '') : s;
}

/**
 * Up to about `count` round tick values covering [lo, hi] (Heckbert, "Nice numbers for graph labels",
 * Graphics Gems, 1990).
 */
export function niceTicks(lo: number, hi: number, count = 5): number[] {
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return [];
  if (lo === hi) return [lo];
  const nice = (x: number, round: boolean): number => {
    const e = Math.floor(Math.log10(x));
    const f = x / 10 ** e;
    const n = round ? (f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10) : f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10;
    return n * 10 ** e;
  };
  const step = nice(nice(hi - lo, false) / Math.max(1, count - 1), true);
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(Math.abs(v) < step * 1e-9 ? 0 : v);
  return out;
}

type Rgb = [number, number, number];

/** Viridis (van der Walt & Smith, matplotlib 2015), 9 stops. */
const SEQUENTIAL: Rgb[] = [
  [68, 1, 84], [71, 44, 122], [59, 81, 139], [44, 113, 142], [33, 144, 141],
  [39, 173, 129], [92, 200, 99], [170, 220, 50], [253, 231, 37],
];
/** A red–blue diverging scale (after ColorBrewer RdBu), negative blue, zero light, positive red. */
const DIVERGING: Rgb[] = [
  [33, 102, 172], [67, 147, 195], [146, 197, 222], [209, 229, 240], [236, 236, 236],
  [253, 219, 199], [244, 165, 130], [214, 96, 77], [178, 24, 43],
];

function lut(stops: Rgb[]): Uint8ClampedArray {
  const out = new Uint8ClampedArray(256 * 4);
  for (let i = 0; i < 256; i++) {
    const p = (i / 255) * (stops.length - 1);
    const j = Math.min(stops.length - 2, Math.floor(p));
    const f = p - j;
    const a = stops[j] as Rgb;
    const b = stops[j + 1] as Rgb;
    for (let c = 0; c < 3; c++) out[i * 4 + c] = Math.round((a[c] ?? 0) + ((b[c] ?? 0) - (a[c] ?? 0)) * f);
    out[i * 4 + 3] = 255;
  }
  return out;
}

export const LUTS = { sequential: lut(SEQUENTIAL), diverging: lut(DIVERGING) };

export interface ColorScale {
  kind: 'sequential' | 'diverging';
  lo: number;
  hi: number;
}

/** Diverging and symmetric about zero when the values change sign, else sequential over [min, max]. */
export function colorScale(min: number, max: number): ColorScale {
  if (min < 0 && max > 0) {
    const m = Math.max(-min, max);
    return { kind: 'diverging', lo: -m, hi: m };
  }
  return { kind: 'sequential', lo: min, hi: max };
}

/** The LUT index (0…255) of `v` on `scale`, or −1 for NaN. */
export function colorIndex(scale: ColorScale, v: number): number {
  if (Number.isNaN(v)) return -1;
  const span = scale.hi - scale.lo;
  if (!(span > 0)) return 128;
  return Math.max(0, Math.min(255, Math.round(((v - scale.lo) / span) * 255)));
}
