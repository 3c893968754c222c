//! Implied Black volatility by P. Jäckel, "Let's Be Rational", Wilmott (2015) 40–53.
//!
//! The price is reduced to the normalised out-of-the-money call `β = b(x, s)` with `x = −|ln(F/K)| ≤ 0`
//! (in-the-money prices lose their intrinsic value first; puts map to calls by `b_put(x) = b_call(−x)`).
//! Over `β ∈ (0, b_max = e^{x/2})` the inverse `s(β)` is split at three points: the inflexion point
//! `s_c = √(2|x|)` and the tangent intercepts `s_l = s_c − b_c/v_c`, `s_h = s_c + (b_max − b_c)/v_c`.
//! On each of the four branches a rational cubic (Delbourgo & Gregory 1985) interpolates a transformed
//! inverse that is nearly linear there: in the lowest branch `f_l(β)` built on `Φ(−|x|/(√3 s))³`, in the
//! two middle branches `s(β)` itself, in the highest branch `f_u(β) = Φ(−s/2)`. The control parameter is
//! chosen to match the second derivative at the outer end while keeping the cubic convex (paper §3–4).
//! Householder's third-order method then polishes the guess, on objective functions chosen per branch so
//! that the iteration is well scaled: `1/ln b − 1/ln β` (lowest), `b − β` (middle), `ln((b_max − β)/(b_max
//! − b))` (highest). Two iterations reach machine precision (paper §5). Every evaluation also narrows a
//! bracket on `s`; where the two steps have not settled — subnormal prices, extreme wings — the iteration
//! continues with bisection safeguards until the answer is verified (see `householder`), so the solver
//! returns either a volatility that reproduces the price or a typed [`IvError`], never an unchecked guess.

use super::black::{log_moneyness, normalised_otm_call, normalised_vega};
use super::error::IvError;
use super::normal::{inverse_norm_cdf, norm_cdf, norm_pdf};
use super::rational_cubic::{convex_control_left, convex_control_right, rational_cubic};

const EPS: f64 = f64::EPSILON;
const TINY: f64 = f64::MIN_POSITIVE;
const SQRT_THREE: f64 = 1.732_050_807_568_877_2;
const ONE_OVER_SQRT_THREE: f64 = 0.577_350_269_189_625_8;
const TWO_PI_OVER_SQRT_27: f64 = 1.209_199_576_156_145_2;
const PI_OVER_SIX: f64 = std::f64::consts::FRAC_PI_6;
const SQRT_PI_OVER_TWO: f64 = 1.253_314_137_315_500_3;
const TWO_PI: f64 = std::f64::consts::TAU;

/// Implied volatility of an undiscounted Black price.
///
/// # Errors
/// [`IvError::InvalidInput`] for a NaN/infinite argument, a non-positive forward or strike or a negative
/// time; [`IvError::ZeroTime`] for `t == 0`; [`IvError::BelowIntrinsic`] when `price` does not exceed the
/// intrinsic value `max(±(F−K), 0)`; [`IvError::AboveMaximum`] when it reaches `F` (call) or `K` (put).
pub fn implied_black_volatility(price: f64, f: f64, k: f64, t: f64, is_call: bool) -> Result<f64, IvError> {
    for (field, value) in [("price", price), ("forward", f), ("strike", k), ("time", t)] {
        if !value.is_finite() {
            return Err(IvError::InvalidInput { field, value });
        }
    }
    if f <= 0.0 {
        return Err(IvError::InvalidInput {
            field: "forward",
            value: f,
        });
    }
    if k <= 0.0 {
        return Err(IvError::InvalidInput {
            field: "strike",
            value: k,
        });
    }
    if t < 0.0 {
        return Err(IvError::InvalidInput {
            field: "time",
            value: t,
        });
    }
    if t == 0.0 {
        return Err(IvError::ZeroTime);
    }
    let intrinsic = if is_call {
        (f - k).max(0.0)
    } else {
        (k - f).max(0.0)
    };
    let maximum = if is_call { f } else { k };
    if price >= maximum {
        return Err(IvError::AboveMaximum { price, maximum });
    }
    let time_value = price - intrinsic;
    if time_value <= 0.0 {
        return Err(IvError::BelowIntrinsic { price, intrinsic });
    }
    let x = -log_moneyness(f, k).abs();
    let beta = time_value / (f.sqrt() * k.sqrt());
    let s = normalised_implied_volatility(beta, x).map_err(|e| match e {
        Boundary::Below => IvError::BelowIntrinsic { price, intrinsic },
        Boundary::Above => IvError::AboveMaximum { price, maximum },
        Boundary::NoConvergence => IvError::NoConvergence { price },
    })?;
    Ok(s / t.sqrt())
}

