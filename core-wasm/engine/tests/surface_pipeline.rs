#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! The whole pipeline on a synthetic chain priced from known forwards, discount factors and SVI smiles:
//! everything `build_surface` reports must come back.

use ferrodesk_engine::options::black::black_price;
use ferrodesk_engine::surface::json::report_value;
use ferrodesk_engine::surface::parity::ForwardSource;
use ferrodesk_engine::surface::{
    build_surface, Chain, ExpiryIssue, OptionKind, OptionQuote, SurfaceOptions, SviParams, UtcTimestamp,
    Weighting,
};

fn iso(s: &str) -> UtcTimestamp {
    UtcTimestamp::parse_iso8601(s).unwrap()
}

const SPOT: f64 = 5000.0;
const RATE: f64 = 0.04;
const CARRY: f64 = 0.015;

/// Per-year smile scaled by `t`, so total variance grows with maturity at every `k` (calendar-free).
fn smile(t: f64) -> SviParams {
    SviParams::new_checked(0.02 * t, 0.1 * t, -0.6, 0.02, 0.15).unwrap()
}

/// Two-sided quotes at every strike for both calls and puts, spread 1e-6 of the price.
fn slice(expiry: UtcTimestamp, t: f64, row: &mut usize) -> Vec<OptionQuote> {
    let (forward, df, p) = (SPOT * (CARRY * t).exp(), (-RATE * t).exp(), smile(t));
    let sd = p.total_variance(0.0).sqrt();
    let mut quotes = Vec::new();
    for i in 0..=60 {
        let k = -4.0 * sd + 6.5 * sd * i as f64 / 60.0;
        let strike = (forward * k.exp() * 10.0).round() / 10.0;
        let vol = p.implied_vol((strike / forward).ln(), t);
        for kind in [OptionKind::Call, OptionKind::Put] {
            let price = df * black_price(forward, strike, vol, t, kind.is_call());
            *row += 1;
            let half = 0.5e-6 * price;
            quotes.push(OptionQuote {
                row: *row,
                expiry,
                strike,
                kind,
                bid: Some(price - half),
                ask: Some(price + half),
                underlying: None,
                vendor_iv: Some(vol),
            });
        }
    }
    quotes
}

#[test]
fn synthetic_chain_round_trips_through_build_surface() {
    let as_of = iso("2026-01-02T21:00:00Z");
    let expiries = [
        iso("2026-02-20T21:00:00Z"),
        iso("2026-06-18T13:30:00Z"),
        iso("2027-01-15T14:30:00Z"),
    ];
    let mut row = 1;
    let mut quotes: Vec<OptionQuote> = Vec::new();
    for e in expiries {
        quotes.extend(slice(e, as_of.year_fraction_to(e), &mut row));
    }
    // An expired series and a nearly empty one (no call/put pair at a common strike).
    let stale = iso("2025-12-19T14:30:00Z");
    quotes.extend(slice(stale, 0.1, &mut row).into_iter().take(4));
    let thin = iso("2026-03-20T13:30:00Z");
    let t_thin = as_of.year_fraction_to(thin);
    let thin_calls: Vec<OptionQuote> = slice(thin, t_thin, &mut row)
        .into_iter()
        .filter(|q| q.kind.is_call())
        .collect();
    quotes.extend(thin_calls.into_iter().rev().take(3));
    let chain = Chain::new(quotes);

    for weighting in [Weighting::Vega, Weighting::Spread, Weighting::Uniform] {
        let report = build_surface(
            &chain,
            as_of,
            &SurfaceOptions {
                weighting,
                ..SurfaceOptions::default()
            },
        );
        assert_eq!(report.expiries.len(), 5);
        assert!(matches!(
            report.expiries[0].issue,
            Some(ExpiryIssue::Expired { .. })
        ));
        let thin_report = report.expiries.iter().find(|e| e.expiry == thin).unwrap();
        assert_eq!(thin_report.forward.unwrap().source, ForwardSource::Interpolated);
        assert!(matches!(
            thin_report.issue,
            Some(ExpiryIssue::TooFewQuotes { found: 3, needed: 8 })
        ));
        let thin_forward = SPOT * (CARRY * t_thin).exp();
        assert!((thin_report.forward.unwrap().forward / thin_forward - 1.0).abs() < 1e-4);

        for e in report.expiries.iter().filter(|e| expiries.contains(&e.expiry)) {
            let f = e.forward.unwrap();
            assert_eq!(f.source, ForwardSource::PutCallParity);
            assert!(
                (f.forward / (SPOT * (CARRY * e.t).exp()) - 1.0).abs() < 1e-9,
                "F {}",
                f.forward
            );
            assert!((f.df - (-RATE * e.t).exp()).abs() < 1e-9, "DF {}", f.df);
            let fit = e.fit.unwrap();
            assert!(
                fit.rmse_vol_points < 1e-3,
                "{}: rmse {}",
                weighting.as_str(),
                fit.rmse_vol_points
            );
            let truth = smile(e.t);
            for k in [-0.2, 0.0, 0.1] {
                assert!((fit.params.implied_vol(k, e.t) - truth.implied_vol(k, e.t)).abs() < 1e-5);
            }
            let b = e.butterfly.as_ref().unwrap();
            assert!(!b.arbitrage_in_quoted_range && b.min_g_in_quoted_range > 0.0);
            // 61 strikes, one out-of-the-money option each.
            assert_eq!(e.quotes.len(), 61);
            assert_eq!(e.n_fit_quotes, 61);
        }
        assert_eq!(report.fitted.len(), 3);
        assert_eq!(report.calendar.pairs_checked, 2);
        assert!(report.calendar.arbitrage_free_in_quoted_range);
        let ssvi = report.ssvi.fit.as_ref().unwrap();
        assert!(ssvi.rmse_vol_points.is_finite() && ssvi.conditions.butterfly_free);
        let surface = report.surface().unwrap();
        let t_mid = 0.5 * (report.expiries[1].t + report.expiries[3].t);
        assert!(surface.implied_vol(0.0, t_mid).is_finite());
        let json: serde_json::Value =
            serde_json::from_str(&report_value(&report, None, true).to_string()).unwrap();
        assert_eq!(
            json["expiries"][0]["issue"]
                .as_str()
                .map(|s| s.starts_with("expired")),
            Some(true)
        );
        assert_eq!(json["expiries"][1]["forward_source"], "put_call_parity");
        assert!(json["expiries"][1]["quotes"][0]["mid_iv"].is_f64());
    }
}

#[test]
fn surface_empty_chain_gives_an_empty_report() {
    let report = build_surface(
        &Chain::default(),
        iso("2026-01-02T21:00:00Z"),
        &SurfaceOptions::default(),
    );
    assert!(report.expiries.is_empty() && report.fitted.is_empty());
    assert!(report.calendar.arbitrage_free && report.ssvi.fit.is_err() && report.surface().is_err());
    let json: serde_json::Value = serde_json::from_str(&report.to_json()).unwrap();
    assert!(json["ssvi"]["error"].is_string());
}
