//! Sequencing, batch atomicity and the trade queue of the multi-instrument market (docs/protocol.md,
//! "Sequencing"), on hand-built frames; and the synthetic stream.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::HashSet;
use std::num::NonZeroUsize;

use ferrodesk_engine::book::{Level, LevelUpdate, Side};
use ferrodesk_engine::market::{Market, TRADE_QUEUE};
use ferrodesk_engine::synth::{synth_frames, SynthError, SynthParams};
use ferrodesk_engine::wire::{
    encode_header, encode_level, encode_trade, frames, Aggressor, FrameHeader, FrameKind, Payload,
    TradeRecord,
};

fn frame(kind: FrameKind, inst: u32, seq_first: u64, levels: &[(Side, i64, i64)]) -> Vec<u8> {
    let count = levels.len() as u32;
    let seq_last = if kind == FrameKind::Snapshot {
        seq_first
    } else {
        seq_first + u64::from(count) - 1
    };
    let mut v = Vec::new();
    encode_header(
        &mut v,
        &FrameHeader {
            kind,
            instrument: inst,
            count,
            seq_first,
            seq_last,
            ts_event: 0,
        },
    );
    for &(side, price, qty) in levels {
        encode_level(&mut v, &LevelUpdate { side, price, qty });
    }
    v
}

fn snapshot(inst: u32, seq: u64) -> Vec<u8> {
    let levels = [
        (Side::Bid, 99, 5),
        (Side::Bid, 98, 6),
        (Side::Ask, 101, 7),
        (Side::Ask, 102, 8),
    ];
    frame(FrameKind::Snapshot, inst, seq, &levels)
}

fn delta(inst: u32, seq_first: u64, levels: &[(Side, i64, i64)]) -> Vec<u8> {
    frame(FrameKind::Delta, inst, seq_first, levels)
}

fn trades(inst: u32, first_id: u64, prices: &[i64]) -> Vec<u8> {
    let count = prices.len() as u32;
    let h = FrameHeader {
        kind: FrameKind::Trades,
        instrument: inst,
        count,
        seq_first: first_id,
        seq_last: first_id + u64::from(count) - 1,
        ts_event: 0,
    };
    let mut v = Vec::new();
    encode_header(&mut v, &h);
    for (i, &price) in prices.iter().enumerate() {
        let t = TradeRecord {
            ts_event: i as i64,
            price,
            qty: 1,
            aggressor: Aggressor::Buyer,
        };
        encode_trade(&mut v, &t);
    }
    v
}

fn bids(m: &Market, inst: u32) -> Vec<Level> {
    m.instrument(inst).unwrap().book().levels(Side::Bid).collect()
}

#[test]
fn a_snapshot_then_contiguous_deltas_apply() {
    let mut m = Market::new();
    let mut bytes = snapshot(1, 10);
    bytes.extend(delta(1, 11, &[(Side::Bid, 100, 3), (Side::Ask, 101, 0)]));
    bytes.extend(delta(1, 13, &[(Side::Ask, 150, 0)]));
    let s = m.apply(&bytes);
    assert_eq!(
        (
            s.frames,
            s.snapshots,
            s.deltas,
            s.missing_deletes,
            s.rejected,
            s.gaps
        ),
        (3, 1, 3, 1, 0, 0)
    );
    assert_eq!(s.error, None);
    let inst = m.instrument(1).unwrap();
    assert_eq!((inst.seq(), inst.awaiting_snapshot()), (13, false));
    assert_eq!(inst.book().best_bid(), Some(Level { price: 100, qty: 3 }));
    assert_eq!(inst.book().best_ask(), Some(Level { price: 102, qty: 8 }));
}

#[test]
fn a_gap_is_reported_once_and_deltas_wait_for_the_next_snapshot() {
    let mut m = Market::new();
    m.apply(&snapshot(1, 10));
    let mut bytes = delta(1, 13, &[(Side::Bid, 100, 3)]);
    bytes.extend(delta(1, 14, &[(Side::Bid, 97, 3)]));
    let s = m.apply(&bytes);
    assert_eq!((s.gaps, s.ignored, s.deltas, s.rejected), (1, 1, 0, 0));
    assert_eq!(s.resync, vec![1]);
    assert!(m.instrument(1).unwrap().awaiting_snapshot());
    assert_eq!(bids(&m, 1).len(), 2, "the stale book is kept for display");
    assert_eq!(
        m.apply(&delta(1, 15, &[(Side::Bid, 97, 1)])).resync,
        Vec::<u32>::new()
    );

    // A snapshot replaces the book whenever it arrives, ahead of the old sequence too.
    let s = m.apply(&[snapshot(1, 40), delta(1, 41, &[(Side::Bid, 100, 1)])].concat());
    assert_eq!((s.snapshots, s.deltas), (1, 1));
    assert!(!m.instrument(1).unwrap().awaiting_snapshot());
    assert_eq!(m.instrument(1).unwrap().seq(), 41);
}