/// Why the normalised inversion found no volatility: the price fell outside the attainable range, or
/// (never observed, but checked rather than assumed) the safeguarded iteration did not settle.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Boundary {
    Below,
    Above,
    NoConvergence,
}

/// Solves `b(x, s) = beta` for the total deviation `s`, with `x ≤ 0` and `beta` an out-of-the-money price.
pub(crate) fn normalised_implied_volatility(beta: f64, x: f64) -> Result<f64, Boundary> {
    let b_max = (0.5 * x).exp();
    if beta.is_nan() || beta <= 0.0 {
        return Err(Boundary::Below);
    }
    if beta >= b_max {
        return Err(Boundary::Above);
    }
    let s_c = (2.0 * x.abs()).sqrt();
    let b_c = normalised_otm_call(x, s_c);
    let v_c = normalised_vega(x, s_c);
    let (s0, objective, bracket) = if beta < b_c {
        let s_l = s_c - b_c / v_c;
        let b_l = normalised_otm_call(x, s_l);
        if beta < b_l {
            (
                lowest_branch_guess(beta, x, s_l, b_l),
                Objective::Lowest,
                (0.0, s_l),
            )
        } else {
            let v_l = normalised_vega(x, s_l);
            let r = convex_control_right(b_l, b_c, s_l, s_c, 1.0 / v_l, 1.0 / v_c, 0.0, false);
            let s = rational_cubic(beta, b_l, b_c, s_l, s_c, 1.0 / v_l, 1.0 / v_c, r);
            (s, Objective::Middle, (s_l, s_c))
        }
    } else {
        let s_h = if v_c > TINY {
            s_c + (b_max - b_c) / v_c
        } else {
            s_c
        };
        let b_h = normalised_otm_call(x, s_h);
        if beta <= b_h {
            let v_h = normalised_vega(x, s_h);
            let r = convex_control_left(b_c, b_h, s_c, s_h, 1.0 / v_c, 1.0 / v_h, 0.0, false);
            let s = rational_cubic(beta, b_c, b_h, s_c, s_h, 1.0 / v_c, 1.0 / v_h, r);
            (s, Objective::Middle, (s_c, s_h))
        } else {
            let s = highest_branch_guess(beta, x, s_h, b_h, b_max);
            // Near b_max/2 and below, b − β is the better-scaled objective.
            let objective = if beta > 0.5 * b_max {
                Objective::Highest
            } else {
                Objective::Middle
            };
            (s, objective, (s_h, f64::MAX))
        }
    };
    householder(beta, x, b_max, s0, objective, bracket)
}

fn lowest_branch_guess(beta: f64, x: f64, s_l: f64, b_l: f64) -> f64 {
    let (f_l, fp_l, fpp_l) = lower_map_and_derivatives(x, s_l);
    let r = convex_control_right(0.0, b_l, 0.0, f_l, 1.0, fp_l, fpp_l, true);
    let mut f = rational_cubic(beta, 0.0, b_l, 0.0, f_l, 1.0, fp_l, r);
    if f.is_nan() || f <= 0.0 {
        // Round-off at extreme |x|: quadratic through f(0) = 0, f'(0) = 1 and f(b_l).
        let u = beta / b_l;
        f = (f_l * u + b_l * (1.0 - u)) * u;
    }
    inverse_lower_map(x, f)
}

