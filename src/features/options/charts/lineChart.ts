/**
 * A small canvas line chart with a numeric x axis (spot, vol, days): several series, a zero line, vertical
 * markers (optionally draggable, e.g. strikes), a hover read-out, and a shaded profit/loss fill for P&L.
 * Colours come from the theme's CSS variables at draw time; drawing is coalesced to one per animation frame.
 */

export interface Series {
  ys: ArrayLike<number>;
  /** A CSS colour or `var(--name)`. */
  color: string;
  width?: number;
  dashed?: boolean;
  /** Shade the area between the curve and zero: green above, red below. */
  fillPnl?: boolean;
}

export interface Marker {
  id: string;
  x: number;
  color: string;
  label?: string;
  draggable?: boolean;
}

export interface LineChartOptions {
  formatX?: (x: number) => string;
  formatY?: (y: number) => string;
  /** Called while a draggable marker moves, with its new x; `done` on release. */
  onDrag?: (id: string, x: number, done: boolean) => void;
}

const PAD = { l: 52, r: 8, t: 8, b: 18 };

function cssColor(el: HTMLElement, c: string): string {
  const m = /^var\((--[\w-]+)\)$/.exec(c);
  return m ? getComputedStyle(el).getPropertyValue(m[1] as string).trim() || '#888' : c;
}

export function niceTicks(lo: number, hi: number, count: number): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / Math.max(count, 1);
  const p = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 2.5, 5, 10].find((m) => m * p >= raw) ?? 10) * p;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(Math.abs(v) < step * 1e-9 ? 0 : v);
  return out;
}

export function shortNum(v: number): string {
  const a = Math.abs(v);
  if (a === 0) return '0';
  if (a >= 1e6) return `${(v / 1e6).toFixed(1)}M`;
  if (a >= 1e4) return `${(v / 1e3).toFixed(1)}k`;
  if (a >= 100) return v.toFixed(0);
  if (a >= 1) return v.toFixed(2).replace(/\.?0+$/, '');
  if (a >= 1e-3) return v.toPrecision(2);
  return v.toExponential(1);
}

export class LineChart {
  private readonly canvas: HTMLCanvasElement;
  private xs: ArrayLike<number> = [];
  private series: Series[] = [];
  private markers: Marker[] = [];
  private hoverX: number | null = null;
  private dragging: string | null = null;
  private frame = 0;
  private readonly resize: ResizeObserver;
  private yRange: [number, number] = [0, 1];

  constructor(private readonly host: HTMLElement, private readonly opts: LineChartOptions = {}) {
    this.canvas = document.createElement('canvas');
    host.appendChild(this.canvas);
    this.resize = new ResizeObserver(() => this.invalidate());
    this.resize.observe(host);
    this.canvas.addEventListener('pointermove', this.onMove);
    this.canvas.addEventListener('pointerdown', this.onDown);
    this.canvas.addEventListener('pointerup', this.onUp);
    this.canvas.addEventListener('pointerleave', () => {
      this.hoverX = null;
      this.invalidate();
    });
  }

  setData(xs: ArrayLike<number>, series: Series[]): void {
    this.xs = xs;
    this.series = series;
    this.invalidate();
  }

  setMarkers(markers: Marker[]): void {
    this.markers = markers;
    this.invalidate();
  }

  dispose(): void {
    cancelAnimationFrame(this.frame);
    this.resize.disconnect();
    this.canvas.remove();
  }

