/** The single-option pricer: model, type and exercise, inputs with sliders, price and Greeks, curves of each. */
import { useEffect, useLayoutEffect, useRef, useState, type ReactNode } from 'react';
import { optionsClients } from '../../../engine/options';
import { CURVE_AXES, CURVE_FIELDS, type CurveAxis, type CurvesResult, type OptionInputs } from '../../../protocol/options';
import { useAppState, useStoreApi, type PricerState } from '../../../state';
import { LineChart } from '../charts/lineChart';
import { NumField } from '../NumField';
import { PricerController } from './controller';
import {
  AXIS_LABEL, MODEL_LABELS, MODELS_FOR, checkField, dateAfter, daysUntil, exerciseOf, greekDisplays, isTree,
  modelForExercise, type Exercise, type PricerField,
} from './model';

function Curves(props: { result: { r: CurvesResult; inputs: OptionInputs } | null; axis: CurveAxis; p: PricerState;
  busy: boolean }): ReactNode {
  const hosts = useRef<Array<HTMLDivElement | null>>([]);
  const charts = useRef<LineChart[]>([]);
  useLayoutEffect(() => {
    charts.current = hosts.current.map((h) => (h ? new LineChart(h) : null)).filter((c): c is LineChart => c !== null);
    return () => {
      for (const c of charts.current) c.dispose();
      charts.current = [];
    };
  }, []);
  const { result, axis, p } = props;
  const { perDay, perPct, spot, strike, volPct, days } = p;
  // Curve data changes with a new result or new units; the markers with every input (a cheap redraw).
  useEffect(() => {
    if (!result) return;
    const buf = new Float64Array(result.r[axis]);
    const n = result.r.points;
    const xScale = axis === 'vol' && result.inputs.model !== 'bachelier' ? 100 : 1;
    const xs = new Float64Array(n);
    for (let i = 0; i < n; i++) xs[i] = (buf[i * CURVE_FIELDS] as number) * xScale;
    const shown = greekDisplays(perDay, perPct);
    charts.current.forEach((chart, g) => {
      const d = shown[g];
      if (!d) return;
      const ys = new Float64Array(n);
      for (let i = 0; i < n; i++) ys[i] = (buf[i * CURVE_FIELDS + 1 + g] as number) * d.scale;
      chart.setData(xs, [{ ys, color: 'var(--accent)' }]);
    });
  }, [result, axis, perDay, perPct]);
  useEffect(() => {
    const here = axis === 'spot' ? spot : axis === 'vol' ? volPct : days;
    const markers = [{ id: 'now', x: here, color: 'var(--text-dim)' }];
    if (axis === 'spot') markers.push({ id: 'strike', x: strike, color: 'var(--text-faint)' });
    for (const chart of charts.current) chart.setMarkers(markers);
  }, [axis, spot, strike, volPct, days]);
  const shown = greekDisplays(p.perDay, p.perPct);
  return (
    <div className="curve-grid" data-testid="opt.curves" data-busy={props.busy}>
      {shown.map((d, g) => (
        <figure key={d.name} className="curve">
          <figcaption>{d.label} <span className="unit">vs {AXIS_LABEL[axis]}</span></figcaption>
          <div className="curve-host" data-testid={`opt.curve.${d.name}`} ref={(el) => {
            hosts.current[g] = el;
          }} />
        </figure>
      ))}
    </div>
  );
}

/** A power of ten near a thousandth of `ref`: slider steps that give readable prices. */
function roundStep(ref: number): number {
  return 10 ** Math.floor(Math.log10(ref / 1000));
}

