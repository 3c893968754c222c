//! Venue recordings → dataset columns. The recording is replayed by [`crate::venues`] with its sync rules;
//! the dataset holds exactly what those rules applied to the book:
//!
//! - a snapshot group (the whole book after it) at the first sync and at every resync,
//! - a delta group per applied diff (its level updates as applied; for Kraken also the deletes of levels
//!   pushed beyond the subscribed depth),
//! - a clear row where a gap in the update ids empties the book,
//! - a trade row per trade print (Binance `trade` / `aggTrade`, Coinbase `match`), side the aggressor.
//!
//! Diffs buffered before a snapshot and applied with it carry the snapshot's receive time (receive times are
//! made non-decreasing: a row never precedes what the replay had already seen). Refused records (crossed,
//! off-tick, out of sequence) emit nothing. Prices and quantities are integers on the instrument's grid
//! ([`crate::venues::decimal::Grid`]); when the lot is refined during the replay, the rows already emitted
//! are rescaled, so the whole dataset uses the finest grid seen.

use crate::book::{Book, LevelUpdate, Side, MAX_PRICE, MAX_QTY};
use crate::venues::decimal::Grid;
use crate::venues::parse::Trade;
use crate::venues::{Rejection, Replay, Stats, Venue, VenueError};

use super::{
    validate, DatasetError, Events, Meta, AGGRESSOR_BUY, AGGRESSOR_SELL, FLAG_LAST, KIND_CLEAR, KIND_DELTA,
    KIND_SNAPSHOT, KIND_TRADE, MAX_DECIMALS,
};

/// One row as the replay emitted it: price in units of `10^-pd`, quantity in units of `10^-qd`.
#[derive(Debug, Clone, Copy)]
struct RawRow {
    ts_recv: i64,
    ts_event: i64,
    kind: u8,
    side: u8,
    flags: u8,
    pd: u8,
    qd: u8,
    price: i64,
    qty: i64,
}

/// The venue replay's best bid and ask after a group, for cross-checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct RawTop {
    row: usize,
    pd: u8,
    qd: u8,
    bid: Option<(i64, i64)>,
    ask: Option<(i64, i64)>,
}

/// The venue replay's top of book after the group ending at `row`, on the dataset's grid: `(price, qty)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GroupTop {
    pub row: usize,
    pub bid: Option<(i64, i64)>,
    pub ask: Option<(i64, i64)>,
}

/// Collects the rows of one instrument during a replay.
#[derive(Debug, Default)]
pub(crate) struct Recorder {
    rows: Vec<RawRow>,
    tops: Vec<RawTop>,
    last_ts: i64,
    trades: u64,
    /// Trades dropped: zero quantity or price, or a number that does not fit.
    trades_dropped: u64,
}

fn dec_u8(d: u32) -> u8 {
    u8::try_from(d).unwrap_or(u8::MAX)
}

impl Recorder {
    /// `(ts_recv, ts_event)` of a row: the receive time (else the event time, else the last row's), never
    /// before the previous row's.
    fn clock(&mut self, ts_recv: Option<i64>, ts_event: Option<i64>) -> (i64, i64) {
        let recv = ts_recv.or(ts_event).unwrap_or(self.last_ts).max(self.last_ts);
        self.last_ts = recv;
        (recv, ts_event.unwrap_or(recv))
    }

    fn top(&mut self, book: &Book, grid: Grid) {
        let Some(row) = self.rows.len().checked_sub(1) else {
            return;
        };
        self.tops.push(RawTop {
            row,
            pd: dec_u8(grid.price_decimals),
            qd: dec_u8(grid.qty_decimals),
            bid: book.best_bid().map(|l| (l.price, l.qty)),
            ask: book.best_ask().map(|l| (l.price, l.qty)),
        });
    }

    fn close_group(&mut self) {
        if let Some(r) = self.rows.last_mut() {
            r.flags = FLAG_LAST;
        }
    }

    pub(crate) fn snapshot(&mut self, ts_recv: Option<i64>, ts_event: Option<i64>, book: &Book, grid: Grid) {
        let (recv, event) = self.clock(ts_recv, ts_event);
        if book.is_empty() {
            return self.push_clear(recv, event);
        }
        for side in [Side::Bid, Side::Ask] {
            for l in book.levels(side) {
                self.rows.push(RawRow {
                    ts_recv: recv,
                    ts_event: event,
                    kind: KIND_SNAPSHOT,
                    side: side.to_wire(),
                    flags: 0,
                    pd: dec_u8(grid.price_decimals),
                    qd: dec_u8(grid.qty_decimals),
                    price: l.price,
                    qty: l.qty,
                });
            }
        }
        self.close_group();
        self.top(book, grid);
    }

