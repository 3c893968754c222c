//! The option-chain model every importer produces and the surface builder consumes.
//!
//! Prices are plain `f64` in the quote currency of the underlying (USD for SPX; coin-margined crypto premia
//! are converted to USD by the importer). A side that is absent or quoted at zero is `None`: a zero bid
//! means "no bid", not a price.

use super::time::{TimeError, UtcTimestamp};
use thiserror::Error;

/// Call or put.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OptionKind {
    Call,
    Put,
}

impl OptionKind {
    /// Accepts `call`/`put`, `c`/`p` in any case.
    pub fn parse(s: &str) -> Option<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "c" | "call" => Some(Self::Call),
            "p" | "put" => Some(Self::Put),
            _ => None,
        }
    }

    pub const fn is_call(self) -> bool {
        matches!(self, Self::Call)
    }

    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Call => "call",
            Self::Put => "put",
        }
    }
}

/// One listed option with its best bid and offer.
#[derive(Debug, Clone, PartialEq)]
pub struct OptionQuote {
    /// Where the quote came from: 1-based line number of a CSV file, or record number of a JSON input.
    pub row: usize,
    /// Settlement instant.
    pub expiry: UtcTimestamp,
    pub strike: f64,
    pub kind: OptionKind,
    /// Best bid; `None` when there is none.
    pub bid: Option<f64>,
    /// Best offer; `None` when there is none.
    pub ask: Option<f64>,
    /// The underlying (or the venue's forward for this expiry) when the source reports it.
    pub underlying: Option<f64>,
    /// The source's own implied volatility (decimal), kept for comparison; never used in fits.
    pub vendor_iv: Option<f64>,
}

impl OptionQuote {
    /// Mid price when both sides are quoted.
    pub fn mid(&self) -> Option<f64> {
        match (self.bid, self.ask) {
            (Some(b), Some(a)) => Some(0.5 * (a + b)),
            _ => None,
        }
    }

    /// Both sides present.
    pub fn is_two_sided(&self) -> bool {
        self.bid.is_some() && self.ask.is_some()
    }
}

/// A set of option quotes on one underlying, possibly spanning many expiries.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Chain {
    quotes: Vec<OptionQuote>,
}

impl Chain {
    pub fn new(quotes: Vec<OptionQuote>) -> Self {
        Self { quotes }
    }

    pub fn quotes(&self) -> &[OptionQuote] {
        &self.quotes
    }

    pub fn len(&self) -> usize {
        self.quotes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.quotes.is_empty()
    }

    /// Distinct settlement instants, ascending. AM- and PM-settled series on the same date are distinct.
    pub fn expiries(&self) -> Vec<UtcTimestamp> {
        let mut out: Vec<UtcTimestamp> = self.quotes.iter().map(|q| q.expiry).collect();
        out.sort_unstable();
        out.dedup();
        out
    }

    /// The quotes settling at `expiry`.
    pub fn slice(&self, expiry: UtcTimestamp) -> Vec<&OptionQuote> {
        self.quotes.iter().filter(|q| q.expiry == expiry).collect()
    }
}

/// What is wrong with one field of one input row.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum FieldProblem {
    #[error("value is missing")]
    Missing,
    #[error("not a number")]
    NotANumber,
    #[error("not a finite number")]
    NotFinite,
    #[error("must not be negative")]
    Negative,
    #[error("must be strictly positive")]
    NonPositive,
    #[error("unknown option type (expected call/put or C/P)")]
    UnknownOptionType,
    #[error("bad date: {0}")]
    BadDate(TimeError),
    #[error("malformed instrument symbol: {expected}")]
    BadSymbol { expected: &'static str },
    #[error("bid {bid} is above ask {ask}")]
    CrossedQuote { bid: f64, ask: f64 },
    #[error("disagrees with {other_column} ({other_value})")]
    Inconsistent {
        other_column: &'static str,
        other_value: String,
    },
    #[error("row has {found} fields, header has {expected}")]
    FieldCount { found: usize, expected: usize },
    #[error("unterminated quoted field")]
    UnterminatedQuote,
    #[error("record is not a JSON object")]
    NotAnObject,
    #[error("invalid JSON: {message}")]
    InvalidJson { message: String },
}

/// One rejected input row: where it is and what is wrong, with the offending text.
#[derive(Debug, Clone, PartialEq, Error)]
#[error("row {row}, column `{column}`, value {value:?}: {problem}")]
pub struct RowError {
    /// 1-based line number (CSV, NDJSON) or record number (JSON array).
    pub row: usize,
    pub column: String,
    pub value: String,
    pub problem: FieldProblem,
}

impl RowError {
    pub fn new(row: usize, column: &str, value: &str, problem: FieldProblem) -> Self {
        Self {
            row,
            column: column.to_string(),
            value: value.to_string(),
            problem,
        }
    }
}

/// A failure that stops an import as a whole (as opposed to [`RowError`]s, which are collected).
#[derive(Debug, Clone, PartialEq, Error)]
pub enum ImportError {
    #[error("input is empty")]
    Empty,
    #[error("header has no column named `{column}` (columns: {available})")]
    MissingColumn { column: String, available: String },
    #[error("input is not valid JSON: {message}")]
    Json { message: String },
    #[error(
        "JSON input has no option records (expected an array, a {{\"result\": …}} envelope or JSON lines)"
    )]
    NoRecords,
    #[error("column mapping field `{field}` has invalid value {value:?}: {reason}")]
    BadMapping {
        field: String,
        value: String,
        reason: String,
    },
    #[error("unknown chain format {value:?} (expected yfinance, deribit or generic)")]
    UnknownFormat { value: String },
}

/// The result of an import: every row that parsed, plus a typed error for every row that did not.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ImportOutcome {
    pub chain: Chain,
    pub errors: Vec<RowError>,
    /// Data rows or records seen (accepted + rejected).
    pub rows_read: usize,
}
