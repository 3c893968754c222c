//! Replays the cryptofeed captures (MANIFEST.md, ws_captures/): Kraken WS v1 `book` (10 pairs at depth 1000,
//! every CRC-32 checksum verified) and Coinbase `level2` + `ticker` (tickers compared in arrival order).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::PathBuf;

use ferrodesk_engine::venues::{Replay, Venue};

#[test]
fn all_4269_checksums_verify() {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/ws_captures/KRAKEN.ws.50.0");
    let Ok(bytes) = std::fs::read(&p) else {
        eprintln!(
            "skipping: {} not readable; the shared data set is absent",
            p.display()
        );
        return;
    };
    let r = Replay::run(Venue::Kraken, &bytes, 20).unwrap();
    // 4,325 lines, the last two empty.
    assert_eq!(r.lines, 4_323);
    eprintln!("file rejections {:?}", r.file_rejections);
    assert_eq!(r.instruments.len(), 10);
    let (mut checks, mut failures) = (0, 0);
    for (pair, inst) in &r.instruments {
        let s = inst.stats;
        eprintln!("{pair}: {s:?} {:?} {:?}", inst.rejections, inst.mismatches);
        assert_eq!(
            (s.snapshots_applied, s.rejected, s.crossed, s.gaps),
            (1, 0, 0, 0),
            "{pair}"
        );
        assert!(inst.book.level_count(ferrodesk_engine::book::Side::Bid) <= 1000);
        checks += s.checksum;
        failures += s.checksum_failures;
    }
    assert_eq!((checks, failures), (4_269, 0));
}

#[test]
fn a_wrong_checksum_is_counted_with_its_line() {
    let snap = r#"1.0: [1,{"as":[["100.10000","1.00000000","1.0"]],"bs":[["100.00000","2.00000000","1.0"]]},"book-10","X/Y"]"#;
    // CRC-32 of "10010000" "100000000" then "10000000" "200000000" (top asks then bids, '.' and leading zeros removed).
    let text = "10010000100000000".to_string() + "10000000200000000";
    let mut crc = flate2::Crc::new();
    crc.update(text.as_bytes());
    let ok = crc.sum();
    let upd =
        |c: u32| format!(r#"2.0: [1,{{"a":[["100.20000","3.00000000","2.0"]],"c":"{c}"}},"book-10","X/Y"]"#);
    // After the update the ask side has two levels; the first checksum is computed for the book before it,
    // so it fails; the second is computed for the book after it.
    let text2 = "10010000100000000".to_string() + "10020000300000000" + "10000000200000000";
    let mut crc2 = flate2::Crc::new();
    crc2.update(text2.as_bytes());
    let lines = [
        snap.to_string(),
        upd(ok),
        upd(crc2.sum()),
        "3.0: [1,{\"a\":[[\"x\",\"1\",\"3.0\"]]},\"book-10\",\"X/Y\"]".to_string(),
    ];
    let r = Replay::run(Venue::Kraken, lines.join("\n").as_bytes(), 10).unwrap();
    let inst = &r.instruments["X/Y"];
    assert_eq!((inst.stats.checksum, inst.stats.checksum_failures), (2, 1));
    assert_eq!(inst.checksum_failure_lines, vec![2]);
    assert_eq!(r.file_rejected, 1);
    assert_eq!(r.file_rejections[0].line, 4);
}

#[test]
fn coinbase_level2_matches_97_tickers() {
    let p =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/ws_captures/COINBASE.ws.28.0");
    let Ok(bytes) = std::fs::read(&p) else {
        eprintln!(
            "skipping: {} not readable; the shared data set is absent",
            p.display()
        );
        return;
    };
    let r = Replay::run(Venue::Coinbase, &bytes, 20).unwrap();
    eprintln!("file rejections {:?}", r.file_rejections);
    assert_eq!(r.instruments.len(), 10);
    let (mut checks, mut mismatches, mut skipped) = (0, 0, 0);
    for (pair, inst) in &r.instruments {
        let s = inst.stats;
        eprintln!("{pair}: {s:?} {:?} {:?}", inst.rejections, inst.mismatches);
        assert_eq!((s.snapshots_applied, s.rejected, s.crossed), (1, 0, 0), "{pair}");
        checks += s.ticker;
        mismatches += s.ticker_mismatches;
        skipped += inst.quotes_skipped;
    }
    assert_eq!(r.file_rejected, 0);
    assert_eq!((checks, mismatches, skipped), (97, 0, 10));
}
