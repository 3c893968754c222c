//! The frame decoder on hand-built frames: round trips, and every error with its field, value and byte offset.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use ferrodesk_engine::book::{LevelUpdate, Side, MAX_PRICE};
use ferrodesk_engine::wire::{
    encode_header, encode_level, encode_trade, frames, Aggressor, Frame, FrameHeader, FrameKind, Payload,
    TradeRecord, WireError, HEADER_BYTES, LEVEL_BYTES, TRADE_BYTES,
};

fn header(kind: FrameKind, count: u32, seq_first: u64, seq_last: u64) -> FrameHeader {
    FrameHeader {
        kind,
        instrument: 7,
        count,
        seq_first,
        seq_last,
        ts_event: 1_700_000_000_000_000_123,
    }
}

fn level(side: Side, price: i64, qty: i64) -> LevelUpdate {
    LevelUpdate { side, price, qty }
}

fn levels_frame(h: FrameHeader, levels: &[LevelUpdate]) -> Vec<u8> {
    let mut v = Vec::new();
    encode_header(&mut v, &h);
    for l in levels {
        encode_level(&mut v, l);
    }
    v
}

fn only_frame(bytes: &[u8]) -> Frame<'_> {
    let mut it = frames(bytes);
    let f = it.next().unwrap().unwrap();
    assert!(it.next().is_none());
    f
}

fn decode_err(bytes: &[u8]) -> WireError {
    only_frame(bytes).decode().unwrap_err()
}

#[test]
fn concatenated_frames_round_trip() {
    let snap = [level(Side::Bid, 99, 5), level(Side::Ask, 101, 7)];
    let mut bytes = levels_frame(header(FrameKind::Snapshot, 2, 10, 10), &snap);
    let delta = [level(Side::Bid, 100, 0), level(Side::Ask, MAX_PRICE, 1)];
    bytes.extend(levels_frame(header(FrameKind::Delta, 2, 11, 12), &delta));
    let trade = TradeRecord {
        ts_event: -5,
        price: 100,
        qty: 3,
        aggressor: Aggressor::Seller,
    };
    encode_header(&mut bytes, &header(FrameKind::Trades, 1, 4, 4));
    encode_trade(&mut bytes, &trade);
    assert_eq!(bytes.len(), 3 * HEADER_BYTES + 4 * LEVEL_BYTES + TRADE_BYTES);

    let mut it = frames(&bytes);
    let f = it.next().unwrap().unwrap();
    assert_eq!(
        (f.offset, f.header, f.byte_len()),
        (0, header(FrameKind::Snapshot, 2, 10, 10), 88)
    );
    let Ok(Payload::Snapshot(l)) = f.decode() else {
        panic!("not a snapshot")
    };
    assert_eq!(l.len(), 2);
    assert_eq!(l.collect::<Vec<_>>(), snap);
    let f = it.next().unwrap().unwrap();
    assert_eq!(f.offset, 88);
    let Ok(Payload::Delta(l)) = f.decode() else {
        panic!("not a delta")
    };
    assert_eq!(l.collect::<Vec<_>>(), delta);
    let f = it.next().unwrap().unwrap();
    let Ok(Payload::Trades(t)) = f.decode() else {
        panic!("not trades")
    };
    assert_eq!(t.collect::<Vec<_>>(), vec![trade]);
    assert!(it.next().is_none());
    assert_eq!(it.consumed(), bytes.len());
}

#[test]
fn an_empty_buffer_has_no_frames() {
    assert!(frames(&[]).next().is_none());
}

#[test]
fn framing_errors_name_field_value_and_offset_and_end_the_buffer() {
    let good = levels_frame(header(FrameKind::Delta, 1, 1, 1), &[level(Side::Bid, 5, 1)]);
    // (second frame, whether a good frame follows it, message)
    let cases: Vec<(Vec<u8>, bool, &str)> = vec![
        (good[..39].to_vec(), false, "truncated frame at byte 64: the header needs 40 bytes, 39 remain"),
        ([&[0xFCu8][..], &good[1..]].concat(), true, "field magic at byte 64 is 0xfc, expected 0xfd"),
        ([&good[..1], &[2u8][..], &good[2..]].concat(), true, "field version at byte 65 is 2, expected 1"),
        (
            [&good[..2], &[9u8][..], &good[3..]].concat(),
            true,
            "field kind at byte 66 is 9, expected 1 (snapshot), 2 (delta) or 3 (trades)",
        ),
        (
            good[..good.len() - 1].to_vec(),
            false,
            "field count at byte 72 is 1: its records need 24 bytes but 23 remain after the header (truncated frame)",
        ),
    ];
    for (second, more, message) in cases {
        let mut bytes = good.clone();
        bytes.extend(&second);
        if more {
            bytes.extend(&good); // never reached: the broken frame ends the buffer
        }
        let mut it = frames(&bytes);
        assert!(it.next().unwrap().is_ok());
        assert_eq!(it.next().unwrap().unwrap_err().to_string(), message);
        assert!(it.next().is_none());
        assert_eq!(it.consumed(), 64);
    }
}

