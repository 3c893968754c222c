//! Venue recordings (MANIFEST.md: orderbook/binance, orderbook/bybit, ws_captures) → datasets. Each dataset is
//! replayed into a fresh Book from its columns alone and compared, after every snapshot and delta group, with
//! the venue replay's book at the same point (the venue replay itself matches every Binance bookTicker).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::PathBuf;

use ferrodesk_engine::book::{Book, LevelUpdate, Side};
use ferrodesk_engine::dataset::{
    from_recording, validate, Conversion, ImportError, FLAG_LAST, KIND_CLEAR, KIND_DELTA, KIND_SNAPSHOT,
    KIND_TRADE,
};
use ferrodesk_engine::venues::Venue;

fn data(rel: &str) -> Option<Vec<u8>> {
    // ../shared/data beside the checkout, or FERRODESK_SHARED_DATA (a worktree elsewhere).
    let dir = std::env::var_os("FERRODESK_SHARED_DATA").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data"),
        PathBuf::from,
    );
    let p = dir.join(rel);
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

/// Replays the columns group by group; checks every group's top of book against the venue replay's.
fn cross_check(c: &Conversion) -> usize {
    let e = &c.events;
    let mut book = Book::new();
    let mut tops = c.tops.iter().peekable();
    let mut checked = 0;
    let mut start = 0;
    for i in 0..e.len() {
        if e.flags[i] & FLAG_LAST == 0 {
            continue;
        }
        let rows = start..=i;
        start = i + 1;
        let ups = rows.clone().map(|r| LevelUpdate {
            side: if e.side[r] == 0 { Side::Bid } else { Side::Ask },
            price: e.price[r],
            qty: e.qty[r],
        });
        match e.kind[i] {
            KIND_SNAPSHOT => book.apply_snapshot(ups.collect::<Vec<_>>()).unwrap(),
            KIND_DELTA => {
                book.apply_batch(ups).unwrap();
            }
            KIND_CLEAR => book.clear(),
            _ => continue,
        }
        let top = tops
            .next()
            .unwrap_or_else(|| panic!("no venue top for the group ending at row {i}"));
        assert_eq!(top.row, i);
        let t = |l: Option<ferrodesk_engine::book::Level>| l.map(|l| (l.price, l.qty));
        assert_eq!(t(book.best_bid()), top.bid, "best bid after row {i}");
        assert_eq!(t(book.best_ask()), top.ask, "best ask after row {i}");
        checked += 1;
    }
    assert!(tops.next().is_none());
    checked
}

fn count(c: &Conversion, kind: u8) -> usize {
    c.events.kind.iter().filter(|k| **k == kind).count()
}

fn groups(c: &Conversion, kind: u8) -> usize {
    (0..c.events.len())
        .filter(|&i| c.events.kind[i] == kind && c.events.flags[i] & FLAG_LAST != 0)
        .count()
}

fn common(c: &Conversion) {
    validate(c.events.as_slice(), None, 0).unwrap();
    assert!(c.events.is_complete());
    assert!(c.events.ts_recv.windows(2).all(|w| w[0] <= w[1]));
    eprintln!(
        "{} {}: {} rows ({} snapshot groups, {} delta groups, {} trades, {} clears), grid {}/{}",
        c.meta.venue,
        c.meta.symbol,
        c.events.len(),
        groups(c, KIND_SNAPSHOT),
        groups(c, KIND_DELTA),
        count(c, KIND_TRADE),
        count(c, KIND_CLEAR),
        c.meta.price_decimals,
        c.meta.qty_decimals
    );
}

#[test]
fn binance_spot_btcusdt_converts_and_replays_to_the_venue_book() {
    let Some(bytes) = data("orderbook/binance/spot_btcusdt_20240808.gz") else {
        return;
    };
    let c = from_recording(Venue::BinanceSpot, &bytes, None).unwrap();
    common(&c);
    assert_eq!(
        (c.meta.venue.as_str(), c.meta.symbol.as_str()),
        ("binance-spot", "BTCUSDT")
    );
    // The grid the venue replay ends on (the lot refined to 6 decimals, see venues_binance.rs).
    assert_eq!((c.meta.price_decimals, c.meta.qty_decimals), (2, 6));
    assert_eq!(c.stats.gaps, 0);
    assert_eq!(c.stats.ticker_mismatches, 0);
    assert_eq!(groups(&c, KIND_SNAPSHOT), 1);
    assert_eq!(groups(&c, KIND_DELTA) as u64, c.stats.updates_applied);
    assert_eq!(count(&c, KIND_CLEAR), 0);
    assert_eq!(count(&c, KIND_TRADE) as u64, c.trades);
    assert!(c.trades > 1000, "{} trades", c.trades);
    assert_eq!(c.trades_dropped, 0);
    let checked = cross_check(&c);
    assert_eq!(checked as u64, c.stats.updates_applied + 1);
    // Trades received before the REST snapshot come first; the first book group is the 1000+1000-level snapshot.
    let first = c.events.kind.iter().position(|k| *k != KIND_TRADE).unwrap();
    assert_eq!(c.events.kind[first], KIND_SNAPSHOT);
    assert_eq!(
        c.events.flags[first..].iter().position(|f| *f == FLAG_LAST),
        Some(1999)
    );
}

