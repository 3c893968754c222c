//! Replays the hftbacktest Binance recordings (MANIFEST.md, orderbook/binance) and checks every applied diff
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! against the bookTicker stream: the rebuilt best bid/ask (price and quantity) equals the ticker with the
//! largest update id `<= u`.

use std::path::PathBuf;

use ferrodesk_engine::venues::{Replay, Venue};

fn data(name: &str) -> Option<Vec<u8>> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data/orderbook/binance")
        .join(name);
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

fn replay(venue: Venue, name: &str) -> Option<Replay> {
    let bytes = data(name)?;
    Some(Replay::run(venue, &bytes, 20).expect("a gzip recording is always readable"))
}

#[test]
fn spot_btcusdt_replays_without_gaps_and_matches_every_ticker() {
    let Some(r) = replay(Venue::BinanceSpot, "spot_btcusdt_20240808.gz") else {
        return;
    };
    assert_eq!(r.file_rejected, 0, "{:?}", r.file_rejections);
    assert_eq!(r.instruments.len(), 1);
    let inst = &r.instruments["BTCUSDT"];
    let s = inst.stats;
    eprintln!(
        "{s:?} mismatches {:?} rejections {:?}",
        inst.mismatches, inst.rejections
    );
    assert_eq!(s.snapshots_applied, 1);
    assert_eq!(s.gaps, 0);
    assert_eq!(s.rejected, 0);
    assert_eq!(s.crossed, 0);
    // A legacy 6-decimal quantity at 200000 (line 1886) refines the 0.00001 lot inferred from the snapshot.
    assert_eq!(s.lot_refinements, 1);
    assert_eq!(
        inst.grid.map(|g| (g.price_decimals, g.qty_decimals)),
        Some((2, 6))
    );
    assert_eq!(s.ticker, 3_449);
    assert_eq!(s.ticker_mismatches, 0);
}

#[test]
fn usdm_btcusdt_replays_without_gaps_and_matches_every_ticker() {
    let Some(r) = replay(Venue::BinanceFutures, "usdm_btcusdt_20240808.gz") else {
        return;
    };
    assert_eq!(r.file_rejected, 0, "{:?}", r.file_rejections);
    assert_eq!(r.instruments.len(), 1);
    let inst = &r.instruments["BTCUSDT"];
    let s = inst.stats;
    eprintln!(
        "{s:?} mismatches {:?} rejections {:?}",
        inst.mismatches, inst.rejections
    );
    assert_eq!(s.snapshots_applied, 1);
    assert_eq!(s.gaps, 0);
    assert_eq!(s.rejected, 0);
    assert_eq!(s.crossed, 0);
    assert_eq!(s.lot_refinements, 0);
    assert_eq!(
        inst.grid.map(|g| (g.price_decimals, g.qty_decimals)),
        Some((1, 3))
    );
    assert_eq!(s.ticker, 6_547);
    assert_eq!(s.ticker_mismatches, 0);
}