#[test]
fn stale_duplicates_are_dropped_and_overlaps_are_gaps() {
    let mut m = Market::new();
    m.apply(&snapshot(1, 10));
    let s = m.apply(&delta(1, 9, &[(Side::Bid, 100, 3), (Side::Bid, 97, 1)]));
    assert_eq!((s.stale, s.deltas, s.gaps), (1, 0, 0));
    let s = m.apply(&delta(1, 10, &[(Side::Bid, 100, 3), (Side::Bid, 97, 1)]));
    assert_eq!((s.stale, s.gaps, s.resync), (0, 1, vec![1]));
}

#[test]
fn an_invalid_record_rejects_the_whole_batch_and_asks_for_a_snapshot() {
    let mut m = Market::new();
    m.apply(&snapshot(1, 10));
    let before = bids(&m, 1);
    let s = m.apply(&delta(1, 11, &[(Side::Bid, 100, 3), (Side::Bid, -5, 1)]));
    assert_eq!((s.rejected, s.deltas, s.resync.clone()), (1, 0, vec![1]));
    assert_eq!(
        s.error.as_deref(),
        Some("delta batch for instrument 1 at byte 0 rejected: field price at byte 64 is -5, expected 1..=9007199254740991 ticks")
    );
    assert_eq!(bids(&m, 1), before);
    assert_eq!(m.instrument(1).unwrap().seq(), 10);
}

#[test]
fn a_crossing_batch_is_rolled_back() {
    let mut m = Market::new();
    m.apply(&snapshot(1, 10));
    let s = m.apply(&delta(1, 11, &[(Side::Bid, 99, 0), (Side::Bid, 103, 1)]));
    assert_eq!((s.rejected, s.resync.clone()), (1, vec![1]));
    assert_eq!(
        s.error.as_deref(),
        Some("delta batch for instrument 1 at byte 0 rejected: crossed book: best bid 103 > best ask 101")
    );
    assert_eq!(
        bids(&m, 1),
        vec![Level { price: 99, qty: 5 }, Level { price: 98, qty: 6 }]
    );
}

#[test]
fn invalid_snapshots_leave_the_book_and_ask_for_another() {
    let mut m = Market::new();
    let s = m.apply(&frame(
        FrameKind::Snapshot,
        3,
        5,
        &[(Side::Bid, 101, 1), (Side::Ask, 101, 1)],
    ));
    assert_eq!((s.rejected, s.snapshots, s.resync.clone()), (1, 0, vec![3]));
    assert!(s
        .error
        .unwrap()
        .ends_with("locked book: best bid 101 == best ask 101"));
    assert!(m.instrument(3).unwrap().awaiting_snapshot());

    m.apply(&snapshot(1, 10));
    let s = m.apply(&frame(FrameKind::Snapshot, 1, 12, &[(Side::Bid, 90, 0)]));
    assert_eq!(
        s.error.as_deref(),
        Some("snapshot for instrument 1 at byte 0 rejected: field qty at byte 48 is 0, expected 1..=9007199254740991 lots")
    );
    assert_eq!((s.resync, bids(&m, 1).len()), (vec![1], 2));
}

#[test]
fn deltas_for_an_unknown_instrument_are_errors_naming_it() {
    let mut m = Market::new();
    let s = m.apply(&delta(42, 1, &[(Side::Bid, 100, 3)]));
    assert_eq!((s.rejected, s.resync.len()), (1, 0));
    assert_eq!(
        s.error.as_deref(),
        Some("delta batch at byte 0: unknown instrument 42 (no snapshot yet)")
    );
}

#[test]
fn a_truncated_buffer_keeps_the_frames_before_it() {
    let mut m = Market::new();
    let mut bytes = snapshot(1, 10);
    bytes.extend(delta(1, 11, &[(Side::Bid, 100, 3)]));
    bytes.truncate(bytes.len() - 3);
    let s = m.apply(&bytes);
    assert_eq!((s.frames, s.snapshots, s.rejected, s.deltas), (1, 1, 1, 0));
    assert_eq!(
        s.error.as_deref(),
        Some("field count at byte 144 is 1: its records need 24 bytes but 21 remain after the header (truncated frame)")
    );
}

