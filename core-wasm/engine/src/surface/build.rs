//! The surface pipeline: per expiry forward and discount factor from parity (or interpolated between
//! neighbouring expiries when a slice has too few call/put pairs), out-of-the-money implied
//! volatilities, a raw SVI fit and its butterfly check; then the calendar check across fitted expiries and
//! an SSVI fit of the whole surface.

use super::arbitrage::{calendar_report, svi_butterfly_report, ButterflyReport, CalendarReport, KGrid};
use super::chain::{Chain, OptionQuote};
use super::interp::{SurfaceError, SviSurface};
use super::iv::{otm_quote_vols, QuoteVol};
use super::parity::{
    estimate_forward, interpolate_forward, venue_forward, ForwardEstimate, ParityError, ParityOptions,
};
use super::ssvi::{fit_ssvi, non_decreasing, SsviFit, SsviFitError, SsviSlice};
use super::svi_fit::{fit_svi, SmilePoint, SviFit, SviFitError};
use super::time::UtcTimestamp;
use thiserror::Error;

/// How quotes are weighted in the least-squares fits. Residuals are in implied volatility (total-variance
/// residuals scaled by `∂σ/∂w = 1/(2σt)`), so the weights below apply to squared vol errors.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Weighting {
    /// Every quote counts equally.
    Uniform,
    /// Black vega at the mid volatility: price-error weighting, emphasising the money.
    Vega,
    /// Inverse squared bid-ask spread in volatility: quotes count by their precision.
    Spread,
}

impl Weighting {
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Uniform => "uniform",
            Self::Vega => "vega",
            Self::Spread => "spread",
        }
    }
}

/// Options of [`build_surface`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SurfaceOptions {
    pub weighting: Weighting,
    pub parity: ParityOptions,
    /// Fewest fittable quotes for an SVI fit (at least 5 are always required).
    pub min_quotes: usize,
    /// Log-moneyness grid of the butterfly and calendar checks.
    pub grid: KGrid,
    /// Confine SSVI to the power law's arbitrage-free region `η(1 + |ρ|) ≤ 2`, `0 < γ ≤ ½`.
    pub ssvi_constrained: bool,
}

impl Default for SurfaceOptions {
    fn default() -> Self {
        Self {
            weighting: Weighting::Vega,
            parity: ParityOptions::default(),
            min_quotes: 8,
            grid: KGrid::default(),
            ssvi_constrained: true,
        }
    }
}

/// Why an expiry has no fitted smile.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum ExpiryIssue {
    #[error("expired: time to expiry {t} years is not positive")]
    Expired { t: f64 },
    #[error("no forward: {0}")]
    Parity(ParityError),
    #[error("only {found} quotes with bid, ask and mid volatilities; at least {needed} needed")]
    TooFewQuotes { found: usize, needed: usize },
    #[error("SVI fit failed: {0}")]
    Fit(SviFitError),
}

/// Everything computed for one expiry.
#[derive(Debug, Clone, PartialEq)]
pub struct ExpiryReport {
    pub expiry: UtcTimestamp,
    /// ACT/365 years from `as_of`.
    pub t: f64,
    /// Quotes in the chain for this expiry.
    pub n_chain_quotes: usize,
    pub forward: Option<ForwardEstimate>,
    /// Out-of-the-money quotes with implied volatilities.
    pub quotes: Vec<QuoteVol>,
    /// Quotes that entered the SVI fit.
    pub n_fit_quotes: usize,
    pub fit: Option<SviFit>,
    pub butterfly: Option<ButterflyReport>,
    pub issue: Option<ExpiryIssue>,
}

/// The SSVI section of the report.
#[derive(Debug, Clone, PartialEq)]
pub struct SsviReport {
    /// Indices into [`SurfaceReport::expiries`] of the expiries used, ascending in `t`.
    pub expiries: Vec<usize>,
    /// ATM total variance of each used expiry from its SVI fit, and after the isotonic (non-decreasing)
    /// adjustment that SSVI requires.
    pub theta_fitted: Vec<f64>,
    pub theta_used: Vec<f64>,
    pub fit: Result<SsviFit, SsviFitError>,
}

/// Output of [`build_surface`].
#[derive(Debug, Clone, PartialEq)]
pub struct SurfaceReport {
    pub as_of: UtcTimestamp,
    pub weighting: Weighting,
    /// One entry per expiry of the chain, ascending.
    pub expiries: Vec<ExpiryReport>,
    /// Indices into `expiries` of the fitted slices, ascending in `t`; the calendar report's slice indices
    /// refer to this list.
    pub fitted: Vec<usize>,
    pub calendar: CalendarReport,
    pub ssvi: SsviReport,
}

impl SurfaceReport {
    /// The fitted SVI slices as an interpolating surface.
    ///
    /// # Errors
    /// [`SurfaceError`] when no expiry was fitted.
    pub fn surface(&self) -> Result<SviSurface, SurfaceError> {
        let slices = self
            .fitted
            .iter()
            .filter_map(|&i| self.expiries.get(i))
            .filter_map(|e| e.fit.map(|f| (e.t, f.params)))
            .collect();
        SviSurface::new(slices)
    }
}

/// Least-squares points of a smile (in total variance) from its fittable quotes.
fn smile_points(quotes: &[QuoteVol], t: f64, weighting: Weighting) -> Vec<SmilePoint> {
    let fittable: Vec<&QuoteVol> = quotes.iter().filter(|q| q.is_fittable()).collect();
    let raw: Vec<f64> = fittable
        .iter()
        .map(|q| match weighting {
            Weighting::Uniform => 1.0,
            Weighting::Vega => q.vega.max(0.0),
            Weighting::Spread => (q.ask.iv - q.bid.iv).max(1e-4).powi(-2),
        })
        .collect();
    let scale = raw.iter().fold(0.0_f64, |m, w| m.max(*w));
    fittable
        .iter()
        .zip(raw)
        .map(|(q, w)| {
            let sigma = q.mid.iv;
            let to_vol = 1.0 / (2.0 * sigma * t);
            let weight = if scale > 0.0 {
                w / scale * to_vol * to_vol
            } else {
                0.0
            };
            SmilePoint {
                k: q.k,
                total_variance: sigma * sigma * t,
                weight,
            }
        })
        .collect()
}

