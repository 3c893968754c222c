//! Tardis.dev CSV → dataset columns (docs.tardis.dev, "Downloadable CSV files"):
//!
//! - `incremental_book_L2`: `exchange,symbol,timestamp,local_timestamp,is_snapshot,side,price,amount`, one
//!   row per level update, µs timestamps (`timestamp` the exchange's, `local_timestamp` the recorder's),
//!   `side` `bid`/`ask`, `amount` 0 deleting the level. A run of `is_snapshot=true` rows is one snapshot
//!   group (it replaces the book; zero amounts in it are dropped); consecutive update rows with the same
//!   `local_timestamp` form one delta group.
//! - `trades`: `exchange,symbol,timestamp,local_timestamp,id,side,price,amount`, `side` the taker's
//!   (`buy`/`sell`; `unknown` rows are dropped and counted).
//!
//! Timestamps become ns (× 1000); `ts_recv` is `local_timestamp` (a snapshot group takes its last row's).
//! Book groups and trades merge by `ts_recv`, a book group first on a tie. The grid is the finest in the
//! files: `price_decimals` (`qty_decimals`) is the largest number of significant decimals of any price
//! (amount). Both files must be in `local_timestamp` order and hold one instrument. Import is strict: the
//! first unreadable row fails it with its line number, field and value.

use crate::book::{MAX_PRICE, MAX_QTY};
use crate::venues::decimal::Dec;
use crate::venues::input::{decode, lines};

use super::recording::{Conversion, ImportError};
use super::{
    validate, Events, Meta, AGGRESSOR_BUY, AGGRESSOR_SELL, FLAG_LAST, KIND_CLEAR, KIND_DELTA, KIND_SNAPSHOT,
    KIND_TRADE, MAX_DECIMALS,
};

const BOOK_HEADER: [&str; 8] = [
    "exchange",
    "symbol",
    "timestamp",
    "local_timestamp",
    "is_snapshot",
    "side",
    "price",
    "amount",
];
const TRADES_HEADER: [&str; 8] = [
    "exchange",
    "symbol",
    "timestamp",
    "local_timestamp",
    "id",
    "side",
    "price",
    "amount",
];

#[derive(Debug, Clone, Copy)]
struct Row {
    line: usize,
    ts_recv: i64,
    ts_event: i64,
    snapshot: bool,
    side: u8,
    price: Dec,
    qty: Dec,
}

fn row_err(line: usize, field: &'static str, value: &str, reason: &str) -> ImportError {
    ImportError::Row {
        line,
        field,
        value: value.to_string(),
        reason: reason.to_string(),
    }
}

fn micros(line: usize, field: &'static str, v: &str) -> Result<i64, ImportError> {
    v.parse::<i64>()
        .ok()
        .filter(|t| *t >= 0)
        .and_then(|t| t.checked_mul(1000))
        .ok_or_else(|| row_err(line, field, v, "expected non-negative integer microseconds"))
}

fn decimal(line: usize, field: &'static str, v: &str) -> Result<Dec, ImportError> {
    Dec::parse(v).map_err(|e| row_err(line, field, v, &e))
}

