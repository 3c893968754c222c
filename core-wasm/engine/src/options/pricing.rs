//! The single pricing entry point: validation, model dispatch, and finite-difference Greeks for the
//! American models.
//!
//! European models (BSM, Black 1976 and its coin-margined form, Bachelier) return analytic Greeks. American
//! models and the trees return central finite differences of the model price, with these bumps (relative
//! to spot for `S`, absolute otherwise):
//!
//! | input | approximations (BAW, BJS) | binomial trees |
//! |-------|---------------------------|---------------|
//! | spot `S` | `1e-4·S` | `1e-2·S` |
//! | vol `σ` | `1e-4` | `1e-3` |
//! | rate `r`, yield `q` | `1e-5` | `1e-4` |
//! | time `T` | `min(1e-5, T/4)` | `min(1e-3, T/4)` |
//!
//! Delta `(V₊ − V₋)/2h`, gamma `(V₊ − 2V + V₋)/h²`, cross terms (vanna, charm) by the four-point stencil
//! `(V₊₊ − V₊₋ − V₋₊ + V₋₋)/(4h₁h₂)`. The tree's larger bumps keep differences above its discretisation
//! noise; for tree delta/gamma the step count should be a few hundred.
//!
//! Where a closed-form approximation is undefined or overflows — Barone-Adesi–Whaley with `r ≤ 0`, a
//! Bjerksund–Stensland exponent β that is complex or below 1 (negative rates), or a BJS trigger heuristic
//! that falls below `B₀` (small volatility, strongly negative carry) — the American price comes from the
//! Leisen–Reimer tree with [`FALLBACK_STEPS`] steps instead, so the caller never sees NaN for valid inputs.
//! Every closed-form American price is floored at the European value and at immediate exercise.

use super::american::{baw, bjs1993, bjs2002};
use super::error::PricingError;
use super::european::{bachelier, black76, black76_coin, black76_coin_premium, bsm};
use super::tree::leisen_reimer;
use super::types::{Greeks, Model, OptionType};

/// Largest accepted binomial step count. A tree costs O(n²) and its finite-difference Greeks 17 trees, so
/// this bounds one call to roughly 10⁹ node updates.
pub const MAX_STEPS: u32 = 10_000;

/// Tree size used when a closed-form American approximation is undefined for the inputs.
pub const FALLBACK_STEPS: u32 = 301;

fn invalid(field: &'static str, value: f64, reason: &'static str) -> PricingError {
    PricingError::InvalidInput { field, value, reason }
}

/// Checks every argument; returns the first problem found.
#[allow(clippy::too_many_arguments)]
pub(crate) fn validate(
    model: Model,
    s: f64,
    k: f64,
    r: f64,
    q: f64,
    t: f64,
    vol: f64,
    steps: u32,
) -> Result<(), PricingError> {
    let finite = "must be a finite number";
    for (field, value) in [
        ("spot", s),
        ("strike", k),
        ("rate", r),
        ("dividend", q),
        ("time", t),
        ("vol", vol),
    ] {
        if !value.is_finite() {
            return Err(invalid(field, value, finite));
        }
    }
    // The normal model prices negative forwards and strikes; the lognormal ones cannot.
    if model != Model::Bachelier {
        if s <= 0.0 {
            return Err(invalid("spot", s, "must be positive for a lognormal model"));
        }
        if k <= 0.0 {
            return Err(invalid("strike", k, "must be positive for a lognormal model"));
        }
    }
    if t < 0.0 {
        return Err(invalid("time", t, "must not be negative"));
    }
    if vol <= 0.0 {
        return Err(invalid("vol", vol, "must be positive"));
    }
    if model.is_tree() && !(1..=MAX_STEPS).contains(&steps) {
        return Err(invalid("steps", f64::from(steps), "must be between 1 and 10000"));
    }
    Ok(())
}

/// Price and Greeks of a European or American option.
///
/// `s` is the spot (the forward for [`Model::Black76`] and [`Model::Black76Coin`]), `r` the continuous
/// rate, `q` the continuous dividend yield (ignored by Black 1976), `t` years to expiry, `vol` the
/// volatility (absolute, in price units per √year, for [`Model::Bachelier`]), `steps` the tree size for
/// the binomial models (ignored otherwise; even counts are raised by one). At `t == 0` the payoff is
/// returned with its delta (½ at the money) and zero other Greeks; for [`Model::Black76Coin`] both are
/// divided by the forward as usual.
///
/// # Errors
/// [`PricingError::InvalidInput`] naming the first argument that is NaN, infinite or out of range.
#[allow(clippy::too_many_arguments)]
pub fn price_greeks(
    model: Model,
    kind: OptionType,
    s: f64,
    k: f64,
    r: f64,
    q: f64,
    t: f64,
    vol: f64,
    steps: u32,
) -> Result<Greeks, PricingError> {
    validate(model, s, k, r, q, t, vol, steps)?;
    if t == 0.0 {
        return Ok(expiry(model, kind, s, k));
    }
    Ok(match model {
        Model::Bsm => bsm(kind, s, k, r, q, t, vol),
        Model::Black76 => black76(kind, s, k, r, t, vol),
        Model::Black76Coin => black76_coin(kind, s, k, r, t, vol),
        Model::Bachelier => bachelier(kind, s, k, r, q, t, vol),
        Model::Baw | Model::Bjs1993 | Model::Bjs2002 | Model::Binomial | Model::BinomialEuropean => {
            finite_difference_greeks(model, kind, s, k, r, q, t, vol, steps)
        }
    })
}

