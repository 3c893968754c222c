//! JSON rendering of a [`SurfaceReport`] (and of an import's row errors) for the CLI and the UI.
//!
//! Numbers that do not exist (NaN: no volatility, no fit) are `null`; every such value sits next to a
//! field saying why (`issue`, `bid_issue`, …). Times are ISO-8601 UTC strings; `t` is ACT/365 years;
//! `k = ln(K/F)`; volatilities are decimals; RMSEs are in vol points. Shape:
//!
//! ```text
//! { as_of, weighting,
//!   import: null | { rows_read, rows_imported, n_errors,
//!                    errors: [{ row, column, value, problem, message }] },
//!   expiries: [{ expiry, t, n_chain_quotes, forward, df, forward_source, parity_pairs_available,
//!                parity_pairs_used, parity_residual_rms, svi: null | { a, b, rho, m, sigma },
//!                rmse_vol_points, n_quotes, atm_vol, issue,
//!                butterfly: null | { arbitrage_free, min_g, k_at_min, nonpositive_variance,
//!                                    intervals: [{ k_start, k_end, min_g, k_at }],
//!                                    quoted_k_min, quoted_k_max, min_g_in_quoted_range,
//!                                    arbitrage_in_quoted_range, grid: { k_min, k_max, n } },
//!                quotes?: [{ row, strike, k, type, bid_iv, ask_iv, mid_iv, bid_issue, ask_issue, mid_issue,
//!                            vendor_iv }] }],
//!   calendar: { arbitrage_free, arbitrage_free_in_quoted_range, pairs_checked, max_decrease, grid,
//!               violations: [{ near_expiry, far_expiry, t_near, t_far, max_decrease, k_at_max,
//!                              max_decrease_in_quoted_range,
//!                              k_ranges: [{ k_start, k_end, max_decrease, k_at }] }] },
//!   ssvi: { rho, eta, gamma, rmse_vol_points, n_quotes, constrained,
//!           conditions: { eta_one_plus_abs_rho, power_law_sufficient, max_theta_phi_one_plus_abs_rho,
//!                         max_theta_phi_squared_one_plus_abs_rho, butterfly_free, theta_non_decreasing,
//!                         calendar_phi_condition, calendar_free },
//!           thetas: [{ expiry, t, theta_fitted, theta_used }], error } }
//! ```
//! (`ssvi` holds only `thetas` and `error` when the SSVI fit failed.)

use super::arbitrage::{ButterflyReport, CalendarReport, KGrid, NegativeInterval};
use super::build::{ExpiryReport, SsviReport, SurfaceReport};
use super::chain::ImportOutcome;
use super::iv::{QuoteVol, SideVol};
use super::svi::SviParams;
use serde_json::{json, Map, Value};

/// Row errors listed in full up to this count; the total is always reported.
const MAX_LISTED_ERRORS: usize = 1000;

/// A finite number, or `null`.
fn num(x: f64) -> Value {
    serde_json::Number::from_f64(x).map_or(Value::Null, Value::Number)
}

fn svi_json(p: &SviParams) -> Value {
    json!({ "a": num(p.a), "b": num(p.b), "rho": num(p.rho), "m": num(p.m), "sigma": num(p.sigma) })
}

fn grid_json(g: &KGrid) -> Value {
    json!({ "k_min": num(g.k_min()), "k_max": num(g.k_max()), "n": g.len() })
}

fn interval_json(iv: &NegativeInterval, value_key: &str, negate: bool) -> Value {
    let v = if negate { -iv.min_value } else { iv.min_value };
    let mut m = Map::new();
    m.insert("k_start".into(), num(iv.k_start));
    m.insert("k_end".into(), num(iv.k_end));
    m.insert(value_key.into(), num(v));
    m.insert("k_at".into(), num(iv.k_at_min));
    Value::Object(m)
}

fn butterfly_json(b: &ButterflyReport) -> Value {
    json!({
        "arbitrage_free": b.arbitrage_free,
        "min_g": num(b.min_g),
        "k_at_min": num(b.k_at_min),
        "nonpositive_variance": b.nonpositive_variance,
        "intervals": b.intervals.iter().map(|iv| interval_json(iv, "min_g", false)).collect::<Vec<_>>(),
        "quoted_k_min": b.quoted_range.map_or(Value::Null, |r| num(r.0)),
        "quoted_k_max": b.quoted_range.map_or(Value::Null, |r| num(r.1)),
        "min_g_in_quoted_range": num(b.min_g_in_quoted_range),
        "arbitrage_in_quoted_range": b.arbitrage_in_quoted_range,
        "grid": grid_json(&b.grid),
    })
}

fn side(s: &SideVol) -> (Value, Value) {
    (
        num(s.iv),
        s.issue
            .as_ref()
            .map_or(Value::Null, |i| Value::String(i.to_string())),
    )
}

fn quote_json(q: &QuoteVol) -> Value {
    let ((bid, bid_issue), (ask, ask_issue), (mid, mid_issue)) = (side(&q.bid), side(&q.ask), side(&q.mid));
    json!({
        "row": q.row, "strike": num(q.strike), "k": num(q.k), "type": q.kind.as_str(),
        "bid_iv": bid, "ask_iv": ask, "mid_iv": mid,
        "bid_issue": bid_issue, "ask_issue": ask_issue, "mid_issue": mid_issue,
        "vendor_iv": num(q.vendor_iv),
    })
}

