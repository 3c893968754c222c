//! Book bindings: the `Engine` that applies protocol frames, its summaries and book states, and the synthetic
//! stream the benchmarks share with the native build. Translation and argument checks only.

use ferrodesk_engine::book::{Book, FillEstimate, Side, MAX_PRICE, MAX_QTY};
use ferrodesk_engine::market::Market;
use ferrodesk_engine::synth::{synth_frames, SynthParams};
use wasm_bindgen::prelude::*;

use crate::{whole, MAX_SAFE_INTEGER};

mod state;

pub use state::{ApplySummary, BookState};

/// Largest `depth` accepted by `topLevels`.
const MAX_TOP_DEPTH: f64 = 100_000.0;
/// Numbers per trade written by `drainTrades`.
const TRADE_FIELDS: usize = 5;

/// A snapshot frame of `depth` levels a side, then `batches` delta frames of `batchSize` records (with a trade
/// frame before about one batch in ten), concatenated, for instrument 1: the bytes the native benchmark applies.
/// Throws an `Error` naming the argument when one is out of range.
#[wasm_bindgen(js_name = synthFrames)]
pub fn synth(
    seed: f64,
    depth: f64,
    batches: f64,
    #[wasm_bindgen(js_name = batchSize)] batch_size: f64,
) -> Result<Vec<u8>, JsError> {
    let p = SynthParams::new_checked(
        whole("seed", seed, 0.0, MAX_SAFE_INTEGER)? as u64,
        whole("depth", depth, 1.0, f64::from(SynthParams::MAX_DEPTH))? as u32,
        whole("batches", batches, 0.0, f64::from(u32::MAX))? as u32,
        whole(
            "batchSize",
            batch_size,
            1.0,
            f64::from(SynthParams::MAX_BATCH_SIZE),
        )? as u32,
    )
    .map_err(|e| JsError::new(&e.to_string()))?;
    Ok(synth_frames(&p))
}

/// Books for every subscribed instrument, fed by binary protocol frames (docs/protocol.md).
#[wasm_bindgen]
pub struct Engine {
    market: Market,
}

impl Default for Engine {
    fn default() -> Self {
        Engine::new()
    }
}

fn instrument(v: f64) -> Result<u32, JsError> {
    Ok(whole("instrumentId", v, 0.0, f64::from(u32::MAX))? as u32)
}

fn parse_side(v: f64) -> Result<Side, JsError> {
    Ok(if whole("side", v, 0.0, 1.0)? == 0.0 {
        Side::Bid
    } else {
        Side::Ask
    })
}

impl Engine {
    fn book(&self, id: u32) -> Option<&Book> {
        self.market.instrument(id).map(|i| i.book())
    }

    fn fill(
        &self,
        instrument_id: f64,
        side: f64,
        qty: f64,
        pick: impl Fn(&FillEstimate) -> f64,
    ) -> Result<f64, JsError> {
        let id = instrument(instrument_id)?;
        let side = parse_side(side)?;
        let qty = whole("qty", qty, 0.0, MAX_QTY as f64)? as i64;
        let Some(book) = self.book(id) else {
            return Ok(pick(&FillEstimate {
                requested: qty,
                filled: 0,
                notional: 0,
                worst_price: None,
            }));
        };
        let est = book
            .fill_estimate(side, qty)
            .map_err(|e| JsError::new(&e.to_string()))?;
        Ok(pick(&est))
    }
}

#[wasm_bindgen]
impl Engine {
    #[wasm_bindgen(constructor)]
    pub fn new() -> Engine {
        Engine {
            market: Market::new(),
        }
    }

