//! Forward and discount factor of one expiry from put-call parity.
//!
//! For European options on the same expiry, `C(K) − P(K) = DF · (F − K)`: linear in strike with slope
//! `−DF` and intercept `DF · F`. The regression uses mid prices of strikes where both the call and the put
//! are quoted two-sided:
//!
//! 1. a preliminary forward `F₀ = K* + (C − P)(K*)` from the strike with the smallest `|C − P|`;
//! 2. the strikes with `|ln(K/F₀)| ≤ band` (at least `min_kept` nearest ones): the slope, i.e. the discount
//!    factor, needs a spread of strikes, while far from the money quotes are wide and often stale;
//! 3. weighted least squares with weights `1/(s_C² + s_P²)` (bid-ask spreads: the variance of `C − P`);
//! 4. trimming: while the largest standardised residual exceeds `trim_sigmas` robust standard deviations
//!    (1.4826 × median absolute standardised residual), that strike is dropped and the line refitted.
//!    Listed chains carry stale pairs off by whole points; a handful of them would otherwise tilt the slope.

use super::chain::OptionQuote;
use std::collections::BTreeMap;
use thiserror::Error;

/// Tuning of the parity regression.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ParityOptions {
    /// Half-width of the log-moneyness window around the preliminary forward.
    pub band: f64,
    /// Standardised residuals beyond this many robust standard deviations are trimmed.
    pub trim_sigmas: f64,
    /// Trimming never goes below this many strikes (at least 3).
    pub min_kept: usize,
}

impl Default for ParityOptions {
    fn default() -> Self {
        Self {
            band: 0.10,
            trim_sigmas: 3.0,
            min_kept: 5,
        }
    }
}

/// Where a slice's forward came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ForwardSource {
    /// Put-call parity regression.
    PutCallParity,
    /// The underlying / forward reported by the venue (discount factor taken as 1).
    VenueUnderlying,
    /// Interpolated from neighbouring expiries (the slice has too few call/put pairs).
    Interpolated,
}

impl ForwardSource {
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::PutCallParity => "put_call_parity",
            Self::VenueUnderlying => "venue_underlying",
            Self::Interpolated => "interpolated",
        }
    }
}

/// Forward and discount factor of one expiry.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ForwardEstimate {
    pub forward: f64,
    pub df: f64,
    pub source: ForwardSource,
    /// Strikes with two-sided call and put quotes.
    pub pairs_available: usize,
    /// Strikes left in the final regression.
    pub pairs_used: usize,
    /// Root-mean-square regression residual, in price units.
    pub residual_rms: f64,
}

/// Why parity gave no forward.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum ParityError {
    #[error("only {found} strikes have two-sided call and put quotes; at least 2 are needed")]
    TooFewPairs { found: usize },
    #[error("parity regression is degenerate: the {count} strikes used are all equal")]
    Degenerate { count: usize },
    #[error("parity gives an implausible discount factor {df} or forward {forward}")]
    Implausible { df: f64, forward: f64 },
}

/// One strike with both legs two-sided: `C − P` at the mids and its variance from the spreads.
#[derive(Debug, Clone, Copy)]
struct Pair {
    strike: f64,
    diff: f64,
    var: f64,
}

/// Parity pairs in ascending strike order.
fn parity_pairs(quotes: &[&OptionQuote]) -> Vec<Pair> {
    type Leg = Option<(f64, f64)>;
    let mut legs: BTreeMap<u64, (Leg, Leg)> = BTreeMap::new();
    for q in quotes {
        let (Some(bid), Some(ask)) = (q.bid, q.ask) else {
            continue;
        };
        if !(q.strike.is_finite() && q.strike > 0.0) {
            continue;
        }
        let entry = legs.entry(q.strike.to_bits()).or_default();
        let slot = if q.kind.is_call() {
            &mut entry.0
        } else {
            &mut entry.1
        };
        slot.get_or_insert((0.5 * (bid + ask), ask - bid));
    }
    legs.into_iter()
        .filter_map(|(bits, legs)| match legs {
            (Some((c, sc)), Some((p, sp))) => {
                let strike = f64::from_bits(bits);
                let var = (sc * sc + sp * sp).max((1e-6 * strike).powi(2));
                Some(Pair {
                    strike,
                    diff: c - p,
                    var,
                })
            }
            _ => None,
        })
        .collect()
}

/// Weighted least squares `diff = α + β·strike` with weights `1/var`; `None` when the strikes coincide.
fn wls(pairs: &[Pair]) -> Option<(f64, f64)> {
    let sw: f64 = pairs.iter().map(|p| 1.0 / p.var).sum();
    let mx = pairs.iter().map(|p| p.strike / p.var).sum::<f64>() / sw;
    let my = pairs.iter().map(|p| p.diff / p.var).sum::<f64>() / sw;
    let (sxx, sxy) = pairs.iter().fold((0.0, 0.0), |(sxx, sxy), p| {
        let dx = p.strike - mx;
        (sxx + dx * dx / p.var, sxy + dx * (p.diff - my) / p.var)
    });
    if sxx.is_nan() || sxx <= 0.0 {
        return None;
    }
    let beta = sxy / sxx;
    Some((my - beta * mx, beta))
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_unstable_by(f64::total_cmp);
    let n = values.len();
    match n {
        0 => f64::NAN,
        _ if n % 2 == 1 => values[n / 2],
        _ => 0.5 * (values[n / 2 - 1] + values[n / 2]),
    }
}

