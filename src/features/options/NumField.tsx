/**
 * A numeric input with an optional slider. Typing commits only valid numbers; an empty or out-of-range entry
 * shows an inline message (naming the field, the value and the rule) and leaves the last valid value in force.
 */
import { useId, useState, type ReactNode } from 'react';

export interface NumFieldProps {
  id: string;
  label: string;
  value: number;
  unit?: string;
  /** null when valid, else the reason. */
  check: (v: number) => string | null;
  onCommit: (v: number, eventTime: number) => void;
  slider?: { min: number; max: number; step: number };
  title?: string;
}

export function parseNumber(text: string): number {
  const t = text.trim().replace(/,/g, '');
  return t === '' ? NaN : Number(t);
}

export function NumField(props: NumFieldProps): ReactNode {
  const { id, label, value, unit, check, onCommit, slider } = props;
  const inputId = useId();
  const [text, setText] = useState(String(value));
  const [shown, setShown] = useState(value);
  const [error, setError] = useState<string | null>(null);
  // Follow changes made elsewhere (slider, shortcuts, presets) unless the user is mid-way through a bad entry.
  if (shown !== value) {
    setShown(value);
    if (parseNumber(text) !== value) {
      setText(String(value));
      setError(null);
    }
  }
  const onText = (raw: string, t: number): void => {
    setText(raw);
    const v = parseNumber(raw);
    const why = raw.trim() === '' ? 'is empty' : !Number.isFinite(v) ? 'is not a number' : check(v);
    if (why) {
      setError(`${label} ${JSON.stringify(raw)} ${why}; showing the last valid result`);
      return;
    }
    setError(null);
    onCommit(v, t);
  };
  return (
    <div className={`numfield${error ? ' invalid' : ''}`} data-testid={`opt.field.${id}`}>
      <label htmlFor={inputId} title={props.title}>{label}{unit ? <span className="unit"> {unit}</span> : null}</label>
      <input id={inputId} className="num" type="text" inputMode="decimal" value={text} aria-invalid={error !== null}
        data-testid={`opt.input.${id}`} onChange={(e) => onText(e.target.value, e.timeStamp)} />
      {slider ? (
        <input type="range" min={slider.min} max={slider.max} step={slider.step}
          value={Math.min(slider.max, Math.max(slider.min, value))} aria-label={`${label} slider`}
          data-testid={`opt.slider.${id}`}
          onChange={(e) => {
            // Snap to the step's decimals so binary fractions do not show as 119.10000000000001.
            const decimals = Math.max(0, -Math.floor(Math.log10(slider.step)));
            const v = Number(Number(e.target.value).toFixed(Math.min(decimals, 12)));
            setText(String(v));
            setError(null);
            onCommit(v, e.timeStamp);
          }} />
      ) : null}
      {error ? <div className="field-error" role="alert" data-testid={`opt.error.${id}`}>{error}</div> : null}
    </div>
  );
}
