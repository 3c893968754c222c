//! Option type, model choice and the Greeks record.
//!
//! Units follow QuantLib: vega, rho and dividend rho per 1.00 (100 vol points / 100% rate), theta per year
//! of calendar time (`∂V/∂t = −∂V/∂T`), charm `∂Δ/∂t` per year, vanna `∂²V/∂S∂σ`, volga `∂²V/∂σ²`.
//! The helpers give the per-day (÷365) and per-1% (÷100) figures traders quote.

use std::fmt;
use std::str::FromStr;

use thiserror::Error;

/// Call or put.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OptionType {
    /// The right to buy.
    Call,
    /// The right to sell.
    Put,
}

impl OptionType {
    /// +1 for a call, −1 for a put.
    #[inline]
    #[must_use]
    pub fn sign(self) -> f64 {
        match self {
            OptionType::Call => 1.0,
            OptionType::Put => -1.0,
        }
    }

    /// `true` for a call.
    #[inline]
    #[must_use]
    pub fn is_call(self) -> bool {
        self == OptionType::Call
    }

    /// The payoff `max(±(s − k), 0)`.
    #[inline]
    #[must_use]
    pub fn intrinsic(self, s: f64, k: f64) -> f64 {
        (self.sign() * (s - k)).max(0.0)
    }
}

/// The pricing model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Model {
    /// Black–Scholes–Merton on spot with continuous dividend yield `q` (cost of carry `b = r − q`).
    Bsm,
    /// Black (1976) on a forward: the spot argument is the forward, `q` is ignored.
    Black76,
    /// Black (1976) in the coin-margined (inverse) convention of crypto venues: the premium and every
    /// Greek are in units of the underlying, `Black76 price / F`; derivatives are taken in `F`.
    Black76Coin,
    /// Bachelier (normal) model on the forward `S·e^{(r−q)T}`; volatility in price units per √year.
    Bachelier,
    /// American: Barone-Adesi & Whaley (1987) quadratic approximation.
    Baw,
    /// American: Bjerksund & Stensland (1993) flat-boundary approximation.
    Bjs1993,
    /// American: Bjerksund & Stensland (2002) two-step boundary approximation.
    Bjs2002,
    /// American: Leisen & Reimer (1996) binomial tree, the numerical reference.
    Binomial,
    /// European exercise on the same Leisen & Reimer tree (a check on its discretisation error).
    BinomialEuropean,
}

impl Model {
    /// The model's name as accepted by [`Model::from_str`].
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Model::Bsm => "bsm",
            Model::Black76 => "black76",
            Model::Black76Coin => "black76coin",
            Model::Bachelier => "bachelier",
            Model::Baw => "baw",
            Model::Bjs1993 => "bjs1993",
            Model::Bjs2002 => "bjs2002",
            Model::Binomial => "binomial",
            Model::BinomialEuropean => "binomial_european",
        }
    }

    /// Every model, in a fixed order.
    pub const ALL: [Model; 9] = [
        Model::Bsm,
        Model::Black76,
        Model::Black76Coin,
        Model::Bachelier,
        Model::Baw,
        Model::Bjs1993,
        Model::Bjs2002,
        Model::Binomial,
        Model::BinomialEuropean,
    ];

    /// `true` for the early-exercise models.
    #[must_use]
    pub fn is_american(self) -> bool {
        matches!(
            self,
            Model::Baw | Model::Bjs1993 | Model::Bjs2002 | Model::Binomial
        )
    }

    /// `true` for the closed-form European models, whose Greeks are analytic; the others (American
    /// models and both trees) return central finite differences.
    #[must_use]
    pub fn has_analytic_greeks(self) -> bool {
        matches!(
            self,
            Model::Bsm | Model::Black76 | Model::Black76Coin | Model::Bachelier
        )
    }

    /// `true` for the tree models, which take a step count.
    #[must_use]
    pub fn is_tree(self) -> bool {
        matches!(self, Model::Binomial | Model::BinomialEuropean)
    }
}

impl fmt::Display for Model {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A model or option-type name that is not recognised.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ParseError {
    /// Not one of the names listed by [`Model::name`].
    #[error(
        "unknown model '{0}': expected bsm, black76, black76coin, bachelier, baw, bjs1993, bjs2002, \
         binomial or binomial_european"
    )]
    Model(String),
    /// Not one of `call|put|c|p`.
    #[error("unknown option type '{0}': expected call or put")]
    OptionType(String),
}

impl FromStr for Model {
    type Err = ParseError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(match s.trim().to_ascii_lowercase().as_str() {
            "bsm" => Model::Bsm,
            "black76" => Model::Black76,
            "black76coin" | "inverse" => Model::Black76Coin,
            "bachelier" => Model::Bachelier,
            "baw" => Model::Baw,
            "bjs1993" => Model::Bjs1993,
            "bjs2002" => Model::Bjs2002,
            "binomial" => Model::Binomial,
            "binomial_european" => Model::BinomialEuropean,
            _ => return Err(ParseError::Model(s.to_string())),
        })
    }
}

impl FromStr for OptionType {
    type Err = ParseError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "call" | "c" => Ok(OptionType::Call),
            "put" | "p" => Ok(OptionType::Put),
            _ => Err(ParseError::OptionType(s.to_string())),
        }
    }
}

/// Price and sensitivities, in QuantLib units (see the module docs).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Greeks {
    /// Present value.
    pub price: f64,
    /// `∂V/∂S`.
    pub delta: f64,
    /// `∂²V/∂S²`.
    pub gamma: f64,
    /// `∂V/∂σ` per 1.00 of volatility.
    pub vega: f64,
    /// `∂V/∂t` per year (time decay, negative for a long option as a rule).
    pub theta: f64,
    /// `∂V/∂r` per 1.00 of rate.
    pub rho: f64,
    /// `∂V/∂q` per 1.00 of dividend yield.
    pub dividend_rho: f64,
    /// `∂²V/∂S∂σ`.
    pub vanna: f64,
    /// `∂²V/∂σ²`.
    pub volga: f64,
    /// `∂Δ/∂t` per year.
    pub charm: f64,
}

impl Greeks {
    /// Theta per calendar day (÷365).
    #[must_use]
    pub fn theta_per_day(&self) -> f64 {
        self.theta / 365.0
    }

    /// Vega per 1 volatility point (÷100).
    #[must_use]
    pub fn vega_per_pct(&self) -> f64 {
        self.vega / 100.0
    }

    /// Rho per 1% of rate (÷100).
    #[must_use]
    pub fn rho_per_pct(&self) -> f64 {
        self.rho / 100.0
    }

    /// Dividend rho per 1% of yield (÷100).
    #[must_use]
    pub fn dividend_rho_per_pct(&self) -> f64 {
        self.dividend_rho / 100.0
    }

    /// Charm per calendar day (÷365).
    #[must_use]
    pub fn charm_per_day(&self) -> f64 {
        self.charm / 365.0
    }
}