#[test]
fn binance_usdm_btcusdt_converts_and_replays_to_the_venue_book() {
    let Some(bytes) = data("orderbook/binance/usdm_btcusdt_20240808.gz") else {
        return;
    };
    let c = from_recording(Venue::BinanceFutures, &bytes, None).unwrap();
    common(&c);
    assert_eq!(c.meta.venue, "binance-futures");
    assert_eq!(c.stats.gaps, 0);
    assert_eq!(c.stats.ticker_mismatches, 0);
    assert_eq!(groups(&c, KIND_DELTA) as u64, c.stats.updates_applied);
    assert_eq!(count(&c, KIND_TRADE) as u64, c.trades);
    assert!(c.trades > 10_000, "{} trades", c.trades);
    assert_eq!(
        cross_check(&c) as u64,
        c.stats.updates_applied + c.stats.snapshots_applied
    );
}

#[test]
fn bybit_xrpusdt_converts_one_snapshot_and_its_deltas() {
    let Some(bytes) = data("orderbook/bybit/bybit_xrpusdt-ob500.data.zip") else {
        return;
    };
    let c = from_recording(Venue::Bybit, &bytes, None).unwrap();
    common(&c);
    assert_eq!(c.meta.symbol, "XRPUSDT");
    assert_eq!(groups(&c, KIND_SNAPSHOT), 1);
    assert_eq!(groups(&c, KIND_DELTA), 49);
    assert_eq!(c.trades, 0);
    // Bybit history files have no receive stamp: ts_recv is the venue's ts.
    assert_eq!(c.events.ts_recv, c.events.ts_event);
    assert_eq!(cross_check(&c), 50);
}

#[test]
fn kraken_capture_converts_each_pair_and_needs_a_symbol() {
    let Some(bytes) = data("ws_captures/KRAKEN.ws.50.0") else {
        return;
    };
    let err = from_recording(Venue::Kraken, &bytes, None).unwrap_err();
    assert!(matches!(err, ImportError::Symbol { .. }), "{err}");
    assert!(err.to_string().contains("XBT/CHF"), "{err}");
    let c = from_recording(Venue::Kraken, &bytes, Some("XBT/CHF")).unwrap();
    common(&c);
    assert_eq!(c.stats.checksum_failures, 0);
    assert!(c.stats.checksum > 0);
    assert!(cross_check(&c) > 10);
    let err = from_recording(Venue::Kraken, &bytes, Some("NOPE/USD")).unwrap_err();
    assert!(err.to_string().contains("\"NOPE/USD\""), "{err}");
}

#[test]
fn coinbase_capture_keeps_matches_with_the_aggressor_side() {
    let Some(bytes) = data("ws_captures/COINBASE.ws.28.0") else {
        return;
    };
    let c = from_recording(Venue::Coinbase, &bytes, Some("SKL-USD")).unwrap();
    common(&c);
    assert_eq!(c.stats.ticker_mismatches, 0);
    assert!(c.trades > 0);
    assert!(cross_check(&c) > 10);
    // A match's side is the maker's: the aggressor is the other side, and both kinds occur.
    let trades: Vec<usize> = (0..c.events.len())
        .filter(|&i| c.events.kind[i] == KIND_TRADE)
        .collect();
    assert!(trades.iter().any(|&i| c.events.side[i] == 0) && trades.iter().any(|&i| c.events.side[i] == 1));
}

#[test]
fn a_truncated_gzip_is_an_error_at_its_line() {
    let Some(bytes) = data("orderbook/binance/spot_btcusdt_20240808.gz") else {
        return;
    };
    let cut = &bytes[..bytes.len() / 2];
    let err = from_recording(Venue::BinanceSpot, cut, None).unwrap_err();
    let ImportError::Damaged { line, .. } = &err else {
        panic!("expected Damaged, got {err}");
    };
    assert!(*line > 1000);
    assert!(
        err.to_string()
            .starts_with(&format!("line {line}: gzip stream is truncated")),
        "{err}"
    );
}

#[test]
fn an_empty_or_unusable_recording_is_an_error() {
    let err = from_recording(Venue::BinanceSpot, b"", None).unwrap_err();
    assert!(matches!(err, ImportError::Empty(_)), "{err}");
    let err = from_recording(Venue::BinanceSpot, b"12 {not json}\n", None).unwrap_err();
    assert!(matches!(err, ImportError::Empty(_)), "{err}");
}

