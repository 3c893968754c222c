//! Model-level checks not tied to a published table: the coin-margined convention, European exercise on
//! the tree, negative rates, and a wide-range property that no valid input yields NaN, a negative price or
//! an American price below its European value or immediate exercise.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use ferrodesk_engine::options::american::early_exercise_possible;
use ferrodesk_engine::options::european::black76_coin_premium;
use ferrodesk_engine::options::{price_greeks, Greeks, Model, OptionType, PricingError};
use proptest::prelude::*;
use proptest::test_runner::FileFailurePersistence;

const CALL: OptionType = OptionType::Call;
const PUT: OptionType = OptionType::Put;

#[allow(clippy::too_many_arguments)]
fn greeks(model: Model, kind: OptionType, s: f64, k: f64, r: f64, q: f64, t: f64, vol: f64) -> Greeks {
    price_greeks(model, kind, s, k, r, q, t, vol, 801).unwrap()
}

/// The coin premium is the Black (1976) premium divided by the forward, and its analytic Greeks are the
/// derivatives of that quotient (checked by central differences of the premium itself).
#[test]
fn options_coin_margined_premium_and_greeks() {
    let (f, r, t, vol) = (64_000.0, 0.03, 0.25, 0.6);
    for kind in [CALL, PUT] {
        for &k in &[50_000.0, 64_000.0, 80_000.0] {
            let g = greeks(Model::Black76Coin, kind, f, k, r, 0.0, t, vol);
            let quote = greeks(Model::Black76, kind, f, k, r, 0.0, t, vol);
            assert!((g.price - quote.price / f).abs() < 1e-15);
            assert_eq!(g.price, black76_coin_premium(kind, f, k, r, t, vol));
            let p = |f: f64, r: f64, t: f64, vol: f64| black76_coin_premium(kind, f, k, r, t, vol);
            let d = |f: f64, t: f64, vol: f64| greeks(Model::Black76Coin, kind, f, k, r, 0.0, t, vol).delta;
            let (hf, hv, hr, ht) = (1e-4 * f, 1e-5, 1e-6, 1e-6);
            let fd = [
                (
                    "delta",
                    g.delta,
                    (p(f + hf, r, t, vol) - p(f - hf, r, t, vol)) / (2.0 * hf),
                ),
                (
                    "gamma",
                    g.gamma,
                    (d(f + hf, t, vol) - d(f - hf, t, vol)) / (2.0 * hf),
                ),
                (
                    "vega",
                    g.vega,
                    (p(f, r, t, vol + hv) - p(f, r, t, vol - hv)) / (2.0 * hv),
                ),
                (
                    "theta",
                    g.theta,
                    -(p(f, r, t + ht, vol) - p(f, r, t - ht, vol)) / (2.0 * ht),
                ),
                (
                    "rho",
                    g.rho,
                    (p(f, r + hr, t, vol) - p(f, r - hr, t, vol)) / (2.0 * hr),
                ),
                (
                    "vanna",
                    g.vanna,
                    (d(f, t, vol + hv) - d(f, t, vol - hv)) / (2.0 * hv),
                ),
                (
                    "charm",
                    g.charm,
                    -(d(f, t + ht, vol) - d(f, t - ht, vol)) / (2.0 * ht),
                ),
            ];
            for (name, analytic, numeric) in fd {
                let scale = numeric.abs().max(1e-12);
                assert!(
                    (analytic - numeric).abs() < 1e-6 * scale + 1e-14,
                    "{kind:?} K={k} {name}: {analytic} vs {numeric}"
                );
            }
        }
    }
    // At expiry the coin payoff is max(F − K, 0)/F.
    let g = price_greeks(Model::Black76Coin, CALL, 50.0, 40.0, 0.0, 0.0, 0.0, 0.5, 0).unwrap();
    assert!((g.price - 0.2).abs() < 1e-15);
}

#[test]
fn options_european_tree_matches_bsm_and_american_tree_dominates() {
    let mut worst = 0.0_f64;
    for kind in [CALL, PUT] {
        for &(s, k, r, q, t, vol) in &[
            (100.0, 105.0, 0.04, 0.01, 0.75, 0.3),
            (100.0, 80.0, 0.08, 0.0, 2.0, 0.2),
            (40.0, 42.0, -0.01, 0.02, 0.4, 0.5),
        ] {
            let bsm = greeks(Model::Bsm, kind, s, k, r, q, t, vol);
            let euro_tree = greeks(Model::BinomialEuropean, kind, s, k, r, q, t, vol);
            let american_tree = greeks(Model::Binomial, kind, s, k, r, q, t, vol);
            let err = (euro_tree.price - bsm.price).abs();
            worst = worst.max(err);
            // Leisen–Reimer converges at O(1/n²): 801 steps leave well under 1e-4.
            assert!(
                err < 1e-4,
                "{kind:?} s={s} k={k}: {} vs {}",
                euro_tree.price,
                bsm.price
            );
            assert!((euro_tree.delta - bsm.delta).abs() < 1e-4, "{kind:?} delta");
            assert!(
                (euro_tree.vega - bsm.vega).abs() < 1e-2 * bsm.vega.abs().max(1.0),
                "{kind:?} vega"
            );
            assert!(american_tree.price >= euro_tree.price - 1e-12);
        }
    }
    println!("LR tree (801 steps, European) vs BSM: max abs error {worst:e}");
}

