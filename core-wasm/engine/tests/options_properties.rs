//! Model-independent properties of the option analytics: put–call parity, American ≥ European, the
//! approximations against the Leisen–Reimer tree, analytic Greeks against finite differences, typed errors
//! on impossible inputs, batch = scalar, and implied-volatility round trips (proptest).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::too_many_arguments
)]

use ferrodesk_engine::options::black::{black_price, black_vega};
use ferrodesk_engine::options::lbr::implied_black_volatility;
use ferrodesk_engine::options::{
    implied_vol, implied_vol_with_steps, iv_batch, price_batch, price_greeks, IvError, Model, OptionType,
    PricingError,
};
use proptest::prelude::*;
use proptest::test_runner::FileFailurePersistence;

const CALL: OptionType = OptionType::Call;
const PUT: OptionType = OptionType::Put;

fn price(model: Model, kind: OptionType, s: f64, k: f64, r: f64, q: f64, t: f64, vol: f64) -> f64 {
    price_greeks(model, kind, s, k, r, q, t, vol, 801).unwrap().price
}

#[test]
fn options_put_call_parity() {
    for &(s, k, r, q, t, vol) in &[
        (100.0, 90.0, 0.05, 0.02, 1.0, 0.2),
        (50.0, 70.0, -0.01, 0.03, 0.3, 0.6),
    ] {
        let c = price(Model::Bsm, CALL, s, k, r, q, t, vol);
        let p = price(Model::Bsm, PUT, s, k, r, q, t, vol);
        assert!((c - p - (s * (-q * t).exp() - k * (-r * t).exp())).abs() < 1e-12);
        let c = price(Model::Black76, CALL, s, k, r, q, t, vol);
        let p = price(Model::Black76, PUT, s, k, r, q, t, vol);
        assert!((c - p - (-r * t).exp() * (s - k)).abs() < 1e-12);
        let c = price(Model::Bachelier, CALL, s, k, r, q, t, 20.0);
        let p = price(Model::Bachelier, PUT, s, k, r, q, t, 20.0);
        assert!((c - p - (s * (-q * t).exp() - k * (-r * t).exp())).abs() < 1e-11);
    }
}

#[test]
fn options_american_dominates_european_and_approximations_track_the_tree() {
    let mut worst = [0.0_f64; 3];
    for kind in [CALL, PUT] {
        for &s in &[80.0, 95.0, 100.0, 110.0, 125.0] {
            for &(r, q) in &[(0.08, 0.12), (0.05, 0.0), (0.1, 0.1), (0.03, 0.06)] {
                for &(t, vol) in &[(0.1, 0.25), (0.5, 0.35), (1.0, 0.2)] {
                    let euro = price(Model::Bsm, kind, s, 100.0, r, q, t, vol);
                    let tree = price(Model::Binomial, kind, s, 100.0, r, q, t, vol);
                    let intrinsic = kind.intrinsic(s, 100.0);
                    assert!(
                        tree >= euro - 1e-3 && tree >= intrinsic - 1e-9,
                        "{kind:?} s={s} r={r} q={q}"
                    );
                    for (i, model) in [Model::Baw, Model::Bjs1993, Model::Bjs2002]
                        .into_iter()
                        .enumerate()
                    {
                        let v = price(model, kind, s, 100.0, r, q, t, vol);
                        assert!(
                            v >= euro - 1e-9 && v >= intrinsic - 1e-9,
                            "{model} {kind:?} s={s}: {v} < {euro}"
                        );
                        let err = (v - tree).abs();
                        worst[i] = worst[i].max(err / tree.max(1.0));
                        // BAW overshoots out of the money at negative carry and BJS 1993 undershoots (Haug 2007 §3.1).
                        let (rel, abs) = if model == Model::Bjs2002 {
                            (0.01, 0.02)
                        } else {
                            (0.03, 0.05)
                        };
                        assert!(
                            err <= rel * tree + abs,
                            "{model} {kind:?} s={s} r={r} q={q} t={t}: {v} vs {tree}"
                        );
                    }
                    // Bjerksund–Stensland 2002 refines 1993: both are lower bounds, 2002 the tighter one.
                    let b93 = price(Model::Bjs1993, kind, s, 100.0, r, q, t, vol);
                    let b02 = price(Model::Bjs2002, kind, s, 100.0, r, q, t, vol);
                    assert!(
                        b02 >= b93 - 1e-9 && b02 <= tree + 1e-3,
                        "{kind:?} s={s}: {b93} {b02} {tree}"
                    );
                }
            }
        }
    }
    println!(
        "max |approx − LR tree (801 steps)| / max(price, 1): BAW {:.2e}, BJS93 {:.2e}, BJS02 {:.2e}",
        worst[0], worst[1], worst[2]
    );
}

