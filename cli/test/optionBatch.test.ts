// The zero-copy batch API in the real wasm builds (scalar and SIMD128): columns written through typed-array views
// over wasm memory, one call per batch, results equal to pricing row by row.
import { describe, expect, it } from 'vitest';
import { loadWasmVariant, type WasmVariant } from '../src/wasm';
import { optionBatchViews } from '../../src/wasm/optionBatch';

describe.each<WasmVariant>(['scalar', 'simd'])('OptionBatch (%s build)', (variant) => {
  it('reports whether the build uses SIMD128', async () => {
    const { wasm } = await loadWasmVariant(variant);
    expect(wasm.simdEnabled()).toBe(variant === 'simd');
  });

  it('prices through views exactly like priceOption, and the scan kernel within 1e-12 of it', async () => {
    const { wasm, memory } = await loadWasmVariant(variant);
    const n = 2001;
    const batch = new wasm.OptionBatch(n);
    const v = optionBatchViews(memory, batch);
    for (let i = 0; i < n; i++) {
      v.isCall[i] = i % 2;
      v.spot[i] = 40 + (i % 97);
      v.strike[i] = 60 + (i % 53);
      v.rate[i] = 0.04;
      v.div[i] = 0.015;
      v.time[i] = 0.02 + (i % 31) / 10;
      v.vol[i] = 0.05 + (i % 41) / 40;
    }
    const row = (i: number): number[] => {
      const r = wasm.priceOption('bsm', i % 2 ? 'call' : 'put', v.spot[i]!, v.strike[i]!, 0.04, 0.015, v.time[i]!,
        v.vol[i]!, 0);
      const out = [r.price, r.delta, r.gamma, r.vega, r.theta, r.rho];
      r.free();
      return out;
    };
    batch.priceAll('bsm', n);
    expect(v.fresh()).toBe(true);
    for (let i = 0; i < n; i += 7) {
      expect([v.price[i], v.delta[i], v.gamma[i], v.vega[i], v.theta[i], v.rho[i]]).toEqual(row(i));
    }
    batch.scanBsm(n);
    let worst = 0;
    for (let i = 0; i < n; i++) {
      const want = row(i);
      const scale = Math.max(v.spot[i]!, v.strike[i]!);
      worst = Math.max(worst, Math.abs(v.price[i]! - want[0]!) / scale, Math.abs(v.delta[i]! - want[1]!),
        Math.abs(v.vega[i]! - want[3]!) / scale, Math.abs(v.theta[i]! - want[4]!) / scale);
    }
    expect(worst).toBeLessThan(1e-12);
    // Implied vol of the exact prices through the same views.
    batch.priceAll('bsm', n);
    batch.ivAll('bsm', n);
    expect(Math.abs(v.iv[10]! / v.vol[10]! - 1)).toBeLessThan(1e-12);
    expect(v.code[10]).toBe(0);
    batch.free();
  });

  it('rejects bad sizes and unknown columns with errors naming them', async () => {
    const { wasm } = await loadWasmVariant(variant);
    expect(() => new wasm.OptionBatch(0)).toThrow(/capacity must be a whole number between 1 and 25000000, got 0/);
    const b = new wasm.OptionBatch(4);
    expect(() => b.ptr('gamma2')).toThrow(/column: unknown "gamma2"/);
    expect(() => b.scanBsm(5)).toThrow(/n must be a whole number between 0 and 4, got 5/);
    expect(() => b.priceAll('heston', 4)).toThrow(/model/);
    b.free();
  });
});
