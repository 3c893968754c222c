//! Backtest engine scenarios on tiny hand-written event sets, configuration errors, determinism and seeking.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use ferrodesk_engine::backtest::{Backtest, Command, Config, ExecKind, StepResult, StrategyConfig};
use ferrodesk_engine::book::Side;
use ferrodesk_engine::dataset::{
    Events, AGGRESSOR_BUY, AGGRESSOR_SELL, FLAG_LAST, KIND_DELTA, KIND_SNAPSHOT, KIND_TRADE,
};
use ferrodesk_engine::synth::synth_events;

fn snap(ev: &mut Events, ts: i64, bids: &[(i64, i64)], asks: &[(i64, i64)]) {
    let n = bids.len() + asks.len();
    for (k, &(p, q)) in bids.iter().chain(asks).enumerate() {
        let side = u8::from(k >= bids.len());
        ev.push(ts, ts, KIND_SNAPSHOT, side, p, q, u8::from(k + 1 == n));
    }
}

fn delta(ev: &mut Events, ts: i64, rows: &[(u8, i64, i64)]) {
    for (k, &(s, p, q)) in rows.iter().enumerate() {
        ev.push(ts, ts, KIND_DELTA, s, p, q, u8::from(k + 1 == rows.len()));
    }
}

fn trade(ev: &mut Events, ts: i64, aggressor: u8, p: i64, q: i64) {
    ev.push(ts, ts, KIND_TRADE, aggressor, p, q, FLAG_LAST);
}

