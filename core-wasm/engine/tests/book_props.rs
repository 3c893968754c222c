//! Property tests: the windowed book against a plain `BTreeMap` reference on random operation sequences —
//! snapshots, delta batches (valid, crossing and invalid), deletes, clears — with prices far outside the window
//! to force overflow and re-centring, comparing every query after every operation.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeMap;

use ferrodesk_engine::book::{
    Book, BookError, DepthLevel, Level, LevelUpdate, Side, DEFAULT_WINDOW, MAX_PRICE,
};
use proptest::prelude::*;
use proptest::test_runner::FileFailurePersistence;

const REGRESSIONS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/proptest-regressions/book_props.txt");

/// The reference: two sorted maps and textbook definitions, nothing clever.
#[derive(Default, Clone, Debug, PartialEq)]
struct RefBook {
    bids: BTreeMap<i64, i64>,
    asks: BTreeMap<i64, i64>,
}

impl RefBook {
    fn map(&mut self, s: Side) -> &mut BTreeMap<i64, i64> {
        match s {
            Side::Bid => &mut self.bids,
            Side::Ask => &mut self.asks,
        }
    }

    /// Applies one record; returns whether it deleted a missing level.
    fn set(&mut self, u: &LevelUpdate) -> bool {
        if u.qty == 0 {
            self.map(u.side).remove(&u.price).is_none()
        } else {
            self.map(u.side).insert(u.price, u.qty);
            false
        }
    }

    fn levels(&self, s: Side) -> Vec<Level> {
        let l = |(&price, &qty): (&i64, &i64)| Level { price, qty };
        match s {
            Side::Bid => self.bids.iter().rev().map(l).collect(),
            Side::Ask => self.asks.iter().map(l).collect(),
        }
    }

    fn crossed(&self) -> bool {
        matches!((self.bids.keys().next_back(), self.asks.keys().next()), (Some(b), Some(a)) if b >= a)
    }

    fn qty_at(&self, s: Side, price: i64) -> i64 {
        let map = if s == Side::Bid { &self.bids } else { &self.asks };
        map.get(&price).copied().unwrap_or(0)
    }
}

/// Top `depth` levels of `levels` (one side, best first), grouped by `g` ticks, with cumulative quantities.
fn ref_top(levels: &[Level], s: Side, depth: usize, g: i64) -> Vec<DepthLevel> {
    let mut out: Vec<DepthLevel> = Vec::new();
    for l in levels {
        // Bids round down, asks round up, by plain integer division on positive prices.
        let bucket = match s {
            Side::Bid => l.price / g * g,
            Side::Ask => (l.price + g - 1) / g * g,
        };
        match out.last_mut() {
            Some(last) if last.price == bucket => last.qty += l.qty,
            _ => out.push(DepthLevel {
                price: bucket,
                qty: l.qty,
                cum_qty: 0,
            }),
        }
    }
    out.truncate(depth);
    let mut cum = 0;
    for l in &mut out {
        cum += l.qty;
        l.cum_qty = cum;
    }
    out
}

fn ref_depth_qty(levels: &[Level], k: usize) -> i64 {
    levels.iter().take(k).map(|l| l.qty).sum()
}

fn assert_same(book: &Book, r: &RefBook, probes: &Probes) -> Result<(), TestCaseError> {
    for s in [Side::Bid, Side::Ask] {
        let levels = r.levels(s);
        prop_assert_eq!(book.levels(s).collect::<Vec<_>>(), levels.clone(), "{} levels", s);
        prop_assert_eq!(book.levels(s).len(), levels.len());
        prop_assert_eq!(book.level_count(s), levels.len());
        prop_assert_eq!(book.best(s), levels.first().copied());
        for &g in &[1, 3, 64, 1_000_003] {
            for &depth in &[0, 1, 5, 40] {
                prop_assert_eq!(
                    book.top(s, depth, g).unwrap(),
                    ref_top(&levels, s, depth, g),
                    "{} top {} by {}",
                    s,
                    depth,
                    g
                );
            }
        }
        for k in [0, 1, 3, 10, 1000] {
            prop_assert_eq!(book.depth_qty(s, k), ref_depth_qty(&levels, k));
        }
        for &p in &probes.prices {
            let expect_at = r.qty_at(s, p);
            prop_assert_eq!(book.qty_at(s, p), expect_at);
            let better: i64 = levels
                .iter()
                .filter(|l| {
                    if s == Side::Bid {
                        l.price >= p
                    } else {
                        l.price <= p
                    }
                })
                .map(|l| l.qty)
                .sum();
            prop_assert_eq!(
                book.qty_at_or_better(s, p),
                better,
                "{} at or better than {}",
                s,
                p
            );
        }
        for &want in &probes.qtys {
            let (mut filled, mut notional, mut worst) = (0i64, 0i128, None);
            for l in &levels {
                if filled == want {
                    break;
                }
                let take = l.qty.min(want - filled);
                filled += take;
                notional += i128::from(l.price) * i128::from(take);
                worst = Some(l.price);
            }
            let est = book.fill_estimate(s, want).unwrap();
            prop_assert_eq!(
                (est.filled, est.notional, est.worst_price),
                (filled, notional, worst)
            );
            prop_assert_eq!(
                est.avg_price(),
                (filled > 0).then(|| notional as f64 / filled as f64)
            );
        }
    }
    let (bb, ba) = (r.bids.iter().next_back(), r.asks.iter().next());
    let both = bb.zip(ba).map(|((&b, &bq), (&a, &aq))| (b, bq, a, aq));
    prop_assert_eq!(book.spread(), both.map(|(b, _, a, _)| a - b));
    prop_assert_eq!(book.mid(), both.map(|(b, _, a, _)| (b as f64 + a as f64) / 2.0));
    let micro =
        both.map(|(b, bq, a, aq)| (b as f64 * aq as f64 + a as f64 * bq as f64) / (bq as f64 + aq as f64));
    prop_assert_eq!(book.microprice(), micro);
    for k in [1, 5] {
        let bq = ref_depth_qty(&r.levels(Side::Bid), k) as f64;
        let aq = ref_depth_qty(&r.levels(Side::Ask), k) as f64;
        let expect = (bq + aq > 0.0).then(|| (bq - aq) / (bq + aq));
        prop_assert_eq!(book.imbalance(k), expect);
        if let Some(i) = expect {
            prop_assert!((-1.0..=1.0).contains(&i));
        }
    }
    prop_assert_eq!(book.check_uncrossed().is_ok(), !r.crossed());
    Ok(())
}

