//! Bad input on small crafted recordings: every problem is rejected, counted and reported with its line
//! number; a rejected update leaves the book unchanged; nothing panics.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::Write;

use ferrodesk_engine::book::{Level, Side};
use ferrodesk_engine::venues::{book_report, Replay, ReportOptions, Venue};

const SNAP: &str = r#"1000 {"lastUpdateId":100,"bids":[["100.00","1.50"],["99.99","2.00"]],"asks":[["100.02","1.25"],["100.05","3.00"]]}"#;

fn diff(ts: u64, first: u64, last: u64, bids: &str, asks: &str) -> String {
    format!(
        r#"{ts} {{"stream":"btcusdt@depth@100ms","data":{{"e":"depthUpdate","E":1723161255208,"s":"BTCUSDT","U":{first},"u":{last},"b":[{bids}],"a":[{asks}]}}}}"#
    )
}

fn fut_diff(ts: u64, first: u64, last: u64, pu: u64, bids: &str) -> String {
    format!(
        r#"{ts} {{"stream":"btcusdt@depth","data":{{"e":"depthUpdate","E":1,"T":1,"s":"BTCUSDT","U":{first},"u":{last},"pu":{pu},"b":[{bids}],"a":[]}}}}"#
    )
}

fn run(venue: Venue, lines: &[String]) -> Replay {
    Replay::run(venue, lines.join("\n").as_bytes(), 50).expect("plain text is always readable")
}

fn book(r: &Replay) -> (Vec<Level>, Vec<Level>) {
    let b = &r.instruments["BTCUSDT"].book;
    (b.levels(Side::Bid).collect(), b.levels(Side::Ask).collect())
}

/// The same recording without its last line: what the book must look like when the last line is rejected.
fn without_last(venue: Venue, lines: &[String]) -> (Vec<Level>, Vec<Level>) {
    book(&run(venue, &lines[..lines.len() - 1]))
}

