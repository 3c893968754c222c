/**
 * The strategy builder: presets and legs, P&L against spot at the first expiry and at a chosen date and vol shift
 * (strikes draggable on the chart), headline figures, position Greeks, and P&L heatmaps of spot × date and
 * spot × vol shift. The strategy lives in the URL (`st=`) so a link reproduces it.
 */
import { useEffect, useLayoutEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { LatestOnly, optionsClients } from '../../../engine/options';
import type { HeatmapResult, Leg, StrategyResult } from '../../../protocol/options';
import { useAppState, useStoreApi } from '../../../state';
import { Heatmap } from '../charts/heatmap';
import { LineChart, shortNum } from '../charts/lineChart';
import { NumField } from '../NumField';
import { formatValue, greekDisplays } from '../pricer/model';
import { checkStrategy, decodeStrategy, describeErrors, encodeStrategy, MAX_DAYS, type StrategyDoc } from './codec';
import { LegsTable } from './LegsTable';
import { buildPreset, PRESETS, type PresetId } from './presets';
import { SavedBar } from './SavedBar';
import { strategyStats, type StrategyStats } from './stats';

const CURVE_N = 241;
const HEAT_COLS = 81;
const HEAT_ROWS = 41;

export function spotRange(doc: StrategyDoc): [number, number] {
  const s = doc.strategy.spot;
  const strikes = doc.strategy.legs.filter((l) => l.kind !== 'underlying').map((l) => l.strike);
  return [Math.max(1e-6, Math.min(s * 0.6, ...strikes.map((k) => k * 0.85))), Math.max(s * 1.4, ...strikes.map((k) => k * 1.15))];
}

function maxDay(doc: StrategyDoc): number {
  return Math.max(1, ...doc.strategy.legs.filter((l) => l.kind !== 'underlying').map((l) => l.expiryDays));
}

function fmtExtreme(e: StrategyStats['maxProfit']): string {
  return e.value === null ? 'unbounded' : formatValue(e.value);
}

function useUrlStrategy(): string | null {
  const store = useStoreApi();
  const [linkError, setLinkError] = useState<string | null>(null);
  useEffect(() => {
    const st = new URLSearchParams(window.location.search).get('st');
    const s = store.getState();
    if (st !== null) {
      const d = decodeStrategy(st);
      if (d.ok) {
        s.setStrategyDoc(d.doc);
        return;
      }
      setLinkError(`The strategy in the link is invalid (${describeErrors(d.errors)}); showing a default instead`);
    }
    if (s.strategyDoc.strategy.legs.length === 0) {
      const { spot } = s.strategyDoc.strategy;
      s.setStrategy({ legs: buildPreset('iron-condor', { spot, vol: 0.2, days: 30, model: 'bsm', steps: 200 }) });
    }
  }, [store]);
  return linkError;
}

export function StrategyPanel(): ReactNode {
  const store = useStoreApi();
  const doc = useAppState((s) => s.strategyDoc);
  const heatRows = useAppState((s) => s.heatRows);
  const linkError = useUrlStrategy();
  const [result, setResult] = useState<{ r: StrategyResult; doc: StrategyDoc } | null>(null);
  const [heat, setHeat] = useState<{ r: HeatmapResult; doc: StrategyDoc; rows: 'day' | 'volShift'; ys: Float64Array; xs: Float64Array } | null>(null);
  const [heatProgress, setHeatProgress] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [preset, setPreset] = useState<PresetId>('iron-condor');
  const chartHost = useRef<HTMLDivElement>(null);
  const heatHost = useRef<HTMLDivElement>(null);
  const chart = useRef<LineChart | null>(null);
  const heatmap = useRef<Heatmap | null>(null);
  const errors = useMemo(() => checkStrategy(doc), [doc]);

  const gates = useMemo(() => {
    const client = optionsClients().jobs;
    return {
      curve: new LatestOnly(
        (d: StrategyDoc) => {
          const [a, b] = spotRange(d);
          return client.request('strategy', { channel: 'builder', strategy: d.strategy, vols: { kind: 'flat' }, scenario: d.scenario, lo: a, hi: b, n: CURVE_N });
        },
        (r, d) => {
          setError(null);
          setResult({ r, doc: d });
        },
        (e) => setError(e.message),
      ),
      heat: new LatestOnly(
        (a: { doc: StrategyDoc; rows: 'day' | 'volShift' }) => {
          const [lo2, hi2] = spotRange(a.doc);
          const [rowLo, rowHi] = heatRowRange(a.doc, a.rows);
          setHeatProgress(0);
          return client.request('heatmap', { channel: 'builder', strategy: a.doc.strategy, vols: { kind: 'flat' }, scenario: a.doc.scenario,
            rows: a.rows, rowLo, rowHi, rowN: HEAT_ROWS, lo: lo2, hi: hi2, n: HEAT_COLS }, (done, total) => setHeatProgress(done / total));
        },
        (r, a) => {
          setHeatProgress(null);
          const [lo2, hi2] = spotRange(a.doc);
          const [rowLo, rowHi] = heatRowRange(a.doc, a.rows);
          setHeat({ r, doc: a.doc, rows: a.rows, xs: linspace(lo2, hi2, HEAT_COLS), ys: linspace(rowLo, rowHi, HEAT_ROWS) });
        },
        (e) => {
          setHeatProgress(null);
          setError(e.message);
        },
      ),
    };
  }, []);

  useEffect(() => {
    if (errors.length || doc.strategy.legs.length === 0) return;
    gates.curve.submit(doc);
    gates.heat.submit({ doc, rows: heatRows });
    const url = new URL(window.location.href);
    url.searchParams.set('st', encodeStrategy(doc));
    window.history.replaceState(window.history.state, '', url);
  }, [doc, heatRows, errors, gates]);

  useLayoutEffect(() => {
    if (!chartHost.current || !heatHost.current) return;
    chart.current = new LineChart(chartHost.current, {
      onDrag: (id, x) => {
        const i = Number(id.slice(4));
        const s = store.getState();
        const legs = s.strategyDoc.strategy.legs;
        const leg = legs[i];
        if (!leg) return;
        const strike = Number(x.toPrecision(4));
        if (strike > 0) s.setStrategy({ legs: legs.map((l, j): Leg => (j === i ? { ...l, strike } : l)) });
      },
    });
    heatmap.current = new Heatmap(heatHost.current);
    return () => {
      chart.current?.dispose();
      heatmap.current?.dispose();
      chart.current = null;
      heatmap.current = null;
    };
  }, [store]);

  const stats = useMemo(() => (result ? strategyStats(result.doc, result.r) : null), [result]);

  useEffect(() => {
    if (!result || !chart.current) return;
    const xs = new Float64Array(result.r.spots);
    chart.current.setData(xs, [
      { ys: new Float64Array(result.r.atExpiry), color: 'var(--accent)', width: 2, fillPnl: true },
      { ys: new Float64Array(result.r.atDate), color: 'var(--text-dim)', dashed: true },
    ]);
    const markers = result.doc.strategy.legs.flatMap((l, i) => (l.kind === 'underlying' ? [] : [{
      id: `leg-${i}`, x: l.strike, color: l.kind === 'call' ? 'var(--bid)' : 'var(--ask)', draggable: true,
      label: `${l.qty > 0 ? '+' : ''}${l.qty}${l.kind === 'call' ? 'C' : 'P'}`,
    }]));
    markers.push({ id: 'spot', x: result.doc.strategy.spot, color: 'var(--text-faint)', draggable: false, label: 'S' });
    for (const b of stats?.breakevens ?? []) markers.push({ id: `be-${b}`, x: b, color: 'var(--warn)', draggable: false, label: '' });
    chart.current.setMarkers(markers);
  }, [result, stats]);

  useEffect(() => {
    if (!heat || !heatmap.current) return;
    heatmap.current.setData({ rows: heat.r.rows, cols: heat.r.cols, values: new Float64Array(heat.r.values), xs: heat.xs, ys: heat.ys,
      yLabel: heat.rows === 'day' ? (d) => `d${d.toFixed(0)}` : (v) => `${v >= 0 ? '+' : ''}${(v * 100).toFixed(0)}vp` });
  }, [heat]);

  const st = doc.strategy;
  const sc = doc.scenario;
  const md = maxDay(doc);
  const greeks = greekDisplays(true, true);
  const setLegs = (legs: Leg[]): void => store.getState().setStrategy({ legs });

  return (
    <div className="strategy" data-testid="strat.panel">
      <div className="strat-top">
        <label>Preset
          <select className="ctl" value={preset} data-testid="strat.preset" onChange={(e) => setPreset(e.target.value as PresetId)}>
            {PRESETS.map((p) => <option key={p.id} value={p.id}>{p.title}</option>)}
          </select>
        </label>
        <button type="button" className="ctl" data-testid="strat.apply-preset"
          onClick={() => setLegs(buildPreset(preset, { spot: st.spot, vol: st.legs.find((l) => l.kind !== 'underlying')?.vol ?? 0.2,
            days: st.legs.find((l) => l.kind !== 'underlying')?.expiryDays || 30, model: 'bsm', steps: 200 }))}>Apply</button>
        <NumField id="strat.spot" label="S" unit="spot" value={st.spot} check={(v) => (v <= 0 || v > 1e9 ? 'must be above 0 and at most 1e9' : null)}
          onCommit={(v) => store.getState().setStrategy({ spot: v })} />
        <NumField id="strat.rate" label="r" unit="%" value={Number((st.rate * 100).toPrecision(10))}
          check={(v) => (Math.abs(v) > 100 ? 'must be within ±100 %' : null)} onCommit={(v) => store.getState().setStrategy({ rate: v / 100 })} />
        <NumField id="strat.div" label="q" unit="%" value={Number((st.div * 100).toPrecision(10))}
          check={(v) => (Math.abs(v) > 100 ? 'must be within ±100 %' : null)} onCommit={(v) => store.getState().setStrategy({ div: v / 100 })} />
        <SavedBar />
      </div>
      {linkError ? <div className="field-error" role="alert" data-testid="strat.link-error">{linkError}</div> : null}
      <LegsTable legs={st.legs} spot={st.spot} onChange={setLegs} />
      {errors.length ? <div className="field-error" role="alert" data-testid="strat.errors">Not priced: {describeErrors(errors)}</div> : null}
      {error ? <div className="field-error" role="alert">Engine: {error}</div> : null}
      <div className="strat-body">
        <div className="strat-chart">
          <div className="scenario">
            <NumField id="strat.day" label="Date" unit={`day ${sc.day} of ${md}`} value={sc.day}
              check={(v) => (!Number.isInteger(v) || v < 0 || v > MAX_DAYS ? `must be a whole number of days from 0 to ${MAX_DAYS}` : null)}
              slider={{ min: 0, max: md, step: 1 }} onCommit={(v) => store.getState().setScenario({ day: v })} />
            <NumField id="strat.shift" label="Vol shift" unit="vol pts" value={Number((sc.volShift * 100).toPrecision(10))}
              check={(v) => (Math.abs(v) > 100 ? 'must be within ±100 vol points' : null)} slider={{ min: -30, max: 30, step: 0.5 }}
              onCommit={(v) => store.getState().setScenario({ volShift: v / 100 })} />
            <span className="legend"><i className="sw accent" /> at first expiry <i className="sw dim" /> at day {sc.day}, shift {shortNum(sc.volShift * 100)} vp · drag a strike line to move it</span>
          </div>
          <div className="payoff-host" ref={chartHost} data-testid="strat.payoff" />
        </div>
        <aside className="strat-stats" data-testid="strat.stats">
          <dl>
            <dt>Entry cost</dt><dd className="num" data-testid="strat.entry">{stats ? formatValue(stats.entryCost) : '—'}</dd>
            <dt>Breakevens</dt><dd className="num" data-testid="strat.breakevens"
              data-values={stats ? JSON.stringify(stats.breakevens) : ''}>{stats ? (stats.breakevens.map((b) => formatValue(b)).join(', ') || 'none') : '—'}</dd>
            <dt>Max profit</dt><dd className="num" data-testid="strat.max-profit" data-value={stats?.maxProfit.value ?? 'unbounded'}>{stats ? fmtExtreme(stats.maxProfit) : '—'}</dd>
            <dt>Max loss</dt><dd className="num" data-testid="strat.max-loss" data-value={stats?.maxLoss.value ?? 'unbounded'}>{stats ? fmtExtreme(stats.maxLoss) : '—'}</dd>
            <dt>P(profit)</dt><dd className="num" data-testid="strat.pop">{stats?.pop != null ? `${(stats.pop * 100).toFixed(1)} %` : '—'}</dd>
          </dl>
          <p className="note">{stats?.analytic === false
            ? 'Several expiries: figures read off the P&L at the first expiry on the chart’s spot grid.'
            : 'At expiry, analytic; spot floored at 0.'} P(profit): S at the first expiry lognormal under the risk-neutral (BSM) measure, drift r − q,
            σ = |qty|-weighted mean leg vol{stats ? ` ${(stats.popVol * 100).toFixed(1)} %` : ''} incl. shift.</p>
          <h4>Position Greeks <span className="unit">at S, day {sc.day}, shift</span></h4>
          <table className="pos-greeks" data-testid="strat.greeks"><tbody>
            {greeks.map((g) => (
              <tr key={g.name}><th scope="row">{g.name === 'price' ? 'Value' : g.label}</th>
                <td className="num" data-testid={`strat.greek.${g.name}`}>{result ? formatValue(result.r.greeks[g.name] * g.scale) : '—'}</td>
                <td className="unit">{g.unit}</td></tr>
            ))}
          </tbody></table>
        </aside>
      </div>
      <div className="strat-heat">
        <div className="heat-head">
          <span>P&amp;L heatmap: spot ×</span>
          <div className="seg" role="group" aria-label="Heatmap rows (h)">
            <button type="button" className="ctl" aria-pressed={heatRows === 'day'} data-testid="strat.heat.day"
              onClick={() => store.getState().setHeatRows('day')}>date</button>
            <button type="button" className="ctl" aria-pressed={heatRows === 'volShift'} data-testid="strat.heat.vol"
              onClick={() => store.getState().setHeatRows('volShift')}>vol shift</button>
          </div>
          <span className="unit">{heatRows === 'day' ? `today (bottom) to day ${md} (top), vol shift ${shortNum(sc.volShift * 100)} vp` : `day ${sc.day}, shift from bottom to top`}</span>
          {heatProgress !== null ? <progress max={1} value={heatProgress} data-testid="strat.heat.progress" /> : null}
        </div>
        <div className="heat-host" ref={heatHost} data-testid="strat.heatmap" />
      </div>
    </div>
  );
}

function heatRowRange(doc: StrategyDoc, rows: 'day' | 'volShift'): [number, number] {
  if (rows === 'day') return [0, maxDay(doc)];
  const vols = doc.strategy.legs.filter((l) => l.kind !== 'underlying' && l.model !== 'bachelier').map((l) => l.vol);
  const minVol = vols.length ? Math.min(...vols) : 0.2;
  return [-Math.min(0.3, minVol * 0.9), Math.max(0.1, Math.min(0.3, minVol))];
}

function linspace(lo: number, hi: number, n: number): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = lo + ((hi - lo) * i) / (n - 1);
  return out;
}