fn highest_branch_guess(beta: f64, x: f64, s_h: f64, b_h: f64, b_max: f64) -> f64 {
    let (f_h, fp_h, fpp_h) = upper_map_and_derivatives(x, s_h);
    let mut f = -1.0;
    if fpp_h.abs() < f64::MAX.sqrt() {
        let r = convex_control_left(b_h, b_max, f_h, 0.0, fp_h, -0.5, fpp_h, true);
        f = rational_cubic(beta, b_h, b_max, f_h, 0.0, fp_h, -0.5, r);
    }
    if f.is_nan() || f <= 0.0 {
        // Quadratic through f(b_h), f(b_max) = 0 and f'(b_max) = −1/2.
        let h = b_max - b_h;
        let u = (beta - b_h) / h;
        f = (f_h * (1.0 - u) + 0.5 * h * u) * (1.0 - u);
    }
    -2.0 * inverse_norm_cdf(f)
}

/// The lower map `f_l(s) = 2π/√27·|x|·Φ(−z)³`, `z = |x|/(√3 s)`, and its first two derivatives in `β`.
fn lower_map_and_derivatives(x: f64, s: f64) -> (f64, f64, f64) {
    let ax = x.abs();
    let z = ONE_OVER_SQRT_THREE * ax / s;
    let y = z * z;
    let s2 = s * s;
    let phi_cdf = norm_cdf(-z);
    let phi_pdf = norm_pdf(z);
    let fpp = PI_OVER_SIX * y / (s2 * s)
        * phi_cdf
        * (8.0 * SQRT_THREE * s * ax + (3.0 * s2 * (s2 - 8.0) - 8.0 * x * x) * phi_cdf / phi_pdf)
        * (2.0 * y + 0.25 * s2).exp();
    let phi2 = phi_cdf * phi_cdf;
    let fp = TWO_PI * y * phi2 * (y + 0.125 * s2).exp();
    let f = TWO_PI_OVER_SQRT_27 * ax * (phi2 * phi_cdf);
    (f, fp, fpp)
}

fn inverse_lower_map(x: f64, f: f64) -> f64 {
    if f <= 0.0 {
        return 0.0;
    }
    (x / (SQRT_THREE * inverse_norm_cdf((f / (TWO_PI_OVER_SQRT_27 * x.abs())).cbrt()))).abs()
}