/// Estimates forward and discount factor for the quotes of one expiry.
///
/// # Errors
/// [`ParityError`] when fewer than two strikes have both legs quoted, the strikes are degenerate, or the
/// fitted discount factor is outside (0, 1.5] or the forward is not positive.
pub fn estimate_forward(
    quotes: &[&OptionQuote],
    opts: &ParityOptions,
) -> Result<ForwardEstimate, ParityError> {
    let all = parity_pairs(quotes);
    let available = all.len();
    let Some(nearest) = all.iter().min_by(|a, b| a.diff.abs().total_cmp(&b.diff.abs())) else {
        return Err(ParityError::TooFewPairs { found: 0 });
    };
    if available < 2 {
        return Err(ParityError::TooFewPairs { found: available });
    }
    let f0 = (nearest.strike + nearest.diff).max(1e-3 * nearest.strike);
    let keep_at_least = opts.min_kept.max(3);
    let distance = |p: &Pair| (p.strike / f0).ln().abs();
    let mut pairs: Vec<Pair> = all.iter().copied().filter(|p| distance(p) <= opts.band).collect();
    if pairs.len() < keep_at_least {
        pairs = all.clone();
        pairs.sort_by(|a, b| distance(a).total_cmp(&distance(b)));
        pairs.truncate(keep_at_least);
    }
    let (alpha, beta) = loop {
        let (alpha, beta) = wls(&pairs).ok_or(ParityError::Degenerate { count: pairs.len() })?;
        if pairs.len() <= keep_at_least {
            break (alpha, beta);
        }
        let standardised: Vec<f64> = pairs
            .iter()
            .map(|p| (p.diff - alpha - beta * p.strike).abs() / p.var.sqrt())
            .collect();
        let mut sorted = standardised.clone();
        let scale = (1.4826 * median(&mut sorted)).max(1e-9);
        let (worst, worst_value) = standardised
            .iter()
            .copied()
            .enumerate()
            .fold((0, 0.0), |best, cur| if cur.1 > best.1 { cur } else { best });
        if worst_value <= opts.trim_sigmas * scale {
            break (alpha, beta);
        }
        pairs.remove(worst);
    };
    let rms = (pairs
        .iter()
        .map(|p| (p.diff - alpha - beta * p.strike).powi(2))
        .sum::<f64>()
        / pairs.len() as f64)
        .sqrt();
    let df = -beta;
    let forward = alpha / df;
    if !(df > 0.0 && df <= 1.5 && forward.is_finite() && forward > 0.0) {
        return Err(ParityError::Implausible { df, forward });
    }
    Ok(ForwardEstimate {
        forward,
        df,
        source: ForwardSource::PutCallParity,
        pairs_available: available,
        pairs_used: pairs.len(),
        residual_rms: rms,
    })
}

/// Fallback forward: the median venue-reported underlying of the slice, with a discount factor of 1
/// (right for coin-margined venues, whose `underlying_price` already is the forward of that expiry).
pub fn venue_forward(quotes: &[&OptionQuote]) -> Option<ForwardEstimate> {
    let mut values: Vec<f64> = quotes
        .iter()
        .filter_map(|q| q.underlying)
        .filter(|u| *u > 0.0)
        .collect();
    let forward = median(&mut values);
    (forward > 0.0).then_some(ForwardEstimate {
        forward,
        df: 1.0,
        source: ForwardSource::VenueUnderlying,
        pairs_available: 0,
        pairs_used: 0,
        residual_rms: f64::NAN,
    })
}

/// Forward for an expiry at `t` without one of its own, from expiries that have one: `ln F` and `ln DF`
/// linear in `t` between the nearest neighbours on either side; beyond the ends, the nearest expiry's
/// forward and its zero rate (`DF = DF_j^{t/t_j}`). `known` holds `(t, estimate)` in ascending `t`.
pub fn interpolate_forward(t: f64, known: &[(f64, ForwardEstimate)]) -> Option<ForwardEstimate> {
    let upper = known.partition_point(|(tj, _)| *tj < t);
    let estimate = |forward: f64, df: f64| ForwardEstimate {
        forward,
        df,
        source: ForwardSource::Interpolated,
        pairs_available: 0,
        pairs_used: 0,
        residual_rms: f64::NAN,
    };
    match (upper.checked_sub(1).and_then(|i| known.get(i)), known.get(upper)) {
        (Some((t0, f0)), Some((t1, f1))) if t1 > t0 => {
            let lambda = (t - t0) / (t1 - t0);
            let lerp = |a: f64, b: f64| ((1.0 - lambda) * a.ln() + lambda * b.ln()).exp();
            Some(estimate(lerp(f0.forward, f1.forward), lerp(f0.df, f1.df)))
        }
        (Some((tj, fj)), _) | (None, Some((tj, fj))) if *tj > 0.0 => {
            Some(estimate(fj.forward, fj.df.powf(t / tj)))
        }
        _ => None,
    }
}
