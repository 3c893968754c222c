//! The scenario-scan kernel: Black–Scholes–Merton price, delta, gamma, vega, theta and rho over columns, two
//! rows at a time per [`F64x2`] register (WebAssembly SIMD128 when built with `+simd128`).
//!
//! Same model, formulas and units as [`super::european::generalized_bsm`] with `b = r − q` (Haug 2007 §1.1.3,
//! §2.1–2.4), evaluated branch-free:
//! - the price is `θ[S e^{−qT} N(θd₁) − K e^{−rT} N(θd₂)]` directly, rather than through the normalised Black
//!   function, so its error is absolute — a few ulps of `max(S, K)` — and far-out-of-the-money prices below
//!   that level lose relative accuracy (use [`super::price_batch`] when those matter);
//! - `N` is `erfc(−x/√2)/2` with Cody's three rational approximations (W. J. Cody, Math. Comp. 23 (1969)
//!   631–637, the coefficients of [`super::normal`]) all evaluated and blended by mask, and the Gaussian factor
//!   `exp(−x²)` taken whole (relative error ≲ x²·ε, under 1e-13 before the tail underflows);
//! - `n(d₂)` comes from `n(d₁)` by the identity `K e^{−rT} n(d₂) = S e^{−qT} n(d₁)`, so a row needs three
//!   exponentials and one logarithm.
//!
//! Rows with invalid inputs (non-positive or non-finite S, K, T, σ; non-finite r or q) come out NaN in every
//! output, as in the scalar batch. Measured against the scalar path in this module's tests.

#![allow(clippy::excessive_precision)]

use super::lanes::{exp, ln, poly, F64x2, Lanes, Wide};
use super::normal::ONE_OVER_SQRT_TWO_PI;

const ONE_OVER_SQRT_PI: f64 = 0.564_189_583_547_756_3;
const FRAC_1_SQRT_2: f64 = std::f64::consts::FRAC_1_SQRT_2;

// Cody's coefficients, ordered for Horner evaluation (constant term first).
const ERF_NUM: [f64; 5] = [
    3.209_377_589_138_469_47e3,
    3.774_852_376_853_020_21e2,
    1.138_641_541_510_501_56e2,
    3.161_123_743_870_565_6,
    1.857_777_061_846_031_53e-1,
];
const ERF_DEN: [f64; 5] = [
    2.844_236_833_439_170_62e3,
    1.282_616_526_077_372_28e3,
    2.440_246_379_344_441_73e2,
    2.360_129_095_234_412_09e1,
    1.0,
];
const ERFC_NUM: [f64; 9] = [
    1.230_339_354_797_997_25e3,
    2.051_078_377_826_071_47e3,
    1.712_047_612_634_070_58e3,
    8.819_522_212_417_690_9e2,
    2.986_351_381_974_001_31e2,
    6.611_919_063_714_162_95e1,
    8.883_149_794_388_375_94,
    5.641_884_969_886_700_89e-1,
    2.153_115_354_744_038_46e-8,
];
const ERFC_DEN: [f64; 9] = [
    1.230_339_354_803_749_42e3,
    3.439_367_674_143_721_64e3,
    4.362_619_090_143_247_16e3,
    3.290_799_235_733_459_63e3,
    1.621_389_574_566_690_19e3,
    5.371_811_018_620_098_58e2,
    1.176_939_508_913_124_99e2,
    1.574_492_611_070_983_47e1,
    1.0,
];
const TAIL_NUM: [f64; 6] = [
    6.587_491_615_298_378_03e-4,
    1.608_378_514_874_227_66e-2,
    1.257_817_261_112_292_46e-1,
    3.603_448_999_498_044_39e-1,
    3.053_266_349_612_323_44e-1,
    1.631_538_713_730_209_78e-2,
];
const TAIL_DEN: [f64; 6] = [
    2.335_204_976_268_691_85e-3,
    6.051_834_131_244_131_91e-2,
    5.279_051_029_514_284_12e-1,
    1.872_952_849_923_460_47,
    2.568_520_192_289_822_42,
    1.0,
];

