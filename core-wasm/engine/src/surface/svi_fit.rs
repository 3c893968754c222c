//! Raw SVI calibration of one expiry by the quasi-explicit method of Zeliade Systems (De Marco & Martini,
//! 2009, "Quasi-explicit calibration of Gatheral's SVI model", Zeliade white paper ZWP-0005).
//!
//! With `y = (k − m)/σ` the smile is `w = ã + d·y + c·√(y² + 1)` where `ã = a`, `c = bσ`, `d = ρbσ`: for
//! fixed `(m, σ)` the model is linear in `(ã, d, c)`, so the weighted least-squares problem in those three
//! is a small convex quadratic programme, solved exactly here. Its constraints are
//!
//! * `|d| ≤ ρ_max · c` (so `b ≥ 0`, `|ρ| < 1`) and `c + |d| ≤ 2σ` (Lee's wing bound `b(1 + |ρ|) ≤ 2`; the
//!   white paper uses the looser `4σ`, which lets fits run the unobserved wing into butterfly arbitrage): a
//!   quadrilateral in `(c, d)`, handled by enumerating active sets (every KKT point of a convex QP with these
//!   four linear constraints is found among the 11 subsets of at most two active constraints);
//! * `ã + √(c² − d²) ≥ 0`, i.e. `a + bσ√(1 − ρ²) ≥ 0` (non-negative minimum variance). That set is convex
//!   (`√(c² − d²)` is concave on `|d| ≤ c`), so when the polygon solution violates it the optimum lies on its
//!   boundary `ã = −bσ√(1 − ρ²)`, where `w` is linear in `b` for fixed `ρ`: a closed-form `b` and a
//!   one-dimensional search in `ρ`.
//!
//! The outer problem over `(m, σ)` (σ via `ln σ`) is two-dimensional: a coarse grid seeds Nelder–Mead runs
//! from the best starts, and the best result wins.

use super::optim::{golden_section, nelder_mead, solve_dense, NelderMeadOptions};
use super::svi::SviParams;
use thiserror::Error;

/// Largest `|ρ|` the calibration will return (keeps `|ρ| < 1` strict).
pub const RHO_MAX: f64 = 0.999_999;

/// Lee's bound on the wing slopes of total variance: `b (1 + |ρ|) ≤ 2`.
pub const LEE_SLOPE: f64 = 2.0;

/// One market point of a smile: log-moneyness, total implied variance, and the least-squares weight of its
/// total-variance residual.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SmilePoint {
    pub k: f64,
    pub total_variance: f64,
    pub weight: f64,
}

/// A calibrated slice.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SviFit {
    pub params: SviParams,
    /// Unweighted root-mean-square implied-volatility error, in vol points (1 = 1% vol).
    pub rmse_vol_points: f64,
    /// Weighted sum of squared total-variance residuals at the optimum.
    pub objective: f64,
    pub n_points: usize,
    pub evaluations: usize,
}

/// Why a slice could not be calibrated.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum SviFitError {
    #[error("{found} usable smile points, SVI needs at least 5")]
    TooFewPoints { found: usize },
    #[error("smile point {index} is unusable (k = {k}, w = {total_variance}, weight = {weight})")]
    BadPoint {
        index: usize,
        k: f64,
        total_variance: f64,
        weight: f64,
    },
    #[error("time to expiry {t} must be positive")]
    NonPositiveTime { t: f64 },
    #[error("SVI calibration found no admissible parameters")]
    NoSolution,
}

/// Weighted moments of the basis `(1, y, z)` and the data, for fixed `(m, σ)`.
struct Moments {
    h: [f64; 9],
    g: [f64; 3],
    sww: f64,
}

impl Moments {
    fn new(points: &[SmilePoint], m: f64, sigma: f64) -> Self {
        let mut h = [0.0; 9];
        let mut g = [0.0; 3];
        let mut sww = 0.0;
        for p in points {
            let y = (p.k - m) / sigma;
            let basis = [1.0, y, (y * y + 1.0).sqrt()];
            for i in 0..3 {
                g[i] += p.weight * basis[i] * p.total_variance;
                for j in 0..3 {
                    h[i * 3 + j] += p.weight * basis[i] * basis[j];
                }
            }
            sww += p.weight * p.total_variance * p.total_variance;
        }
        Self { h, g, sww }
    }

    /// Weighted SSE of `x = (ã, d, c)` as `xᵀHx − 2gᵀx + Σωw²`: cheap, but it cancels catastrophically
    /// near a good fit, so it only ranks candidates; [`weighted_sse`] gives the accurate value.
    fn objective(&self, x: &[f64; 3]) -> f64 {
        let mut q = self.sww;
        for i in 0..3 {
            q -= 2.0 * self.g[i] * x[i];
            for j in 0..3 {
                q += x[i] * self.h[i * 3 + j] * x[j];
            }
        }
        q.max(0.0)
    }
}

