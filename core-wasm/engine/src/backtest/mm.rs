//! Built-in market maker: quotes a bid and an ask around an inventory-skewed reservation price.
//!
//! After Avellaneda & Stoikov, "High-frequency trading in a limit order book", Quantitative Finance 8(3), 2008:
//! their reservation price `r = s − q γ σ² (T − t)` shifts the quotes away from the side that would grow the
//! inventory `q`. Here the shift is linear with a constant coefficient, `r = mid − skewTicksPerLot × position`,
//! and the quotes are `floor(r − spreadTicks/2)` and `ceil(r + spreadTicks/2)`, kept inside the spread
//! (post-only, so they never take). A quote is replaced (cancel, then a new post-only order) when its target
//! moved by at least `requoteTicks`; a side whose fill would take |position| past `maxPositionLots` is
//! cancelled and not quoted. It sees only what the latency model delivered: the local book and position.

use super::config::MmParams;
use super::exchange::{Exec, ExecKind};
use super::Command;
use crate::book::{Book, Side};

#[derive(Debug, Clone, Copy)]
struct Quote {
    id: u64,
    price: i64,
}

#[derive(Debug, Clone)]
pub(crate) struct MarketMaker {
    p: MmParams,
    /// Live quotes by `Side as usize`, as far as the strategy knows.
    quotes: [Option<Quote>; 2],
}

impl MarketMaker {
    pub(crate) fn new(p: MmParams) -> MarketMaker {
        MarketMaker { p, quotes: [None; 2] }
    }

    pub(crate) fn on_book(
        &mut self,
        book: &Book,
        position: i64,
        next_id: &mut u64,
        out: &mut Vec<(u64, Command)>,
    ) {
        let (Some(b), Some(a)) = (book.best_bid(), book.best_ask()) else {
            return;
        };
        let p = self.p;
        let mid = (b.price as f64 + a.price as f64) * 0.5;
        let r = mid - p.skew_ticks_per_lot * position as f64;
        let half = p.spread_ticks as f64 * 0.5;
        let bid = ((r - half).floor() as i64).min(a.price - 1).max(1);
        let ask = ((r + half).ceil() as i64).max(b.price + 1).max(bid + 1);
        for (side, target, allowed) in [
            (
                Side::Bid,
                bid,
                position.saturating_add(p.order_qty_lots) <= p.max_position_lots,
            ),
            (
                Side::Ask,
                ask,
                position.saturating_sub(p.order_qty_lots) >= -p.max_position_lots,
            ),
        ] {
            let slot = &mut self.quotes[side as usize];
            match *slot {
                Some(q) if !allowed || (target - q.price).abs() >= p.requote_ticks => {
                    out.push((q.id, Command::Cancel { id: q.id }));
                    *slot = None;
                }
                _ => {}
            }
            if slot.is_none() && allowed {
                let id = *next_id;
                *next_id += 1;
                out.push((
                    id,
                    Command::Limit {
                        side,
                        price: target,
                        qty: p.order_qty_lots,
                        post_only: true,
                        ioc: false,
                    },
                ));
                *slot = Some(Quote { id, price: target });
            }
        }
    }

    pub(crate) fn on_report(&mut self, e: &Exec) {
        let done = match e.kind {
            ExecKind::Canceled | ExecKind::Rejected => true,
            ExecKind::Fill => e.leaves == 0,
            ExecKind::Accepted | ExecKind::Modified => false,
        };
        if done {
            for slot in &mut self.quotes {
                if slot.is_some_and(|q| q.id == e.id) {
                    *slot = None;
                }
            }
        }
    }
}
