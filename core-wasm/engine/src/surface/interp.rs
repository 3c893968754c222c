//! Evaluation of a fitted SVI surface at any `(k, t)`.
//!
//! Between fitted expiries, total variance is interpolated linearly in `t` at fixed forward log-moneyness
//! `k`. If the slices are free of calendar arbitrage (`w_{i+1}(k) ≥ w_i(k)`), a convex combination keeps
//! `w` non-decreasing in `t`, so the interpolation adds none (Gatheral & Jacquier 2014, §5.1, interpolate
//! in total variance). Before the first expiry `w(k, t) = w₁(k)·t/t₁` and after the last
//! `w(k, t) = w_n(k)·t/t_n` (flat implied volatility per `k`), both increasing in `t`.

use super::svi::SviParams;
use thiserror::Error;

/// A term structure of raw SVI slices.
#[derive(Debug, Clone, PartialEq)]
pub struct SviSurface {
    times: Vec<f64>,
    slices: Vec<SviParams>,
}

/// An unusable set of slices.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum SurfaceError {
    #[error("a surface needs at least one slice")]
    Empty,
    #[error("slice {index} has time to expiry {t}; times must be finite, positive and distinct")]
    BadTime { index: usize, t: f64 },
    #[error("grid output buffer has {found} entries, expected {expected}")]
    BufferSize { found: usize, expected: usize },
}

impl SviSurface {
    /// Builds a surface from `(t, params)` pairs in any order.
    ///
    /// # Errors
    /// [`SurfaceError`] when empty or when a time is not finite and positive or repeats.
    pub fn new(mut slices: Vec<(f64, SviParams)>) -> Result<Self, SurfaceError> {
        if slices.is_empty() {
            return Err(SurfaceError::Empty);
        }
        if let Some((index, (t, _))) = slices
            .iter()
            .enumerate()
            .find(|(_, (t, _))| !(t.is_finite() && *t > 0.0))
        {
            return Err(SurfaceError::BadTime { index, t: *t });
        }
        slices.sort_by(|a, b| a.0.total_cmp(&b.0));
        if let Some(index) = slices.windows(2).position(|p| p[1].0 <= p[0].0) {
            return Err(SurfaceError::BadTime {
                index: index + 1,
                t: slices[index + 1].0,
            });
        }
        let (times, slices) = slices.into_iter().unzip();
        Ok(Self { times, slices })
    }

    /// Times to expiry of the slices, ascending.
    pub fn times(&self) -> &[f64] {
        &self.times
    }

    /// The slices, in time order.
    pub fn slices(&self) -> &[SviParams] {
        &self.slices
    }

    /// Total implied variance at `(k, t)`; 0 at `t = 0`, NaN for negative or non-finite `t`.
    pub fn total_variance(&self, k: f64, t: f64) -> f64 {
        let n = self.times.len();
        if !(t.is_finite() && t >= 0.0) || n == 0 {
            return f64::NAN;
        }
        let (t_first, t_last) = (self.times[0], self.times[n - 1]);
        if t <= t_first {
            return self.slices[0].total_variance(k) * t / t_first;
        }
        if t >= t_last {
            return self.slices[n - 1].total_variance(k) * t / t_last;
        }
        // Here t_first < t < t_last, so 1 ≤ hi ≤ n − 1.
        let hi = self.times.partition_point(|&ti| ti < t).max(1).min(n - 1);
        let (t0, t1) = (self.times[hi - 1], self.times[hi]);
        let lambda = (t - t0) / (t1 - t0);
        (1.0 - lambda) * self.slices[hi - 1].total_variance(k) + lambda * self.slices[hi].total_variance(k)
    }

    /// Black implied volatility `√(w/t)` at `(k, t)`; NaN where undefined.
    pub fn implied_vol(&self, k: f64, t: f64) -> f64 {
        let w = self.total_variance(k, t);
        if t > 0.0 && w >= 0.0 {
            (w / t).sqrt()
        } else {
            f64::NAN
        }
    }

    /// Fills `out` (row-major, one row per `t`, one column per `k`) with total variance.
    ///
    /// # Errors
    /// [`SurfaceError::BufferSize`] when `out.len() != ks.len() · ts.len()`.
    pub fn total_variance_grid(&self, ks: &[f64], ts: &[f64], out: &mut [f64]) -> Result<(), SurfaceError> {
        self.fill_grid(ks, ts, out, |k, t| self.total_variance(k, t))
    }

    /// Fills `out` (row-major, one row per `t`) with implied volatility.
    ///
    /// # Errors
    /// [`SurfaceError::BufferSize`] when `out.len() != ks.len() · ts.len()`.
    pub fn implied_vol_grid(&self, ks: &[f64], ts: &[f64], out: &mut [f64]) -> Result<(), SurfaceError> {
        self.fill_grid(ks, ts, out, |k, t| self.implied_vol(k, t))
    }

    fn fill_grid(
        &self,
        ks: &[f64],
        ts: &[f64],
        out: &mut [f64],
        f: impl Fn(f64, f64) -> f64,
    ) -> Result<(), SurfaceError> {
        let expected = ks.len() * ts.len();
        if out.len() != expected {
            return Err(SurfaceError::BufferSize {
                found: out.len(),
                expected,
            });
        }
        for (row, &t) in out.chunks_mut(ks.len().max(1)).zip(ts) {
            for (cell, &k) in row.iter_mut().zip(ks) {
                *cell = f(k, t);
            }
        }
        Ok(())
    }
}
