//! Reader for the option-chain CSV that yfinance exports (`Ticker.option_chain` frames concatenated with
//! `option_type` and `expiration` columns):
//!
//! `contractSymbol,lastTradeDate,strike,lastPrice,bid,ask,change,percentChange,volume,openInterest,
//! impliedVolatility,inTheMoney,contractSize,currency,option_type,expiration`
//!
//! `contractSymbol` is an OCC OSI symbol: root, `YYMMDD`, `C`/`P`, strike × 1000 in eight digits
//! (`SPXW260320P06900000`). The root decides the settlement time: AM-settled index roots (SPX, NDX, RUT,
//! VIX) fix at the 09:30 New York open, everything else (SPXW, NDXP, RUTW, equities) at the 16:00 close.
//! The vendor's `impliedVolatility` column is kept only as `vendor_iv` for comparison: volatilities are
//! recomputed from bid and ask.

use super::csv::{check_not_crossed, records, Row};
use crate::surface::chain::{
    Chain, FieldProblem, ImportError, ImportOutcome, OptionKind, OptionQuote, RowError,
};
use crate::surface::time::{CivilDate, SettlementTime};

/// Roots whose standard expiries settle on the opening print.
const AM_SETTLED_ROOTS: &[&str] = &["SPX", "NDX", "RUT", "VIX"];

/// Settlement time implied by an OSI root.
pub fn settlement_for_root(root: &str) -> SettlementTime {
    if AM_SETTLED_ROOTS.contains(&root) {
        SettlementTime::NewYorkOpen
    } else {
        SettlementTime::NewYorkClose
    }
}

/// The parts of an OCC OSI option symbol.
#[derive(Debug, Clone, PartialEq)]
pub struct OsiSymbol {
    pub root: String,
    pub expiry: CivilDate,
    pub kind: OptionKind,
    pub strike: f64,
}

/// Parses `ROOT` + `YYMMDD` + `C|P` + eight strike digits (thousandths). Years are 20YY.
pub fn parse_osi_symbol(symbol: &str) -> Result<OsiSymbol, FieldProblem> {
    const TAIL: usize = 15;
    let s = symbol.trim();
    let bad = FieldProblem::BadSymbol {
        expected: "ROOT + YYMMDD + C/P + 8-digit strike",
    };
    if !s.is_ascii() || s.len() <= TAIL {
        return Err(bad);
    }
    let (root, tail) = s.split_at(s.len() - TAIL);
    let root = root.trim();
    let digits = |r: std::ops::Range<usize>| -> Option<i64> {
        let part = &tail[r];
        part.bytes()
            .all(|b| b.is_ascii_digit())
            .then(|| part.parse().ok())
            .flatten()
    };
    let (Some(yy), Some(mm), Some(dd), Some(strike_milli)) =
        (digits(0..2), digits(2..4), digits(4..6), digits(7..15))
    else {
        return Err(bad);
    };
    let kind = match &tail[6..7] {
        "C" | "c" => OptionKind::Call,
        "P" | "p" => OptionKind::Put,
        _ => return Err(bad),
    };
    if root.is_empty() || strike_milli == 0 {
        return Err(bad);
    }
    let expiry = CivilDate::new(2000 + yy as i32, mm as u8, dd as u8).map_err(FieldProblem::BadDate)?;
    Ok(OsiSymbol {
        root: root.to_string(),
        expiry,
        kind,
        strike: strike_milli as f64 / 1000.0,
    })
}

/// Column indices this reader needs.
struct Columns {
    symbol: usize,
    strike: usize,
    bid: usize,
    ask: usize,
    kind: usize,
    expiration: usize,
    vendor_iv: Option<usize>,
}

const SYMBOL: &str = "contractSymbol";
const STRIKE: &str = "strike";
const BID: &str = "bid";
const ASK: &str = "ask";
const KIND: &str = "option_type";
const EXPIRATION: &str = "expiration";

/// Imports a yfinance chain CSV. Rows that fail any check are reported in `errors`; the rest are kept.
///
/// # Errors
/// [`ImportError::Empty`] or [`ImportError::MissingColumn`] when the file cannot be read at all.
pub fn import_yfinance(text: &str) -> Result<ImportOutcome, ImportError> {
    let (header, rows) = records(text, ',')?;
    let cols = Columns {
        symbol: header.require(SYMBOL)?,
        strike: header.require(STRIKE)?,
        bid: header.require(BID)?,
        ask: header.require(ASK)?,
        kind: header.require(KIND)?,
        expiration: header.require(EXPIRATION)?,
        vendor_iv: header.find("impliedVolatility"),
    };
    let mut outcome = ImportOutcome::default();
    let mut quotes = Vec::new();
    for (line, fields) in rows {
        outcome.rows_read += 1;
        let parsed = match fields {
            Err(problem) => Err(RowError::new(line, "(record)", "", problem)),
            Ok(fields) if fields.len() != header.len() => Err(RowError::new(
                line,
                "(record)",
                &fields.join(","),
                FieldProblem::FieldCount {
                    found: fields.len(),
                    expected: header.len(),
                },
            )),
            Ok(fields) => parse_row(
                &Row {
                    line,
                    fields: &fields,
                },
                &cols,
            ),
        };
        match parsed {
            Ok(q) => quotes.push(q),
            Err(e) => outcome.errors.push(e),
        }
    }
    outcome.chain = Chain::new(quotes);
    Ok(outcome)
}

fn parse_row(row: &Row<'_>, c: &Columns) -> Result<OptionQuote, RowError> {
    let osi = parse_osi_symbol(row.raw(c.symbol)).map_err(|p| row.error(SYMBOL, c.symbol, p))?;
    let date = CivilDate::parse_iso(row.raw(c.expiration))
        .map_err(|e| row.error(EXPIRATION, c.expiration, FieldProblem::BadDate(e)))?;
    if date != osi.expiry {
        let other = FieldProblem::Inconsistent {
            other_column: SYMBOL,
            other_value: osi.expiry.to_string(),
        };
        return Err(row.error(EXPIRATION, c.expiration, other));
    }
    let kind = row.option_kind(KIND, c.kind)?;
    if kind != osi.kind {
        let other = FieldProblem::Inconsistent {
            other_column: SYMBOL,
            other_value: osi.kind.as_str().into(),
        };
        return Err(row.error(KIND, c.kind, other));
    }
    let strike = row.positive(STRIKE, c.strike)?;
    if (strike - osi.strike).abs() > 1e-6 * strike.max(1.0) {
        let other = FieldProblem::Inconsistent {
            other_column: SYMBOL,
            other_value: osi.strike.to_string(),
        };
        return Err(row.error(STRIKE, c.strike, other));
    }
    let bid = row.price_side(BID, c.bid)?;
    let ask = row.price_side(ASK, c.ask)?;
    check_not_crossed(bid, ask).map_err(|p| row.error(BID, c.bid, p))?;
    Ok(OptionQuote {
        row: row.line,
        expiry: settlement_for_root(&osi.root).on(date),
        strike,
        kind,
        bid,
        ask,
        underlying: None,
        vendor_iv: row.lenient_positive(c.vendor_iv),
    })
}