/// `erfc(x)` given `gauss = exp(−x²)`. Each of Cody's three ranges is evaluated only when a lane falls in it
/// (neighbouring rows of a scan usually share a range), and the lanes are blended by mask.
#[inline(always)]
fn erfc_with_gauss<V: Lanes>(x: V, gauss: V) -> V {
    let y = x.abs();
    let y2 = y * y;
    let in_near = y.le(V::splat(0.46875));
    let in_mid = y.le(V::splat(4.0));
    // |x| ≤ 0.46875: 1 − x·R(x²).
    let near = || V::splat(1.0) - x * poly(y2, &ERF_NUM) / poly(y2, &ERF_DEN);
    if V::all(in_near) {
        return near();
    }
    // 0.46875 < |x| ≤ 4.
    let mid = || gauss * poly(y, &ERFC_NUM) / poly(y, &ERFC_DEN);
    // |x| > 4: (1/√π − z·R(z))/|x| with z = 1/x².
    let far = || {
        let z = V::splat(1.0) / y2.max(V::splat(1e-300));
        gauss * (V::splat(ONE_OVER_SQRT_PI) - z * poly(z, &TAIL_NUM) / poly(z, &TAIL_DEN)) / y
    };
    let upper = if V::all(in_mid) {
        mid()
    } else if !V::any(in_mid) {
        far()
    } else {
        V::select(in_mid, mid(), far())
    };
    let reflected = V::select(x.lt(V::splat(0.0)), V::splat(2.0) - upper, upper);
    if V::any(in_near) {
        V::select(in_near, near(), reflected)
    } else {
        reflected
    }
}

/// Φ(x) given `gauss = exp(−x²/2)`.
#[inline(always)]
fn norm_cdf_with_gauss<V: Lanes>(x: V, gauss: V) -> V {
    V::splat(0.5) * erfc_with_gauss(-x * V::splat(FRAC_1_SQRT_2), gauss)
}

#[inline(always)]
fn positive_finite<V: Lanes>(x: V) -> V::M {
    V::and(V::splat(0.0).lt(x), x.lt(V::splat(f64::INFINITY)))
}

#[inline(always)]
fn finite<V: Lanes>(x: V) -> V::M {
    x.abs().lt(V::splat(f64::INFINITY))
}

/// One block of rows: `[price, delta, gamma, vega, theta, rho]`.
#[inline(always)]
#[allow(clippy::too_many_arguments)]
fn block<V: Lanes>(sign: V, s: V, k: V, r: V, q: V, t: V, vol: V) -> [V; 6] {
    let ok = V::and(
        V::and(
            V::and(positive_finite(s), positive_finite(k)),
            V::and(positive_finite(t), positive_finite(vol)),
        ),
        V::and(finite(r), finite(q)),
    );
    let one = V::splat(1.0);
    let [s, k, r, q, t, vol] = [s, k, r, q, t, vol].map(|x| V::select(ok, x, one));
    let sqrt_t = t.sqrt();
    let vst = vol * sqrt_t;
    let d1 = (ln(s / k) + (r - q + V::splat(0.5) * vol * vol) * t) / vst;
    let d2 = d1 - vst;
    let carry_df = exp(-q * t);
    let df = exp(-r * t);
    let g1 = exp(V::splat(-0.5) * d1 * d1);
    let spot_pv = s * carry_df;
    let strike_pv = k * df;
    // exp(−d₂²/2) = exp(−d₁²/2)·S e^{−qT}/(K e^{−rT}).
    let g2 = g1 * spot_pv / strike_pv;
    let cdf1 = norm_cdf_with_gauss(sign * d1, g1);
    let cdf2 = norm_cdf_with_gauss(sign * d2, g2);
    let n_d1 = g1 * V::splat(ONE_OVER_SQRT_TWO_PI);
    let price = sign * (spot_pv * cdf1 - strike_pv * cdf2);
    let delta = sign * carry_df * cdf1;
    let gamma = carry_df * n_d1 / (s * vst);
    let vega = spot_pv * n_d1 * sqrt_t;
    let theta = -(spot_pv * n_d1 * vol / (V::splat(2.0) * sqrt_t)) + sign * q * spot_pv * cdf1
        - sign * r * strike_pv * cdf2;
    // ρ = −T·V + ∂V/∂b = θ·T·K e^{−rT} N(θd₂).
    let rho = sign * t * strike_pv * cdf2;
    let nan = V::select(ok, V::splat(0.0), V::splat(f64::NAN));
    [
        price + nan,
        delta + nan,
        gamma + nan,
        vega + nan,
        theta + nan,
        rho + nan,
    ]
}

