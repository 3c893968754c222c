//! Checkpoints for seeking: the whole simulation state at a group boundary.
//!
//! The books are stored as their level lists rather than as clones: a `Book` holds a flat window of
//! 64 Ki ticks a side (about 1 MiB), and a day of data takes hundreds of checkpoints, while a level list is a
//! few thousand entries. Restoring loads the list as a snapshot; the book's answers do not depend on where
//! its window sits. The logs (fills, equity, orders) are append-only, so a checkpoint keeps only their
//! lengths and a restore truncates them.

use crate::book::{Book, LevelUpdate, Side};

/// A book's levels.
#[derive(Debug, Clone, Default)]
pub(crate) struct BookImage {
    levels: Vec<LevelUpdate>,
}

impl BookImage {
    pub(crate) fn capture(book: &Book) -> BookImage {
        let mut levels = Vec::with_capacity(book.level_count(Side::Bid) + book.level_count(Side::Ask));
        for side in [Side::Bid, Side::Ask] {
            levels.extend(book.levels(side).map(|l| LevelUpdate {
                side,
                price: l.price,
                qty: l.qty,
            }));
        }
        BookImage { levels }
    }

    /// Makes `book` hold exactly these levels. A captured book is valid and uncrossed, so the snapshot cannot
    /// be refused; were it refused, the book is left empty.
    pub(crate) fn restore(&self, book: &mut Book) {
        if self.levels.is_empty() || book.apply_snapshot(self.levels.iter().copied()).is_err() {
            book.clear();
        }
    }
}

/// Everything needed to resume a run from a checkpoint.
#[derive(Debug, Clone)]
pub(crate) struct Checkpoint<S> {
    pub(crate) state: S,
    pub(crate) exch: BookImage,
    pub(crate) local: Option<BookImage>,
    pub(crate) fills: usize,
    pub(crate) equity: usize,
    pub(crate) log: usize,
}
