#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! Calendar check, interval finder, grid and surface interpolation.

use ferrodesk_engine::surface::arbitrage::{calendar_report, negative_intervals, GridError, KGrid};
use ferrodesk_engine::surface::interp::SurfaceError;
use ferrodesk_engine::surface::{SviParams, SviSurface};

fn svi(a: f64, b: f64, rho: f64, m: f64, sigma: f64) -> SviParams {
    SviParams::new_checked(a, b, rho, m, sigma).unwrap()
}

/// Root of `f` on `[lo, hi]` by bisection (independent reference for interval ends).
fn root(f: impl Fn(f64) -> f64, mut lo: f64, mut hi: f64) -> f64 {
    for _ in 0..100 {
        let mid = 0.5 * (lo + hi);
        if (f(mid) < 0.0) == (f(lo) < 0.0) {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    0.5 * (lo + hi)
}

#[test]
fn surface_interval_finder_refines_ends_and_minimum() {
    let grid = KGrid::new(-1.0, 1.0, 201).unwrap();
    let runs = negative_intervals(&grid, |k| k * k - 0.0937);
    assert_eq!(runs.len(), 1);
    let r = runs[0];
    assert!((r.k_start + 0.0937_f64.sqrt()).abs() < 1e-12 && (r.k_end - 0.0937_f64.sqrt()).abs() < 1e-12);
    assert!((r.min_value + 0.0937).abs() < 1e-12 && r.k_at_min.abs() < 1e-12);
    // Runs touching the grid ends stop there; NaN counts as negative.
    let runs = negative_intervals(&grid, |k| if k > 0.5 { f64::NAN } else { 1.0 - k * k * 8.0 });
    assert_eq!(runs.len(), 2);
    assert_eq!(runs[0].k_start, -1.0);
    assert_eq!(runs[1].k_end, 1.0);
    assert!(negative_intervals(&grid, |k| k * k).is_empty());
}

#[test]
fn surface_calendar_check_reports_pairs_ranges_and_size() {
    let near = svi(0.01, 0.2, -0.5, 0.0, 0.1);
    let far = svi(0.025, 0.1, -0.5, 0.0, 0.1);
    let fine = svi(0.03, 0.25, -0.5, 0.0, 0.1);
    let grid = KGrid::default();
    let report = calendar_report(&[near, far, fine], None, &grid);
    assert_eq!(report.pairs_checked, 2);
    assert!(!report.arbitrage_free);
    assert_eq!(report.violations.len(), 1);
    let v = &report.violations[0];
    assert_eq!((v.near, v.far), (0, 1));
    // far − near = 0.015 − 0.1 (ρk + √(k² + σ²)) changes sign at two strikes; the left-wing decrease wins.
    let diff = |k: f64| far.total_variance(k) - near.total_variance(k);
    let (left, right) = (root(diff, -2.0, 0.0), root(diff, 0.0, 2.0));
    assert_eq!(v.intervals.len(), 2);
    assert!((v.intervals[0].k_end - left).abs() < 1e-9 && (v.intervals[1].k_start - right).abs() < 1e-9);
    assert_eq!(v.intervals[0].k_start, -2.0);
    assert!((v.max_decrease + diff(-2.0)).abs() < 1e-12 && v.k_at_max == -2.0);
    assert_eq!(report.max_decrease, v.max_decrease);
    // Restricted to quoted strikes inside (left, right) there is no decrease.
    let quoted = [
        (left + 0.01, right - 0.01),
        (left + 0.01, right - 0.01),
        (-1.0, 1.0),
    ];
    let report = calendar_report(&[near, far, fine], Some(&quoted), &grid);
    assert!(
        report.arbitrage_free_in_quoted_range && report.violations[0].max_decrease_in_quoted_range == 0.0
    );
    // Parallel shifts up are calendar-free.
    assert!(calendar_report(&[near, svi(0.015, 0.2, -0.5, 0.0, 0.1)], None, &grid).arbitrage_free);
}

#[test]
fn surface_grid_validation_and_widening() {
    assert_eq!(
        KGrid::new(1.0, -1.0, 10),
        Err(GridError {
            k_min: 1.0,
            k_max: -1.0,
            n: 10
        })
    );
    assert!(KGrid::new(-1.0, 1.0, 1).is_err() && KGrid::new(f64::NAN, 1.0, 10).is_err());
    let g = KGrid::new(-1.0, 1.0, 201).unwrap();
    let wide = g.covering(-1.55, 0.5);
    assert!((wide.step() - g.step()).abs() < 1e-15);
    assert!(wide.k_min() <= -1.55 && wide.k_min() > -1.56 && wide.k_max() == 1.0);
    assert_eq!(g.covering(f64::NAN, f64::NAN), g);
}

#[test]
fn surface_interpolates_total_variance_linearly_in_time() {
    let s1 = svi(0.01, 0.1, -0.6, 0.0, 0.1);
    let s2 = svi(0.03, 0.12, -0.6, 0.0, 0.15);
    let surface = SviSurface::new(vec![(1.0, s2), (0.25, s1)]).unwrap();
    assert_eq!(surface.times(), &[0.25, 1.0]);
    for k in [-0.5, 0.0, 0.3] {
        assert_eq!(surface.total_variance(k, 0.25), s1.total_variance(k));
        assert!((surface.total_variance(k, 1.0) - s2.total_variance(k)).abs() < 1e-15);
        let mid = surface.total_variance(k, 0.625);
        assert!((mid - 0.5 * (s1.total_variance(k) + s2.total_variance(k))).abs() < 1e-15);
        // Flat implied volatility outside the fitted range.
        assert!((surface.implied_vol(k, 0.1) - s1.implied_vol(k, 0.25)).abs() < 1e-15);
        assert!((surface.implied_vol(k, 3.0) - s2.implied_vol(k, 1.0)).abs() < 1e-12);
        // Calendar-free slices stay calendar-free in between.
        let ws: Vec<f64> = (1..=40)
            .map(|i| surface.total_variance(k, 0.05 * i as f64))
            .collect();
        assert!(ws.windows(2).all(|p| p[1] >= p[0]));
    }
    assert_eq!(surface.total_variance(0.0, 0.0), 0.0);
    assert!(surface.total_variance(0.0, -1.0).is_nan() && surface.implied_vol(0.0, 0.0).is_nan());
    let (ks, ts) = ([-0.2, 0.0, 0.2], [0.5, 2.0]);
    let mut out = [0.0; 6];
    surface.implied_vol_grid(&ks, &ts, &mut out).unwrap();
    assert_eq!(out[4], surface.implied_vol(0.0, 2.0));
    assert_eq!(
        surface.total_variance_grid(&ks, &ts, &mut [0.0; 5]),
        Err(SurfaceError::BufferSize {
            found: 5,
            expected: 6
        })
    );
}

#[test]
fn surface_rejects_bad_slices() {
    let s = svi(0.01, 0.1, -0.6, 0.0, 0.1);
    assert_eq!(SviSurface::new(Vec::new()), Err(SurfaceError::Empty));
    assert_eq!(
        SviSurface::new(vec![(0.5, s), (-1.0, s)]),
        Err(SurfaceError::BadTime { index: 1, t: -1.0 })
    );
    assert_eq!(
        SviSurface::new(vec![(0.5, s), (0.5, s)]),
        Err(SurfaceError::BadTime { index: 1, t: 0.5 })
    );
}
