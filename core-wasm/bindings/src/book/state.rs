//! The plain result objects `applyFrames` and `bookState` return.

use ferrodesk_engine::book::Side;
use ferrodesk_engine::market::{self, Instrument};
use wasm_bindgen::prelude::*;

/// What one `applyFrames` call did.
#[wasm_bindgen]
pub struct ApplySummary {
    pub(super) inner: market::ApplySummary,
}

#[wasm_bindgen]
impl ApplySummary {
    /// Frames whose header could be read (including frames then rejected).
    #[wasm_bindgen(getter)]
    pub fn frames(&self) -> u32 {
        self.inner.frames
    }
    /// Snapshots applied.
    #[wasm_bindgen(getter)]
    pub fn snapshots(&self) -> u32 {
        self.inner.snapshots
    }
    /// Delta records applied.
    #[wasm_bindgen(getter)]
    pub fn deltas(&self) -> f64 {
        self.inner.deltas as f64
    }
    /// Deletes of levels that did not exist (no-ops) among the applied deltas.
    #[wasm_bindgen(getter, js_name = missingDeletes)]
    pub fn missing_deletes(&self) -> f64 {
        self.inner.missing_deletes as f64
    }
    /// Trades queued for `drainTrades`.
    #[wasm_bindgen(getter)]
    pub fn trades(&self) -> u32 {
        self.inner.trades
    }
    /// Older trades dropped from the full queue to make room.
    #[wasm_bindgen(getter, js_name = tradesDropped)]
    pub fn trades_dropped(&self) -> u32 {
        self.inner.trades_dropped
    }
    /// Frames rejected (plus one for undecodable bytes that end the buffer).
    #[wasm_bindgen(getter)]
    pub fn rejected(&self) -> u32 {
        self.inner.rejected
    }
    /// Delta batches dropped as stale duplicates.
    #[wasm_bindgen(getter)]
    pub fn stale(&self) -> u32 {
        self.inner.stale
    }
    /// Delta batches ignored because their instrument awaits a snapshot.
    #[wasm_bindgen(getter)]
    pub fn ignored(&self) -> u32 {
        self.inner.ignored
    }
    /// Sequence gaps detected.
    #[wasm_bindgen(getter)]
    pub fn gaps(&self) -> u32 {
        self.inner.gaps
    }
    /// Instruments that started awaiting a snapshot in this call, each once: send `resync` for each.
    #[wasm_bindgen(getter, js_name = resyncInstruments)]
    pub fn resync_instruments(&self) -> Vec<u32> {
        self.inner.resync.clone()
    }
    /// The first rejection's message (field, value and byte offset); undefined when nothing was rejected.
    #[wasm_bindgen(getter)]
    pub fn error(&self) -> Option<String> {
        self.inner.error.clone()
    }
}

/// One instrument's book at a glance. Prices in ticks, quantities in lots; NaN where a side is empty.
#[wasm_bindgen]
pub struct BookState {
    seq: f64,
    bid_levels: u32,
    ask_levels: u32,
    best_bid: f64,
    best_ask: f64,
    best_bid_qty: f64,
    best_ask_qty: f64,
    mid: f64,
    microprice: f64,
    imbalance: f64,
    awaiting_snapshot: bool,
}

#[wasm_bindgen]
impl BookState {
    /// Sequence of the last update applied (exact below 2^53).
    #[wasm_bindgen(getter)]
    pub fn seq(&self) -> f64 {
        self.seq
    }
    #[wasm_bindgen(getter, js_name = bidLevels)]
    pub fn bid_levels(&self) -> u32 {
        self.bid_levels
    }
    #[wasm_bindgen(getter, js_name = askLevels)]
    pub fn ask_levels(&self) -> u32 {
        self.ask_levels
    }
    /// Best bid in ticks, NaN if none.
    #[wasm_bindgen(getter, js_name = bestBid)]
    pub fn best_bid(&self) -> f64 {
        self.best_bid
    }
    /// Best ask in ticks, NaN if none.
    #[wasm_bindgen(getter, js_name = bestAsk)]
    pub fn best_ask(&self) -> f64 {
        self.best_ask
    }
    #[wasm_bindgen(getter, js_name = bestBidQty)]
    pub fn best_bid_qty(&self) -> f64 {
        self.best_bid_qty
    }
    #[wasm_bindgen(getter, js_name = bestAskQty)]
    pub fn best_ask_qty(&self) -> f64 {
        self.best_ask_qty
    }
    /// Mid in ticks, NaN unless both sides have levels.
    #[wasm_bindgen(getter)]
    pub fn mid(&self) -> f64 {
        self.mid
    }
    /// Size-weighted mid in ticks, NaN unless both sides have levels.
    #[wasm_bindgen(getter)]
    pub fn microprice(&self) -> f64 {
        self.microprice
    }
    /// Top-5 imbalance `(bidQty − askQty) / (bidQty + askQty)` in [-1, 1], NaN for an empty book.
    #[wasm_bindgen(getter)]
    pub fn imbalance(&self) -> f64 {
        self.imbalance
    }
    /// True after a gap, a rejected frame or `resetInstrument`, until the next snapshot.
    #[wasm_bindgen(getter, js_name = awaitingSnapshot)]
    pub fn awaiting_snapshot(&self) -> bool {
        self.awaiting_snapshot
    }
}

impl BookState {
    /// The state of one instrument (imbalance over the best 5 levels a side).
    pub(super) fn of(inst: &Instrument) -> BookState {
        let b = inst.book();
        let (bb, ba) = (b.best_bid(), b.best_ask());
        BookState {
            seq: inst.seq() as f64,
            bid_levels: u32::try_from(b.level_count(Side::Bid)).unwrap_or(u32::MAX),
            ask_levels: u32::try_from(b.level_count(Side::Ask)).unwrap_or(u32::MAX),
            best_bid: bb.map_or(f64::NAN, |l| l.price as f64),
            best_ask: ba.map_or(f64::NAN, |l| l.price as f64),
            best_bid_qty: bb.map_or(f64::NAN, |l| l.qty as f64),
            best_ask_qty: ba.map_or(f64::NAN, |l| l.qty as f64),
            mid: b.mid().unwrap_or(f64::NAN),
            microprice: b.microprice().unwrap_or(f64::NAN),
            imbalance: b.imbalance(5).unwrap_or(f64::NAN),
            awaiting_snapshot: inst.awaiting_snapshot(),
        }
    }
}
