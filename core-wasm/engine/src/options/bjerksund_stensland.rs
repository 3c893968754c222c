//! Bjerksund & Stensland's closed-form American approximations under generalised BSM with carry `b`.
//!
//! - Bjerksund & Stensland (1993), "Closed-form approximation of American options", Scand. J. Management
//!   9, 87–99: exercise at a flat trigger `I`, priced with the functions φ (Haug 2007 §3.1.2).
//! - Bjerksund & Stensland (2002), "Closed form valuation of American options", NHH working paper: the
//!   trigger is flat on `[0, t₁]` and `[t₁, T]`, `t₁ = ½(√5 − 1)T`, adding ψ terms with bivariate normals
//!   (Haug 2007 §3.1.3).
//!
//! Both price a feasible exercise policy, so both are lower bounds on the American value. Puts use the
//! put–call transformation `P(S, K, T, r, b, σ) = C(K, S, T, r − b, −b, σ)` (Bjerksund & Stensland 1993).
//! The approximations need `β > 1` (real; only a negative rate breaks this) and a trigger heuristic that
//! stays above `B₀` (it fails at small volatility with strongly negative carry); otherwise they return NaN.
//! Inputs are assumed validated (`s, k, t, vol > 0`, all finite).

use super::american::{early_exercise_possible, european};
use super::bivariate::bivariate_normal_cdf;
use super::normal::log_norm_cdf;
use super::types::OptionType;

/// `e^{ln_scale}·φ(S, T, γ, H, I)` of Bjerksund & Stensland (1993, 2002; Haug 2007 §3.1.2):
/// `φ = e^{λ} S^γ [N(d) − (I/S)^κ N(d − 2 ln(I/S)/(σ√T))]`, `λ = (−r + γb + ½γ(γ−1)σ²)T`,
/// `d = −(ln(S/H) + (b + (γ−½)σ²)T)/(σ√T)`, `κ = 2b/σ² + 2γ − 1`.
///
/// Each product is formed as one exponential of a sum of logarithms (`ln N` via [`log_norm_cdf`]). At small
/// volatility `γ = β` runs into the thousands, so `S^β`, `I^{−β}` and `e^{λ}` over- or underflow separately
/// while their product is moderate; `ln_scale` carries the caller's `I^{−β}` into the same exponent.
#[allow(clippy::too_many_arguments)]
fn phi(s: f64, t: f64, gamma: f64, h: f64, i: f64, r: f64, b: f64, vol: f64, ln_scale: f64) -> f64 {
    let v2 = vol * vol;
    let vol_sqrt_t = vol * t.sqrt();
    let ln_prefactor = (-r + gamma * b + 0.5 * gamma * (gamma - 1.0) * v2) * t + gamma * s.ln() + ln_scale;
    let d = -((s / h).ln() + (b + (gamma - 0.5) * v2) * t) / vol_sqrt_t;
    let kappa = 2.0 * b / v2 + (2.0 * gamma - 1.0);
    let ln_i_over_s = (i / s).ln();
    (ln_prefactor + log_norm_cdf(d)).exp()
        - (ln_prefactor + kappa * ln_i_over_s + log_norm_cdf(d - 2.0 * ln_i_over_s / vol_sqrt_t)).exp()
}

/// β, B∞ and B₀ shared by both Bjerksund–Stensland approximations. β is NaN when `2r/σ² < −(b/σ² − ½)²`
/// (possible only with a negative rate): the perpetual boundary then does not exist.
fn bjs_beta_bounds(k: f64, r: f64, b: f64, vol: f64) -> (f64, f64, f64) {
    let v2 = vol * vol;
    let beta = (0.5 - b / v2) + ((b / v2 - 0.5) * (b / v2 - 0.5) + 2.0 * r / v2).sqrt();
    let b_inf = beta / (beta - 1.0) * k;
    let b_zero = if r - b > 0.0 { k.max(r / (r - b) * k) } else { k };
    (beta, b_inf, b_zero)
}

