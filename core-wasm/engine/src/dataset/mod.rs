//! Replay datasets: one instrument's L2 deltas and trades as flat event columns, the in-memory form of the
//! Arrow IPC schema documented in `docs/datasets.md`.
//!
//! # Rows and groups
//! Each row is one event: a level of a snapshot, a level delta, a trade, or a clear. Rows are grouped into
//! atomic updates: a group is the rows up to and including the next row flagged [`FLAG_LAST`]; all rows of a
//! group share `kind` and `ts_recv`. A snapshot group replaces the book, a delta group is applied as one batch
//! (and the book must be uncrossed after it), a trade or clear group is a single row.
//!
//! - `ts_recv`: the recorder's receive time, ns since the Unix epoch; non-decreasing over the dataset (replays
//!   run in `ts_recv` order).
//! - `ts_event`: the venue's event time in ns (equal to `ts_recv` where the source has none).
//! - `side`: book rows 0 bid, 1 ask; trade rows the aggressor, 0 buyer ([`AGGRESSOR_BUY`]), 1 seller.
//! - `price`: integer ticks, `price = ticks × 10^-price_decimals`; `qty`: integer lots,
//!   `qty = lots × 10^-qty_decimals` (a delta's 0 deletes the level).

use std::fmt;

use crate::book::{MAX_PRICE, MAX_QTY};

mod query;
pub mod recording;
pub mod sample;
pub mod tardis;

pub use recording::{from_recording, Conversion, GroupTop, ImportError};
pub use sample::{sample_day, SampleParams};
pub use tardis::from_tardis;

/// A row of a snapshot group.
pub const KIND_SNAPSHOT: u8 = 0;
/// A row of a delta group.
pub const KIND_DELTA: u8 = 1;
/// A trade (a single-row group).
pub const KIND_TRADE: u8 = 2;
/// Clear the book (a single-row group; side, price and qty are 0).
pub const KIND_CLEAR: u8 = 3;

/// `flags` bit: the last row of its group.
pub const FLAG_LAST: u8 = 1;

/// Trade `side`: the buyer was the aggressor (lifted the ask).
pub const AGGRESSOR_BUY: u8 = 0;
/// Trade `side`: the seller was the aggressor (hit the bid).
pub const AGGRESSOR_SELL: u8 = 1;

/// Largest `price_decimals` / `qty_decimals`.
pub const MAX_DECIMALS: u32 = 18;

/// The instrument a dataset describes.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Meta {
    pub venue: String,
    pub symbol: String,
    pub price_decimals: u32,
    pub qty_decimals: u32,
}

impl Meta {
    /// Ticks → price.
    pub fn price(&self, ticks: i64) -> f64 {
        ticks as f64 / 10f64.powi(self.price_decimals as i32)
    }

    /// Lots → quantity.
    pub fn qty(&self, lots: i64) -> f64 {
        lots as f64 / 10f64.powi(self.qty_decimals as i32)
    }
}

/// Owned event columns (all the same length).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Events {
    pub ts_recv: Vec<i64>,
    pub ts_event: Vec<i64>,
    pub kind: Vec<u8>,
    pub side: Vec<u8>,
    pub price: Vec<i64>,
    pub qty: Vec<i64>,
    pub flags: Vec<u8>,
}

/// Borrowed event columns: a window of a dataset, or all of it.
#[derive(Debug, Clone, Copy)]
pub struct EventSlice<'a> {
    pub ts_recv: &'a [i64],
    pub ts_event: &'a [i64],
    pub kind: &'a [u8],
    pub side: &'a [u8],
    pub price: &'a [i64],
    pub qty: &'a [i64],
    pub flags: &'a [u8],
}

impl Events {
    pub fn len(&self) -> usize {
        self.ts_recv.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ts_recv.is_empty()
    }

    /// Appends one row.
    #[allow(clippy::too_many_arguments)]
    pub fn push(&mut self, ts_recv: i64, ts_event: i64, kind: u8, side: u8, price: i64, qty: i64, flags: u8) {
        self.ts_recv.push(ts_recv);
        self.ts_event.push(ts_event);
        self.kind.push(kind);
        self.side.push(side);
        self.price.push(price);
        self.qty.push(qty);
        self.flags.push(flags);
    }

