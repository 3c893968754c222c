//! Dataset bindings: venue recordings, Tardis CSV and the sample day as event columns (docs/datasets.md).
//! Argument checks and translation only.

use ferrodesk_engine::dataset::{
    from_recording, from_tardis, sample_day, validate, Conversion, EventSlice, Events, Meta, SampleParams,
};
use ferrodesk_engine::venues::Venue;
use std::rc::Rc;
use wasm_bindgen::prelude::*;

use crate::{whole, MAX_SAFE_INTEGER};

/// One instrument's event columns and meta. Column getters copy into new typed arrays.
#[wasm_bindgen]
pub struct Dataset {
    meta: Meta,
    /// Shared with the backtests built on it (`Backtest.withDataset`), never copied.
    events: Rc<Events>,
    report: String,
}

impl Dataset {
    pub(crate) fn meta(&self) -> &Meta {
        &self.meta
    }

    pub(crate) fn events(&self) -> Rc<Events> {
        Rc::clone(&self.events)
    }
}

#[wasm_bindgen]
impl Dataset {
    /// An empty dataset to fill window by window with `append` (a file read in the worker). Throws on decimals
    /// outside 0..=18 or an empty symbol.
    #[wasm_bindgen(constructor)]
    pub fn new(
        venue: &str,
        symbol: &str,
        #[wasm_bindgen(js_name = priceDecimals)] price_decimals: f64,
        #[wasm_bindgen(js_name = qtyDecimals)] qty_decimals: f64,
    ) -> Result<Dataset, JsError> {
        let max = f64::from(ferrodesk_engine::dataset::MAX_DECIMALS);
        if symbol.trim().is_empty() {
            return Err(JsError::new("symbol must not be empty"));
        }
        Ok(Dataset {
            meta: Meta {
                venue: venue.to_string(),
                symbol: symbol.to_string(),
                price_decimals: whole("priceDecimals", price_decimals, 0.0, max)? as u32,
                qty_decimals: whole("qtyDecimals", qty_decimals, 0.0, max)? as u32,
            },
            events: Rc::new(Events::default()),
            report: "{}".to_string(),
        })
    }

    /// Appends a window of event columns, validated against the rows before it; on error (naming the column,
    /// row and value) nothing is appended. Throws too while backtests share the dataset.
    #[allow(clippy::too_many_arguments)]
    pub fn append(
        &mut self,
        #[wasm_bindgen(js_name = tsRecv)] ts_recv: &[i64],
        #[wasm_bindgen(js_name = tsEvent)] ts_event: &[i64],
        kind: &[u8],
        side: &[u8],
        price: &[i64],
        qty: &[i64],
        flags: &[u8],
    ) -> Result<(), JsError> {
        let events = Rc::get_mut(&mut self.events)
            .ok_or_else(|| JsError::new("the dataset is in use by a backtest and can no longer grow"))?;
        events
            .extend_checked(EventSlice {
                ts_recv,
                ts_event,
                kind,
                side,
                price,
                qty,
                flags,
            })
            .map_err(|e| JsError::new(&e.to_string()))
    }

    /// Checks the dataset is complete: not empty, and not ending inside an update group.
    pub fn finish(&self) -> Result<(), JsError> {
        if self.events.is_empty() {
            return Err(JsError::new("the dataset holds no events"));
        }
        if !self.events.is_complete() {
            return Err(JsError::new(
                &ferrodesk_engine::dataset::DatasetError::Truncated {
                    rows: self.events.len(),
                }
                .to_string(),
            ));
        }
        Ok(())
    }

    /// `ts_recv` of row `i` in ms (a float; exact to about 0.25 µs for current dates).
    #[wasm_bindgen(js_name = tsMsAt)]
    pub fn ts_ms_at(&self, i: f64) -> Result<f64, JsError> {
        let i = whole("i", i, 0.0, self.events.len().saturating_sub(1) as f64)? as usize;
        Ok(self.events.ts_recv[i] as f64 / 1e6)
    }

    /// The first row at or after `ms` (row count when none).
    #[wasm_bindgen(js_name = indexAtMs)]
    pub fn index_at_ms(&self, ms: f64) -> Result<f64, JsError> {
        if !ms.is_finite() {
            return Err(JsError::new(&format!("ms must be a finite number, got {ms}")));
        }
        // Rounding up to the next whole ns keeps "at or after" exact for fractional ms.
        let ns = (ms * 1e6).ceil().clamp(i64::MIN as f64, i64::MAX as f64) as i64;
        Ok(self.events.index_at(ns) as f64)
    }

