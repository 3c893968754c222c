//! Property tests of the decoder and the market: random and mutated bytes never panic, and on mutated
//! synthetic streams (flipped bytes, truncation, dropped, duplicated and reordered frames) the market agrees
//! with a from-the-spec reference — same counts, same resync reports, same books, sequences and trades — and
//! gives the same result whether the frames arrive in one buffer or two.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeMap;

use ferrodesk_engine::book::{Level, Side};
use ferrodesk_engine::market::{ApplySummary, Market};
use ferrodesk_engine::synth::{synth_frames, SynthParams};
use ferrodesk_engine::wire::{self, Payload};
use proptest::prelude::*;
use proptest::sample::Index;
use proptest::test_runner::FileFailurePersistence;

const REGRESSIONS: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/proptest-regressions/market_props.txt"
);
const MAX: i64 = (1 << 53) - 1;

fn u64_at(b: &[u8], at: usize) -> u64 {
    u64::from_le_bytes(b[at..at + 8].try_into().unwrap())
}

fn u32_at(b: &[u8], at: usize) -> u32 {
    u32::from_le_bytes(b[at..at + 4].try_into().unwrap())
}

/// One instrument of the reference: sorted maps and the sequencing rules, written straight from the spec.
#[derive(Debug, Default, Clone)]
struct RefInst {
    sides: [BTreeMap<i64, i64>; 2],
    seq: u64,
    awaiting: bool,
}

#[derive(Debug, Default)]
struct RefMarket {
    insts: BTreeMap<u32, RefInst>,
    trades: Vec<(u32, i64, i64, i64, u8)>,
}

/// The counters the reference and the market must agree on.
type Counts = (u32, u32, u64, u64, u32, u32, u32, u32, u32, Vec<u32>);

fn counts(s: &ApplySummary) -> Counts {
    (
        s.frames,
        s.snapshots,
        s.deltas,
        s.missing_deletes,
        s.trades,
        s.rejected,
        s.stale,
        s.ignored,
        s.gaps,
        s.resync.clone(),
    )
}

impl RefMarket {
    fn await_snapshot(&mut self, id: u32, resync: &mut Vec<u32>) {
        let inst = self.insts.entry(id).or_default();
        if !inst.awaiting {
            inst.awaiting = true;
            resync.push(id);
        }
    }

    fn apply(&mut self, buf: &[u8]) -> Counts {
        let (mut frames, mut snaps, mut deltas, mut missing, mut trades) = (0, 0, 0, 0, 0);
        let (mut rejected, mut stale, mut ignored, mut gaps, mut resync) = (0, 0, 0, 0, Vec::new());
        let mut pos = 0;
        while pos < buf.len() {
            let h = &buf[pos..];
            if h.len() < 40 || h[0] != 0xFD || h[1] != 1 || !(1..=3).contains(&h[2]) {
                rejected += 1;
                break;
            }
            let (kind, id, count) = (h[2], u32_at(h, 4), u32_at(h, 8) as usize);
            let size = if kind == 3 { 32 } else { 24 };
            if h.len() - 40 < count * size {
                rejected += 1;
                break;
            }
            frames += 1;
            pos += 40 + count * size;
            let (first, last) = (u64_at(h, 16), u64_at(h, 24));
            let recs: Vec<&[u8]> = h[40..40 + count * size].chunks(size).collect();
            let seq_ok = if kind == 1 {
                first == last
            } else {
                last >= first && (count as u64).checked_sub(1) == Some(last - first)
            };
            let field = |r: &[u8], at| u64_at(r, at) as i64;
            let valid = seq_ok
                && recs.iter().all(|r| match kind {
                    3 => (1..=MAX).contains(&field(r, 8)) && (1..=MAX).contains(&field(r, 16)) && r[24] <= 2,
                    _ => {
                        let min_qty = if kind == 1 { 1 } else { 0 };
                        (1..=MAX).contains(&field(r, 0))
                            && (min_qty..=MAX).contains(&field(r, 8))
                            && r[16] <= 1
                    }
                });
            let levels: Vec<(usize, i64, i64)> = recs
                .iter()
                .map(|r| (r[16] as usize & 1, field(r, 0), field(r, 8)))
                .collect();
            let crossed = |s: &[BTreeMap<i64, i64>; 2]| matches!((s[0].keys().next_back(), s[1].keys().next()), (Some(b), Some(a)) if b >= a);
            match kind {
                1 => {
                    let mut sides: [BTreeMap<i64, i64>; 2] = Default::default();
                    for &(s, p, q) in &levels {
                        sides[s].insert(p, q);
                    }
                    if valid && !crossed(&sides) {
                        let inst = self.insts.entry(id).or_default();
                        *inst = RefInst {
                            sides,
                            seq: last,
                            awaiting: false,
                        };
                        snaps += 1;
                    } else {
                        rejected += 1;
                        self.await_snapshot(id, &mut resync);
                    }
                }
                2 => {
                    let Some(inst) = self.insts.get_mut(&id) else {
                        rejected += 1;
                        continue;
                    };
                    if inst.awaiting {
                        ignored += 1;
                    } else if !valid {
                        rejected += 1;
                        self.await_snapshot(id, &mut resync);
                    } else if last <= inst.seq {
                        stale += 1;
                    } else if first != inst.seq + 1 {
                        gaps += 1;
                        self.await_snapshot(id, &mut resync);
                    } else {
                        let mut sides = inst.sides.clone();
                        let mut miss = 0;
                        for &(s, p, q) in &levels {
                            if q == 0 {
                                miss += u64::from(sides[s].remove(&p).is_none());
                            } else {
                                sides[s].insert(p, q);
                            }
                        }
                        if crossed(&sides) {
                            rejected += 1;
                            self.await_snapshot(id, &mut resync);
                        } else {
                            *inst = RefInst {
                                sides,
                                seq: last,
                                awaiting: false,
                            };
                            deltas += levels.len() as u64;
                            missing += miss;
                        }
                    }
                }
                _ if valid => {
                    for r in &recs {
                        self.trades
                            .push((id, field(r, 0), field(r, 8), field(r, 16), r[24]));
                        trades += 1;
                    }
                }
                _ => rejected += 1,
            }
        }
        (
            frames, snaps, deltas, missing, trades, rejected, stale, ignored, gaps, resync,
        )
    }
}