/// With a negative rate early exercise can pay for calls even without dividends (the strike is worth
/// more paid later) and for puts only with a negative yield. Every American model must see that.
#[test]
fn options_negative_rates() {
    assert!(early_exercise_possible(CALL, -0.01, -0.01));
    assert!(!early_exercise_possible(PUT, -0.01, -0.03));
    assert!(!early_exercise_possible(CALL, 0.03, 0.05));
    let (s, k, t, vol) = (120.0, 100.0, 2.0, 0.2);
    for (kind, r, q) in [
        (CALL, -0.02, 0.0),
        (PUT, 0.01, -0.03),
        (CALL, -0.01, 0.03),
        (PUT, -0.02, 0.01),
    ] {
        let euro = greeks(Model::Bsm, kind, s, k, r, q, t, vol).price;
        let tree = greeks(Model::Binomial, kind, s, k, r, q, t, vol).price;
        for model in [Model::Baw, Model::Bjs1993, Model::Bjs2002] {
            let v = greeks(model, kind, s, k, r, q, t, vol).price;
            assert!(
                v.is_finite() && v >= euro && v >= kind.intrinsic(s, k),
                "{model} {kind:?} r={r} q={q}"
            );
            // BJS prices a feasible exercise policy, a lower bound; BAW may land on either side.
            let (below, above) = if model == Model::Baw {
                (0.03, 0.03)
            } else {
                (0.05, 1e-3)
            };
            assert!(
                v >= tree * (1.0 - below) && v <= tree * (1.0 + above),
                "{model} {kind:?} r={r} q={q}: {v} vs tree {tree}"
            );
            println!("{model} {kind:?} r={r} q={q}: {v:.5} (tree {tree:.5}, European {euro:.5})");
        }
        if !early_exercise_possible(kind, r, r - q) {
            assert!(
                (tree - euro).abs() < 1e-3,
                "{kind:?} r={r} q={q}: {tree} vs {euro}"
            );
        }
    }
}

#[test]
fn options_invalid_inputs_name_the_field() {
    let cases: [(Model, [f64; 6], u32, &str); 7] = [
        (Model::Bsm, [-1.0, 100.0, 0.0, 0.0, 1.0, 0.2], 0, "spot"),
        (Model::Black76Coin, [100.0, 0.0, 0.0, 0.0, 1.0, 0.2], 0, "strike"),
        (
            Model::Bachelier,
            [-5.0, -3.0, f64::INFINITY, 0.0, 1.0, 2.0],
            0,
            "rate",
        ),
        (Model::Baw, [100.0, 100.0, 0.0, f64::NAN, 1.0, 0.2], 0, "dividend"),
        (Model::Bjs2002, [100.0, 100.0, 0.0, 0.0, -0.5, 0.2], 0, "time"),
        (Model::Bjs1993, [100.0, 100.0, 0.0, 0.0, 1.0, 0.0], 0, "vol"),
        (
            Model::BinomialEuropean,
            [100.0, 100.0, 0.0, 0.0, 1.0, 0.2],
            10_001,
            "steps",
        ),
    ];
    for (model, [s, k, r, q, t, vol], steps, expected) in cases {
        match price_greeks(model, PUT, s, k, r, q, t, vol, steps) {
            Err(e @ PricingError::InvalidInput { field, .. }) => {
                assert_eq!(field, expected, "{model}: {e}");
                assert!(e.to_string().contains(expected), "{e}");
            }
            other => panic!("{model}: expected an error on {expected}, got {other:?}"),
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 2000,
        failure_persistence: Some(Box::new(FileFailurePersistence::WithSource("proptest-regressions"))),
        ..ProptestConfig::default()
    })]

    /// Spot 0.01 to 10⁵, strikes e^{±3} around it, rates and yields −5% to 30%, expiries of an hour to
    /// 30 years, volatilities 0.1% to 500%: always a finite, non-negative price and finite Greeks.
    #[test]
    fn options_no_valid_input_breaks_a_model(
        model in prop::sample::select(Model::ALL.to_vec()), call in any::<bool>(),
        log_s in -2.0_f64..5.0, moneyness in -3.0_f64..3.0, r in -0.05_f64..0.3, q in -0.05_f64..0.3,
        log_t in -4.0_f64..1.5, log_vol in -3.0_f64..0.7,
    ) {
        let kind = if call { CALL } else { PUT };
        let s = 10f64.powf(log_s);
        let k = s * moneyness.exp();
        let t = 10f64.powf(log_t);
        let vol = if model == Model::Bachelier { 10f64.powf(log_vol) * s } else { 10f64.powf(log_vol) };
        let g = price_greeks(model, kind, s, k, r, q, t, vol, 51).unwrap();
        let all = [g.price, g.delta, g.gamma, g.vega, g.theta, g.rho, g.dividend_rho, g.vanna, g.volga, g.charm];
        prop_assert!(all.iter().all(|x| x.is_finite()), "{model} {kind:?}: {g:?}");
        prop_assert!(g.price >= 0.0, "{model} {kind:?}: {g:?}");
        if model.is_american() && model != Model::Binomial {
            let euro = price_greeks(Model::Bsm, kind, s, k, r, q, t, vol, 0).unwrap().price;
            prop_assert!(g.price >= euro && g.price >= kind.intrinsic(s, k), "{model} {kind:?}: {g:?}");
        }
    }
}
