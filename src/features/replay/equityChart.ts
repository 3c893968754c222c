/**
 * Equity and position over the run (lightweight-charts v5): the whole run's equity faint, the part played so far
 * bright, and the position as a histogram on its own scale below. Times are data time (UTC seconds).
 */
import {
  createChart, HistogramSeries, LineSeries, type IChartApi, type ISeriesApi, type UTCTimestamp,
} from 'lightweight-charts';
import { EQUITY_FIELDS } from '../../protocol/replay';
import { timeChartOptions, type ChartColors } from '../chart/chartView';

export interface LinePoint {
  time: UTCTimestamp;
  value: number;
}

/**
 * Equity samples as chart points: one per second at most (the last sample of a second wins, the chart needs
 * strictly increasing times); `field` 1 is equity, 2 position. Only samples at or before `untilMs`.
 */
export function equityPoints(equity: Float64Array, field: 1 | 2, untilMs = Number.POSITIVE_INFINITY): LinePoint[] {
  const out: LinePoint[] = [];
  for (let i = 0; i + EQUITY_FIELDS <= equity.length; i += EQUITY_FIELDS) {
    const ms = equity[i] ?? 0;
    if (ms > untilMs) break;
    const t = Math.floor(ms / 1000) as UTCTimestamp;
    const v = equity[i + field] ?? 0;
    const last = out[out.length - 1];
    if (last && last.time === t) last.value = v;
    else if (!last || t > last.time) out.push({ time: t, value: v });
  }
  return out;
}

export class EquityChart {
  private readonly chart: IChartApi;
  private readonly full: ISeriesApi<'Line'>;
  private readonly played: ISeriesApi<'Line'>;
  private readonly position: ISeriesApi<'Histogram'>;
  private equity: Float64Array = new Float64Array(0);
  private shownUntil = Number.NaN;

  constructor(container: HTMLElement, private colors: ChartColors, accent: string) {
    this.chart = createChart(container, {
      ...timeChartOptions(container, colors),
      rightPriceScale: { borderColor: colors.border, scaleMargins: { top: 0.08, bottom: 0.3 } },
    });
    this.full = this.chart.addSeries(LineSeries, {
      color: colors.crosshair, lineWidth: 1, priceLineVisible: false, lastValueVisible: false,
    });
    this.played = this.chart.addSeries(LineSeries, { color: accent, lineWidth: 2, priceLineVisible: false });
    this.position = this.chart.addSeries(HistogramSeries, {
      priceScaleId: 'position', lastValueVisible: true, priceLineVisible: false,
    });
    this.chart.priceScale('position').applyOptions({ scaleMargins: { top: 0.75, bottom: 0 } });
  }

  /** A new run's curve (`EQUITY_FIELDS` per sample, ms times). */
  setRun(equity: Float64Array): void {
    this.equity = equity;
    this.full.setData(equityPoints(equity, 1));
    this.shownUntil = Number.NaN;
    this.chart.timeScale().fitContent();
  }

  /** Shows the curve up to the cursor. */
  setCursor(ms: number): void {
    if (ms === this.shownUntil) return;
    this.shownUntil = ms;
    this.played.setData(equityPoints(this.equity, 1, ms));
    const pos = equityPoints(this.equity, 2, ms);
    this.position.setData(pos.map((p) => ({ ...p, color: p.value >= 0 ? this.colors.volUp : this.colors.volDown })));
  }

  dispose(): void {
    this.chart.remove();
  }
}
