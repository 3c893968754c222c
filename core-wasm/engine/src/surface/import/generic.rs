//! Reader for any delimited option chain, given a [`ColumnMapping`] naming the columns that hold expiry,
//! strike, option type, bid and ask (and optionally the underlying).
//!
//! Expiry cells are either a date (`2026-03-20` or `20260320`, settled at the mapping's
//! [`SettlementTime`]) or a full ISO-8601 date-time, taken as the settlement instant.

use super::csv::{check_not_crossed, records, Row};
use crate::surface::chain::{Chain, FieldProblem, ImportError, ImportOutcome, OptionQuote, RowError};
use crate::surface::time::{CivilDate, SettlementTime, UtcTimestamp};
use serde_json::Value;

/// Which column holds which field.
#[derive(Debug, Clone, PartialEq)]
pub struct ColumnMapping {
    pub expiry: String,
    pub strike: String,
    pub option_type: String,
    pub bid: String,
    pub ask: String,
    pub underlying: Option<String>,
    /// Optional column with the source's implied volatility (decimal), kept for comparison.
    pub vendor_iv: Option<String>,
    /// Settlement time applied to date-only expiries.
    pub settlement: SettlementTime,
    pub delimiter: char,
}

impl Default for ColumnMapping {
    fn default() -> Self {
        Self {
            expiry: "expiry".into(),
            strike: "strike".into(),
            option_type: "type".into(),
            bid: "bid".into(),
            ask: "ask".into(),
            underlying: None,
            vendor_iv: None,
            settlement: SettlementTime::NewYorkClose,
            delimiter: ',',
        }
    }
}

impl ColumnMapping {
    /// Reads a mapping from JSON, e.g.
    /// `{"expiry":"Expiry","strike":"K","type":"CP","bid":"Bid","ask":"Ask","underlying":"Spot",
    ///   "iv":"IV","settlement":"pm","delimiter":";"}`. Omitted keys keep their [`Default`] column names
    /// (`underlying` and `iv` are optional); `settlement` is `am`, `pm` or `HH:MMZ`.
    ///
    /// # Errors
    /// [`ImportError::BadMapping`] naming the key and value that could not be used.
    pub fn from_json(text: &str) -> Result<Self, ImportError> {
        let bad = |field: &str, value: String, reason: &str| ImportError::BadMapping {
            field: field.to_string(),
            value,
            reason: reason.to_string(),
        };
        let doc: Value =
            serde_json::from_str(text).map_err(|e| bad("(document)", text.to_string(), &e.to_string()))?;
        let Value::Object(map) = doc else {
            return Err(bad("(document)", text.to_string(), "expected a JSON object"));
        };
        let mut m = Self::default();
        for (key, value) in map {
            let Value::String(s) = value else {
                return Err(bad(&key, value.to_string(), "expected a string"));
            };
            if s.trim().is_empty() {
                return Err(bad(&key, s, "must not be empty"));
            }
            match key.as_str() {
                "expiry" | "expiration" => m.expiry = s,
                "strike" => m.strike = s,
                "type" | "option_type" | "optionType" => m.option_type = s,
                "bid" => m.bid = s,
                "ask" => m.ask = s,
                "underlying" => m.underlying = Some(s),
                "iv" => m.vendor_iv = Some(s),
                "settlement" => {
                    m.settlement =
                        SettlementTime::parse(&s).map_err(|e| bad(&key, s.clone(), &e.to_string()))?;
                }
                "delimiter" => {
                    let mut chars = s.chars();
                    match (chars.next(), chars.next()) {
                        (Some(c), None) if c != '"' => m.delimiter = c,
                        _ => return Err(bad(&key, s, "expected a single character other than '\"'")),
                    }
                }
                _ => return Err(bad(&key, s, "unknown key")),
            }
        }
        Ok(m)
    }
}