fn external(extra: &str) -> Backtest {
    let json =
        format!(r#"{{"strategy": {{"kind": "external"}}, "priceDecimals": 2, "qtyDecimals": 3{extra}}}"#);
    Backtest::new(Config::from_json(&json).unwrap())
}

fn loaded(mut bt: Backtest, ev: &Events) -> Backtest {
    bt.load(ev.as_slice()).unwrap();
    bt.finish_loading().unwrap();
    bt
}

fn limit(side: Side, price: i64, qty: i64, post_only: bool, ioc: bool) -> Command {
    Command::Limit {
        side,
        price,
        qty,
        post_only,
        ioc,
    }
}

fn kinds(bt: &Backtest) -> Vec<ExecKind> {
    bt.orders_log().iter().map(|e| e.exec.kind).collect()
}

fn ahead(bt: &Backtest) -> f64 {
    bt.open_orders()[0].qty_ahead
}

#[test]
fn queue_position_falls_with_trades_and_cancels() {
    let mut ev = Events::default();
    snap(&mut ev, 1, &[(100, 10)], &[(101, 10)]); // rows 0-1
    trade(&mut ev, 2, AGGRESSOR_SELL, 100, 4); // row 2
    delta(&mut ev, 3, &[(0, 100, 6)]); // row 3: the trade's own decrease
    delta(&mut ev, 4, &[(0, 100, 2)]); // row 4: 4 lots cancelled
    trade(&mut ev, 5, AGGRESSOR_SELL, 100, 4); // row 5: 2 ahead, 2 fill us
    let mut bt = loaded(external(""), &ev);
    bt.run_to(2).unwrap();
    let id = bt.submit(limit(Side::Bid, 100, 3, true, false)).unwrap();
    bt.run_to(3).unwrap();
    assert_eq!(bt.open_orders().len(), 1);
    assert_eq!(ahead(&bt), 6.0, "the trade takes 4 off the 10 ahead");
    bt.run_to(4).unwrap();
    assert_eq!(
        ahead(&bt),
        6.0,
        "a decrease explained by the trade is not counted twice"
    );
    bt.run_to(5).unwrap();
    assert_eq!(ahead(&bt), 2.0, "the level fell below the queue ahead");
    bt.run_to_end();
    let f = bt.fills();
    assert_eq!(f.len(), 1);
    assert_eq!(
        (f[0].order_id, f[0].qty, f[0].price, f[0].maker),
        (id, 2, 100, true)
    );
    assert_eq!(bt.open_orders()[0].leaves, 1);
    assert_eq!(ahead(&bt), 0.0);
}

#[test]
fn queue_model_keeps_place_probabilistic_model_moves_forward() {
    let mut ev = Events::default();
    snap(&mut ev, 1, &[(100, 10)], &[(101, 10)]);
    delta(&mut ev, 2, &[(0, 100, 20)]); // 10 join behind us
    delta(&mut ev, 3, &[(0, 100, 10)]); // 10 cancelled somewhere
    for (model, want) in [
        (r#", "fillModel": {"kind": "queue"}"#, 10.0),
        // power 2, front 10, back 10: half the cancels come from the front.
        (r#", "fillModel": {"kind": "probabilistic", "power": 2}"#, 5.0),
    ] {
        let mut bt = loaded(external(model), &ev);
        bt.run_to(2).unwrap();
        bt.submit(limit(Side::Bid, 100, 1, true, false)).unwrap();
        bt.run_to(3).unwrap();
        assert_eq!(ahead(&bt), 10.0);
        bt.run_to_end();
        assert_eq!(ahead(&bt), want, "{model}");
    }
}

#[test]
fn trade_through_and_crossing_best_fill_resting_orders_fully() {
    let mut ev = Events::default();
    snap(&mut ev, 1, &[(100, 10), (99, 5)], &[(101, 10)]); // rows 0-2
    trade(&mut ev, 2, AGGRESSOR_SELL, 99, 1); // row 3: through a bid at 100
    delta(&mut ev, 3, &[(0, 100, 0), (1, 101, 0), (1, 100, 3)]); // rows 4-6: the ask comes down to 100
    let mut bt = loaded(external(""), &ev);
    bt.run_to(3).unwrap();
    bt.submit(limit(Side::Bid, 100, 2, true, false)).unwrap();
    bt.run_to(4).unwrap();
    assert_eq!(
        bt.fills().len(),
        1,
        "a trade through the price fills the whole order"
    );
    assert_eq!(
        (bt.fills()[0].qty, bt.fills()[0].price, bt.fills()[0].maker),
        (2, 100, true)
    );
    bt.submit(limit(Side::Bid, 100, 2, true, false)).unwrap();
    bt.run_to_end();
    assert_eq!(
        bt.fills().len(),
        2,
        "the opposite best reaching the price fills the order"
    );
    assert_eq!(
        (bt.fills()[1].qty, bt.fills()[1].price, bt.fills()[1].maker),
        (2, 100, true)
    );
    assert!(bt.open_orders().is_empty());
}

#[test]
fn post_only_rejects_when_crossing_and_ioc_cancels_the_rest() {
    let mut ev = Events::default();
    snap(&mut ev, 1, &[(100, 10)], &[(101, 10), (102, 5)]);
    delta(&mut ev, 2, &[(0, 99, 1)]);
    let mut bt = loaded(external(""), &ev);
    bt.run_to(3).unwrap();
    let po = bt.submit(limit(Side::Bid, 101, 1, true, false)).unwrap();
    let ioc = bt.submit(limit(Side::Bid, 101, 15, false, true)).unwrap();
    bt.run_to_end();
    let log = bt.orders_log();
    assert_eq!(log[0].exec.id, po);
    assert_eq!(log[0].exec.kind, ExecKind::Rejected);
    assert_eq!(
        &kinds(&bt)[1..],
        &[ExecKind::Accepted, ExecKind::Fill, ExecKind::Canceled]
    );
    assert_eq!(log[2].exec.id, ioc);
    assert_eq!(
        (log[2].exec.price, log[2].exec.qty, log[2].exec.leaves),
        (101, 10, 5)
    );
    assert!(bt.open_orders().is_empty());
    assert_eq!(bt.summary().orders, 2);
    assert_eq!(bt.summary().fill_ratio, 10.0 / 16.0);
}

#[test]
fn market_orders_walk_visible_levels_and_remember_what_they_took() {
    let mut ev = Events::default();
    snap(&mut ev, 1, &[(100, 10)], &[(101, 10), (102, 3)]); // rows 0-2
    delta(&mut ev, 2, &[(0, 99, 1)]); // row 3: another level; 101 unchanged
    delta(&mut ev, 3, &[(1, 101, 8)]); // row 4: the data changes 101
    let mut bt = loaded(external(""), &ev);
    bt.run_to(3).unwrap();
    bt.submit(Command::Market {
        side: Side::Bid,
        qty: 15,
    })
    .unwrap();
    bt.run_to(4).unwrap();
    let f: Vec<_> = bt.fills().iter().map(|f| (f.price, f.qty, f.maker)).collect();
    assert_eq!(f, [(101, 10, false), (102, 3, false)], "never more than visible");
    assert_eq!(*kinds(&bt).last().unwrap(), ExecKind::Canceled);
    assert_eq!(
        bt.book().best_ask().unwrap().qty,
        10,
        "the data book is not mutated"
    );
    bt.submit(Command::Market {
        side: Side::Bid,
        qty: 5,
    })
    .unwrap();
    bt.run_to(4).unwrap();
    assert_eq!(
        bt.fills().len(),
        2,
        "the levels were consumed until the data changes them"
    );
    bt.run_to_end();
    bt.submit(Command::Market {
        side: Side::Bid,
        qty: 5,
    })
    .unwrap();
    // Arrives at ts 3 after the last group: give it a later event to run against.
    let mut more = Events::default();
    delta(&mut more, 4, &[(0, 98, 1)]);
    bt.load(more.as_slice()).unwrap();
    bt.run_to_end();
    assert_eq!(bt.fills().len(), 3);
    assert_eq!((bt.fills()[2].price, bt.fills()[2].qty), (101, 5));
    assert_eq!(bt.summary().position, 18);
}

#[test]
fn fees_have_the_right_sign_and_pnl_adds_up_by_hand() {
    let mut ev = Events::default();
    snap(&mut ev, 1, &[(9990, 10)], &[(10000, 10)]); // rows 0-1: 99.90 / 100.00
    delta(&mut ev, 2, &[(0, 10100, 5), (1, 10000, 0), (1, 10110, 5)]); // rows 2-4: 101.00 / 101.10
    delta(&mut ev, 3, &[(0, 10095, 1)]); // row 5
    trade(&mut ev, 4, AGGRESSOR_BUY, 10110, 10); // row 6: through an offer at 101.05
    let mut bt = loaded(external(r#", "fees": {"makerBps": -1, "takerBps": 5}"#), &ev);
    bt.run_to(2).unwrap();
    bt.submit(Command::Market {
        side: Side::Bid,
        qty: 2,
    })
    .unwrap();
    bt.run_to(5).unwrap();
    let unit = 1e-5; // 10^-2 × 10^-3
    let s = bt.summary();
    assert_eq!(s.position, 2);
    assert!(
        (s.unrealised - (10105.0 - 10000.0) * 2.0 * unit).abs() < 1e-15,
        "{s:?}"
    );
    bt.submit(Command::Market {
        side: Side::Ask,
        qty: 1,
    })
    .unwrap();
    bt.run_to(6).unwrap();
    bt.submit(limit(Side::Ask, 10105, 1, true, false)).unwrap();
    bt.run_to_end();
    let f: Vec<_> = bt.fills().iter().map(|f| (f.price, f.qty, f.maker)).collect();
    assert_eq!(f, [(10000, 2, false), (10100, 1, false), (10105, 1, true)]);
    let fees = [
        10000.0 * 2.0 * unit * 5e-4,
        10100.0 * unit * 5e-4,
        -10105.0 * unit * 1e-4,
    ];
    for (fill, want) in bt.fills().iter().zip(fees) {
        assert!((fill.fee - want).abs() < 1e-18, "{fill:?} fee, want {want}");
    }
    assert!(
        bt.fills()[0].fee > 0.0 && bt.fills()[2].fee < 0.0,
        "taker pays, negative maker fee is a rebate"
    );
    let s = bt.summary();
    assert_eq!((s.position, s.volume, s.fills, s.orders), (0, 4, 3, 3));
    let realised = (100.0 + 105.0) * unit;
    assert!((s.realised - realised).abs() < 1e-15, "{s:?}");
    assert_eq!(s.unrealised, 0.0);
    assert!((s.fees - fees.iter().sum::<f64>()).abs() < 1e-18);
    assert!((s.pnl - (realised - fees.iter().sum::<f64>())).abs() < 1e-15);
    assert!((s.turnover - (20000.0 + 10100.0 + 10105.0) * unit).abs() < 1e-12);
    assert!((s.return_ - s.pnl / s.turnover).abs() < 1e-15);
    let last = bt.equity().last().unwrap();
    assert!((last.equity - s.pnl).abs() < 1e-15);
}

#[test]
fn latency_delays_data_to_the_strategy_and_orders_to_the_exchange() {
    let mut ev = Events::default();
    snap(&mut ev, 100, &[(100, 10)], &[(101, 10), (102, 10)]); // rows 0-2
    delta(&mut ev, 110, &[(1, 101, 0)]); // row 3
    delta(&mut ev, 200, &[(0, 99, 1)]); // row 4
    let lat =
        r#", "feedLatency": {"kind": "constant", "ns": 5}, "orderLatency": {"kind": "constant", "ns": 10}"#;
    let mut bt = loaded(external(lat), &ev);
    assert_eq!(bt.step(1000), StepResult::Book);
    assert_eq!(bt.now(), 105, "data reaches the strategy after the feed latency");
    assert_eq!(bt.strategy_book().best_ask().unwrap().price, 101);
    bt.submit(Command::Market {
        side: Side::Bid,
        qty: 1,
    })
    .unwrap();
    assert_eq!(bt.step(1000), StepResult::Book);
    assert_eq!(bt.now(), 115);
    assert!(bt.fills().is_empty(), "the order is still travelling");
    assert_eq!(bt.step(1000), StepResult::Fill);
    assert_eq!(bt.now(), 125, "the report comes back after the order latency");
    let f = bt.fills()[0];
    assert_eq!(
        (f.ts_recv, f.price),
        (115, 102),
        "the exchange saw the 110 ns update before the order"
    );
    assert_eq!(bt.last_fill().unwrap().exec.price, 102);
    assert_eq!(bt.strategy_position(), 1);
    assert_eq!(bt.step(1000), StepResult::End);
    assert_eq!(bt.cursor(), 5);
}

fn mm_config(extra: &str) -> Config {
    Config::from_json(&format!(
        r#"{{"strategy": {{"kind": "mm", "params": {{"spreadTicks": 2, "skewTicksPerLot": 0.01, "orderQtyLots": 50,
            "maxPositionLots": 500, "requoteTicks": 1}}}},
          "feedLatency": {{"kind": "uniform", "minNs": 100000, "maxNs": 3000000}},
          "orderLatency": {{"kind": "lognormal", "medianNs": 1000000, "sigma": 0.5}},
          "fees": {{"makerBps": -0.5, "takerBps": 4}}, "fillModel": {{"kind": "probabilistic", "power": 2}},
          "seed": 11, "checkpointEvery": 997, "equityIntervalNs": 100000000,
          "priceDecimals": 2, "qtyDecimals": 3{extra}}}"#
    ))
    .unwrap()
}