#[test]
fn a_count_near_u32_max_is_an_overflow_not_an_allocation() {
    let mut bytes = levels_frame(
        header(FrameKind::Trades, u32::MAX, 0, u64::from(u32::MAX) - 1),
        &[],
    );
    bytes.extend([0u8; 32]);
    let err = frames(&bytes).next().unwrap().unwrap_err();
    let needed = u64::from(u32::MAX) * 32;
    assert_eq!(
        err,
        WireError::CountOverflow {
            offset: 8,
            count: u32::MAX,
            needed,
            available: 32
        }
    );
}

#[test]
fn sequence_fields_must_match_the_count() {
    let l = [level(Side::Bid, 5, 1), level(Side::Bid, 6, 1)];
    let e = decode_err(&levels_frame(header(FrameKind::Snapshot, 2, 3, 4), &l));
    assert_eq!(
        e.to_string(),
        "field seq_last at byte 24 is 4, expected seq_first (3) in a snapshot"
    );
    let e = decode_err(&levels_frame(header(FrameKind::Delta, 2, 3, 5), &l));
    assert_eq!(
        e.to_string(),
        "field count at byte 8 is 2, expected seq_last - seq_first + 1 with seq_first 3 and seq_last 5"
    );
    let e = decode_err(&levels_frame(header(FrameKind::Delta, 0, 3, 2), &[]));
    assert_eq!(
        e,
        WireError::SeqCount {
            offset: 8,
            count: 0,
            seq_first: 3,
            seq_last: 2
        }
    );
    assert!(only_frame(&levels_frame(
        header(FrameKind::Delta, 1, u64::MAX, u64::MAX),
        &l[..1]
    ))
    .decode()
    .is_ok());
    assert!(
        only_frame(&levels_frame(header(FrameKind::Snapshot, 0, 9, 9), &[]))
            .decode()
            .is_ok()
    );
}

#[test]
fn level_fields_are_range_checked_with_absolute_offsets() {
    let prefix = levels_frame(header(FrameKind::Trades, 0, 1, 0), &[]); // 40 bytes, framed first
    let cases = [
        (
            FrameKind::Delta,
            level(Side::Bid, 0, 1),
            "field price at byte 104 is 0, expected 1..=9007199254740991 ticks",
        ),
        (
            FrameKind::Delta,
            level(Side::Ask, MAX_PRICE + 1, 1),
            "field price at byte 104 is 9007199254740992, expected 1..=9007199254740991 ticks",
        ),
        (
            FrameKind::Delta,
            level(Side::Bid, 5, -3),
            "field qty at byte 112 is -3, expected 0..=9007199254740991 lots",
        ),
        (
            FrameKind::Snapshot,
            level(Side::Bid, 5, 0),
            "field qty at byte 112 is 0, expected 1..=9007199254740991 lots",
        ),
    ];
    for (kind, bad, message) in cases {
        let seq_last = if kind == FrameKind::Snapshot { 1 } else { 2 };
        let mut bytes = prefix.clone();
        bytes.extend(levels_frame(
            header(kind, 2, 1, seq_last),
            &[level(Side::Bid, 5, 1), bad],
        ));
        let mut it = frames(&bytes);
        assert!(
            it.next().unwrap().unwrap().decode().is_err(),
            "the empty trade batch is invalid too"
        );
        assert_eq!(
            it.next().unwrap().unwrap().decode().unwrap_err().to_string(),
            message
        );
    }
    let mut bytes = levels_frame(header(FrameKind::Delta, 1, 1, 1), &[level(Side::Bid, 5, 1)]);
    bytes[HEADER_BYTES + 16] = 2;
    assert_eq!(
        decode_err(&bytes).to_string(),
        "field side at byte 56 is 2, expected 0 (bid) or 1 (ask)"
    );
}

#[test]
fn trade_fields_are_range_checked() {
    let t = TradeRecord {
        ts_event: 0,
        price: 10,
        qty: 1,
        aggressor: Aggressor::Unknown,
    };
    let frame = |t: &TradeRecord| {
        let mut v = Vec::new();
        encode_header(&mut v, &header(FrameKind::Trades, 1, 1, 1));
        encode_trade(&mut v, t);
        v
    };
    assert!(only_frame(&frame(&t)).decode().is_ok());
    let e = decode_err(&frame(&TradeRecord { price: -1, ..t }));
    assert_eq!(
        e.to_string(),
        "field price at byte 48 is -1, expected 1..=9007199254740991 ticks"
    );
    let e = decode_err(&frame(&TradeRecord { qty: 0, ..t }));
    assert_eq!(
        e.to_string(),
        "field qty at byte 56 is 0, expected 1..=9007199254740991 lots"
    );
    let mut bytes = frame(&t);
    bytes[HEADER_BYTES + 24] = 3;
    assert_eq!(
        decode_err(&bytes).to_string(),
        "field aggressor at byte 64 is 3, expected 0 (unknown), 1 (buyer) or 2 (seller)"
    );
}

#[test]
fn flags_and_reserved_bytes_are_ignored() {
    let mut bytes = levels_frame(header(FrameKind::Delta, 1, 1, 1), &[level(Side::Ask, 5, 1)]);
    bytes[3] = 0xAA;
    bytes[12..16].copy_from_slice(&[1, 2, 3, 4]);
    bytes[HEADER_BYTES + 17..HEADER_BYTES + 24].copy_from_slice(&[9; 7]);
    let Ok(Payload::Delta(mut l)) = only_frame(&bytes).decode() else {
        panic!("rejected")
    };
    assert_eq!(l.next(), Some(level(Side::Ask, 5, 1)));
}
