//! Implied volatility for every model.
//!
//! - BSM and Black (1976): the price is carried to the forward (`F = S e^{(r−q)T}`, undiscounted price
//!   `V e^{rT}`; a coin-margined premium is first multiplied by `F`) and inverted by Jäckel's "Let's Be
//!   Rational" ([`super::lbr`]) to machine precision.
//! - Bachelier and the American models: Brent's method (Brent 1973, *Algorithms for Minimization without
//!   Derivatives*, ch. 4) on a bracket whose ends are checked first, so a price outside the attainable
//!   range returns a typed error instead of a wrong number. The model price is increasing in volatility.
//!   For Bachelier, Jäckel's "Implied Normal Volatility" (Wilmott 2017) offers a non-iterative rational
//!   approximation; the bracketed solver is used here instead, at the cost of some 10–40 evaluations of
//!   the closed-form price, converging to full double precision all the same.

use super::error::IvError;
use super::european::bachelier_forward_price;
use super::lbr::implied_black_volatility;
use super::pricing::{model_price, MAX_STEPS};
use super::types::{Model, OptionType};

/// Tree size used by [`implied_vol`] for the binomial models.
pub const DEFAULT_BINOMIAL_STEPS: u32 = 201;

/// Volatility range searched for the American models and the trees (lognormal volatility).
const TREE_VOL_RANGE: (f64, f64) = (1e-4, 10.0);

/// Implied volatility of a price under `model` (binomial trees use [`DEFAULT_BINOMIAL_STEPS`]).
///
/// # Errors
/// See [`implied_vol_with_steps`].
#[allow(clippy::too_many_arguments)]
pub fn implied_vol(
    model: Model,
    kind: OptionType,
    s: f64,
    k: f64,
    r: f64,
    q: f64,
    t: f64,
    price: f64,
) -> Result<f64, IvError> {
    implied_vol_with_steps(model, kind, s, k, r, q, t, price, DEFAULT_BINOMIAL_STEPS)
}

/// Implied volatility with an explicit tree size for the binomial models.
///
/// # Errors
/// [`IvError::InvalidInput`] for a NaN/infinite argument or an out-of-domain spot, strike, time or step
/// count; [`IvError::ZeroTime`] at `t == 0`; [`IvError::BelowIntrinsic`] / [`IvError::AboveMaximum`] when no
/// volatility (in `[1e-4, 10]` for American models and trees) reproduces the price;
/// [`IvError::NoConvergence`] if the solver's result cannot be verified (a safety net).
#[allow(clippy::too_many_arguments)]
pub fn implied_vol_with_steps(
    model: Model,
    kind: OptionType,
    s: f64,
    k: f64,
    r: f64,
    q: f64,
    t: f64,
    price: f64,
    steps: u32,
) -> Result<f64, IvError> {
    for (field, value) in [
        ("spot", s),
        ("strike", k),
        ("rate", r),
        ("dividend", q),
        ("time", t),
        ("price", price),
    ] {
        if !value.is_finite() {
            return Err(IvError::InvalidInput { field, value });
        }
    }
    if t < 0.0 {
        return Err(IvError::InvalidInput {
            field: "time",
            value: t,
        });
    }
    if model != Model::Bachelier {
        if s <= 0.0 {
            return Err(IvError::InvalidInput {
                field: "spot",
                value: s,
            });
        }
        if k <= 0.0 {
            return Err(IvError::InvalidInput {
                field: "strike",
                value: k,
            });
        }
    }
    if model.is_tree() && !(1..=MAX_STEPS).contains(&steps) {
        return Err(IvError::InvalidInput {
            field: "steps",
            value: f64::from(steps),
        });
    }
    if t == 0.0 {
        return Err(IvError::ZeroTime);
    }
    let growth = (r * t).exp();
    match model {
        Model::Bsm => implied_black_volatility(price * growth, s * ((r - q) * t).exp(), k, t, kind.is_call())
            .map_err(|e| rescale(e, 1.0 / growth)),
        Model::Black76 => implied_black_volatility(price * growth, s, k, t, kind.is_call())
            .map_err(|e| rescale(e, 1.0 / growth)),
        // The coin premium times the forward is the Black (1976) premium in quote currency.
        Model::Black76Coin => implied_black_volatility(price * growth * s, s, k, t, kind.is_call())
            .map_err(|e| rescale(e, 1.0 / (growth * s))),
        Model::Bachelier => bachelier_implied(kind, s * ((r - q) * t).exp(), k, t, price * growth)
            .map_err(|e| rescale(e, 1.0 / growth)),
        Model::Baw | Model::Bjs1993 | Model::Bjs2002 | Model::Binomial | Model::BinomialEuropean => {
            // Increasing in volatility (American prices are floored at the European value and immediate
            // exercise, both increasing too); the lowest attainable price is the one at the bottom of
            // the searched range.
            let f = |vol: f64| model_price(model, kind, s, k, r, q, t, vol, steps);
            let lower = f(TREE_VOL_RANGE.0);
            solve_increasing(f, price, TREE_VOL_RANGE.0, TREE_VOL_RANGE.1, lower)
        }
    }
}

