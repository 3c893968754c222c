//! Backtests on the Binance BTCUSDT spot recording (MANIFEST.md, orderbook/binance), converted to replay event
//! columns by a minimal converter below (snapshot, then the depth diffs after its `lastUpdateId`, and trades).
//! Skips with a message when the shared data set is absent.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::Read;
use std::path::PathBuf;

use ferrodesk_engine::backtest::{Backtest, Config};
use ferrodesk_engine::dataset::{
    Events, AGGRESSOR_BUY, AGGRESSOR_SELL, FLAG_LAST, KIND_DELTA, KIND_SNAPSHOT, KIND_TRADE,
};
use serde_json::Value;

const PRICE_DECIMALS: u32 = 2;
const QTY_DECIMALS: u32 = 6;

fn data(name: &str) -> Option<Vec<u8>> {
    // ../shared/data beside the repository; FERRODESK_SHARED_DATA overrides it (e.g. from a git worktree).
    let root = std::env::var_os("FERRODESK_SHARED_DATA").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data"),
        PathBuf::from,
    );
    let p = root.join("orderbook/binance").join(name);
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

/// Decimal text → integer units of 10^-decimals (digits beyond are dropped; the recording has none).
fn fixed(s: &str, decimals: u32) -> i64 {
    let (int, frac) = s.split_once('.').unwrap_or((s, ""));
    let mut v: i64 = int.parse().unwrap();
    let digits: Vec<u8> = frac.bytes().collect();
    for k in 0..decimals as usize {
        v = v * 10 + i64::from(digits.get(k).map_or(0, |d| d - b'0'));
    }
    v
}

fn levels(ev: &mut Events, ts: i64, kind: u8, side: u8, rows: &Value, skip_zero: bool) {
    for r in rows.as_array().unwrap() {
        let p = fixed(r[0].as_str().unwrap(), PRICE_DECIMALS);
        let q = fixed(r[1].as_str().unwrap(), QTY_DECIMALS);
        if !(skip_zero && q == 0) {
            ev.push(ts, ts, kind, side, p, q, 0);
        }
    }
}

fn close_group(ev: &mut Events, start: usize) {
    if ev.len() > start {
        if let Some(f) = ev.flags.last_mut() {
            *f = FLAG_LAST;
        }
    }
}

/// One depth diff as a delta group, unless the book already has it.
fn diff(ev: &mut Events, ts: i64, d: &Value, last_id: &mut Option<u64>) {
    let u = d["u"].as_u64().unwrap();
    if last_id.is_some_and(|l| u <= l) {
        return;
    }
    let start = ev.len();
    levels(ev, ts, KIND_DELTA, 0, &d["b"], false);
    levels(ev, ts, KIND_DELTA, 1, &d["a"], false);
    close_group(ev, start);
    *last_id = Some(u);
}

/// The recording as event columns.
fn convert(bytes: &[u8]) -> Events {
    let mut text = String::new();
    flate2::read::GzDecoder::new(bytes)
        .read_to_string(&mut text)
        .unwrap();
    let mut ev = Events::default();
    let mut last_id: Option<u64> = None;
    let mut prev_ts = 0i64;
    // Diffs received before the snapshot, replayed after it (Binance's book-sync procedure).
    let mut early: Vec<(u64, Value)> = Vec::new();
    for line in text.lines() {
        let Some((ts, json)) = line.split_once(' ') else {
            continue;
        };
        let ts = ts.parse::<i64>().unwrap().max(prev_ts);
        prev_ts = ts;
        let v: Value = serde_json::from_str(json).unwrap();
        if let Some(id) = v.get("lastUpdateId").and_then(Value::as_u64) {
            if last_id.is_none() {
                let start = ev.len();
                levels(&mut ev, ts, KIND_SNAPSHOT, 0, &v["bids"], true);
                levels(&mut ev, ts, KIND_SNAPSHOT, 1, &v["asks"], true);
                close_group(&mut ev, start);
                last_id = Some(id);
                for (_, d) in std::mem::take(&mut early) {
                    diff(&mut ev, ts, &d, &mut last_id);
                }
            }
            continue;
        }
        let d = &v["data"];
        match d["e"].as_str() {
            Some("depthUpdate") if last_id.is_none() => early.push((0, d.clone())),
            Some("depthUpdate") => diff(&mut ev, ts, d, &mut last_id),
            Some("trade") if last_id.is_some() => {
                let p = fixed(d["p"].as_str().unwrap(), PRICE_DECIMALS);
                let q = fixed(d["q"].as_str().unwrap(), QTY_DECIMALS);
                // `m`: the buyer was the maker, so the seller was the aggressor.
                let aggr = if d["m"].as_bool().unwrap() {
                    AGGRESSOR_SELL
                } else {
                    AGGRESSOR_BUY
                };
                if q > 0 {
                    ev.push(ts, ts, KIND_TRADE, aggr, p, q, FLAG_LAST);
                }
            }
            _ => {}
        }
    }
    ev
}

