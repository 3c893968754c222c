//! Level-2 order book on integer ticks and lots.
//!
//! # Arithmetic
//! Prices are `i64` ticks and quantities `i64` lots of the instrument: `price = ticks × tick_size`,
//! `qty = lots × lot_size` (the decimal sizes come with the instrument list, docs/protocol.md). Decimals appear
//! only at the edges (venue adapters, UI); inside the book every comparison and sum is exact integer arithmetic.
//!
//! - Valid prices are `1..=MAX_PRICE` ticks and valid quantities `0..=MAX_QTY` lots, with
//!   `MAX_PRICE = MAX_QTY = 2^53 − 1` (JavaScript's `Number.MAX_SAFE_INTEGER`, so every value survives the
//!   trip to JavaScript exactly). A quantity of 0 deletes a level in a delta and is invalid in a snapshot.
//!   Anything outside those ranges is rejected with a [`BookError`] naming the field and value — never wrapped,
//!   clamped or truncated.
//! - Internally a side is addressed by a *key* in which smaller is better: the ask key is the price, the bid key
//!   the negated price. Keys lie in `±(2^53 − 1)`, so key differences and window offsets cannot overflow.
//! - A single level's notional `price × qty` is below 2^106, and the notional of a walk that fills at most
//!   `MAX_QTY` lots below 2^106 too: fill costs are exact in `i128`.
//! - Cumulative quantities (cumulative depth, imbalance, quantity at or better) are `i64` sums that saturate at
//!   `i64::MAX`. Saturation needs more than 1,000 levels each near `MAX_QTY`, which no market produces.
//! - Derived prices (mid, microprice, average fill price) are `f64` ticks, the only floating-point outputs.
//!
//! # Structure
//! Each side is a ladder (`ladder.rs`), after the flat-vector depth of hftbacktest's `ROIVectorMarketDepth`
//! (nkaz001/hftbacktest, `hftbacktest/src/depth/roivectormarketdepth.rs`). That one covers a fixed range of
//! interest and ignores prices outside it; this one moves its window and keeps every level:
//! - a flat array of quantities over a window of consecutive keys that always holds the best level, with an
//!   occupancy bitmap (one bit per slot) so that finding the next level skips 64 empty ticks per instruction;
//! - a sorted overflow map for levels worse than the window (deep levels far from the touch);
//! - the best index cached, found again through the bitmap when its level empties.
//!
//! Setting a level inside the window is an array store and a bit flip. The window re-centres — the best level
//! placed an eighth of the way in — when a level better than the window arrives, or when the best level has
//! drifted past the middle of the window, so the book behind the touch stays in the array. A move costs
//! O(levels in the window + levels pulled in from the overflow), and a drift of at least 3/8 of the window
//! separates two moves in a trending market.
//!
//! # Crossed books and atomicity
//! A delta batch is applied, then the result is checked; a crossed (best bid > best ask) or locked (equal) result
//! is rolled back and reported, leaving the book exactly as before. Records inside a batch may pass through
//! crossed states (the protocol guarantees an uncrossed book only after each batch). An invalid record rolls
//! back the records applied before it, so it too leaves the book unchanged. A snapshot is validated and checked
//! for crossing before the old book is cleared.

mod l2;
mod ladder;
mod queries;

pub use l2::{BatchStats, Book, Levels, DEFAULT_WINDOW, MAX_WINDOW, MIN_WINDOW};
pub use queries::{group_price, DepthLevel, FillEstimate};

use std::fmt;

/// Largest valid price in ticks: 2^53 − 1.
pub const MAX_PRICE: i64 = (1 << 53) - 1;
/// Largest valid quantity in lots: 2^53 − 1.
pub const MAX_QTY: i64 = (1 << 53) - 1;

/// Book side.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Side {
    Bid = 0,
    Ask = 1,
}

impl Side {
    /// Decodes the wire byte (docs/protocol.md): 0 bid, 1 ask.
    ///
    /// # Errors
    /// [`BookError::InvalidSide`] for any other byte.
    pub fn from_wire(byte: u8) -> Result<Side, BookError> {
        match byte {
            0 => Ok(Side::Bid),
            1 => Ok(Side::Ask),
            other => Err(BookError::InvalidSide(other)),
        }
    }

    /// The wire byte: 0 bid, 1 ask.
    pub fn to_wire(self) -> u8 {
        match self {
            Side::Bid => 0,
            Side::Ask => 1,
        }
    }

    /// The other side.
    pub fn opposite(self) -> Side {
        match self {
            Side::Bid => Side::Ask,
            Side::Ask => Side::Bid,
        }
    }
}

impl fmt::Display for Side {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Side::Bid => "bid",
            Side::Ask => "ask",
        })
    }
}

/// A price level: price in ticks, quantity in lots.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Level {
    pub price: i64,
    pub qty: i64,
}

/// One record of a snapshot or delta: set the quantity at `(side, price)`; 0 deletes the level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct LevelUpdate {
    pub side: Side,
    pub price: i64,
    pub qty: i64,
}

impl LevelUpdate {
    /// Checks the price and quantity against the documented ranges.
    ///
    /// # Errors
    /// [`BookError::InvalidPrice`] or [`BookError::InvalidQty`], naming the offending value.
    #[inline]
    pub fn validate(&self) -> Result<(), BookError> {
        if !(1..=MAX_PRICE).contains(&self.price) {
            return Err(BookError::InvalidPrice {
                side: self.side,
                price: self.price,
            });
        }
        if !(0..=MAX_QTY).contains(&self.qty) {
            return Err(BookError::InvalidQty {
                side: self.side,
                price: self.price,
                qty: self.qty,
            });
        }
        Ok(())
    }
}

/// Why a book operation was refused. Every variant names the field and carries the offending values.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BookError {
    #[error("field price is {price} on the {side} side, expected 1..={MAX_PRICE} ticks")]
    InvalidPrice { side: Side, price: i64 },
    #[error("field qty is {qty} at {side} price {price}, expected 0..={MAX_QTY} lots")]
    InvalidQty { side: Side, price: i64, qty: i64 },
    #[error("field qty is 0 at {side} price {price} in a snapshot, expected a positive quantity")]
    EmptySnapshotLevel { side: Side, price: i64 },
    #[error("field side is {0}, expected 0 (bid) or 1 (ask)")]
    InvalidSide(u8),
    #[error("field qty is {0}, expected 0..={MAX_QTY} lots to fill")]
    InvalidFillQty(i64),
    #[error("field grouping is {0}, expected 1..={MAX_PRICE} ticks")]
    InvalidGrouping(i64),
    #[error("field window is {0}, expected {MIN_WINDOW}..={MAX_WINDOW} ticks")]
    InvalidWindow(usize),
    #[error("crossed book: best bid {bid} > best ask {ask}")]
    Crossed { bid: i64, ask: i64 },
    #[error("locked book: best bid {bid} == best ask {ask}")]
    Locked { bid: i64, ask: i64 },
}

/// `Ok` unless a bid at `bid` and an ask at `ask` would cross or lock the book.
///
/// # Errors
/// [`BookError::Crossed`] when `bid > ask`, [`BookError::Locked`] when they are equal.
#[inline]
pub fn check_touch(bid: i64, ask: i64) -> Result<(), BookError> {
    if bid > ask {
        Err(BookError::Crossed { bid, ask })
    } else if bid == ask {
        Err(BookError::Locked { bid, ask })
    } else {
        Ok(())
    }
}