fn run(cfg: &Config, ev: &Events, to: Option<usize>) -> Backtest {
    let mut bt = Backtest::new(cfg.clone());
    bt.load(ev.as_slice()).unwrap();
    match to {
        Some(i) => bt.run_to(i).unwrap(),
        None => bt.run_to_end(),
    }
    bt
}

fn same(a: &Backtest, b: &Backtest) {
    assert_eq!(a.cursor(), b.cursor());
    assert_eq!(a.fills(), b.fills());
    assert_eq!(a.equity(), b.equity());
    assert_eq!(a.orders_log(), b.orders_log());
    assert_eq!(a.open_orders(), b.open_orders());
    assert_eq!(a.summary(), b.summary());
    assert_eq!(a.summary_json(), b.summary_json());
}

#[test]
fn market_maker_is_deterministic_and_respects_its_cap() {
    let ev = synth_events(3, 30_000);
    let cfg = mm_config("");
    let a = run(&cfg, &ev, None);
    let b = run(&cfg, &ev, None);
    same(&a, &b);
    let s = a.summary();
    eprintln!("{}", a.summary_json());
    assert_eq!(s.events as usize, ev.len());
    assert_eq!(s.rejected_groups, 0);
    assert!(s.fills > 10 && s.orders > s.fills / 2, "{s:?}");
    assert!(s.inventory_max_abs <= 550, "{s:?}");
    assert!(s.fill_ratio > 0.0 && s.fill_ratio <= 1.0);
    let mut other = cfg.clone();
    other.seed = 12;
    assert_ne!(
        run(&other, &ev, None).fills(),
        a.fills(),
        "the seed drives the latency draws"
    );
}