fn expiry_json(e: &ExpiryReport, include_quotes: bool) -> Value {
    let f = e.forward.as_ref();
    let mut v = json!({
        "expiry": e.expiry.to_iso8601(),
        "t": num(e.t),
        "n_chain_quotes": e.n_chain_quotes,
        "forward": f.map_or(Value::Null, |f| num(f.forward)),
        "df": f.map_or(Value::Null, |f| num(f.df)),
        "forward_source": f.map_or(Value::Null, |f| Value::String(f.source.as_str().into())),
        "parity_pairs_available": f.map_or(Value::Null, |f| f.pairs_available.into()),
        "parity_pairs_used": f.map_or(Value::Null, |f| f.pairs_used.into()),
        "parity_residual_rms": f.map_or(Value::Null, |f| num(f.residual_rms)),
        "svi": e.fit.as_ref().map_or(Value::Null, |fit| svi_json(&fit.params)),
        "rmse_vol_points": e.fit.as_ref().map_or(Value::Null, |fit| num(fit.rmse_vol_points)),
        "n_quotes": e.n_fit_quotes,
        "atm_vol": e.fit.as_ref().map_or(Value::Null, |fit| num(fit.params.implied_vol(0.0, e.t))),
        "butterfly": e.butterfly.as_ref().map_or(Value::Null, butterfly_json),
        "issue": e.issue.as_ref().map_or(Value::Null, |i| Value::String(i.to_string())),
    });
    if let (true, Value::Object(map)) = (include_quotes, &mut v) {
        map.insert(
            "quotes".into(),
            Value::Array(e.quotes.iter().map(quote_json).collect()),
        );
    }
    v
}

fn calendar_json(r: &SurfaceReport, c: &CalendarReport) -> Value {
    let expiry_of = |slice: usize| r.fitted.get(slice).and_then(|&i| r.expiries.get(i));
    let violations: Vec<Value> = c
        .violations
        .iter()
        .map(|v| {
            let (near, far) = (expiry_of(v.near), expiry_of(v.far));
            json!({
                "near_expiry": near.map(|e| e.expiry.to_iso8601()),
                "far_expiry": far.map(|e| e.expiry.to_iso8601()),
                "t_near": near.map_or(Value::Null, |e| num(e.t)),
                "t_far": far.map_or(Value::Null, |e| num(e.t)),
                "max_decrease": num(v.max_decrease),
                "k_at_max": num(v.k_at_max),
                "max_decrease_in_quoted_range": num(v.max_decrease_in_quoted_range),
                "k_ranges": v
                    .intervals
                    .iter()
                    .map(|iv| interval_json(iv, "max_decrease", true))
                    .collect::<Vec<_>>(),
            })
        })
        .collect();
    json!({
        "arbitrage_free": c.arbitrage_free,
        "pairs_checked": c.pairs_checked,
        "max_decrease": num(c.max_decrease),
        "arbitrage_free_in_quoted_range": c.arbitrage_free_in_quoted_range,
        "grid": grid_json(&c.grid),
        "violations": violations,
    })
}

fn ssvi_json(r: &SurfaceReport, s: &SsviReport) -> Value {
    let thetas: Vec<Value> = s
        .expiries
        .iter()
        .zip(s.theta_fitted.iter().zip(&s.theta_used))
        .filter_map(|(&i, (fitted, used))| {
            let e = r.expiries.get(i)?;
            Some(json!({
                "expiry": e.expiry.to_iso8601(),
                "t": num(e.t),
                "theta_fitted": num(*fitted),
                "theta_used": num(*used),
            }))
        })
        .collect();
    match &s.fit {
        Ok(fit) => {
            let c = &fit.conditions;
            json!({
                "rho": num(fit.params.rho),
                "eta": num(fit.params.eta),
                "gamma": num(fit.params.gamma),
                "rmse_vol_points": num(fit.rmse_vol_points),
                "n_quotes": fit.n_points,
                "constrained": fit.constrained,
                "conditions": {
                    "eta_one_plus_abs_rho": num(c.eta_one_plus_abs_rho),
                    "power_law_sufficient": c.power_law_sufficient,
                    "max_theta_phi_one_plus_abs_rho": num(c.max_theta_phi),
                    "max_theta_phi_squared_one_plus_abs_rho": num(c.max_theta_phi_squared),
                    "butterfly_free": c.butterfly_free,
                    "theta_non_decreasing": c.theta_non_decreasing,
                    "calendar_phi_condition": c.calendar_phi_condition,
                    "calendar_free": c.calendar_free,
                },
                "thetas": thetas,
                "error": null,
            })
        }
        Err(e) => json!({ "thetas": thetas, "error": e.to_string() }),
    }
}

fn import_json(outcome: &ImportOutcome) -> Value {
    let errors: Vec<Value> = outcome
        .errors
        .iter()
        .take(MAX_LISTED_ERRORS)
        .map(|e| {
            json!({
                "row": e.row,
                "column": e.column,
                "value": e.value,
                "problem": e.problem.to_string(),
                "message": e.to_string(),
            })
        })
        .collect();
    json!({
        "rows_read": outcome.rows_read,
        "rows_imported": outcome.chain.len(),
        "n_errors": outcome.errors.len(),
        "errors": errors,
    })
}

/// The report as a JSON value; with `import`, an `import` section lists rejected rows.
pub fn report_value(report: &SurfaceReport, import: Option<&ImportOutcome>, include_quotes: bool) -> Value {
    json!({
        "as_of": report.as_of.to_iso8601(),
        "weighting": report.weighting.as_str(),
        "import": import.map_or(Value::Null, import_json),
        "expiries": report.expiries.iter().map(|e| expiry_json(e, include_quotes)).collect::<Vec<_>>(),
        "calendar": calendar_json(report, &report.calendar),
        "ssvi": ssvi_json(report, &report.ssvi),
    })
}

impl SurfaceReport {
    /// Compact JSON text of the report, per-quote volatilities included.
    pub fn to_json(&self) -> String {
        report_value(self, None, true).to_string()
    }
}
