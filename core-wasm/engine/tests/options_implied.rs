//! Implied volatility beyond the reference file: "never a wrong number" across the whole attainable range
//! of the normalised Black price (wings, subnormal prices, prices that round onto a bound), the at-the-money
//! closed form, and every model's solver on its own prices, with typed reasons on impossible inputs.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use ferrodesk_engine::options::black::{black_price, normalised_black_call, normalised_vega};
use ferrodesk_engine::options::lbr::implied_black_volatility;
use ferrodesk_engine::options::normal::inverse_norm_cdf;
use ferrodesk_engine::options::{
    implied_vol, implied_vol_with_steps, price_greeks, IvError, Model, OptionType,
};

/// The spacing of doubles at `p` (subnormal spacing included).
fn ulp(p: f64) -> f64 {
    (f64::from_bits(p.to_bits() + 1) - p).max(f64::from_bits(1))
}

/// Checks one inversion: an answer must either reproduce the price to a few ulps or sit within a few
/// units of the conditioning-limited accuracy `κ·(relative precision of the input)` of the true `s`, with
/// `κ = b/(s·∂b/∂s)`; an error must be one whose condition is visibly met by the inputs.
/// Returns the achieved score (≤ 16 passes; the evaluation of `b` itself carries a few ulps) for reporting.
fn check(f: f64, k: f64, s: f64, is_call: bool) -> Option<f64> {
    let price = black_price(f, k, s, 1.0, is_call);
    let intrinsic = if is_call {
        (f - k).max(0.0)
    } else {
        (k - f).max(0.0)
    };
    if price <= intrinsic || !price.is_finite() {
        return None; // no time value survives rounding: nothing to invert
    }
    let maximum = if is_call { f } else { k };
    match implied_black_volatility(price, f, k, 1.0, is_call) {
        Ok(iv) => {
            let backward = (black_price(f, k, iv, 1.0, is_call) - price).abs() / ulp(price);
            let x = (f / k).ln();
            let b = normalised_black_call(if is_call { x } else { -x }, s);
            let kappa = (b / (s * normalised_vega(x, s))).max(1.0);
            // The solver works on β = time value/√(FK); far in the wings β can be subnormal even when the
            // price is not, and its own spacing then limits what any double-precision inversion can do.
            let beta = (price - intrinsic) / (f.sqrt() * k.sqrt());
            let precision = (ulp(price) / price).max(ulp(beta) / beta).max(f64::EPSILON);
            let forward = (iv / s - 1.0).abs() / (kappa * precision);
            let score = forward.min(backward);
            assert!(
                score <= 16.0,
                "F={f} K={k} s={s} call={is_call}: iv {iv}, forward {forward:e}, backward {backward} ulps"
            );
            Some(score)
        }
        Err(IvError::AboveMaximum { .. }) => {
            // The price rounded onto its supremum: no volatility is determined.
            assert!(
                price >= maximum,
                "F={f} K={k} s={s}: AboveMaximum at {price} < {maximum}"
            );
            None
        }
        Err(e) => panic!("F={f} K={k} s={s} call={is_call}: {e}"),
    }
}

#[test]
fn options_lbr_never_returns_a_wrong_number() {
    let (mut cases, mut worst) = (0_usize, 0.0_f64);
    for ix in -120..=120 {
        let x = f64::from(ix) * 0.5; // ln(F/K) in [−60, 60]
        for is in 0..=100 {
            let s = 10f64.powf(-6.0 + f64::from(is) * 0.07); // σ√T in [1e-6, 10]
            for (f, k) in [(x.exp(), 1.0), (100.0, 100.0 * (-x).exp())] {
                for is_call in [true, false] {
                    if let Some(score) = check(f, k, s, is_call) {
                        cases += 1;
                        worst = worst.max(score);
                    }
                }
            }
        }
    }
    println!(
        "LBR grid: {cases} inversions, worst score {worst:.2} (forward error in κ·ε units, or backward ulps)"
    );
    assert!(cases > 10_000);
}

#[test]
fn options_lbr_subnormal_prices() {
    // b(x, s) is subnormal here; the iteration must still land on σ, not on a bracket end.
    for (x, s) in [
        (-50.2, 1.3335214321633269),
        (-6.2, 0.1640589773199542),
        (-2.8, 0.07328245331389044),
    ] {
        let f = f64::exp(x);
        let price = black_price(f, 1.0, s, 1.0, true);
        assert!(
            price > 0.0 && price < f64::MIN_POSITIVE,
            "x={x}: {price:e} is not subnormal"
        );
        let iv = implied_black_volatility(price, f, 1.0, 1.0, true).unwrap();
        let repriced = black_price(f, 1.0, iv, 1.0, true);
        assert!(
            (repriced - price).abs() <= 2.0 * ulp(price),
            "x={x}: iv {iv} vs {s}"
        );
        assert!((iv / s - 1.0).abs() < 1e-3, "x={x}: iv {iv} vs {s}");
    }
}

