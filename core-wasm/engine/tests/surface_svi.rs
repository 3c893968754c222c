#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! Raw SVI: the published butterfly-arbitrage example, parameter recovery by the quasi-explicit fit.

use ferrodesk_engine::surface::arbitrage::{svi_butterfly_report, KGrid};
use ferrodesk_engine::surface::svi::SviError;
use ferrodesk_engine::surface::svi_fit::{fit_svi, SmilePoint, SviFitError};
use ferrodesk_engine::surface::SviParams;
use proptest::prelude::*;
use proptest::test_runner::FileFailurePersistence;
use std::path::PathBuf;

fn shared_data() -> Option<PathBuf> {
    let dir = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data"));
    if dir.is_dir() {
        Some(dir)
    } else {
        println!("skipping: ../shared/data not found");
        None
    }
}

/// Reads the Vogt slice from the published reference file.
fn vogt() -> Option<(SviParams, f64)> {
    let text =
        std::fs::read_to_string(shared_data()?.join("reference_values/svi_reference_params.csv")).unwrap();
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let row: Vec<&str> = lines
        .find(|l| l.starts_with("vogt_butterfly_arbitrage"))
        .unwrap()
        .split(',')
        .collect();
    let get = |name: &str| -> f64 {
        row[header.iter().position(|h| *h == name).unwrap()]
            .parse()
            .unwrap()
    };
    let p = SviParams::new_checked(get("a"), get("b"), get("rho"), get("m"), get("sigma")).unwrap();
    Some((p, get("t_years")))
}

fn exact_points(p: &SviParams, k_lo: f64, k_hi: f64, n: usize) -> Vec<SmilePoint> {
    (0..n)
        .map(|i| {
            let k = k_lo + (k_hi - k_lo) * i as f64 / (n - 1) as f64;
            SmilePoint {
                k,
                total_variance: p.total_variance(k),
                weight: 1.0,
            }
        })
        .collect()
}

#[test]
fn surface_vogt_slice_is_flagged_for_butterfly_arbitrage() {
    let Some((p, _)) = vogt() else { return };
    assert!(p.min_total_variance() > 0.0, "w > 0 everywhere");
    let report = svi_butterfly_report(&p, &KGrid::default(), None);
    println!(
        "Vogt: min g = {:.6} at k = {:.4}; intervals {:?}",
        report.min_g, report.k_at_min, report.intervals
    );
    assert!(!report.arbitrage_free && !report.nonpositive_variance);
    assert_eq!(report.intervals.len(), 1);
    let iv = report.intervals[0];
    // Gatheral & Jacquier (2014) plot g < 0 for k in about [0.64, 1.26].
    assert!(
        (iv.k_start - 0.64).abs() < 0.03 && (iv.k_end - 1.26).abs() < 0.03,
        "{iv:?}"
    );
    assert!(iv.k_start < 0.7 && iv.k_end > 1.2 && iv.min_value < 0.0);
    assert!(report.min_g < 0.0 && report.k_at_min > iv.k_start && report.k_at_min < iv.k_end);
}

#[test]
fn surface_vogt_slice_round_trips_through_the_fit() {
    let Some((p, t)) = vogt() else { return };
    let fit = fit_svi(&exact_points(&p, -1.5, 1.5, 61), t).unwrap();
    println!(
        "Vogt refit: {:?}, rmse {:.3e} vol points",
        fit.params, fit.rmse_vol_points
    );
    assert!(fit.rmse_vol_points < 1e-5);
    for (got, want) in fit.params.to_array().iter().zip(p.to_array()) {
        assert!((got - want).abs() < 1e-5, "{got} vs {want}");
    }
}

#[test]
fn surface_synthetic_equity_slice_round_trips() {
    let p = SviParams::new_checked(0.01, 0.12, -0.7, 0.05, 0.15).unwrap();
    let t = 0.5;
    let fit = fit_svi(&exact_points(&p, -0.9, 0.4, 40), t).unwrap();
    assert!(fit.rmse_vol_points < 1e-6, "rmse {}", fit.rmse_vol_points);
    for (got, want) in fit.params.to_array().iter().zip(p.to_array()) {
        assert!((got - want).abs() < 1e-6, "{got} vs {want}");
    }
    let report = svi_butterfly_report(&fit.params, &KGrid::default(), Some((-0.9, 0.4)));
    assert!(report.arbitrage_free && !report.arbitrage_in_quoted_range && report.min_g_in_quoted_range > 0.0);
}

