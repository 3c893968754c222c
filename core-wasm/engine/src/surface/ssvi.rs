//! Surface SVI (Gatheral & Jacquier 2014, "Arbitrage-free SVI volatility surfaces", Quantitative Finance
//! 14(1), §4):
//!
//! `w(k, θ_t) = θ_t/2 · (1 + ρφ(θ_t)k + √((φ(θ_t)k + ρ)² + 1 − ρ²))`
//!
//! with `θ_t` the ATM total variance of expiry `t` and the power-law curvature (their eq. 4.5)
//! `φ(θ) = η θ^{−γ} (1 + θ)^{γ−1}`.
//!
//! No-arbitrage conditions reported by [`SsviParams::conditions`]:
//! * calendar (Theorem 4.1): `∂_t θ_t ≥ 0` and `0 ≤ ∂_θ(θφ(θ)) ≤ (1 + √(1 − ρ²))/ρ² · φ(θ)`;
//! * butterfly (Theorem 4.2): `θφ(θ)(1 + |ρ|) < 4` and `θφ(θ)²(1 + |ρ|) ≤ 4`;
//! * for the power law both hold whenever `η(1 + |ρ|) ≤ 2` and `0 < γ ≤ ½` (§4.4): then
//!   `θφ = η(θ/(1+θ))^{1−γ} < η` and `θφ² ≤ η²`.

use super::optim::{nelder_mead, NelderMeadOptions};
use super::svi_fit::SmilePoint;
use thiserror::Error;

/// SSVI shape parameters with the power-law `φ`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SsviParams {
    pub rho: f64,
    pub eta: f64,
    pub gamma: f64,
}

/// Static-arbitrage diagnostics of an SSVI surface over the ATM variances it is used with.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SsviConditions {
    /// `η(1 + |ρ|)`; `≤ 2` together with `0 < γ ≤ ½` is the paper's sufficient condition.
    pub eta_one_plus_abs_rho: f64,
    pub power_law_sufficient: bool,
    /// `max θφ(θ)(1 + |ρ|)` over the θ range (must be `< 4`).
    pub max_theta_phi: f64,
    /// `max θφ(θ)²(1 + |ρ|)` over the θ range (must be `≤ 4`).
    pub max_theta_phi_squared: f64,
    pub butterfly_free: bool,
    /// `θ_t` non-decreasing in `t`.
    pub theta_non_decreasing: bool,
    /// `0 ≤ ∂_θ(θφ) ≤ (1 + √(1 − ρ²))/ρ² · φ` over the θ range.
    pub calendar_phi_condition: bool,
    pub calendar_free: bool,
}

impl SsviParams {
    /// `φ(θ)`.
    pub fn phi(&self, theta: f64) -> f64 {
        self.eta * theta.powf(-self.gamma) * (1.0 + theta).powf(self.gamma - 1.0)
    }

    /// `w(k, θ)`.
    pub fn total_variance(&self, k: f64, theta: f64) -> f64 {
        self.derivatives(k, theta).0
    }

    /// `w(k, θ)` given `φ = φ(θ)` already evaluated (calibration loops hoist it per expiry).
    fn total_variance_with_phi(&self, k: f64, theta: f64, phi: f64) -> f64 {
        let u = phi * k + self.rho;
        0.5 * theta * (1.0 + self.rho * phi * k + (u * u + 1.0 - self.rho * self.rho).sqrt())
    }

    /// `(w, ∂w/∂k, ∂²w/∂k²)` at `(k, θ)`.
    pub fn derivatives(&self, k: f64, theta: f64) -> (f64, f64, f64) {
        let (rho, phi) = (self.rho, self.phi(theta));
        let u = phi * k + rho;
        let r = (u * u + 1.0 - rho * rho).sqrt();
        let w = 0.5 * theta * (1.0 + rho * phi * k + r);
        let w1 = 0.5 * theta * phi * (rho + u / r);
        let w2 = 0.5 * theta * phi * phi * (1.0 - rho * rho) / (r * r * r);
        (w, w1, w2)
    }