    /// The first row after `i` with a later receive time (row count when none).
    #[wasm_bindgen(js_name = nextTime)]
    pub fn next_time(&self, i: f64) -> Result<f64, JsError> {
        let i = whole("i", i, 0.0, MAX_SAFE_INTEGER)? as usize;
        Ok(self.events.next_time(i) as f64)
    }

    /// Trade rows among `from..to`, the last `max`: `[tsMs, priceTicks, qtyLots, aggressor]` each.
    #[wasm_bindgen(js_name = tradesBetween)]
    pub fn trades_between(&self, from: f64, to: f64, max: f64) -> Result<Vec<f64>, JsError> {
        let from = whole("from", from, 0.0, MAX_SAFE_INTEGER)? as usize;
        let to = whole("to", to, 0.0, MAX_SAFE_INTEGER)? as usize;
        let max = whole("max", max, 0.0, 10_000_000.0)? as usize;
        Ok(self.events.trades_between(from, to, max))
    }

    #[wasm_bindgen(js_name = tradeCount)]
    pub fn trade_count(&self) -> f64 {
        self.events.trade_count() as f64
    }

    /// SHA-256 of the meta and the event columns, 64 hex digits (docs/datasets.md).
    pub fn digest(&self) -> String {
        self.events.digest(&self.meta)
    }

    #[wasm_bindgen(getter)]
    pub fn length(&self) -> usize {
        self.events.len()
    }

    #[wasm_bindgen(getter)]
    pub fn venue(&self) -> String {
        self.meta.venue.clone()
    }

    #[wasm_bindgen(getter)]
    pub fn symbol(&self) -> String {
        self.meta.symbol.clone()
    }

    #[wasm_bindgen(getter = priceDecimals)]
    pub fn price_decimals(&self) -> u32 {
        self.meta.price_decimals
    }

    #[wasm_bindgen(getter = qtyDecimals)]
    pub fn qty_decimals(&self) -> u32 {
        self.meta.qty_decimals
    }

    /// Receive times, ns since the epoch (`BigInt64Array`).
    #[wasm_bindgen(js_name = tsRecv)]
    pub fn ts_recv(&self) -> Vec<i64> {
        self.events.ts_recv.clone()
    }

    /// Venue event times, ns since the epoch (`BigInt64Array`).
    #[wasm_bindgen(js_name = tsEvent)]
    pub fn ts_event(&self) -> Vec<i64> {
        self.events.ts_event.clone()
    }

    pub fn kind(&self) -> Vec<u8> {
        self.events.kind.clone()
    }

    pub fn side(&self) -> Vec<u8> {
        self.events.side.clone()
    }

    /// Prices in ticks (`BigInt64Array`).
    pub fn price(&self) -> Vec<i64> {
        self.events.price.clone()
    }

    /// Quantities in lots (`BigInt64Array`).
    pub fn qty(&self) -> Vec<i64> {
        self.events.qty.clone()
    }

    pub fn flags(&self) -> Vec<u8> {
        self.events.flags.clone()
    }

    /// What the import saw, as JSON: trades kept and dropped, lines, rejected lines with reasons, and the venue
    /// replay's counters (`{}` for the sample day).
    #[wasm_bindgen(js_name = reportJson)]
    pub fn report_json(&self) -> String {
        self.report.clone()
    }
}

fn from_conversion(c: Conversion) -> Dataset {
    let s = c.stats;
    let rejections: Vec<String> = c
        .rejections
        .iter()
        .map(|r| format!("{{\"line\":{},\"reason\":{}}}", r.line, json_string(&r.reason)))
        .collect();
    let report = format!(
        "{{\"trades\":{},\"trades_dropped\":{},\"lines\":{},\"file_rejected\":{},\"rejections\":[{}],\
         \"snapshots_applied\":{},\"updates_applied\":{},\"stale_dropped\":{},\"gaps\":{},\"resyncs\":{},\
         \"crossed\":{},\"rejected\":{},\"ticker\":{},\"ticker_mismatches\":{},\"checksum\":{},\
         \"checksum_failures\":{}}}",
        c.trades,
        c.trades_dropped,
        c.lines,
        c.file_rejected,
        rejections.join(","),
        s.snapshots_applied,
        s.updates_applied,
        s.stale_dropped,
        s.gaps,
        s.resyncs,
        s.crossed,
        s.rejected,
        s.ticker,
        s.ticker_mismatches,
        s.checksum,
        s.checksum_failures
    );
    Dataset {
        meta: c.meta,
        events: Rc::new(c.events),
        report,
    }
}