/// Reads one CSV file: checks the header, the instrument and the order; calls `row` for each data row.
fn read_csv(
    bytes: &[u8],
    header: &[&str; 8],
    instrument: &mut Option<(String, String)>,
    mut row: impl FnMut(usize, &[&str]) -> Result<Row, ImportError>,
) -> Result<Vec<Row>, ImportError> {
    let decoded = decode(bytes)?;
    if let Some(d) = decoded.damage {
        return Err(ImportError::Damaged {
            line: d.line,
            reason: d.reason,
        });
    }
    let mut out = Vec::new();
    let mut seen_header = false;
    let mut last_ts = 0i64;
    for (n, text) in lines(&decoded.text) {
        let text = text.map_err(|e| row_err(n, "line", "", &e))?;
        let cells: Vec<&str> = text.split(',').collect();
        if !seen_header {
            if cells.as_slice() != header.as_slice() {
                return Err(row_err(
                    n,
                    "header",
                    text,
                    &format!("expected {}", header.join(",")),
                ));
            }
            seen_header = true;
            continue;
        }
        if cells.len() != header.len() {
            return Err(row_err(
                n,
                "row",
                text,
                &format!("has {} cells, expected {}", cells.len(), header.len()),
            ));
        }
        match instrument {
            None => *instrument = Some((cells[0].to_string(), cells[1].to_string())),
            Some((ex, sym)) => {
                if cells[0] != ex.as_str() {
                    return Err(row_err(
                        n,
                        "exchange",
                        cells[0],
                        &format!("differs from {ex:?} (one instrument per dataset)"),
                    ));
                }
                if cells[1] != sym.as_str() {
                    return Err(row_err(
                        n,
                        "symbol",
                        cells[1],
                        &format!("differs from {sym:?} (one instrument per dataset)"),
                    ));
                }
            }
        }
        let r = row(n, &cells)?;
        if r.ts_recv < last_ts {
            return Err(row_err(
                n,
                "local_timestamp",
                cells[3],
                "goes backwards (rows must be in local_timestamp order)",
            ));
        }
        last_ts = r.ts_recv;
        out.push(r);
    }
    if !seen_header {
        return Err(row_err(
            1,
            "header",
            "",
            &format!("missing, expected {}", header.join(",")),
        ));
    }
    Ok(out)
}

fn book_row(n: usize, c: &[&str]) -> Result<Row, ImportError> {
    let snapshot = match c[4] {
        "true" => true,
        "false" => false,
        v => return Err(row_err(n, "is_snapshot", v, "expected true or false")),
    };
    let side = match c[5] {
        "bid" => 0,
        "ask" => 1,
        v => return Err(row_err(n, "side", v, "expected bid or ask")),
    };
    Ok(Row {
        line: n,
        ts_event: micros(n, "timestamp", c[2])?,
        ts_recv: micros(n, "local_timestamp", c[3])?,
        snapshot,
        side,
        price: decimal(n, "price", c[6])?,
        qty: decimal(n, "amount", c[7])?,
    })
}

/// `Ok(None)` for an `unknown` taker side.
fn trade_row(n: usize, c: &[&str]) -> Result<Option<Row>, ImportError> {
    let side = match c[5] {
        "buy" => AGGRESSOR_BUY,
        "sell" => AGGRESSOR_SELL,
        "unknown" => return Ok(None),
        v => return Err(row_err(n, "side", v, "expected buy, sell or unknown")),
    };
    Ok(Some(Row {
        line: n,
        ts_event: micros(n, "timestamp", c[2])?,
        ts_recv: micros(n, "local_timestamp", c[3])?,
        snapshot: false,
        side,
        price: decimal(n, "price", c[6])?,
        qty: decimal(n, "amount", c[7])?,
    }))
}