fn base() -> Vec<String> {
    vec![
        diff(900, 95, 99, r#"["1.00","1.00"]"#, ""),
        SNAP.to_string(),
        diff(1100, 100, 102, r#"["100.01","0.50"]"#, ""),
        diff(1200, 103, 104, "", r#"["100.02","0"]"#),
    ]
}

#[test]
fn the_crafted_base_replays_cleanly() {
    let r = run(Venue::BinanceSpot, &base());
    let s = r.instruments["BTCUSDT"].stats;
    assert_eq!(
        (
            s.snapshots_applied,
            s.updates_applied,
            s.stale_dropped,
            s.gaps,
            s.rejected
        ),
        (1, 2, 1, 0, 0)
    );
    let (bids, asks) = book(&r);
    assert_eq!(
        bids[0],
        Level {
            price: 10001,
            qty: 50
        }
    );
    assert_eq!(
        asks[0],
        Level {
            price: 10005,
            qty: 300
        }
    );
}

fn rejected_last(venue: Venue, mut lines: Vec<String>, bad: String, reason_has: &str) {
    lines.push(bad);
    let r = run(venue, &lines);
    let inst = &r.instruments["BTCUSDT"];
    let all: Vec<_> = r.file_rejections.iter().chain(&inst.rejections).collect();
    assert_eq!(all.len(), 1, "{all:?}");
    assert_eq!(all[0].line, lines.len(), "{all:?}");
    assert!(
        all[0].reason.contains(reason_has),
        "{:?} lacks {reason_has:?}",
        all[0].reason
    );
    assert_eq!(r.file_rejected + inst.stats.rejected, 1);
    assert_eq!(book(&r), without_last(venue, &lines));
}

#[test]
fn negative_price_is_rejected() {
    rejected_last(
        Venue::BinanceSpot,
        base(),
        diff(1300, 105, 105, r#"["-100.00","1"]"#, ""),
        "negative",
    );
}

#[test]
fn nan_price_is_rejected() {
    rejected_last(
        Venue::BinanceSpot,
        base(),
        diff(1300, 105, 105, r#"["NaN","1"]"#, ""),
        "not a decimal",
    );
}

#[test]
fn off_tick_price_is_rejected_with_the_inferred_tick() {
    rejected_last(
        Venue::BinanceSpot,
        base(),
        diff(1300, 105, 105, r#"["100.001","1"]"#, ""),
        "off-tick (tick 0.01",
    );
}

#[test]
fn quantity_beyond_the_written_precision_is_off_lot() {
    rejected_last(
        Venue::BinanceSpot,
        base(),
        diff(1300, 105, 105, r#"["99.98","0.125"]"#, ""),
        "off-lot",
    );
}

#[test]
fn duplicate_update_is_rejected() {
    let dup = base()[3].clone();
    rejected_last(Venue::BinanceSpot, base(), dup, "duplicate or out-of-order");
}

#[test]
fn out_of_order_update_is_rejected() {
    rejected_last(
        Venue::BinanceSpot,
        base(),
        diff(1300, 101, 101, r#"["99.50","1"]"#, ""),
        "duplicate or out-of-order",
    );
}

#[test]
fn malformed_json_is_rejected() {
    rejected_last(
        Venue::BinanceSpot,
        base(),
        r#"1300 {"stream":"x","data":{"#.to_string(),
        "malformed JSON",
    );
}

#[test]
fn bad_receive_timestamp_is_rejected() {
    rejected_last(Venue::BinanceSpot, base(), "12x {}".to_string(), "field ts_recv");
}

#[test]
fn crossing_diff_is_refused_and_counted() {
    let mut lines = base();
    lines.push(diff(1300, 105, 105, r#"["100.10","1"]"#, ""));
    let r = run(Venue::BinanceSpot, &lines);
    let inst = &r.instruments["BTCUSDT"];
    assert_eq!(
        (
            inst.stats.crossed,
            inst.stats.rejected,
            inst.stats.updates_applied
        ),
        (1, 0, 2)
    );
    assert_eq!(inst.rejections[0].line, 5);
    assert!(inst.rejections[0].reason.contains("crossed"));
    assert_eq!(book(&r), without_last(Venue::BinanceSpot, &lines));
}

#[test]
fn zero_size_level_in_a_snapshot_rejects_the_snapshot() {
    let lines = vec![
        diff(900, 99, 101, r#"["1.00","1.00"]"#, ""),
        r#"1000 {"lastUpdateId":100,"bids":[["100.00","0.00"]],"asks":[["100.02","1.25"]]}"#.to_string(),
    ];
    let r = run(Venue::BinanceSpot, &lines);
    let inst = &r.instruments["BTCUSDT"];
    assert_eq!((inst.stats.rejected, inst.stats.snapshots_applied), (1, 0));
    assert_eq!(inst.rejections[0].line, 2);
    assert!(
        inst.rejections[0].reason.contains("in a snapshot"),
        "{:?}",
        inst.rejections
    );
    assert!(inst.is_awaiting() && inst.book.is_empty());
}

#[test]
fn a_gap_clears_the_book_and_the_next_snapshot_resyncs() {
    let mut lines = base();
    lines.push(diff(1300, 107, 108, r#"["99.00","1"]"#, ""));
    lines.push(diff(1350, 109, 110, r#"["99.01","1"]"#, ""));
    lines.push(
        r#"1400 {"lastUpdateId":109,"bids":[["99.00","1"],["98.99","1"]],"asks":[["99.50","2"]]}"#
            .to_string(),
    );
    lines.push(diff(1500, 111, 111, r#"["99.02","3"]"#, ""));
    let r = run(Venue::BinanceSpot, &lines);
    let s = r.instruments["BTCUSDT"].stats;
    assert_eq!(
        (
            s.gaps,
            s.resyncs,
            s.snapshots_applied,
            s.stale_dropped,
            s.updates_applied
        ),
        (1, 1, 2, 2, 4)
    );
    let (bids, _) = book(&r);
    assert_eq!(
        bids,
        vec![
            Level { price: 9902, qty: 3 },
            Level { price: 9901, qty: 1 },
            Level { price: 9900, qty: 1 },
            Level { price: 9899, qty: 1 }
        ]
    );
}

#[test]
fn futures_chain_on_pu() {
    let snap =
        r#"1000 {"lastUpdateId":100,"E":1,"T":1,"bids":[["100.0","1.000"]],"asks":[["100.5","1.000"]]}"#;
    let lines = vec![
        snap.to_string(),
        fut_diff(1100, 90, 105, 89, r#"["99.9","1.5"]"#),
        fut_diff(1200, 106, 120, 105, r#"["99.8","2"]"#),
        fut_diff(1300, 125, 130, 119, r#"["99.7","2"]"#),
    ];
    let r = run(Venue::BinanceFutures, &lines);
    let s = r.instruments["BTCUSDT"].stats;
    assert_eq!((s.updates_applied, s.gaps), (2, 1));
    let missing_pu = vec![snap.to_string(), lines[1].replace(r#","pu":89"#, "")];
    let r = run(Venue::BinanceFutures, &missing_pu);
    // Without its only diff the snapshot has no instrument to belong to: both lines are reported.
    assert_eq!(r.file_rejected, 2);
    assert_eq!(r.file_rejections[0].line, 2);
    assert!(r.file_rejections[0].reason.contains("field pu is missing"));
    assert_eq!(r.file_rejections[1].line, 1);
    assert!(r.file_rejections[1].reason.contains("no symbol"));
}

#[test]
fn truncated_gzip_keeps_the_complete_lines_and_reports_the_damage() {
    let text = base().join("\n") + "\n";
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(text.as_bytes()).unwrap();
    let full = gz.finish().unwrap();
    let whole = Replay::run(Venue::BinanceSpot, &full, 10).unwrap();
    assert_eq!((whole.file_rejected, whole.lines), (0, 4));
    for cut in [full.len() - 4, full.len() - 12, full.len() / 2, 12] {
        let r = Replay::run(Venue::BinanceSpot, &full[..cut], 10).unwrap();
        assert_eq!(r.file_rejected, 1, "cut at {cut}");
        assert!(
            r.file_rejections[0].reason.contains("gzip stream is truncated"),
            "{:?}",
            r.file_rejections
        );
        assert!(r.file_rejections[0].line >= 1 && r.lines <= 4);
    }
}

#[test]
fn bybit_non_contiguous_u_is_a_gap_and_a_snapshot_resets() {
    let snap = |u: u64| {
        format!(
            r#"{{"topic":"orderbook.500.XRPUSDT","type":"snapshot","ts":1,"data":{{"s":"XRPUSDT","b":[["1.9531","6203"]],"a":[["1.9535","10"]],"u":{u},"seq":1}}}}"#
        )
    };
    let delta = |u: u64, p: &str| {
        format!(
            r#"{{"topic":"orderbook.500.XRPUSDT","type":"delta","ts":2,"data":{{"s":"XRPUSDT","b":[["{p}","5"]],"a":[],"u":{u},"seq":2}}}}"#
        )
    };
    let lines = [
        snap(10),
        delta(11, "1.9530"),
        delta(13, "1.9529"),
        delta(14, "1.9528"),
        snap(20),
        delta(21, "1.9527"),
        delta(21, "1.9526"),
    ];
    let r = Replay::run(Venue::Bybit, lines.join("\n").as_bytes(), 10).unwrap();
    let inst = &r.instruments["XRPUSDT"];
    let s = inst.stats;
    assert_eq!((s.updates_applied, s.gaps, s.resyncs, s.rejected), (2, 1, 1, 1));
    assert_eq!(inst.rejections[0].line, 7);
    assert_eq!(inst.last_update_id, Some(21));
}

#[test]
fn the_report_merges_file_rejections_and_lists_line_numbers() {
    let mut lines = base();
    lines.insert(2, "not json".to_string());
    lines.push(diff(1300, 105, 105, r#"["100.001","1"]"#, ""));
    let opts = ReportOptions {
        depth: 2,
        at: vec![1150, 5000],
        max_rejections: 10,
    };
    let rep = book_report(Venue::BinanceSpot, lines.join("\n").as_bytes(), &opts).unwrap();
    assert_eq!(rep["rejected"], 2);
    assert_eq!(rep["rejections"][0]["line"], 3);
    assert_eq!(rep["rejections"][1]["line"], 6);
    assert_eq!(rep["final"]["best_bid"], serde_json::json!([100.01, 0.5]));
    assert_eq!(rep["final"]["best_ask"], serde_json::json!([100.05, 3]));
    assert_eq!(rep["snapshots"][0]["at"], "1150");
    assert_eq!(rep["snapshots"][0]["last_update_id"], 102);
    assert_eq!(
        rep["snapshots"][0]["asks"],
        serde_json::json!([[100.02, 1.25], [100.05, 3]])
    );
    assert_eq!(rep["snapshots"][1]["last_update_id"], 104);
    let bad = ReportOptions {
        depth: 0,
        ..ReportOptions::default()
    };
    assert!(book_report(Venue::BinanceSpot, b"", &bad).is_err());
}

#[test]
fn garbage_never_panics() {
    for venue in [
        Venue::BinanceSpot,
        Venue::BinanceFutures,
        Venue::Bybit,
        Venue::Kraken,
        Venue::Coinbase,
    ] {
        for bytes in [
            &b""[..],
            b"\x1f\x8b",
            b"PK\x03\x04",
            b"PK\x03\x04\0\0\0\0\x08\0\0\0\0\0\0\0\0\0\xff\xff\xff\xff\0\0\0\0\0\0\0\0",
            b"\xff\xfe\n{}\n1 {\"lastUpdateId\":1}",
        ] {
            let _ = book_report(venue, bytes, &ReportOptions::default());
        }
    }
}

#[test]
fn capture_lines_with_bad_fields_are_rejected_with_their_line() {
    let lines = [
        "wss://ws-feed.pro.coinbase.com <-> 1618677816.8434298",
        r#"1.5: {"type":"snapshot","product_id":"A-B","bids":[["1.01","2"]],"asks":[["1.10","3"]]}"#,
        r#"1.6: {"type":"l2update","product_id":"A-B","changes":[["hold","1.05","1"]]}"#,
        r#"1.7: {"type":"l2update","product_id":"A-B","changes":[["buy","1.05"]]}"#,
        r#"x: {"type":"l2update","product_id":"A-B","changes":[]}"#,
        r#"1.8: {"type":"l2update","product_id":"A-B","changes":[["buy","1.05","1"]]}"#,
        r#"1.9: {"type":"ticker","product_id":"A-B","best_bid":"1.05","best_ask":"1.10"}"#,
        r#"2.0: {"type":"ticker","product_id":"A-B","best_bid":"1.05","best_ask":"1.10"}"#,
    ];
    let r = Replay::run(Venue::Coinbase, lines.join("\n").as_bytes(), 10).unwrap();
    let got: Vec<usize> = r.file_rejections.iter().map(|x| x.line).collect();
    assert_eq!(got, vec![3, 4, 5]);
    assert!(r.file_rejections[0].reason.contains("\"hold\""));
    let inst = &r.instruments["A-B"];
    assert_eq!(
        (
            inst.stats.updates_applied,
            inst.stats.ticker,
            inst.stats.ticker_mismatches
        ),
        (1, 1, 0)
    );
    assert_eq!(inst.quotes_skipped, 1);
}