fn json_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for ch in s.chars() {
        match ch {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Converts a `venue` recording (`binance-spot`, `binance-futures`, `bybit`, `kraken`, `coinbase`; gzip, zip
/// or text) into one instrument's dataset; `symbol` picks the instrument of a multi-instrument capture.
/// Throws an `Error` naming the field and value (unknown venue or symbol, a truncated stream with its line).
#[wasm_bindgen(js_name = datasetFromRecording)]
pub fn dataset_from_recording(venue: &str, bytes: &[u8], symbol: Option<String>) -> Result<Dataset, JsError> {
    let venue: Venue = venue.parse().map_err(|e| JsError::new(&format!("venue: {e}")))?;
    let c =
        from_recording(venue, bytes, symbol.as_deref()).map_err(|e| JsError::new(&format!("bytes: {e}")))?;
    Ok(from_conversion(c))
}

/// Converts Tardis `incremental_book_L2` and/or `trades` CSV (plain or gzip) of one instrument. Throws an
/// `Error` with the line, field and value of the first bad row.
#[wasm_bindgen(js_name = datasetFromTardis)]
pub fn dataset_from_tardis(book: Option<Vec<u8>>, trades: Option<Vec<u8>>) -> Result<Dataset, JsError> {
    let c = from_tardis(book.as_deref(), trades.as_deref()).map_err(|e| JsError::new(&e.to_string()))?;
    Ok(from_conversion(c))
}

/// The built-in sample day for `seed` over `spanSeconds` of data time (default 3600, at most 14400) with
/// about `depth` levels a side (default 400, 10..=5000). Deterministic per seed.
#[wasm_bindgen(js_name = sampleDay)]
pub fn sample_day_js(
    seed: f64,
    #[wasm_bindgen(js_name = spanSeconds)] span_seconds: Option<f64>,
    depth: Option<f64>,
) -> Result<Dataset, JsError> {
    let d = SampleParams::default();
    let p = SampleParams::new_checked(
        whole("seed", seed, 0.0, MAX_SAFE_INTEGER)? as u64,
        whole(
            "spanSeconds",
            span_seconds.unwrap_or(d.span_s as f64),
            1.0,
            SampleParams::MAX_SPAN_S as f64,
        )? as u64,
        whole(
            "depth",
            depth.unwrap_or(f64::from(d.depth)),
            10.0,
            f64::from(SampleParams::MAX_DEPTH),
        )? as u32,
    )
    .map_err(|e| JsError::new(&e.to_string()))?;
    let (meta, events) = sample_day(p);
    Ok(Dataset {
        meta,
        events: Rc::new(events),
        report: "{}".to_string(),
    })
}

/// Checks event columns against the schema (docs/datasets.md), continuing from the previous window's last
/// row when `prevTsRecv`/`prevKind`/`prevFlags` are given; `firstRow` numbers rows in messages. Throws an
/// `Error` naming the column, row and value of the first problem.
#[wasm_bindgen(js_name = validateEvents)]
#[allow(clippy::too_many_arguments)]
pub fn validate_events(
    #[wasm_bindgen(js_name = tsRecv)] ts_recv: &[i64],
    #[wasm_bindgen(js_name = tsEvent)] ts_event: &[i64],
    kind: &[u8],
    side: &[u8],
    price: &[i64],
    qty: &[i64],
    flags: &[u8],
    #[wasm_bindgen(js_name = firstRow)] first_row: f64,
    #[wasm_bindgen(js_name = prevTsRecv)] prev_ts_recv: Option<i64>,
    #[wasm_bindgen(js_name = prevKind)] prev_kind: Option<u8>,
    #[wasm_bindgen(js_name = prevFlags)] prev_flags: Option<u8>,
) -> Result<(), JsError> {
    let first_row = whole("firstRow", first_row, 0.0, MAX_SAFE_INTEGER)? as usize;
    let prev = match (prev_ts_recv, prev_kind, prev_flags) {
        (Some(ts_recv), Some(kind), Some(flags)) => {
            Some(ferrodesk_engine::dataset::PrevRow { ts_recv, kind, flags })
        }
        (None, None, None) => None,
        _ => {
            return Err(JsError::new(
                "prevTsRecv, prevKind and prevFlags must be given together or not at all",
            ))
        }
    };
    let w = EventSlice {
        ts_recv,
        ts_event,
        kind,
        side,
        price,
        qty,
        flags,
    };
    validate(w, prev, first_row).map_err(|e| JsError::new(&e.to_string()))
}
