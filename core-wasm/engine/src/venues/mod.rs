//! Venue recordings: decode, normalise and replay exchange order-book streams into [`crate::book::Book`],
//! with each venue's published sync rules, independent checks and a report. Formats, the normalised record,
//! the sync rules and the rejection reporting are documented in `docs/recordings.md`.
//!
//! - Binance spot and USD-M futures: hftbacktest recordings, gzip text, each line
//!   `<local_receive_ts_ns> <raw JSON>` (combined-stream depth diffs, `bookTicker`, trades, and the REST depth
//!   snapshot). Sync rules from Binance's "How to manage a local order book correctly" (spot and USD-M docs).
//! - Bybit v5 `orderbook.<depth>` snapshot/delta JSON lines (history files, zipped).
//! - Kraken WS v1 `book` captures (cryptofeed `sample_data`), with CRC-32 checksum verification.
//! - Legacy Coinbase Pro `level2` + `ticker` captures (cryptofeed `sample_data`).

pub mod decimal;
pub mod input;
pub mod parse;
mod replay;
mod report;

pub use replay::{Instrument, Replay, Stats};
pub use report::{book_report, parse_at, ReportOptions, MAX_DEPTH};

use std::str::FromStr;

/// A supported recording format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Venue {
    BinanceSpot,
    BinanceFutures,
    Bybit,
    Kraken,
    Coinbase,
}

/// How consecutive updates chain (see [`Venue`] and docs/recordings.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SyncRule {
    /// First diff after the snapshot: `U <= lastUpdateId + 1 <= u`; then `U == prev_u + 1`.
    BinanceSpot,
    /// First diff after the snapshot: `U <= lastUpdateId <= u`; then `pu == prev_u`.
    BinanceFutures,
    /// Every delta: `u == prev_u + 1`; a snapshot resets.
    Bybit,
    /// No update ids: each update applies to the last snapshot's book, is truncated to the subscribed depth and
    /// verified against its CRC-32 checksum.
    Kraken,
    /// No update ids: each update applies to the last snapshot's book; tickers are compared in arrival order.
    Coinbase,
}

impl SyncRule {
    /// `true` when updates carry ids that chain (Binance, Bybit).
    pub fn has_ids(self) -> bool {
        !matches!(self, SyncRule::Kraken | SyncRule::Coinbase)
    }
}

impl Venue {
    /// The names accepted by [`Venue::from_str`].
    pub const NAMES: [&'static str; 5] = ["binance-spot", "binance-futures", "bybit", "kraken", "coinbase"];

    /// The chaining rule of the venue's book stream.
    pub fn rule(self) -> SyncRule {
        match self {
            Venue::BinanceSpot => SyncRule::BinanceSpot,
            Venue::BinanceFutures => SyncRule::BinanceFutures,
            Venue::Bybit => SyncRule::Bybit,
            Venue::Kraken => SyncRule::Kraken,
            Venue::Coinbase => SyncRule::Coinbase,
        }
    }
}

impl FromStr for Venue {
    type Err = VenueError;
    fn from_str(s: &str) -> Result<Venue, VenueError> {
        match s {
            "binance-spot" => Ok(Venue::BinanceSpot),
            "binance-futures" => Ok(Venue::BinanceFutures),
            "bybit" => Ok(Venue::Bybit),
            "kraken" => Ok(Venue::Kraken),
            "coinbase" => Ok(Venue::Coinbase),
            other => Err(VenueError::UnknownVenue(other.to_string())),
        }
    }
}

/// A rejected input: the 1-based line of the recording and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejection {
    pub line: usize,
    pub reason: String,
}

/// Why a recording could not be read at all (line-level problems are [`Rejection`]s instead).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VenueError {
    #[error("field venue is {0:?}, expected one of binance-spot, binance-futures, bybit, kraken, coinbase")]
    UnknownVenue(String),
    #[error("zip: {0}")]
    Zip(String),
    #[error("field depth is {0}, expected 1..={max}", max = report::MAX_DEPTH)]
    InvalidDepth(usize),
    #[error("field at: {0}")]
    InvalidAt(String),
}
