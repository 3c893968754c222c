/** The strategy's legs: kind, quantity, strike, expiry, model, vol (and tree steps), each validated inline. */
import type { ReactNode } from 'react';
import type { Leg } from '../../../protocol/options';
import { NumField } from '../NumField';
import { MODEL_LABELS, isTree } from '../pricer/model';
import { MAX_DAYS, MAX_LEGS, MAX_STEPS_UI } from './codec';

const LEG_MODELS = ['bsm', 'black76', 'bachelier', 'baw', 'bjs1993', 'bjs2002', 'binomial', 'binomial_european'] as const;

export function LegsTable(props: { legs: Leg[]; spot: number; onChange(legs: Leg[]): void }): ReactNode {
  const { legs, onChange } = props;
  const update = (i: number, patch: Partial<Leg>): void => onChange(legs.map((l, j) => (j === i ? { ...l, ...patch } : l)));
  return (
    <table className="legs" data-testid="strat.legs">
      <thead>
        <tr><th>Leg</th><th>Qty</th><th>Strike</th><th>Expiry (days)</th><th>Model</th><th>σ</th><th /></tr>
      </thead>
      <tbody>
        {legs.map((l, i) => {
          const bach = l.model === 'bachelier';
          return (
            <tr key={i} data-testid="strat.leg">
              <td>
                <select className="ctl" value={l.kind} aria-label={`Leg ${i + 1} kind`} data-testid="strat.leg.kind"
                  onChange={(e) => update(i, { kind: e.target.value as Leg['kind'] })}>
                  <option value="call">call</option>
                  <option value="put">put</option>
                  <option value="underlying">underlying</option>
                </select>
              </td>
              <td><NumField id={`leg${i}.qty`} label={`Leg ${i + 1} qty`} value={l.qty}
                check={(v) => (v === 0 || Math.abs(v) > 1e6 ? 'must be non-zero and within ±1,000,000' : null)}
                onCommit={(v) => update(i, { qty: v })} /></td>
              {l.kind === 'underlying' ? <td colSpan={4} className="dim">bought or sold at today’s spot</td> : (
                <>
                  <td><NumField id={`leg${i}.strike`} label={`Leg ${i + 1} strike`} value={l.strike}
                    check={(v) => (v <= 0 || v > 1e9 ? 'must be above 0 and at most 1e9' : null)} onCommit={(v) => update(i, { strike: v })} /></td>
                  <td><NumField id={`leg${i}.days`} label={`Leg ${i + 1} expiry`} value={l.expiryDays}
                    check={(v) => (!Number.isInteger(v) || v < 0 || v > MAX_DAYS ? `must be a whole number of days from 0 to ${MAX_DAYS}` : null)}
                    onCommit={(v) => update(i, { expiryDays: v })} /></td>
                  <td>
                    <select className="ctl" value={l.model} aria-label={`Leg ${i + 1} model`} data-testid="strat.leg.model"
                      onChange={(e) => update(i, { model: e.target.value as Leg['model'] })}>
                      {LEG_MODELS.map((m) => <option key={m} value={m}>{m === 'binomial_european' ? `${MODEL_LABELS[m]} European` : MODEL_LABELS[m]}</option>)}
                    </select>
                    {isTree(l.model) ? <NumField id={`leg${i}.steps`} label={`Leg ${i + 1} steps`} value={l.steps}
                      check={(v) => (!Number.isInteger(v) || v < 1 || v > MAX_STEPS_UI ? `must be a whole number from 1 to ${MAX_STEPS_UI}` : null)}
                      onCommit={(v) => update(i, { steps: v })} /> : null}
                  </td>
                  <td><NumField id={`leg${i}.vol`} label={`Leg ${i + 1} σ`} unit={bach ? 'abs' : '%'} value={bach ? l.vol : Number((l.vol * 100).toPrecision(10))}
                    check={(v) => (v <= 0 || (!bach && v > 500) ? (bach ? 'must be above 0' : 'must be above 0 and at most 500 %') : null)}
                    onCommit={(v) => update(i, { vol: bach ? v : v / 100 })} /></td>
                </>
              )}
              <td><button type="button" className="ctl" aria-label={`Remove leg ${i + 1}`} data-testid="strat.leg.remove"
                disabled={legs.length <= 1} onClick={() => onChange(legs.filter((_, j) => j !== i))}>✕</button></td>
            </tr>
          );
        })}
      </tbody>
      <tfoot>
        <tr><td colSpan={7}>
          <button type="button" className="ctl" data-testid="strat.add-leg" disabled={legs.length >= MAX_LEGS} title="Add a leg (n)"
            onClick={() => onChange([...legs, { kind: 'call', qty: 1, strike: props.spot, expiryDays: legs[0]?.expiryDays ?? 30,
              model: 'bsm', vol: legs[0]?.vol ?? 0.2, steps: 200 }])}>+ leg</button>
        </td></tr>
      </tfoot>
    </table>
  );
}