    /// Appends a window after validating it against the rows already held (see [`validate`]); on error nothing
    /// is appended.
    ///
    /// # Errors
    /// The first invalid row, as [`validate`] reports it, with `row` counted from the start of the dataset.
    pub fn extend_checked(&mut self, window: EventSlice<'_>) -> Result<(), DatasetError> {
        let prev = self.last_row();
        validate(window, prev, self.len())?;
        self.ts_recv.extend_from_slice(window.ts_recv);
        self.ts_event.extend_from_slice(window.ts_event);
        self.kind.extend_from_slice(window.kind);
        self.side.extend_from_slice(window.side);
        self.price.extend_from_slice(window.price);
        self.qty.extend_from_slice(window.qty);
        self.flags.extend_from_slice(window.flags);
        Ok(())
    }

    /// The whole dataset as a slice.
    pub fn as_slice(&self) -> EventSlice<'_> {
        EventSlice {
            ts_recv: &self.ts_recv,
            ts_event: &self.ts_event,
            kind: &self.kind,
            side: &self.side,
            price: &self.price,
            qty: &self.qty,
            flags: &self.flags,
        }
    }

    /// `(ts_recv, kind, flags)` of the last row: what the next window must continue.
    pub fn last_row(&self) -> Option<PrevRow> {
        let i = self.len().checked_sub(1)?;
        Some(PrevRow {
            ts_recv: self.ts_recv[i],
            kind: self.kind[i],
            flags: self.flags[i],
        })
    }

    /// `true` when the last group is complete (the dataset does not end inside a group).
    pub fn is_complete(&self) -> bool {
        self.flags.last().is_none_or(|f| f & FLAG_LAST != 0)
    }
}

impl EventSlice<'_> {
    pub fn len(&self) -> usize {
        self.ts_recv.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ts_recv.is_empty()
    }
}

/// The last row before a window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PrevRow {
    pub ts_recv: i64,
    pub kind: u8,
    pub flags: u8,
}

/// A dataset that breaks the schema: the column, the row (from the dataset's start) and the value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DatasetError {
    /// The columns of a window differ in length.
    Lengths {
        column: &'static str,
        len: usize,
        expected: usize,
    },
    /// A value outside its column's range, or inconsistent with its group.
    Invalid {
        column: &'static str,
        row: usize,
        value: i64,
        reason: &'static str,
    },
    /// The dataset ends inside a group (the last row is not flagged last).
    Truncated { rows: usize },
}

impl fmt::Display for DatasetError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DatasetError::Lengths {
                column,
                len,
                expected,
            } => {
                write!(
                    f,
                    "column {column} has {len} rows, expected {expected} like ts_recv"
                )
            }
            DatasetError::Invalid {
                column,
                row,
                value,
                reason,
            } => {
                write!(f, "column {column} at row {row} is {value}: {reason}")
            }
            DatasetError::Truncated { rows } => {
                write!(
                    f,
                    "dataset is truncated: row {} ends inside an update group (flags has no last bit)",
                    rows.saturating_sub(1)
                )
            }
        }
    }
}

impl std::error::Error for DatasetError {}