#[test]
fn coinbase_match_times_are_read_exactly() {
    use ferrodesk_engine::venues::parse::rfc3339_ns;
    assert_eq!(
        rfc3339_ns("2021-04-17T16:43:37.089723Z"),
        Some(1_618_677_817_089_723_000)
    );
    assert_eq!(rfc3339_ns("1970-01-01T00:00:00Z"), Some(0));
    assert_eq!(
        rfc3339_ns("2000-02-29T23:59:59.999999999Z"),
        Some(951_868_799_999_999_999)
    );
    assert_eq!(rfc3339_ns("2021-04-17 16:43:37Z"), None);
    assert_eq!(rfc3339_ns("2021-13-17T16:43:37Z"), None);
    assert_eq!(rfc3339_ns("2021-04-17T16:43:37+02:00"), None);
    let line = r#"1618677817.1295161: {"type":"match","trade_id":1,"side":"sell","size":"985","price":"0.00001305","product_id":"SKL-BTC","time":"2021-04-17T16:43:37.089723Z"}"#;
    let snap = r#"1618677817.0: {"type":"snapshot","product_id":"SKL-BTC","bids":[["0.00001300","10"]],"asks":[["0.00001305","2000"]]}"#;
    let c = from_recording(Venue::Coinbase, format!("{snap}\n{line}\n").as_bytes(), None).unwrap();
    let t = c.events.kind.iter().position(|k| *k == KIND_TRADE).unwrap();
    assert_eq!(c.events.ts_event[t], 1_618_677_817_089_723_000);
    assert_eq!(c.events.ts_recv[t], 1_618_677_817_129_516_100);
    assert_eq!(
        (c.events.side[t], c.events.price[t], c.events.qty[t]),
        (0, 1305, 985)
    );
    assert_eq!(c.meta.price_decimals, 8);
}

#[test]
fn binance_trades_take_the_aggressor_from_m() {
    let snap = r#"1000 {"lastUpdateId":10,"bids":[["100.00","1.5"]],"asks":[["100.10","2.0"]]}"#;
    let trade = |ts: u64, m: bool| {
        format!(
            r#"{ts} {{"stream":"btcusdt@trade","data":{{"e":"trade","E":5,"s":"BTCUSDT","t":1,"p":"100.10","q":"0.25","T":4,"m":{m},"M":true}}}}"#
        )
    };
    let diff = r#"1003 {"stream":"btcusdt@depth@100ms","data":{"e":"depthUpdate","E":6,"s":"BTCUSDT","U":11,"u":11,"b":[],"a":[["100.10","1.7"]]}}"#;
    let text = format!("{}\n{snap}\n{}\n{diff}\n", trade(999, true), trade(1002, false));
    let c = from_recording(Venue::BinanceSpot, text.as_bytes(), None).unwrap();
    let e = &c.events;
    let rows: Vec<(i64, u8, u8, i64, i64, u8)> = (0..e.len())
        .map(|i| {
            (
                e.ts_recv[i],
                e.kind[i],
                e.side[i],
                e.price[i],
                e.qty[i],
                e.flags[i],
            )
        })
        .collect();
    assert_eq!(
        rows,
        vec![
            (999, KIND_TRADE, 1, 1001, 25, FLAG_LAST), // m: the buyer made, the seller took
            (1000, KIND_SNAPSHOT, 0, 1000, 150, 0),
            (1000, KIND_SNAPSHOT, 1, 1001, 200, FLAG_LAST),
            (1002, KIND_TRADE, 0, 1001, 25, FLAG_LAST),
            (1003, KIND_DELTA, 1, 1001, 170, FLAG_LAST),
        ]
    );
    assert_eq!(e.ts_event[0], 4_000_000, "trade time T in ns");
    // The grid: 1 price decimal from the snapshot, the lot refined to 2 decimals by the trade size.
    assert_eq!((c.meta.price_decimals, c.meta.qty_decimals), (1, 2));
}

#[test]
fn a_gap_is_a_clear_and_the_resync_a_new_snapshot() {
    let snap = |ts: u64, id: u64, bid: &str| {
        format!(r#"{ts} {{"lastUpdateId":{id},"bids":[["{bid}","1"]],"asks":[["101","1"]]}}"#)
    };
    let diff = |ts: u64, first: u64, last: u64| {
        format!(
            r#"{ts} {{"stream":"x@depth","data":{{"e":"depthUpdate","E":1,"s":"X","U":{first},"u":{last},"b":[["99","2"]],"a":[]}}}}"#
        )
    };
    // 11..11 chains to snapshot 10; 15..16 skips 12..14 (a gap); the snapshot at 20 resyncs.
    let text = [
        diff(1, 11, 11),
        snap(2, 10, "100"),
        diff(3, 15, 16),
        snap(4, 20, "98"),
    ]
    .join("\n");
    let c = from_recording(Venue::BinanceSpot, text.as_bytes(), Some("X")).unwrap();
    let kinds: Vec<u8> = c.events.kind.clone();
    assert_eq!(
        kinds,
        vec![
            KIND_SNAPSHOT,
            KIND_SNAPSHOT,
            KIND_DELTA,
            KIND_CLEAR,
            KIND_SNAPSHOT,
            KIND_SNAPSHOT
        ]
    );
    assert_eq!(
        c.events.ts_recv,
        vec![2, 2, 2, 3, 4, 4],
        "the buffered diff takes the snapshot's time"
    );
    assert_eq!((c.stats.gaps, c.stats.resyncs), (1, 1));
    assert_eq!(cross_check(&c), 4);
}
