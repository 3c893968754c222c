//! Books for many instruments fed by protocol frames, with the sequencing rules of docs/protocol.md
//! ("Sequencing"), and a bounded queue of trades.
//!
//! Per instrument, with `S` the sequence of its book:
//! - A valid snapshot (`seq_first == seq_last`) replaces the book, whenever it arrives, and sets `S`. The first
//!   snapshot of an instrument creates its book.
//! - A delta batch for an instrument without a book is rejected: "unknown instrument N".
//! - While an instrument awaits a snapshot, its delta batches are ignored (counted in `ignored`).
//! - `seq_last <= S`: a stale duplicate, dropped (counted in `stale`).
//! - `seq_first == S + 1`: applied as a unit; `S` becomes `seq_last`.
//! - Anything else is a gap: counted in `gaps`, the instrument awaits a snapshot and is reported once in
//!   `resync` (the client sends `resync`).
//! - A book frame that fails to decode, or that the book refuses (invalid record, crossed result), is rejected and
//!   leaves the book unchanged. The update stream cannot continue past it, so the instrument then awaits a
//!   snapshot and is reported in `resync` like a gap.
//!
//! Trades of every instrument (with or without a book) go to a ring of the newest [`TRADE_QUEUE`] trades.

use std::collections::{HashMap, VecDeque};
use std::num::NonZeroUsize;

use crate::book::Book;
use crate::wire::{self, Frame, FrameKind, LevelRecords, Payload, TradeRecord, TradeRecords};

/// Default capacity of the trade queue; when full, the oldest trade is dropped.
pub const TRADE_QUEUE: usize = 8192;

/// A trade tagged with its instrument.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MarketTrade {
    pub instrument: u32,
    pub trade: TradeRecord,
}

/// One instrument's book and sequencing state.
#[derive(Debug, Clone)]
pub struct Instrument {
    book: Book,
    seq: u64,
    awaiting_snapshot: bool,
}

impl Instrument {
    /// The book (stale, but kept for display, while awaiting a snapshot).
    pub fn book(&self) -> &Book {
        &self.book
    }

    /// Sequence of the last update applied.
    pub fn seq(&self) -> u64 {
        self.seq
    }

    /// `true` after a gap, a rejected book frame or a reset, until the next valid snapshot.
    pub fn awaiting_snapshot(&self) -> bool {
        self.awaiting_snapshot
    }
}

/// What one call to [`Market::apply`] did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ApplySummary {
    /// Frames whose header could be read (including frames then rejected).
    pub frames: u32,
    /// Snapshots applied.
    pub snapshots: u32,
    /// Delta records applied.
    pub deltas: u64,
    /// Deletes of levels that did not exist (no-ops) among the applied deltas.
    pub missing_deletes: u64,
    /// Trades queued.
    pub trades: u32,
    /// Trades dropped from the queue to make room.
    pub trades_dropped: u32,
    /// Frames rejected, plus one for undecodable bytes that end the buffer.
    pub rejected: u32,
    /// Delta batches dropped as duplicates of updates already applied.
    pub stale: u32,
    /// Delta batches ignored because their instrument awaits a snapshot.
    pub ignored: u32,
    /// Sequence gaps detected.
    pub gaps: u32,
    /// Instruments that started awaiting a snapshot during this call, each once.
    pub resync: Vec<u32>,
    /// The first rejection's message, naming the field, value and byte offset.
    pub error: Option<String>,
}

impl ApplySummary {
    fn reject(&mut self, message: impl FnOnce() -> String) {
        self.rejected += 1;
        if self.error.is_none() {
            self.error = Some(message());
        }
    }
}

/// Books by instrument id, plus the trade queue.
#[derive(Debug)]
pub struct Market {
    books: HashMap<u32, Instrument>,
    trades: VecDeque<MarketTrade>,
    trade_capacity: usize,
    trades_dropped: u64,
}

impl Default for Market {
    fn default() -> Self {
        Market::new()
    }
}

impl Market {
    /// An empty market with a trade queue of [`TRADE_QUEUE`] trades.
    pub fn new() -> Market {
        Market {
            books: HashMap::new(),
            trades: VecDeque::new(),
            trade_capacity: TRADE_QUEUE,
            trades_dropped: 0,
        }
    }

    /// An empty market whose trade queue keeps the newest `capacity` trades.
    pub fn with_trade_capacity(capacity: NonZeroUsize) -> Market {
        Market {
            trade_capacity: capacity.get(),
            ..Market::new()
        }
    }

    /// An instrument's state, `None` before its first snapshot.
    pub fn instrument(&self, id: u32) -> Option<&Instrument> {
        self.books.get(&id)
    }