#[test]
fn surface_fit_respects_minimum_variance_constraint() {
    // Data whose unconstrained least-squares smile would dip below zero: the fit must stay admissible.
    let points: Vec<SmilePoint> = [
        (-0.3, 0.02),
        (-0.2, 0.008),
        (-0.1, 0.0006),
        (0.0, 0.0004),
        (0.1, 0.0007),
        (0.2, 0.009),
    ]
    .iter()
    .map(|&(k, w)| SmilePoint {
        k,
        total_variance: w,
        weight: 1.0,
    })
    .collect();
    let fit = fit_svi(&points, 0.1).unwrap();
    fit.params.validate().unwrap();
    assert!(fit.params.min_total_variance() >= 0.0 && fit.params.satisfies_lee_bound());
}

#[test]
fn surface_fit_rejects_unusable_input_with_values() {
    let p = SviParams::new_checked(0.02, 0.1, -0.3, 0.0, 0.2).unwrap();
    let mut points = exact_points(&p, -0.5, 0.5, 10);
    assert_eq!(
        fit_svi(&points[..4], 1.0),
        Err(SviFitError::TooFewPoints { found: 4 })
    );
    assert_eq!(
        fit_svi(&points, 0.0),
        Err(SviFitError::NonPositiveTime { t: 0.0 })
    );
    points[3].total_variance = f64::NAN;
    assert!(matches!(
        fit_svi(&points, 1.0),
        Err(SviFitError::BadPoint { index: 3, .. })
    ));
}

#[test]
fn surface_parameter_validation_names_the_violation() {
    assert_eq!(
        SviParams::new_checked(0.0, -0.1, 0.0, 0.0, 0.1),
        Err(SviError::NegativeB { b: -0.1 })
    );
    assert_eq!(
        SviParams::new_checked(0.0, 0.1, 1.0, 0.0, 0.1),
        Err(SviError::RhoOutOfRange { rho: 1.0 })
    );
    assert_eq!(
        SviParams::new_checked(0.0, 0.1, 0.0, 0.0, 0.0),
        Err(SviError::NonPositiveSigma { sigma: 0.0 })
    );
    assert!(matches!(
        SviParams::new_checked(-0.1, 0.1, 0.0, 0.0, 0.1),
        Err(SviError::NegativeMinimumVariance { min_w }) if (min_w + 0.09).abs() < 1e-12
    ));
    assert_eq!(
        SviParams::from_slice(&[0.1; 4]),
        Err(SviError::WrongLength { len: 4 })
    );
    assert!(matches!(
        SviParams::new_checked(f64::NAN, 0.1, 0.0, 0.0, 0.1),
        Err(SviError::NonFinite { name: "a", .. })
    ));
}

#[test]
fn surface_svi_derivatives_match_finite_differences() {
    let p = SviParams::new_checked(-0.041, 0.1331, 0.306, 0.3586, 0.4153).unwrap();
    for k in [-1.0, -0.2, 0.3586, 0.9, 1.7] {
        let (w, w1, w2) = p.derivatives(k);
        let h = 1e-4;
        assert!((w - p.total_variance(k)).abs() < 1e-15);
        assert!((w1 - (p.total_variance(k + h) - p.total_variance(k - h)) / (2.0 * h)).abs() < 1e-8);
        let fd2 = (p.total_variance(k + h) - 2.0 * w + p.total_variance(k - h)) / (h * h);
        assert!((w2 - fd2).abs() < 1e-5);
    }
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 32,
        failure_persistence: Some(Box::new(FileFailurePersistence::WithSource("regressions"))),
        ..ProptestConfig::default()
    })]

    /// Any admissible slice sampled densely over a wide strike range is recovered to fit precision.
    #[test]
    fn surface_admissible_slices_round_trip(
        rho in -0.9f64..0.9,
        slope in 0.05f64..1.5,
        m in -0.3f64..0.3,
        sigma in 0.05f64..0.6,
        min_w in 0.002f64..0.1,
        t in 0.05f64..3.0,
    ) {
        let b = slope / (1.0 + rho.abs());
        let a = min_w - b * sigma * (1.0 - rho * rho).sqrt();
        let p = SviParams::new_checked(a, b, rho, m, sigma).unwrap();
        let fit = fit_svi(&exact_points(&p, -1.2, 1.2, 49), t).unwrap();
        let rmse = fit.rmse_vol_points;
        prop_assert!(rmse < 1e-3, "rmse {} for {:?} -> {:?}", rmse, p, fit.params);
        prop_assert!(fit.params.validate().is_ok());
    }
}