export function PricerPanel(): ReactNode {
  const store = useStoreApi();
  const p = useAppState((s) => s.pricer);
  const [engineError, setEngineError] = useState<string | null>(null);
  const [curves, setCurves] = useState<{ r: CurvesResult; inputs: OptionInputs } | null>(null);
  const [busy, setBusy] = useState(false);
  const [progress, setProgress] = useState<number | null>(null);
  const controller = useRef<PricerController | null>(null);
  const cells = useRef<Array<HTMLElement | null>>([]);

  useLayoutEffect(() => {
    const c = new PricerController(optionsClients(), store, {
      error: setEngineError,
      curves: (r, inputs) => setCurves({ r, inputs }),
      curvesBusy: (b) => {
        setBusy(b);
        if (!b) setProgress(null);
      },
      curvesProgress: setProgress,
    });
    controller.current = c;
    c.attach(cells.current.filter((x): x is HTMLElement => x !== null));
    c.refresh();
    return () => {
      c.dispose();
      controller.current = null;
    };
  }, [store]);

  const set = (patch: Partial<PricerState>, t?: number): void => {
    if (t !== undefined) controller.current?.noteInput(t);
    store.getState().setPricer(patch);
  };
  const field = (f: PricerField, label: string, unit: string, slider?: { min: number; max: number; step: number }, title?: string): ReactNode => (
    <NumField id={f} label={label} unit={unit} value={p[f]} check={(v) => checkField(f, v, p.model)}
      onCommit={(v, t) => set({ [f]: v }, t)} {...(slider ? { slider } : {})} {...(title ? { title } : {})} />
  );
  const exercise = exerciseOf(p.model);
  const bachelier = p.model === 'bachelier';
  // Each slider's range follows the other price (not its own value), so it stays put while dragged.
  const kRef = Math.max(Math.abs(p.strike), 1e-6);
  const sRef = Math.max(Math.abs(p.spot), 1e-6);
  const kStep = roundStep(kRef);
  const sStep = roundStep(sRef);
  const shown = greekDisplays(p.perDay, p.perPct);
  const now = new Date();

  return (
    <div className="pricer" data-testid="opt.pricer">
      <aside className="opt-form" aria-label="Option inputs">
        <div className="row">
          <label>Exercise
            <select className="ctl" value={exercise} data-testid="opt.exercise"
              onChange={(e) => set({ model: modelForExercise(p.model, e.target.value as Exercise) })}>
              <option value="european">European</option>
              <option value="american">American</option>
            </select>
          </label>
          <div className="seg" role="group" aria-label="Option type (x)">
            {(['call', 'put'] as const).map((t) => (
              <button key={t} type="button" className="ctl" aria-pressed={p.type === t} data-testid={`opt.type.${t}`}
                onClick={() => set({ type: t })}>{t}</button>
            ))}
          </div>
        </div>
        <label className="wide">Model (m)
          <select className="ctl" value={p.model} data-testid="opt.model" onChange={(e) => set({ model: e.target.value as PricerState['model'] })}>
            {MODELS_FOR[exercise].map((m) => <option key={m} value={m}>{MODEL_LABELS[m]}</option>)}
          </select>
        </label>
        {field('spot', p.model === 'black76' ? 'F' : 'S', p.model === 'black76' ? 'forward' : 'spot',
          { min: bachelier ? p.strike - kRef : kRef * 0.2, max: bachelier ? p.strike + kRef : kRef * 2, step: kStep })}
        {field('strike', 'K', 'strike', { min: bachelier ? p.spot - sRef : sRef * 0.2, max: bachelier ? p.spot + sRef : sRef * 2, step: sStep })}
        {field('volPct', 'σ', bachelier ? 'abs / √yr' : '%', bachelier ? { min: 0, max: sRef, step: sStep } : { min: 1, max: 200, step: 0.1 })}
        {field('ratePct', 'r', '%', { min: -5, max: 20, step: 0.01 })}
        {field('divPct', 'q', '%', { min: 0, max: 20, step: 0.01 }, p.model === 'black76' ? 'ignored by Black-76' : undefined)}
        <div className="row">
          <div className="seg" role="group" aria-label="Expiry as">
            {(['days', 'date'] as const).map((m) => (
              <button key={m} type="button" className="ctl" aria-pressed={p.expiryMode === m} data-testid={`opt.expiry-mode.${m}`}
                onClick={() => set({ expiryMode: m })}>{m}</button>
            ))}
          </div>
          {p.expiryMode === 'date' ? (
            <input type="date" className="ctl num" data-testid="opt.input.date" value={dateAfter(p.days, now)}
              min={dateAfter(0, now)} onChange={(e) => {
                const d = daysUntil(e.target.value, new Date());
                if (Number.isFinite(d) && d >= 0) set({ days: d }, e.timeStamp);
              }} />
          ) : null}
        </div>
        {field('days', 'T', 'days', { min: 0, max: 730, step: 1 })}
        {isTree(p.model) ? field('steps', 'Steps', 'tree', { min: 10, max: 1000, step: 1 }) : null}
        {engineError ? <div className="field-error" role="alert" data-testid="opt.engine-error">Engine: {engineError}</div> : null}
      </aside>
      <section className="opt-main">
        <div className="greeks-bar">
          <table className="greeks" data-testid="opt.greeks">
            <tbody>
              <tr>{shown.map((d) => <th key={d.name} scope="col">{d.label}</th>)}</tr>
              <tr>{shown.map((d, g) => (
                <td key={d.name} className="num" data-greek={d.name} data-testid={`opt.greek.${d.name}`}
                  ref={(el) => {
                    cells.current[g] = el;
                  }} />
              ))}</tr>
              <tr className="units">{shown.map((d) => <td key={d.name}>{d.unit}</td>)}</tr>
            </tbody>
          </table>
          <div className="toggles">
            <label title="Theta and charm per calendar day instead of per year (d)">
              <input type="checkbox" checked={p.perDay} data-testid="opt.per-day" onChange={(e) => set({ perDay: e.target.checked })} /> per day
            </label>
            <label title="Vega, rho, dividend rho, vanna per 1 % and volga per 1 %² instead of per 1.00 (u)">
              <input type="checkbox" checked={p.perPct} data-testid="opt.per-pct" onChange={(e) => set({ perPct: e.target.checked })} /> per 1 %
            </label>
          </div>
        </div>
        <div className="curves-head">
          <span>Value and Greeks against</span>
          <div className="seg" role="group" aria-label="Curve axis (a)">
            {CURVE_AXES.map((a) => (
              <button key={a} type="button" className="ctl" aria-pressed={p.axis === a} data-testid={`opt.axis.${a}`}
                onClick={() => set({ axis: a })}>{AXIS_LABEL[a]}</button>
            ))}
          </div>
          {busy ? <span className="busy">computing…</span> : null}
          {busy && progress !== null ? <progress max={1} value={progress} data-testid="opt.curves.progress" /> : null}
          <span className="spacer" />
          <span className="hint">x: {p.axis === 'vol' && !bachelier ? '%' : p.axis === 'time' ? 'days' : 'price'} · engine units converted as shown</span>
        </div>
        <Curves result={curves} axis={p.axis} p={p} busy={busy} />
      </section>
    </div>
  );
}
