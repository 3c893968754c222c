//! Implied volatilities of the out-of-the-money quotes of one expiry.
//!
//! Quoted prices are discounted; dividing by the slice's discount factor gives undiscounted Black-76
//! prices, inverted with Jäckel's "Let's Be Rational" solver from [`crate::options::lbr`]. Only
//! out-of-the-money options enter the smile (puts struck below the forward, calls at or above it): they
//! carry the time value, while in-the-money prices are dominated by intrinsic value and by the forward and
//! discount estimates. A side without a usable volatility is NaN with the reason attached.

use super::chain::{OptionKind, OptionQuote};
use crate::options::black::black_vega;
use crate::options::lbr::implied_black_volatility;

/// Why a quote side has no implied volatility.
#[derive(Debug, Clone, PartialEq)]
pub enum VolIssue {
    NoBid,
    NoAsk,
    /// The solver rejected the price (message from the solver, e.g. below intrinsic or above the bound).
    Solver(String),
}

impl std::fmt::Display for VolIssue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::NoBid => f.write_str("no bid"),
            Self::NoAsk => f.write_str("no ask"),
            Self::Solver(message) => write!(f, "no implied volatility: {message}"),
        }
    }
}

/// Implied volatility of one side (or the mid) of a quote: a number, or NaN with a reason.
#[derive(Debug, Clone, PartialEq)]
pub struct SideVol {
    pub iv: f64,
    pub issue: Option<VolIssue>,
}

impl SideVol {
    fn missing(issue: VolIssue) -> Self {
        Self {
            iv: f64::NAN,
            issue: Some(issue),
        }
    }

    pub fn is_finite(&self) -> bool {
        self.iv.is_finite()
    }
}

/// Out-of-the-money quote with its implied volatilities.
#[derive(Debug, Clone, PartialEq)]
pub struct QuoteVol {
    /// Source row of the quote.
    pub row: usize,
    pub strike: f64,
    /// `ln(K/F)`.
    pub k: f64,
    pub kind: OptionKind,
    pub bid: SideVol,
    pub ask: SideVol,
    pub mid: SideVol,
    /// Undiscounted Black vega at the mid volatility (NaN without one).
    pub vega: f64,
    /// The source's own implied volatility, for comparison (NaN when not supplied).
    pub vendor_iv: f64,
}

impl QuoteVol {
    /// Usable in a fit: bid, ask and mid volatilities all exist.
    pub fn is_fittable(&self) -> bool {
        self.bid.is_finite() && self.ask.is_finite() && self.mid.is_finite()
    }
}

fn side_vol(
    price: Option<f64>,
    missing: VolIssue,
    forward: f64,
    strike: f64,
    df: f64,
    t: f64,
    call: bool,
) -> SideVol {
    let Some(price) = price else {
        return SideVol::missing(missing);
    };
    match implied_black_volatility(price / df, forward, strike, t, call) {
        Ok(iv) if iv.is_finite() && iv > 0.0 => SideVol { iv, issue: None },
        Ok(iv) => SideVol::missing(VolIssue::Solver(format!("solver returned {iv}"))),
        Err(e) => SideVol::missing(VolIssue::Solver(e.to_string())),
    }
}

/// Implied volatilities of the out-of-the-money quotes of one expiry, ascending in strike.
///
/// `forward` and `df` come from [`super::parity`]; `t` is the ACT/365 time to expiry (must be positive).
pub fn otm_quote_vols(quotes: &[&OptionQuote], forward: f64, df: f64, t: f64) -> Vec<QuoteVol> {
    let mut out: Vec<QuoteVol> = quotes
        .iter()
        .filter(|q| q.strike > 0.0 && (q.kind.is_call() == (q.strike >= forward)))
        .map(|q| {
            let call = q.kind.is_call();
            let bid = side_vol(q.bid, VolIssue::NoBid, forward, q.strike, df, t, call);
            let ask = side_vol(q.ask, VolIssue::NoAsk, forward, q.strike, df, t, call);
            let mid = match (q.bid, q.ask) {
                (Some(b), Some(a)) => side_vol(
                    Some(0.5 * (a + b)),
                    VolIssue::NoBid,
                    forward,
                    q.strike,
                    df,
                    t,
                    call,
                ),
                (None, _) => SideVol::missing(VolIssue::NoBid),
                (_, None) => SideVol::missing(VolIssue::NoAsk),
            };
            let vega = if mid.is_finite() {
                black_vega(forward, q.strike, mid.iv, t)
            } else {
                f64::NAN
            };
            QuoteVol {
                row: q.row,
                strike: q.strike,
                k: (q.strike / forward).ln(),
                kind: q.kind,
                bid,
                ask,
                mid,
                vega,
                vendor_iv: q.vendor_iv.unwrap_or(f64::NAN),
            }
        })
        .collect();
    out.sort_by(|a, b| a.strike.total_cmp(&b.strike));
    out
}