/// The trigger `I(τ) = B₀ + (B∞ − B₀)(1 − e^{h(τ)})`, `h(τ) = −(bτ + 2σ√τ)·B₀/(B∞ − B₀)` in the 1993 paper
/// and `h(τ) = −(bτ + 2σ√τ)·K²/((B∞ − B₀)B₀)` in the 2002 paper.
///
/// NaN when `h > 0`: when negative carry outweighs `2σ√τ` (small volatility) the heuristic would put the
/// trigger below `B₀`, even below the strike, and no longer describes a sensible exercise policy (a cap at
/// `I = B₀` still gives a lower bound, but one that can miss most of the early-exercise premium).
fn trigger(tau: f64, b: f64, vol: f64, b_inf: f64, b_zero: f64, scale: f64) -> f64 {
    let h = -(b * tau + 2.0 * vol * tau.sqrt()) * scale;
    if h > 0.0 {
        return f64::NAN;
    }
    b_zero + (b_inf - b_zero) * (1.0 - h.exp())
}

/// `(β, B∞, B₀)` when the approximation applies (β real and above 1, so `B∞` is a finite trigger).
fn applicable_bounds(k: f64, r: f64, b: f64, vol: f64) -> Option<(f64, f64, f64)> {
    let (beta, b_inf, b_zero) = bjs_beta_bounds(k, r, b, vol);
    (beta > 1.0 && b_inf.is_finite() && b_inf >= b_zero).then_some((beta, b_inf, b_zero))
}

fn bjs1993_call(s: f64, k: f64, r: f64, b: f64, t: f64, vol: f64) -> f64 {
    if !early_exercise_possible(OptionType::Call, r, b) {
        return european(OptionType::Call, s, k, r, b, t, vol);
    }
    let Some((beta, b_inf, b_zero)) = applicable_bounds(k, r, b, vol) else {
        return f64::NAN;
    };
    let i = trigger(t, b, vol, b_inf, b_zero, b_zero / (b_inf - b_zero));
    if i.is_nan() {
        return f64::NAN;
    }
    if s >= i {
        return s - k;
    }
    // α = (I − K)I^{−β}; α·S^β and α·φ(β) are formed in log space.
    let ln_alpha_scale = -beta * i.ln();
    let p = |gamma: f64, h: f64, scale: f64| phi(s, t, gamma, h, i, r, b, vol, scale);
    (i - k) * ((s / i).ln() * beta).exp() - (i - k) * p(beta, i, ln_alpha_scale) + p(1.0, i, 0.0)
        - p(1.0, k, 0.0)
        - k * p(0.0, i, 0.0)
        + k * p(0.0, k, 0.0)
}

/// Bjerksund–Stensland (1993) American price; NaN where the approximation does not apply.
#[must_use]
pub fn bjs1993(kind: OptionType, s: f64, k: f64, r: f64, b: f64, t: f64, vol: f64) -> f64 {
    match kind {
        OptionType::Call => bjs1993_call(s, k, r, b, t, vol),
        OptionType::Put => bjs1993_call(k, s, r - b, -b, t, vol),
    }
}