fn assert_same_state(m: &mut Market, r: &RefMarket) -> Result<(), TestCaseError> {
    let mut ids: Vec<u32> = m.instrument_ids().collect();
    ids.sort_unstable();
    prop_assert_eq!(ids, r.insts.keys().copied().collect::<Vec<_>>());
    for (id, ri) in &r.insts {
        let inst = m.instrument(*id).unwrap();
        prop_assert_eq!(
            (inst.seq(), inst.awaiting_snapshot()),
            (ri.seq, ri.awaiting),
            "instrument {}",
            id
        );
        let book = inst.book();
        let expect = |s: &BTreeMap<i64, i64>| {
            s.iter()
                .map(|(&price, &qty)| Level { price, qty })
                .collect::<Vec<_>>()
        };
        let mut bids = expect(&ri.sides[0]);
        bids.reverse();
        prop_assert_eq!(book.levels(Side::Bid).collect::<Vec<_>>(), bids);
        prop_assert_eq!(book.levels(Side::Ask).collect::<Vec<_>>(), expect(&ri.sides[1]));
        prop_assert!(book.check_uncrossed().is_ok());
    }
    let got: Vec<_> = m
        .drain_trades(usize::MAX)
        .map(|t| {
            (
                t.instrument,
                t.trade.ts_event,
                t.trade.price,
                t.trade.qty,
                t.trade.aggressor as u8,
            )
        })
        .collect();
    let keep = r
        .trades
        .len()
        .saturating_sub(ferrodesk_engine::market::TRADE_QUEUE);
    prop_assert_eq!(&got[..], &r.trades[keep..]);
    Ok(())
}

#[derive(Debug, Clone)]
enum Mutation {
    Flip(Index, u8),
    DropFrame(Index),
    DuplicateFrame(Index),
    SwapFrames(Index, Index),
    Truncate(Index),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        4 => (any::<Index>(), any::<u8>()).prop_map(|(i, b)| Mutation::Flip(i, b)),
        2 => any::<Index>().prop_map(Mutation::DropFrame),
        2 => any::<Index>().prop_map(Mutation::DuplicateFrame),
        2 => (any::<Index>(), any::<Index>()).prop_map(|(a, b)| Mutation::SwapFrames(a, b)),
        1 => any::<Index>().prop_map(Mutation::Truncate),
    ]
}

