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
    /// Kraken's CRC-32 of the top of the book after this update (`"c"`).
    pub checksum: Option<u32>,
    /// Kraken's subscribed depth (from the channel name `book-<depth>`): the book is truncated to it.
    pub depth: Option<usize>,
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

/// A best bid/ask price quote with neither sizes nor an update id (Coinbase `ticker`): checked against the
/// book in arrival order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quote {
    pub line: usize,
    pub ts_recv: Option<i64>,
    pub symbol: String,
    pub bid: Dec,
    pub ask: Dec,
}

/// A trade print: Binance `trade` / `aggTrade`, Coinbase `match` / `last_match`. The book replay ignores
/// trades (it counts them with the other messages); the dataset importers keep them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Trade {
    pub line: usize,
    pub ts_recv: Option<i64>,
    /// The venue's trade time (Binance `T`, Coinbase `time`), ns.
    pub ts_event: Option<i64>,
    pub symbol: String,
    pub price: Dec,
    pub qty: Dec,
    /// `true` when the buyer took liquidity (Binance `m == false`; Coinbase maker `side == "sell"`).
    pub buyer_aggressor: bool,
}

/// One parsed line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Record {
    Book(BookRecord),
    Ticker(Ticker),
    Quote(Quote),
    Trade(Trade),
    /// A well-formed message that does not touch the book (subscription acks, other topics): counted, not used.
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
    match venue.rule() {
        SyncRule::Kraken => return parse_kraken(line_no, line),
        SyncRule::Coinbase => return parse_coinbase(line_no, line),
        _ => {}
    }
    let (ts_recv, json) = split_line(line)?;
    let msg: Value = serde_json::from_str(json).map_err(|e| format!("malformed JSON: {e}"))?;
    match venue.rule() {
        SyncRule::Bybit => parse_bybit(line_no, ts_recv, &msg),
        SyncRule::Kraken => parse_kraken(line_no, line),
        SyncRule::Coinbase => parse_coinbase(line_no, line),
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
            checksum: None,
            depth: None,
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
            checksum: None,
            depth: None,
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
    if matches!(event, Some("trade" | "aggTrade")) {
        let m = field(data, "m")?;
        let maker_is_buyer = m
            .as_bool()
            .ok_or_else(|| format!("field m is {m}, expected true or false"))?;
        return Ok(Record::Trade(Trade {
            line,
            ts_recv,
            ts_event: ms_to_ns(data, &["T", "E"])?,
            symbol: symbol()?,
            price: dec(field(data, "p")?, "p")?,
            qty: dec(field(data, "q")?, "q")?,
            buyer_aggressor: !maker_is_buyer,
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
        checksum: None,
        depth: None,
    }))
}

/// `YYYY-MM-DDTHH:MM:SS[.fraction]Z` → ns since the Unix epoch (UTC only, as Coinbase writes it). Days from
/// the civil date by Howard Hinnant's `days_from_civil` ("chrono-Compatible Low-Level Date Algorithms").
pub fn rfc3339_ns(s: &str) -> Option<i64> {
    let s = s.strip_suffix('Z')?;
    let (date, time) = s.split_once('T')?;
    let num = |t: &str| -> Option<i64> {
        if t.is_empty() || !t.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        t.parse().ok()
    };
    let mut d = date.splitn(3, '-');
    let (y, m, day) = (num(d.next()?)?, num(d.next()?)?, num(d.next()?)?);
    let (hms, frac) = time.split_once('.').unwrap_or((time, ""));
    let mut t = hms.splitn(3, ':');
    let (hh, mm, ss) = (num(t.next()?)?, num(t.next()?)?, num(t.next()?)?);
    if !(1..=12).contains(&m) || !(1..=31).contains(&day) || hh > 23 || mm > 59 || ss > 60 || frac.len() > 9 {
        return None;
    }
    let nanos = if frac.is_empty() {
        0
    } else {
        num(frac)? * 10i64.pow(9 - frac.len() as u32)
    };
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    let secs = days * 86_400 + hh * 3_600 + mm * 60 + ss;
    secs.checked_mul(1_000_000_000)?
        .checked_add(nanos)
        .filter(|v| *v >= 0)
}

/// Seconds with a fraction (`"1618678133.626511"`) → ns, exactly.
fn secs_to_ns(s: &str, what: &str) -> Result<i64, String> {
    Dec::parse(s)
        .ok()
        .and_then(|d| d.to_units(9))
        .ok_or_else(|| format!("field {what} is {s:?}, expected epoch seconds"))
}

/// A cryptofeed capture line of Kraken WS v1: `wss://... <-> <s>` (connect) and `wss://... <- <s>: <json>`
/// (sent) are markers; `<s>: <json>` a received message. Book messages are
/// `[channelID, {"as","bs"} | {"a"}, {"b"}..., channelName, pair]`, the checksum `"c"` in the last object.
/// A cryptofeed capture line: `None` for a connect/sent marker, else the receive time and the message.
fn capture_line(text: &str) -> Result<Option<(Option<i64>, Value)>, String> {
    let text = text.trim();
    if text.starts_with("wss://") {
        return Ok(None);
    }
    let (ts, json) = text
        .split_once(": ")
        .ok_or_else(|| "expected `<unix_s>: <json>`".to_string())?;
    let ts_recv = Some(secs_to_ns(ts, "ts_recv")?);
    let msg: Value = serde_json::from_str(json).map_err(|e| format!("malformed JSON: {e}"))?;
    Ok(Some((ts_recv, msg)))
}

/// Legacy Coinbase Pro `level2` (`snapshot` with `bids`/`asks` `[price, size]`; `l2update` with `changes`
/// `[side, price, size]`, side `buy`/`sell`) and `ticker` (`best_bid`, `best_ask`), one product per message.
fn parse_coinbase(line: usize, text: &str) -> Result<Record, String> {
    let Some((ts_recv, msg)) = capture_line(text)? else {
        return Ok(Record::Other);
    };
    let kind = msg.get("type").and_then(Value::as_str).unwrap_or("");
    if !matches!(kind, "snapshot" | "l2update" | "ticker" | "match" | "last_match") {
        return Ok(Record::Other);
    }
    let symbol = field(&msg, "product_id")?
        .as_str()
        .ok_or_else(|| "field product_id is not a string".to_string())?
        .to_string();
    if kind == "match" || kind == "last_match" {
        // `side` is the maker's side: a resting sell filled means the buyer took liquidity.
        let side = field(&msg, "side")?;
        let buyer_aggressor = match side.as_str() {
            Some("sell") => true,
            Some("buy") => false,
            _ => return Err(format!("field side is {side}, expected \"buy\" or \"sell\"")),
        };
        let ts_event = match msg.get("time") {
            Some(t) => Some(
                t.as_str()
                    .and_then(rfc3339_ns)
                    .ok_or_else(|| format!("field time is {t}, expected an RFC 3339 UTC time"))?,
            ),
            None => None,
        };
        return Ok(Record::Trade(Trade {
            line,
            ts_recv,
            ts_event,
            symbol,
            price: dec(field(&msg, "price")?, "price")?,
            qty: dec(field(&msg, "size")?, "size")?,
            buyer_aggressor,
        }));
    }
    if kind == "ticker" {
        return Ok(Record::Quote(Quote {
            line,
            ts_recv,
            symbol,
            bid: dec(field(&msg, "best_bid")?, "best_bid")?,
            ask: dec(field(&msg, "best_ask")?, "best_ask")?,
        }));
    }
    let mut rec = BookRecord {
        line,
        ts_recv,
        ts_event: None,
        symbol: Some(symbol),
        kind: Kind::Diff {
            first_id: 0,
            last_id: 0,
            prev_id: None,
        },
        bids: Vec::new(),
        asks: Vec::new(),
        checksum: None,
        depth: None,
    };
    if kind == "snapshot" {
        rec.kind = Kind::Snapshot { last_update_id: 0 };
        rec.bids = levels(&msg, "bids", "bid")?;
        rec.asks = levels(&msg, "asks", "ask")?;
        return Ok(Record::Book(rec));
    }
    let changes = field(&msg, "changes")?
        .as_array()
        .ok_or_else(|| "field changes is not an array".to_string())?;
    for (i, c) in changes.iter().enumerate() {
        match c.as_array().map(Vec::as_slice) {
            Some([side, p, q]) => {
                let (dst, name) = match side.as_str() {
                    Some("buy") => (&mut rec.bids, "bid"),
                    Some("sell") => (&mut rec.asks, "ask"),
                    _ => {
                        return Err(format!(
                            "field changes[{i}] side is {side}, expected \"buy\" or \"sell\""
                        ))
                    }
                };
                dst.push((
                    dec(p, &format!("{name} price"))?,
                    dec(q, &format!("{name} size at {p}"))?,
                ));
            }
            _ => return Err(format!("field changes[{i}] is {c}, expected [side, price, size]")),
        }
    }
    Ok(Record::Book(rec))
}

fn parse_kraken(line: usize, text: &str) -> Result<Record, String> {
    let Some((ts_recv, msg)) = capture_line(text)? else {
        return Ok(Record::Other);
    };
    let Some(arr) = msg.as_array() else {
        return Ok(Record::Other); // events: systemStatus, subscriptionStatus, heartbeat
    };
    let n = arr.len();
    if n < 4 {
        return Err(format!(
            "book message has {n} elements, expected [channelID, data..., channelName, pair]"
        ));
    }
    let (name, pair) = (arr[n - 2].as_str(), arr[n - 1].as_str());
    let (Some(name), Some(pair)) = (name, pair) else {
        return Err("fields channelName and pair must be strings".to_string());
    };
    let Some(depth) = name.strip_prefix("book-") else {
        return Ok(Record::Other);
    };
    let depth = depth
        .parse::<usize>()
        .map_err(|_| format!("field channelName is {name:?}, expected book-<depth>"))?;
    let mut rec = BookRecord {
        line,
        ts_recv,
        ts_event: None,
        symbol: Some(pair.to_string()),
        kind: Kind::Diff {
            first_id: 0,
            last_id: 0,
            prev_id: None,
        },
        bids: Vec::new(),
        asks: Vec::new(),
        checksum: None,
        depth: Some(depth),
    };
    for obj in &arr[1..n - 2] {
        let o = obj
            .as_object()
            .ok_or_else(|| format!("book data {obj} is not an object"))?;
        for (key, side) in [("as", "ask"), ("a", "ask"), ("bs", "bid"), ("b", "bid")] {
            if o.contains_key(key) {
                if key.len() == 2 {
                    rec.kind = Kind::Snapshot { last_update_id: 0 };
                }
                let lv = levels(obj, key, side)?;
                let dst = if side == "ask" {
                    &mut rec.asks
                } else {
                    &mut rec.bids
                };
                dst.extend(lv);
                for l in field(obj, key)?.as_array().into_iter().flatten() {
                    if let Some(t) = l.get(2).and_then(Value::as_str) {
                        let t = secs_to_ns(t, &format!("{key} timestamp"))?;
                        rec.ts_event = Some(rec.ts_event.map_or(t, |e: i64| e.max(t)));
                    }
                }
            }
        }
        if let Some(c) = o.get("c") {
            let v = c.as_str().and_then(|s| s.parse::<u32>().ok());
            rec.checksum =
                Some(v.ok_or_else(|| format!("field c is {c}, expected a CRC-32 as a decimal string"))?);
        }
    }
    Ok(Record::Book(rec))
}
