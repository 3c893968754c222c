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
