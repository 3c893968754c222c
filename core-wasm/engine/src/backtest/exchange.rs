//! The simulated exchange: resting orders with their queue positions, marketable orders taking visible
//! liquidity, and the executions it reports.
//!
//! The exchange never changes the market-data book. A marketable order walks the visible levels of the
//! opposite side and takes at most what is shown; what it took at a level is remembered (`consumed`) and
//! subtracted from that level until a data row changes the level (or a snapshot or clear replaces the book).
//! A resting order joins the back of the visible queue at its price; see `fill.rs` for how trades and cancels
//! move it forward. A trade through its price, or the opposite side's effective best reaching its price,
//! fills what is left of it at its price.

use super::fill::QueueModel;
use super::{Command, OpenOrder};
use crate::book::{Book, Side};

/// What an execution report says.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ExecKind {
    /// The exchange accepted the order (it may fill at once).
    Accepted,
    /// Refused: post-only order that would cross, unknown order id, or nothing to do.
    Rejected,
    /// Cancelled on request, or the unfilled rest of an IOC or market order.
    Canceled,
    /// A (partial) fill at `price` for `qty` lots.
    Fill,
    /// Price or quantity changed by a modify.
    Modified,
}

/// An execution report, as the exchange emits it and the strategy later receives it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Exec {
    pub id: u64,
    pub side: Side,
    pub kind: ExecKind,
    /// Fill price for fills, the order's limit price otherwise (0 for market orders).
    pub price: i64,
    /// Fill quantity for fills, the order's quantity otherwise.
    pub qty: i64,
    /// Quantity still open after this report.
    pub leaves: i64,
    pub maker: bool,
}

#[derive(Debug, Clone)]
struct Order {
    id: u64,
    side: Side,
    price: i64,
    qty: i64,
    leaves: i64,
    ahead: f64,
    /// Visible quantity at the order's level when last seen.
    level_qty: i64,
    /// Trade quantity at the level since `level_qty` was taken.
    traded: i64,
    post_only: bool,
}

#[derive(Debug, Clone)]
pub(crate) struct Exchange {
    orders: Vec<Order>,
    /// `(side, price, lots)` taken by marketable orders from levels the data has not changed since.
    consumed: Vec<(Side, i64, i64)>,
    model: QueueModel,
}

/// `true` when `price` on `side` is at least as aggressive as `limit`.
#[inline]
fn reaches(side: Side, price: i64, limit: i64) -> bool {
    match side {
        Side::Bid => price >= limit,
        Side::Ask => price <= limit,
    }
}

impl Exchange {
    pub(crate) fn new(model: QueueModel) -> Exchange {
        Exchange {
            orders: Vec::new(),
            consumed: Vec::new(),
            model,
        }
    }

