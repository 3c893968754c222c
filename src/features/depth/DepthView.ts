/**
 * Cumulative depth chart on a canvas: bid and ask cumulative-size step curves either side of the mid, from the
 * levels of each render snapshot (so it follows the instrument and the grouping). Redrawn once per posted
 * frame (≤ 2 × depth points); a hover crosshair reads the price and the cumulative size on that side.
 */
import { askAt, askCount, bidAt, bidCount, type RenderFrame } from '../../engine/renderFrame';
import { formatFixed } from '../../format/number';
import { cumAt, depthRange, stepPath, type DepthRange, type SideCurve } from './depthCurve';

export interface DepthColors {
  background: string;
  text: string;
  grid: string;
  bid: string;
  ask: string;
  bidFill: string;
  askFill: string;
  crosshair: string;
}

export function depthColors(root: HTMLElement): DepthColors {
  const css = getComputedStyle(root);
  const v = (name: string, fallback: string): string => css.getPropertyValue(name).trim() || fallback;
  return {
    background: v('--panel', '#0f1319'),
    text: v('--text-dim', '#8b96a5'),
    grid: v('--grid', '#161c25'),
    bid: v('--bid', '#21c07a'),
    ask: v('--ask', '#f0524f'),
    bidFill: v('--bid-bar', 'rgba(33,192,122,0.22)'),
    askFill: v('--ask-bar', 'rgba(240,82,79,0.24)'),
    crosshair: v('--text-faint', '#566171'),
  };
}

const AXIS_PX = 16;

export class DepthView {
  private readonly ctx: CanvasRenderingContext2D | null;
  private readonly ro: ResizeObserver;
  private w = 0;
  private h = 0;
  private dpr = 1;
  private bids: SideCurve = { prices: new Float64Array(0), cums: new Float64Array(0), n: 0 };
  private asks: SideCurve = { prices: new Float64Array(0), cums: new Float64Array(0), n: 0 };
  private range: DepthRange | null = null;
  private pd = 0;
  private qd = 0;
  private pointer: { x: number; y: number } | null = null;
  private readonly detach: () => void;

  constructor(
    private readonly canvas: HTMLCanvasElement,
    private colors: DepthColors,
    private readonly readout: HTMLElement,
  ) {
    this.ctx = canvas.getContext('2d');
    this.ro = new ResizeObserver(() => this.resize());
    this.ro.observe(canvas);
    this.resize();
    const move = (e: PointerEvent): void => {
      const r = canvas.getBoundingClientRect();
      this.pointer = { x: e.clientX - r.left, y: e.clientY - r.top };
      this.draw();
    };
    const leave = (): void => {
      this.pointer = null;
      this.draw();
    };
    canvas.addEventListener('pointermove', move);
    canvas.addEventListener('pointerleave', leave);
    this.detach = () => {
      canvas.removeEventListener('pointermove', move);
      canvas.removeEventListener('pointerleave', leave);
    };
  }

  dispose(): void {
    this.detach();
    this.ro.disconnect();
  }

  setColors(c: DepthColors): void {
    this.colors = c;
    this.draw();
  }

  private resize(): void {
    const r = this.canvas.getBoundingClientRect();
    this.dpr = window.devicePixelRatio || 1;
    this.w = Math.max(1, Math.floor(r.width));
    this.h = Math.max(1, Math.floor(r.height));
    this.canvas.width = Math.round(this.w * this.dpr);
    this.canvas.height = Math.round(this.h * this.dpr);
    this.draw();
  }

  paint(frame: RenderFrame): void {
    const { meta, levels: lv } = frame;
    const nb = Math.min(bidCount(frame), meta.depth);
    const na = Math.min(askCount(frame), meta.depth);
    if (this.bids.prices.length < meta.depth) {
      this.bids = { prices: new Float64Array(meta.depth), cums: new Float64Array(meta.depth), n: 0 };
      this.asks = { prices: new Float64Array(meta.depth), cums: new Float64Array(meta.depth), n: 0 };
    }
    const fill = (c: SideCurve, n: number, at: (i: number) => number): void => {
      const p = c.prices as Float64Array;
      const q = c.cums as Float64Array;
      for (let i = 0; i < n; i++) {
        const o = at(i);
        p[i] = lv[o] ?? Number.NaN;
        q[i] = lv[o + 2] ?? 0;
      }
      c.n = n;
    };
    fill(this.bids, nb, (i) => bidAt(frame, i));
    fill(this.asks, na, (i) => askAt(frame, i));
    this.pd = meta.priceDecimals;
    this.qd = meta.qtyDecimals;
    this.range = depthRange(this.bids, this.asks);
    this.draw();
  }