    /// Evaluates the no-arbitrage conditions for the ATM variances `thetas` (in expiry order).
    pub fn conditions(&self, thetas: &[f64]) -> SsviConditions {
        let abs_rho = self.rho.abs();
        let eta_rho = self.eta * (1.0 + abs_rho);
        let (lo, hi) = thetas
            .iter()
            .fold((f64::INFINITY, 0.0_f64), |(l, h), t| (l.min(*t), h.max(*t)));
        // The ATM variances themselves plus a geometric grid between them (the surface interpolates θ).
        let grid: Vec<f64> = if lo > 0.0 && hi.is_finite() {
            (0..=200)
                .map(|i| lo * (hi / lo).powf(i as f64 / 200.0))
                .chain(thetas.iter().copied())
                .collect()
        } else {
            thetas.to_vec()
        };
        let (mut max_tp, mut max_tp2) = (0.0_f64, 0.0_f64);
        let mut calendar_phi = true;
        let upper = if abs_rho > 0.0 {
            (1.0 + (1.0 - self.rho * self.rho).sqrt()) / (self.rho * self.rho)
        } else {
            f64::INFINITY
        };
        for &theta in &grid {
            let phi = self.phi(theta);
            max_tp = max_tp.max(theta * phi * (1.0 + abs_rho));
            max_tp2 = max_tp2.max(theta * phi * phi * (1.0 + abs_rho));
            // ∂_θ(θφ(θ)) = φ(θ)(1 − γ)/(1 + θ) for the power law.
            let slope = phi * (1.0 - self.gamma) / (1.0 + theta);
            calendar_phi &= slope >= 0.0 && slope <= upper * phi;
        }
        let theta_non_decreasing = thetas.windows(2).all(|p| p[1] >= p[0]);
        let butterfly_free = max_tp < 4.0 && max_tp2 <= 4.0;
        SsviConditions {
            eta_one_plus_abs_rho: eta_rho,
            power_law_sufficient: eta_rho <= 2.0 && self.gamma > 0.0 && self.gamma <= 0.5,
            max_theta_phi: max_tp,
            max_theta_phi_squared: max_tp2,
            butterfly_free,
            theta_non_decreasing,
            calendar_phi_condition: calendar_phi,
            calendar_free: theta_non_decreasing && calendar_phi,
        }
    }
}

/// One expiry's input to the SSVI fit.
#[derive(Debug, Clone, PartialEq)]
pub struct SsviSlice {
    pub t: f64,
    /// ATM total variance `θ_t`.
    pub theta: f64,
    pub points: Vec<SmilePoint>,
}

/// A calibrated SSVI surface.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SsviFit {
    pub params: SsviParams,
    /// Unweighted RMS implied-vol error over all points, in vol points.
    pub rmse_vol_points: f64,
    pub n_points: usize,
    pub conditions: SsviConditions,
    /// Whether the fit was confined to `η(1 + |ρ|) ≤ 2`, `0 < γ ≤ ½`.
    pub constrained: bool,
}

/// Why SSVI could not be calibrated.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum SsviFitError {
    #[error("SSVI needs at least one expiry")]
    NoSlices,
    #[error("expiry with t = {t} has unusable ATM total variance θ = {theta}")]
    BadTheta { t: f64, theta: f64 },
    #[error("only {found} usable points across all expiries; SSVI needs at least 3")]
    TooFewPoints { found: usize },
    #[error("SSVI calibration did not converge to finite parameters")]
    NoSolution,
}

fn logistic(x: f64) -> f64 {
    1.0 / (1.0 + (-x).exp())
}

/// Maps unconstrained coordinates to parameters (the arbitrage-free region when `constrained`).
fn decode(x: &[f64; 3], constrained: bool) -> SsviParams {
    let rho = 0.999 * x[0].tanh();
    if constrained {
        SsviParams {
            rho,
            eta: 2.0 / (1.0 + rho.abs()) * logistic(x[1]),
            gamma: 0.5 * logistic(x[2]),
        }
    } else {
        SsviParams {
            rho,
            eta: x[1].exp(),
            gamma: logistic(x[2]),
        }
    }
}