    pub(crate) fn delta(
        &mut self,
        ts_recv: Option<i64>,
        ts_event: Option<i64>,
        ups: &[LevelUpdate],
        book: &Book,
        grid: Grid,
    ) {
        if ups.is_empty() {
            return;
        }
        let (recv, event) = self.clock(ts_recv, ts_event);
        for u in ups {
            self.rows.push(RawRow {
                ts_recv: recv,
                ts_event: event,
                kind: KIND_DELTA,
                side: u.side.to_wire(),
                flags: 0,
                pd: dec_u8(grid.price_decimals),
                qd: dec_u8(grid.qty_decimals),
                price: u.price,
                qty: u.qty,
            });
        }
        self.close_group();
        self.top(book, grid);
    }

    pub(crate) fn clear(&mut self, ts_recv: Option<i64>, ts_event: Option<i64>) {
        let (recv, event) = self.clock(ts_recv, ts_event);
        self.push_clear(recv, event);
    }

    fn push_clear(&mut self, recv: i64, event: i64) {
        self.rows.push(RawRow {
            ts_recv: recv,
            ts_event: event,
            kind: KIND_CLEAR,
            side: 0,
            flags: FLAG_LAST,
            pd: 0,
            qd: 0,
            price: 0,
            qty: 0,
        });
        self.tops.push(RawTop {
            row: self.rows.len().saturating_sub(1),
            pd: 0,
            qd: 0,
            bid: None,
            ask: None,
        });
    }

    pub(crate) fn trade(&mut self, t: &Trade) {
        let (Ok(price), Ok(qty)) = (i64::try_from(t.price.mantissa), i64::try_from(t.qty.mantissa)) else {
            self.trades_dropped += 1;
            return;
        };
        if price == 0 || qty == 0 {
            self.trades_dropped += 1;
            return;
        }
        let (recv, event) = self.clock(t.ts_recv, t.ts_event);
        self.trades += 1;
        self.rows.push(RawRow {
            ts_recv: recv,
            ts_event: event,
            kind: KIND_TRADE,
            side: if t.buyer_aggressor {
                AGGRESSOR_BUY
            } else {
                AGGRESSOR_SELL
            },
            flags: FLAG_LAST,
            pd: dec_u8(t.price.scale),
            qd: dec_u8(t.qty.scale),
            price,
            qty,
        });
    }
}

/// What an import produced: the dataset, and what the replay saw on the way.
#[derive(Debug, Clone)]
pub struct Conversion {
    pub meta: Meta,
    pub events: Events,
    /// The venue replay's counters for the instrument (snapshots, applied diffs, gaps, refusals, checks).
    pub stats: Stats,
    pub trades: u64,
    /// Trades not kept (zero price or size, or a number beyond 18 digits).
    pub trades_dropped: u64,
    /// Lines read (Tardis: data rows), and lines no instrument could use (malformed, unrecognised), the first few listed.
    pub lines: u64,
    pub file_rejected: u64,
    pub rejections: Vec<Rejection>,
    /// The venue replay's top of book after every snapshot, delta and clear group (for cross-checks).
    pub tops: Vec<GroupTop>,
}

