//! A deterministic synthetic market encoded as protocol frames, so that the native and wasm benchmarks (and
//! the tests) apply identical bytes: a depth-N snapshot, then delta batches, with trade batches in between.
//!
//! The stream keeps every server guarantee of docs/protocol.md: contiguous sequences, `count == seq_last −
//! seq_first + 1`, at most one record per (side, price) in a batch, snapshot levels best first with positive
//! quantities, no deletes of missing levels, never crossed or locked after a batch, and each trade batch sent
//! before the delta batch that removes the liquidity it took.
//!
//! Shape: the generator keeps its own book around a centre `c` (bids at or below `c`, asks above). Each update
//! picks a side and a distance from the touch `⌊depth × u³⌋` with `u` uniform, so about a fifth of updates
//! land in the top 10 levels of a depth-1000 book and almost half in the top 100. An update of an existing
//! level deletes it one time in six and resizes it otherwise; an update of an empty price adds a level. One
//! update in fifty tries to move the centre a tick, deleting the touch level that would otherwise cross. About
//! one batch in ten is preceded by 1–3 trades that take liquidity from the touch.

mod events;
mod rng;

use std::collections::{BTreeMap, HashSet};

pub use events::{synth_events, SYNTH_EVENTS_START};
pub use rng::SplitMix64;

use crate::book::{LevelUpdate, Side};
use crate::wire::{
    encode_header, encode_level, encode_trade, Aggressor, FrameHeader, FrameKind, TradeRecord,
};

/// Cap on a level's size in lots, so that resizing can never leave the valid range.
const MAX_LEVEL_QTY: i64 = 1_000_000;

/// Why synthetic-stream parameters were refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SynthError {
    #[error("field {field} is {value}, expected {min}..={max}")]
    OutOfRange {
        field: &'static str,
        value: u64,
        min: u64,
        max: u64,
    },
}

/// Parameters of the synthetic stream; build with [`SynthParams::new_checked`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SynthParams {
    seed: u64,
    depth: u32,
    batches: u32,
    batch_size: u32,
    instrument: u32,
}

impl SynthParams {
    /// Largest snapshot depth per side.
    pub const MAX_DEPTH: u32 = 100_000;
    /// Largest number of records per delta batch.
    pub const MAX_BATCH_SIZE: u32 = 10_000;
    /// Largest `batches × batch_size` (480 MB of records).
    pub const MAX_RECORDS: u64 = 20_000_000;
    /// Price of the first bid in ticks; the book starts at `START_PRICE − depth + 1 ..= START_PRICE + depth`.
    pub const START_PRICE: i64 = 1_000_000;

    /// Parameters for `batches` delta batches of `batch_size` records over a `depth`-level snapshot, for
    /// instrument 1.
    ///
    /// # Errors
    /// [`SynthError::OutOfRange`] naming the field unless `1 <= depth <= MAX_DEPTH`,
    /// `1 <= batch_size <= MAX_BATCH_SIZE` and `batches × batch_size <= MAX_RECORDS`.
    pub fn new_checked(
        seed: u64,
        depth: u32,
        batches: u32,
        batch_size: u32,
    ) -> Result<SynthParams, SynthError> {
        let check = |field, value: u64, min: u64, max: u64| {
            if (min..=max).contains(&value) {
                Ok(())
            } else {
                Err(SynthError::OutOfRange {
                    field,
                    value,
                    min,
                    max,
                })
            }
        };
        check("depth", depth.into(), 1, Self::MAX_DEPTH.into())?;
        check("batch_size", batch_size.into(), 1, Self::MAX_BATCH_SIZE.into())?;
        check(
            "batches",
            batches.into(),
            0,
            Self::MAX_RECORDS / u64::from(batch_size),
        )?;
        Ok(SynthParams {
            seed,
            depth,
            batches,
            batch_size,
            instrument: 1,
        })
    }

    /// The same parameters for another instrument id.
    pub fn with_instrument(self, instrument: u32) -> SynthParams {
        SynthParams { instrument, ..self }
    }

    pub fn seed(&self) -> u64 {
        self.seed
    }
    pub fn depth(&self) -> u32 {
        self.depth
    }
    pub fn batches(&self) -> u32 {
        self.batches
    }
    pub fn batch_size(&self) -> u32 {
        self.batch_size
    }
    pub fn instrument(&self) -> u32 {
        self.instrument
    }
}