#[test]
fn options_european_tree_converges_to_bsm() {
    for kind in [CALL, PUT] {
        let (s, k, r, q, t, vol) = (100.0, 105.0, 0.04, 0.01, 0.75, 0.3);
        let bsm = price(Model::Bsm, kind, s, k, r, q, t, vol);
        let tree = ferrodesk_engine::options::tree::leisen_reimer(kind, s, k, r, r - q, t, vol, 401, false);
        assert!((tree - bsm).abs() < 2e-5, "{kind:?}: {tree} vs {bsm}");
    }
}

/// Analytic Greeks against central differences of the analytic price.
#[test]
fn options_analytic_greeks_match_finite_differences() {
    for model in [Model::Bsm, Model::Black76, Model::Bachelier] {
        for kind in [CALL, PUT] {
            let (s, k, r, q, t) = (100.0, 95.0, 0.05, 0.02, 0.8);
            let vol = if model == Model::Bachelier { 25.0 } else { 0.3 };
            let g = price_greeks(model, kind, s, k, r, q, t, vol, 0).unwrap();
            let p = |s: f64, r: f64, q: f64, t: f64, vol: f64| price(model, kind, s, k, r, q, t, vol);
            let d =
                |s: f64, t: f64, vol: f64| price_greeks(model, kind, s, k, r, q, t, vol, 0).unwrap().delta;
            let (hs, hv, hr, ht) = (1e-3 * s, 1e-4 * vol, 1e-5, 1e-5);
            let checks = [
                (
                    "delta",
                    g.delta,
                    (p(s + hs, r, q, t, vol) - p(s - hs, r, q, t, vol)) / (2.0 * hs),
                ),
                (
                    "gamma",
                    g.gamma,
                    (d(s + hs, t, vol) - d(s - hs, t, vol)) / (2.0 * hs),
                ),
                (
                    "vega",
                    g.vega,
                    (p(s, r, q, t, vol + hv) - p(s, r, q, t, vol - hv)) / (2.0 * hv),
                ),
                (
                    "theta",
                    g.theta,
                    -(p(s, r, q, t + ht, vol) - p(s, r, q, t - ht, vol)) / (2.0 * ht),
                ),
                (
                    "rho",
                    g.rho,
                    (p(s, r + hr, q, t, vol) - p(s, r - hr, q, t, vol)) / (2.0 * hr),
                ),
                (
                    "vanna",
                    g.vanna,
                    (d(s, t, vol + hv) - d(s, t, vol - hv)) / (2.0 * hv),
                ),
                (
                    "charm",
                    g.charm,
                    -(d(s, t + ht, vol) - d(s, t - ht, vol)) / (2.0 * ht),
                ),
                ("volga", g.volga, {
                    let v = |vol: f64| price_greeks(model, kind, s, k, r, q, t, vol, 0).unwrap().vega;
                    (v(vol + hv) - v(vol - hv)) / (2.0 * hv)
                }),
            ];
            for (name, analytic, numeric) in checks {
                assert!(
                    (analytic - numeric).abs() < 1e-5 * (1.0 + numeric.abs()),
                    "{model} {kind:?} {name}: {analytic} vs {numeric}"
                );
            }
            if model != Model::Black76 {
                let numeric = (p(s, r, q + hr, t, vol) - p(s, r, q - hr, t, vol)) / (2.0 * hr);
                assert!(
                    (g.dividend_rho - numeric).abs() < 1e-5 * (1.0 + numeric.abs()),
                    "{model} {kind:?} dividend rho"
                );
            }
        }
    }
}

