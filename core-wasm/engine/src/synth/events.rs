//! A deterministic synthetic L2 dataset in the replay event columns (`crate::dataset`), for the backtest
//! benchmark and tests: a snapshot of 50 levels a side on consecutive ticks around 1,000,000, then groups of
//! delta rows and single trades.
//!
//! Each group is, with the stream's seeded draws: a trade at the touch (one in ten; the next group takes its
//! quantity off the level, deleting it unless it is the last level of its side), a move of the touch by a tick
//! (one in forty: the best level of one side is deleted and the other side gains a level at that price, in one
//! batch), or one to four resizes or deletes of levels within 20 ticks of the touch (deletes never hit the
//! touch). Every delta group leaves the book uncrossed. Receive times step by 0 to 1 ms.

use std::collections::BTreeMap;

use super::SplitMix64;
use crate::dataset::{
    Events, AGGRESSOR_BUY, AGGRESSOR_SELL, FLAG_LAST, KIND_DELTA, KIND_SNAPSHOT, KIND_TRADE,
};

/// First bid price of the synthetic book, ticks.
pub const SYNTH_EVENTS_START: i64 = 1_000_000;

/// `groups` groups after the snapshot, from `seed`.
pub fn synth_events(seed: u64, groups: usize) -> Events {
    let mut rng = SplitMix64::new(seed);
    let mut ev = Events::default();
    let mut bids: BTreeMap<i64, i64> = BTreeMap::new();
    let mut asks: BTreeMap<i64, i64> = BTreeMap::new();
    let mut ts: i64 = 1_700_000_000_000_000_000;
    for i in 0..50 {
        bids.insert(SYNTH_EVENTS_START - i, 1 + rng.below(1000) as i64);
        asks.insert(SYNTH_EVENTS_START + 1 + i, 1 + rng.below(1000) as i64);
    }
    let n = bids.len() + asks.len();
    for (k, (&p, &q)) in bids.iter().rev().chain(asks.iter()).enumerate() {
        let side = u8::from(k >= bids.len());
        ev.push(ts, ts, KIND_SNAPSHOT, side, p, q, u8::from(k + 1 == n));
    }
    let mut pending: Option<(u8, i64, i64)> = None;
    let mut rows: Vec<(u8, i64, i64)> = Vec::with_capacity(4);
    for _ in 0..groups {
        ts += rng.below(1_000_000) as i64;
        rows.clear();
        if let Some((side, p, q)) = pending.take() {
            let book = if side == 0 { &mut bids } else { &mut asks };
            let left = book.get(&p).copied().unwrap_or(0) - q;
            let new = if left > 0 || book.len() > 1 {
                left.max(0)
            } else {
                1
            };
            rows.push((side, p, new));
        } else if rng.below(10) == 0 {
            let (aggr, side) = if rng.below(2) == 0 {
                (AGGRESSOR_BUY, 1u8)
            } else {
                (AGGRESSOR_SELL, 0u8)
            };
            let best = if side == 0 {
                bids.iter().next_back()
            } else {
                asks.iter().next()
            };
            if let Some((&p, &q)) = best {
                let tq = 1 + rng.below(q as u64) as i64;
                ev.push(ts, ts, KIND_TRADE, aggr, p, tq, FLAG_LAST);
                pending = Some((side, p, tq));
            }
            continue;
        } else if rng.below(40) == 0 {
            let up = rng.below(2) == 0;
            let (best, len, from_side) = if up {
                (asks.keys().next().copied(), asks.len(), 1u8)
            } else {
                (bids.keys().next_back().copied(), bids.len(), 0u8)
            };
            if let Some(p) = best.filter(|_| len > 1) {
                rows.push((from_side, p, 0));
                rows.push((1 - from_side, p, 1 + rng.below(1000) as i64));
            }
        } else {
            for _ in 0..1 + rng.below(4) {
                let side = rng.below(2) as u8;
                let book = if side == 0 { &bids } else { &asks };
                let touch = if side == 0 {
                    book.keys().next_back().copied()
                } else {
                    book.keys().next().copied()
                };
                let Some(touch) = touch else { continue };
                let d = rng.below(20) as i64;
                let p = if side == 0 { touch - d } else { touch + d };
                let q = if d > 0 && rng.below(6) == 0 {
                    0
                } else {
                    1 + rng.below(1000) as i64
                };
                if p > 0 && !rows.iter().any(|r| r.0 == side && r.1 == p) {
                    rows.push((side, p, q));
                }
            }
        }
        let n = rows.len();
        for (k, &(side, p, q)) in rows.iter().enumerate() {
            let book = if side == 0 { &mut bids } else { &mut asks };
            if q == 0 {
                book.remove(&p);
            } else {
                book.insert(p, q);
            }
            ev.push(ts, ts, KIND_DELTA, side, p, q, u8::from(k + 1 == n));
        }
    }
    ev
}