#[derive(Debug, Clone)]
struct Probes {
    prices: Vec<i64>,
    qtys: Vec<i64>,
}

#[derive(Debug, Clone)]
enum Op {
    Batch(Vec<LevelUpdate>),
    Snapshot(Vec<LevelUpdate>),
    Clear,
}

/// Bid prices mostly in a 200-tick band under 10,000 (so deletes hit existing levels and the best moves often),
/// sometimes anywhere down to 1, sometimes anywhere at all (crossing the asks).
fn bid_price() -> impl Strategy<Value = i64> {
    prop_oneof![12 => 9_800i64..10_000, 3 => 1i64..9_800, 1 => 1i64..=MAX_PRICE]
}

/// Ask prices: the mirror image above 10,000, up to the largest valid price.
fn ask_price() -> impl Strategy<Value = i64> {
    prop_oneof![12 => 10_001i64..10_201, 2 => 10_201i64..1 << 40, 1 => (1i64 << 40)..=MAX_PRICE, 1 => 1i64..=MAX_PRICE]
}

fn update(qty: impl Strategy<Value = i64> + Clone) -> impl Strategy<Value = LevelUpdate> {
    prop_oneof![
        (bid_price(), qty.clone()).prop_map(|(price, qty)| LevelUpdate {
            side: Side::Bid,
            price,
            qty
        }),
        (ask_price(), qty).prop_map(|(price, qty)| LevelUpdate {
            side: Side::Ask,
            price,
            qty
        }),
    ]
}

fn delta_qty() -> impl Strategy<Value = i64> + Clone {
    prop_oneof![3 => Just(0i64), 6 => 1i64..1_000_000, 1 => Just(MAX_PRICE)]
}

/// Occasionally an invalid record: a price <= 0 or a negative quantity.
fn maybe_invalid(u: LevelUpdate, which: u8) -> LevelUpdate {
    match which {
        0 => LevelUpdate {
            price: -u.price + 1,
            ..u
        },
        1 => LevelUpdate { qty: -1 - u.qty, ..u },
        _ => u,
    }
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        12 => (prop::collection::vec(update(delta_qty()), 1..12), 0u8..40)
            .prop_map(|(mut v, w)| {
                if let Some(u) = v.last_mut() { *u = maybe_invalid(*u, w); }
                Op::Batch(v)
            }),
        2 => (prop::collection::vec(update(1i64..10_000), 0..60), 0u8..30)
            .prop_map(|(mut v, w)| {
                if let Some(u) = v.first_mut() { *u = maybe_invalid(*u, w); }
                if w == 2 { if let Some(u) = v.last_mut() { u.qty = 0; } }
                Op::Snapshot(v)
            }),
        1 => Just(Op::Clear),
    ]
}

/// Windows from the smallest (64 ticks, narrower than the 200-tick bands, so levels sit on every slot and
/// just past the window's end) to the default.
fn window() -> impl Strategy<Value = usize> {
    prop_oneof![3 => Just(64usize), 2 => Just(128usize), 2 => 64usize..700, 1 => Just(DEFAULT_WINDOW)]
}

