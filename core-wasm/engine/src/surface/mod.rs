//! Implied-volatility surfaces from listed option chains.
//!
//! Pipeline ([`build_surface`]):
//! 1. [`import`]: yfinance CSV, Deribit JSON or any mapped CSV → [`Chain`] (+ typed [`RowError`]s);
//!    settlement instants from the contract (AM/PM index roots, Deribit 08:00 UTC).
//! 2. [`parity`]: forward and discount factor per expiry from put-call parity.
//! 3. [`iv`]: bid/ask/mid Black-76 implied volatilities of out-of-the-money quotes (Jäckel's solver).
//! 4. [`svi_fit`]: raw SVI per expiry (Zeliade quasi-explicit calibration).
//! 5. [`arbitrage`]: butterfly (Gatheral's `g`) per slice and calendar across slices.
//! 6. [`ssvi`]: Gatheral–Jacquier SSVI across expiries with its no-arbitrage conditions.
//! 7. [`interp`]: evaluation of the fitted surface at any `(k, t)`; [`json`] renders the report.
//!
//! Conventions: `k = ln(K/F)` (forward log-moneyness), `w = σ²t` (total implied variance), `t` in
//! ACT/365 years, volatilities as decimals (0.2 = 20%), RMSE in vol points (1.0 = 1%).

pub mod arbitrage;
pub mod build;
pub mod chain;
pub mod import;
pub mod interp;
pub mod iv;
pub mod json;
pub mod optim;
pub mod parity;
pub mod ssvi;
pub mod svi;
pub mod svi_fit;
pub mod time;

pub use arbitrage::{ButterflyReport, CalendarReport, KGrid};
pub use build::{build_surface, ExpiryIssue, ExpiryReport, SurfaceOptions, SurfaceReport, Weighting};
pub use chain::{Chain, FieldProblem, ImportError, ImportOutcome, OptionKind, OptionQuote, RowError};
pub use import::{import_chain, ChainFormat, ColumnMapping};
pub use interp::SviSurface;
pub use ssvi::SsviParams;
pub use svi::SviParams;
pub use time::{CivilDate, SettlementTime, UtcTimestamp};
