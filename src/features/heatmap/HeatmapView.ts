/**
 * Liquidity heatmap: time × price, one column per render snapshot. The worker sends each column already
 * quantised (`RenderFrame.heat`); here a column is coloured into one 1-pixel-wide ImageData and put at the right
 * edge of an offscreen canvas after blitting the image one pixel left (O(column height) per frame). The
 * offscreen image (1 px per column and per price row) is scaled onto the visible canvas, with the best bid/ask
 * lines baked into the columns and trade bubbles drawn on top.
 *
 * Re-centring: the image is anchored at a row index; when the mid's window drifts more than a quarter of the
 * height away, the image is blitted vertically and re-anchored. An instrument or row-step change starts over.
 * Changing the cutoffs or the width recolours from the kept columns.
 */
import { TRADE_FIELDS, HEAT_HEADER, HEAT_ROWS, HeatField } from '../../protocol/worker';
import type { RenderFrame } from '../../engine/renderFrame';
import { formatFixed } from '../../format/number';
import { bubbleRadius, fitCutoffs, logScale, rampInto } from './heatScale';

interface Column {
  base: number;
  sizes: Float32Array;
  bidRow: number;
  askRow: number;
}

interface Trade {
  col: number;
  price: number;
  qty: number;
  side: number;
}

export interface HeatColors {
  background: string;
  text: string;
  bid: string;
  ask: string;
  buy: string;
  sell: string;
}

export function heatColors(root: HTMLElement): HeatColors {
  const css = getComputedStyle(root);
  const v = (name: string, fallback: string): string => css.getPropertyValue(name).trim() || fallback;
  return {
    background: v('--panel', '#0f1319'),
    text: v('--text-dim', '#8b96a5'),
    bid: v('--bid-strong', '#34d98e'),
    ask: v('--ask-strong', '#ff6b67'),
    buy: v('--bid', '#21c07a'),
    sell: v('--ask', '#f0524f'),
  };
}

const MAX_COLS = 2400;
const MAX_TRADES = 4000;
const AXIS_PX = 56;

/** A CSS colour as RGB bytes, through a 1×1 canvas. */
function rgbOf(color: string): [number, number, number] {
  const c = document.createElement('canvas');
  c.width = c.height = 1;
  const ctx = c.getContext('2d');
  if (!ctx) return [0, 0, 0];
  ctx.fillStyle = color;
  ctx.fillRect(0, 0, 1, 1);
  const d = ctx.getImageData(0, 0, 1, 1).data;
  return [d[0] ?? 0, d[1] ?? 0, d[2] ?? 0];
}

export class HeatmapView {
  private readonly ctx: CanvasRenderingContext2D | null;
  private readonly off: HTMLCanvasElement;
  private readonly offCtx: CanvasRenderingContext2D | null;
  private readonly colImage: ImageData | null;
  private readonly ro: ResizeObserver;
  private w = 0;
  private h = 0;
  private dpr = 1;
  private cols = 1;
  private columns: Column[] = [];
  private trades: Trade[] = [];
  private colCounter = 0;
  private anchor = Number.NaN;
  private step = Number.NaN;
  private instrumentId = -1;
  private pd = 0;
  private lo = 0.1;
  private hi = 10;
  private fitted = false;
  private bg: [number, number, number] = [0, 0, 0];
  private bidRgb: [number, number, number] = [0, 255, 0];
  private askRgb: [number, number, number] = [255, 0, 0];

  constructor(
    private readonly canvas: HTMLCanvasElement,
    private colors: HeatColors,
    /** Called with fitted cutoffs when a new instrument or step starts (the panel shows them). */
    private readonly onFit: (lo: number, hi: number) => void,
  ) {
    this.ctx = canvas.getContext('2d');
    this.off = document.createElement('canvas');
    this.off.height = HEAT_ROWS;
    this.offCtx = this.off.getContext('2d');
    this.colImage = this.offCtx ? this.offCtx.createImageData(1, HEAT_ROWS) : null;
    this.setColors(colors);
    this.ro = new ResizeObserver(() => this.resize());
    this.ro.observe(canvas);
    this.resize();
  }

  dispose(): void {
    this.ro.disconnect();
  }

  setColors(c: HeatColors): void {
    this.colors = c;
    this.bg = rgbOf(c.background);
    this.bidRgb = rgbOf(c.bid);
    this.askRgb = rgbOf(c.ask);
    this.repaintAll();
  }

