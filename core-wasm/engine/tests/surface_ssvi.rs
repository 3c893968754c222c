#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! SSVI (Gatheral & Jacquier 2014): surface round trips and the no-arbitrage conditions.

use ferrodesk_engine::surface::arbitrage::{butterfly_report, KGrid};
use ferrodesk_engine::surface::ssvi::{fit_ssvi, non_decreasing, SsviFitError, SsviSlice};
use ferrodesk_engine::surface::svi_fit::SmilePoint;
use ferrodesk_engine::surface::SsviParams;

const TIMES: [f64; 6] = [0.05, 0.1, 0.25, 0.5, 1.0, 2.0];

/// ATM total variance of a gently upward-sloping term structure.
fn theta(t: f64) -> f64 {
    (0.12 + 0.05 * t.sqrt()).powi(2) * t
}

fn synthetic(p: &SsviParams) -> Vec<SsviSlice> {
    TIMES
        .iter()
        .map(|&t| {
            let th = theta(t);
            let width = 4.0 * th.sqrt();
            let points = (0..31)
                .map(|i| {
                    let k = -width + 1.4 * width * i as f64 / 30.0;
                    SmilePoint {
                        k,
                        total_variance: p.total_variance(k, th),
                        weight: 1.0,
                    }
                })
                .collect();
            SsviSlice { t, theta: th, points }
        })
        .collect()
}

#[test]
fn surface_constrained_ssvi_round_trips() {
    let truth = SsviParams {
        rho: -0.65,
        eta: 1.1,
        gamma: 0.4,
    };
    let fit = fit_ssvi(&synthetic(&truth), true).unwrap();
    println!(
        "SSVI refit {:?}, rmse {:.2e} vol points",
        fit.params, fit.rmse_vol_points
    );
    assert!(fit.rmse_vol_points < 1e-4);
    assert!((fit.params.rho - truth.rho).abs() < 1e-4);
    assert!((fit.params.eta - truth.eta).abs() < 1e-3);
    assert!((fit.params.gamma - truth.gamma).abs() < 1e-3);
    let c = fit.conditions;
    assert!(fit.constrained && c.power_law_sufficient && c.butterfly_free && c.calendar_free);
    assert!((c.eta_one_plus_abs_rho - 1.1 * 1.65).abs() < 2e-3);
}

#[test]
fn unconstrained_ssvi_recovers_an_arbitrageable_surface_and_reports_it() {
    // η(1 + |ρ|) = 3.4 > 2 and γ > ½: outside the power law's sufficient region.
    let truth = SsviParams {
        rho: -0.7,
        eta: 2.0,
        gamma: 0.7,
    };
    let slices = synthetic(&truth);
    let fit = fit_ssvi(&slices, false).unwrap();
    assert!(fit.rmse_vol_points < 1e-3, "rmse {}", fit.rmse_vol_points);
    assert!((fit.params.eta - truth.eta).abs() < 1e-2 && (fit.params.gamma - truth.gamma).abs() < 1e-2);
    let c = fit.conditions;
    assert!(!fit.constrained && !c.power_law_sufficient);
    assert!((c.eta_one_plus_abs_rho - 3.4).abs() < 0.02);
    // Theorem 4.2's second condition θφ²(1 + |ρ|) ≤ 4 fails at the shortest expiry (φ large when θ small),
    // and the density function confirms butterfly arbitrage there.
    assert!(!c.butterfly_free && c.max_theta_phi_squared > 4.0);
    let th = slices[0].theta;
    let g = butterfly_report(|k| fit.params.derivatives(k, th), &KGrid::default(), None);
    assert!(!g.arbitrage_free && g.min_g < 0.0);
    // The constrained fit of the same data stays inside the region.
    let constrained = fit_ssvi(&slices, true).unwrap();
    assert!(constrained.conditions.power_law_sufficient && constrained.conditions.butterfly_free);
    assert!(constrained.params.eta * (1.0 + constrained.params.rho.abs()) <= 2.0 + 1e-12);
}

#[test]
fn surface_sufficient_region_implies_nonnegative_density() {
    let p = SsviParams {
        rho: -0.8,
        eta: 2.0 / 1.8,
        gamma: 0.5,
    };
    for &t in &TIMES {
        let th = theta(t);
        let g = butterfly_report(|k| p.derivatives(k, th), &KGrid::default(), None);
        assert!(g.arbitrage_free, "t = {t}: min g {}", g.min_g);
    }
}

#[test]
fn surface_ssvi_derivatives_match_finite_differences() {
    let p = SsviParams {
        rho: -0.5,
        eta: 1.3,
        gamma: 0.35,
    };
    let th = 0.03;
    for k in [-0.6, -0.1, 0.0, 0.2, 0.7] {
        let (w, w1, w2) = p.derivatives(k, th);
        let h = 1e-4;
        let (up, down) = (p.total_variance(k + h, th), p.total_variance(k - h, th));
        assert!((w1 - (up - down) / (2.0 * h)).abs() < 1e-8);
        assert!((w2 - (up - 2.0 * w + down) / (h * h)).abs() < 1e-5);
    }
    // At the money w equals θ.
    assert!((p.total_variance(0.0, th) - th).abs() < 1e-15);
}

#[test]
fn surface_theta_term_structure_is_made_non_decreasing() {
    assert_eq!(non_decreasing(&[1.0, 3.0, 2.0, 4.0]), vec![1.0, 2.5, 2.5, 4.0]);
    assert_eq!(non_decreasing(&[3.0, 2.0, 1.0]), vec![2.0, 2.0, 2.0]);
    assert_eq!(non_decreasing(&[0.1, 0.2]), vec![0.1, 0.2]);
    assert!(non_decreasing(&[]).is_empty());
    let p = SsviParams {
        rho: -0.5,
        eta: 1.0,
        gamma: 0.4,
    };
    assert!(!p.conditions(&[0.02, 0.01]).theta_non_decreasing);
    assert!(!p.conditions(&[0.02, 0.01]).calendar_free);
}

#[test]
fn surface_bad_inputs_are_typed_errors() {
    assert_eq!(fit_ssvi(&[], true), Err(SsviFitError::NoSlices));
    let bad = SsviSlice {
        t: 0.5,
        theta: -0.01,
        points: Vec::new(),
    };
    assert_eq!(
        fit_ssvi(&[bad], true),
        Err(SsviFitError::BadTheta { t: 0.5, theta: -0.01 })
    );
    let empty = SsviSlice {
        t: 0.5,
        theta: 0.01,
        points: Vec::new(),
    };
    assert_eq!(
        fit_ssvi(&[empty], true),
        Err(SsviFitError::TooFewPoints { found: 0 })
    );
}
