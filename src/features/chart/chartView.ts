/**
 * The price chart: one-second (or five-second) candles with volume, on lightweight-charts v5 — the one module
 * that imports the library. Candles come built by the worker; this view calls `setData` only when the worker
 * sends a whole history (new instrument or interval) and `update` for each changed candle otherwise.
 */
import {
  CandlestickSeries, ColorType, createChart, createSeriesMarkers, CrosshairMode, HistogramSeries, type IChartApi,
  type ISeriesApi, type ISeriesMarkersPluginApi, type ChartOptions, type DeepPartial, type SeriesMarker, type Time, type UTCTimestamp,
} from 'lightweight-charts';
import { CANDLE_FIELDS } from '../../protocol/worker';
import { formatClock, formatFixed } from '../../format/number';
import type { RenderFrame } from '../../engine/renderFrame';

export interface ChartColors {
  background: string;
  text: string;
  grid: string;
  border: string;
  up: string;
  down: string;
  volUp: string;
  volDown: string;
  crosshair: string;
}

/** Reads the theme's colours from the CSS variables on `root`. */
export function themeColors(root: HTMLElement): ChartColors {
  const css = getComputedStyle(root);
  const v = (name: string, fallback: string): string => css.getPropertyValue(name).trim() || fallback;
  return {
    background: v('--panel', '#0f1319'),
    text: v('--text-dim', '#8b96a5'),
    grid: v('--grid', '#161c25'),
    border: v('--border', '#1e2631'),
    up: v('--bid', '#21c07a'),
    down: v('--ask', '#f0524f'),
    volUp: v('--bid-bar', 'rgba(33,192,122,0.3)'),
    volDown: v('--ask-bar', 'rgba(240,82,79,0.3)'),
    crosshair: v('--text-faint', '#566171'),
  };
}

const timeOf = (t: Time): number => (typeof t === 'number' ? t : Number.NaN);

/** The options every time chart of the workstation shares: theme colours, UTC clock axis, no logo. */
export function timeChartOptions(container: HTMLElement, colors: ChartColors): DeepPartial<ChartOptions> & {
  timeScale: DeepPartial<ChartOptions['timeScale']>;
} {
  return {
    autoSize: true,
    layout: {
      background: { type: ColorType.Solid, color: colors.background },
      textColor: colors.text,
      fontSize: 11,
      fontFamily: getComputedStyle(container).fontFamily,
      attributionLogo: false,
    },
    grid: { vertLines: { color: colors.grid }, horzLines: { color: colors.grid } },
    timeScale: {
      borderColor: colors.border,
      timeVisible: true,
      secondsVisible: true,
      tickMarkFormatter: (t: Time) => formatClock(timeOf(t)),
    },
    localization: { timeFormatter: (t: Time) => formatClock(timeOf(t)) },
  };
}

export class ChartView {
  private readonly chart: IChartApi;
  private readonly candles: ISeriesApi<'Candlestick'>;
  private readonly volume: ISeriesApi<'Histogram'>;
  private colors: ChartColors;
  private instrument = -1;
  private candleSec = 0;
  private priceDecimals = -1;
  private lastTime = Number.NEGATIVE_INFINITY;
  private lastClose = Number.NaN;
  private markers: ISeriesMarkersPluginApi<Time> | null = null;

  constructor(container: HTMLElement, colors: ChartColors, private readonly onLast: (close: number, pd: number) => void) {
    this.colors = colors;
    const base = timeChartOptions(container, colors);
    this.chart = createChart(container, {
      ...base,
      rightPriceScale: { borderColor: colors.border, scaleMargins: { top: 0.08, bottom: 0.22 } },
      timeScale: { ...base.timeScale, rightOffset: 4, barSpacing: 7 },
      crosshair: { mode: CrosshairMode.Normal },
    });
    this.candles = this.chart.addSeries(CandlestickSeries, {
      upColor: colors.up,
      downColor: colors.down,
      borderVisible: false,
      wickUpColor: colors.up,
      wickDownColor: colors.down,
      priceLineVisible: true,
      lastValueVisible: true,
    });
    this.volume = this.chart.addSeries(HistogramSeries, {
      priceScaleId: 'volume',
      priceFormat: { type: 'volume' },
      lastValueVisible: false,
      priceLineVisible: false,
    });
    this.chart.priceScale('volume').applyOptions({ scaleMargins: { top: 0.82, bottom: 0 } });
  }