#[test]
fn seeking_back_equals_a_straight_run() {
    let ev = synth_events(5, 20_000);
    for cfg in [mm_config(""), {
        let mut c = mm_config("");
        c.strategy = StrategyConfig::Imbalance(Default::default());
        c.feed_latency = ferrodesk_engine::backtest::LatencyConfig::Constant { ns: 0 };
        c
    }] {
        let mut seeker = run(&cfg, &ev, None);
        for &k in &[15_000, 997, 12_345, 0, 1, 19_000, 5_000] {
            seeker.run_to(k).unwrap();
            let straight = run(&cfg, &ev, Some(k));
            same(&seeker, &straight);
        }
        seeker.run_to_end();
        same(&seeker, &run(&cfg, &ev, None));
    }
}

#[test]
fn imbalance_taker_trades_within_its_cap() {
    let ev = synth_events(9, 20_000);
    let mut cfg = mm_config("");
    cfg.strategy = StrategyConfig::Imbalance(ferrodesk_engine::backtest::ImbalanceParams {
        levels: 3,
        threshold: 0.3,
        order_qty_lots: 10,
        max_position_lots: 30,
        cooldown_ns: 50_000_000,
    });
    let bt = run(&cfg, &ev, None);
    let s = bt.summary();
    assert!(s.fills > 0, "{s:?}");
    assert!(s.inventory_max_abs <= 30 && s.position.abs() <= 30, "{s:?}");
    assert!(bt.fills().iter().all(|f| !f.maker));
    assert!(bt.fills().windows(2).all(|w| w[0].ts_recv <= w[1].ts_recv));
}

