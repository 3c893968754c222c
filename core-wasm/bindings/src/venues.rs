//! Venue recordings: replay a Binance or Bybit book recording and return the report as JSON text
//! (docs/recordings.md). Argument checks and translation only.

use ferrodesk_engine::venues::{book_report, parse_at, ReportOptions, Venue, MAX_DEPTH};
use wasm_bindgen::prelude::*;

use crate::whole;

/// Replays `bytes` (gzip, zip or plain text) as a `venue` recording (`binance-spot`, `binance-futures`, `kraken`, `coinbase`,
/// `bybit`) and returns the report JSON. `depth` is the number of levels a side in each snapshot taken at the
/// nanosecond timestamps of `atJson` (a JSON array of integers or digit strings; empty for none). Throws an
/// `Error` naming the argument and its value.
#[wasm_bindgen(js_name = bookReport)]
pub fn book_report_json(venue: &str, bytes: &[u8], depth: f64, at_json: &str) -> Result<String, JsError> {
    let venue: Venue = venue.parse().map_err(|e| JsError::new(&format!("venue: {e}")))?;
    let depth = whole("depth", depth, 1.0, MAX_DEPTH as f64)? as usize;
    let at = parse_at(at_json).map_err(|e| JsError::new(&format!("atJson: {e}")))?;
    let opts = ReportOptions {
        depth,
        at,
        ..ReportOptions::default()
    };
    let report = book_report(venue, bytes, &opts).map_err(|e| JsError::new(&format!("bytes: {e}")))?;
    Ok(report.to_string())
}
