/**
 * The strategy and simulation settings (strategy parameters, latencies, fees, fill model, seed), the Run button
 * (r) and the run's summary. Sizes are in the instrument's units and latencies in µs; `form.ts` validates them
 * into the engine's config, and every error names its field.
 */
import type { ReactNode } from 'react';
import type { BacktestForm, LatencyForm } from './form';
import { runBacktest, setForm, useReplayStore } from './store';

function Field(props: { name: keyof BacktestForm | string; label: string; value: string; hint: string;
  onChange: (v: string) => void }): ReactNode {
  const fe = useReplayStore((s) => s.fieldError);
  const bad = fe?.field === props.name;
  return (
    <label className="replay-field" title={props.hint}>
      <span>{props.label}</span>
      <input className="ctl num" value={props.value} aria-invalid={bad} data-testid={`replay.field.${props.name}`}
        onChange={(e) => props.onChange(e.target.value)} />
    </label>
  );
}

function Latency(props: { name: 'feed' | 'order'; label: string; value: LatencyForm }): ReactNode {
  const v = props.value;
  const set = (patch: Partial<LatencyForm>): void => setForm({ [props.name]: { ...v, ...patch } });
  return (
    <div className="replay-latency">
      <label className="replay-field" title={`${props.label} latency model`}>
        <span>{props.label} latency</span>
        <select className="ctl" value={v.kind} data-testid={`replay.field.${props.name}.kind`}
          onChange={(e) => set({ kind: e.target.value as LatencyForm['kind'] })}>
          <option value="constant">constant</option>
          <option value="uniform">uniform</option>
          <option value="lognormal">lognormal</option>
        </select>
      </label>
      <Field name={`${props.name}.a`} label={v.kind === 'constant' ? 'µs' : v.kind === 'uniform' ? 'min µs' : 'median µs'}
        value={v.a} hint="Microseconds" onChange={(a) => set({ a })} />
      {v.kind !== 'constant' && (
        <Field name={`${props.name}.b`} label={v.kind === 'uniform' ? 'max µs' : 'σ'} value={v.b}
          hint={v.kind === 'uniform' ? 'Microseconds' : 'Log-space standard deviation'} onChange={(b) => set({ b })} />
      )}
    </div>
  );
}

const fmt = (v: number | undefined, d = 2): string => (v === undefined || !Number.isFinite(v) ? '—' : v.toFixed(d));
const int = (v: number | undefined): string => (v === undefined ? '—' : Math.round(v).toLocaleString('en-US'));

export function Summary(props: { summary: Record<string, number>; elapsedMs: number }): ReactNode {
  const s = props.summary;
  const rows: Array<[string, string, string]> = [
    ['PnL', fmt(s.pnl), 'pnl'],
    ['Realised', fmt(s.realised), 'realised'],
    ['Fees', fmt(s.fees), 'fees'],
    ['Sharpe', fmt(s.sharpe), 'sharpe'],
    ['Sortino', fmt(s.sortino), 'sortino'],
    ['Max drawdown', fmt(s.max_drawdown), 'max_drawdown'],
    ['Orders', int(s.orders), 'orders'],
    ['Fills', int(s.fills), 'fills'],
    ['Fill ratio', fmt(s.fill_ratio, 3), 'fill_ratio'],
    ['Turnover', fmt(s.turnover, 0), 'turnover'],
    ['Inventory |avg|', fmt(s.inventory_mean_abs, 4), 'inventory_mean_abs'],
    ['Inventory max', fmt(s.inventory_max_abs, 4), 'inventory_max_abs'],
    ['Events', int(s.events), 'events'],
  ];
  const evs = s.events !== undefined && props.elapsedMs > 0 ? (s.events / props.elapsedMs) * 1000 : Number.NaN;
  return (
    <div className="replay-summary num" data-testid="replay.summary">
      {rows.map(([label, value, key]) => (
        <div key={key} className="replay-stat" data-stat={key}>
          <span>{label}</span><span data-testid={`replay.stat.${key}`}>{value}</span>
        </div>
      ))}
      <div className="replay-stat"><span>Run time</span>
        <span>{props.elapsedMs.toFixed(0)} ms · {Number.isFinite(evs) ? `${(evs / 1e6).toFixed(1)} M ev/s` : '—'}</span></div>
    </div>
  );
}

