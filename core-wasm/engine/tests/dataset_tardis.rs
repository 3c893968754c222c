//! Tardis.dev CSV fixtures (MANIFEST.md: orderbook/tardis) → datasets, with exact values, and bad input.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::Write;
use std::path::PathBuf;

use ferrodesk_engine::dataset::{
    from_tardis, ImportError, AGGRESSOR_BUY, AGGRESSOR_SELL, FLAG_LAST, KIND_CLEAR, KIND_DELTA,
    KIND_SNAPSHOT, KIND_TRADE,
};

fn data(rel: &str) -> Option<Vec<u8>> {
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

const BOOK_HEADER: &str = "exchange,symbol,timestamp,local_timestamp,is_snapshot,side,price,amount\n";
const TRADES_HEADER: &str = "exchange,symbol,timestamp,local_timestamp,id,side,price,amount\n";

#[test]
fn deribit_incremental_book_fixture_is_one_snapshot_group() {
    let Some(bytes) = data("orderbook/tardis/deribit_incremental_book_L2_BTC-PERPETUAL.csv") else {
        return;
    };
    let c = from_tardis(Some(&bytes), None).unwrap();
    assert_eq!(c.meta.venue, "deribit");
    assert_eq!(c.meta.symbol, "BTC-PERPETUAL");
    assert_eq!((c.meta.price_decimals, c.meta.qty_decimals), (1, 0));
    let e = &c.events;
    assert_eq!(e.len(), 15);
    assert!(e.kind.iter().all(|k| *k == KIND_SNAPSHOT));
    assert!(e.side.iter().all(|s| *s == 1));
    assert!(e.ts_recv.iter().all(|t| *t == 1_585_699_200_355_684_000));
    assert!(e.ts_event.iter().all(|t| *t == 1_585_699_200_245_000_000));
    assert_eq!(&e.price[..3], &[64215, 64220, 64225]);
    assert_eq!(&e.qty[..3], &[18640, 1190, 1080]);
    assert_eq!((e.price[14], e.qty[14]), (64285, 39950));
    assert_eq!(e.flags.iter().filter(|f| **f == FLAG_LAST).count(), 1);
    assert_eq!(e.flags[14], FLAG_LAST);
}

#[test]
fn bitmex_trades_fixture_converts_with_exact_values() {
    let Some(bytes) = data("orderbook/tardis/bitmex_trades_XBTUSD.csv") else {
        return;
    };
    let c = from_tardis(None, Some(&bytes)).unwrap();
    assert_eq!(
        (c.meta.venue.as_str(), c.meta.symbol.as_str()),
        ("bitmex", "XBTUSD")
    );
    assert_eq!((c.meta.price_decimals, c.meta.qty_decimals), (1, 0));
    let e = &c.events;
    assert_eq!(e.len(), 10);
    assert_eq!(c.trades, 10);
    assert!(e.kind.iter().all(|k| *k == KIND_TRADE));
    assert!(e.side.iter().all(|s| *s == AGGRESSOR_SELL));
    assert!(e.flags.iter().all(|f| *f == FLAG_LAST));
    assert_eq!(
        (e.ts_recv[0], e.ts_event[0], e.price[0], e.qty[0]),
        (1_583_020_803_307_160_000, 1_583_020_803_145_000_000, 85315, 2152)
    );
    assert_eq!(
        (e.ts_recv[9], e.price[9], e.qty[9]),
        (1_583_020_803_336_743_000, 85315, 1)
    );
}

#[test]
fn book_and_trades_merge_by_receive_time_with_groups_per_timestamp() {
    let book = format!(
        "{BOOK_HEADER}\
         x,S,1000,1001,true,bid,99.5,2\n\
         x,S,1000,1001,true,ask,100.25,1.5\n\
         x,S,1000,1001,true,ask,101,0\n\
         x,S,1004,1005,false,bid,99.5,0\n\
         x,S,1004,1005,false,bid,99.75,3\n\
         x,S,1006,1007,false,ask,100.25,0.5\n\
         x,S,1008,1009,true,bid,99,1\n"
    );
    let trades = format!(
        "{TRADES_HEADER}\
         x,S,1002,1003,t1,buy,100.25,1\n\
         x,S,1005,1007,t2,unknown,100.25,1\n\
         x,S,1006,1007,t3,sell,99.75,0.125\n"
    );
    let c = from_tardis(Some(book.as_bytes()), Some(trades.as_bytes())).unwrap();
    assert_eq!((c.meta.price_decimals, c.meta.qty_decimals), (2, 3));
    assert_eq!(c.trades, 2);
    assert_eq!(c.trades_dropped, 1);
    assert_eq!(c.lines, 10);
    let e = &c.events;
    let rows: Vec<(i64, u8, u8, i64, i64, u8)> = (0..e.len())
        .map(|i| {
            (
                e.ts_recv[i] / 1000,
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
            (1001, KIND_SNAPSHOT, 0, 9950, 2000, 0),
            (1001, KIND_SNAPSHOT, 1, 10025, 1500, FLAG_LAST), // the zero-amount snapshot row is dropped
            (1003, KIND_TRADE, AGGRESSOR_BUY, 10025, 1000, FLAG_LAST),
            (1005, KIND_DELTA, 0, 9950, 0, 0),
            (1005, KIND_DELTA, 0, 9975, 3000, FLAG_LAST),
            (1007, KIND_DELTA, 1, 10025, 500, FLAG_LAST), // a book group before a trade at the same time
            (1007, KIND_TRADE, AGGRESSOR_SELL, 9975, 125, FLAG_LAST),
            (1009, KIND_SNAPSHOT, 0, 9900, 1000, FLAG_LAST),
        ]
    );
    assert_eq!(e.ts_event[0], 1_000_000);
}

#[test]
fn an_all_zero_snapshot_is_a_clear() {
    let book = format!("{BOOK_HEADER}x,S,1,2,true,bid,1,0\n");
    let c = from_tardis(Some(book.as_bytes()), None).unwrap();
    assert_eq!(c.events.kind, vec![KIND_CLEAR]);
}

fn err(book: &str) -> String {
    from_tardis(Some(book.as_bytes()), None).unwrap_err().to_string()
}

#[test]
fn bad_rows_fail_with_line_field_and_value() {
    let ok = "x,S,1,2,true,bid,1,1\n";
    assert_eq!(
        err(&format!("{BOOK_HEADER}{ok}x,S,1,2,false,bid,abc,1\n")),
        "line 3: field price is \"abc\": \"abc\" is not a decimal number"
    );
    assert_eq!(
        err(&format!("{BOOK_HEADER}{ok}x,S,1,2,false,buy,1,1\n")),
        "line 3: field side is \"buy\": expected bid or ask"
    );
    assert_eq!(
        err(&format!("{BOOK_HEADER}{ok}x,S,1,2,false,bid,1\n")),
        "line 3: field row is \"x,S,1,2,false,bid,1\": has 7 cells, expected 8"
    );
    assert_eq!(
        err(&format!("{BOOK_HEADER}{ok}x,S,1,1,false,bid,1,1\n")),
        "line 3: field local_timestamp is \"1\": goes backwards (rows must be in local_timestamp order)"
    );
    assert_eq!(
        err(&format!("{BOOK_HEADER}{ok}x,T,1,2,false,bid,1,1\n")),
        "line 3: field symbol is \"T\": differs from \"S\" (one instrument per dataset)"
    );
    assert_eq!(
        err(&format!("{BOOK_HEADER}{ok}x,S,1,-2,false,bid,1,1\n")),
        "line 3: field local_timestamp is \"-2\": expected non-negative integer microseconds"
    );
    assert!(err("a,b\n").starts_with("line 1: field header is \"a,b\": expected exchange,symbol,"));
    // A negative amount.
    let crossed = format!("{BOOK_HEADER}x,S,1,2,true,bid,1,1\nx,S,1,3,false,bid,1,-1\n");
    assert!(err(&crossed).contains("line 3: field amount is \"-1\""));
    let e = from_tardis(None, None).unwrap_err();
    assert!(matches!(e, ImportError::Empty(_)));
}

#[test]
fn a_truncated_gzip_fails_at_its_line() {
    let mut csv = String::from(BOOK_HEADER);
    for i in 0..5000 {
        csv.push_str(&format!("x,S,{i},{i},false,bid,{}.5,{}\n", 100 + i % 7, i % 3));
    }
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(csv.as_bytes()).unwrap();
    let gz = gz.finish().unwrap();
    assert_eq!(from_tardis(Some(&gz), None).unwrap().events.len(), 5000);
    let e = from_tardis(Some(&gz[..gz.len() * 2 / 3]), None)
        .unwrap_err()
        .to_string();
    assert!(
        e.starts_with("line ") && e.contains("gzip stream is truncated"),
        "{e}"
    );
}