/// Why an import failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImportError {
    #[error("{0}")]
    Venue(#[from] VenueError),
    /// A truncated or corrupt compressed stream, at the line where the damage starts.
    #[error("line {line}: {reason}")]
    Damaged { line: usize, reason: String },
    /// A line or CSV row that cannot be read (Tardis imports are strict).
    #[error("line {line}: field {field} is {value:?}: {reason}")]
    Row {
        line: usize,
        field: &'static str,
        value: String,
        reason: String,
    },
    #[error("field symbol is {symbol:?}: {reason}")]
    Symbol { symbol: String, reason: String },
    #[error("{field} is {value}: {reason}")]
    Grid {
        field: &'static str,
        value: u32,
        reason: &'static str,
    },
    #[error("dataset: {0}")]
    Dataset(#[from] DatasetError),
    #[error("the input holds no book or trade events for {0}")]
    Empty(String),
}

fn scale(v: i64, from: u8, to: u32, max: i64) -> Option<i64> {
    let k = to.checked_sub(u32::from(from))?;
    v.checked_mul(10i64.checked_pow(k)?).filter(|x| *x <= max)
}

/// Converts a venue recording into one instrument's dataset. `symbol` picks the instrument when the recording
/// holds several (Kraken, Coinbase captures); `None` takes the only one.
///
/// # Errors
/// An unreadable container, a truncated or corrupt compressed stream ([`ImportError::Damaged`], with the line
/// where the damage starts), an unknown or ambiguous symbol, no events, or a price or quantity that does not
/// fit the dataset's range once on the finest grid.
pub fn from_recording(venue: Venue, bytes: &[u8], symbol: Option<&str>) -> Result<Conversion, ImportError> {
    let mut replay = Replay::run_recording(venue, bytes, 20)?;
    if let Some(d) = replay.damage.take() {
        return Err(ImportError::Damaged {
            line: d.line,
            reason: d.reason,
        });
    }
    let names: Vec<String> = replay.instruments.keys().cloned().collect();
    let symbol = match (symbol, names.as_slice()) {
        (Some(s), _) => s.to_string(),
        (None, [only]) => only.clone(),
        (None, []) => return Err(ImportError::Empty(venue_name(venue).to_string())),
        (None, many) => {
            return Err(ImportError::Symbol {
                symbol: String::new(),
                reason: format!(
                    "the recording holds {} instruments, pick one of {}",
                    many.len(),
                    many.join(", ")
                ),
            })
        }
    };
    let Some(mut inst) = replay.instruments.remove(&symbol) else {
        return Err(ImportError::Symbol {
            symbol,
            reason: format!("not in the recording, which holds {}", names.join(", ")),
        });
    };
    let rec = inst.recorder.take().unwrap_or_default();
    let meta_symbol = inst.symbol.clone();
    let (meta, events, tops) = finish(rec.rows, &rec.tops, venue_name(venue), &meta_symbol)?;
    Ok(Conversion {
        meta,
        events,
        stats: inst.stats,
        trades: rec.trades,
        trades_dropped: rec.trades_dropped,
        lines: replay.lines,
        file_rejected: replay.file_rejected,
        rejections: replay
            .file_rejections
            .into_iter()
            .chain(inst.rejections)
            .collect(),
        tops,
    })
}

/// The dataset `venue` name of a recording format (its [`Venue::NAMES`] entry).
pub fn venue_name(venue: Venue) -> &'static str {
    match venue {
        Venue::BinanceSpot => "binance-spot",
        Venue::BinanceFutures => "binance-futures",
        Venue::Bybit => "bybit",
        Venue::Kraken => "kraken",
        Venue::Coinbase => "coinbase",
    }
}

/// Rows on mixed grids → columns on the finest grid, validated.
fn finish(
    rows: Vec<RawRow>,
    raw_tops: &[RawTop],
    venue: &str,
    symbol: &str,
) -> Result<(Meta, Events, Vec<GroupTop>), ImportError> {
    if rows.is_empty() {
        return Err(ImportError::Empty(format!("{venue} {symbol}")));
    }
    let pd = rows.iter().map(|r| u32::from(r.pd)).max().unwrap_or(0);
    let qd = rows.iter().map(|r| u32::from(r.qd)).max().unwrap_or(0);
    for (field, value) in [("price_decimals", pd), ("qty_decimals", qd)] {
        if value > MAX_DECIMALS {
            return Err(ImportError::Grid {
                field,
                value,
                reason: "more than 18 decimals",
            });
        }
    }
    let mut ev = Events::default();
    for (i, r) in rows.iter().enumerate() {
        let (price, qty) = if r.kind == KIND_CLEAR {
            (0, 0)
        } else {
            let bad = |column: &'static str, value: i64| DatasetError::Invalid {
                column,
                row: i,
                value,
                reason: "does not fit 2^53-1 once on the dataset's finest grid",
            };
            (
                scale(r.price, r.pd, pd, MAX_PRICE).ok_or_else(|| bad("price", r.price))?,
                scale(r.qty, r.qd, qd, MAX_QTY).ok_or_else(|| bad("qty", r.qty))?,
            )
        };
        ev.push(r.ts_recv, r.ts_event, r.kind, r.side, price, qty, r.flags);
    }
    validate(ev.as_slice(), None, 0)?;
    let lvl = |l: Option<(i64, i64)>, t: &RawTop| {
        l.and_then(|(p, q)| Some((scale(p, t.pd, pd, i64::MAX)?, scale(q, t.qd, qd, i64::MAX)?)))
    };
    let tops = raw_tops
        .iter()
        .map(|t| GroupTop {
            row: t.row,
            bid: lvl(t.bid, t),
            ask: lvl(t.ask, t),
        })
        .collect();
    let meta = Meta {
        venue: venue.to_string(),
        symbol: symbol.to_string(),
        price_decimals: pd,
        qty_decimals: qd,
    };
    Ok((meta, ev, tops))
}