fn probes() -> impl Strategy<Value = Probes> {
    let prices = prop::collection::vec(
        prop_oneof![bid_price(), ask_price(), Just(0i64), Just(i64::MIN)],
        4,
    );
    let qtys = prop::collection::vec(prop_oneof![0i64..3_000_000, Just(MAX_PRICE)], 3);
    (prices, qtys).prop_map(|(prices, qtys)| Probes { prices, qtys })
}

/// Steps of a walking price: mostly within a window's width, sometimes far beyond it.
fn jump() -> impl Strategy<Value = i64> {
    prop_oneof![3 => -100i64..100, 1 => -200_000i64..200_000]
}

fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        failure_persistence: Some(Box::new(FileFailurePersistence::Direct(REGRESSIONS))),
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config(512))]

    #[test]
    fn windowed_book_matches_reference(window in window(), ops in prop::collection::vec(op(), 1..120), probes in probes()) {
        let mut book = Book::with_window(window).unwrap();
        let mut r = RefBook::default();
        for op in ops {
            match op {
                Op::Batch(deltas) => {
                    let mut next = r.clone();
                    let missing = deltas.iter().filter(|u| next.set(u)).count();
                    let invalid = deltas.iter().find(|u| u.price <= 0 || u.qty < 0);
                    match book.apply_batch(deltas.iter().copied()) {
                        Ok(stats) => {
                            prop_assert!(invalid.is_none() && !next.crossed());
                            prop_assert_eq!((stats.records, stats.missing_deletes), (deltas.len(), missing));
                            r = next;
                        }
                        Err(BookError::InvalidPrice { price, .. }) => prop_assert_eq!(Some(price), invalid.map(|u| u.price)),
                        Err(BookError::InvalidQty { qty, .. }) => prop_assert_eq!(Some(qty), invalid.map(|u| u.qty)),
                        Err(BookError::Crossed { bid, ask }) => prop_assert!(invalid.is_none() && bid > ask && next.crossed()),
                        Err(BookError::Locked { bid, ask }) => prop_assert!(invalid.is_none() && bid == ask && next.crossed()),
                        Err(e) => return Err(TestCaseError::fail(format!("unexpected {e}"))),
                    }
                }
                Op::Snapshot(levels) => {
                    let mut next = RefBook::default();
                    for u in &levels { next.set(u); }
                    let invalid = levels.iter().any(|u| u.price <= 0 || u.qty <= 0);
                    match book.apply_snapshot(levels.iter().copied()) {
                        Ok(()) => { prop_assert!(!invalid && !next.crossed()); r = next; }
                        Err(BookError::Crossed { .. } | BookError::Locked { .. }) => prop_assert!(!invalid && next.crossed()),
                        Err(BookError::InvalidPrice { .. } | BookError::InvalidQty { .. } | BookError::EmptySnapshotLevel { .. }) => prop_assert!(invalid),
                        Err(e) => return Err(TestCaseError::fail(format!("unexpected {e}"))),
                    }
                }
                Op::Clear => { book.clear(); r = RefBook::default(); }
            }
            assert_same(&book, &r, &probes)?;
        }
    }

    #[test]
    fn a_level_walk_through_every_distance_matches_reference(window in 64usize..256, start in 1i64..1 << 45,
                                                             steps in prop::collection::vec((jump(), 0i64..4), 1..150)) {
        // Each side's levels follow a walking price, by small and large steps in both directions: re-centring
        // on inserts better than the window, on deletes of the best, and on the best drifting past the middle.
        let mut book = Book::with_window(window).unwrap();
        let mut r = RefBook::default();
        let mut price = start;
        for (jump, qty) in steps {
            price = (price + jump).clamp(1, MAX_PRICE);
            for side in [Side::Bid, Side::Ask] {
                let u = LevelUpdate { side, price: if side == Side::Bid { price } else { price + (1 << 46) }, qty };
                let mut next = r.clone();
                next.set(&u);
                prop_assert_eq!(book.apply_delta(u).is_ok(), !next.crossed());
                if !next.crossed() { r = next; }
            }
            assert_same(&book, &r, &Probes { prices: vec![price, price + 1, price - 1], qtys: vec![5] })?;
        }
    }
}

#[test]
fn grouping_and_fill_queries_reject_out_of_range_arguments() {
    let book = Book::new();
    assert_eq!(book.top(Side::Bid, 5, 0), Err(BookError::InvalidGrouping(0)));
    assert_eq!(
        book.top(Side::Ask, 5, MAX_PRICE + 1),
        Err(BookError::InvalidGrouping(MAX_PRICE + 1))
    );
    assert_eq!(
        book.fill_estimate(Side::Ask, -1),
        Err(BookError::InvalidFillQty(-1))
    );
    assert_eq!(Book::with_window(63).err(), Some(BookError::InvalidWindow(63)));
    assert_eq!(
        BookError::InvalidGrouping(0).to_string(),
        "field grouping is 0, expected 1..=9007199254740991 ticks"
    );
}