/// American finite-difference Greeks against the European analytic ones where early exercise is worthless
/// (a call with q = 0), and a sane sign pattern otherwise.
#[test]
fn options_american_greeks_are_consistent() {
    let (s, k, r, q, t, vol) = (100.0, 100.0, 0.05, 0.0, 0.5, 0.25);
    let euro = price_greeks(Model::Bsm, CALL, s, k, r, q, t, vol, 0).unwrap();
    for model in [Model::Baw, Model::Bjs1993, Model::Bjs2002] {
        let g = price_greeks(model, CALL, s, k, r, q, t, vol, 0).unwrap();
        for (name, a, e) in [
            ("delta", g.delta, euro.delta),
            ("gamma", g.gamma, euro.gamma),
            ("vega", g.vega, euro.vega),
            ("theta", g.theta, euro.theta),
            ("rho", g.rho, euro.rho),
            ("vanna", g.vanna, euro.vanna),
            ("volga", g.volga, euro.volga),
            ("charm", g.charm, euro.charm),
        ] {
            assert!(
                (a - e).abs() < 2e-3 * (1.0 + e.abs()),
                "{model} {name}: {a} vs {e}"
            );
        }
    }
    let tree = price_greeks(Model::Binomial, CALL, s, k, r, q, t, vol, 801).unwrap();
    assert!((tree.delta - euro.delta).abs() < 1e-3 && (tree.gamma - euro.gamma).abs() < 1e-3);
    let put = price_greeks(Model::Baw, PUT, 90.0, k, 0.08, 0.0, 1.0, 0.3, 0).unwrap();
    assert!(put.delta < 0.0 && put.gamma > 0.0 && put.vega > 0.0 && put.rho < 0.0);
}

#[test]
fn options_impossible_inputs_are_typed_errors() {
    let err = price_greeks(Model::Bsm, CALL, f64::NAN, 100.0, 0.0, 0.0, 1.0, 0.2, 0).unwrap_err();
    assert!(matches!(err, PricingError::InvalidInput { field: "spot", .. }));
    let err = price_greeks(Model::Baw, PUT, 100.0, -1.0, 0.0, 0.0, 1.0, 0.2, 0).unwrap_err();
    assert!(matches!(err, PricingError::InvalidInput { field: "strike", .. }));
    let err = price_greeks(Model::Binomial, PUT, 100.0, 100.0, 0.0, 0.0, 1.0, 0.2, 0).unwrap_err();
    assert!(matches!(err, PricingError::InvalidInput { field: "steps", .. }));
    assert_eq!(
        implied_black_volatility(0.5, 100.0, 90.0, 1.0, true),
        Err(IvError::BelowIntrinsic {
            price: 0.5,
            intrinsic: 10.0
        })
    );
    assert_eq!(
        implied_black_volatility(101.0, 100.0, 90.0, 1.0, true),
        Err(IvError::AboveMaximum {
            price: 101.0,
            maximum: 100.0
        })
    );
    assert_eq!(
        implied_black_volatility(5.0, 100.0, 90.0, 0.0, true),
        Err(IvError::ZeroTime)
    );
    assert!(matches!(
        implied_black_volatility(5.0, 100.0, 0.0, 1.0, true),
        Err(IvError::InvalidInput { field: "strike", .. })
    ));
    assert!(matches!(
        implied_black_volatility(f64::NAN, 100.0, 90.0, 1.0, true),
        Err(IvError::InvalidInput { field: "price", .. })
    ));
    // Below immediate exercise (American) or the discounted forward intrinsic 5.13 (Bachelier).
    for (model, p) in [
        (Model::Bachelier, 5.0),
        (Model::Baw, 9.0),
        (Model::Bjs2002, 9.0),
        (Model::Binomial, 9.0),
    ] {
        assert!(
            matches!(
                implied_vol(model, PUT, 90.0, 100.0, 0.05, 0.0, 1.0, p),
                Err(IvError::BelowIntrinsic { .. })
            ),
            "{model}"
        );
    }
    assert!(matches!(
        implied_vol(Model::Baw, CALL, 100.0, 100.0, 0.05, 0.0, 1.0, 100.5),
        Err(IvError::AboveMaximum { .. })
    ));
    assert_eq!("bjs2002".parse::<Model>(), Ok(Model::Bjs2002));
    assert!("heston".parse::<Model>().is_err());
}