#[test]
fn bad_config_errors_name_the_path() {
    let cases = [
        (r#"{"qtyDecimals": 3}"#, "priceDecimals"),
        (
            r#"{"priceDecimals": 2, "qtyDecimals": 3, "strategy": {"kind": "mm", "params": {"spreadTicks": 0}}}"#,
            "strategy.params.spreadTicks",
        ),
        (
            r#"{"priceDecimals": 2, "qtyDecimals": 3, "strategy": {"kind": "imbalance", "params": {"threshold": 1}}}"#,
            "strategy.params.threshold",
        ),
        (
            r#"{"priceDecimals": 2, "qtyDecimals": 3, "feedLatency": {"kind": "gamma"}}"#,
            "feedLatency.kind",
        ),
        (
            r#"{"priceDecimals": 2, "qtyDecimals": 3, "orderLatency": {"kind": "uniform", "minNs": 5, "maxNs": 4}}"#,
            "orderLatency.maxNs",
        ),
        (
            r#"{"priceDecimals": 2, "qtyDecimals": 3, "fees": {"makerbps": 1}}"#,
            "fees.makerbps",
        ),
        (
            r#"{"priceDecimals": 2, "qtyDecimals": 3, "fillModel": {"kind": "probabilistic", "power": -1}}"#,
            "fillModel.power",
        ),
        (r#"{"priceDecimals": 2, "qtyDecimals": 3, "seed": 1.5}"#, "seed"),
        (r#"{"priceDecimals": 19, "qtyDecimals": 3}"#, "priceDecimals"),
        (
            r#"{"priceDecimals": 2, "qtyDecimals": 3, "checkpointEvery": 0}"#,
            "checkpointEvery",
        ),
        (r#"[1]"#, "(root)"),
    ];
    for (json, path) in cases {
        let e = Config::from_json(json).unwrap_err();
        assert_eq!(e.path, path, "{json}: {e}");
        assert!(
            e.to_string().starts_with(&format!("config field {path} is ")),
            "{e}"
        );
    }
    let e = Config::from_json(r#"{"priceDecimals": 2, "qtyDecimals": 3, "strategy": {"kind": "mm", "params": {"spreadTicks": "2"}}}"#)
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        r#"config field strategy.params.spreadTicks is "2": expected a whole number in 1..=1000000"#
    );
    let c = Config::from_json(r#"{"priceDecimals": 2, "qtyDecimals": 5}"#).unwrap();
    assert_eq!(
        c,
        Config::with_decimals(2, 5),
        "every other field has its documented default"
    );
}

#[test]
fn refused_batches_are_counted_and_skipped() {
    let mut ev = Events::default();
    snap(&mut ev, 1, &[(100, 10)], &[(101, 10)]);
    delta(&mut ev, 2, &[(0, 102, 1)]); // would cross
    delta(&mut ev, 3, &[(0, 100, 4)]);
    let mut bt = loaded(external(""), &ev);
    bt.run_to_end();
    assert_eq!(bt.summary().rejected_groups, 1);
    assert_eq!(bt.book().best_bid().unwrap().qty, 4);
    let mut open = Events::default();
    open.push(4, 4, KIND_DELTA, 0, 100, 1, 0);
    bt.load(open.as_slice()).unwrap();
    assert!(
        bt.finish_loading().is_err(),
        "a dataset ending inside a group is refused"
    );
    assert!(bt.run_to(100).is_err());
}

#[test]
fn modify_keeps_priority_only_for_a_smaller_size_at_the_same_price() {
    let mut ev = Events::default();
    snap(&mut ev, 1, &[(100, 10), (99, 5)], &[(101, 10)]); // rows 0-2
    trade(&mut ev, 2, AGGRESSOR_SELL, 100, 4); // row 3: 6 left ahead of us
    delta(&mut ev, 3, &[(0, 98, 1)]); // row 4
    delta(&mut ev, 4, &[(0, 97, 1)]); // row 5
    delta(&mut ev, 5, &[(0, 96, 1)]); // row 6
    let mut bt = loaded(external(""), &ev);
    bt.run_to(3).unwrap();
    let id = bt.submit(limit(Side::Bid, 100, 5, true, false)).unwrap();
    bt.run_to(4).unwrap();
    assert_eq!(ahead(&bt), 6.0);
    bt.submit(Command::Modify {
        id,
        price: 100,
        qty: 3,
    })
    .unwrap();
    bt.run_to(5).unwrap();
    assert_eq!(
        (ahead(&bt), bt.open_orders()[0].leaves),
        (6.0, 3),
        "a size decrease keeps the place"
    );
    bt.submit(Command::Modify {
        id,
        price: 100,
        qty: 4,
    })
    .unwrap();
    bt.run_to(6).unwrap();
    assert_eq!(
        (ahead(&bt), bt.open_orders()[0].leaves),
        (10.0, 4),
        "a size increase goes to the back"
    );
    bt.submit(Command::Modify {
        id,
        price: 99,
        qty: 4,
    })
    .unwrap();
    bt.run_to_end();
    let o = bt.open_orders()[0];
    assert_eq!(
        (o.id, o.price, o.qty_ahead),
        (id, 99, 5.0),
        "a new price goes to the back of that level"
    );
    assert_eq!(bt.strategy_orders().len(), 1);
    assert_eq!(bt.strategy_orders()[0].price, 99);
    let bogus = bt.submit(Command::Cancel { id: 999 }).unwrap();
    let mut more = Events::default();
    delta(&mut more, 6, &[(0, 95, 1)]);
    bt.load(more.as_slice()).unwrap();
    bt.run_to_end();
    let last = bt.orders_log().last().unwrap().exec;
    assert_eq!(
        (last.id, last.kind),
        (bogus, ExecKind::Rejected),
        "cancel of an unknown id is rejected"
    );
}

#[test]
fn external_step_reports_trades_timers_and_the_end() {
    let mut ev = Events::default();
    snap(&mut ev, 10, &[(100, 10)], &[(101, 10)]);
    trade(&mut ev, 20, AGGRESSOR_BUY, 101, 1);
    delta(&mut ev, 40, &[(1, 101, 9)]);
    let mut bt = loaded(external(""), &ev);
    assert_eq!(bt.step(100), StepResult::Book);
    bt.set_timer(30).unwrap();
    assert_eq!(bt.step(100), StepResult::Trade);
    assert_eq!(bt.last_trade().unwrap().price, 101);
    assert_eq!(bt.step(100), StepResult::Timer);
    assert_eq!(bt.now(), 30);
    assert_eq!(bt.step(100), StepResult::Book);
    assert_eq!(bt.step(100), StepResult::End);
    let mut bt = loaded(external(""), &ev);
    assert_eq!(
        bt.step(1),
        StepResult::Book,
        "a callback point comes before the row budget"
    );
    assert!(bt
        .submit(Command::Market {
            side: Side::Bid,
            qty: 0
        })
        .is_err());
    assert!(bt.submit(limit(Side::Bid, 0, 1, false, false)).is_err());
    let mut mm = Backtest::new(Config::with_decimals(2, 3));
    mm.load(ev.as_slice()).unwrap();
    assert!(
        mm.submit(Command::Cancel { id: 1 }).is_err(),
        "submit needs an external strategy"
    );
}

#[test]
fn a_post_only_modify_that_would_cross_is_rejected() {
    let mut ev = Events::default();
    snap(&mut ev, 1, &[(100, 10)], &[(101, 10)]);
    delta(&mut ev, 2, &[(0, 99, 1)]);
    delta(&mut ev, 3, &[(0, 98, 1)]);
    let mut bt = loaded(external(""), &ev);
    bt.run_to(2).unwrap();
    let id = bt.submit(limit(Side::Bid, 100, 2, true, false)).unwrap();
    bt.run_to(3).unwrap();
    bt.submit(Command::Modify {
        id,
        price: 101,
        qty: 2,
    })
    .unwrap();
    bt.run_to_end();
    assert!(bt.open_orders().is_empty());
    assert!(bt.fills().is_empty());
    assert_eq!(kinds(&bt), [ExecKind::Accepted, ExecKind::Rejected]);
    assert!(bt.strategy_orders().is_empty());
}