  setCutoffs(lo: number, hi: number): void {
    if (!(lo > 0) || !(hi > 0) || (lo === this.lo && hi === this.hi)) return;
    this.lo = lo;
    this.hi = hi;
    this.repaintAll();
  }

  /** Fits the cutoffs to the newest column again and reports them. */
  refit(): void {
    const last = this.columns[this.columns.length - 1];
    const fit = last ? fitCutoffs(last.sizes) : null;
    if (!fit) return;
    this.fitted = true;
    this.onFit(fit.lo, fit.hi);
  }

  private resize(): void {
    const r = this.canvas.getBoundingClientRect();
    this.dpr = window.devicePixelRatio || 1;
    this.w = Math.max(1, Math.floor(r.width));
    this.h = Math.max(1, Math.floor(r.height));
    this.canvas.width = Math.round(this.w * this.dpr);
    this.canvas.height = Math.round(this.h * this.dpr);
    this.cols = Math.min(MAX_COLS, Math.max(1, this.w - AXIS_PX));
    this.off.width = this.cols;
    this.repaintAll();
  }

  /** Forgets every column (a replay seek): the map fills again from the next frame. */
  clear(): void {
    this.reset();
    this.present();
  }

  private reset(): void {
    this.columns = [];
    this.trades = [];
    this.anchor = Number.NaN;
    this.fitted = false;
    this.clearImage();
  }

  /** Adds the columns of every frame since the last animation frame, then redraws the canvas once. */
  paintFrames(frames: readonly RenderFrame[]): void {
    for (const f of frames) this.addColumn(f);
    this.present();
  }

  private addColumn(frame: RenderFrame): void {
    const heat = frame.heat;
    if (heat.length < HEAT_HEADER + HEAT_ROWS) return;
    const step = heat[HeatField.Step] ?? Number.NaN;
    if (frame.meta.instrumentId !== this.instrumentId || step !== this.step) {
      this.instrumentId = frame.meta.instrumentId;
      this.step = step;
      this.reset();
    }
    this.pd = frame.meta.priceDecimals;
    const base = heat[HeatField.BaseIndex] ?? Number.NaN;
    const rowOf = (p: number): number => (Number.isFinite(p) && step > 0 ? Math.round(p / step) - base : -1);
    const col: Column = {
      base,
      sizes: Float32Array.from(heat.subarray(HEAT_HEADER, HEAT_HEADER + HEAT_ROWS)),
      bidRow: rowOf(heat[HeatField.BestBid] ?? Number.NaN),
      askRow: rowOf(heat[HeatField.BestAsk] ?? Number.NaN),
    };
    this.columns.push(col);
    if (this.columns.length > MAX_COLS) this.columns.splice(0, this.columns.length - MAX_COLS);
    this.colCounter += 1;
    const tr = frame.trades;
    for (let i = 0; i + TRADE_FIELDS <= tr.length; i += TRADE_FIELDS) {
      this.trades.push({ col: this.colCounter, price: tr[i + 1] ?? 0, qty: tr[i + 2] ?? 0, side: tr[i + 3] ?? 0 });
    }
    if (this.trades.length > MAX_TRADES) this.trades.splice(0, this.trades.length - MAX_TRADES);

    if (!this.fitted && Number.isFinite(base)) this.refit();
    if (Number.isFinite(base)) {
      if (!Number.isFinite(this.anchor)) this.anchor = base;
      const shift = base - this.anchor;
      if (Math.abs(shift) > HEAT_ROWS / 4) this.recentre(base);
    }
    this.scrollIn(col);
  }

  private clearImage(): void {
    const o = this.offCtx;
    if (!o) return;
    o.fillStyle = this.colors.background;
    o.fillRect(0, 0, this.off.width, this.off.height);
  }

  /** Moves the image so that `base` becomes the anchor: rows keep their prices. */
  private recentre(base: number): void {
    const o = this.offCtx;
    const shift = base - this.anchor;
    this.anchor = base;
    if (!o) return;
    if (Math.abs(shift) >= HEAT_ROWS) {
      this.clearImage();
      return;
    }
    // Image y = HEAT_ROWS − 1 − (row relative to the anchor): a higher anchor moves old rows down by `shift`.
    o.drawImage(this.off, 0, shift);
    o.fillStyle = this.colors.background;
    if (shift > 0) o.fillRect(0, 0, this.off.width, shift);
    else o.fillRect(0, HEAT_ROWS + shift, this.off.width, -shift);
  }

