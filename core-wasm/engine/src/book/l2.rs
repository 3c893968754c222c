//! The two-sided book: construction, snapshot, delta batches with rollback, clear, and level access.

use super::ladder::{Ladder, LadderIter};
use super::{check_touch, BookError, Level, LevelUpdate, Side, MAX_PRICE};

/// Smallest window, in ticks per side.
pub const MIN_WINDOW: usize = 64;
/// Largest window, in ticks per side (16 Mi ticks: 128 MiB a side).
pub const MAX_WINDOW: usize = 1 << 24;
/// Default window, in ticks per side: 64 Ki ticks, 520 KiB a side with the bitmap. A depth-1000 book with a
/// level on every tick, or even one every 50 ticks, lives entirely in the arrays.
pub const DEFAULT_WINDOW: usize = 1 << 16;

/// Side key in which smaller is better (module docs of [`crate::book`]): `-price` for bids, `price` for asks,
/// computed without a branch (the side of consecutive updates is close to random). Callers pass validated
/// prices.
#[inline]
fn key(side: Side, price: i64) -> i64 {
    price * (2 * side as i64 - 1)
}

/// What a successful delta batch did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BatchStats {
    /// Records applied.
    pub records: usize,
    /// Deletes of levels that did not exist: no-ops, counted for diagnostics.
    pub missing_deletes: usize,
}

/// A level-2 book. See the module docs of [`crate::book`] for the arithmetic and the structure.
#[derive(Debug, Clone)]
pub struct Book {
    /// Indexed by `Side as usize`: bids, asks.
    sides: [Ladder; 2],
    /// `(side, key, previous qty)` of every record of the batch being applied, for rollback.
    undo: Vec<(Side, i64, i64)>,
}

impl Default for Book {
    fn default() -> Self {
        Book::new()
    }
}

impl Book {
    /// An empty book with the [`DEFAULT_WINDOW`].
    pub fn new() -> Book {
        Book::with_ladders(DEFAULT_WINDOW)
    }

    /// An empty book whose per-side arrays cover `window` ticks, rounded up to a multiple of 64. Small windows
    /// suit sparse books (and exercise re-centring in tests); large ones suit books with wide tick ranges.
    ///
    /// # Errors
    /// [`BookError::InvalidWindow`] unless `MIN_WINDOW <= window <= MAX_WINDOW`.
    pub fn with_window(window: usize) -> Result<Book, BookError> {
        if !(MIN_WINDOW..=MAX_WINDOW).contains(&window) {
            return Err(BookError::InvalidWindow(window));
        }
        Ok(Book::with_ladders(window.next_multiple_of(64)))
    }

    fn with_ladders(window: usize) -> Book {
        Book {
            sides: [Ladder::new(window), Ladder::new(window)],
            undo: Vec::new(),
        }
    }

    // `Side` has two variants, discriminants 0 and 1: the indexing below cannot go out of bounds.
    #[inline]
    fn ladder(&self, side: Side) -> &Ladder {
        &self.sides[side as usize]
    }

    #[inline]
    fn ladder_mut(&mut self, side: Side) -> &mut Ladder {
        &mut self.sides[side as usize]
    }

    /// Removes every level.
    pub fn clear(&mut self) {
        self.sides.iter_mut().for_each(Ladder::clear);
    }

    /// Replaces the book with a snapshot. Duplicate `(side, price)` records keep the last quantity.
    ///
    /// # Errors
    /// The first invalid record's [`BookError`] (a zero quantity is invalid in a snapshot:
    /// [`BookError::EmptySnapshotLevel`]), or [`BookError::Crossed`] / [`BookError::Locked`] when the snapshot's
    /// best bid is not below its best ask. On error the book is unchanged: everything is checked before the old
    /// book is cleared.
    pub fn apply_snapshot<I>(&mut self, levels: I) -> Result<(), BookError>
    where
        I: IntoIterator<Item = LevelUpdate>,
        I::IntoIter: Clone,
    {
        let levels = levels.into_iter();
        let mut best_bid: Option<LevelUpdate> = None;
        let mut best_ask: Option<LevelUpdate> = None;
        for u in levels.clone() {
            u.validate()?;
            if u.qty == 0 {
                return Err(BookError::EmptySnapshotLevel {
                    side: u.side,
                    price: u.price,
                });
            }
            let best = match u.side {
                Side::Bid => &mut best_bid,
                Side::Ask => &mut best_ask,
            };
            if best.is_none_or(|b| key(u.side, u.price) < key(b.side, b.price)) {
                *best = Some(u);
            }
        }
        if let (Some(b), Some(a)) = (best_bid, best_ask) {
            check_touch(b.price, a.price)?;
        }
        self.clear();
        // Each side's best level goes in first, so the window centres on it and the rest never moves it.
        for u in best_bid.into_iter().chain(best_ask).chain(levels) {
            self.ladder_mut(u.side).set(key(u.side, u.price), u.qty);
        }
        Ok(())
    }