fn expiry(model: Model, kind: OptionType, s: f64, k: f64) -> Greeks {
    let delta = if s == k {
        0.5 * kind.sign()
    } else if kind.intrinsic(s, k) > 0.0 {
        kind.sign()
    } else {
        0.0
    };
    let price = kind.intrinsic(s, k);
    if model == Model::Black76Coin {
        // P = payoff/F: ∂P/∂F = (Δ − P)/F.
        let coin_price = price / s;
        return Greeks {
            price: coin_price,
            delta: (delta - coin_price) / s,
            ..Greeks::default()
        };
    }
    Greeks {
        price,
        delta,
        ..Greeks::default()
    }
}

/// The model price alone, for validated inputs with `t > 0`. American models take `b = r − q`.
#[allow(clippy::too_many_arguments)]
pub(crate) fn model_price(
    model: Model,
    kind: OptionType,
    s: f64,
    k: f64,
    r: f64,
    q: f64,
    t: f64,
    vol: f64,
    steps: u32,
) -> f64 {
    let b = r - q;
    let approximation = match model {
        Model::Bsm => return bsm(kind, s, k, r, q, t, vol).price,
        Model::Black76 => return black76(kind, s, k, r, t, vol).price,
        Model::Black76Coin => return black76_coin_premium(kind, s, k, r, t, vol),
        Model::Bachelier => return bachelier(kind, s, k, r, q, t, vol).price,
        Model::Binomial => return leisen_reimer(kind, s, k, r, b, t, vol, steps, true),
        Model::BinomialEuropean => return leisen_reimer(kind, s, k, r, b, t, vol, steps, false),
        Model::Baw => baw(kind, s, k, r, b, t, vol),
        Model::Bjs1993 => bjs1993(kind, s, k, r, b, t, vol),
        Model::Bjs2002 => bjs2002(kind, s, k, r, b, t, vol),
    };
    let american = if approximation.is_finite() {
        approximation
    } else {
        leisen_reimer(kind, s, k, r, b, t, vol, FALLBACK_STEPS, true)
    };
    // An American option is worth at least its European counterpart and immediate exercise. The
    // flat-trigger policies of Bjerksund–Stensland can fall short of either at high volatility, and the
    // fallback tree can sit a discretisation error below the analytic European value.
    american
        .max(bsm(kind, s, k, r, q, t, vol).price)
        .max(kind.intrinsic(s, k))
}

/// Central finite-difference Greeks with the bumps tabulated in the module docs.
#[allow(clippy::too_many_arguments)]
fn finite_difference_greeks(
    model: Model,
    kind: OptionType,
    s: f64,
    k: f64,
    r: f64,
    q: f64,
    t: f64,
    vol: f64,
    steps: u32,
) -> Greeks {
    let tree = model.is_tree();
    let hs = if tree { 1e-2 * s } else { 1e-4 * s };
    let hv = if tree { 1e-3_f64 } else { 1e-4 }.min(0.5 * vol);
    let hr = if tree { 1e-4 } else { 1e-5 };
    let ht = if tree { 1e-3_f64 } else { 1e-5 }.min(0.25 * t);
    let v = |s: f64, r: f64, q: f64, t: f64, vol: f64| model_price(model, kind, s, k, r, q, t, vol, steps);
    let price = v(s, r, q, t, vol);
    let (s_up, s_dn) = (v(s + hs, r, q, t, vol), v(s - hs, r, q, t, vol));
    let (v_up, v_dn) = (v(s, r, q, t, vol + hv), v(s, r, q, t, vol - hv));
    let (t_up, t_dn) = (v(s, r, q, t + ht, vol), v(s, r, q, t - ht, vol));
    let cross = |dv: f64, dt: f64| {
        (v(s + hs, r, q, t + dt, vol + dv)
            - v(s + hs, r, q, t - dt, vol - dv)
            - v(s - hs, r, q, t + dt, vol + dv)
            + v(s - hs, r, q, t - dt, vol - dv))
            / (4.0 * hs)
    };
    Greeks {
        price,
        delta: (s_up - s_dn) / (2.0 * hs),
        gamma: (s_up - 2.0 * price + s_dn) / (hs * hs),
        vega: (v_up - v_dn) / (2.0 * hv),
        // Calendar time runs against time to expiry.
        theta: -(t_up - t_dn) / (2.0 * ht),
        rho: (v(s, r + hr, q, t, vol) - v(s, r - hr, q, t, vol)) / (2.0 * hr),
        dividend_rho: (v(s, r, q + hr, t, vol) - v(s, r, q - hr, t, vol)) / (2.0 * hr),
        vanna: cross(hv, 0.0) / hv,
        volga: (v_up - 2.0 * price + v_dn) / (hv * hv),
        charm: -cross(0.0, ht) / ht,
    }
}