export function BacktestPanel(): ReactNode {
  const form = useReplayStore((s) => s.form);
  const fieldError = useReplayStore((s) => s.fieldError);
  const busy = useReplayStore((s) => s.busy);
  const dataset = useReplayStore((s) => s.dataset);
  const run = useReplayStore((s) => s.run);
  const set = (k: keyof BacktestForm) => (v: string): void => setForm({ [k]: v });
  return (
    <form className="replay-section" data-testid="replay.form" onSubmit={(e) => {
      e.preventDefault();
      void runBacktest();
    }}>
      <div className="replay-section-title">Strategy</div>
      <label className="replay-field">
        <span>Strategy</span>
        <select className="ctl" value={form.strategy} data-testid="replay.field.strategy"
          onChange={(e) => setForm({ strategy: e.target.value as BacktestForm['strategy'] })}>
          <option value="mm">Market maker (inventory skew)</option>
          <option value="imbalance">Book-imbalance taker</option>
          <option value="js">My strategy (editor)</option>
        </select>
      </label>
      {form.strategy === 'mm' && (
        <>
          <Field name="spreadTicks" label="Spread (ticks)" value={form.spreadTicks}
            hint="Distance between own bid and ask, in ticks" onChange={set('spreadTicks')} />
          <Field name="skewTicks" label="Skew (ticks / size)" value={form.skewTicks}
            hint="How far quotes move per order size of inventory" onChange={set('skewTicks')} />
          <Field name="requoteTicks" label="Requote (ticks)" value={form.requoteTicks}
            hint="Quotes move when the target moves this far" onChange={set('requoteTicks')} />
        </>
      )}
      {form.strategy === 'imbalance' && (
        <>
          <Field name="levels" label="Levels" value={form.levels} hint="Book levels a side in the imbalance"
            onChange={set('levels')} />
          <Field name="threshold" label="Threshold" value={form.threshold}
            hint="|imbalance| above this triggers a market order (0–1)" onChange={set('threshold')} />
          <Field name="cooldownMs" label="Cooldown (ms)" value={form.cooldownMs}
            hint="Minimum time between two orders" onChange={set('cooldownMs')} />
        </>
      )}
      <Field name="orderQty" label="Order size" value={form.orderQty} hint="In the instrument's units"
        onChange={set('orderQty')} />
      <Field name="maxPosition" label="Max position" value={form.maxPosition} hint="In the instrument's units"
        onChange={set('maxPosition')} />
      <div className="replay-section-title">Simulation</div>
      <Latency name="feed" label="Feed" value={form.feed} />
      <Latency name="order" label="Order" value={form.order} />
      <Field name="makerBps" label="Maker fee (bps)" value={form.makerBps} hint="Negative is a rebate"
        onChange={set('makerBps')} />
      <Field name="takerBps" label="Taker fee (bps)" value={form.takerBps} hint="Fee on liquidity taken"
        onChange={set('takerBps')} />
      <label className="replay-field" title="How resting orders advance in the queue">
        <span>Queue model</span>
        <select className="ctl" value={form.fillModel} data-testid="replay.field.fillModel"
          onChange={(e) => setForm({ fillModel: e.target.value as BacktestForm['fillModel'] })}>
          <option value="queue">conservative queue</option>
          <option value="probabilistic">probabilistic queue</option>
        </select>
      </label>
      {form.fillModel === 'probabilistic' && (
        <Field name="power" label="Queue power" value={form.power}
          hint="Share of cancels ahead of us: a^n / (a^n + b^n)" onChange={set('power')} />
      )}
      <Field name="seed" label="Seed" value={form.seed} hint="Random draws (latency, queue) are reproducible per seed"
        onChange={set('seed')} />
      {fieldError && <div className="replay-error" role="alert" data-testid="replay.field.error">{fieldError.error}</div>}
      <button type="submit" className="ctl replay-run" disabled={!dataset || !!busy} data-testid="replay.run"
        title="Run the whole dataset, then replay it (r)">
        Run backtest <span className="kbd">r</span>
      </button>
      {run && <Summary summary={run.summary} elapsedMs={run.elapsedMs} />}
    </form>
  );
}