/// A small synthetic stream for one or two instruments (interleaved), then the mutations.
fn mutated_stream(seed: u64, two: bool, muts: &[Mutation]) -> Vec<u8> {
    let p = SynthParams::new_checked(seed, 12, 14, 6).unwrap();
    let split = |bytes: &[u8]| -> Vec<Vec<u8>> {
        wire::frames(bytes)
            .map(|f| f.unwrap())
            .map(|f| bytes[f.offset..f.offset + f.byte_len()].to_vec())
            .collect()
    };
    let mut parts = split(&synth_frames(&p));
    if two {
        let other = split(&synth_frames(&p.with_instrument(2)));
        parts = parts.into_iter().zip(other).flat_map(|(a, b)| [a, b]).collect();
    }
    for m in muts {
        match m {
            Mutation::DropFrame(i) if !parts.is_empty() => {
                parts.remove(i.index(parts.len()));
            }
            Mutation::DuplicateFrame(i) if !parts.is_empty() => {
                let at = i.index(parts.len());
                parts.insert(at, parts[at].clone());
            }
            Mutation::SwapFrames(a, b) if !parts.is_empty() => {
                let (a, b) = (a.index(parts.len()), b.index(parts.len()));
                parts.swap(a, b);
            }
            _ => {}
        }
    }
    let mut bytes = parts.concat();
    for m in muts {
        match m {
            Mutation::Flip(i, b) if !bytes.is_empty() => {
                let at = i.index(bytes.len());
                bytes[at] = *b;
            }
            Mutation::Truncate(i) => bytes.truncate(i.index(bytes.len() + 1)),
            _ => {}
        }
    }
    bytes
}

fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        failure_persistence: Some(Box::new(FileFailurePersistence::Direct(REGRESSIONS))),
        ..ProptestConfig::default()
    }
}

/// Bytes that get past the magic often: random headers with a valid prefix and small counts, random bodies.
fn frame_like() -> impl Strategy<Value = Vec<u8>> {
    let header = (1u8..=3, any::<[u8; 5]>(), 0u32..4, any::<[u8; 28]>());
    prop::collection::vec((header, prop::collection::vec(any::<u8>(), 0..100)), 0..6).prop_map(|frames| {
        let mut v = Vec::new();
        for ((kind, a, count, b), body) in frames {
            v.extend([0xFD, 1, kind]);
            v.extend(a);
            v.extend(count.to_le_bytes());
            v.extend(b);
            v.extend(body);
        }
        v
    })
}

proptest! {
    #![proptest_config(config(20_000))]

    #[test]
    fn random_bytes_never_panic(bytes in prop_oneof![prop::collection::vec(any::<u8>(), 0..400), frame_like()]) {
        let mut m = Market::new();
        let s = m.apply(&bytes);
        prop_assert!(s.frames as usize <= bytes.len() / wire::HEADER_BYTES);
        prop_assert_eq!(s.error.is_some(), s.rejected > 0);
        for f in wire::frames(&bytes).flatten() {
            match f.decode() {
                Ok(Payload::Snapshot(l) | Payload::Delta(l)) => prop_assert_eq!(l.count(), f.header.count as usize),
                Ok(Payload::Trades(t)) => prop_assert_eq!(t.count(), f.header.count as usize),
                Err(e) => prop_assert!(e.to_string().contains(" at byte ")),
            }
        }
    }
}

proptest! {
    #![proptest_config(config(3_000))]

    #[test]
    fn mutated_streams_match_the_reference(seed in any::<u64>(), two in any::<bool>(),
                                           muts in prop::collection::vec(mutation(), 0..6), cut in any::<Index>()) {
        let bytes = mutated_stream(seed, two, &muts);
        let mut m = Market::new();
        let mut r = RefMarket::default();
        let s = m.apply(&bytes);
        prop_assert_eq!(counts(&s), r.apply(&bytes));
        prop_assert_eq!(s.error.is_some(), s.rejected > 0);
        assert_same_state(&mut m, &r)?;

        // The same frames in two buffers, split at a frame boundary, end in the same state.
        let bounds: Vec<usize> = wire::frames(&bytes).flatten().map(|f| f.offset).collect();
        let at = bounds.get(cut.index(bounds.len() + 1)).copied().unwrap_or(bytes.len());
        let (mut m2, mut r2) = (Market::new(), RefMarket::default());
        for part in [&bytes[..at], &bytes[at..]] {
            prop_assert_eq!(counts(&m2.apply(part)), r2.apply(part));
        }
        assert_same_state(&mut m2, &r2)?;
    }
}
