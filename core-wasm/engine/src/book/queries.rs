//! Read-only views of a book: top-N with price grouping and cumulative depth, spread, mid, microprice,
//! imbalance, the cost of filling a quantity, and the quantity available at or better than a price.
//! Sums saturate at `i64::MAX` (see the arithmetic notes of [`crate::book`]).

use super::{Book, BookError, Side, MAX_PRICE, MAX_QTY};

/// One (possibly grouped) level with the cumulative quantity from the touch through it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DepthLevel {
    /// Price in ticks (the bucket's price when grouped).
    pub price: i64,
    /// Quantity in lots.
    pub qty: i64,
    /// Quantity of this level and every better one, in lots.
    pub cum_qty: i64,
}

/// The result of walking one side of the book for a quantity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FillEstimate {
    /// Lots asked for.
    pub requested: i64,
    /// Lots the side can fill, at most `requested`.
    pub filled: i64,
    /// Total cost `Σ price × qty` over the lots filled, in tick·lots (exact).
    pub notional: i128,
    /// The worst price touched, `None` when nothing fills.
    pub worst_price: Option<i64>,
}

impl FillEstimate {
    /// Average fill price in ticks, `None` when nothing fills.
    pub fn avg_price(&self) -> Option<f64> {
        (self.filled > 0).then(|| self.notional as f64 / self.filled as f64)
    }

    /// `true` when the whole requested quantity fills.
    pub fn is_complete(&self) -> bool {
        self.filled == self.requested
    }
}

/// The bucket of `price` with `grouping` ticks per bucket: bids round down, asks round up, so a grouped level
/// never shows a better price than the orders inside it. Exact for prices and groupings in `1..=MAX_PRICE`;
/// `grouping <= 1` leaves the price unchanged.
#[inline]
pub fn group_price(side: Side, price: i64, grouping: i64) -> i64 {
    if grouping <= 1 {
        return price;
    }
    let down = price.div_euclid(grouping).saturating_mul(grouping);
    match side {
        Side::Ask if down != price => down.saturating_add(grouping),
        _ => down,
    }
}

#[inline]
fn better_or_equal(side: Side, price: i64, limit: i64) -> bool {
    match side {
        Side::Bid => price >= limit,
        Side::Ask => price <= limit,
    }
}

impl Book {
    /// Calls `f` with up to `depth` levels of `side`, best first, grouped into buckets of `grouping` ticks
    /// (1 = ungrouped), each with its cumulative quantity. Returns the number of levels produced.
    ///
    /// # Errors
    /// [`BookError::InvalidGrouping`] unless `1 <= grouping <= MAX_PRICE`.
    pub fn for_each_top(
        &self,
        side: Side,
        depth: usize,
        grouping: i64,
        mut f: impl FnMut(DepthLevel),
    ) -> Result<usize, BookError> {
        if !(1..=MAX_PRICE).contains(&grouping) {
            return Err(BookError::InvalidGrouping(grouping));
        }
        if depth == 0 {
            return Ok(0);
        }
        let mut produced = 0;
        let mut cum = 0i64;
        let mut current: Option<(i64, i64)> = None;
        for l in self.levels(side) {
            let bucket = group_price(side, l.price, grouping);
            match current {
                Some((b, q)) if b == bucket => current = Some((b, q.saturating_add(l.qty))),
                Some((b, q)) => {
                    cum = cum.saturating_add(q);
                    f(DepthLevel {
                        price: b,
                        qty: q,
                        cum_qty: cum,
                    });
                    produced += 1;
                    if produced == depth {
                        return Ok(produced);
                    }
                    current = Some((bucket, l.qty));
                }
                None => current = Some((bucket, l.qty)),
            }
        }
        if let Some((b, q)) = current {
            cum = cum.saturating_add(q);
            f(DepthLevel {
                price: b,
                qty: q,
                cum_qty: cum,
            });
            produced += 1;
        }
        Ok(produced)
    }

    /// Up to `depth` levels of `side`, best first, grouped and with cumulative quantity
    /// (see [`Book::for_each_top`]).
    ///
    /// # Errors
    /// [`BookError::InvalidGrouping`] unless `1 <= grouping <= MAX_PRICE`.
    pub fn top(&self, side: Side, depth: usize, grouping: i64) -> Result<Vec<DepthLevel>, BookError> {
        let mut v = Vec::with_capacity(depth.min(self.level_count(side)));
        self.for_each_top(side, depth, grouping, |l| v.push(l))?;
        Ok(v)
    }

    /// Best ask − best bid in ticks; `None` unless both sides have levels.
    pub fn spread(&self) -> Option<i64> {
        Some(self.best_ask()?.price - self.best_bid()?.price)
    }

    /// Mid price in ticks (a half tick when the spread is odd); `None` unless both sides have levels.
    pub fn mid(&self) -> Option<f64> {
        let (b, a) = (self.best_bid()?, self.best_ask()?);
        Some((b.price as f64 + a.price as f64) / 2.0)
    }

    /// The size-weighted mid, `(bid × ask_qty + ask × bid_qty) / (bid_qty + ask_qty)` in ticks: it leans towards
    /// the side with less quantity, the side more likely to be taken out next. Stoikov, "The micro-price",
    /// Quantitative Finance 18(12), 2018, calls it the weighted mid-price. `None` unless both sides have levels.
    pub fn microprice(&self) -> Option<f64> {
        let (b, a) = (self.best_bid()?, self.best_ask()?);
        let (bq, aq) = (b.qty as f64, a.qty as f64);
        Some((b.price as f64 * aq + a.price as f64 * bq) / (bq + aq))
    }

    /// Order-book imbalance over the best `levels` levels of each side, `(bid_qty − ask_qty) / (bid_qty +
    /// ask_qty)`, in `[-1, 1]`; `None` when both sides are empty (or `levels` is 0).
    pub fn imbalance(&self, levels: usize) -> Option<f64> {
        let bq = self.depth_qty(Side::Bid, levels) as f64;
        let aq = self.depth_qty(Side::Ask, levels) as f64;
        let total = bq + aq;
        (total > 0.0).then(|| (bq - aq) / total)
    }

    /// Cumulative quantity of the best `levels` levels of `side`.
    pub fn depth_qty(&self, side: Side, levels: usize) -> i64 {
        self.levels(side)
            .take(levels)
            .fold(0, |acc, l| acc.saturating_add(l.qty))
    }

    /// Quantity resting on `side` at prices at least as good as `price` (bids at or above it, asks at or below).
    pub fn qty_at_or_better(&self, side: Side, price: i64) -> i64 {
        self.levels(side)
            .take_while(|l| better_or_equal(side, l.price, price))
            .fold(0, |acc, l| acc.saturating_add(l.qty))
    }

    /// Walks `side` from its best level to fill `qty` lots: a buy walks the asks, a sell the bids.
    ///
    /// # Errors
    /// [`BookError::InvalidFillQty`] unless `0 <= qty <= MAX_QTY`.
    pub fn fill_estimate(&self, side: Side, qty: i64) -> Result<FillEstimate, BookError> {
        if !(0..=MAX_QTY).contains(&qty) {
            return Err(BookError::InvalidFillQty(qty));
        }
        let mut est = FillEstimate {
            requested: qty,
            filled: 0,
            notional: 0,
            worst_price: None,
        };
        for l in self.levels(side) {
            let left = qty - est.filled;
            if left == 0 {
                break;
            }
            let take = l.qty.min(left);
            est.filled += take;
            est.notional += i128::from(l.price) * i128::from(take);
            est.worst_price = Some(l.price);
        }
        Ok(est)
    }
}
