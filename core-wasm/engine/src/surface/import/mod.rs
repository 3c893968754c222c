//! Chain importers. Each parses text (so the CLI and the browser can hand over file contents) into a
//! [`Chain`](super::chain::Chain), keeping every good row and returning a typed
//! [`RowError`](super::chain::RowError) for every bad one.

mod csv;
pub mod deribit;
pub mod generic;
pub mod yfinance;

use super::chain::{ImportError, ImportOutcome};
pub use deribit::import_deribit;
pub use generic::{import_generic, ColumnMapping};
pub use yfinance::import_yfinance;

/// The supported input shapes.
#[derive(Debug, Clone, PartialEq)]
pub enum ChainFormat {
    /// yfinance `option_chain` CSV export.
    Yfinance,
    /// Deribit ticker / book-summary JSON.
    Deribit,
    /// Any delimited file described by a column mapping.
    Generic(ColumnMapping),
}

impl ChainFormat {
    /// `yfinance`, `deribit` or `generic` (the latter with `mapping`, or the default mapping if `None`).
    ///
    /// # Errors
    /// [`ImportError::UnknownFormat`] for another name.
    pub fn from_name(name: &str, mapping: Option<ColumnMapping>) -> Result<Self, ImportError> {
        match name.trim().to_ascii_lowercase().as_str() {
            "yfinance" | "yahoo" => Ok(Self::Yfinance),
            "deribit" => Ok(Self::Deribit),
            "generic" | "csv" => Ok(Self::Generic(mapping.unwrap_or_default())),
            _ => Err(ImportError::UnknownFormat {
                value: name.to_string(),
            }),
        }
    }
}

/// Imports `text` in the given format.
///
/// # Errors
/// The format's fatal [`ImportError`]s (empty input, missing columns, unreadable JSON).
pub fn import_chain(text: &str, format: &ChainFormat) -> Result<ImportOutcome, ImportError> {
    match format {
        ChainFormat::Yfinance => import_yfinance(text),
        ChainFormat::Deribit => import_deribit(text),
        ChainFormat::Generic(mapping) => import_generic(text, mapping),
    }
}
