//! Reader for Deribit option tickers (`public/ticker`, `public/get_book_summary_by_currency`, or the
//! `ticker.*` WebSocket channel).
//!
//! Accepted shapes: a JSON array of records; a JSON-RPC envelope whose `result` is an array or one record;
//! one record; or JSON lines, each a record, an envelope, or a subscription notification
//! (`params.data`). A record needs `instrument_name` (`BTC-27DEC24-60000-C`, strikes may use `d` as
//! the decimal point: `XRP_USDC-27DEC24-0d625-C`), a bid (`best_bid_price` or `bid_price`) and an ask
//! (`best_ask_price` or `ask_price`); a zero or null side means "not quoted".
//!
//! Coin-margined options (`BTC-…`, `ETH-…`) quote premia in the coin; the USD premium is the coin premium
//! times `underlying_price` (the venue's forward for that expiry, falling back to `index_price`).
//! Linear options (`SOL_USDC-…`) already quote in USDC. Deribit options settle at 08:00 UTC. The venue's
//! `mark_iv` (percent) is kept as `vendor_iv` for comparison.

use super::csv::{check_not_crossed, price_side_value};
use crate::surface::chain::{
    Chain, FieldProblem, ImportError, ImportOutcome, OptionKind, OptionQuote, RowError,
};
use crate::surface::time::{CivilDate, SettlementTime};
use serde_json::Value;

const SETTLEMENT: SettlementTime = SettlementTime::Utc { hour: 8, minute: 0 };
const NAME: &str = "instrument_name";

/// The parts of a Deribit option instrument name.
#[derive(Debug, Clone, PartialEq)]
pub struct DeribitInstrument {
    pub currency: String,
    pub expiry: CivilDate,
    pub strike: f64,
    pub kind: OptionKind,
    /// Premium quoted in the coin (true) or in the stablecoin (false, `…_USDC`).
    pub coin_margined: bool,
}

/// Parses `CCY-DMMMYY-STRIKE-C|P`.
pub fn parse_instrument_name(name: &str) -> Result<DeribitInstrument, FieldProblem> {
    let bad = FieldProblem::BadSymbol {
        expected: "CCY-DMMMYY-STRIKE-C|P",
    };
    let parts: Vec<&str> = name.trim().split('-').collect();
    let [currency, date, strike, kind] = parts.as_slice() else {
        return Err(bad);
    };
    let kind = match *kind {
        "C" => OptionKind::Call,
        "P" => OptionKind::Put,
        _ => return Err(bad),
    };
    let strike: f64 = strike.replace('d', ".").parse().map_err(|_| bad.clone())?;
    if !(strike.is_finite() && strike > 0.0) || currency.is_empty() {
        return Err(bad);
    }
    Ok(DeribitInstrument {
        currency: currency.to_string(),
        expiry: parse_deribit_date(date).ok_or(bad)?,
        strike,
        kind,
        coin_margined: !currency.contains('_'),
    })
}

/// `27DEC24` or `3JAN25`.
fn parse_deribit_date(s: &str) -> Option<CivilDate> {
    const MONTHS: [&str; 12] = [
        "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC",
    ];
    if !s.is_ascii() || !(6..=7).contains(&s.len()) {
        return None;
    }
    let (day, rest) = s.split_at(s.len() - 5);
    let (month, year) = rest.split_at(3);
    let month = MONTHS.iter().position(|m| *m == month)? as u8 + 1;
    let day: u8 = day.parse().ok()?;
    let year: i32 = year.parse().ok()?;
    CivilDate::new(2000 + year, month, day).ok()
}

/// Imports Deribit option records. Bad records are reported in `errors`; the rest are kept.
///
/// # Errors
/// [`ImportError::Empty`], [`ImportError::Json`] (the text is neither JSON nor JSON lines) or
/// [`ImportError::NoRecords`].
pub fn import_deribit(text: &str) -> Result<ImportOutcome, ImportError> {
    if text.trim().is_empty() {
        return Err(ImportError::Empty);
    }
    // (row, record or (parser message, offending text))
    type Record = (usize, Result<Value, (String, String)>);
    let records: Vec<Record> = match serde_json::from_str::<Value>(text) {
        Ok(doc) => unwrap_document(doc)?
            .into_iter()
            .enumerate()
            .map(|(i, v)| (i + 1, Ok(v)))
            .collect(),
        Err(whole) => {
            let lines: Vec<(usize, &str)> = text
                .lines()
                .enumerate()
                .map(|(i, l)| (i + 1, l.trim()))
                .filter(|(_, l)| !l.is_empty())
                .collect();
            if lines.len() < 2 {
                return Err(ImportError::Json {
                    message: whole.to_string(),
                });
            }
            lines
                .into_iter()
                .map(|(n, l)| {
                    let excerpt: String = l.chars().take(120).collect();
                    let parsed = serde_json::from_str::<Value>(l).map_err(|e| (e.to_string(), excerpt));
                    (n, parsed.map(unwrap_record))
                })
                .collect()
        }
    };
    let mut outcome = ImportOutcome::default();
    let mut quotes = Vec::new();
    for (row, record) in records {
        outcome.rows_read += 1;
        let parsed = match record {
            Ok(value) => parse_record(row, &value),
            Err((message, text)) => Err(RowError::new(
                row,
                "(record)",
                &text,
                FieldProblem::InvalidJson { message },
            )),
        };
        match parsed {
            Ok(q) => quotes.push(q),
            Err(e) => outcome.errors.push(e),
        }
    }
    outcome.chain = Chain::new(quotes);
    Ok(outcome)
}

