//! The seeded sample day: deterministic per seed, valid, and a book that replays cleanly with trades that
//! match the liquidity they take.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use ferrodesk_engine::book::{Book, LevelUpdate, Side};
use ferrodesk_engine::dataset::sample::SampleError;
use ferrodesk_engine::dataset::{
    sample_day, validate, SampleParams, AGGRESSOR_BUY, FLAG_LAST, KIND_DELTA, KIND_SNAPSHOT, KIND_TRADE,
};

fn params(seed: u64, span_s: u64) -> SampleParams {
    SampleParams::new_checked(seed, span_s, 400).unwrap()
}

#[test]
fn same_seed_same_day_other_seed_other_day() {
    let (m1, a) = sample_day(params(7, 60));
    let (m2, b) = sample_day(params(7, 60));
    assert_eq!(m1, m2);
    assert_eq!(a, b);
    let (_, c) = sample_day(params(8, 60));
    assert_ne!(a, c);
}

/// FNV-1a (32-bit) over every row's fields as little-endian bytes, in column order; cli/test/dataset.test.ts
/// computes the same over the file the wasm build writes.
fn fingerprint(e: &ferrodesk_engine::dataset::Events) -> u32 {
    let mut h: u32 = 0x811c_9dc5;
    let mut eat = |bytes: &[u8]| {
        for b in bytes {
            h = (h ^ u32::from(*b)).wrapping_mul(0x0100_0193);
        }
    };
    for i in 0..e.len() {
        eat(&e.ts_recv[i].to_le_bytes());
        eat(&e.ts_event[i].to_le_bytes());
        eat(&[e.kind[i], e.side[i]]);
        eat(&e.price[i].to_le_bytes());
        eat(&e.qty[i].to_le_bytes());
        eat(&[e.flags[i]]);
    }
    h
}

/// The sample day uses no platform maths (see `sample::ln`): the same bytes natively and in wasm. The same
/// constants are asserted on the CLI's (wasm) output.
#[test]
fn seed_7_for_60_seconds_is_pinned() {
    let (_, e) = sample_day(params(7, 60));
    eprintln!(
        "seed 7, 60 s: {} rows, fingerprint {:#010x}",
        e.len(),
        fingerprint(&e)
    );
    assert_eq!((e.len(), fingerprint(&e)), (21_401, 0x8578_82b0));
}

#[test]
fn an_hour_replays_into_a_consistent_book() {
    let p = SampleParams::default();
    let (meta, e) = sample_day(p);
    assert_eq!((meta.price_decimals, meta.qty_decimals), (1, 4));
    validate(e.as_slice(), None, 0).unwrap();
    assert!(e.is_complete());
    let n = e.len();
    assert!((1_000_000..=3_000_000).contains(&n), "{n} rows");
    let span = e.ts_event[n - 1] - e.ts_event[0];
    assert!(
        span > 3_590_000_000_000 && span <= 3_600_000_000_000,
        "span {span}"
    );

    let mut book = Book::new();
    let (mut start, mut trades, mut buys, mut deltas) = (0, 0usize, 0usize, 0usize);
    let (mut lo, mut hi) = (i64::MAX, i64::MIN);
    // Trades seen since the last book group: (aggressor, price, qty).
    let mut pending: Vec<(u8, i64, i64)> = Vec::new();
    for i in 0..n {
        if e.flags[i] & FLAG_LAST == 0 {
            continue;
        }
        let rows = start..=i;
        start = i + 1;
        let ups: Vec<LevelUpdate> = rows
            .map(|r| LevelUpdate {
                side: if e.side[r] == 0 { Side::Bid } else { Side::Ask },
                price: e.price[r],
                qty: e.qty[r],
            })
            .collect();
        match e.kind[i] {
            KIND_SNAPSHOT => {
                assert_eq!(i + 1, 800, "400 levels a side");
                book.apply_snapshot(ups).unwrap();
            }
            KIND_TRADE => {
                trades += 1;
                buys += usize::from(e.side[i] == AGGRESSOR_BUY);
                // The trade hits resting liquidity: the opposite side has at least that much at that price.
                let side = if e.side[i] == AGGRESSOR_BUY {
                    Side::Ask
                } else {
                    Side::Bid
                };
                assert!(
                    book.qty_at(side, e.price[i]) >= e.qty[i],
                    "trade at row {i} larger than the level"
                );
                pending.push((e.side[i], e.price[i], e.qty[i]));
            }
            KIND_DELTA => {
                deltas += 1;
                // The delta group after trades removes exactly what they took.
                for (agg, price, qty) in pending.drain(..) {
                    let side = if agg == AGGRESSOR_BUY {
                        Side::Ask
                    } else {
                        Side::Bid
                    };
                    let after = ups.iter().find(|u| u.side == side && u.price == price).unwrap();
                    assert_eq!(after.qty, book.qty_at(side, price) - qty, "row {i}");
                }
                book.apply_batch(ups).unwrap();
                let (b, a) = (book.best_bid().unwrap().price, book.best_ask().unwrap().price);
                lo = lo.min(b);
                hi = hi.max(a);
                assert!(book.level_count(Side::Bid) > 100 && book.level_count(Side::Ask) > 100);
            }
            k => panic!("unexpected kind {k} at row {i}"),
        }
    }
    eprintln!("{n} rows, {deltas} delta groups, {trades} trades ({buys} buys), mid range {lo}..{hi} ticks");
    assert!(trades > 10_000 && buys > trades / 5 && buys < trades * 4 / 5);
    assert!(hi - lo > 100, "the mid drifts");
}

#[test]
fn out_of_range_parameters_are_named() {
    assert_eq!(
        SampleParams::new_checked(1, 0, 400).unwrap_err(),
        SampleError::OutOfRange {
            field: "span_s",
            value: 0,
            min: 1,
            max: SampleParams::MAX_SPAN_S
        }
    );
    assert_eq!(
        SampleParams::new_checked(1, 60, 5).unwrap_err().to_string(),
        "field depth is 5, expected 10..=5000"
    );
}
