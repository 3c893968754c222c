//! The book's queries and errors on a small hand-checked book.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use ferrodesk_engine::book::{
    group_price, BatchStats, Book, BookError, DepthLevel, Level, LevelUpdate, Side,
};

fn up(side: Side, price: i64, qty: i64) -> LevelUpdate {
    LevelUpdate { side, price, qty }
}

/// Bids 100×5, 99×10, 97×20; asks 102×4, 103×6, 110×50.
fn book() -> Book {
    let mut b = Book::new();
    let levels = [
        up(Side::Ask, 110, 50),
        up(Side::Bid, 97, 20),
        up(Side::Bid, 100, 5),
        up(Side::Ask, 102, 4),
        up(Side::Bid, 99, 10),
        up(Side::Ask, 103, 6),
    ];
    b.apply_snapshot(levels).unwrap();
    b
}

fn dl(price: i64, qty: i64, cum_qty: i64) -> DepthLevel {
    DepthLevel { price, qty, cum_qty }
}

#[test]
fn touch_mid_microprice_and_imbalance() {
    let b = book();
    assert_eq!(b.best_bid(), Some(Level { price: 100, qty: 5 }));
    assert_eq!(b.best_ask(), Some(Level { price: 102, qty: 4 }));
    assert_eq!((b.spread(), b.mid()), (Some(2), Some(101.0)));
    // (100 × 4 + 102 × 5) / 9: nearer the ask, the thinner side.
    assert_eq!(b.microprice(), Some(910.0 / 9.0));
    assert_eq!(b.imbalance(1), Some(1.0 / 9.0));
    assert_eq!(b.imbalance(5), Some((35.0 - 60.0) / 95.0));
    assert_eq!((b.level_count(Side::Bid), b.level_count(Side::Ask)), (3, 3));
    assert_eq!(Book::new().mid(), None);
    assert_eq!(Book::new().imbalance(5), None);
}

#[test]
fn top_levels_group_bids_down_and_asks_up_with_cumulative_depth() {
    let b = book();
    assert_eq!(
        b.top(Side::Bid, 10, 1).unwrap(),
        vec![dl(100, 5, 5), dl(99, 10, 15), dl(97, 20, 35)]
    );
    assert_eq!(
        b.top(Side::Bid, 2, 2).unwrap(),
        vec![dl(100, 5, 5), dl(98, 10, 15)]
    );
    assert_eq!(
        b.top(Side::Ask, 10, 5).unwrap(),
        vec![dl(105, 10, 10), dl(110, 50, 60)]
    );
    assert_eq!(b.top(Side::Ask, 0, 5).unwrap(), vec![]);
    assert_eq!(
        (group_price(Side::Bid, 99, 10), group_price(Side::Ask, 91, 10)),
        (90, 100)
    );
    assert_eq!(
        (group_price(Side::Ask, 90, 10), group_price(Side::Bid, 90, 10)),
        (90, 90)
    );
    assert_eq!((b.depth_qty(Side::Ask, 2), b.depth_qty(Side::Bid, 9)), (10, 35));
}

#[test]
fn walking_the_book_gives_cost_and_average_price() {
    let b = book();
    let buy = b.fill_estimate(Side::Ask, 12).unwrap();
    // 4 @ 102 + 6 @ 103 + 2 @ 110
    assert_eq!((buy.filled, buy.notional, buy.worst_price), (12, 1246, Some(110)));
    assert_eq!(buy.avg_price(), Some(1246.0 / 12.0));
    assert!(buy.is_complete());
    let sell_all = b.fill_estimate(Side::Bid, 100).unwrap();
    assert_eq!(
        (sell_all.filled, sell_all.notional, sell_all.is_complete()),
        (35, 500 + 990 + 1940, false)
    );
    assert_eq!(b.fill_estimate(Side::Bid, 0).unwrap().avg_price(), None);
    assert_eq!(
        (
            b.qty_at_or_better(Side::Bid, 99),
            b.qty_at_or_better(Side::Ask, 103)
        ),
        (15, 10)
    );
    assert_eq!(
        (
            b.qty_at_or_better(Side::Bid, 101),
            b.qty_at(Side::Ask, 103),
            b.qty_at(Side::Ask, 104)
        ),
        (0, 6, 0)
    );
}

