//! Venue messages → normalised records. One line in, one [`Record`] (or a rejection reason) out.

use serde_json::Value;

use super::decimal::Dec;
use super::{SyncRule, Venue};

/// `(price, quantity)` as exact decimals.
pub type DecLevel = (Dec, Dec);

/// What a book record does to the book.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Replace the book; `last_update_id` is Binance's `lastUpdateId` or Bybit's snapshot `u`.
    Snapshot { last_update_id: u64 },
    /// Apply a diff covering update ids `first_id..=last_id` (Binance `U`/`u`, Bybit `u`/`u`); `prev_id` is
    /// Binance futures' `pu`.
    Diff {
        first_id: u64,
        last_id: u64,
        prev_id: Option<u64>,
    },
}

/// A normalised book record. The two clocks stay apart: `ts_recv` is the recorder's local receive time
/// (the line's leading nanoseconds; `None` when the format has none, as in Bybit history files), `ts_event`
/// the venue's event time (`E`, else `T`, for Binance; `ts` for Bybit), converted from ms to ns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BookRecord {
    pub line: usize,
    pub ts_recv: Option<i64>,
    pub ts_event: Option<i64>,
    /// `None` for Binance's REST snapshot, which carries no symbol.
    pub symbol: Option<String>,
    pub kind: Kind,
    pub bids: Vec<DecLevel>,
    pub asks: Vec<DecLevel>,
}

/// A best bid/offer message (Binance `bookTicker`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ticker {
    pub line: usize,
    pub ts_recv: Option<i64>,
    pub ts_event: Option<i64>,
    pub symbol: String,
    pub update_id: u64,
    pub bid: DecLevel,
    pub ask: DecLevel,
}

/// One parsed line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Record {
    Book(BookRecord),
    Ticker(Ticker),
    /// A well-formed message that does not touch the book (trades, subscription acks): counted, not used.
    Other,
}

/// Splits `<ts_recv_ns> <json>`; a line starting with `{` has no receive stamp.
fn split_line(line: &str) -> Result<(Option<i64>, &str), String> {
    let line = line.trim();
    if line.starts_with('{') {
        return Ok((None, line));
    }
    let (ts, json) = line
        .split_once(' ')
        .ok_or_else(|| "expected `<ts_recv_ns> <json>` or a JSON object".to_string())?;
    let ts = ts
        .parse::<i64>()
        .ok()
        .filter(|t| *t >= 0)
        .ok_or_else(|| format!("field ts_recv is {ts:?}, expected non-negative integer nanoseconds"))?;
    Ok((Some(ts), json.trim_start()))
}

fn field<'a>(obj: &'a Value, name: &str) -> Result<&'a Value, String> {
    obj.get(name).ok_or_else(|| format!("field {name} is missing"))
}

fn id(obj: &Value, name: &str) -> Result<u64, String> {
    let v = field(obj, name)?;
    v.as_u64()
        .ok_or_else(|| format!("field {name} is {v}, expected a non-negative integer"))
}

fn ms_to_ns(obj: &Value, names: &[&str]) -> Result<Option<i64>, String> {
    for name in names {
        if let Some(v) = obj.get(*name) {
            let ms = v
                .as_i64()
                .filter(|m| (0..=i64::MAX / 1_000_000).contains(m))
                .ok_or_else(|| format!("field {name} is {v}, expected epoch milliseconds"))?;
            return Ok(Some(ms * 1_000_000));
        }
    }
    Ok(None)
}

fn dec(v: &Value, what: &str) -> Result<Dec, String> {
    let s = v
        .as_str()
        .ok_or_else(|| format!("field {what} is {v}, expected a decimal string"))?;
    Dec::parse(s).map_err(|e| format!("field {what} {e}"))
}

fn levels(obj: &Value, name: &str, side: &str) -> Result<Vec<DecLevel>, String> {
    let v = field(obj, name)?;
    let arr = v
        .as_array()
        .ok_or_else(|| format!("field {name} is not an array"))?;
    arr.iter()
        .enumerate()
        .map(|(i, l)| match l.as_array().map(Vec::as_slice) {
            Some([p, q, ..]) => Ok((
                dec(p, &format!("{side} price"))?,
                dec(q, &format!("{side} quantity at {p}"))?,
            )),
            _ => Err(format!("field {name}[{i}] is {l}, expected [price, quantity]")),
        })
        .collect()
}

