/**
 * Paints the cumulative depth chart on a 2D canvas once per render frame: bid and ask step curves around the
 * mid, filled, with a crosshair readout (price, cumulative size) where the pointer is. Work per frame is
 * O(rows shown); theme colours are re-read only when the theme changes.
 */
import type { RenderFrame } from '../../engine/renderFrame';
import { formatFixed, formatGrouped } from '../../format/number';
import { cumAt, depthCurve, type DepthCurve } from './depthCurve';

interface Colours {
  bid: string;
  ask: string;
  bidFill: string;
  askFill: string;
  text: string;
  faint: string;
  grid: string;
}

const PAD_BOTTOM = 16;

export class DepthView {
  private readonly ctx: CanvasRenderingContext2D | null;
  private colours: Colours | null = null;
  private theme: string | undefined = '';
  private pointer: { x: number; y: number } | null = null;
  private last: RenderFrame | null = null;
  private w = 0;
  private h = 0;
  private dpr = 1;
  private readonly detach: () => void;

  constructor(private readonly canvas: HTMLCanvasElement, private readonly readout: HTMLElement) {
    this.ctx = canvas.getContext('2d');
    const resize = (): void => {
      this.dpr = window.devicePixelRatio || 1;
      this.w = canvas.clientWidth;
      this.h = canvas.clientHeight;
      canvas.width = Math.max(1, Math.round(this.w * this.dpr));
      canvas.height = Math.max(1, Math.round(this.h * this.dpr));
      if (this.last) this.paint(this.last);
    };
    const ro = new ResizeObserver(resize);
    ro.observe(canvas);
    const move = (e: PointerEvent): void => {
      const r = canvas.getBoundingClientRect();
      this.pointer = { x: e.clientX - r.left, y: e.clientY - r.top };
      if (this.last) this.paint(this.last);
    };
    const leave = (): void => {
      this.pointer = null;
      this.readout.textContent = '';
      if (this.last) this.paint(this.last);
    };
    canvas.addEventListener('pointermove', move);
    canvas.addEventListener('pointerleave', leave);
    this.detach = () => {
      ro.disconnect();
      canvas.removeEventListener('pointermove', move);
      canvas.removeEventListener('pointerleave', leave);
    };
  }

  dispose(): void {
    this.detach();
  }

  private readColours(): Colours {
    const theme = document.documentElement.dataset.theme;
    if (this.colours && theme === this.theme) return this.colours;
    const cs = getComputedStyle(this.canvas);
    const v = (name: string, fallback: string): string => cs.getPropertyValue(name).trim() || fallback;
    this.theme = theme;
    this.colours = {
      bid: v('--bid', '#21c07a'), ask: v('--ask', '#f0524f'), bidFill: v('--bid-bar', 'rgba(33,192,122,0.22)'),
      askFill: v('--ask-bar', 'rgba(240,82,79,0.24)'), text: v('--text-dim', '#8b96a5'),
      faint: v('--text-faint', '#566171'), grid: v('--grid', '#161c25'),
    };
    return this.colours;
  }

  paint(frame: RenderFrame): void {
    this.last = frame;
    const ctx = this.ctx;
    if (!ctx || this.w <= 0 || this.h <= 0) return;
    const col = this.readColours();
    ctx.setTransform(this.dpr, 0, 0, this.dpr, 0, 0);
    ctx.clearRect(0, 0, this.w, this.h);
    const curve = depthCurve(frame.levels, frame.meta.depth);
    if (!curve || curve.hi <= curve.lo || curve.maxCum <= 0) return;
    const plotH = this.h - PAD_BOTTOM;
    const x = (p: number): number => ((p - curve.lo) / (curve.hi - curve.lo)) * this.w;
    const y = (c: number): number => plotH - (c / (curve.maxCum * 1.08)) * plotH;
    ctx.strokeStyle = col.grid;
    ctx.lineWidth = 1;
    ctx.beginPath();
    ctx.moveTo(Math.round(x(curve.mid)) + 0.5, 0);
    ctx.lineTo(Math.round(x(curve.mid)) + 0.5, plotH);
    ctx.stroke();
    this.side(ctx, curve.bids, x, y, plotH, x(curve.lo), col.bid, col.bidFill);
    this.side(ctx, curve.asks, x, y, plotH, x(curve.hi), col.ask, col.askFill);
    const pd = frame.meta.priceDecimals;
    ctx.fillStyle = col.faint;
    ctx.font = '10px ui-monospace, monospace';
    ctx.textBaseline = 'bottom';
    ctx.textAlign = 'left';
    ctx.fillText(formatFixed(curve.lo, pd), 2, this.h - 2);
    ctx.textAlign = 'right';
    ctx.fillText(formatFixed(curve.hi, pd), this.w - 2, this.h - 2);
    ctx.textAlign = 'center';
    ctx.fillText(formatFixed(curve.mid, pd + 1), x(curve.mid), this.h - 2);
    this.crosshair(ctx, curve, col, plotH, pd, frame.meta.qtyDecimals, y);
  }

  private side(ctx: CanvasRenderingContext2D, pts: Array<[number, number]>, x: (p: number) => number,
    y: (c: number) => number, base: number, edge: number, stroke: string, fill: string): void {
    const first = pts[0];
    if (!first) return;
    ctx.beginPath();
    ctx.moveTo(x(first[0]), base);
    let prevY = base;
    for (const [p, c] of pts) {
      const px = x(p);
      ctx.lineTo(px, prevY);
      prevY = y(c);
      ctx.lineTo(px, prevY);
    }
    ctx.lineTo(edge, prevY);
    ctx.strokeStyle = stroke;
    ctx.lineWidth = 1.5;
    ctx.stroke();
    ctx.lineTo(edge, base);
    ctx.closePath();
    ctx.fillStyle = fill;
    ctx.fill();
  }

  private crosshair(ctx: CanvasRenderingContext2D, curve: DepthCurve, col: Colours, plotH: number, pd: number,
    qd: number, y: (c: number) => number): void {
    const pt = this.pointer;
    if (!pt || pt.x < 0 || pt.x > this.w || pt.y < 0 || pt.y > plotH) return;
    const price = curve.lo + (pt.x / this.w) * (curve.hi - curve.lo);
    const { side, cum } = cumAt(curve, price);
    ctx.strokeStyle = col.text;
    ctx.lineWidth = 1;
    ctx.setLineDash([3, 3]);
    ctx.beginPath();
    ctx.moveTo(Math.round(pt.x) + 0.5, 0);
    ctx.lineTo(Math.round(pt.x) + 0.5, plotH);
    const cy = Math.round(y(cum)) + 0.5;
    ctx.moveTo(0, cy);
    ctx.lineTo(this.w, cy);
    ctx.stroke();
    ctx.setLineDash([]);
    const text = `${side} ${formatFixed(price, pd)} · cum ${formatGrouped(cum, qd)}`;
    if (this.readout.textContent !== text) this.readout.textContent = text;
  }
}