#[test]
fn deltas_that_would_cross_or_lock_are_refused_and_leave_the_book_unchanged() {
    let mut b = book();
    assert_eq!(
        b.apply_delta(up(Side::Bid, 102, 1)),
        Err(BookError::Locked { bid: 102, ask: 102 })
    );
    assert_eq!(
        b.apply_delta(up(Side::Ask, 99, 1)),
        Err(BookError::Crossed { bid: 100, ask: 99 })
    );
    assert_eq!(b.best_bid(), Some(Level { price: 100, qty: 5 }));
    // Moving the whole touch up in one batch passes through a crossed state but ends uncrossed.
    let batch = [
        up(Side::Bid, 102, 3),
        up(Side::Ask, 102, 0),
        up(Side::Ask, 103, 0),
        up(Side::Ask, 104, 2),
    ];
    assert_eq!(
        b.apply_batch(batch),
        Ok(BatchStats {
            records: 4,
            missing_deletes: 0
        })
    );
    assert_eq!(
        (b.best_bid().unwrap().price, b.best_ask().unwrap().price),
        (102, 104)
    );
    assert_eq!(
        b.apply_delta(up(Side::Bid, 98, 0)),
        Ok(BatchStats {
            records: 1,
            missing_deletes: 1
        })
    );
}

#[test]
fn invalid_records_are_refused_with_the_field_and_value() {
    let mut b = book();
    let e = b
        .apply_batch([up(Side::Bid, 101, 1), up(Side::Bid, 0, 1)])
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        "field price is 0 on the bid side, expected 1..=9007199254740991 ticks"
    );
    assert_eq!(
        b.best_bid(),
        Some(Level { price: 100, qty: 5 }),
        "the first record was rolled back"
    );
    let e = b.apply_delta(up(Side::Ask, 105, -2)).unwrap_err();
    assert_eq!(
        e.to_string(),
        "field qty is -2 at ask price 105, expected 0..=9007199254740991 lots"
    );
    let e = b.apply_snapshot([up(Side::Ask, 105, 0)]).unwrap_err();
    assert_eq!(
        e.to_string(),
        "field qty is 0 at ask price 105 in a snapshot, expected a positive quantity"
    );
    assert_eq!(
        b.apply_snapshot([up(Side::Ask, 1, 1), up(Side::Bid, 2, 1)]),
        Err(BookError::Crossed { bid: 2, ask: 1 })
    );
    assert_eq!(b.level_count(Side::Ask), 3);
    assert_eq!(Side::from_wire(2), Err(BookError::InvalidSide(2)));
    assert_eq!(
        (Side::from_wire(1), Side::Ask.to_wire(), Side::Bid.opposite()),
        (Ok(Side::Ask), 1, Side::Ask)
    );
}

#[test]
fn levels_far_outside_the_window_stay_ordered() {
    let mut b = Book::with_window(64).unwrap();
    let far = [
        up(Side::Bid, 1, 1),
        up(Side::Bid, 1 << 40, 2),
        up(Side::Bid, 500, 3),
        up(Side::Ask, 1 << 50, 4),
    ];
    b.apply_snapshot(far).unwrap();
    let bids: Vec<i64> = b.levels(Side::Bid).map(|l| l.price).collect();
    assert_eq!(bids, vec![1 << 40, 500, 1]);
    b.apply_delta(up(Side::Bid, 1 << 40, 0)).unwrap();
    assert_eq!(b.best_bid(), Some(Level { price: 500, qty: 3 }));
    b.clear();
    assert!(b.is_empty() && b.best_ask().is_none());
}