/// Linear constraints `G x ≥ h` on `x = (ã, d, c)`.
fn constraints(sigma: f64) -> [([f64; 3], f64); 4] {
    [
        ([0.0, -1.0, RHO_MAX], 0.0),
        ([0.0, 1.0, RHO_MAX], 0.0),
        ([0.0, -1.0, -1.0], -LEE_SLOPE * sigma),
        ([0.0, 1.0, -1.0], -LEE_SLOPE * sigma),
    ]
}

/// Minimises the quadratic subject to the listed constraints (at most two) held as equalities.
fn equality_qp(mo: &Moments, active: &[([f64; 3], f64)]) -> Option<[f64; 3]> {
    let n = 3 + active.len();
    if n > 5 {
        return None;
    }
    let mut storage = [0.0; 25];
    let mut rhs_storage = [0.0; 5];
    let (a, rhs) = (&mut storage[..n * n], &mut rhs_storage[..n]);
    for i in 0..3 {
        a[i * n..i * n + 3].copy_from_slice(&mo.h[i * 3..i * 3 + 3]);
        rhs[i] = mo.g[i];
    }
    for (r, (row, bound)) in active.iter().enumerate() {
        for j in 0..3 {
            a[(3 + r) * n + j] = row[j];
            a[j * n + 3 + r] = row[j];
        }
        rhs[3 + r] = *bound;
    }
    solve_dense(a, rhs, n)?;
    Some([rhs[0], rhs[1], rhs[2]])
}

/// Best `(ã, d, c)` on the polygon, by active-set enumeration.
fn polygon_qp(mo: &Moments, sigma: f64) -> Option<([f64; 3], f64)> {
    let cons = constraints(sigma);
    let candidate = |active: &[([f64; 3], f64)]| {
        let x = equality_qp(mo, active)?;
        let feasible = cons
            .iter()
            .all(|(row, bound)| row.iter().zip(&x).map(|(r, v)| r * v).sum::<f64>() >= bound - 1e-12 * sigma);
        feasible.then(|| (x, mo.objective(&x)))
    };
    // A feasible unconstrained minimiser of a convex problem is optimal.
    if let Some(found) = candidate(&[]) {
        return Some(found);
    }
    let mut best: Option<([f64; 3], f64)> = None;
    for i in 0..4 {
        let singles = std::iter::once(candidate(&[cons[i]]));
        let pairs = (i + 1..4).map(|j| candidate(&[cons[i], cons[j]]));
        for (x, f) in singles.chain(pairs).flatten() {
            if best.is_none_or(|(_, fb)| f < fb) {
                best = Some((x, f));
            }
        }
    }
    best
}

/// Best point on the minimum-variance boundary `ã = −c√(1 − ρ²)`, `c = bσ`, `d = ρc`.
fn boundary_qp(mo: &Moments, sigma: f64) -> ([f64; 3], f64) {
    let solve_b = |rho: f64| {
        let s = (1.0 - rho * rho).sqrt();
        // u = σ (ρ y + z − s): the boundary model is w = b·u.
        let coef = [-s * sigma, rho * sigma, sigma];
        let uw: f64 = (0..3).map(|i| coef[i] * mo.g[i]).sum();
        let uu: f64 = (0..3)
            .flat_map(|i| (0..3).map(move |j| (i, j)))
            .map(|(i, j)| coef[i] * mo.h[i * 3 + j] * coef[j])
            .sum();
        let b_max = LEE_SLOPE / (1.0 + rho.abs());
        let b = if uu > 0.0 {
            (uw / uu).clamp(0.0, b_max)
        } else {
            0.0
        };
        let x = [coef[0] * b, coef[1] * b, coef[2] * b];
        (x, mo.objective(&x))
    };
    const GRID: usize = 80;
    let step = 2.0 * RHO_MAX / GRID as f64;
    let best_i = (0..=GRID)
        .map(|i| (i, solve_b(-RHO_MAX + step * i as f64).1))
        .fold((0, f64::INFINITY), |b, c| if c.1 < b.1 { c } else { b })
        .0;
    let lo = (-RHO_MAX + step * best_i as f64 - step).max(-RHO_MAX);
    let hi = (-RHO_MAX + step * best_i as f64 + step).min(RHO_MAX);
    let (rho, _) = golden_section(|r| solve_b(r).1, lo, hi, 1e-12);
    solve_b(rho)
}

/// Weighted sum of squared total-variance residuals, summed directly.
fn weighted_sse(params: &SviParams, points: &[SmilePoint]) -> f64 {
    points
        .iter()
        .map(|p| p.weight * (params.total_variance(p.k) - p.total_variance).powi(2))
        .sum()
}

