#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! Chain importers: typed row errors, settlement times, venue conventions; never a panic.

use ferrodesk_engine::surface::import::deribit::parse_instrument_name;
use ferrodesk_engine::surface::import::yfinance::parse_osi_symbol;
use ferrodesk_engine::surface::time::TimeError;
use ferrodesk_engine::surface::{
    import_chain, ChainFormat, CivilDate, ColumnMapping, FieldProblem, ImportError, OptionKind,
    SettlementTime, UtcTimestamp,
};
use proptest::prelude::*;
use proptest::test_runner::FileFailurePersistence;
use serde_json::json;

const YF_HEADER: &str = concat!(
    "contractSymbol,lastTradeDate,strike,lastPrice,bid,ask,change,percentChange,volume,openInterest,",
    "impliedVolatility,inTheMoney,contractSize,currency,option_type,expiration"
);

fn yf_row(symbol: &str, strike: &str, bid: &str, ask: &str, kind: &str, expiration: &str) -> String {
    let traded = "2026-01-30 20:00:00+00:00";
    format!("{symbol},{traded},{strike},1.0,{bid},{ask},0,0,1,1,0.2,False,REGULAR,USD,{kind},{expiration}")
}

fn iso(s: &str) -> UtcTimestamp {
    UtcTimestamp::parse_iso8601(s).unwrap()
}

#[test]
fn surface_yfinance_keeps_good_rows_and_reports_each_bad_one() {
    let rows = [
        yf_row(
            "SPX260320P06900000",
            "6900.0",
            "123.9",
            "126.2",
            "put",
            "2026-03-20",
        ), // line 2: good, AM
        yf_row(
            "SPXW260320C07000000",
            "7000.0",
            "0.0",
            "0.15",
            "call",
            "2026-03-20",
        ), // 3: good, PM, no bid
        yf_row("SPXW260320C07005000", "abc", "1.0", "1.2", "call", "2026-03-20"), // 4: strike
        yf_row(
            "SPXW260320C07010000",
            "7010.0",
            "2.0",
            "1.5",
            "call",
            "2026-03-20",
        ), // 5: crossed
        yf_row(
            "SPXW260320C07015000",
            "7015.0",
            "1.0",
            "1.2",
            "straddle",
            "2026-03-20",
        ), // 6: type
        yf_row(
            "SPXW2603X0C07020000",
            "7020.0",
            "1.0",
            "1.2",
            "call",
            "2026-03-20",
        ), // 7: symbol
        yf_row(
            "SPXW260320C07025000",
            "7025.0",
            "1.0",
            "1.2",
            "call",
            "2026-03-27",
        ), // 8: expiry mismatch
        yf_row(
            "SPXW260320C07030000",
            "7030.0",
            "-1.0",
            "1.2",
            "call",
            "2026-03-20",
        ), // 9: negative
        "SPXW260320C07035000,too,few".to_string(),                                // 10: field count
        yf_row(
            "SPX261120P06000000",
            "6000.0",
            "10.0",
            "10.5",
            "put",
            "2026-11-20",
        ), // 11: good, after DST
    ];
    let text = format!("{YF_HEADER}\n{}\n", rows.join("\n"));
    let out = import_chain(&text, &ChainFormat::Yfinance).unwrap();
    assert_eq!(out.rows_read, 10);
    assert_eq!(out.chain.len(), 3);
    let errs: Vec<(usize, &str, &str)> = out
        .errors
        .iter()
        .map(|e| (e.row, e.column.as_str(), e.value.as_str()))
        .collect();
    assert_eq!(
        errs,
        vec![
            (4, "strike", "abc"),
            (5, "bid", "2.0"),
            (6, "option_type", "straddle"),
            (7, "contractSymbol", "SPXW2603X0C07020000"),
            (8, "expiration", "2026-03-27"),
            (9, "bid", "-1.0"),
            (10, "(record)", "SPXW260320C07035000,too,few"),
        ]
    );
    assert_eq!(out.errors[0].problem, FieldProblem::NotANumber);
    assert_eq!(
        out.errors[1].problem,
        FieldProblem::CrossedQuote { bid: 2.0, ask: 1.5 }
    );
    assert_eq!(out.errors[5].problem, FieldProblem::Negative);
    assert!(out.errors[0].to_string().contains("row 4") && out.errors[0].to_string().contains("\"abc\""));
    let q = out.chain.quotes();
    // SPX (AM, 09:30 EDT) and SPXW (PM, 16:00 EDT) on 2026-03-20; SPX after DST ends is 09:30 EST.
    assert_eq!(q[0].expiry, iso("2026-03-20T13:30:00Z"));
    assert_eq!(
        (q[0].strike, q[0].kind, q[0].bid, q[0].ask),
        (6900.0, OptionKind::Put, Some(123.9), Some(126.2))
    );
    assert_eq!(q[1].expiry, iso("2026-03-20T20:00:00Z"));
    assert_eq!((q[1].bid, q[1].ask, q[1].row), (None, Some(0.15), 3));
    assert_eq!(q[2].expiry, iso("2026-11-20T14:30:00Z"));
    assert_eq!(q[0].vendor_iv, Some(0.2));
    assert_eq!(out.chain.expiries().len(), 3);
}