/// Parses one line of a `venue` recording.
///
/// # Errors
/// The reason, naming the field and value: malformed JSON, a missing or mistyped field, a negative or
/// non-numeric price or quantity, an unrecognised message.
pub fn parse_line(venue: Venue, line_no: usize, line: &str) -> Result<Record, String> {
    let (ts_recv, json) = split_line(line)?;
    let msg: Value = serde_json::from_str(json).map_err(|e| format!("malformed JSON: {e}"))?;
    match venue.rule() {
        SyncRule::Bybit => parse_bybit(line_no, ts_recv, &msg),
        rule => parse_binance(rule, line_no, ts_recv, &msg),
    }
}

fn parse_binance(rule: SyncRule, line: usize, ts_recv: Option<i64>, msg: &Value) -> Result<Record, String> {
    if msg.get("lastUpdateId").is_some() {
        return Ok(Record::Book(BookRecord {
            line,
            ts_recv,
            ts_event: ms_to_ns(msg, &["E", "T"])?,
            symbol: None,
            kind: Kind::Snapshot {
                last_update_id: id(msg, "lastUpdateId")?,
            },
            bids: levels(msg, "bids", "bid")?,
            asks: levels(msg, "asks", "ask")?,
        }));
    }
    let stream = field(msg, "stream")?
        .as_str()
        .ok_or_else(|| "field stream is not a string".to_string())?;
    let data = field(msg, "data")?;
    let symbol = || -> Result<String, String> {
        Ok(field(data, "s")?
            .as_str()
            .ok_or_else(|| "field s is not a string".to_string())?
            .to_string())
    };
    let event = data.get("e").and_then(Value::as_str);
    if event == Some("depthUpdate") {
        let prev_id = match rule {
            SyncRule::BinanceFutures => Some(id(data, "pu")?),
            _ => None,
        };
        let (first_id, last_id) = (id(data, "U")?, id(data, "u")?);
        if first_id > last_id {
            return Err(format!("field U is {first_id}, greater than u {last_id}"));
        }
        return Ok(Record::Book(BookRecord {
            line,
            ts_recv,
            ts_event: ms_to_ns(data, &["E", "T"])?,
            symbol: Some(symbol()?),
            kind: Kind::Diff {
                first_id,
                last_id,
                prev_id,
            },
            bids: levels(data, "b", "bid")?,
            asks: levels(data, "a", "ask")?,
        }));
    }
    if event == Some("bookTicker") || stream.ends_with("@bookTicker") {
        return Ok(Record::Ticker(Ticker {
            line,
            ts_recv,
            ts_event: ms_to_ns(data, &["E", "T"])?,
            symbol: symbol()?,
            update_id: id(data, "u")?,
            bid: (dec(field(data, "b")?, "b")?, dec(field(data, "B")?, "B")?),
            ask: (dec(field(data, "a")?, "a")?, dec(field(data, "A")?, "A")?),
        }));
    }
    if event.is_some() {
        return Ok(Record::Other);
    }
    Err(format!(
        "stream {stream:?} carries no event type (field e) and is not a bookTicker"
    ))
}

fn parse_bybit(line: usize, ts_recv: Option<i64>, msg: &Value) -> Result<Record, String> {
    let topic = field(msg, "topic")?
        .as_str()
        .ok_or_else(|| "field topic is not a string".to_string())?;
    if !topic.starts_with("orderbook.") {
        return Ok(Record::Other);
    }
    let data = field(msg, "data")?;
    let u = id(data, "u")?;
    let kind = match field(msg, "type")?.as_str() {
        Some("snapshot") => Kind::Snapshot { last_update_id: u },
        Some("delta") => Kind::Diff {
            first_id: u,
            last_id: u,
            prev_id: None,
        },
        _ => {
            return Err(format!(
                "field type is {}, expected \"snapshot\" or \"delta\"",
                msg["type"]
            ))
        }
    };
    let symbol = field(data, "s")?
        .as_str()
        .ok_or_else(|| "field s is not a string".to_string())?;
    Ok(Record::Book(BookRecord {
        line,
        ts_recv,
        ts_event: ms_to_ns(msg, &["ts"])?,
        symbol: Some(symbol.to_string()),
        kind,
        bids: levels(data, "b", "bid")?,
        asks: levels(data, "a", "ask")?,
    }))
}
