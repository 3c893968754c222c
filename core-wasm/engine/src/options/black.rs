//! The undiscounted Black (1976) formula and its normalised form, evaluated to full relative accuracy.
//!
//! With forward `F`, strike `K`, `x = ln(F/K)`, total standard deviation `s = σ√T`, `h = x/s` and `t = s/2`,
//! Jäckel ("Let's Be Rational", Wilmott 2015, §2) writes the undiscounted Black price as `√(FK)·b(x, s)` with
//! the normalised call `b(x, s) = e^{x/2}Φ(h+t) − e^{−x/2}Φ(h−t)`. An in-the-money price is its intrinsic
//! value plus the out-of-the-money price at `−|x|`, so only `x ≤ 0` is ever evaluated, in four regions:
//!
//! 1. `h < −10` with `t` not much larger than `|h| − 10`: the asymptotic expansion of the Mills ratio,
//!    `b = φ-factor · (t/r) · Σ_k 2(−1)^k (2k−1)!! q^k P_k(e)` with `r = h² − t²`, `q = (h/r)²`, `e = (t/h)²`
//!    and `P_k(e) = Σ_m C(2k+1, 2m+1) e^m` (derived from `Φ(z) ≈ φ(z)/|z| Σ (−1)^k (2k−1)!!/z^{2k}`).
//! 2. `t < 2·ε^{1/16}`: the Taylor series in `t` of `½e^{−(h²+t²)/2}[erfcx(a−δ) − erfcx(a+δ)]` around
//!    `a = −h/√2`, `δ = t/√2`, with the derivatives of `erfcx` from `Y⁽ⁿ⁺¹⁾ = 2aY⁽ⁿ⁾ + 2nY⁽ⁿ⁻¹⁾`.
//! 3. `h + t > 0.85`: the plain formula; the first term dominates and nothing cancels.
//! 4. otherwise: `½e^{−(h²+t²)/2}[erfcx(−(h+t)/√2) − erfcx(−(h−t)/√2)]` (Cody's `erfcx`).

use super::normal::{erfcx, norm_cdf, ONE_OVER_SQRT_TWO, ONE_OVER_SQRT_TWO_PI};

/// Below this `h = x/s` the asymptotic expansion (region 1) is accurate to machine precision.
const ASYMPTOTIC_EXPANSION_THRESHOLD: f64 = -10.0;
/// `2·ε^{1/16}`: below this `t = s/2` the small-`t` series (region 2) converges to machine precision.
pub(crate) const SMALL_T_THRESHOLD: f64 = 2.0 * 0.105_112_051_906_714_33;
const TWO_OVER_SQRT_PI: f64 = std::f64::consts::FRAC_2_SQRT_PI;

/// The normalised intrinsic value of a call, `max(e^{x/2} − e^{−x/2}, 0) = max(2 sinh(x/2), 0)`.
#[inline]
#[must_use]
pub fn normalised_intrinsic_call(x: f64) -> f64 {
    if x <= 0.0 {
        0.0
    } else {
        2.0 * (0.5 * x).sinh()
    }
}

/// The normalised Black call `b(x, s)` for any `x`; puts follow from `b_put(x, s) = b_call(−x, s)`.
#[must_use]
pub fn normalised_black_call(x: f64, s: f64) -> f64 {
    normalised_intrinsic_call(x) + normalised_otm_call(-x.abs(), s)
}

/// The normalised Black call for `x ≤ 0` (out of the money or at the money).
pub(crate) fn normalised_otm_call(x: f64, s: f64) -> f64 {
    if s <= 0.0 || x.is_nan() || s.is_nan() {
        return 0.0;
    }
    let t = 0.5 * s;
    let b = if x < s * ASYMPTOTIC_EXPANSION_THRESHOLD
        && 0.5 * s * s + x < s * (SMALL_T_THRESHOLD + ASYMPTOTIC_EXPANSION_THRESHOLD)
    {
        asymptotic_expansion(x / s, t)
    } else if t < SMALL_T_THRESHOLD {
        small_t_expansion(x / s, t)
    } else if x + 0.5 * s * s > s * 0.85 {
        let b_max = (0.5 * x).exp();
        norm_cdf(x / s + t) * b_max - norm_cdf(x / s - t) / b_max
    } else {
        let h = x / s;
        0.5 * (-0.5 * (h * h + t * t)).exp()
            * (erfcx(-ONE_OVER_SQRT_TWO * (h + t)) - erfcx(-ONE_OVER_SQRT_TWO * (h - t)))
    };
    b.max(0.0)
}

/// Region 1: the asymptotic expansion for large negative `h`, to 12th order (Jäckel 2015, eq. 2.12 ff.).
fn asymptotic_expansion(h: f64, t: f64) -> f64 {
    let e = (t / h) * (t / h);
    let r = (h + t) * (h - t);
    let q = (h / r) * (h / r);
    let mut sum = 0.0;
    let mut q_pow = 1.0; // (−1)^k (2k−1)!! q^k
    for k in 0..=12_u32 {
        let n = f64::from(2 * k + 1);
        // P_k(e) = Σ_m C(n, 2m+1) e^m by Horner from the top coefficient C(n, n) = 1.
        let mut coeff = 1.0; // C(n, 2m+1) for m = k, walking down
        let mut p = 0.0;
        for m in (0..=k).rev() {
            p = p * e + coeff;
            if m > 0 {
                // C(n, j−2) from C(n, j), j = 2m+1.
                let j = f64::from(2 * m + 1);
                coeff *= j * (j - 1.0) / ((n - j + 2.0) * (n - j + 1.0));
            }
        }
        sum += 2.0 * q_pow * p;
        q_pow *= -n * q;
    }
    ONE_OVER_SQRT_TWO_PI * (-0.5 * (h * h + t * t)).exp() * (t / r) * sum
}