  invalidate(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.draw();
    });
  }

  private xRange(): [number, number] {
    const n = this.xs.length;
    return n ? [this.xs[0] as number, this.xs[n - 1] as number] : [0, 1];
  }

  private toPx(x: number, w: number): number {
    const [lo, hi] = this.xRange();
    return PAD.l + ((x - lo) / (hi - lo || 1)) * (w - PAD.l - PAD.r);
  }

  private fromPx(px: number, w: number): number {
    const [lo, hi] = this.xRange();
    return lo + ((px - PAD.l) / (w - PAD.l - PAD.r)) * (hi - lo);
  }

  private readonly onMove = (e: PointerEvent): void => {
    const x = this.fromPx(e.offsetX, this.canvas.clientWidth);
    if (this.dragging) {
      const [lo, hi] = this.xRange();
      this.opts.onDrag?.(this.dragging, Math.min(hi, Math.max(lo, x)), false);
    }
    this.hoverX = x;
    const near = this.nearMarker(e.offsetX);
    this.canvas.style.cursor = near ? 'ew-resize' : 'crosshair';
    this.invalidate();
  };

  private readonly onDown = (e: PointerEvent): void => {
    const near = this.nearMarker(e.offsetX);
    if (!near) return;
    this.dragging = near.id;
    this.canvas.setPointerCapture(e.pointerId);
  };

  private readonly onUp = (e: PointerEvent): void => {
    if (!this.dragging) return;
    const id = this.dragging;
    this.dragging = null;
    this.canvas.releasePointerCapture(e.pointerId);
    const [lo, hi] = this.xRange();
    this.opts.onDrag?.(id, Math.min(hi, Math.max(lo, this.fromPx(e.offsetX, this.canvas.clientWidth))), true);
  };

  private nearMarker(px: number): Marker | null {
    const w = this.canvas.clientWidth;
    for (const m of this.markers) if (m.draggable && Math.abs(this.toPx(m.x, w) - px) <= 5) return m;
    return null;
  }

  private draw(): void {
    const w = this.host.clientWidth;
    const h = this.host.clientHeight;
    if (w < 40 || h < 30) return;
    const dpr = window.devicePixelRatio || 1;
    if (this.canvas.width !== Math.round(w * dpr) || this.canvas.height !== Math.round(h * dpr)) {
      this.canvas.width = Math.round(w * dpr);
      this.canvas.height = Math.round(h * dpr);
      this.canvas.style.width = `${w}px`;
      this.canvas.style.height = `${h}px`;
    }
    const ctx = this.canvas.getContext('2d');
    if (!ctx) return;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, w, h);
    const el = this.host;
    let lo = Infinity;
    let hi = -Infinity;
    for (const s of this.series) {
      for (let i = 0; i < s.ys.length; i++) {
        const y = s.ys[i] as number;
        if (Number.isFinite(y)) {
          lo = Math.min(lo, y);
          hi = Math.max(hi, y);
        }
      }
    }
    if (!Number.isFinite(lo)) [lo, hi] = [0, 1];
    if (hi - lo < 1e-12 * Math.max(1, Math.abs(hi))) [lo, hi] = [lo - 1, hi + 1];
    const padY = (hi - lo) * 0.06;
    lo -= padY;
    hi += padY;
    this.yRange = [lo, hi];
    const ty = (y: number): number => PAD.t + (1 - (y - lo) / (hi - lo)) * (h - PAD.t - PAD.b);
    const fmtX = this.opts.formatX ?? shortNum;
    const fmtY = this.opts.formatY ?? shortNum;

    ctx.font = '10px ' + (getComputedStyle(el).getPropertyValue('--mono') || 'monospace');
    ctx.lineWidth = 1;
    ctx.strokeStyle = cssColor(el, 'var(--grid)');
    ctx.fillStyle = cssColor(el, 'var(--text-faint)');
    ctx.textAlign = 'right';
    ctx.textBaseline = 'middle';
    for (const v of niceTicks(lo, hi, Math.max(2, Math.floor(h / 40)))) {
      const y = Math.round(ty(v)) + 0.5;
      ctx.beginPath();
      ctx.moveTo(PAD.l, y);
      ctx.lineTo(w - PAD.r, y);
      ctx.stroke();
      ctx.fillText(fmtY(v), PAD.l - 4, y);
    }
    const [xl, xh] = this.xRange();
    ctx.textAlign = 'center';
    ctx.textBaseline = 'top';
    for (const v of niceTicks(xl, xh, Math.max(2, Math.floor(w / 80)))) {
      const x = Math.round(this.toPx(v, w)) + 0.5;
      ctx.beginPath();
      ctx.moveTo(x, PAD.t);
      ctx.lineTo(x, h - PAD.b);
      ctx.stroke();
      ctx.fillText(fmtX(v), x, h - PAD.b + 3);
    }
    if (lo < 0 && hi > 0) {
      ctx.strokeStyle = cssColor(el, 'var(--border-strong)');
      ctx.beginPath();
      ctx.moveTo(PAD.l, Math.round(ty(0)) + 0.5);
      ctx.lineTo(w - PAD.r, Math.round(ty(0)) + 0.5);
      ctx.stroke();
    }

    for (const s of this.series) {
      if (s.fillPnl) this.fill(ctx, s, w, ty, cssColor(el, 'var(--bid-bar)'), cssColor(el, 'var(--ask-bar)'));
      ctx.strokeStyle = cssColor(el, s.color);
      ctx.lineWidth = s.width ?? 1.5;
      ctx.setLineDash(s.dashed ? [4, 3] : []);
      ctx.beginPath();
      let pen = false;
      for (let i = 0; i < this.xs.length; i++) {
        const y = s.ys[i] as number;
        if (!Number.isFinite(y)) {
          pen = false;
          continue;
        }
        const px = this.toPx(this.xs[i] as number, w);
        if (pen) ctx.lineTo(px, ty(y));
        else ctx.moveTo(px, ty(y));
        pen = true;
      }
      ctx.stroke();
    }
    ctx.setLineDash([]);

    for (const m of this.markers) {
      const x = Math.round(this.toPx(m.x, w)) + 0.5;
      if (x < PAD.l || x > w - PAD.r) continue;
      ctx.strokeStyle = cssColor(el, m.color);
      ctx.lineWidth = m.draggable ? 2 : 1;
      ctx.setLineDash(m.draggable ? [] : [3, 3]);
      ctx.beginPath();
      ctx.moveTo(x, PAD.t);
      ctx.lineTo(x, h - PAD.b);
      ctx.stroke();
      ctx.setLineDash([]);
      if (m.label) {
        ctx.fillStyle = cssColor(el, m.color);
        ctx.textAlign = 'left';
        ctx.textBaseline = 'top';
        ctx.fillText(m.label, x + 3, PAD.t + 2);
      }
    }

    if (this.hoverX !== null && this.xs.length > 1) {
      const i = this.nearestIndex(this.hoverX);
      const x = this.toPx(this.xs[i] as number, w);
      ctx.strokeStyle = cssColor(el, 'var(--text-faint)');
      ctx.lineWidth = 1;
      ctx.beginPath();
      ctx.moveTo(x, PAD.t);
      ctx.lineTo(x, h - PAD.b);
      ctx.stroke();
      const parts = [fmtX(this.xs[i] as number), ...this.series.map((s) => fmtY(s.ys[i] as number))];
      ctx.fillStyle = cssColor(el, 'var(--text)');
      ctx.textAlign = x > w / 2 ? 'right' : 'left';
      ctx.textBaseline = 'bottom';
      ctx.fillText(parts.join('  '), x + (x > w / 2 ? -4 : 4), h - PAD.b - 2);
    }
  }

  private nearestIndex(x: number): number {
    let best = 0;
    for (let i = 1; i < this.xs.length; i++) if (Math.abs((this.xs[i] as number) - x) < Math.abs((this.xs[best] as number) - x)) best = i;
    return best;
  }

  private fill(ctx: CanvasRenderingContext2D, s: Series, w: number, ty: (y: number) => number, up: string, down: string): void {
    const zero = ty(Math.min(Math.max(0, this.yRange[0]), this.yRange[1]));
    for (let i = 1; i < this.xs.length; i++) {
      const y0 = s.ys[i - 1] as number;
      const y1 = s.ys[i] as number;
      if (!Number.isFinite(y0) || !Number.isFinite(y1)) continue;
      const x0 = this.toPx(this.xs[i - 1] as number, w);
      const x1 = this.toPx(this.xs[i] as number, w);
      ctx.fillStyle = y0 + y1 >= 0 ? up : down;
      ctx.beginPath();
      ctx.moveTo(x0, zero);
      ctx.lineTo(x0, ty(y0));
      ctx.lineTo(x1, ty(y1));
      ctx.lineTo(x1, zero);
      ctx.closePath();
      ctx.fill();
    }
  }
}