/// The records of a whole-document input.
fn unwrap_document(doc: Value) -> Result<Vec<Value>, ImportError> {
    match unwrap_record(doc) {
        Value::Array(items) => Ok(items),
        Value::Object(map) if map.contains_key(NAME) => Ok(vec![Value::Object(map)]),
        Value::Object(_) => Err(ImportError::NoRecords),
        other => Ok(vec![other]),
    }
}

/// Strips a JSON-RPC envelope (`result`) or a subscription notification (`params.data`).
fn unwrap_record(value: Value) -> Value {
    match value {
        Value::Object(mut map) if !map.contains_key(NAME) => {
            if let Some(result) = map.remove("result") {
                return result;
            }
            match map.remove("params") {
                Some(Value::Object(mut params)) => params.remove("data").unwrap_or(Value::Null),
                _ => Value::Object(map),
            }
        }
        other => other,
    }
}

/// Text of a JSON value for error messages.
fn show(v: Option<&Value>) -> String {
    match v {
        None => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
    }
}

/// An optional number: absent or null → `None`; numbers or numeric strings → value; else an error.
fn optional_number(row: usize, rec: &Value, key: &str) -> Result<Option<f64>, RowError> {
    let v = rec.get(key);
    let number = match v {
        None | Some(Value::Null) => return Ok(None),
        Some(Value::Number(n)) => n.as_f64(),
        Some(Value::String(s)) => s.trim().parse::<f64>().ok(),
        Some(_) => None,
    };
    match number {
        Some(x) if x.is_finite() => Ok(Some(x)),
        Some(_) => Err(RowError::new(row, key, &show(v), FieldProblem::NotFinite)),
        None => Err(RowError::new(row, key, &show(v), FieldProblem::NotANumber)),
    }
}

/// First key present among `keys`, with its value.
fn first_of<'k>(row: usize, rec: &Value, keys: &[&'k str]) -> Result<(&'k str, Option<f64>), RowError> {
    for key in keys {
        if rec.get(*key).is_some() {
            return Ok((key, optional_number(row, rec, key)?));
        }
    }
    Ok((keys.first().copied().unwrap_or(""), None))
}

fn parse_record(row: usize, rec: &Value) -> Result<OptionQuote, RowError> {
    if !rec.is_object() {
        return Err(RowError::new(
            row,
            "(record)",
            &show(Some(rec)),
            FieldProblem::NotAnObject,
        ));
    }
    let name = match rec.get(NAME) {
        Some(Value::String(s)) => s.as_str(),
        other => return Err(RowError::new(row, NAME, &show(other), FieldProblem::Missing)),
    };
    let inst = parse_instrument_name(name).map_err(|p| RowError::new(row, NAME, name, p))?;
    let (bid_key, bid) = first_of(row, rec, &["best_bid_price", "bid_price"])?;
    let (ask_key, ask) = first_of(row, rec, &["best_ask_price", "ask_price"])?;
    let side = |key: &str, v: Option<f64>| match v {
        None => Ok(None),
        Some(x) => price_side_value(x).map_err(|p| RowError::new(row, key, &x.to_string(), p)),
    };
    let (bid, ask) = (side(bid_key, bid)?, side(ask_key, ask)?);
    let (under_key, underlying) = first_of(row, rec, &["underlying_price", "index_price"])?;
    let underlying = match underlying {
        Some(u) if u > 0.0 => Some(u),
        Some(u) => {
            return Err(RowError::new(
                row,
                under_key,
                &u.to_string(),
                FieldProblem::NonPositive,
            ))
        }
        None if inst.coin_margined => {
            return Err(RowError::new(row, under_key, "", FieldProblem::Missing));
        }
        None => None,
    };
    let to_quote_ccy = if inst.coin_margined {
        underlying.unwrap_or(1.0)
    } else {
        1.0
    };
    let (bid, ask) = (bid.map(|b| b * to_quote_ccy), ask.map(|a| a * to_quote_ccy));
    check_not_crossed(bid, ask).map_err(|p| RowError::new(row, bid_key, &show(rec.get(bid_key)), p))?;
    Ok(OptionQuote {
        row,
        expiry: SETTLEMENT.on(inst.expiry),
        strike: inst.strike,
        kind: inst.kind,
        bid,
        ask,
        underlying,
        // `mark_iv` is in percent.
        vendor_iv: rec
            .get("mark_iv")
            .and_then(Value::as_f64)
            .filter(|v| v.is_finite() && *v > 0.0)
            .map(|v| v / 100.0),
    })
}
