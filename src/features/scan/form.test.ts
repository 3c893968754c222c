import { describe, expect, it } from 'vitest';
import {
  DEFAULT_DISPLAY, DEFAULT_FORM, formFromSearch, searchWithForm, validateForm, workersFromSearch, type ScanForm,
} from './form';

const edit = (f: (form: ScanForm) => void): ScanForm => {
  const form = structuredClone(DEFAULT_FORM);
  f(form);
  return form;
};

describe('scan form', () => {
  it('accepts the default 5 M grid', () => {
    const v = validateForm(DEFAULT_FORM);
    expect(v.errors).toEqual({});
    expect(v.combinations).toBe(5_000_000);
    expect(v.sizeError).toBeNull();
    expect(v.spec).toEqual({
      model: 'bsm', type: 'call', r: 0.03, q: 0.01,
      S: { min: 60, max: 140, steps: 200 }, K: { min: 80, max: 120, steps: 100 },
      sigma: { min: 0.05, max: 0.8, steps: 50 }, t: { min: 0.05, max: 2, steps: 5 },
    });
  });

  it('refuses more than 5 M combinations, saying how many', () => {
    const v = validateForm(edit((f) => { f.ranges.t.steps = '6'; }));
    expect(v.spec).toBeNull();
    expect(v.combinations).toBe(6_000_000);
    expect(v.sizeError).toBe('6,000,000 combinations: more than the 5,000,000 one scan may have');
  });

  it('names the field, the value and the reason', () => {
    const v = validateForm(edit((f) => {
      f.ranges.S.min = '';
      f.ranges.K.max = 'abc';
      f.ranges.sigma.min = '-0.1';
      f.ranges.t.steps = '2.5';
      f.r = '3';
      f.model = 'heston';
    }));
    expect(v.spec).toBeNull();
    expect(v.combinations).toBeNull();
    expect(v.errors).toEqual({
      'S.min': 'S min: required',
      'K.max': "K max: 'abc' is not a number",
      'sigma.min': 'σ min: -0.1 is not a positive volatility up to 10 (1000 %)',
      't.steps': 't steps: 2.5 is not a whole number from 1 to 10,000',
      r: 'r: 3 is outside −1 … 1 (per 1.00: 0.03 is 3 %)',
      model: "model: 'heston' is not one of bsm, black76, black76coin, bachelier, baw, bjs1993, bjs2002, binomial, binomial_european",
    });
  });

  it('checks min against max and one-step ranges', () => {
    expect(validateForm(edit((f) => { f.ranges.K.min = '130'; })).errors).toEqual({ 'K.max': 'K max: 120 is below min 130' });
    expect(validateForm(edit((f) => { f.ranges.t.steps = '1'; })).errors).toEqual({
      't.steps': 't steps: 1 step covers only min 0.05; use 2 or more, or set max = min',
    });
    const fixed = validateForm(edit((f) => { f.ranges.t = { min: '1', max: '1', steps: '1' }; }));
    expect(fixed.spec?.t).toEqual({ min: 1, max: 1, steps: 1 });
  });

  it('allows large absolute volatilities for Bachelier only', () => {
    const f = edit((x) => { x.ranges.sigma = { min: '5', max: '40', steps: '50' }; });
    expect(validateForm(f).errors['sigma.max']).toBe('σ max: 40 is not a positive volatility up to 10 (1000 %)');
    expect(validateForm({ ...f, model: 'bachelier' }).errors).toEqual({});
  });

  it('round-trips through the URL, leaving other parameters alone', () => {
    const form = edit((f) => {
      f.model = 'baw';
      f.type = 'put';
      f.ranges.S = { min: '90', max: '110', steps: '21' };
    });
    const display = { x: 'sigma', y: 't', output: 'vega' } as const;
    const search = searchWithForm('?view=scan&ws=desk', form, display);
    const p = new URLSearchParams(search);
    expect(p.get('view')).toBe('scan');
    expect(p.get('ws')).toBe('desk');
    expect(p.get('scan.S')).toBe('90:110:21');
    expect(formFromSearch(search)).toEqual({ form, display });
  });

  it('falls back to defaults for a missing or inconsistent display and keeps bad ranges for the form to flag', () => {
    const got = formFromSearch('?scan.x=K&scan.y=K&scan.out=charm&scan.S=1:2');
    expect(got.display).toEqual(DEFAULT_DISPLAY);
    expect(got.form.ranges.S).toEqual({ min: '1', max: '2', steps: '' });
    expect(validateForm(got.form).errors['S.steps']).toBe('S steps: required');
  });

  it('reads an optional worker count', () => {
    expect(workersFromSearch('?view=scan')).toEqual({ workers: null, error: null });
    expect(workersFromSearch('?scan.workers=1')).toEqual({ workers: 1, error: null });
    expect(workersFromSearch('?scan.workers=0')).toEqual({
      workers: null, error: "scan.workers: '0' is not a whole number from 1 to 64; using one worker per core",
    });
  });
});