#[test]
fn options_lbr_at_the_money_closed_form() {
    // At the money b = 2Φ(s/2) − 1, so s = 2Φ⁻¹((1 + b)/2) exactly.
    for &s in &[1e-4, 0.01, 0.2, 1.0, 3.0, 8.0] {
        let price = black_price(100.0, 100.0, s, 1.0, true);
        let closed = 2.0 * inverse_norm_cdf(0.5 * (1.0 + price / 100.0));
        let iv = implied_black_volatility(price, 100.0, 100.0, 1.0, true).unwrap();
        let iv_put = implied_black_volatility(price, 100.0, 100.0, 1.0, false).unwrap();
        assert!((iv / s - 1.0).abs() < 1e-12, "s={s}: {iv}");
        assert!(
            (closed / iv - 1.0).abs() < 1e-12 * (1.0 + 1.0 / s),
            "s={s}: {closed} vs {iv}"
        );
        assert_eq!(iv, iv_put);
    }
}

/// Each model's implied volatility reproduces the volatility behind its own price.
#[test]
fn options_every_model_inverts_its_own_prices() {
    let (s, r, q, t) = (100.0, 0.04, 0.01, 0.75);
    for model in Model::ALL {
        for kind in [OptionType::Call, OptionType::Put] {
            for &k in &[80.0, 100.0, 125.0] {
                let vol = if model == Model::Bachelier { 22.0 } else { 0.27 };
                let steps = 101;
                let price = price_greeks(model, kind, s, k, r, q, t, vol, steps)
                    .unwrap()
                    .price;
                let iv = implied_vol_with_steps(model, kind, s, k, r, q, t, price, steps)
                    .unwrap_or_else(|e| panic!("{model} {kind:?} K={k}: {e}"));
                let tol = if model.has_analytic_greeks() { 1e-12 } else { 1e-9 };
                assert!(
                    (iv / vol - 1.0).abs() < tol,
                    "{model} {kind:?} K={k}: {iv} vs {vol}"
                );
            }
        }
    }
}

#[test]
fn options_impossible_prices_have_reasons_in_caller_units() {
    let (s, k, r, q, t) = (100.0, 90.0, 0.05, 0.0, 1.0);
    let df = f64::exp(-r * t);
    // BSM call: the lower bound is the discounted forward intrinsic S − K e^{−rT}.
    match implied_vol(Model::Bsm, OptionType::Call, s, k, r, q, t, 10.0) {
        Err(e @ IvError::BelowIntrinsic { price, intrinsic }) => {
            assert_eq!(e.code(), 1);
            assert!((price - 10.0).abs() < 1e-12);
            assert!((intrinsic - (s - k * df)).abs() < 1e-12, "{intrinsic}");
        }
        other => panic!("{other:?}"),
    }
    // The call is worth at most the spot.
    match implied_vol(Model::Bsm, OptionType::Call, s, k, r, q, t, 100.0) {
        Err(e @ IvError::AboveMaximum { maximum, .. }) => {
            assert_eq!(e.code(), 2);
            assert!((maximum - s).abs() < 1e-12, "{maximum}");
        }
        other => panic!("{other:?}"),
    }
    // Coin-margined: at most one unit of the underlying (the forward divided by itself), discounted.
    assert!(matches!(
        implied_vol(Model::Black76Coin, OptionType::Call, s, k, r, q, t, 0.999),
        Err(IvError::AboveMaximum { .. })
    ));
    for (model, price, code) in [
        (Model::Bsm, f64::NAN, 4),
        (Model::Black76, -1.0, 1),
        (Model::Bachelier, 0.0, 1),
        (Model::Baw, 5.0, 3),
        (Model::Binomial, 5.0, 3),
    ] {
        let t = if code == 3 { 0.0 } else { t };
        let e = implied_vol(model, OptionType::Put, s, k, r, q, t, price).unwrap_err();
        assert_eq!(e.code(), code, "{model}: {e}");
    }
    let e = implied_vol_with_steps(Model::Binomial, OptionType::Put, s, k, r, q, t, 5.0, 0).unwrap_err();
    assert!(matches!(e, IvError::InvalidInput { field: "steps", .. }), "{e}");
    assert!(e.to_string().contains("steps"));
}