/// Checks a window against the schema, continuing from `prev` (the row before it, if any); `first_row` is the
/// window's first row number in the dataset, for messages.
///
/// # Errors
/// The first problem found: unequal column lengths, a `ts_recv` going backwards, an unknown kind, side or flag,
/// a price or quantity out of range, a group mixing kinds or receive times, a multi-row trade or clear.
pub fn validate(w: EventSlice<'_>, prev: Option<PrevRow>, first_row: usize) -> Result<(), DatasetError> {
    let n = w.ts_recv.len();
    for (column, len) in [
        ("ts_event", w.ts_event.len()),
        ("kind", w.kind.len()),
        ("side", w.side.len()),
        ("price", w.price.len()),
        ("qty", w.qty.len()),
        ("flags", w.flags.len()),
    ] {
        if len != n {
            return Err(DatasetError::Lengths {
                column,
                len,
                expected: n,
            });
        }
    }
    let mut prev = prev;
    for i in 0..n {
        let row = first_row + i;
        let bad = |column: &'static str, value: i64, reason: &'static str| DatasetError::Invalid {
            column,
            row,
            value,
            reason,
        };
        let (ts, kind, side, price, qty, flags) = (
            w.ts_recv[i],
            w.kind[i],
            w.side[i],
            w.price[i],
            w.qty[i],
            w.flags[i],
        );
        if ts < 0 {
            return Err(bad("ts_recv", ts, "must be non-negative nanoseconds"));
        }
        if w.ts_event[i] < 0 {
            return Err(bad("ts_event", w.ts_event[i], "must be non-negative nanoseconds"));
        }
        if flags & !FLAG_LAST != 0 {
            return Err(bad(
                "flags",
                i64::from(flags),
                "unknown flag bits (only bit 0, last row of group, is defined)",
            ));
        }
        if kind > KIND_CLEAR {
            return Err(bad(
                "kind",
                i64::from(kind),
                "expected 0 snapshot, 1 delta, 2 trade or 3 clear",
            ));
        }
        if side > 1 {
            return Err(bad("side", i64::from(side), "expected 0 or 1"));
        }
        let in_group = prev.is_some_and(|p| p.flags & FLAG_LAST == 0);
        if let Some(p) = prev {
            if ts < p.ts_recv {
                return Err(bad(
                    "ts_recv",
                    ts,
                    "goes backwards (rows must be in receive-time order)",
                ));
            }
            if in_group && (kind != p.kind || ts != p.ts_recv) {
                return Err(bad(
                    "kind",
                    i64::from(kind),
                    "differs from its group's first row (kind and ts_recv must match within a group)",
                ));
            }
        }
        match kind {
            KIND_SNAPSHOT | KIND_TRADE => {
                if !(1..=MAX_PRICE).contains(&price) {
                    return Err(bad("price", price, "must be 1..=2^53-1 ticks"));
                }
                if !(1..=MAX_QTY).contains(&qty) {
                    return Err(bad("qty", qty, "must be 1..=2^53-1 lots"));
                }
            }
            KIND_DELTA => {
                if !(1..=MAX_PRICE).contains(&price) {
                    return Err(bad("price", price, "must be 1..=2^53-1 ticks"));
                }
                if !(0..=MAX_QTY).contains(&qty) {
                    return Err(bad("qty", qty, "must be 0..=2^53-1 lots (0 deletes the level)"));
                }
            }
            _ => {}
        }
        if matches!(kind, KIND_TRADE | KIND_CLEAR) && flags & FLAG_LAST == 0 {
            return Err(bad(
                "flags",
                i64::from(flags),
                "a trade or clear row is a group of its own and must be flagged last",
            ));
        }
        prev = Some(PrevRow {
            ts_recv: ts,
            kind,
            flags,
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(ev: &mut Events, ts: i64, kind: u8, side: u8, price: i64, qty: i64, flags: u8) {
        ev.push(ts, ts, kind, side, price, qty, flags);
    }

    #[test]
    fn accepts_groups_and_rejects_broken_rows_by_name() {
        let mut ev = Events::default();
        one(&mut ev, 10, KIND_SNAPSHOT, 0, 100, 5, 0);
        one(&mut ev, 10, KIND_SNAPSHOT, 1, 101, 5, FLAG_LAST);
        one(&mut ev, 11, KIND_TRADE, AGGRESSOR_BUY, 101, 2, FLAG_LAST);
        assert!(validate(ev.as_slice(), None, 0).is_ok());
        assert!(ev.is_complete());

        let mut all = Events::default();
        all.extend_checked(ev.as_slice()).unwrap();
        let mut late = Events::default();
        one(&mut late, 9, KIND_DELTA, 0, 100, 0, FLAG_LAST);
        let err = all.extend_checked(late.as_slice()).unwrap_err();
        assert_eq!(
            err.to_string(),
            "column ts_recv at row 3 is 9: goes backwards (rows must be in receive-time order)"
        );
        assert_eq!(all.len(), 3, "a rejected window appends nothing");

        let mut mixed = Events::default();
        one(&mut mixed, 5, KIND_DELTA, 0, 100, 1, 0);
        one(&mut mixed, 5, KIND_TRADE, 0, 100, 1, FLAG_LAST);
        assert!(matches!(
            validate(mixed.as_slice(), None, 0),
            Err(DatasetError::Invalid {
                column: "kind",
                row: 1,
                ..
            })
        ));

        let mut neg = Events::default();
        one(&mut neg, 5, KIND_SNAPSHOT, 0, 100, 0, FLAG_LAST);
        assert!(matches!(
            validate(neg.as_slice(), None, 0),
            Err(DatasetError::Invalid {
                column: "qty",
                row: 0,
                value: 0,
                ..
            })
        ));

        let mut open = Events::default();
        one(&mut open, 5, KIND_DELTA, 0, 100, 1, 0);
        assert!(!open.is_complete());
    }
}