/// Converts Tardis `incremental_book_L2` and/or `trades` CSV files (plain or gzip) of one instrument.
///
/// # Errors
/// Neither file given; a damaged gzip stream; a wrong header; the first bad row (cell count, an unknown side or
/// is_snapshot, a non-numeric timestamp, price or amount, a second instrument, a time going backwards), by
/// line; a trade with zero price or amount; no rows; a value beyond 2^53−1 on the finest grid; a book group
/// the schema refuses.
pub fn from_tardis(book: Option<&[u8]>, trades: Option<&[u8]>) -> Result<Conversion, ImportError> {
    let mut instrument = None;
    let book_rows = match book {
        Some(b) => read_csv(b, &BOOK_HEADER, &mut instrument, book_row)?,
        None => Vec::new(),
    };
    let mut dropped = 0u64;
    let trade_rows = match trades {
        Some(t) => {
            let rows = read_csv(t, &TRADES_HEADER, &mut instrument, |n, c| {
                Ok(trade_row(n, c)?.unwrap_or(Row {
                    line: 0,
                    ts_recv: micros(n, "local_timestamp", c[3])?,
                    ts_event: 0,
                    snapshot: false,
                    side: u8::MAX,
                    price: Dec {
                        mantissa: 0,
                        scale: 0,
                        written: 0,
                    },
                    qty: Dec {
                        mantissa: 0,
                        scale: 0,
                        written: 0,
                    },
                }))
            })?;
            let before = rows.len();
            let kept: Vec<Row> = rows.into_iter().filter(|r| r.side != u8::MAX).collect();
            dropped = (before - kept.len()) as u64;
            kept
        }
        None => Vec::new(),
    };
    let lines = (book_rows.len() + trade_rows.len()) as u64 + dropped;
    let Some((exchange, symbol)) = instrument else {
        return Err(ImportError::Empty("the Tardis files (no rows)".to_string()));
    };
    for r in &trade_rows {
        if r.price.mantissa == 0 || r.qty.mantissa == 0 {
            let (field, v) = if r.price.mantissa == 0 {
                ("price", r.price)
            } else {
                ("amount", r.qty)
            };
            return Err(row_err(
                r.line,
                field,
                &v.to_string(),
                "a trade needs a positive price and amount",
            ));
        }
    }
    let pd = book_rows
        .iter()
        .chain(&trade_rows)
        .map(|r| r.price.scale)
        .max()
        .unwrap_or(0);
    let qd = book_rows
        .iter()
        .chain(&trade_rows)
        .map(|r| r.qty.scale)
        .max()
        .unwrap_or(0);
    for (field, value) in [("price_decimals", pd), ("qty_decimals", qd)] {
        if value > MAX_DECIMALS {
            return Err(ImportError::Grid {
                field,
                value,
                reason: "more than 18 decimals",
            });
        }
    }
    let units = |r: &Row| -> Result<(i64, i64), ImportError> {
        let p = r.price.to_units(pd).filter(|p| *p <= MAX_PRICE);
        let q = r.qty.to_units(qd).filter(|q| *q <= MAX_QTY);
        match (p, q) {
            (Some(p), Some(q)) => Ok((p, q)),
            (None, _) => Err(row_err(
                r.line,
                "price",
                &r.price.to_string(),
                "beyond 2^53-1 ticks",
            )),
            (_, None) => Err(row_err(
                r.line,
                "amount",
                &r.qty.to_string(),
                "beyond 2^53-1 lots",
            )),
        }
    };

    // Book groups as index ranges of book_rows.
    let mut groups: Vec<(usize, usize)> = Vec::new();
    let mut i = 0;
    while i < book_rows.len() {
        let first = book_rows[i];
        let mut j = i + 1;
        while j < book_rows.len()
            && book_rows[j].snapshot == first.snapshot
            && (first.snapshot || book_rows[j].ts_recv == first.ts_recv)
        {
            j += 1;
        }
        groups.push((i, j));
        i = j;
    }

    let mut ev = Events::default();
    let mut tops = trade_rows.iter().peekable();
    let mut trades = 0u64;
    let mut push_trade = |ev: &mut Events, r: &Row| -> Result<(), ImportError> {
        let (p, q) = units(r)?;
        ev.push(r.ts_recv, r.ts_event, KIND_TRADE, r.side, p, q, FLAG_LAST);
        trades += 1;
        Ok(())
    };
    for (a, b) in groups {
        let rows = &book_rows[a..b];
        let ts = rows.iter().map(|r| r.ts_recv).max().unwrap_or(0);
        while let Some(t) = tops.next_if(|t| t.ts_recv < ts) {
            push_trade(&mut ev, t)?;
        }
        let snapshot = rows[0].snapshot;
        let start = ev.len();
        for r in rows {
            let (p, q) = units(r)?;
            if snapshot && q == 0 {
                continue;
            }
            let kind = if snapshot { KIND_SNAPSHOT } else { KIND_DELTA };
            ev.push(ts, r.ts_event, kind, r.side, p, q, 0);
        }
        if ev.len() == start {
            ev.push(ts, rows[rows.len() - 1].ts_event, KIND_CLEAR, 0, 0, 0, FLAG_LAST);
        } else if let Some(f) = ev.flags.last_mut() {
            *f = FLAG_LAST;
        }
    }
    for t in tops {
        push_trade(&mut ev, t)?;
    }
    validate(ev.as_slice(), None, 0)?;
    Ok(Conversion {
        meta: Meta {
            venue: exchange,
            symbol,
            price_decimals: pd,
            qty_decimals: qd,
        },
        events: ev,
        stats: Default::default(),
        trades,
        trades_dropped: dropped,
        lines,
        file_rejected: 0,
        rejections: Vec::new(),
        tops: Vec::new(),
    })
}
