import { describe, expect, it } from 'vitest';
import { formatFixed } from '../format/number';
import { parseStep, stepsToValue } from './decimal';

/** Exact decimal text of `count × step` printed with `decimals` digits, by integer arithmetic only. */
function reference(count: bigint, step: string, decimals: number): string {
  const [whole = '0', frac = ''] = step.split('.');
  const units = BigInt(whole + frac);
  let digits = (count * units).toString();
  const neg = digits.startsWith('-');
  if (neg) digits = digits.slice(1);
  // The product has frac.length decimals; pad to `decimals` (which is never fewer for a well-formed instrument).
  const scaled = digits + '0'.repeat(decimals - frac.length);
  const padded = scaled.padStart(decimals + 1, '0');
  const int = padded.slice(0, padded.length - decimals);
  const text = decimals > 0 ? `${int}.${padded.slice(padded.length - decimals)}` : int;
  return neg ? `-${text}` : text;
}

/** A small deterministic PRNG so failures reproduce. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe('parseStep', () => {
  it('reads decimal steps as integer units over a power of ten', () => {
    expect(parseStep('0.1')).toMatchObject({ units: 1, scale: 10, decimals: 1 });
    expect(parseStep('0.0001')).toMatchObject({ units: 1, scale: 10_000, decimals: 4 });
    expect(parseStep('0.25')).toMatchObject({ units: 25, scale: 100, decimals: 2 });
    expect(parseStep('5')).toMatchObject({ units: 5, scale: 1, decimals: 0 });
    expect(parseStep('12.50')).toMatchObject({ units: 1250, scale: 100, decimals: 2 });
  });

  it('refuses zero, negatives, exponents, junk and steps too precise to be exact', () => {
    for (const bad of ['0', '0.000', '-0.1', '1e-3', '.5', '5.', 'abc', '', '0.1.2', '1234567890.1234567']) {
      expect(parseStep(bad), bad).toBeNull();
    }
  });
});

describe('ticks → decimal text', () => {
  const cases: Array<[string, number]> = [['0.1', 1], ['0.01', 2], ['0.25', 2], ['0.0001', 4], ['0.001', 3],
    ['5', 0], ['0.5', 1], ['0.00000001', 8]];

  it.each(cases)('is exact for step %s printed with %i decimals', (step, decimals) => {
    const parsed = parseStep(step);
    if (!parsed) throw new Error(`bad step ${step}`);
    const rnd = lcg(decimals * 7919 + step.length);
    const counts = [0, 1, 3, 7, 9, 10, 99, 650_001, 650_003, 339_999, 1_000_000_000, 2 ** 40 + 1];
    for (let i = 0; i < 5000; i++) counts.push(Math.floor(rnd() * 2_000_000_000));
    for (const c of counts) {
      expect(formatFixed(stepsToValue(c, parsed), decimals)).toBe(reference(BigInt(c), step, decimals));
    }
  });

  it('beats multiplying by the float step, which drifts', () => {
    const step = parseStep('0.1');
    if (!step) throw new Error('bad step');
    expect(650_001 * 0.1).not.toBe(65000.1);
    expect(stepsToValue(650_001, step)).toBe(65000.1);
  });
});