/// Errors from the forward measure carry undiscounted figures; report them in the caller's units.
fn rescale(e: IvError, df: f64) -> IvError {
    match e {
        IvError::BelowIntrinsic { price, intrinsic } => IvError::BelowIntrinsic {
            price: price * df,
            intrinsic: intrinsic * df,
        },
        IvError::AboveMaximum { price, maximum } => IvError::AboveMaximum {
            price: price * df,
            maximum: maximum * df,
        },
        IvError::NoConvergence { price } => IvError::NoConvergence { price: price * df },
        other => other,
    }
}

/// Bachelier implied volatility from an undiscounted price on forward `f`.
fn bachelier_implied(kind: OptionType, f: f64, k: f64, t: f64, price: f64) -> Result<f64, IvError> {
    let intrinsic = kind.intrinsic(f, k);
    if price <= intrinsic {
        return Err(IvError::BelowIntrinsic { price, intrinsic });
    }
    // The price grows like w/√(2π) for large w = σ√T: double the upper end until it brackets.
    let mut hi = ((price - intrinsic) * 2.0 * std::f64::consts::PI.sqrt() * 2.0 + (f - k).abs()) / t.sqrt();
    let price_at = |vol: f64| bachelier_forward_price(kind, f, k, t, vol);
    let mut tries = 0;
    while price_at(hi) < price {
        hi *= 2.0;
        tries += 1;
        if tries > 60 || !hi.is_finite() {
            return Err(IvError::AboveMaximum {
                price,
                maximum: price_at(hi),
            });
        }
    }
    solve_increasing(price_at, price, 0.0, hi, intrinsic)
}

/// Finds `vol` in `[lo, hi]` with `f(vol) = target` for increasing `f`, after checking the ends.
/// `floor` is the value reported as the intrinsic bound when `target` lies below the bracket.
fn solve_increasing(
    f: impl Fn(f64) -> f64,
    target: f64,
    lo: f64,
    hi: f64,
    floor: f64,
) -> Result<f64, IvError> {
    let f_lo = f(lo) - target;
    let f_hi = f(hi) - target;
    if f_lo.is_nan() || f_hi.is_nan() {
        return Err(IvError::InvalidInput {
            field: "price",
            value: target,
        });
    }
    if f_lo > 0.0 || target <= floor {
        return Err(IvError::BelowIntrinsic {
            price: target,
            intrinsic: floor.max(f_lo + target),
        });
    }
    if f_hi < 0.0 {
        return Err(IvError::AboveMaximum {
            price: target,
            maximum: f_hi + target,
        });
    }
    Ok(brent(&f, target, lo, hi, f_lo, f_hi))
}

/// Brent's root finder on a sign-changing bracket, to `2ε|x| + 1e-15` in volatility.
fn brent(f: &impl Fn(f64) -> f64, target: f64, mut a: f64, mut b: f64, mut fa: f64, mut fb: f64) -> f64 {
    if fa == 0.0 {
        return a;
    }
    let (mut c, mut fc) = (a, fa);
    let mut d = b - a;
    let mut e = d;
    for _ in 0..200 {
        if (fb > 0.0) == (fc > 0.0) {
            c = a;
            fc = fa;
            d = b - a;
            e = d;
        }
        if fc.abs() < fb.abs() {
            a = b;
            b = c;
            c = a;
            fa = fb;
            fb = fc;
            fc = fa;
        }
        let tol = 2.0 * f64::EPSILON * b.abs() + 1e-15;
        let m = 0.5 * (c - b);
        if m.abs() <= tol || fb == 0.0 {
            break;
        }
        if e.abs() >= tol && fa.abs() > fb.abs() {
            // Inverse quadratic interpolation, or the secant when only two points differ.
            let s = fb / fa;
            let (mut p, mut q) = if a == c {
                (2.0 * m * s, 1.0 - s)
            } else {
                let qa = fa / fc;
                let r = fb / fc;
                (
                    s * (2.0 * m * qa * (qa - r) - (b - a) * (r - 1.0)),
                    (qa - 1.0) * (r - 1.0) * (s - 1.0),
                )
            };
            if p > 0.0 {
                q = -q;
            } else {
                p = -p;
            }
            if 2.0 * p < (3.0 * m * q - (tol * q).abs()).min((e * q).abs()) {
                e = d;
                d = p / q;
            } else {
                d = m;
                e = m;
            }
        } else {
            d = m;
            e = m;
        }
        a = b;
        fa = fb;
        b += if d.abs() > tol { d } else { tol.copysign(m) };
        fb = f(b) - target;
    }
    b
}
