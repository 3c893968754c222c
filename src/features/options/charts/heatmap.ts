/**
 * A canvas heatmap of P&L: columns are spots, rows a second axis (date or vol shift), a diverging colour scale
 * symmetric around zero (profit in the theme's bid colour, loss in its ask colour), hover read-out.
 */
import { shortNum } from './lineChart';

export interface HeatmapData {
  rows: number;
  cols: number;
  values: Float64Array;
  xs: Float64Array;
  ys: Float64Array;
  yLabel: (y: number) => string;
}

const PAD = { l: 56, r: 8, t: 6, b: 18 };

function rgb(el: HTMLElement, name: string): [number, number, number] {
  const probe = getComputedStyle(el).getPropertyValue(name).trim();
  const m = /^#([0-9a-f]{6})$/i.exec(probe);
  if (!m) return [128, 128, 128];
  const n = parseInt(m[1] as string, 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

export class Heatmap {
  private readonly canvas = document.createElement('canvas');
  private data: HeatmapData | null = null;
  private hover: [number, number] | null = null;
  private frame = 0;
  private readonly resize: ResizeObserver;

  constructor(private readonly host: HTMLElement) {
    host.appendChild(this.canvas);
    this.resize = new ResizeObserver(() => this.invalidate());
    this.resize.observe(host);
    this.canvas.addEventListener('pointermove', (e) => {
      this.hover = [e.offsetX, e.offsetY];
      this.invalidate();
    });
    this.canvas.addEventListener('pointerleave', () => {
      this.hover = null;
      this.invalidate();
    });
  }

  setData(data: HeatmapData): void {
    this.data = data;
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

  private draw(): void {
    const w = this.host.clientWidth;
    const h = this.host.clientHeight;
    const d = this.data;
    if (w < 60 || h < 40 || !d) return;
    const dpr = window.devicePixelRatio || 1;
    this.canvas.width = Math.round(w * dpr);
    this.canvas.height = Math.round(h * dpr);
    this.canvas.style.width = `${w}px`;
    this.canvas.style.height = `${h}px`;
    const ctx = this.canvas.getContext('2d');
    if (!ctx) return;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    const pw = w - PAD.l - PAD.r;
    const ph = h - PAD.t - PAD.b;
    let max = 0;
    for (const v of d.values) if (Number.isFinite(v)) max = Math.max(max, Math.abs(v));
    const up = rgb(document.documentElement, '--bid');
    const down = rgb(document.documentElement, '--ask');
    const bg = rgb(document.documentElement, '--panel');
    const img = ctx.createImageData(d.cols, d.rows);
    for (let r = 0; r < d.rows; r++) {
      for (let c = 0; c < d.cols; c++) {
        const v = d.values[r * d.cols + c] as number;
        // Rows are drawn top = last row (later date / higher shift at the top).
        const o = ((d.rows - 1 - r) * d.cols + c) * 4;
        const t = Number.isFinite(v) && max > 0 ? Math.min(1, Math.abs(v) / max) ** 0.6 : 0;
        const to = v >= 0 ? up : down;
        for (let k = 0; k < 3; k++) img.data[o + k] = Math.round((bg[k] as number) + ((to[k] as number) - (bg[k] as number)) * t);
        img.data[o + 3] = 255;
      }
    }
    const off = new OffscreenCanvas(d.cols, d.rows);
    off.getContext('2d')?.putImageData(img, 0, 0);
    ctx.imageSmoothingEnabled = false;
    ctx.clearRect(0, 0, w, h);
    ctx.drawImage(off, PAD.l, PAD.t, pw, ph);
    const style = getComputedStyle(this.host);
    ctx.font = `10px ${style.getPropertyValue('--mono') || 'monospace'}`;
    ctx.fillStyle = style.getPropertyValue('--text-faint').trim() || '#888';
    ctx.textAlign = 'center';
    ctx.textBaseline = 'top';
    const lastX = d.cols - 1;
    for (let i = 0; i <= 4; i++) {
      const c = Math.round((lastX * i) / 4);
      ctx.fillText(shortNum(d.xs[c] as number), PAD.l + ((c + 0.5) / d.cols) * pw, h - PAD.b + 3);
    }
    ctx.textAlign = 'right';
    ctx.textBaseline = 'middle';
    for (let i = 0; i <= 4; i++) {
      const r = Math.round(((d.rows - 1) * i) / 4);
      ctx.fillText(d.yLabel(d.ys[r] as number), PAD.l - 4, PAD.t + (1 - (r + 0.5) / d.rows) * ph);
    }
    if (this.hover) {
      const c = Math.floor(((this.hover[0] - PAD.l) / pw) * d.cols);
      const r = d.rows - 1 - Math.floor(((this.hover[1] - PAD.t) / ph) * d.rows);
      if (c >= 0 && c < d.cols && r >= 0 && r < d.rows) {
        const text = `S ${shortNum(d.xs[c] as number)}  ${d.yLabel(d.ys[r] as number)}  P&L ${shortNum(d.values[r * d.cols + c] as number)}`;
        ctx.fillStyle = style.getPropertyValue('--text').trim() || '#ddd';
        ctx.textAlign = 'left';
        ctx.textBaseline = 'top';
        ctx.fillText(text, PAD.l + 4, PAD.t + 2);
      }
    }
  }
}