#[test]
fn options_batch_matches_scalar() {
    let kinds = [1_u8, 0, 1, 0];
    let s = [100.0, 100.0, f64::NAN, 120.0];
    let k = [90.0, 110.0, 100.0, 100.0];
    let (r, q, t, vol) = ([0.05; 4], [0.01; 4], [0.5, 1.0, 1.0, 0.25], [0.2, 0.3, 0.2, 0.4]);
    for model in [Model::Bsm, Model::Baw] {
        let mut out = [[0.0; 4]; 6];
        let [p, d, g, v, th, rh] = &mut out;
        price_batch(model, &kinds, &s, &k, &r, &q, &t, &vol, p, d, g, v, th, rh).unwrap();
        for i in [0, 1, 3] {
            let kind = if kinds[i] == 1 { CALL } else { PUT };
            let e = price_greeks(model, kind, s[i], k[i], r[i], q[i], t[i], vol[i], 201).unwrap();
            assert_eq!(
                [out[0][i], out[1][i], out[2][i], out[3][i], out[4][i], out[5][i]],
                [e.price, e.delta, e.gamma, e.vega, e.theta, e.rho]
            );
        }
        assert!(out.iter().all(|col| col[2].is_nan()));
        let prices = [out[0][0], out[0][1], 1.0, out[0][3]];
        let (mut iv, mut code) = ([0.0; 4], [9_u8; 4]);
        iv_batch(
            model,
            &kinds,
            &[100.0, 100.0, 100.0, 120.0],
            &k,
            &r,
            &q,
            &t,
            &prices,
            &mut iv,
            &mut code,
        )
        .unwrap();
        assert_eq!(code, [0, 0, 1, 0]);
        assert!(iv[2].is_nan() && (iv[0] - 0.2).abs() < 1e-6 && (iv[3] - 0.4).abs() < 1e-6);
    }
    let mut short = [0.0; 3];
    let mut o = [[0.0; 4]; 5];
    let [a, b, c, d, e] = &mut o;
    assert!(price_batch(
        Model::Bsm,
        &kinds,
        &s,
        &k,
        &r,
        &q,
        &t,
        &vol,
        &mut short,
        a,
        b,
        c,
        d,
        e
    )
    .is_err());
}

proptest! {
    #![proptest_config(ProptestConfig {
        failure_persistence: Some(Box::new(FileFailurePersistence::WithSource("proptest-regressions"))),
        ..ProptestConfig::default()
    })]

    /// Forwards 0.01 to 10⁶, strikes ±6 standard deviations away, σ 0.1% to 500%, T 0.001 to 30 years:
    /// the recovered σ is within a few ulps times the problem's condition number `κ = V/(σ·∂V/∂σ)`.
    #[test]
    fn options_black_iv_round_trips(log_f in -2.0_f64..6.0, m in -6.0_f64..6.0, log_sigma in -3.0_f64..0.7,
                                    log_t in -3.0_f64..1.5, call in any::<bool>()) {
        let (f, sigma, t) = (10f64.powf(log_f), 10f64.powf(log_sigma), 10f64.powf(log_t));
        let k = f * (m * sigma * t.sqrt()).exp();
        let p = black_price(f, k, sigma, t, call);
        let intrinsic = if call { (f - k).max(0.0) } else { (k - f).max(0.0) };
        // Only prices whose time value survives rounding determine σ, and only prices below their upper bound
        // (F for a call, K for a put): at σ√T in the tens the price rounds to the bound and σ is undetermined.
        let upper = if call { f } else { k };
        prop_assume!(p - intrinsic > 1e-12 * p && p > 1e-300 && upper - p > 1e-12 * upper);
        let kappa = (p / (sigma * black_vega(f, k, sigma, t))).max(1.0);
        let iv = implied_black_volatility(p, f, k, t, call).unwrap();
        prop_assert!((iv / sigma - 1.0).abs() < 32.0 * f64::EPSILON * kappa, "σ={sigma} iv={iv} κ={kappa:e}");
    }

    /// Every model's solver recovers the volatility behind its own price.
    #[test]
    fn options_model_iv_round_trips(s in 50.0_f64..150.0, vol in 0.05_f64..1.0, t in 0.05_f64..2.0, call in any::<bool>(),
                                    r in -0.02_f64..0.1, q in -0.02_f64..0.1,
                                    model in prop::sample::select(Model::ALL.to_vec())) {
        let kind = if call { CALL } else { PUT };
        let vol = if model == Model::Bachelier { vol * 100.0 } else { vol };
        let g = price_greeks(model, kind, s, 100.0, r, q, t, vol, 101).unwrap();
        // Skip prices pinned at their floor (exercise value, or a vanishing time value).
        let floor = if model.is_american() { kind.intrinsic(s, 100.0) } else { 0.0 };
        prop_assume!(g.vega > 1e-3 && g.price - floor > 1e-6);
        let iv = implied_vol_with_steps(model, kind, s, 100.0, r, q, t, g.price, 101).unwrap();
        // A few ulps times the condition number κ = V/(σ·∂V/∂σ) (large in the money, where the time
        // value is a small part of the price), with 1e-9 of slack for the models inverted by Brent.
        let kappa = (g.price / (vol * g.vega)).max(1.0);
        let tol = 64.0 * f64::EPSILON * kappa + if model.has_analytic_greeks() { 0.0 } else { 1e-9 };
        prop_assert!((iv / vol - 1.0).abs() < tol, "{model}: σ={vol} iv={iv}");
    }
}