/// The snapshot frame, then per batch an optional trade frame and a delta frame, concatenated.
pub fn synth_frames(p: &SynthParams) -> Vec<u8> {
    let mut g = Generator::new(p);
    let (depth, batches, batch_size) = (p.depth as usize, p.batches as usize, p.batch_size as usize);
    let mut out = Vec::with_capacity(40 + 48 * depth + batches * (40 + 24 * batch_size) + batches / 8 * 136);
    let mut ts: i64 = 1_700_000_000_000_000_000;
    g.snapshot(&mut out, ts);
    let (mut seq, mut trade_id) = (0u64, 0u64);
    for _ in 0..batches {
        ts += 1_000_000;
        g.touched.clear();
        g.records.clear();
        if g.rng.below(10) == 0 {
            trade_id = g.trades(&mut out, ts, trade_id);
        }
        while g.records.len() < batch_size {
            g.step();
        }
        let count = g.records.len() as u32;
        let (seq_first, seq_last) = (seq + 1, seq + u64::from(count));
        header(
            &mut out,
            FrameKind::Delta,
            p.instrument,
            count,
            (seq_first, seq_last),
            ts,
        );
        for r in &g.records {
            encode_level(&mut out, r);
        }
        seq = seq_last;
    }
    out
}

fn header(out: &mut Vec<u8>, kind: FrameKind, instrument: u32, count: u32, seq: (u64, u64), ts_event: i64) {
    let (seq_first, seq_last) = seq;
    encode_header(
        out,
        &FrameHeader {
            kind,
            instrument,
            count,
            seq_first,
            seq_last,
            ts_event,
        },
    );
}

struct Generator {
    rng: SplitMix64,
    instrument: u32,
    depth: i64,
    batch_size: usize,
    /// Bids are at or below the centre, asks above it.
    centre: i64,
    bids: BTreeMap<i64, i64>,
    asks: BTreeMap<i64, i64>,
    /// (side, price) pairs already in the current batch.
    touched: HashSet<(Side, i64)>,
    records: Vec<LevelUpdate>,
}

impl Generator {
    fn new(p: &SynthParams) -> Generator {
        Generator {
            rng: SplitMix64::new(p.seed),
            instrument: p.instrument,
            depth: i64::from(p.depth),
            batch_size: p.batch_size as usize,
            centre: SynthParams::START_PRICE,
            bids: BTreeMap::new(),
            asks: BTreeMap::new(),
            touched: HashSet::new(),
            records: Vec::new(),
        }
    }

    /// A level size in lots: mostly 1–200, one level in twenty 25 times larger.
    fn size(&mut self) -> i64 {
        let base = 1 + self.rng.below(200) as i64;
        if self.rng.below(20) == 0 {
            base * 25
        } else {
            base
        }
    }

    fn snapshot(&mut self, out: &mut Vec<u8>, ts: i64) {
        for i in 0..self.depth {
            let (b, a) = (self.size(), self.size());
            self.bids.insert(self.centre - i, b);
            self.asks.insert(self.centre + 1 + i, a);
        }
        let count = (self.bids.len() + self.asks.len()) as u32;
        header(out, FrameKind::Snapshot, self.instrument, count, (0, 0), ts);
        let bids = self.bids.iter().rev().map(|(&price, &qty)| LevelUpdate {
            side: Side::Bid,
            price,
            qty,
        });
        let asks = self.asks.iter().map(|(&price, &qty)| LevelUpdate {
            side: Side::Ask,
            price,
            qty,
        });
        for u in bids.chain(asks) {
            encode_level(out, &u);
        }
    }

    fn book(&mut self, side: Side) -> &mut BTreeMap<i64, i64> {
        match side {
            Side::Bid => &mut self.bids,
            Side::Ask => &mut self.asks,
        }
    }

    /// Sets a level in the generator's book and records it in the batch.
    fn record(&mut self, side: Side, price: i64, qty: i64) {
        if qty == 0 {
            self.book(side).remove(&price);
        } else {
            self.book(side).insert(price, qty);
        }
        self.touched.insert((side, price));
        self.records.push(LevelUpdate { side, price, qty });
    }