/// Isotonic (pool-adjacent-violators) least-squares fit of a sequence by a non-decreasing one: the
/// closest calendar-consistent ATM variance term structure.
pub fn non_decreasing(values: &[f64]) -> Vec<f64> {
    let mut blocks: Vec<(f64, usize)> = Vec::with_capacity(values.len());
    for &v in values {
        blocks.push((v, 1));
        while blocks.len() >= 2 {
            let (m2, n2) = blocks[blocks.len() - 1];
            let (m1, n1) = blocks[blocks.len() - 2];
            if m1 <= m2 {
                break;
            }
            blocks.truncate(blocks.len() - 2);
            blocks.push(((m1 * n1 as f64 + m2 * n2 as f64) / (n1 + n2) as f64, n1 + n2));
        }
    }
    blocks
        .into_iter()
        .flat_map(|(m, n)| std::iter::repeat_n(m, n))
        .collect()
}

/// Fits `(ρ, η, γ)` to all slices by weighted least squares in total variance, with each slice's `θ_t`
/// held fixed. With `constrained`, the search is confined to the power law's arbitrage-free region.
///
/// # Errors
/// [`SsviFitError`] when there are no slices, a `θ_t` is not positive, or there are too few points.
pub fn fit_ssvi(slices: &[SsviSlice], constrained: bool) -> Result<SsviFit, SsviFitError> {
    if slices.is_empty() {
        return Err(SsviFitError::NoSlices);
    }
    if let Some(s) = slices
        .iter()
        .find(|s| !(s.theta.is_finite() && s.theta > 0.0 && s.t > 0.0))
    {
        return Err(SsviFitError::BadTheta {
            t: s.t,
            theta: s.theta,
        });
    }
    let usable =
        |p: &SmilePoint| p.k.is_finite() && p.total_variance > 0.0 && p.weight.is_finite() && p.weight > 0.0;
    let n_points = slices
        .iter()
        .flat_map(|s| s.points.iter())
        .filter(|p| usable(p))
        .count();
    if n_points < 3 {
        return Err(SsviFitError::TooFewPoints { found: n_points });
    }
    let usable_slices: Vec<(f64, Vec<SmilePoint>)> = slices
        .iter()
        .map(|s| (s.theta, s.points.iter().copied().filter(|p| usable(p)).collect()))
        .collect();
    let objective = |x: &[f64; 3]| {
        let p = decode(x, constrained);
        let mut sse = 0.0;
        for (theta, points) in &usable_slices {
            let phi = p.phi(*theta);
            for pt in points {
                sse += pt.weight * (p.total_variance_with_phi(pt.k, *theta, phi) - pt.total_variance).powi(2);
            }
        }
        sse
    };
    let mut seeds: Vec<([f64; 3], f64)> = Vec::new();
    for rho in [-0.9, -0.6, -0.3, 0.0, 0.3] {
        for eta_x in [-2.0, 0.0, 2.0] {
            for gamma_x in [-1.0, 1.0] {
                let x = [(rho / 0.999_f64).atanh(), eta_x, gamma_x];
                seeds.push((x, objective(&x)));
            }
        }
    }
    seeds.sort_by(|a, b| a.1.total_cmp(&b.1));
    let opts = NelderMeadOptions {
        max_evals: 2000,
        f_tol: 1e-11,
        x_tol: 1e-6,
    };
    let mut best: Option<([f64; 3], f64)> = None;
    for (seed, _) in seeds.iter().take(2) {
        let first = nelder_mead(&objective, *seed, [0.5, 0.5, 0.5], opts);
        let run = nelder_mead(&objective, first.x, [0.1, 0.1, 0.1], opts);
        if best.is_none_or(|(_, f)| run.f < f) {
            best = Some((run.x, run.f));
        }
    }
    let (x, _) = best
        .filter(|(_, f)| f.is_finite())
        .ok_or(SsviFitError::NoSolution)?;
    let params = decode(&x, constrained);
    let sse: f64 = slices
        .iter()
        .flat_map(|s| s.points.iter().filter(|p| usable(p)).map(move |pt| (s, pt)))
        .map(|(s, pt)| {
            let model = (params.total_variance(pt.k, s.theta).max(0.0) / s.t).sqrt();
            (model - (pt.total_variance / s.t).sqrt()).powi(2)
        })
        .sum();
    let thetas: Vec<f64> = slices.iter().map(|s| s.theta).collect();
    Ok(SsviFit {
        params,
        rmse_vol_points: 100.0 * (sse / n_points as f64).sqrt(),
        n_points,
        conditions: params.conditions(&thetas),
        constrained,
    })
}