/// Region 2: the Taylor series in `t` for small total deviation.
fn small_t_expansion(h: f64, t: f64) -> f64 {
    let a = -ONE_OVER_SQRT_TWO * h;
    let delta = ONE_OVER_SQRT_TWO * t;
    let d2 = delta * delta;
    // y[0] = Y, y[1] = Y', …: derivatives of erfcx at a.
    let mut y_prev = erfcx(a);
    let mut y = 2.0 * a * y_prev - TWO_OVER_SQRT_PI;
    let mut term = delta; // δ^n / n!
    let mut sum = y * term;
    let mut n = 1.0;
    while n < 17.0 {
        // Two steps of the recurrence to reach the next odd derivative.
        let y2 = 2.0 * a * y + 2.0 * n * y_prev;
        let y3 = 2.0 * a * y2 + 2.0 * (n + 1.0) * y;
        y_prev = y2;
        y = y3;
        term *= d2 / ((n + 1.0) * (n + 2.0));
        n += 2.0;
        sum += y * term;
    }
    // b = ½e^{−(h²+t²)/2}·(−2·sum).
    -(-0.5 * (h * h + t * t)).exp() * sum
}

/// `∂b/∂s`, the normalised vega: `φ(h)·e^{−t²/2}/…` written as `exp(−½(h² + t²))/√(2π)`.
#[must_use]
pub fn normalised_vega(x: f64, s: f64) -> f64 {
    let ax = x.abs();
    if ax <= 0.0 {
        ONE_OVER_SQRT_TWO_PI * (-0.125 * s * s).exp()
    } else if s <= 0.0 {
        0.0
    } else {
        let h = x / s;
        ONE_OVER_SQRT_TWO_PI * (-0.5 * (h * h + 0.25 * s * s)).exp()
    }
}

/// `ln(F/K)`, from the ratio (exact when `F ≈ K`) unless the ratio over- or underflows.
#[inline]
pub(crate) fn log_moneyness(f: f64, k: f64) -> f64 {
    let ratio = f / k;
    if ratio.is_finite() && ratio > 0.0 {
        ratio.ln()
    } else {
        f.ln() - k.ln()
    }
}

fn valid_black_inputs(f: f64, k: f64, sigma: f64, t: f64) -> bool {
    f.is_finite()
        && k.is_finite()
        && sigma.is_finite()
        && t.is_finite()
        && f >= 0.0
        && k >= 0.0
        && sigma >= 0.0
        && t >= 0.0
}

/// The undiscounted Black (1976) price of a European option on a forward `f` struck at `k`.
///
/// Accurate to a few ulps relative to the out-of-the-money part of the price, including far in the wings.
/// Returns NaN when an input is NaN, infinite or negative; the intrinsic value when `sigma` or `t` is zero.
#[must_use]
pub fn black_price(f: f64, k: f64, sigma: f64, t: f64, is_call: bool) -> f64 {
    if !valid_black_inputs(f, k, sigma, t) {
        return f64::NAN;
    }
    let intrinsic = if is_call {
        (f - k).max(0.0)
    } else {
        (k - f).max(0.0)
    };
    if sigma == 0.0 || t == 0.0 || f == 0.0 || k == 0.0 {
        return intrinsic;
    }
    let x = log_moneyness(f, k);
    let s = sigma * t.sqrt();
    intrinsic + f.sqrt() * k.sqrt() * normalised_otm_call(-x.abs(), s)
}

/// The undiscounted Black vega `∂price/∂σ` per 1.00 of volatility: `√(FK)·√T·φ-factor = F·φ(d₁)·√T`.
///
/// The same for calls and puts. Returns NaN on invalid inputs, 0 when `t`, `f` or `k` is zero.
#[must_use]
pub fn black_vega(f: f64, k: f64, sigma: f64, t: f64) -> f64 {
    if !valid_black_inputs(f, k, sigma, t) {
        return f64::NAN;
    }
    if t == 0.0 || f == 0.0 || k == 0.0 {
        return 0.0;
    }
    let sqrt_t = t.sqrt();
    f.sqrt() * k.sqrt() * sqrt_t * normalised_vega(log_moneyness(f, k), sigma * sqrt_t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regions_agree_at_their_borders() {
        // Each region's formula against its neighbour just across the border, allowing for the slope.
        for &(x, s) in &[
            (-0.5, 2.0 * SMALL_T_THRESHOLD),
            (-3.0, 2.0 * SMALL_T_THRESHOLD),
            (-20.0, 1.9),
            (-0.1, 1.9),
        ] {
            let (lo, hi) = (s * (1.0 - 1e-9), s * (1.0 + 1e-9));
            let (a, b) = (normalised_otm_call(x, lo), normalised_otm_call(x, hi));
            let predicted = a + normalised_vega(x, s) * (hi - lo);
            assert!((b / predicted - 1.0).abs() < 1e-12, "x={x} s={s}: {a} vs {b}");
        }
    }

    #[test]
    fn put_call_parity_undiscounted() {
        for &(f, k) in &[(100.0, 80.0), (100.0, 100.0), (100.0, 130.0)] {
            let c = black_price(f, k, 0.3, 1.5, true);
            let p = black_price(f, k, 0.3, 1.5, false);
            assert!((c - p - (f - k)).abs() < 1e-12);
        }
    }
}
