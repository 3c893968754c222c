//! Option analytics: European and American pricing models, Greeks and implied volatility.
//!
//! - [`price_greeks`]: price and Greeks under any [`Model`] — analytic for BSM, Black (1976) (also in the
//!   coin-margined convention) and Bachelier ([`european`]); Barone-Adesi–Whaley and Bjerksund–Stensland
//!   1993/2002 ([`american`], [`bjerksund_stensland`]) and the Leisen–Reimer tree with American or European exercise ([`tree`]),
//!   with central finite-difference Greeks ([`pricing`] lists the bumps).
//! - [`implied_vol`]: Jäckel's "Let's Be Rational" ([`lbr`]) for BSM and Black (1976), Brent's method for
//!   Bachelier and the American models ([`implied`]).
//! - [`black`]: the undiscounted Black formula in Jäckel's normalised form, accurate far in the wings.
//! - [`batch`]: the same over column slices, without per-row allocation.
//! - [`normal`]: Φ via Cody's `erfc`/`erfcx`, and Wichura's inverse; [`bivariate`]: `M(a, b; ρ)`;
//!   [`rational_cubic`]: the Delbourgo–Gregory interpolant behind the "Let's Be Rational" initial guess.
//!
//! Units follow QuantLib (see [`types`]): vega and rho per 1.00, theta per year.

pub mod american;
pub mod batch;
pub mod bivariate;
pub mod bjerksund_stensland;
pub mod black;
pub mod error;
pub mod european;
pub mod implied;
pub mod lanes;
pub mod lbr;
pub mod normal;
pub mod pricing;
pub mod rational_cubic;
pub mod scan;
pub mod tree;
pub mod types;

pub use batch::{iv_batch, price_batch, BatchError};
pub use error::{IvError, PricingError};
pub use implied::{implied_vol, implied_vol_with_steps, DEFAULT_BINOMIAL_STEPS};
pub use pricing::{price_greeks, FALLBACK_STEPS, MAX_STEPS};
pub use scan::{bsm_scan, ScanLengthError};
pub use types::{Greeks, Model, OptionType, ParseError};
