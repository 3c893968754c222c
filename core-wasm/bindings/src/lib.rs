//! wasm-bindgen facade over `ferrodesk-engine`: argument checking and type translation only, no logic.
//! Every fallible call returns a JS `Error` whose message names the argument and its value; nothing panics.

use wasm_bindgen::prelude::*;

mod backtest;
mod book;
mod dataset;
mod options;
mod surface;
mod venues;

/// The engine's version.
#[wasm_bindgen(js_name = engineVersion)]
pub fn engine_version() -> String {
    ferrodesk_engine::VERSION.to_string()
}

/// `Number.MAX_SAFE_INTEGER`: the largest integer below which every whole `f64` is exact.
pub(crate) const MAX_SAFE_INTEGER: f64 = 9_007_199_254_740_991.0;

/// Checks that a JS number is a whole number in `[min, max]`; the error names the argument.
pub(crate) fn whole(name: &str, v: f64, min: f64, max: f64) -> Result<f64, JsError> {
    if !v.is_finite() || v.fract() != 0.0 || v < min || v > max {
        return Err(JsError::new(&format!(
            "{name} must be a whole number between {min} and {max}, got {v}"
        )));
    }
    Ok(v)
}
