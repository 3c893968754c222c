/**
 * The replay timeline, drawn on a canvas: event density as bars, the strategy's fills as ticks (buys above,
 * sells below), the played part shaded and the cursor as a line. Pure geometry here, painting in `paintTimeline`,
 * so the mapping between pixels and time is unit-tested.
 */
import { FILL_FIELDS } from '../../protocol/replay';

export interface TimelineColors {
  background: string;
  density: string;
  played: string;
  cursor: string;
  buy: string;
  sell: string;
  text: string;
}

export interface TimelineData {
  startMs: number;
  endMs: number;
  density: readonly number[];
  /** Fills of the current run, `FILL_FIELDS` per fill (`[tsMs, id, side, …]`). */
  fills: Float64Array;
}

/** Time at horizontal position `x` (CSS px) of a timeline `width` wide, clamped to the data. */
export function timeAtX(x: number, width: number, startMs: number, endMs: number): number {
  if (!(width > 0) || !(endMs > startMs)) return startMs;
  const f = Math.min(1, Math.max(0, x / width));
  return startMs + f * (endMs - startMs);
}

export function xAtTime(t: number, width: number, startMs: number, endMs: number): number {
  if (!(endMs > startMs)) return 0;
  return Math.min(width, Math.max(0, ((t - startMs) / (endMs - startMs)) * width));
}

/** Counts fills per pixel column and side: `[buys…, sells…]`, each `width` long. */
export function fillColumns(fills: Float64Array, width: number, startMs: number, endMs: number): Uint32Array {
  const w = Math.max(1, Math.floor(width));
  const out = new Uint32Array(2 * w);
  for (let i = 0; i + FILL_FIELDS <= fills.length; i += FILL_FIELDS) {
    const x = Math.min(w - 1, Math.floor(xAtTime(fills[i] ?? 0, w, startMs, endMs)));
    const sell = (fills[i + 2] ?? 0) === 1;
    const k = (sell ? w : 0) + x;
    out[k] = (out[k] ?? 0) + 1;
  }
  return out;
}

export function paintTimeline(ctx: CanvasRenderingContext2D, width: number, height: number, dpr: number,
  data: TimelineData | null, cursorMs: number, colors: TimelineColors): void {
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.fillStyle = colors.background;
  ctx.fillRect(0, 0, width, height);
  if (!data) return;
  const { startMs, endMs, density } = data;
  const barTop = 8;
  const barH = height - 16;
  const max = Math.max(1, ...density);
  const bw = width / Math.max(1, density.length);
  ctx.fillStyle = colors.density;
  for (let i = 0; i < density.length; i++) {
    const h = Math.max(density[i] ?? 0 ? 1 : 0, (Math.sqrt(density[i] ?? 0) / Math.sqrt(max)) * barH);
    ctx.fillRect(i * bw, barTop + barH - h, Math.max(1, bw - 0.5), h);
  }
  const cx = xAtTime(cursorMs, width, startMs, endMs);
  ctx.fillStyle = colors.played;
  ctx.fillRect(0, 0, cx, height);
  const cols = fillColumns(data.fills, width, startMs, endMs);
  const w = cols.length / 2;
  for (let x = 0; x < w; x++) {
    if ((cols[x] ?? 0) > 0) {
      ctx.fillStyle = colors.buy;
      ctx.fillRect(x, 0, 1, 6);
    }
    if ((cols[w + x] ?? 0) > 0) {
      ctx.fillStyle = colors.sell;
      ctx.fillRect(x, height - 6, 1, 6);
    }
  }
  ctx.fillStyle = colors.cursor;
  ctx.fillRect(Math.round(cx) - 1, 0, 2, height);
}

/** `HH:MM:SS.mmm` (UTC) of a time in ms since the epoch. */
export function clockText(ms: number): string {
  if (!Number.isFinite(ms)) return '—';
  const d = new Date(Math.floor(ms));
  const p = (n: number, w = 2): string => String(n).padStart(w, '0');
  return `${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}.${p(d.getUTCMilliseconds(), 3)}`;
}
