/** The scan's inputs: model, type, r, q and a min / max / steps row per axis, each with its inline message. */
import type { FormEvent, ReactNode } from 'react';
import { AXES, SCAN_MODELS, type Axis } from '../../scan/grid';
import { AXIS_LABEL, AXIS_TITLE, type FieldKey, type RangeField, type ScanForm, type Validation } from './form';

const MODEL_LABEL: Record<(typeof SCAN_MODELS)[number], string> = {
  bsm: 'Black–Scholes–Merton',
  black76: 'Black-76 (forward)',
  black76coin: 'Black-76 coin-margined',
  bachelier: 'Bachelier (normal)',
  baw: 'Barone-Adesi–Whaley (American)',
  bjs1993: 'Bjerksund–Stensland 1993 (American)',
  bjs2002: 'Bjerksund–Stensland 2002 (American)',
  binomial: 'Binomial CRR, 201 steps (American)',
  binomial_european: 'Binomial CRR, 201 steps (European)',
};

export interface ScanFormPanelProps {
  form: ScanForm;
  validation: Validation;
  running: boolean;
  onChange: (form: ScanForm) => void;
  onRun: () => void;
}

const fmtInt = (n: number): string => n.toLocaleString('en-US');

function FieldError(props: { id: string; text: string | undefined }): ReactNode {
  if (!props.text) return null;
  return <div className="scan-field-error" id={props.id} role="alert" data-testid={`scan.error.${props.id.slice(5)}`}>{props.text}</div>;
}

export function ScanFormPanel(props: ScanFormPanelProps): ReactNode {
  const { form, validation, running, onChange, onRun } = props;
  const { errors } = validation;
  const setTop = (key: 'model' | 'type' | 'r' | 'q', value: string): void => onChange({ ...form, [key]: value });
  const setRange = (axis: Axis, field: RangeField, value: string): void =>
    onChange({ ...form, ranges: { ...form.ranges, [axis]: { ...form.ranges[axis], [field]: value } } });
  const submit = (e: FormEvent): void => {
    e.preventDefault();
    if (!running && validation.spec) onRun();
  };
  const input = (key: FieldKey, value: string, set: (v: string) => void, label: string): ReactNode => (
    <input
      className="scan-input num"
      value={value}
      inputMode="decimal"
      spellCheck={false}
      aria-label={label}
      aria-invalid={errors[key] ? true : undefined}
      aria-describedby={errors[key] ? `scan-${key}` : undefined}
      data-testid={`scan.field.${key}`}
      onChange={(e) => set(e.target.value)}
    />
  );

  return (
    <form className="scan-form" onSubmit={submit} noValidate data-testid="scan.form">
      <div className="scan-form-row">
        <label>
          <span>model</span>
          <select className="ctl" value={form.model} data-testid="scan.field.model" onChange={(e) => setTop('model', e.target.value)}>
            {!SCAN_MODELS.some((m) => m === form.model) && <option value={form.model}>{form.model}</option>}
            {SCAN_MODELS.map((m) => <option key={m} value={m}>{MODEL_LABEL[m]}</option>)}
          </select>
        </label>
        <label>
          <span>type</span>
          <select className="ctl" value={form.type} data-testid="scan.field.type" onChange={(e) => setTop('type', e.target.value)}>
            {form.type !== 'call' && form.type !== 'put' && <option value={form.type}>{form.type}</option>}
            <option value="call">call</option>
            <option value="put">put</option>
          </select>
        </label>
      </div>
      <FieldError id="scan-model" text={errors.model} />
      <FieldError id="scan-type" text={errors.type} />
      <div className="scan-form-row">
        <label title="continuously compounded rate, per 1.00 (0.03 = 3 %)">
          <span>r</span>
          {input('r', form.r, (v) => setTop('r', v), 'rate r')}
        </label>
        <label title="continuous dividend yield, per 1.00">
          <span>q</span>
          {input('q', form.q, (v) => setTop('q', v), 'dividend yield q')}
        </label>
      </div>
      <FieldError id="scan-r" text={errors.r} />
      <FieldError id="scan-q" text={errors.q} />

      <table className="scan-ranges">
        <thead>
          <tr><th /><th>min</th><th>max</th><th>steps</th></tr>
        </thead>
        {AXES.map((axis) => (
          <tbody key={axis}>
            <tr>
              <th title={AXIS_TITLE[axis]}>{AXIS_LABEL[axis]}</th>
              {(['min', 'max', 'steps'] as const).map((f) => (
                <td key={f}>{input(`${axis}.${f}`, form.ranges[axis][f], (v) => setRange(axis, f, v), `${AXIS_LABEL[axis]} ${f}`)}</td>
              ))}
            </tr>
            {(['min', 'max', 'steps'] as const).map((f) => errors[`${axis}.${f}`] && (
              <tr key={f}><td colSpan={4}><FieldError id={`scan-${axis}.${f}`} text={errors[`${axis}.${f}`]} /></td></tr>
            ))}
          </tbody>
        ))}
      </table>

      <div className="scan-combos" data-testid="scan.combinations" data-valid={validation.sizeError ? 'false' : 'true'}
        data-count={validation.combinations ?? ''}>
        {validation.combinations === null
          ? 'combinations: fix the steps above'
          : `${AXES.map((a) => form.ranges[a].steps.trim()).join(' × ')} = ${fmtInt(validation.combinations)} combinations`}
      </div>
      <FieldError id="scan-size" text={validation.sizeError ?? undefined} />
      <button type="submit" className="ctl scan-run" disabled={running || !validation.spec} data-testid="scan.run"
        title="Run the scan (Enter)">
        Run scan
      </button>
    </form>
  );
}
