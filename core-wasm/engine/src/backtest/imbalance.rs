//! Built-in order-book-imbalance taker: sends a market order in the direction of the imbalance of the top
//! `levels` levels, `(bid qty − ask qty) / (bid qty + ask qty)`, when its magnitude exceeds `threshold`, within
//! a position cap, at most one order in flight and one order per `cooldownNs` of (delivered) data time. The
//! imbalance as a short-horizon predictor of the next price move: Cartea, Donnelly & Jaimungal, "Enhancing
//! trading strategies with order book signals", Applied Mathematical Finance 25(1), 2018.

use super::config::ImbalanceParams;
use super::exchange::{Exec, ExecKind};
use super::Command;
use crate::book::{Book, Side};

#[derive(Debug, Clone)]
pub(crate) struct ImbalanceTaker {
    p: ImbalanceParams,
    pending: Option<u64>,
    last_ts: Option<i64>,
}

impl ImbalanceTaker {
    pub(crate) fn new(p: ImbalanceParams) -> ImbalanceTaker {
        ImbalanceTaker {
            p,
            pending: None,
            last_ts: None,
        }
    }

    pub(crate) fn on_book(
        &mut self,
        book: &Book,
        position: i64,
        now: i64,
        next_id: &mut u64,
        out: &mut Vec<(u64, Command)>,
    ) {
        if self.pending.is_some() || self.last_ts.is_some_and(|t| now - t < self.p.cooldown_ns) {
            return;
        }
        let Some(imb) = book.imbalance(self.p.levels) else {
            return;
        };
        let q = self.p.order_qty_lots;
        let side = if imb > self.p.threshold && position.saturating_add(q) <= self.p.max_position_lots {
            Side::Bid
        } else if imb < -self.p.threshold && position.saturating_sub(q) >= -self.p.max_position_lots {
            Side::Ask
        } else {
            return;
        };
        let id = *next_id;
        *next_id += 1;
        out.push((id, Command::Market { side, qty: q }));
        self.pending = Some(id);
        self.last_ts = Some(now);
    }

    pub(crate) fn on_report(&mut self, e: &Exec) {
        let done = match e.kind {
            ExecKind::Canceled | ExecKind::Rejected => true,
            ExecKind::Fill => e.leaves == 0,
            ExecKind::Accepted | ExecKind::Modified => false,
        };
        if done && self.pending == Some(e.id) {
            self.pending = None;
        }
    }
}
