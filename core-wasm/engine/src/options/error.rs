//! Typed errors for pricing and implied volatility. Messages carry the offending values.

use thiserror::Error;

/// Why a price or its Greeks could not be computed.
#[derive(Debug, Clone, Copy, PartialEq, Error)]
pub enum PricingError {
    /// An argument is NaN, infinite or outside its domain.
    #[error("invalid {field} = {value}: {reason}")]
    InvalidInput {
        /// The argument's name (`spot`, `strike`, `rate`, `dividend`, `time`, `vol`, `steps`, `kind`).
        field: &'static str,
        /// The value received.
        value: f64,
        /// What the argument must satisfy.
        reason: &'static str,
    },
}

/// Why no implied volatility exists for a price. Never a wrong number: every impossible input lands here.
#[derive(Debug, Clone, Copy, PartialEq, Error)]
pub enum IvError {
    /// The price is at or below the option's intrinsic (or early-exercise) value, so no positive volatility
    /// reproduces it; at exactly intrinsic the volatility is indeterminate in double precision.
    #[error("price {price} is at or below the intrinsic value {intrinsic}: no implied volatility")]
    BelowIntrinsic {
        /// The price received.
        price: f64,
        /// The intrinsic value it must exceed.
        intrinsic: f64,
    },
    /// The price is at or above the largest value any volatility gives (the forward for a call, the strike
    /// for a put, or the price at the solver's volatility ceiling).
    #[error("price {price} is at or above the maximum {maximum}: no implied volatility")]
    AboveMaximum {
        /// The price received.
        price: f64,
        /// The supremum of the model price over volatility.
        maximum: f64,
    },
    /// Time to expiry is zero: the price is pure intrinsic value and volatility is undefined.
    #[error("time to expiry is zero: implied volatility is undefined")]
    ZeroTime,
    /// The root finder did not reach a verified solution (a safety net: not observed on any test input).
    #[error("implied volatility for price {price} did not converge")]
    NoConvergence {
        /// The price received.
        price: f64,
    },
    /// An argument is NaN, infinite or outside its domain.
    #[error("invalid {field} = {value}")]
    InvalidInput {
        /// The argument's name (`price`, `forward`, `spot`, `strike`, `rate`, `dividend`, `time`, `steps`).
        field: &'static str,
        /// The value received.
        value: f64,
    },
}

impl IvError {
    /// A stable one-byte reason code for columnar output: 1 below intrinsic, 2 above maximum, 3 zero time,
    /// 4 invalid input, 5 no convergence (0 is reserved for success).
    #[must_use]
    pub fn code(&self) -> u8 {
        match self {
            IvError::BelowIntrinsic { .. } => 1,
            IvError::AboveMaximum { .. } => 2,
            IvError::ZeroTime => 3,
            IvError::InvalidInput { .. } => 4,
            IvError::NoConvergence { .. } => 5,
        }
    }
}