  /** Shifts the image one column left and draws `col` at the right edge. */
  private scrollIn(col: Column): void {
    const o = this.offCtx;
    if (!o) return;
    o.drawImage(this.off, -1, 0);
    this.drawColumn(col, this.off.width - 1);
  }

  /** Colours one column into the 1-px ImageData and puts it at `x` (O(HEAT_ROWS)). */
  private drawColumn(col: Column, x: number): void {
    const o = this.offCtx;
    const img = this.colImage;
    if (!o || !img) return;
    const d = img.data;
    const [br, bg, bb] = this.bg;
    const shift = Number.isFinite(col.base) ? col.base - this.anchor : Number.NaN;
    for (let y = 0; y < HEAT_ROWS; y++) {
      const at = y * 4;
      // Image row y is anchor-relative row HEAT_ROWS − 1 − y; the column's own row is that minus its shift.
      const r = HEAT_ROWS - 1 - y - shift;
      let t = -1;
      if (r >= 0 && r < HEAT_ROWS) {
        if (r === col.bidRow) {
          d.set([this.bidRgb[0], this.bidRgb[1], this.bidRgb[2], 255], at);
          continue;
        }
        if (r === col.askRow) {
          d.set([this.askRgb[0], this.askRgb[1], this.askRgb[2], 255], at);
          continue;
        }
        t = logScale(col.sizes[r] ?? 0, this.lo, this.hi);
      }
      if (t < 0) {
        d[at] = br;
        d[at + 1] = bg;
        d[at + 2] = bb;
        d[at + 3] = 255;
      } else {
        rampInto(t, d, at);
      }
    }
    o.putImageData(img, x, 0);
  }

  /** Recolours the whole image from the kept columns (cutoff, theme or width change). */
  private repaintAll(): void {
    this.clearImage();
    const last = this.columns[this.columns.length - 1];
    if (last && Number.isFinite(last.base)) this.anchor = last.base;
    const n = Math.min(this.columns.length, this.off.width);
    for (let i = 0; i < n; i++) {
      const col = this.columns[this.columns.length - n + i];
      if (col) this.drawColumn(col, this.off.width - n + i);
    }
    this.present();
  }

  /** Scales the image onto the canvas and draws the bubbles and the price axis. */
  private present(): void {
    const ctx = this.ctx;
    if (!ctx) return;
    const { w, h, colors: c } = this;
    ctx.setTransform(this.dpr, 0, 0, this.dpr, 0, 0);
    ctx.fillStyle = c.background;
    ctx.fillRect(0, 0, w, h);
    const plotW = this.off.width;
    ctx.imageSmoothingEnabled = false;
    ctx.drawImage(this.off, 0, 0, plotW, HEAT_ROWS, 0, 0, plotW, h);
    if (!Number.isFinite(this.anchor) || !(this.step > 0)) return;
    const rowPx = h / HEAT_ROWS;
    const yOf = (price: number): number => (HEAT_ROWS - 0.5 - (price / this.step - this.anchor)) * rowPx;
    // Trade bubbles, sized against the largest trade on screen.
    let ref = 0;
    const first = this.colCounter - plotW + 1;
    for (const t of this.trades) if (t.col >= first) ref = Math.max(ref, t.qty);
    for (const t of this.trades) {
      if (t.col < first) continue;
      const x = plotW - 1 - (this.colCounter - t.col);
      const y = yOf(t.price);
      if (y < 0 || y > h) continue;
      ctx.beginPath();
      ctx.arc(x, y, bubbleRadius(t.qty, ref), 0, Math.PI * 2);
      ctx.fillStyle = t.side === 1 ? c.buy : t.side === 2 ? c.sell : c.text;
      ctx.globalAlpha = 0.75;
      ctx.fill();
      ctx.globalAlpha = 1;
    }
    // Price axis: top, middle and bottom row prices.
    ctx.font = '10px ui-monospace, monospace';
    ctx.fillStyle = c.text;
    ctx.textAlign = 'left';
    const label = (row: number, y: number, baseline: CanvasTextBaseline): void => {
      ctx.textBaseline = baseline;
      ctx.fillText(formatFixed((this.anchor + row) * this.step, this.pd), plotW + 4, y);
    };
    label(HEAT_ROWS - 1, 2, 'top');
    label(HEAT_ROWS / 2, h / 2, 'middle');
    label(0, h - 2, 'bottom');
  }
}