    /// Ids of the instruments with a book, in no particular order.
    pub fn instrument_ids(&self) -> impl Iterator<Item = u32> + '_ {
        self.books.keys().copied()
    }

    /// Clears an instrument's book and makes it await a snapshot; deltas until then are ignored. Returns `false`
    /// (and does nothing) for an instrument without a book.
    pub fn reset(&mut self, id: u32) -> bool {
        let Some(inst) = self.books.get_mut(&id) else {
            return false;
        };
        inst.book.clear();
        inst.awaiting_snapshot = true;
        true
    }

    /// Forgets an instrument entirely, releasing its book; returns whether it existed.
    pub fn remove(&mut self, id: u32) -> bool {
        self.books.remove(&id).is_some()
    }

    /// Trades waiting to be drained.
    pub fn queued_trades(&self) -> usize {
        self.trades.len()
    }

    /// Trades dropped since creation because the queue was full.
    pub fn trades_dropped(&self) -> u64 {
        self.trades_dropped
    }

    /// Removes and returns up to `max` queued trades, oldest first.
    pub fn drain_trades(&mut self, max: usize) -> impl Iterator<Item = MarketTrade> + '_ {
        let n = max.min(self.trades.len());
        self.trades.drain(..n)
    }

    /// Decodes and applies concatenated frames. Bad data is counted in the summary, never returned as an error,
    /// and never panics.
    pub fn apply(&mut self, bytes: &[u8]) -> ApplySummary {
        let mut s = ApplySummary::default();
        for item in wire::frames(bytes) {
            let frame = match item {
                Ok(f) => f,
                Err(e) => {
                    s.reject(|| e.to_string());
                    break;
                }
            };
            s.frames += 1;
            match (frame.header.kind, frame.decode()) {
                (_, Ok(Payload::Snapshot(levels))) => self.snapshot(&frame, levels, &mut s),
                (_, Ok(Payload::Delta(levels))) => self.delta(&frame, Ok(levels), &mut s),
                (_, Ok(Payload::Trades(trades))) => {
                    self.queue_trades(frame.header.instrument, trades, &mut s)
                }
                (FrameKind::Snapshot, Err(e)) => {
                    s.reject(|| context(&frame, &e));
                    self.await_snapshot(frame.header.instrument, &mut s);
                }
                (FrameKind::Delta, Err(e)) => self.delta(&frame, Err(e), &mut s),
                (FrameKind::Trades, Err(e)) => s.reject(|| context(&frame, &e)),
            }
        }
        s
    }

    /// The instrument's state, created empty (and not yet awaiting) if it has none.
    fn entry(&mut self, id: u32) -> &mut Instrument {
        self.books.entry(id).or_insert_with(|| Instrument {
            book: Book::new(),
            seq: 0,
            awaiting_snapshot: false,
        })
    }

    /// Marks an instrument as awaiting a snapshot (creating an empty book if it has none) and reports it, unless
    /// it was awaiting one already.
    fn await_snapshot(&mut self, id: u32, s: &mut ApplySummary) {
        let inst = self.entry(id);
        if !inst.awaiting_snapshot {
            inst.awaiting_snapshot = true;
            s.resync.push(id);
        }
    }

    fn snapshot(&mut self, frame: &Frame<'_>, levels: LevelRecords<'_>, s: &mut ApplySummary) {
        let id = frame.header.instrument;
        let inst = self.entry(id);
        match inst.book.apply_snapshot(levels) {
            Ok(()) => {
                inst.seq = frame.header.seq_last;
                inst.awaiting_snapshot = false;
                s.snapshots += 1;
            }
            Err(e) => {
                s.reject(|| context(frame, &e));
                self.await_snapshot(id, s);
            }
        }
    }

    fn delta(
        &mut self,
        frame: &Frame<'_>,
        levels: Result<LevelRecords<'_>, wire::WireError>,
        s: &mut ApplySummary,
    ) {
        let h = &frame.header;
        let Some(inst) = self.books.get_mut(&h.instrument) else {
            return s.reject(|| {
                format!(
                    "delta batch at byte {}: unknown instrument {} (no snapshot yet)",
                    frame.offset, h.instrument
                )
            });
        };
        if inst.awaiting_snapshot {
            s.ignored += 1;
            return;
        }
        let levels = match levels {
            Ok(l) => l,
            Err(e) => {
                s.reject(|| context(frame, &e));
                return self.await_snapshot(h.instrument, s);
            }
        };
        if h.seq_last <= inst.seq {
            s.stale += 1;
            return;
        }
        // `seq_last > seq`, so `seq + 1` cannot overflow.
        if h.seq_first != inst.seq + 1 {
            s.gaps += 1;
            return self.await_snapshot(h.instrument, s);
        }
        match inst.book.apply_batch(levels) {
            Ok(stats) => {
                inst.seq = h.seq_last;
                s.deltas += stats.records as u64;
                s.missing_deletes += stats.missing_deletes as u64;
            }
            Err(e) => {
                s.reject(|| context(frame, &e));
                self.await_snapshot(h.instrument, s);
            }
        }
    }

    fn queue_trades(&mut self, id: u32, trades: TradeRecords<'_>, s: &mut ApplySummary) {
        for trade in trades {
            if self.trades.len() >= self.trade_capacity {
                self.trades.pop_front();
                self.trades_dropped += 1;
                s.trades_dropped += 1;
            }
            self.trades.push_back(MarketTrade {
                instrument: id,
                trade,
            });
            s.trades += 1;
        }
    }
}

/// "delta batch for instrument 7 at byte 1234 rejected: <reason>".
fn context(frame: &Frame<'_>, reason: &dyn std::fmt::Display) -> String {
    let h = &frame.header;
    format!(
        "{} for instrument {} at byte {} rejected: {reason}",
        h.kind, h.instrument, frame.offset
    )
}