/// `e^{ln_scale}·ψ(S, T, γ, H, I₂, I₁, t₁)` of Bjerksund & Stensland (2002), with `ρ = √(t₁/T)`:
/// `ψ = e^{λT} S^γ [M(−e₁, −f₁; ρ) − (I₂/S)^κ M(−e₂, −f₂; ρ) − (I₁/S)^κ M(−e₃, −f₃; −ρ)
/// + (I₁/I₂)^κ M(−e₄, −f₄; −ρ)]`, each product again one exponential of summed logarithms.
#[allow(clippy::too_many_arguments)]
fn psi(
    s: f64,
    t: f64,
    gamma: f64,
    h: f64,
    i2: f64,
    i1: f64,
    t1: f64,
    r: f64,
    b: f64,
    vol: f64,
    ln_scale: f64,
) -> f64 {
    let v2 = vol * vol;
    let drift = b + (gamma - 0.5) * v2;
    let (sd1, sd) = (vol * t1.sqrt(), vol * t.sqrt());
    let e1 = ((s / i1).ln() + drift * t1) / sd1;
    let e2 = ((i2 * i2 / (s * i1)).ln() + drift * t1) / sd1;
    let e3 = ((s / i1).ln() - drift * t1) / sd1;
    let e4 = ((i2 * i2 / (s * i1)).ln() - drift * t1) / sd1;
    let f1 = ((s / h).ln() + drift * t) / sd;
    let f2 = ((i2 * i2 / (s * h)).ln() + drift * t) / sd;
    let f3 = ((i1 * i1 / (s * h)).ln() + drift * t) / sd;
    let f4 = ((s * i1 * i1 / (h * i2 * i2)).ln() + drift * t) / sd;
    let rho = (t1 / t).sqrt();
    let lambda = -r + gamma * b + 0.5 * gamma * (gamma - 1.0) * v2;
    let kappa = 2.0 * b / v2 + (2.0 * gamma - 1.0);
    let ln_prefactor = lambda * t + gamma * s.ln() + ln_scale;
    let term = |ln_ratio: f64, a: f64, c: f64, rho: f64| {
        (ln_prefactor + kappa * ln_ratio + bivariate_normal_cdf(a, c, rho).ln()).exp()
    };
    term(0.0, -e1, -f1, rho) - term((i2 / s).ln(), -e2, -f2, rho) - term((i1 / s).ln(), -e3, -f3, -rho)
        + term((i1 / i2).ln(), -e4, -f4, -rho)
}

fn bjs2002_call(s: f64, k: f64, r: f64, b: f64, t: f64, vol: f64) -> f64 {
    if !early_exercise_possible(OptionType::Call, r, b) {
        return european(OptionType::Call, s, k, r, b, t, vol);
    }
    let Some((beta, b_inf, b_zero)) = applicable_bounds(k, r, b, vol) else {
        return f64::NAN;
    };
    let t1 = 0.5 * (5.0_f64.sqrt() - 1.0) * t;
    let scale = k * k / ((b_inf - b_zero) * b_zero);
    let i1 = trigger(t1, b, vol, b_inf, b_zero, scale);
    let i2 = trigger(t, b, vol, b_inf, b_zero, scale);
    if i1.is_nan() || i2.is_nan() {
        return f64::NAN;
    }
    if s >= i2 {
        return s - k;
    }
    // α₁ = (I₁ − K)I₁^{−β}, α₂ = (I₂ − K)I₂^{−β}, carried as log scales.
    let (ln_a1, ln_a2) = (-beta * i1.ln(), -beta * i2.ln());
    let (c1, c2) = (i1 - k, i2 - k);
    let p = |gamma: f64, h: f64, i: f64, scale: f64| phi(s, t1, gamma, h, i, r, b, vol, scale);
    let q = |gamma: f64, h: f64, scale: f64| psi(s, t, gamma, h, i2, i1, t1, r, b, vol, scale);
    c2 * ((s / i2).ln() * beta).exp() - c2 * p(beta, i2, i2, ln_a2) + p(1.0, i2, i2, 0.0)
        - p(1.0, i1, i2, 0.0)
        - k * p(0.0, i2, i2, 0.0)
        + k * p(0.0, i1, i2, 0.0)
        + c1 * p(beta, i1, i2, ln_a1)
        - c1 * q(beta, i1, ln_a1)
        + q(1.0, i1, 0.0)
        - q(1.0, k, 0.0)
        - k * q(0.0, i1, 0.0)
        + k * q(0.0, k, 0.0)
}

/// Bjerksund–Stensland (2002) American price; NaN where the approximation does not apply.
#[must_use]
pub fn bjs2002(kind: OptionType, s: f64, k: f64, r: f64, b: f64, t: f64, vol: f64) -> f64 {
    match kind {
        OptionType::Call => bjs2002_call(s, k, r, b, t, vol),
        OptionType::Put => bjs2002_call(k, s, r - b, -b, t, vol),
    }
}