#[test]
fn instruments_are_independent() {
    let mut m = Market::new();
    let s = m.apply(
        &[
            snapshot(1, 10),
            snapshot(2, 500),
            delta(2, 501, &[(Side::Ask, 101, 0)]),
            delta(1, 12, &[]),
        ]
        .concat(),
    );
    assert_eq!((s.snapshots, s.deltas, s.rejected), (2, 1, 1));
    assert_eq!(m.instrument(2).unwrap().seq(), 501);
    assert_eq!(m.instrument(1).unwrap().seq(), 10);
    let mut ids: Vec<u32> = m.instrument_ids().collect();
    ids.sort_unstable();
    assert_eq!(ids, vec![1, 2]);
}

#[test]
fn reset_clears_a_book_until_its_next_snapshot_and_remove_forgets_it() {
    let mut m = Market::new();
    m.apply(&snapshot(1, 10));
    assert!(m.reset(1));
    assert!(!m.reset(9));
    let inst = m.instrument(1).unwrap();
    assert!(inst.awaiting_snapshot() && inst.book().is_empty());
    let s = m.apply(&delta(1, 11, &[(Side::Bid, 100, 3)]));
    assert_eq!((s.ignored, s.rejected, s.resync.len()), (1, 0, 0));
    assert_eq!(m.apply(&snapshot(1, 20)).snapshots, 1);
    assert!(m.remove(1));
    assert!(m.instrument(1).is_none());
}

#[test]
fn trades_queue_in_order_and_the_ring_keeps_the_newest() {
    let mut m = Market::with_trade_capacity(NonZeroUsize::new(3).unwrap());
    let s = m.apply(&[trades(3, 1, &[100, 99]), trades(4, 7, &[50, 51, 52])].concat());
    assert_eq!((s.trades, s.trades_dropped), (5, 2));
    assert_eq!((m.queued_trades(), m.trades_dropped()), (3, 2));
    let got: Vec<_> = m.drain_trades(2).map(|t| (t.instrument, t.trade.price)).collect();
    assert_eq!(got, vec![(4, 50), (4, 51)]);
    assert_eq!(
        m.drain_trades(10).map(|t| t.trade.price).collect::<Vec<_>>(),
        vec![52]
    );
    assert_eq!(m.drain_trades(10).count(), 0);
    assert_eq!(Market::new().apply(&trades(1, 1, &[1; 10])).trades_dropped, 0);
    assert_eq!(TRADE_QUEUE, 8192);
}

#[test]
fn the_synthetic_stream_applies_cleanly_and_keeps_the_server_guarantees() {
    let p = SynthParams::new_checked(42, 1000, 400, 50).unwrap();
    let bytes = synth_frames(&p);
    assert_eq!(bytes, synth_frames(&p), "deterministic");
    assert_ne!(
        bytes,
        synth_frames(&SynthParams::new_checked(43, 1000, 400, 50).unwrap())
    );

    let mut m = Market::new();
    let s = m.apply(&bytes);
    assert_eq!(
        (s.rejected, s.gaps, s.stale, s.ignored, s.missing_deletes),
        (0, 0, 0, 0, 0),
        "{:?}",
        s.error
    );
    assert_eq!((s.snapshots, s.deltas), (1, 400 * 50));
    assert!(s.trades > 20, "{} trades", s.trades);
    let book = m.instrument(1).unwrap().book();
    for side in [Side::Bid, Side::Ask] {
        let n = book.level_count(side);
        assert!((700..=1300).contains(&n), "{side}: {n} levels");
    }
    let (mut deletes, mut near_top, mut records) = (0, 0, 0);
    for f in frames(&bytes) {
        let f = f.unwrap();
        if let Ok(Payload::Delta(levels)) = f.decode() {
            let mut seen = HashSet::new();
            for u in levels {
                assert!(
                    seen.insert((u.side, u.price)),
                    "one record per (side, price) in a batch"
                );
                deletes += usize::from(u.qty == 0);
                near_top += usize::from((u.price - 1_000_000).abs() < 20);
                records += 1;
            }
        }
    }
    assert!(
        deletes * 20 > records && deletes * 4 < records,
        "{deletes} deletes in {records}"
    );
    assert!(near_top * 5 > records, "{near_top} of {records} near the top");
}

#[test]
fn synthetic_parameters_are_checked() {
    assert_eq!(
        SynthParams::new_checked(1, 0, 1, 1).unwrap_err().to_string(),
        "field depth is 0, expected 1..=100000"
    );
    let e = SynthParams::new_checked(1, 10, 3_000, 10_000).unwrap_err();
    assert_eq!(
        e,
        SynthError::OutOfRange {
            field: "batches",
            value: 3_000,
            min: 0,
            max: 2_000
        }
    );
    assert_eq!(
        SynthParams::new_checked(1, 10, 0, 1)
            .unwrap()
            .with_instrument(9)
            .instrument(),
        9
    );
}
