//! Replays the Bybit v5 `orderbook.500` XRPUSDT history file (MANIFEST.md, orderbook/bybit): a zip with one
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! member, 1 snapshot and 49 deltas with contiguous `u`.

use std::path::PathBuf;

use ferrodesk_engine::book::Side;
use ferrodesk_engine::venues::{book_report, Replay, ReportOptions, Venue};

fn data() -> Option<Vec<u8>> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data/orderbook/bybit/bybit_xrpusdt-ob500.data.zip");
    match std::fs::read(&p) {
        Ok(b) => Some(b),
        Err(e) => {
            eprintln!(
                "skipping: {} not readable ({e}); the shared data set is absent",
                p.display()
            );
            None
        }
    }
}

#[test]
fn xrpusdt_snapshot_and_49_contiguous_deltas() {
    let Some(bytes) = data() else { return };
    let r = Replay::run(Venue::Bybit, &bytes, 20).expect("readable zip");
    assert_eq!(r.file_rejected, 0, "{:?}", r.file_rejections);
    assert_eq!(r.lines, 50);
    let inst = &r.instruments["XRPUSDT"];
    let s = inst.stats;
    assert_eq!(s.snapshots_applied, 1);
    assert_eq!(s.updates_applied, 49);
    assert_eq!((s.gaps, s.rejected, s.crossed, s.resyncs), (0, 0, 0, 0));
    assert_eq!(inst.last_update_id, Some(20_254_918));
    assert_eq!(
        inst.grid.map(|g| (g.price_decimals, g.qty_decimals)),
        Some((4, 0))
    );
    let (bid, ask) = (
        inst.book.best_bid().expect("bids"),
        inst.book.best_ask().expect("asks"),
    );
    assert!(bid.price < ask.price);
    assert!(inst.book.level_count(Side::Bid) > 0 && inst.book.level_count(Side::Ask) > 0);
}

#[test]
fn xrpusdt_report_starts_at_the_snapshot_id_and_never_crosses() {
    let Some(bytes) = data() else { return };
    // A capture just after the snapshot (its ts is 1733011200691 ms) shows the snapshot's own update id.
    let opts = ReportOptions {
        depth: 3,
        at: vec![1_733_011_200_691_000_000],
        max_rejections: 10,
    };
    let rep = book_report(Venue::Bybit, &bytes, &opts).expect("report");
    assert_eq!(rep["updates_applied"], 49);
    assert_eq!(rep["crossed"], 0);
    assert_eq!(rep["final"]["last_update_id"], 20_254_918);
    let snap = &rep["snapshots"][0];
    assert_eq!(snap["last_update_id"], 20_254_869);
    assert_eq!(snap["bids"][0][0], 1.9531);
    assert_eq!(snap["bids"][0][1], 6203);
    assert_eq!(snap["bids"].as_array().map(Vec::len), Some(3));
}
