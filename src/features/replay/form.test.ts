import { describe, expect, it } from 'vitest';
import { buildConfig, DEFAULT_FORM, formFromParam, formToParam } from './form';

const btc = { priceDecimals: 2, qtyDecimals: 5 };

describe('buildConfig', () => {
  it('turns the default market-maker form into the engine config in lots and ns', () => {
    const r = buildConfig(DEFAULT_FORM, btc);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.config).toMatchObject({
      strategy: { kind: 'mm', params: { spreadTicks: 2, orderQtyLots: 1000, maxPositionLots: 5000, requoteTicks: 1 } },
      feedLatency: { kind: 'constant', ns: 500_000 },
      orderLatency: { kind: 'constant', ns: 1_000_000 },
      fees: { makerBps: -0.5, takerBps: 4 },
      fillModel: { kind: 'queue' },
      seed: 1,
      priceDecimals: 2,
      qtyDecimals: 5,
    });
    expect(JSON.parse(r.json)).toEqual(r.config);
  });

  it('names the field, the value and the reason', () => {
    expect(buildConfig({ ...DEFAULT_FORM, orderQty: '0.000001' }, btc)).toEqual({
      ok: false, field: 'orderQty', error: "Order size 0.000001 is finer than the instrument's lot (0.00001)",
    });
    expect(buildConfig({ ...DEFAULT_FORM, spreadTicks: '1.5' }, btc)).toEqual({
      ok: false, field: 'spreadTicks', error: 'Spread (ticks) 1.5 must be a whole number',
    });
    expect(buildConfig({ ...DEFAULT_FORM, feed: { kind: 'uniform', a: '200', b: '100' } }, btc)).toEqual({
      ok: false, field: 'feed.b', error: 'Feed maximum 100 µs is below the minimum 200 µs',
    });
    expect(buildConfig({ ...DEFAULT_FORM, takerBps: 'abc' }, btc)).toEqual({
      ok: false, field: 'takerBps', error: 'Taker fee (bps) "abc" is not a number',
    });
  });

  it('builds the imbalance taker and the probabilistic queue', () => {
    const r = buildConfig({ ...DEFAULT_FORM, strategy: 'imbalance', fillModel: 'probabilistic', power: '3',
      order: { kind: 'lognormal', a: '800', b: '0.5' } }, btc);
    expect(r.ok && r.config).toMatchObject({
      strategy: { kind: 'imbalance', params: { levels: 5, threshold: 0.6, cooldownNs: 500_000_000 } },
      orderLatency: { kind: 'lognormal', medianNs: 800_000, sigma: 0.5 },
      fillModel: { kind: 'probabilistic', power: 3 },
    });
  });
});

describe('URL round trip', () => {
  it('keeps only the differences and reads them back', () => {
    expect(formToParam(DEFAULT_FORM)).toBe('');
    const f = { ...DEFAULT_FORM, strategy: 'imbalance' as const, feed: { kind: 'uniform' as const, a: '1', b: '9' } };
    expect(formFromParam(formToParam(f))).toEqual(f);
    expect(formFromParam('{not json')).toEqual(DEFAULT_FORM);
    expect(formFromParam('{"strategy":"rm -rf","seed":7}')).toEqual(DEFAULT_FORM);
  });
});
