/**
 * Saved runs side by side: their equity curves overlaid on one lightweight-charts v5 chart, one colour per run
 * with a legend, and a table of the settings that differ and of every summary figure, differences highlighted
 * and the best value marked where a figure has a direction.
 *
 * Time axis: `absolute` (data time) when every run replays the same dataset, else `elapsed` (seconds since each
 * run's first point); the user may switch. Equity is shown as saved or rebased to start at 0.
 */
import { ColorType, createChart, LineSeries, type IChartApi, type ISeriesApi, type Time, type UTCTimestamp } from 'lightweight-charts';
import { useLayoutEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import type { SavedRun } from '../../../protocol/runs';
import { formatClock } from '../../../format/number';
import { useAppState } from '../../../state';
import { themeColors } from '../../chart/chartView';
import {
  colorOf, defaultAxis, formatStat, settingsDiff, summaryDiff, toSeries, type DiffRow, type Normalise, type TimeAxis,
} from './compare';
import './runs.css';

export interface CompareChartProps {
  runs: readonly SavedRun[];
}

/** Longer setting values (a dataset hash) are cut in the table, in full in the tooltip. */
const MAX_CELL = 16;

const timeOf = (t: Time): number => (typeof t === 'number' ? t : Number.NaN);

/** "+1:02:03" for elapsed seconds. */
function formatElapsed(sec: number): string {
  const s = Math.max(0, Math.round(sec));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `+${h}:${pad(m)}:${pad(s % 60)}`;
}

function applyTheme(chart: IChartApi): void {
  const c = themeColors(document.documentElement);
  chart.applyOptions({
    layout: { background: { type: ColorType.Solid, color: c.background }, textColor: c.text },
    grid: { vertLines: { color: c.grid }, horzLines: { color: c.grid } },
    rightPriceScale: { borderColor: c.border },
    timeScale: { borderColor: c.border },
    crosshair: { vertLine: { color: c.crosshair }, horzLine: { color: c.crosshair } },
  });
}

function DiffTable(props: { runs: readonly SavedRun[]; rows: DiffRow[] }): ReactNode {
  const { runs, rows } = props;
  return (
    <table className="runs-diff" data-testid="runs.diff">
      <thead>
        <tr>
          <th scope="col" />
          {runs.map((r, i) => (
            <th key={r.id} scope="col" title={r.name}>
              <span className="runs-swatch" style={{ background: colorOf(i) }} />{r.name}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={`${row.kind}:${row.key}`} className={`${row.kind}${row.differs ? ' differs' : ''}`} data-key={row.key}>
            <th scope="row">{row.key}</th>
            {row.values.map((v, i) => (
              <td key={runs[i]?.id ?? i} className={`num${row.best.includes(i) ? ' best' : ''}`}
                title={row.best.includes(i) ? 'best of the compared runs' : typeof v === 'string' && v.length > MAX_CELL ? v : undefined}>
                {typeof v === 'string' && v.length > MAX_CELL ? `${v.slice(0, MAX_CELL - 1)}…` : formatStat(v)}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function CompareChart(props: CompareChartProps): ReactNode {
  const { runs } = props;
  const theme = useAppState((s) => s.theme);
  const [axisChoice, setAxisChoice] = useState<TimeAxis | null>(null);
  const [normalise, setNormalise] = useState<Normalise>('raw');
  const [onlyDiffering, setOnlyDiffering] = useState(false);
  const axis = axisChoice ?? defaultAxis(runs);
  const host = useRef<HTMLDivElement>(null);
  const chartRef = useRef<IChartApi | null>(null);
  const seriesRef = useRef<ISeriesApi<'Line'>[]>([]);

  useLayoutEffect(() => {
    const el = host.current;
    if (!el) return;
    const c = themeColors(document.documentElement);
    const chart = createChart(el, {
      autoSize: true,
      layout: {
        background: { type: ColorType.Solid, color: c.background }, textColor: c.text, fontSize: 11,
        fontFamily: getComputedStyle(el).fontFamily, attributionLogo: false,
      },
      grid: { vertLines: { color: c.grid }, horzLines: { color: c.grid } },
      rightPriceScale: { borderColor: c.border },
      // A whole day of one-second points must fit the width when zoomed out.
      timeScale: { borderColor: c.border, timeVisible: true, secondsVisible: true, minBarSpacing: 0.001 },
    });
    chartRef.current = chart;
    return () => {
      chart.remove();
      chartRef.current = null;
      seriesRef.current = [];
    };
  }, []);

  useLayoutEffect(() => {
    if (chartRef.current) applyTheme(chartRef.current);
  }, [theme]);

  useLayoutEffect(() => {
    const chart = chartRef.current;
    if (!chart) return;
    const fmt = axis === 'elapsed' ? formatElapsed : formatClock;
    chart.applyOptions({
      timeScale: { tickMarkFormatter: (t: Time) => fmt(timeOf(t)) },
      localization: { timeFormatter: (t: Time) => fmt(timeOf(t)) },
    });
    for (const s of seriesRef.current) chart.removeSeries(s);
    seriesRef.current = runs.map((run, i) => {
      const series = chart.addSeries(LineSeries, {
        color: colorOf(i), lineWidth: 2, title: run.name.length > 24 ? `${run.name.slice(0, 23)}…` : run.name,
        priceLineVisible: false, lastValueVisible: true,
      });
      series.setData(toSeries(run.curve, axis, normalise).map((p) => ({ time: p.time as UTCTimestamp, value: p.value })));
      return series;
    });
    chart.timeScale().fitContent();
  }, [runs, axis, normalise]);

  const rows = useMemo(() => {
    const all = [...settingsDiff(runs), ...summaryDiff(runs)];
    return onlyDiffering ? all.filter((r) => r.differs) : all;
  }, [runs, onlyDiffering]);

  return (
    <section className="panel runs-compare" aria-label="Compare runs" data-testid="runs.compare-chart">
      <header className="panel-head">
        <span className="panel-title">Compare</span>
        <span className="spacer" />
        <label>Time
          <select className="ctl" value={axis} data-testid="runs.axis" onChange={(e) => setAxisChoice(e.target.value as TimeAxis)}>
            <option value="absolute">data time</option>
            <option value="elapsed">since start</option>
          </select>
        </label>
        <label>Equity
          <select className="ctl" value={normalise} data-testid="runs.normalise" onChange={(e) => setNormalise(e.target.value as Normalise)}>
            <option value="raw">as saved</option>
            <option value="rebased">from 0</option>
          </select>
        </label>
        <label>
          <input type="checkbox" checked={onlyDiffering} data-testid="runs.only-differing" onChange={(e) => setOnlyDiffering(e.target.checked)} />
          differences only
        </label>
      </header>
      <ul className="runs-legend" data-testid="runs.legend">
        {runs.map((r, i) => (
          <li key={r.id}>
            <span className="runs-swatch" style={{ background: colorOf(i) }} />
            <span className="runs-name">{r.name}</span>
            <span className="dim">{r.dataset.symbol} · {r.points} pts</span>
          </li>
        ))}
      </ul>
      {runs.length === 0 ? <div className="runs-empty">Select two or more runs to compare.</div> : null}
      <div className="runs-chart-host" ref={host} data-testid="runs.chart" />
      <div className="runs-diff-wrap">
        <DiffTable runs={runs} rows={rows} />
      </div>
    </section>
  );
}