/// Parses an expiry cell: a date (settled at `settlement`) or an ISO-8601 date-time.
fn parse_expiry(raw: &str, settlement: SettlementTime) -> Result<UtcTimestamp, FieldProblem> {
    let compact = raw.len() == 8 && raw.bytes().all(|b| b.is_ascii_digit());
    if compact {
        let iso = format!("{}-{}-{}", &raw[..4], &raw[4..6], &raw[6..]);
        return CivilDate::parse_iso(&iso)
            .map(|d| settlement.on(d))
            .map_err(FieldProblem::BadDate);
    }
    if raw.len() == 10 {
        return CivilDate::parse_iso(raw)
            .map(|d| settlement.on(d))
            .map_err(FieldProblem::BadDate);
    }
    UtcTimestamp::parse_iso8601(raw).map_err(FieldProblem::BadDate)
}

/// Imports a delimited chain through `mapping`. Bad rows are reported in `errors`; the rest are kept.
///
/// # Errors
/// [`ImportError::Empty`] or [`ImportError::MissingColumn`] when a mapped column is absent.
pub fn import_generic(text: &str, mapping: &ColumnMapping) -> Result<ImportOutcome, ImportError> {
    let (header, rows) = records(text, mapping.delimiter)?;
    let cols = Columns {
        expiry: header.require(&mapping.expiry)?,
        strike: header.require(&mapping.strike)?,
        kind: header.require(&mapping.option_type)?,
        bid: header.require(&mapping.bid)?,
        ask: header.require(&mapping.ask)?,
        underlying: mapping
            .underlying
            .as_deref()
            .map(|u| header.require(u))
            .transpose()?,
        vendor_iv: mapping
            .vendor_iv
            .as_deref()
            .map(|c| header.require(c))
            .transpose()?,
    };
    let mut outcome = ImportOutcome::default();
    let mut quotes = Vec::new();
    for (line, fields) in rows {
        outcome.rows_read += 1;
        let fields = match fields {
            Ok(f) if f.len() == header.len() => f,
            Ok(f) => {
                let problem = FieldProblem::FieldCount {
                    found: f.len(),
                    expected: header.len(),
                };
                outcome
                    .errors
                    .push(RowError::new(line, "(record)", &f.join(","), problem));
                continue;
            }
            Err(problem) => {
                outcome.errors.push(RowError::new(line, "(record)", "", problem));
                continue;
            }
        };
        let parsed = parse_row(
            &Row {
                line,
                fields: &fields,
            },
            &cols,
            mapping,
        );
        match parsed {
            Ok(q) => quotes.push(q),
            Err(e) => outcome.errors.push(e),
        }
    }
    outcome.chain = Chain::new(quotes);
    Ok(outcome)
}

/// Column indices resolved from the mapping.
struct Columns {
    expiry: usize,
    strike: usize,
    kind: usize,
    bid: usize,
    ask: usize,
    underlying: Option<usize>,
    vendor_iv: Option<usize>,
}

fn parse_row(row: &Row<'_>, c: &Columns, m: &ColumnMapping) -> Result<OptionQuote, RowError> {
    let expiry =
        parse_expiry(row.raw(c.expiry), m.settlement).map_err(|p| row.error(&m.expiry, c.expiry, p))?;
    let strike = row.positive(&m.strike, c.strike)?;
    let kind = row.option_kind(&m.option_type, c.kind)?;
    let bid = row.price_side(&m.bid, c.bid)?;
    let ask = row.price_side(&m.ask, c.ask)?;
    check_not_crossed(bid, ask).map_err(|p| row.error(&m.bid, c.bid, p))?;
    let underlying = match (c.underlying, m.underlying.as_deref()) {
        (Some(i), Some(name)) if !row.raw(i).is_empty() => Some(row.positive(name, i)?),
        _ => None,
    };
    Ok(OptionQuote {
        row: row.line,
        expiry,
        strike,
        kind,
        bid,
        ask,
        underlying,
        vendor_iv: row.lenient_positive(c.vendor_iv),
    })
}