  setColors(colors: ChartColors): void {
    this.colors = colors;
    this.chart.applyOptions({
      layout: { background: { type: ColorType.Solid, color: colors.background }, textColor: colors.text },
      grid: { vertLines: { color: colors.grid }, horzLines: { color: colors.grid } },
      rightPriceScale: { borderColor: colors.border },
      timeScale: { borderColor: colors.border },
      crosshair: { vertLine: { color: colors.crosshair }, horzLine: { color: colors.crosshair } },
    });
    this.candles.applyOptions({ upColor: colors.up, downColor: colors.down, wickUpColor: colors.up,
      wickDownColor: colors.down });
  }

  paint(frames: readonly RenderFrame[]): void {
    for (const f of frames) {
      const { meta } = f;
      if (meta.priceDecimals !== this.priceDecimals) {
        this.priceDecimals = meta.priceDecimals;
        this.candles.applyOptions({
          priceFormat: { type: 'price', precision: meta.priceDecimals, minMove: 10 ** -meta.priceDecimals },
        });
      }
      const switched = meta.instrumentId !== this.instrument || meta.candleSec !== this.candleSec;
      if (meta.candlesReset || switched) {
        // A whole history (or, for the first frame of a new instrument or interval, a new series) replaces the data.
        this.instrument = meta.instrumentId;
        this.candleSec = meta.candleSec;
        this.setAll(f.candles);
        if (switched) this.chart.timeScale().scrollToRealTime();
      } else {
        this.updateSome(f.candles);
      }
    }
    this.onLast(this.lastClose, this.priceDecimals);
  }

  /**
   * Marks trades of one's own on the candles (the replay's fills): buys below in the bid colour, sells above in
   * the ask colour, each at its price. `fills` are `[timeSec, side (0 buy, 1 sell), price]`, ascending time.
   */
  setFillMarkers(fills: ReadonlyArray<readonly [number, 0 | 1, number]>): void {
    const list: SeriesMarker<Time>[] = fills.map(([t, side, price]) => ({
      time: Math.floor(t) as UTCTimestamp,
      position: side === 0 ? 'atPriceBottom' : 'atPriceTop',
      price,
      shape: side === 0 ? 'arrowUp' : 'arrowDown',
      color: side === 0 ? this.colors.up : this.colors.down,
      size: 0.6,
    }));
    if (!this.markers) this.markers = createSeriesMarkers(this.candles, list);
    else this.markers.setMarkers(list);
  }

  dispose(): void {
    this.chart.remove();
  }

  private bar(c: Float64Array, i: number): { time: UTCTimestamp; open: number; high: number; low: number; close: number;
    volume: number } {
    const o = i * CANDLE_FIELDS;
    return {
      time: (c[o] ?? 0) as UTCTimestamp,
      open: c[o + 1] ?? 0,
      high: c[o + 2] ?? 0,
      low: c[o + 3] ?? 0,
      close: c[o + 4] ?? 0,
      volume: c[o + 5] ?? 0,
    };
  }

  private setAll(c: Float64Array): void {
    const n = c.length / CANDLE_FIELDS;
    const bars = [];
    const vols = [];
    for (let i = 0; i < n; i++) {
      const b = this.bar(c, i);
      bars.push({ time: b.time, open: b.open, high: b.high, low: b.low, close: b.close });
      vols.push({ time: b.time, value: b.volume, color: b.close >= b.open ? this.colors.volUp : this.colors.volDown });
    }
    this.candles.setData(bars);
    this.volume.setData(vols);
    const last = bars[bars.length - 1];
    this.lastTime = last ? last.time : Number.NEGATIVE_INFINITY;
    this.lastClose = last ? last.close : Number.NaN;
  }

  private updateSome(c: Float64Array): void {
    const n = c.length / CANDLE_FIELDS;
    for (let i = 0; i < n; i++) {
      const b = this.bar(c, i);
      // lightweight-charts only updates the last bar or appends; an older bar cannot change after a newer one.
      if (b.time < this.lastTime) continue;
      this.candles.update({ time: b.time, open: b.open, high: b.high, low: b.low, close: b.close });
      this.volume.update({ time: b.time, value: b.volume, color: b.close >= b.open ? this.colors.volUp : this.colors.volDown });
      this.lastTime = b.time;
      this.lastClose = b.close;
    }
  }
}

export const formatLast = (close: number, pd: number): string => (pd >= 0 ? formatFixed(close, pd) : '');
