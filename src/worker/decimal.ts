/**
 * Exact conversion of integer ticks/lots to decimal values.
 *
 * A step such as "0.1" is held as `units / scale` with integers (1 / 10). A value is `count × units / scale`:
 * the product is an exact integer while below 2^53, and one correctly rounded division then yields the double
 * nearest to the true decimal. Printing that double with `toFixed(decimals)` therefore gives the exact decimal
 * string, which multiplying by the float 0.1 would not guarantee (650001 × 0.1 = 65000.100000000006).
 */

export interface DecimalStep {
  /** The step as written, e.g. "0.25". */
  readonly text: string;
  readonly units: number;
  readonly scale: number;
  /** Digits after the decimal point in `text`. */
  readonly decimals: number;
}

const DECIMAL = /^(\d{1,15})(?:\.(\d{1,15}))?$/;

/** Parses a positive decimal step ("0.1", "0.0001", "5"); null if malformed, zero or too precise to be exact. */
export function parseStep(text: string): DecimalStep | null {
  const m = DECIMAL.exec(text);
  if (!m) return null;
  const whole = m[1] ?? '0';
  const frac = m[2] ?? '';
  const digits = (whole + frac).replace(/^0+(?=\d)/, '');
  if (digits.length > 15) return null;
  const units = Number(digits);
  if (!Number.isSafeInteger(units) || units <= 0) return null;
  return { text, units, scale: 10 ** frac.length, decimals: frac.length };
}

/** `count` steps as a decimal value (the nearest double to the exact product). */
export function stepsToValue(count: number, step: DecimalStep): number {
  return (count * step.units) / step.scale;
}