  private draw(): void {
    const ctx = this.ctx;
    if (!ctx) return;
    const { w, h, colors: c } = this;
    ctx.setTransform(this.dpr, 0, 0, this.dpr, 0, 0);
    ctx.fillStyle = c.background;
    ctx.fillRect(0, 0, w, h);
    const range = this.range;
    const plotH = Math.max(1, h - AXIS_PX);
    if (!range) {
      this.setReadout('');
      return;
    }
    // Mid line and price labels at the edges and the mid.
    const xMid = ((range.mid - range.lo) / (range.hi - range.lo)) * w;
    ctx.strokeStyle = c.grid;
    ctx.lineWidth = 1;
    ctx.beginPath();
    ctx.moveTo(Math.round(xMid) + 0.5, 0);
    ctx.lineTo(Math.round(xMid) + 0.5, plotH);
    ctx.stroke();
    ctx.font = '10px ui-monospace, monospace';
    ctx.fillStyle = c.text;
    ctx.textBaseline = 'bottom';
    ctx.textAlign = 'left';
    ctx.fillText(formatFixed(range.lo, this.pd), 2, h - 2);
    ctx.textAlign = 'right';
    ctx.fillText(formatFixed(range.hi, this.pd), w - 2, h - 2);
    ctx.textAlign = 'center';
    ctx.fillText(formatFixed(range.mid, this.pd + 1), xMid, h - 2);
    ctx.textAlign = 'left';
    ctx.textBaseline = 'top';
    ctx.fillText(formatFixed(range.maxCum, this.qd), 2, 2);

    for (const side of ['bid', 'ask'] as const) {
      const curve = side === 'bid' ? this.bids : this.asks;
      if (curve.n === 0) continue;
      const pts = stepPath(side, curve, range, w, plotH);
      ctx.beginPath();
      ctx.moveTo(pts[0] ?? 0, pts[1] ?? 0);
      for (let i = 2; i < pts.length; i += 2) ctx.lineTo(pts[i] ?? 0, pts[i + 1] ?? 0);
      ctx.strokeStyle = side === 'bid' ? c.bid : c.ask;
      ctx.lineWidth = 1.5;
      ctx.stroke();
      ctx.lineTo(side === 'bid' ? 0 : w, plotH);
      ctx.closePath();
      ctx.fillStyle = side === 'bid' ? c.bidFill : c.askFill;
      ctx.fill();
    }

    const p = this.pointer;
    if (!p || p.x < 0 || p.x > w || p.y < 0 || p.y > plotH) {
      this.setReadout('');
      return;
    }
    const price = range.lo + (p.x / w) * (range.hi - range.lo);
    const side = price < range.mid ? 'bid' : 'ask';
    const cum = cumAt(side, side === 'bid' ? this.bids : this.asks, price);
    ctx.strokeStyle = c.crosshair;
    ctx.setLineDash([3, 3]);
    ctx.beginPath();
    ctx.moveTo(Math.round(p.x) + 0.5, 0);
    ctx.lineTo(Math.round(p.x) + 0.5, plotH);
    const yc = range.maxCum > 0 ? plotH - (cum / range.maxCum) * plotH : plotH;
    ctx.moveTo(0, Math.round(yc) + 0.5);
    ctx.lineTo(w, Math.round(yc) + 0.5);
    ctx.stroke();
    ctx.setLineDash([]);
    this.setReadout(`${side} ${formatFixed(price, this.pd)} · Σ ${formatFixed(cum, this.qd)}`);
  }

  private setReadout(text: string): void {
    if (this.readout.textContent !== text) this.readout.textContent = text;
  }
}