/// Registers per step. Two SIMD128 registers (4 rows) give the polynomial chains some independent work to
/// overlap; more spill registers in V8's code and run slower (measured at 1, 2 and 4 in Node 20).
const REGS: usize = if cfg!(all(target_arch = "wasm32", target_feature = "simd128")) {
    2
} else {
    1
};
const ROWS: usize = 2 * REGS;

/// Column lengths for [`bsm_scan`] did not match.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("column {column} has length {len}, expected {expected}")]
pub struct ScanLengthError {
    /// The column's name.
    pub column: &'static str,
    /// Its length.
    pub len: usize,
    /// The length of `kinds`.
    pub expected: usize,
}

/// BSM price and Greeks for every row (`kinds`: 1 call, 0 put), two rows per step. Outputs are
/// `[price, delta, gamma, vega, theta, rho]` columns.
///
/// # Errors
/// [`ScanLengthError`] if a column's length differs from `kinds.len()`; nothing is written then.
#[allow(clippy::too_many_arguments)]
pub fn bsm_scan(
    kinds: &[u8],
    s: &[f64],
    k: &[f64],
    r: &[f64],
    q: &[f64],
    t: &[f64],
    vol: &[f64],
    out: [&mut [f64]; 6],
) -> Result<(), ScanLengthError> {
    let n = kinds.len();
    let lens = [
        ("spot", s.len()),
        ("strike", k.len()),
        ("rate", r.len()),
        ("div", q.len()),
        ("time", t.len()),
        ("vol", vol.len()),
        ("price", out[0].len()),
        ("delta", out[1].len()),
        ("gamma", out[2].len()),
        ("vega", out[3].len()),
        ("theta", out[4].len()),
        ("rho", out[5].len()),
    ];
    if let Some(&(column, len)) = lens.iter().find(|(_, len)| *len != n) {
        return Err(ScanLengthError {
            column,
            len,
            expected: n,
        });
    }
    if n == 0 {
        return Ok(());
    }
    let [o_price, o_delta, o_gamma, o_vega, o_theta, o_rho] = out;
    let sign_of = |c: u8| if c != 0 { 1.0 } else { -1.0 };
    let mut i = 0;
    while i < n {
        // Rows past the end of the batch repeat the last row; their results are written to it again.
        let row = |l: usize| (i + l).min(n - 1);
        let load = |c: &[f64]| {
            Wide::<REGS>(std::array::from_fn(|g| {
                F64x2::new(c[row(2 * g)], c[row(2 * g + 1)])
            }))
        };
        let signs = Wide::<REGS>(std::array::from_fn(|g| {
            F64x2::new(sign_of(kinds[row(2 * g)]), sign_of(kinds[row(2 * g + 1)]))
        }));
        let res = block(signs, load(s), load(k), load(r), load(q), load(t), load(vol));
        for (col, v) in [
            &mut *o_price,
            &mut *o_delta,
            &mut *o_gamma,
            &mut *o_vega,
            &mut *o_theta,
            &mut *o_rho,
        ]
        .into_iter()
        .zip(res)
        {
            for (g, pair) in v.0.iter().enumerate() {
                let [a, b] = pair.lanes();
                col[row(2 * g)] = a;
                col[row(2 * g + 1)] = b;
            }
        }
        i += ROWS;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::options::european::bsm;
    use crate::options::types::OptionType;
    use crate::synth::SplitMix64;

    #[test]
    fn agrees_with_the_scalar_model_across_a_wide_grid() {
        let mut rng = SplitMix64::new(7);
        let n = 20_001;
        let mut cols: Vec<Vec<f64>> = (0..6).map(|_| Vec::with_capacity(n)).collect();
        let mut kinds = Vec::with_capacity(n);
        for _ in 0..n {
            let s = 100.0 * (0.2 + 4.0 * rng.unit());
            cols[0].push(s);
            cols[1].push(100.0 * (0.2 + 4.0 * rng.unit()));
            cols[2].push(-0.02 + 0.15 * rng.unit());
            cols[3].push(-0.02 + 0.1 * rng.unit());
            cols[4].push(0.002 + 5.0 * rng.unit());
            cols[5].push(0.01 + 1.5 * rng.unit());
            kinds.push(u8::from(rng.unit() < 0.5));
        }
        let mut out = vec![vec![0.0; n]; 6];
        let [a, b, c, d, e, f] = &mut out[..] else {
            unreachable!()
        };
        bsm_scan(
            &kinds,
            &cols[0],
            &cols[1],
            &cols[2],
            &cols[3],
            &cols[4],
            &cols[5],
            [a, b, c, d, e, f],
        )
        .unwrap();
        let mut worst = [0.0f64; 6];
        for i in 0..n {
            let kind = if kinds[i] == 1 {
                OptionType::Call
            } else {
                OptionType::Put
            };
            let g = bsm(
                kind, cols[0][i], cols[1][i], cols[2][i], cols[3][i], cols[4][i], cols[5][i],
            );
            let scale = cols[0][i].max(cols[1][i]);
            let want = [g.price, g.delta, g.gamma, g.vega, g.theta, g.rho];
            // Errors relative to the natural size of each output: S·K scale for money, 1 for delta.
            let sizes = [scale, 1.0, 1.0 / scale, scale, scale, scale];
            for m in 0..6 {
                let err = (out[m][i] - want[m]).abs() / sizes[m];
                worst[m] = worst[m].max(err);
            }
        }
        for (m, w) in worst.iter().enumerate() {
            assert!(*w < 1e-13, "output {m}: worst scaled error {w:e}");
        }
    }

    #[test]
    fn invalid_rows_are_nan_and_leave_their_neighbours_alone() {
        let kinds = [1, 0, 1];
        let s = [100.0, -1.0, 100.0];
        let k = [100.0; 3];
        let r = [0.05; 3];
        let q = [0.0; 3];
        let t = [1.0, 1.0, f64::INFINITY];
        let vol = [0.2; 3];
        let mut out = vec![vec![0.0; 3]; 6];
        let [a, b, c, d, e, f] = &mut out[..] else {
            unreachable!()
        };
        bsm_scan(&kinds, &s, &k, &r, &q, &t, &vol, [a, b, c, d, e, f]).unwrap();
        assert!((out[0][0] - 10.450_583_572_185_565).abs() < 1e-12);
        for col in &out {
            assert!(col[1].is_nan() && col[2].is_nan());
        }
    }

    #[test]
    fn rejects_mismatched_columns() {
        let mut out = vec![vec![0.0; 1]; 6];
        let [a, b, c, d, e, f] = &mut out[..] else {
            unreachable!()
        };
        let err = bsm_scan(
            &[1, 1],
            &[1.0; 2],
            &[1.0; 2],
            &[0.0; 2],
            &[0.0; 2],
            &[1.0; 2],
            &[0.2; 2],
            [a, b, c, d, e, f],
        )
        .unwrap_err();
        assert_eq!(err.column, "price");
    }
}
