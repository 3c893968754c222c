//! One side of a book: a flat quantity array over a window of keys with an occupancy bitmap, plus a sorted
//! overflow map for keys worse than the window. Smaller keys are better (see the `book` module docs).
//!
//! Invariants, kept by every method:
//! 1. `qty[i]` is the quantity at key `base + i`; 0 means no level. Bit `i % 64` of `bits[i / 64]` is set iff
//!    `qty[i] != 0`, and `in_window` counts the set bits.
//! 2. Every overflow key is `>= base + window` (worse than any slot), and every overflow quantity is > 0.
//! 3. If the side has any level, the best (smallest) key is in the window and `best` is its index; otherwise
//!    `best == NONE` and the overflow is empty.
//!
//! Keys handed in are within `±(2^53 − 1)` (validated by the caller), `base` within a window of them, and the
//! window at most 2^24 slots, so no key arithmetic below can overflow.

use std::collections::{btree_map, BTreeMap};

const NONE: usize = usize::MAX;

#[derive(Debug, Clone)]
pub(crate) struct Ladder {
    base: i64,
    qty: Box<[i64]>,
    bits: Box<[u64]>,
    best: usize,
    in_window: usize,
    overflow: BTreeMap<i64, i64>,
    /// Reused buffer for the levels a re-centring moves.
    scratch: Vec<(i64, i64)>,
}

impl Ladder {
    /// An empty side with `window` slots; `window` is a multiple of 64 (checked by `Book`).
    pub(crate) fn new(window: usize) -> Ladder {
        Ladder {
            base: 0,
            qty: vec![0; window].into_boxed_slice(),
            bits: vec![0; window / 64].into_boxed_slice(),
            best: NONE,
            in_window: 0,
            overflow: BTreeMap::new(),
            scratch: Vec::new(),
        }
    }

    #[inline]
    fn window(&self) -> i64 {
        self.qty.len() as i64
    }

    /// Number of levels.
    #[inline]
    pub(crate) fn len(&self) -> usize {
        self.in_window + self.overflow.len()
    }

    /// Best key and its quantity.
    #[inline]
    pub(crate) fn best(&self) -> Option<(i64, i64)> {
        self.qty
            .get(self.best)
            .map(|&q| (self.base + self.best as i64, q))
    }

    /// Quantity at `key`, 0 when there is no level.
    #[inline]
    pub(crate) fn get(&self, key: i64) -> i64 {
        let off = key - self.base;
        if off < 0 {
            0
        } else if off < self.window() {
            self.qty.get(off as usize).copied().unwrap_or(0)
        } else {
            self.overflow.get(&key).copied().unwrap_or(0)
        }
    }

    /// Removes every level; keeps the allocation. O(levels + window / 64).
    pub(crate) fn clear(&mut self) {
        self.drain_window(|_, _| {});
        self.overflow.clear();
    }

    /// Sets the quantity at `key` (0 deletes) and returns the previous quantity.
    #[inline]
    pub(crate) fn set(&mut self, key: i64, qty: i64) -> i64 {
        let off = key - self.base;
        if self.best != NONE && (0..self.window()).contains(&off) {
            return self.set_slot(off as usize, qty);
        }
        self.set_outside(key, qty)
    }

    /// Sets slot `i`. Branch-free apart from the best-level bookkeeping: the side and the insert/update/delete
    /// mix of a real feed are close to random, and mispredicted branches would dominate the cost.
    #[inline]
    fn set_slot(&mut self, i: usize, qty: i64) -> i64 {
        let (Some(slot), Some(word)) = (self.qty.get_mut(i), self.bits.get_mut(i / 64)) else {
            return 0;
        };
        let prev = std::mem::replace(slot, qty);
        let (was, is) = (prev != 0, qty != 0);
        let bit = 1u64 << (i % 64);
        *word = (*word & !bit) | (bit * u64::from(is));
        self.in_window = self.in_window + usize::from(is) - usize::from(was);
        if is && i < self.best {
            self.best = i;
        } else if !is && i == self.best {
            self.best_removed(i);
        }
        prev
    }

    /// `set` for an empty side, or a key better than the window, or behind it.
    #[inline(never)]
    fn set_outside(&mut self, key: i64, qty: i64) -> i64 {
        let off = key - self.base;
        if off >= self.window() && self.best != NONE {
            // Behind the window (invariant 2 keeps the overflow worse than every slot).
            return if qty == 0 {
                self.overflow.remove(&key)
            } else {
                self.overflow.insert(key, qty)
            }
            .unwrap_or(0);
        }
        if qty == 0 {
            return 0; // an empty side, or better than its best: nothing rests there (invariant 3)
        }
        // The first level of an empty side, or a new best better than the window: centre on it.
        self.recentre(key);
        match usize::try_from(key - self.base) {
            Ok(i) => self.set_slot(i, qty),
            Err(_) => 0,
        }
    }