/// Inner problem for fixed `(m, σ)`: the optimal admissible parameters and their weighted SSE.
fn inner(points: &[SmilePoint], m: f64, sigma: f64) -> Option<(SviParams, f64)> {
    let mo = Moments::new(points, m, sigma);
    let (mut x, _) = polygon_qp(&mo, sigma)?;
    let min_variance = x[0] + (x[2] * x[2] - x[1] * x[1]).max(0.0).sqrt();
    if min_variance < 0.0 {
        (x, _) = boundary_qp(&mo, sigma);
    }
    let [a, d, c] = x;
    let rho = if c > 0.0 {
        (d / c).clamp(-RHO_MAX, RHO_MAX)
    } else {
        0.0
    };
    let b = (c / sigma).max(0.0);
    // Keep the returned point exactly admissible despite rounding on the boundary.
    let a = a.max(-b * sigma * (1.0 - rho * rho).sqrt());
    let params = SviParams { a, b, rho, m, sigma };
    Some((params, weighted_sse(&params, points)))
}

/// Root-mean-square implied-vol error of `params` over `points`, in vol points.
pub fn rmse_vol_points(params: &SviParams, points: &[SmilePoint], t: f64) -> f64 {
    let sse: f64 = points
        .iter()
        .map(|p| {
            let model = (params.total_variance(p.k).max(0.0) / t).sqrt();
            let market = (p.total_variance / t).sqrt();
            (model - market).powi(2)
        })
        .sum();
    100.0 * (sse / points.len().max(1) as f64).sqrt()
}

/// Calibrates raw SVI to the points of one expiry with time to expiry `t` (years).
///
/// # Errors
/// [`SviFitError`] for non-positive `t`, a non-finite or non-positive point, fewer than five points with
/// positive weight, or when no admissible parameters are found.
pub fn fit_svi(points: &[SmilePoint], t: f64) -> Result<SviFit, SviFitError> {
    if !(t.is_finite() && t > 0.0) {
        return Err(SviFitError::NonPositiveTime { t });
    }
    for (index, p) in points.iter().enumerate() {
        let usable = p.k.is_finite() && p.total_variance.is_finite() && p.total_variance > 0.0;
        if !(usable && p.weight.is_finite() && p.weight >= 0.0) {
            return Err(SviFitError::BadPoint {
                index,
                k: p.k,
                total_variance: p.total_variance,
                weight: p.weight,
            });
        }
    }
    let used: Vec<SmilePoint> = points.iter().copied().filter(|p| p.weight > 0.0).collect();
    if used.len() < 5 {
        return Err(SviFitError::TooFewPoints { found: used.len() });
    }
    let (k_lo, k_hi) = used
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), p| {
            (lo.min(p.k), hi.max(p.k))
        });
    let span = (k_hi - k_lo).max(1e-4);
    let (m_lo, m_hi) = (k_lo - span, k_hi + span);
    let (ls_lo, ls_hi) = ((1e-4 * span).ln(), (10.0 * span).ln());
    let mut evaluations = 0_usize;
    let mut objective = |x: &[f64; 2]| {
        evaluations += 1;
        if x[0] < m_lo || x[0] > m_hi || x[1] < ls_lo || x[1] > ls_hi {
            return f64::INFINITY;
        }
        inner(&used, x[0], x[1].exp()).map_or(f64::INFINITY, |(_, f)| f)
    };
    // Coarse grid over (m, ln σ) to seed the simplex runs.
    let mut seeds: Vec<([f64; 2], f64)> = Vec::new();
    for i in 0..=8 {
        for j in 0..=7 {
            let x = [
                k_lo + span * i as f64 / 8.0,
                (span * 10f64.powf(-3.0 + 3.5 * j as f64 / 7.0)).ln(),
            ];
            seeds.push((x, objective(&x)));
        }
    }
    seeds.sort_by(|a, b| a.1.total_cmp(&b.1));
    let opts = NelderMeadOptions {
        max_evals: 1500,
        f_tol: 1e-10,
        x_tol: 1e-7,
    };
    let mut best: Option<([f64; 2], f64)> = None;
    for (seed, _) in seeds.iter().take(3) {
        let first = nelder_mead(&mut objective, *seed, [0.1 * span, 0.5], opts);
        // A restart from the converged point guards against a collapsed simplex.
        let run = nelder_mead(&mut objective, first.x, [0.02 * span, 0.1], opts);
        if best.is_none_or(|(_, f)| run.f < f) {
            best = Some((run.x, run.f));
        }
    }
    let (x, f) = best
        .filter(|(_, f)| f.is_finite())
        .ok_or(SviFitError::NoSolution)?;
    let (params, _) = inner(&used, x[0], x[1].exp()).ok_or(SviFitError::NoSolution)?;
    Ok(SviFit {
        params,
        rmse_vol_points: rmse_vol_points(&params, &used, t),
        objective: f,
        n_points: used.len(),
        evaluations,
    })
}