/// The forward of every expiry: put-call parity, else the venue's reported underlying; expiries with
/// neither are interpolated from the unexpired others in a second pass.
fn forwards(
    slices: &[(f64, Vec<&OptionQuote>)],
    opts: &SurfaceOptions,
) -> Vec<Result<ForwardEstimate, ParityError>> {
    let own: Vec<Result<ForwardEstimate, ParityError>> = slices
        .iter()
        .map(|(_, quotes)| estimate_forward(quotes, &opts.parity).or_else(|e| venue_forward(quotes).ok_or(e)))
        .collect();
    let known: Vec<(f64, ForwardEstimate)> = slices
        .iter()
        .zip(&own)
        .filter(|((t, _), _)| *t > 0.0)
        .filter_map(|((t, _), f)| f.as_ref().ok().map(|f| (*t, *f)))
        .collect();
    slices
        .iter()
        .zip(own)
        .map(|((t, _), f)| f.or_else(|e| interpolate_forward(*t, &known).ok_or(e)))
        .collect()
}

fn build_expiry(
    expiry: UtcTimestamp,
    t: f64,
    slice: &[&OptionQuote],
    forward: Result<ForwardEstimate, ParityError>,
    opts: &SurfaceOptions,
) -> (ExpiryReport, Vec<SmilePoint>) {
    let mut report = ExpiryReport {
        expiry,
        t,
        n_chain_quotes: slice.len(),
        forward: None,
        quotes: Vec::new(),
        n_fit_quotes: 0,
        fit: None,
        butterfly: None,
        issue: None,
    };
    if t.is_nan() || t <= 0.0 {
        report.issue = Some(ExpiryIssue::Expired { t });
        return (report, Vec::new());
    }
    let forward = match forward {
        Ok(f) => f,
        Err(e) => {
            report.issue = Some(ExpiryIssue::Parity(e));
            return (report, Vec::new());
        }
    };
    report.forward = Some(forward);
    report.quotes = otm_quote_vols(slice, forward.forward, forward.df, t);
    let points = smile_points(&report.quotes, t, opts.weighting);
    report.n_fit_quotes = points.len();
    let needed = opts.min_quotes.max(5);
    if points.len() < needed {
        report.issue = Some(ExpiryIssue::TooFewQuotes {
            found: points.len(),
            needed,
        });
        return (report, points);
    }
    let quoted = points
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), p| {
            (lo.min(p.k), hi.max(p.k))
        });
    match fit_svi(&points, t) {
        Ok(fit) => {
            let grid = opts.grid.covering(quoted.0, quoted.1);
            report.butterfly = Some(svi_butterfly_report(&fit.params, &grid, Some(quoted)));
            report.fit = Some(fit);
        }
        Err(e) => report.issue = Some(ExpiryIssue::Fit(e)),
    }
    (report, points)
}

/// Builds the volatility surface of `chain` as seen at `as_of`.
///
/// Never fails as a whole: an expiry that cannot be fitted carries its [`ExpiryIssue`], and the SSVI
/// section carries its own error.
pub fn build_surface(chain: &Chain, as_of: UtcTimestamp, opts: &SurfaceOptions) -> SurfaceReport {
    let instants = chain.expiries();
    let slices: Vec<(f64, Vec<&OptionQuote>)> = instants
        .iter()
        .map(|&e| (as_of.year_fraction_to(e), chain.slice(e)))
        .collect();
    let forwards = forwards(&slices, opts);
    let mut expiries = Vec::new();
    let mut smiles = Vec::new();
    for ((expiry, (t, quotes)), forward) in instants.iter().zip(&slices).zip(forwards) {
        let (report, points) = build_expiry(*expiry, *t, quotes, forward, opts);
        expiries.push(report);
        smiles.push(points);
    }
    // Expiries are distinct instants in ascending order, so fitted slices are already in `t` order.
    let fitted: Vec<usize> = (0..expiries.len())
        .filter(|&i| expiries[i].fit.is_some())
        .collect();
    let params: Vec<_> = fitted
        .iter()
        .filter_map(|&i| expiries[i].fit.map(|f| f.params))
        .collect();
    let quoted: Vec<(f64, f64)> = fitted
        .iter()
        .map(|&i| {
            expiries[i]
                .butterfly
                .as_ref()
                .and_then(|b| b.quoted_range)
                .unwrap_or((f64::NAN, f64::NAN))
        })
        .collect();
    let calendar = calendar_report(&params, Some(&quoted), &opts.grid);
    let theta_fitted: Vec<f64> = params.iter().map(|p| p.total_variance(0.0)).collect();
    let theta_used = non_decreasing(&theta_fitted);
    let slices: Vec<SsviSlice> = fitted
        .iter()
        .zip(&theta_used)
        .map(|(&i, &theta)| SsviSlice {
            t: expiries[i].t,
            theta,
            points: smiles[i].clone(),
        })
        .collect();
    let ssvi = SsviReport {
        expiries: fitted.clone(),
        theta_fitted,
        theta_used,
        fit: fit_ssvi(&slices, opts.ssvi_constrained),
    };
    SurfaceReport {
        as_of,
        weighting: opts.weighting,
        expiries,
        fitted,
        calendar,
        ssvi,
    }
}
