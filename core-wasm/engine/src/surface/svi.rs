//! Raw SVI total-variance smile (Gatheral 2004, "A parsimonious arbitrage-free implied volatility
//! parameterization…"; notation of Gatheral & Jacquier 2014, "Arbitrage-free SVI volatility surfaces",
//! Quantitative Finance 14(1), §3.1):
//!
//! `w(k) = a + b (ρ (k − m) + √((k − m)² + σ²))`
//!
//! with `k = ln(K/F)` the log-forward-moneyness and `w = σ_BS² t` the total implied variance.
//! Admissible parameters: `b ≥ 0`, `|ρ| < 1`, `σ > 0` and `a + b σ √(1 − ρ²) ≥ 0` (the minimum of `w`, so
//! `w ≥ 0` everywhere). Roger Lee's moment formula (Lee 2004, "The moment formula for implied volatility at
//! extreme strikes", Mathematical Finance 14(3)) bounds the asymptotic slopes of total variance by 2:
//! `b (1 + |ρ|) ≤ 2`. It is also necessary for a non-negative density far in the wings, where Gatheral's
//! `g(k)` tends to `1/4 − s²/16` for a wing slope `s`.

use thiserror::Error;

/// Raw SVI parameters of one expiry (total-variance units).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SviParams {
    pub a: f64,
    pub b: f64,
    pub rho: f64,
    pub m: f64,
    pub sigma: f64,
}

/// A raw SVI parameter set outside the admissible domain.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum SviError {
    #[error("SVI parameter `{name}` is not finite ({value})")]
    NonFinite { name: &'static str, value: f64 },
    #[error("SVI b = {b} must be ≥ 0")]
    NegativeB { b: f64 },
    #[error("SVI ρ = {rho} must satisfy |ρ| < 1")]
    RhoOutOfRange { rho: f64 },
    #[error("SVI σ = {sigma} must be > 0")]
    NonPositiveSigma { sigma: f64 },
    #[error("SVI minimum total variance a + bσ√(1−ρ²) = {min_w} is negative")]
    NegativeMinimumVariance { min_w: f64 },
    #[error("SVI parameter array has {len} entries, expected 5 (a, b, rho, m, sigma)")]
    WrongLength { len: usize },
}

impl SviParams {
    /// Checked constructor.
    ///
    /// # Errors
    /// [`SviError`] naming the first violated constraint and its value.
    pub fn new_checked(a: f64, b: f64, rho: f64, m: f64, sigma: f64) -> Result<Self, SviError> {
        let p = Self { a, b, rho, m, sigma };
        p.validate()?;
        Ok(p)
    }

    /// From `[a, b, rho, m, sigma]`.
    ///
    /// # Errors
    /// [`SviError::WrongLength`] or any constraint violation.
    pub fn from_slice(values: &[f64]) -> Result<Self, SviError> {
        match values {
            [a, b, rho, m, sigma] => Self::new_checked(*a, *b, *rho, *m, *sigma),
            _ => Err(SviError::WrongLength { len: values.len() }),
        }
    }

    /// `[a, b, rho, m, sigma]`.
    pub const fn to_array(self) -> [f64; 5] {
        [self.a, self.b, self.rho, self.m, self.sigma]
    }

    /// Checks the admissible domain.
    ///
    /// # Errors
    /// [`SviError`] naming the first violated constraint.
    pub fn validate(&self) -> Result<(), SviError> {
        for (name, value) in [
            ("a", self.a),
            ("b", self.b),
            ("rho", self.rho),
            ("m", self.m),
            ("sigma", self.sigma),
        ] {
            if !value.is_finite() {
                return Err(SviError::NonFinite { name, value });
            }
        }
        if self.b < 0.0 {
            return Err(SviError::NegativeB { b: self.b });
        }
        if self.rho.abs() >= 1.0 {
            return Err(SviError::RhoOutOfRange { rho: self.rho });
        }
        if self.sigma <= 0.0 {
            return Err(SviError::NonPositiveSigma { sigma: self.sigma });
        }
        let min_w = self.min_total_variance();
        if min_w < 0.0 {
            return Err(SviError::NegativeMinimumVariance { min_w });
        }
        Ok(())
    }

    /// `w(k)`.
    pub fn total_variance(&self, k: f64) -> f64 {
        let x = k - self.m;
        self.a + self.b * (self.rho * x + x.hypot(self.sigma))
    }

    /// `(w, ∂w/∂k, ∂²w/∂k²)` at `k`.
    pub fn derivatives(&self, k: f64) -> (f64, f64, f64) {
        let x = k - self.m;
        let r = x.hypot(self.sigma);
        let w = self.a + self.b * (self.rho * x + r);
        let w1 = self.b * (self.rho + x / r);
        let w2 = self.b * self.sigma * self.sigma / (r * r * r);
        (w, w1, w2)
    }

    /// Black implied volatility `√(w/t)`; NaN when `t ≤ 0` or `w < 0`.
    pub fn implied_vol(&self, k: f64, t: f64) -> f64 {
        let w = self.total_variance(k);
        if t > 0.0 && w >= 0.0 {
            (w / t).sqrt()
        } else {
            f64::NAN
        }
    }

    /// Minimum of `w` over `k`: `a + b σ √(1 − ρ²)`, attained at `k = m − ρσ/√(1 − ρ²)`.
    pub fn min_total_variance(&self) -> f64 {
        self.a + self.b * self.sigma * (1.0 - self.rho * self.rho).max(0.0).sqrt()
    }

    /// Roger Lee's bound on the asymptotic slopes of total variance: `b (1 + |ρ|) ≤ 2`.
    pub fn satisfies_lee_bound(&self) -> bool {
        self.b * (1.0 + self.rho.abs()) <= 2.0
    }
}
