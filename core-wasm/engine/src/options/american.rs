//! Closed-form approximations to American options under generalised BSM with cost of carry `b = r − q`.
//!
//! - Barone-Adesi & Whaley (1987), "Efficient analytic approximation of American option values", J. Finance
//!   42(2) 301–320: the early-exercise premium solves a quadratic ODE; the critical price follows by Newton's
//!   method from the seed of Haug (2007) §3.1.1.
//! - Bjerksund & Stensland (1993, 2002): see [`super::bjerksund_stensland`].
//!
//! Where early exercise cannot add value ([`early_exercise_possible`]) every approximation returns the
//! European price. The functions return NaN outside their domain (BAW needs `r > 0` once early exercise
//! matters); [`super::price_greeks`] then prices on the tree instead.
//! Inputs are assumed validated (`s, k, t, vol > 0`, all finite).

pub use super::bjerksund_stensland::{bjs1993, bjs2002};
use super::european::generalized_bsm;
use super::normal::{norm_cdf, norm_pdf};
use super::types::OptionType;

pub(crate) fn european(kind: OptionType, s: f64, k: f64, r: f64, b: f64, t: f64, vol: f64) -> f64 {
    generalized_bsm(kind, s, k, r, b, t, vol).0.price
}

/// Whether early exercise can be worth anything. A call's European value is at least
/// `S e^{−qT} − K e^{−rT}`, which is `≥ S − K` when `q ≤ 0 ≤ r`; a put's is at least `K e^{−rT} − S e^{−qT}`,
/// `≥ K − S` when `r ≤ 0 ≤ q` (Merton 1973). Outside those cases the American option can be worth more.
#[must_use]
pub fn early_exercise_possible(kind: OptionType, r: f64, b: f64) -> bool {
    let q = r - b;
    match kind {
        OptionType::Call => q > 0.0 || r < 0.0,
        OptionType::Put => r > 0.0 || q < 0.0,
    }
}

/// Barone-Adesi–Whaley (1987) American price; NaN when `r ≤ 0` and early exercise has value (the
/// approximation's `K = 1 − e^{−rT}` must be positive).
#[must_use]
pub fn baw(kind: OptionType, s: f64, k: f64, r: f64, b: f64, t: f64, vol: f64) -> f64 {
    let euro = european(kind, s, k, r, b, t, vol);
    if !early_exercise_possible(kind, r, b) {
        return euro;
    }
    if r <= 0.0 {
        return f64::NAN;
    }
    let v2 = vol * vol;
    let n = 2.0 * b / v2;
    let m = 2.0 * r / v2;
    let big_k = 1.0 - (-r * t).exp();
    let root = ((n - 1.0) * (n - 1.0) + 4.0 * m / big_k).sqrt();
    let theta_sign = kind.sign();
    let q = 0.5 * (-(n - 1.0) + theta_sign * root);
    let s_star = baw_critical_price(kind, k, r, b, t, vol);
    let carry_df = ((b - r) * t).exp();
    let d1 = ((s_star / k).ln() + (b + 0.5 * v2) * t) / (vol * t.sqrt());
    let a = theta_sign * (s_star / q) * (1.0 - carry_df * norm_cdf(theta_sign * d1));
    let exercise_now = if kind.is_call() { s >= s_star } else { s <= s_star };
    if exercise_now {
        kind.intrinsic(s, k)
    } else {
        euro + a * (s / s_star).powf(q)
    }
}

/// The BAW critical price: the spot beyond which immediate exercise is optimal.
fn baw_critical_price(kind: OptionType, k: f64, r: f64, b: f64, t: f64, vol: f64) -> f64 {
    let theta_sign = kind.sign();
    let v2 = vol * vol;
    let vol_sqrt_t = vol * t.sqrt();
    let n = 2.0 * b / v2;
    let m = 2.0 * r / v2;
    // Seed (Haug 2007 §3.1.1): the perpetual boundary, pulled towards K for short maturities.
    let q_inf = 0.5 * (-(n - 1.0) + theta_sign * ((n - 1.0) * (n - 1.0) + 4.0 * m).sqrt());
    let s_inf = k / (1.0 - 1.0 / q_inf);
    let mut si = if kind.is_call() {
        let h2 = -(b * t + 2.0 * vol_sqrt_t) * k / (s_inf - k);
        k + (s_inf - k) * (1.0 - h2.exp())
    } else {
        let h1 = (b * t - 2.0 * vol_sqrt_t) * k / (k - s_inf);
        s_inf + (k - s_inf) * h1.exp()
    };
    let big_k = 1.0 - (-r * t).exp();
    let q = 0.5 * (-(n - 1.0) + theta_sign * ((n - 1.0) * (n - 1.0) + 4.0 * m / big_k).sqrt());
    let carry_df = ((b - r) * t).exp();
    // Newton on g(S) = θ(S − K) − [V_E(S) + θ(1 − e^{(b−r)T}N(θd₁))S/q] (Barone-Adesi & Whaley 1987, eq. 25).
    for _ in 0..200 {
        let d1 = ((si / k).ln() + (b + 0.5 * v2) * t) / vol_sqrt_t;
        let cdf = norm_cdf(theta_sign * d1);
        let rhs = european(kind, si, k, r, b, t, vol) + theta_sign * (1.0 - carry_df * cdf) * si / q;
        let lhs = theta_sign * (si - k);
        // Slope of the right-hand side in S.
        let slope = theta_sign * carry_df * cdf * (1.0 - 1.0 / q)
            + theta_sign * (1.0 - theta_sign * carry_df * norm_pdf(d1) / vol_sqrt_t) / q;
        let next = if kind.is_call() {
            (k + rhs - slope * si) / (1.0 - slope)
        } else {
            (k - rhs + slope * si) / (1.0 + slope)
        };
        if !next.is_finite() || next <= 0.0 {
            break;
        }
        let done = (lhs - rhs).abs() / k < 1e-12 || (next - si).abs() < 1e-13 * k;
        si = next;
        if done {
            break;
        }
    }
    si
}