    /// Applies a batch of deltas as one unit, in order (qty 0 deletes; deleting a missing level is a counted
    /// no-op). Each record is validated as it comes; an invalid record, or a crossed or locked result, rolls back
    /// every record applied before it.
    ///
    /// # Errors
    /// The first invalid record's [`BookError`], or [`BookError::Crossed`] / [`BookError::Locked`] for the book
    /// the batch would leave. On error the book is unchanged.
    pub fn apply_batch<I>(&mut self, updates: I) -> Result<BatchStats, BookError>
    where
        I: IntoIterator<Item = LevelUpdate>,
    {
        let mut undo = std::mem::take(&mut self.undo);
        undo.clear();
        let mut stats = BatchStats::default();
        let mut result = Ok(());
        for u in updates {
            if let Err(e) = u.validate() {
                result = Err(e);
                break;
            }
            let k = key(u.side, u.price);
            let prev = self.ladder_mut(u.side).set(k, u.qty);
            stats.missing_deletes += usize::from(u.qty == 0 && prev == 0);
            undo.push((u.side, k, prev));
        }
        stats.records = undo.len();
        let result = result.and_then(|()| self.check_uncrossed());
        if result.is_err() {
            for &(side, k, prev) in undo.iter().rev() {
                self.ladder_mut(side).set(k, prev);
            }
        }
        self.undo = undo;
        result.map(|()| stats)
    }

    /// Applies one delta: [`Book::apply_batch`] of a single record.
    ///
    /// # Errors
    /// As [`Book::apply_batch`]; on error the book is unchanged.
    pub fn apply_delta(&mut self, update: LevelUpdate) -> Result<BatchStats, BookError> {
        self.apply_batch(std::iter::once(update))
    }

    /// `Ok` when the book is neither crossed nor locked (an empty side is never crossed).
    ///
    /// # Errors
    /// [`BookError::Crossed`] when best bid > best ask, [`BookError::Locked`] when they are equal.
    pub fn check_uncrossed(&self) -> Result<(), BookError> {
        match (self.best_bid(), self.best_ask()) {
            (Some(b), Some(a)) => check_touch(b.price, a.price),
            _ => Ok(()),
        }
    }

    /// Quantity resting at `price` on `side`; 0 when there is no level (or the price is out of range).
    pub fn qty_at(&self, side: Side, price: i64) -> i64 {
        if (1..=MAX_PRICE).contains(&price) {
            self.ladder(side).get(key(side, price))
        } else {
            0
        }
    }

    /// Best bid.
    #[inline]
    pub fn best_bid(&self) -> Option<Level> {
        self.ladder(Side::Bid)
            .best()
            .map(|(k, qty)| Level { price: -k, qty })
    }

    /// Best ask.
    #[inline]
    pub fn best_ask(&self) -> Option<Level> {
        self.ladder(Side::Ask)
            .best()
            .map(|(k, qty)| Level { price: k, qty })
    }

    /// Best level of `side`.
    #[inline]
    pub fn best(&self, side: Side) -> Option<Level> {
        match side {
            Side::Bid => self.best_bid(),
            Side::Ask => self.best_ask(),
        }
    }

    /// Number of levels on `side`.
    #[inline]
    pub fn level_count(&self, side: Side) -> usize {
        self.ladder(side).len()
    }

    /// `true` when both sides are empty.
    pub fn is_empty(&self) -> bool {
        self.sides.iter().all(|l| l.len() == 0)
    }

    /// Levels of `side`, best first.
    pub fn levels(&self, side: Side) -> Levels<'_> {
        Levels {
            side,
            inner: self.ladder(side).iter(),
        }
    }
}

/// Iterator over one side's levels, best first (bids descending, asks ascending).
#[derive(Debug, Clone)]
pub struct Levels<'a> {
    side: Side,
    inner: LadderIter<'a>,
}

impl Iterator for Levels<'_> {
    type Item = Level;

    #[inline]
    fn next(&mut self) -> Option<Level> {
        let (k, qty) = self.inner.next()?;
        let price = match self.side {
            Side::Bid => -k,
            Side::Ask => k,
        };
        Some(Level { price, qty })
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.inner.size_hint()
    }
}

impl ExactSizeIterator for Levels<'_> {}