fn config(strategy: &str) -> Config {
    Config::from_json(&format!(
        r#"{{"strategy": {strategy},
          "feedLatency": {{"kind": "lognormal", "medianNs": 5000000, "sigma": 0.3}},
          "orderLatency": {{"kind": "lognormal", "medianNs": 10000000, "sigma": 0.3}},
          "fees": {{"makerBps": 0, "takerBps": 7.5}}, "fillModel": {{"kind": "probabilistic", "power": 2}},
          "seed": 42, "checkpointEvery": 4096,
          "priceDecimals": {PRICE_DECIMALS}, "qtyDecimals": {QTY_DECIMALS}}}"#
    ))
    .unwrap()
}

#[test]
fn spot_btcusdt_market_maker_and_imbalance_runs() {
    let Some(bytes) = data("spot_btcusdt_20240808.gz") else {
        return;
    };
    let ev = convert(&bytes);
    assert!(ev.len() > 100_000, "{} rows", ev.len());
    let mm = config(
        r#"{"kind": "mm", "params": {"spreadTicks": 2, "skewTicksPerLot": 0.0001, "orderQtyLots": 1000,
            "maxPositionLots": 10000, "requoteTicks": 1}}"#,
    );
    let mut bt = Backtest::new(mm.clone());
    bt.load(ev.as_slice()).unwrap();
    bt.finish_loading().unwrap();
    let t0 = std::time::Instant::now();
    bt.run_to_end();
    let secs = t0.elapsed().as_secs_f64();
    let s = bt.summary();
    eprintln!(
        "mm: {} rows in {secs:.3} s ({:.1} M rows/s, debug build unless --release): {}",
        ev.len(),
        ev.len() as f64 / secs / 1e6,
        bt.summary_json()
    );
    assert_eq!(s.events as usize, ev.len());
    assert_eq!(
        s.rejected_groups, 0,
        "the recording replays without crossed batches"
    );
    assert!(s.fills > 0 && s.orders > 0, "{s:?}");
    assert!(s.inventory_max_abs <= 11_000, "{s:?}");
    assert!((s.pnl - (s.realised + s.unrealised - s.fees)).abs() < 1e-9);
    assert!(bt.fills().iter().all(|f| f.maker), "post-only quotes never take");

    // Seeking back to the middle equals a straight run there.
    let mid = ev.len() / 2;
    bt.run_to(mid).unwrap();
    let mut straight = Backtest::new(mm);
    straight.load(ev.as_slice()).unwrap();
    straight.run_to(mid).unwrap();
    assert_eq!(bt.fills(), straight.fills());
    assert_eq!(bt.equity(), straight.equity());
    assert_eq!(bt.summary(), straight.summary());

    let imb = config(
        r#"{"kind": "imbalance", "params": {"levels": 5, "threshold": 0.8, "orderQtyLots": 1000,
            "maxPositionLots": 5000, "cooldownNs": 5000000000}}"#,
    );
    let mut bt = Backtest::new(imb);
    bt.load(ev.as_slice()).unwrap();
    bt.run_to_end();
    let s = bt.summary();
    eprintln!("imbalance: {}", bt.summary_json());
    assert!(s.fills > 0, "{s:?}");
    assert!(s.inventory_max_abs <= 5_000);
    assert!(s.fees > 0.0, "takers pay the taker fee");
}