    pub(crate) fn open_orders(&self) -> impl Iterator<Item = OpenOrder> + '_ {
        self.orders.iter().map(|o| OpenOrder {
            id: o.id,
            side: o.side,
            price: o.price,
            qty: o.qty,
            leaves: o.leaves,
            qty_ahead: o.ahead,
        })
    }

    fn consumed_at(&self, side: Side, price: i64) -> i64 {
        self.consumed
            .iter()
            .find(|c| c.0 == side && c.1 == price)
            .map_or(0, |c| c.2)
    }

    /// Best price of `side` with visible quantity left after what this exchange's orders consumed.
    fn effective_best(&self, book: &Book, side: Side) -> Option<i64> {
        if self.consumed.is_empty() {
            return book.best(side).map(|l| l.price);
        }
        book.levels(side)
            .find(|l| l.qty > self.consumed_at(side, l.price))
            .map(|l| l.price)
    }

    /// Takes up to `leaves` lots from the side opposite `side`, at prices reaching `limit` (any price when
    /// `None`); returns the lots left.
    fn take(
        &mut self,
        book: &Book,
        id: u64,
        side: Side,
        limit: Option<i64>,
        mut leaves: i64,
        out: &mut Vec<Exec>,
    ) -> i64 {
        let opp = side.opposite();
        for l in book.levels(opp) {
            if leaves == 0 || limit.is_some_and(|p| !reaches(side, p, l.price)) {
                break;
            }
            let used = self.consumed_at(opp, l.price);
            let take = (l.qty - used).min(leaves);
            if take <= 0 {
                continue;
            }
            leaves -= take;
            match self.consumed.iter_mut().find(|c| c.0 == opp && c.1 == l.price) {
                Some(c) => c.2 += take,
                None => self.consumed.push((opp, l.price, take)),
            }
            out.push(Exec {
                id,
                side,
                kind: ExecKind::Fill,
                price: l.price,
                qty: take,
                leaves,
                maker: false,
            });
        }
        leaves
    }

    /// An order command reaching the exchange; reports go to `out`.
    pub(crate) fn arrive(&mut self, book: &Book, id: u64, cmd: Command, out: &mut Vec<Exec>) {
        match cmd {
            Command::Limit {
                side,
                price,
                qty,
                post_only,
                ioc,
            } => self.limit(book, id, side, price, qty, post_only, ioc, out),
            Command::Market { side, qty } => {
                let ex = |kind, leaves| Exec {
                    id,
                    side,
                    kind,
                    price: 0,
                    qty,
                    leaves,
                    maker: false,
                };
                out.push(ex(ExecKind::Accepted, qty));
                let left = self.take(book, id, side, None, qty, out);
                if left > 0 {
                    out.push(ex(ExecKind::Canceled, 0));
                }
            }
            Command::Cancel { id: target } => match self.orders.iter().position(|o| o.id == target) {
                Some(i) => {
                    let o = self.orders.remove(i);
                    out.push(Exec {
                        id: o.id,
                        side: o.side,
                        kind: ExecKind::Canceled,
                        price: o.price,
                        qty: o.qty,
                        leaves: 0,
                        maker: false,
                    });
                }
                None => out.push(Exec {
                    id: target,
                    side: Side::Bid,
                    kind: ExecKind::Rejected,
                    price: 0,
                    qty: 0,
                    leaves: 0,
                    maker: false,
                }),
            },
            Command::Modify {
                id: target,
                price,
                qty,
            } => {
                let Some(i) = self.orders.iter().position(|o| o.id == target) else {
                    out.push(Exec {
                        id: target,
                        side: Side::Bid,
                        kind: ExecKind::Rejected,
                        price,
                        qty,
                        leaves: 0,
                        maker: false,
                    });
                    return;
                };
                let o = &mut self.orders[i];
                let filled = o.qty - o.leaves;
                if qty <= filled {
                    // Nothing left to work: the modify cancels the rest.
                    let o = self.orders.remove(i);
                    out.push(Exec {
                        id: o.id,
                        side: o.side,
                        kind: ExecKind::Canceled,
                        price: o.price,
                        qty: o.qty,
                        leaves: 0,
                        maker: false,
                    });
                } else if price == o.price && qty <= o.qty {
                    // A size decrease keeps its place in the queue.
                    o.qty = qty;
                    o.leaves = qty - filled;
                    out.push(Exec {
                        id: o.id,
                        side: o.side,
                        kind: ExecKind::Modified,
                        price,
                        qty,
                        leaves: o.leaves,
                        maker: false,
                    });
                } else {
                    // A new price or a larger size goes to the back of the queue: re-enter as a new order.
                    let o = self.orders.remove(i);
                    let crosses = self
                        .effective_best(book, o.side.opposite())
                        .is_some_and(|best| reaches(o.side, price, best));
                    if crosses && o.post_only {
                        // A post-only order may not take: the modify is refused and the order is gone.
                        out.push(Exec {
                            id: o.id,
                            side: o.side,
                            kind: ExecKind::Rejected,
                            price,
                            qty,
                            leaves: 0,
                            maker: false,
                        });
                        return;
                    }
                    out.push(Exec {
                        id: o.id,
                        side: o.side,
                        kind: ExecKind::Modified,
                        price,
                        qty,
                        leaves: qty - filled,
                        maker: false,
                    });
                    self.enter(
                        book,
                        o.id,
                        o.side,
                        price,
                        qty,
                        qty - filled,
                        o.post_only,
                        false,
                        out,
                    );
                }
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn limit(
        &mut self,
        book: &Book,
        id: u64,
        side: Side,
        price: i64,
        qty: i64,
        post_only: bool,
        ioc: bool,
        out: &mut Vec<Exec>,
    ) {
        let crosses = self
            .effective_best(book, side.opposite())
            .is_some_and(|best| reaches(side, price, best));
        if crosses && post_only {
            out.push(Exec {
                id,
                side,
                kind: ExecKind::Rejected,
                price,
                qty,
                leaves: 0,
                maker: false,
            });
            return;
        }
        out.push(Exec {
            id,
            side,
            kind: ExecKind::Accepted,
            price,
            qty,
            leaves: qty,
            maker: false,
        });
        self.enter(book, id, side, price, qty, qty, post_only, ioc, out);
    }

    /// Matches `leaves` lots of a limit order, then rests the rest (or cancels it for IOC).
    #[allow(clippy::too_many_arguments)]
    fn enter(
        &mut self,
        book: &Book,
        id: u64,
        side: Side,
        price: i64,
        qty: i64,
        leaves: i64,
        post_only: bool,
        ioc: bool,
        out: &mut Vec<Exec>,
    ) {
        let leaves = if post_only {
            leaves
        } else {
            self.take(book, id, side, Some(price), leaves, out)
        };
        if leaves == 0 {
            return;
        }
        if ioc {
            out.push(Exec {
                id,
                side,
                kind: ExecKind::Canceled,
                price,
                qty,
                leaves: 0,
                maker: false,
            });
            return;
        }
        let level = book.qty_at(side, price);
        self.orders.push(Order {
            id,
            side,
            price,
            qty,
            leaves,
            ahead: level as f64,
            level_qty: level,
            traded: 0,
            post_only,
        });
    }

    /// A trade print: the aggressor took liquidity from the other side at `price`.
    pub(crate) fn on_trade(&mut self, aggressor: Side, price: i64, qty: i64, out: &mut Vec<Exec>) {
        if self.orders.is_empty() {
            return;
        }
        let passive = aggressor.opposite();
        let mut i = 0;
        while i < self.orders.len() {
            let o = &mut self.orders[i];
            let mut fill = 0;
            if o.side == passive {
                if o.price == price {
                    let before = o.ahead;
                    o.ahead = (o.ahead - qty as f64).max(0.0);
                    o.traded = o.traded.saturating_add(qty);
                    let excess = (qty as f64 - before.max(0.0)).floor();
                    if excess >= 1.0 {
                        fill = (excess as i64).min(o.leaves);
                    }
                } else if reaches(passive, o.price, price) && o.price != price {
                    // A trade through the order's price: it would have filled first.
                    fill = o.leaves;
                }
            }
            if fill > 0 {
                o.leaves -= fill;
                out.push(Exec {
                    id: o.id,
                    side: o.side,
                    kind: ExecKind::Fill,
                    price: o.price,
                    qty: fill,
                    leaves: o.leaves,
                    maker: true,
                });
                if o.leaves == 0 {
                    self.orders.remove(i);
                    continue;
                }
            }
            i += 1;
        }
    }

    /// A data row set the level `(side, price)`: what orders consumed there no longer applies.
    #[inline]
    pub(crate) fn on_level_row(&mut self, side: Side, price: i64) {
        if !self.consumed.is_empty() {
            self.consumed.retain(|c| !(c.0 == side && c.1 == price));
        }
    }

    /// The book was replaced (snapshot) or cleared.
    pub(crate) fn on_book_reset(&mut self) {
        self.consumed.clear();
    }

    /// After the book changed: move queue positions and fill orders the opposite side reached.
    pub(crate) fn on_book_change(&mut self, book: &Book, out: &mut Vec<Exec>) {
        if self.orders.is_empty() {
            return;
        }
        let best = [
            self.effective_best(book, Side::Bid),
            self.effective_best(book, Side::Ask),
        ];
        let model = self.model;
        let mut i = 0;
        while i < self.orders.len() {
            let o = &mut self.orders[i];
            let new = book.qty_at(o.side, o.price);
            if new != o.level_qty {
                o.ahead = model.on_level_change(o.ahead, o.level_qty, new, o.traded);
                o.level_qty = new;
                o.traded = 0;
            }
            let crossed = best[o.side.opposite() as usize].is_some_and(|b| reaches(o.side, o.price, b));
            if crossed {
                let fill = o.leaves;
                out.push(Exec {
                    id: o.id,
                    side: o.side,
                    kind: ExecKind::Fill,
                    price: o.price,
                    qty: fill,
                    leaves: 0,
                    maker: true,
                });
                self.orders.remove(i);
                continue;
            }
            i += 1;
        }
    }
}