    /// Decodes and applies one or more concatenated frames. Bad market data is counted in the summary, never
    /// thrown.
    #[wasm_bindgen(js_name = applyFrames)]
    pub fn apply_frames(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "Uint8Array")] bytes: &[u8],
    ) -> ApplySummary {
        ApplySummary {
            inner: self.market.apply(bytes),
        }
    }

    /// Writes into `out` (length ≥ 2 + 6·depth, else throws): `out[0]` bid count, `out[1]` ask count, then
    /// `[priceTicks, qtyLots, cumQtyLots]` triples best first, bids from `out[2]`, asks from `out[2 + 3·depth]`,
    /// grouped into buckets of `grouping` ticks (1 = ungrouped; bids round down, asks round up). Returns
    /// bidCount + askCount. An unknown instrument has 0 levels; one awaiting a snapshot shows its last book.
    #[wasm_bindgen(js_name = topLevels)]
    pub fn top_levels(
        &self,
        #[wasm_bindgen(js_name = instrumentId)] instrument_id: f64,
        depth: f64,
        grouping: f64,
        out: &mut [f64],
    ) -> Result<u32, JsError> {
        let id = instrument(instrument_id)?;
        let depth = whole("depth", depth, 0.0, MAX_TOP_DEPTH)? as usize;
        let grouping = whole("grouping", grouping, 1.0, MAX_PRICE as f64)? as i64;
        let need = 2 + 6 * depth;
        if out.len() < need {
            return Err(JsError::new(&format!(
                "out.length is {}, expected at least {need} (2 + 6 × depth {depth})",
                out.len()
            )));
        }
        let (bids, asks) = out.split_at_mut(2 + 3 * depth);
        let (counts, bids) = bids.split_at_mut(2);
        let mut n = [0usize; 2];
        if let Some(book) = self.book(id) {
            for (i, (side, dst)) in [(Side::Bid, bids), (Side::Ask, asks)].into_iter().enumerate() {
                let mut slots = dst.chunks_exact_mut(3);
                n[i] = book
                    .for_each_top(side, depth, grouping, |l| {
                        if let Some(s) = slots.next() {
                            s.copy_from_slice(&[l.price as f64, l.qty as f64, l.cum_qty as f64]);
                        }
                    })
                    .map_err(|e| JsError::new(&e.to_string()))?;
            }
        }
        counts.copy_from_slice(&[n[0] as f64, n[1] as f64]);
        Ok((n[0] + n[1]) as u32)
    }

    /// Drains queued trades into `out`, 5 numbers each: `[instrumentId, tsEventMs, priceTicks, qtyLots,
    /// aggressor]` (aggressor 1 buyer, 2 seller, 0 unknown). Returns the number written (at most
    /// `out.length / 5`); the rest stay queued.
    #[wasm_bindgen(js_name = drainTrades)]
    pub fn drain_trades(&mut self, out: &mut [f64]) -> u32 {
        let mut n = 0;
        let slots = out.chunks_exact_mut(TRADE_FIELDS);
        let max = slots.len();
        for (t, dst) in self.market.drain_trades(max).zip(slots) {
            let ts_ms = t.trade.ts_event as f64 / 1e6;
            let fields = [
                f64::from(t.instrument),
                ts_ms,
                t.trade.price as f64,
                t.trade.qty as f64,
                f64::from(t.trade.aggressor as u8),
            ];
            dst.copy_from_slice(&fields);
            n += 1;
        }
        n
    }

    /// Trades waiting in the queue.
    #[wasm_bindgen(getter, js_name = queuedTrades)]
    pub fn queued_trades(&self) -> u32 {
        u32::try_from(self.market.queued_trades()).unwrap_or(u32::MAX)
    }

    /// Book state for one instrument, or undefined when no snapshot has been seen.
    #[wasm_bindgen(js_name = bookState)]
    pub fn book_state(
        &self,
        #[wasm_bindgen(js_name = instrumentId)] instrument_id: f64,
    ) -> Result<Option<BookState>, JsError> {
        let id = instrument(instrument_id)?;
        Ok(self.market.instrument(id).map(BookState::of))
    }

    /// Average price in ticks of filling `qty` lots against `side` (0 = walk the bids, i.e. sell; 1 = walk the
    /// asks, i.e. buy), over what the book can fill; NaN when nothing fills.
    #[wasm_bindgen(js_name = avgFillPrice)]
    pub fn avg_fill_price(
        &self,
        #[wasm_bindgen(js_name = instrumentId)] instrument_id: f64,
        #[wasm_bindgen(unchecked_param_type = "0 | 1")] side: f64,
        qty: f64,
    ) -> Result<f64, JsError> {
        self.fill(instrument_id, side, qty, |e| e.avg_price().unwrap_or(f64::NAN))
    }

    /// Total cost in tick·lots of filling `qty` lots against `side` (as `avgFillPrice`), over what fills.
    #[wasm_bindgen(js_name = fillCost)]
    pub fn fill_cost(
        &self,
        #[wasm_bindgen(js_name = instrumentId)] instrument_id: f64,
        #[wasm_bindgen(unchecked_param_type = "0 | 1")] side: f64,
        qty: f64,
    ) -> Result<f64, JsError> {
        self.fill(instrument_id, side, qty, |e| e.notional as f64)
    }

    /// Lots of `qty` that `side` can fill (as `avgFillPrice`).
    #[wasm_bindgen(js_name = fillableQty)]
    pub fn fillable_qty(
        &self,
        #[wasm_bindgen(js_name = instrumentId)] instrument_id: f64,
        #[wasm_bindgen(unchecked_param_type = "0 | 1")] side: f64,
        qty: f64,
    ) -> Result<f64, JsError> {
        self.fill(instrument_id, side, qty, |e| e.filled as f64)
    }

    /// Lots resting on `side` (0 bid, 1 ask) at prices at least as good as `priceTicks`.
    #[wasm_bindgen(js_name = qtyAtOrBetter)]
    pub fn qty_at_or_better(
        &self,
        #[wasm_bindgen(js_name = instrumentId)] instrument_id: f64,
        #[wasm_bindgen(unchecked_param_type = "0 | 1")] side: f64,
        #[wasm_bindgen(js_name = priceTicks)] price_ticks: f64,
    ) -> Result<f64, JsError> {
        let id = instrument(instrument_id)?;
        let side = parse_side(side)?;
        let price = whole("priceTicks", price_ticks, 0.0, MAX_PRICE as f64)? as i64;
        Ok(self
            .book(id)
            .map_or(0.0, |b| b.qty_at_or_better(side, price) as f64))
    }

    /// Forgets the book: awaiting snapshot. Deltas are ignored until the next snapshot; an instrument without a
    /// book is left alone.
    #[wasm_bindgen(js_name = resetInstrument)]
    pub fn reset_instrument(
        &mut self,
        #[wasm_bindgen(js_name = instrumentId)] instrument_id: f64,
    ) -> Result<(), JsError> {
        self.market.reset(instrument(instrument_id)?);
        Ok(())
    }

    /// Releases an instrument's book entirely (after unsubscribing); returns whether it had one.
    #[wasm_bindgen(js_name = removeInstrument)]
    pub fn remove_instrument(
        &mut self,
        #[wasm_bindgen(js_name = instrumentId)] instrument_id: f64,
    ) -> Result<bool, JsError> {
        Ok(self.market.remove(instrument(instrument_id)?))
    }
}
