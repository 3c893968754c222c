//! Dataset bindings: venue recordings, Tardis CSV and the sample day as event columns (docs/datasets.md).
//! Argument checks and translation only.

use ferrodesk_engine::dataset::{
    from_recording, from_tardis, sample_day, validate, Conversion, EventSlice, Events, Meta, SampleParams,
};
use ferrodesk_engine::venues::Venue;
use wasm_bindgen::prelude::*;

use crate::{whole, MAX_SAFE_INTEGER};

/// One instrument's event columns and meta. Column getters copy into new typed arrays.
#[wasm_bindgen]
pub struct Dataset {
    meta: Meta,
    events: Events,
    report: String,
}

#[wasm_bindgen]
impl Dataset {
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
        events: c.events,
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
        events,
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