/// The upper map `f_u(s) = Φ(−s/2)` and its first two derivatives in `β`.
fn upper_map_and_derivatives(x: f64, s: f64) -> (f64, f64, f64) {
    let f = norm_cdf(-0.5 * s);
    if x == 0.0 {
        return (f, -0.5, 0.0);
    }
    let w = (x / s) * (x / s);
    let fp = -0.5 * (0.5 * w).exp();
    let fpp = SQRT_PI_OVER_TWO * (w + 0.125 * s * s).exp() * w / s;
    (f, fp, fpp)
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Objective {
    Lowest,
    Middle,
    Highest,
}

/// Jäckel's iteration count: from the rational guess, two Householder(3) steps reach machine precision
/// (paper §5).
const HOUSEHOLDER_STEPS: u32 = 2;
/// Cap on the safeguarded continuation that runs only when the two steps have not converged (prices in
/// the subnormal range, or ill-conditioned far wings). Bisection alone crosses the double range in ~70.
const MAX_ITERATIONS: u32 = 128;
/// `√ε`: a Householder(3) step this small leaves an error of order its fourth power, far below ε.
const SQRT_EPS: f64 = 1.490_116_119_384_765_6e-8;

/// Householder(3) on the branch's objective: `s += ν·(1 + ηₕν/2)/(1 + ν(ηₕ + η₃ν/6))` with Newton step ν,
/// Halley ratio ηₕ = g″/g′ and ηₕ₃ = g‴/g′; for `b` itself `b″/b′ = x²/s³ − s/4` and
/// `b‴/b′ = (b″/b′)² − 3x²/s⁴ − 1/4`.
///
/// Every evaluation of `b` tightens a bracket `[lo, hi]` around the root; a step that would leave it, or
/// that cannot be formed (`b` underflowed), is replaced by bisection (geometric when the bracket spans
/// more than a factor of four). Jäckel's two steps end the search in all but extreme cases; otherwise the
/// iteration continues until a Householder step is below `√ε·s`, the bracket closes, or the price is
/// reproduced to a few ulps. If none of that happens within [`MAX_ITERATIONS`] the solver reports
/// non-convergence rather than return an unverified number.
fn householder(
    beta: f64,
    x: f64,
    b_max: f64,
    s0: f64,
    objective: Objective,
    bracket: (f64, f64),
) -> Result<f64, Boundary> {
    let (mut lo, mut hi) = (bracket.0.max(0.0), bracket.1);
    let mut s = if s0 > lo && s0 < hi { s0 } else { bisect(lo, hi) };
    let ln_beta = beta.ln();
    // A residual of a few ulps of β (subnormal ulps included) is as close as the price determines σ.
    let residual_tolerance = 4.0 * EPS * beta.max(TINY);
    for iteration in 1..=MAX_ITERATIONS {
        let b = normalised_otm_call(x, s);
        if b > beta {
            hi = hi.min(s);
        } else if b < beta {
            lo = lo.max(s);
        } else {
            return Ok(s);
        }
        let bp = normalised_vega(x, s);
        let ds = if b <= 0.0 || bp <= TINY {
            None
        } else {
            householder_step(beta, ln_beta, b, bp, x, s, b_max, objective)
        };
        let (next, converging) = match ds {
            Some(ds) if s + ds > lo && s + ds < hi => (s + ds, ds.abs() <= SQRT_EPS * s),
            _ => (bisect(lo, hi), false),
        };
        let step = (next - s).abs();
        s = next;
        if step <= EPS * s || (iteration >= HOUSEHOLDER_STEPS && converging) || hi - lo <= 4.0 * EPS * s {
            return Ok(s);
        }
        if iteration >= HOUSEHOLDER_STEPS && (normalised_otm_call(x, s) - beta).abs() <= residual_tolerance {
            return Ok(s);
        }
    }
    Err(Boundary::NoConvergence)
}

/// The midpoint of `[lo, hi]`, geometric when the bracket spans more than a factor of four.
fn bisect(lo: f64, hi: f64) -> f64 {
    if lo > 0.0 && hi > 4.0 * lo {
        lo.sqrt() * hi.sqrt()
    } else {
        0.5 * lo + 0.5 * hi
    }
}

/// One Householder(3) step on the branch's objective, or `None` if the objective is undefined at `s`.
#[allow(clippy::too_many_arguments)]
fn householder_step(
    beta: f64,
    ln_beta: f64,
    b: f64,
    bp: f64,
    x: f64,
    s: f64,
    b_max: f64,
    objective: Objective,
) -> Option<f64> {
    let halley_b = (x / s) * (x / s) / s - 0.25 * s;
    let hh3_b = halley_b * halley_b - 3.0 * (x / (s * s)) * (x / (s * s)) - 0.25;
    let (newton, halley, hh3) = match objective {
        Objective::Lowest => {
            let ln_b = b.ln();
            let bpob = bp / b;
            let newton = (ln_beta - ln_b) * ln_b / ln_beta / bpob;
            let halley = halley_b - bpob * (1.0 + 2.0 / ln_b);
            let hh3 = hh3_b + 2.0 * bpob * bpob * (1.0 + 3.0 / ln_b * (1.0 + 1.0 / ln_b))
                - 3.0 * halley_b * bpob * (1.0 + 2.0 / ln_b);
            (newton, halley, hh3)
        }
        Objective::Middle => ((beta - b) / bp, halley_b, hh3_b),
        Objective::Highest => {
            let gap = b_max - b;
            if gap <= 0.0 {
                return None;
            }
            let g = ((b_max - beta) / gap).ln();
            let gp = bp / gap;
            (-g / gp, halley_b + gp, hh3_b + gp * (2.0 * gp + 3.0 * halley_b))
        }
    };
    let ds = newton * (1.0 + 0.5 * halley * newton) / (1.0 + newton * (halley + hh3 * newton / 6.0));
    ds.is_finite().then_some(ds.max(-0.5 * s))
}