    /// The best level at index `i` just emptied: find the next one, and move the window when the new best sits
    /// past its middle (or outside it, in the overflow).
    #[inline(never)]
    fn best_removed(&mut self, i: usize) {
        match self.next_set(i + 1) {
            Some(j) => {
                self.best = j;
                if j > self.qty.len() / 2 {
                    self.recentre(self.base + j as i64);
                }
            }
            None => {
                self.best = NONE;
                if let Some((&k, _)) = self.overflow.first_key_value() {
                    self.recentre(k);
                }
            }
        }
    }

    /// Index of the first occupied slot at or after `from`.
    #[inline]
    fn next_set(&self, from: usize) -> Option<usize> {
        let mut wi = from / 64;
        let mut word = self.bits.get(wi)? & (u64::MAX << (from % 64));
        loop {
            if word != 0 {
                return Some(wi * 64 + word.trailing_zeros() as usize);
            }
            wi += 1;
            word = *self.bits.get(wi)?;
        }
    }

    /// Empties the window, handing each `(key, qty)` to `f` best first. Leaves `best == NONE`.
    fn drain_window(&mut self, mut f: impl FnMut(i64, i64)) {
        let first_word = if self.best == NONE {
            self.bits.len()
        } else {
            self.best / 64
        };
        let mut left = self.in_window;
        for (wi, word) in self.bits.iter_mut().enumerate().skip(first_word) {
            if left == 0 {
                break;
            }
            let mut b = std::mem::take(word);
            while b != 0 {
                let i = wi * 64 + b.trailing_zeros() as usize;
                b &= b - 1;
                left -= 1;
                if let Some(slot) = self.qty.get_mut(i) {
                    f(self.base + i as i64, std::mem::take(slot));
                }
            }
        }
        self.in_window = 0;
        self.best = NONE;
    }

    /// Moves the window so that `best_key` sits an eighth of the way in, leaving room for the best to improve
    /// without another move. Precondition: no level has a key smaller than `best_key`, so every level lands
    /// in the window or behind it.
    #[cold]
    #[inline(never)]
    fn recentre(&mut self, best_key: i64) {
        let w = self.window();
        let new_base = best_key - w / 8;
        let mut moved = std::mem::take(&mut self.scratch);
        moved.clear();
        self.drain_window(|k, q| moved.push((k, q)));
        // Overflow keys below the new window end come into the array; the rest stay where they are.
        let far = self.overflow.split_off(&(new_base + w));
        let near = std::mem::replace(&mut self.overflow, far);
        self.base = new_base;
        for (k, q) in moved.drain(..).chain(near) {
            debug_assert!(k >= new_base, "re-centring on {best_key} would strand key {k}");
            let off = k - new_base;
            if (0..w).contains(&off) {
                self.set_slot(off as usize, q);
            } else {
                self.overflow.insert(k, q);
            }
        }
        self.scratch = moved;
    }

    /// Levels best first as `(key, qty)`.
    pub(crate) fn iter(&self) -> LadderIter<'_> {
        let start = self.best.min(self.qty.len());
        let word_idx = start / 64;
        LadderIter {
            ladder: self,
            word_idx,
            word: self.bits.get(word_idx).copied().unwrap_or(0),
            window_left: self.in_window,
            overflow: self.overflow.iter(),
        }
    }
}

/// Iterator over a ladder's levels, best first: the window through its bitmap, then the overflow in order.
#[derive(Debug, Clone)]
pub(crate) struct LadderIter<'a> {
    ladder: &'a Ladder,
    word_idx: usize,
    word: u64,
    window_left: usize,
    overflow: btree_map::Iter<'a, i64, i64>,
}

impl Iterator for LadderIter<'_> {
    type Item = (i64, i64);

    #[inline]
    fn next(&mut self) -> Option<(i64, i64)> {
        while self.window_left > 0 {
            if self.word != 0 {
                let i = self.word_idx * 64 + self.word.trailing_zeros() as usize;
                self.word &= self.word - 1;
                self.window_left -= 1;
                let q = self.ladder.qty.get(i).copied().unwrap_or(0);
                return Some((self.ladder.base + i as i64, q));
            }
            self.word_idx += 1;
            match self.ladder.bits.get(self.word_idx) {
                Some(&w) => self.word = w,
                None => self.window_left = 0,
            }
        }
        self.overflow.next().map(|(&k, &q)| (k, q))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let n = self.window_left + self.overflow.len();
        (n, Some(n))
    }
}

impl ExactSizeIterator for LadderIter<'_> {}