#[test]
fn surface_yfinance_missing_column_is_fatal_and_named() {
    let err = import_chain("contractSymbol,strike,bid\nX,1,1", &ChainFormat::Yfinance).unwrap_err();
    assert!(matches!(err, ImportError::MissingColumn { ref column, .. } if column == "ask"));
    assert_eq!(
        import_chain("", &ChainFormat::Yfinance).unwrap_err(),
        ImportError::Empty
    );
}

#[test]
fn surface_osi_symbols_parse() {
    let s = parse_osi_symbol("SPXW260320P06900000").unwrap();
    assert_eq!(
        (s.root.as_str(), s.kind, s.strike),
        ("SPXW", OptionKind::Put, 6900.0)
    );
    assert_eq!(s.expiry, CivilDate::new(2026, 3, 20).unwrap());
    assert_eq!(parse_osi_symbol("AAPL  260116C00187500").unwrap().strike, 187.5);
    assert!(parse_osi_symbol("SPX261332C01000000").is_err());
    assert!(parse_osi_symbol("C01000000").is_err());
}

#[test]
fn surface_deribit_records_in_every_shape() {
    let record = |name: &str, bid: f64, ask: f64| {
        json!({
            "instrument_name": name, "best_bid_price": bid, "best_ask_price": ask,
            "underlying_price": 60000.0, "index_price": 59800.0, "mark_iv": 55.0,
        })
        .to_string()
    };
    let array = format!(
        "[{},{}]",
        record("BTC-27DEC24-60000-C", 0.05, 0.052),
        record("BTC-27DEC24-55000-P", 0.0, 0.02)
    );
    let out = import_chain(&array, &ChainFormat::Deribit).unwrap();
    assert!(out.errors.is_empty());
    let q = out.chain.quotes();
    assert_eq!(q[0].expiry, iso("2024-12-27T08:00:00Z"));
    assert!((q[0].bid.unwrap() - 3000.0).abs() < 1e-9 && (q[0].ask.unwrap() - 3120.0).abs() < 1e-9);
    assert_eq!(
        (q[1].bid, q[1].kind, q[1].underlying),
        (None, OptionKind::Put, Some(60000.0))
    );
    assert_eq!(q[0].vendor_iv, Some(0.55));
    let envelope = format!(
        r#"{{"jsonrpc":"2.0","id":1,"result":{}}}"#,
        record("ETH-3JAN25-3500-C", 0.01, 0.011)
    );
    let out = import_chain(&envelope, &ChainFormat::Deribit).unwrap();
    assert_eq!(out.chain.quotes()[0].expiry, iso("2025-01-03T08:00:00Z"));
    let lines = format!(
        "{}\nnot json\n{}\n{}\n",
        record("BTC-27DEC24-60000-C", 0.05, 0.052),
        json!({
            "jsonrpc": "2.0", "method": "subscription",
            "params": { "channel": "ticker", "data": {
                "instrument_name": "XRP_USDC-27DEC24-0d625-P",
                "best_bid_price": 0.01, "best_ask_price": 0.012,
            }},
        }),
        json!({
            "instrument_name": "BTC-27DEC24-70000-C", "best_bid_price": "oops", "best_ask_price": 0.01,
            "underlying_price": 60000,
        }),
    );
    let out = import_chain(&lines, &ChainFormat::Deribit).unwrap();
    assert_eq!((out.rows_read, out.chain.len()), (4, 2));
    let linear = &out.chain.quotes()[1];
    assert_eq!(
        (linear.strike, linear.bid, linear.underlying),
        (0.625, Some(0.01), None)
    );
    assert_eq!(
        (out.errors[0].row, out.errors[0].column.as_str()),
        (2, "(record)")
    );
    assert!(matches!(out.errors[0].problem, FieldProblem::InvalidJson { .. }));
    assert_eq!(out.errors[0].value, "not json");
    assert_eq!(
        (
            out.errors[1].row,
            out.errors[1].column.as_str(),
            out.errors[1].value.as_str()
        ),
        (4, "best_bid_price", "oops")
    );
    let no_underlying =
        r#"[{"instrument_name":"BTC-27DEC24-60000-C","best_bid_price":0.05,"best_ask_price":0.06}]"#;
    let out = import_chain(no_underlying, &ChainFormat::Deribit).unwrap();
    assert_eq!(
        (out.errors[0].column.as_str(), &out.errors[0].problem),
        ("underlying_price", &FieldProblem::Missing)
    );
    assert!(matches!(
        import_chain("{oops", &ChainFormat::Deribit),
        Err(ImportError::Json { .. })
    ));
    assert_eq!(
        import_chain(r#"{"a":1}"#, &ChainFormat::Deribit).unwrap_err(),
        ImportError::NoRecords
    );
}

#[test]
fn surface_deribit_instrument_names() {
    let i = parse_instrument_name("BTC-27DEC24-60000-C").unwrap();
    assert_eq!(
        (i.currency.as_str(), i.strike, i.kind, i.coin_margined),
        ("BTC", 60000.0, OptionKind::Call, true)
    );
    assert!(
        !parse_instrument_name("SOL_USDC-28MAR25-150-P")
            .unwrap()
            .coin_margined
    );
    for bad in [
        "BTC-27DEC24-60000",
        "BTC-32DEC24-60000-C",
        "BTC-27XXX24-60000-C",
        "BTC-27DEC24-abc-C",
        "BTC-PERPETUAL",
    ] {
        assert!(parse_instrument_name(bad).is_err(), "{bad}");
    }
}

#[test]
fn surface_generic_csv_through_a_mapping() {
    let mapping = ColumnMapping::from_json(
        &json!({
            "expiry": "Expiry", "strike": "K", "type": "CP", "bid": "Bid", "ask": "Ask", "underlying": "Fwd",
            "settlement": "am", "delimiter": ";",
        })
        .to_string(),
    )
    .unwrap();
    assert_eq!(mapping.settlement, SettlementTime::NewYorkOpen);
    let text = concat!(
        "Expiry;K;CP;Bid;Ask;Fwd\n",
        "2026-03-20;6900;P;123.9;126.2;6961\n",
        "2026-03-20T20:00:00Z;7000;C;10;11;\n",
        "20260320;x;C;1;2;6961\n",
        "2026-13-01;7000;C;1;2;6961\n",
    );
    let out = import_chain(text, &ChainFormat::Generic(mapping)).unwrap();
    assert_eq!(out.chain.len(), 2);
    let q = out.chain.quotes();
    assert_eq!(
        (q[0].expiry, q[0].underlying),
        (iso("2026-03-20T13:30:00Z"), Some(6961.0))
    );
    assert_eq!(
        (q[1].expiry, q[1].underlying),
        (iso("2026-03-20T20:00:00Z"), None)
    );
    assert_eq!(
        (
            out.errors[0].row,
            out.errors[0].column.as_str(),
            out.errors[0].value.as_str()
        ),
        (4, "K", "x")
    );
    assert_eq!((out.errors[1].row, out.errors[1].column.as_str()), (5, "Expiry"));
    assert!(matches!(
        out.errors[1].problem,
        FieldProblem::BadDate(TimeError::InvalidDate { month: 13, .. })
    ));
    let bad = ColumnMapping::from_json(r#"{"strik":"K"}"#).unwrap_err();
    let ImportError::BadMapping { field, value, .. } = bad else {
        panic!("expected a mapping error, got {bad:?}");
    };
    assert_eq!((field.as_str(), value.as_str()), ("strik", "K"));
    assert!(ColumnMapping::from_json(r#"{"settlement":"noon"}"#).is_err());
    assert!(ColumnMapping::from_json(r#"{"delimiter":";;"}"#).is_err());
    assert!(matches!(
        ChainFormat::from_name("csv2", None),
        Err(ImportError::UnknownFormat { .. })
    ));
}

#[test]
fn surface_timestamps_parse_and_print() {
    assert_eq!(
        iso("2026-01-30T21:00:00Z").unix_nanos(),
        1_769_806_800_000_000_000
    );
    assert_eq!(iso("2026-01-30 16:00:00-05:00"), iso("2026-01-30T21:00:00Z"));
    assert_eq!(
        iso("2026-01-30T21:00:00.250+00:00").to_iso8601(),
        "2026-01-30T21:00:00.250Z"
    );
    assert_eq!(iso("2026-01-30"), iso("2026-01-30T00:00Z"));
    assert_eq!(
        UtcTimestamp::from_unix_millis(1_769_806_800_000.0).unwrap(),
        iso("2026-01-30T21:00:00Z")
    );
    assert_eq!(
        UtcTimestamp::from_unix_seconds(1_769_806_800.0).unwrap(),
        iso("2026-01-30T21:00:00Z")
    );
    assert!(
        UtcTimestamp::from_unix_millis(f64::NAN).is_err() && UtcTimestamp::from_unix_seconds(1e300).is_err()
    );
    for bad in [
        "2026-02-30",
        "2026-01-30T25:00Z",
        "2026-01-30X21:00",
        "yesterday",
        "2026-01-30T21:00+25:00",
        "2026-01-30T21",
    ] {
        assert!(UtcTimestamp::parse_iso8601(bad).is_err(), "{bad}");
    }
    let a = iso("2026-01-30T21:00:00Z");
    assert!((a.year_fraction_to(iso("2027-01-30T21:00:00Z")) - 1.0).abs() < 1e-15);
    // DST switches: 2026-03-08 (second Sunday of March) and 2026-11-01 (first Sunday of November).
    let d = |y, m, day| CivilDate::new(y, m, day).unwrap();
    assert_eq!(d(2026, 3, 6).at_new_york(16, 0), iso("2026-03-06T21:00:00Z"));
    assert_eq!(d(2026, 3, 9).at_new_york(16, 0), iso("2026-03-09T20:00:00Z"));
    assert_eq!(d(2026, 10, 30).at_new_york(9, 30), iso("2026-10-30T13:30:00Z"));
    assert_eq!(d(2026, 11, 2).at_new_york(9, 30), iso("2026-11-02T14:30:00Z"));
    assert_eq!(d(2006, 4, 3).at_new_york(16, 0), iso("2006-04-03T20:00:00Z"));
    assert_eq!(
        CivilDate::from_days_since_epoch(d(2031, 12, 19).days_since_epoch()),
        d(2031, 12, 19)
    );
    assert_eq!(d(2026, 1, 30).weekday(), 5);
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 256,
        failure_persistence: Some(Box::new(FileFailurePersistence::WithSource("regressions"))),
        ..ProptestConfig::default()
    })]

    /// Arbitrary text never panics an importer, and every row read is either imported or reported.
    #[test]
    fn surface_importers_never_panic(body in "[ -~\n\"\u{e9}]{0,400}") {
        let generic = ChainFormat::Generic(ColumnMapping::default());
        for format in [ChainFormat::Yfinance, ChainFormat::Deribit, generic] {
            let header = match &format {
                ChainFormat::Yfinance => format!("{YF_HEADER}\n"),
                ChainFormat::Generic(_) => "expiry,strike,type,bid,ask\n".to_string(),
                ChainFormat::Deribit => String::new(),
            };
            if let Ok(out) = import_chain(&format!("{header}{body}"), &format) {
                prop_assert_eq!(out.rows_read, out.chain.len() + out.errors.len());
            }
        }
        let _ = UtcTimestamp::parse_iso8601(&body);
    }

    /// Date-time look-alikes with multi-byte characters never panic the parsers.
    #[test]
    fn surface_timestamp_parsers_never_panic(text in "[0-9:+TZ .,\u{e9}\u{20ac}-]{0,32}") {
        let _ = UtcTimestamp::parse_iso8601(&text);
        let _ = CivilDate::parse_iso(&text);
        let _ = SettlementTime::parse(&text);
    }
}