    /// 1–3 trades against one side's touch, written as a trade frame; the levels they consumed become the first
    /// records of the batch. Returns the last trade id.
    fn trades(&mut self, out: &mut Vec<u8>, ts: i64, mut trade_id: u64) -> u64 {
        let buyer = self.rng.below(2) == 0;
        let (side, aggressor) = if buyer {
            (Side::Ask, Aggressor::Buyer)
        } else {
            (Side::Bid, Aggressor::Seller)
        };
        let n = (1 + self.rng.below(3) as usize).min(self.batch_size);
        let mut trades = Vec::with_capacity(n);
        let mut hit: Vec<(i64, i64)> = Vec::with_capacity(n);
        for _ in 0..n {
            let best = match side {
                Side::Bid => self.bids.last_key_value(),
                Side::Ask => self.asks.first_key_value(),
            };
            let Some((&price, &qty)) = best else { break };
            let take = 1 + self.rng.below(qty as u64) as i64;
            let left = qty - take;
            if left == 0 {
                self.book(side).remove(&price);
            } else {
                self.book(side).insert(price, left);
            }
            match hit.last_mut() {
                Some(last) if last.0 == price => last.1 = left,
                _ => hit.push((price, left)),
            }
            trades.push(TradeRecord {
                ts_event: ts,
                price,
                qty: take,
                aggressor,
            });
        }
        if trades.is_empty() {
            return trade_id;
        }
        let count = trades.len() as u32;
        let (seq_first, seq_last) = (trade_id + 1, trade_id + u64::from(count));
        header(
            out,
            FrameKind::Trades,
            self.instrument,
            count,
            (seq_first, seq_last),
            ts,
        );
        for t in &trades {
            encode_trade(out, t);
        }
        for (price, left) in hit {
            self.record(side, price, left);
        }
        trade_id = seq_last;
        trade_id
    }

    /// One step: a drift of the centre (which may or may not need a record) or a level update.
    fn step(&mut self) {
        if self.rng.below(50) == 0 && self.drift() {
            return;
        }
        self.update();
    }

    /// Moves the centre a tick, deleting the touch level that would cross. `false` (nothing done) when that level
    /// is already in the batch.
    fn drift(&mut self) -> bool {
        let up = self.rng.below(2) == 0 || self.centre <= self.depth + 1;
        let (side, price) = if up {
            (Side::Ask, self.centre + 1)
        } else {
            (Side::Bid, self.centre)
        };
        if self.touched.contains(&(side, price)) {
            return false;
        }
        self.centre += if up { 1 } else { -1 };
        if self.book(side).contains_key(&price) {
            self.record(side, price, 0);
        }
        true
    }

    /// Adds, resizes or deletes a level near the touch (distance `⌊depth × u³⌋`), at a price not yet in the batch.
    fn update(&mut self) {
        for _ in 0..8 {
            let side = if self.rng.below(2) == 0 {
                Side::Bid
            } else {
                Side::Ask
            };
            let u = self.rng.unit();
            let dist = (u * u * u * self.depth as f64) as i64;
            let price = match side {
                Side::Bid => self.centre - dist,
                Side::Ask => self.centre + 1 + dist,
            };
            if !self.touched.contains(&(side, price)) {
                return self.update_level(side, price);
            }
        }
        // A crowded batch: the first untouched ask beyond the usual range.
        let mut price = self.centre + 1 + self.depth;
        while self.touched.contains(&(Side::Ask, price)) {
            price += 1;
        }
        self.update_level(Side::Ask, price);
    }

    fn update_level(&mut self, side: Side, price: i64) {
        let qty = match self.book(side).get(&price).copied() {
            Some(_) if self.rng.below(6) == 0 => 0,
            Some(q) => {
                let d = self.rng.below(q as u64 / 2 + 2) as i64;
                let next = if self.rng.below(2) == 0 {
                    (q + d).min(MAX_LEVEL_QTY)
                } else {
                    (q - d).max(1)
                };
                if next != q {
                    next
                } else if q > 1 {
                    q - 1
                } else {
                    q + 1
                }
            }
            None => self.size(),
        };
        self.record(side, price, qty);
    }
}
