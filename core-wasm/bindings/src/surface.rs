//! JavaScript facade over `ferrodesk_engine::surface`: the surface report as JSON text, and array helpers
//! for drawing smiles and surfaces. Every failure becomes a `JsError` naming the argument and its value.

use ferrodesk_engine::surface::arbitrage::density_g;
use ferrodesk_engine::surface::json::report_value;
use ferrodesk_engine::surface::{
    build_surface, import_chain, ChainFormat, ColumnMapping, SsviParams, SurfaceOptions, SviParams,
    SviSurface, UtcTimestamp,
};
use wasm_bindgen::prelude::*;

fn svi_params(params: &[f64]) -> Result<SviParams, JsError> {
    SviParams::from_slice(params).map_err(|e| JsError::new(&format!("params {params:?}: {e}")))
}

fn same_length(k: &[f64], out: &[f64]) -> Result<(), JsError> {
    if k.len() == out.len() {
        Ok(())
    } else {
        Err(JsError::new(&format!(
            "out has length {}, k has length {}",
            out.len(),
            k.len()
        )))
    }
}

fn fill(k: &[f64], out: &mut [f64], f: impl Fn(f64) -> f64) -> Result<(), JsError> {
    same_length(k, out)?;
    for (o, &x) in out.iter_mut().zip(k) {
        *o = f(x);
    }
    Ok(())
}

/// Imports a chain (`format`: `yfinance`, `deribit` or `generic`, the latter with `mappingJson`) and
/// returns the surface report as JSON, including an `import` section listing rejected rows.
#[wasm_bindgen(js_name = buildSurfaceJson)]
pub fn build_surface_json(
    text: &str,
    format: &str,
    as_of_ms: f64,
    mapping_json: Option<String>,
) -> Result<String, JsError> {
    let as_of =
        UtcTimestamp::from_unix_millis(as_of_ms).map_err(|e| JsError::new(&format!("asOfMs: {e}")))?;
    let mapping = mapping_json
        .as_deref()
        .map(ColumnMapping::from_json)
        .transpose()
        .map_err(|e| JsError::new(&format!("mappingJson: {e}")))?;
    if mapping.is_some() && !format.trim().eq_ignore_ascii_case("generic") {
        return Err(JsError::new(&format!(
            "mappingJson is only used with format \"generic\", not {format:?}"
        )));
    }
    let format =
        ChainFormat::from_name(format, mapping).map_err(|e| JsError::new(&format!("format: {e}")))?;
    let outcome = import_chain(text, &format).map_err(|e| JsError::new(&format!("text: {e}")))?;
    let report = build_surface(&outcome.chain, as_of, &SurfaceOptions::default());
    Ok(report_value(&report, Some(&outcome), true).to_string())
}

/// Raw SVI total variance `w(k)` for `params = [a, b, rho, m, sigma]`, written into `out`.
#[wasm_bindgen(js_name = sviTotalVariance)]
pub fn svi_total_variance(params: &[f64], k: &[f64], out: &mut [f64]) -> Result<(), JsError> {
    let p = svi_params(params)?;
    fill(k, out, |x| p.total_variance(x))
}

/// Raw SVI implied volatility `√(w(k)/t)`, written into `out`.
#[wasm_bindgen(js_name = sviImpliedVol)]
pub fn svi_implied_vol(params: &[f64], t: f64, k: &[f64], out: &mut [f64]) -> Result<(), JsError> {
    let p = svi_params(params)?;
    if !(t.is_finite() && t > 0.0) {
        return Err(JsError::new(&format!(
            "t = {t}: time to expiry must be a positive number of years"
        )));
    }
    fill(k, out, |x| p.implied_vol(x, t))
}

/// Gatheral's butterfly density factor `g(k)` of a raw SVI smile (negative ⇒ butterfly arbitrage).
#[wasm_bindgen(js_name = sviDensityG)]
pub fn svi_density_g(params: &[f64], k: &[f64], out: &mut [f64]) -> Result<(), JsError> {
    let p = svi_params(params)?;
    fill(k, out, |x| {
        let (w, w1, w2) = p.derivatives(x);
        density_g(x, w, w1, w2)
    })
}

/// SSVI total variance `w(k, θ)` for `params = [rho, eta, gamma]`, written into `out`.
#[wasm_bindgen(js_name = ssviTotalVariance)]
pub fn ssvi_total_variance(params: &[f64], theta: f64, k: &[f64], out: &mut [f64]) -> Result<(), JsError> {
    let [rho, eta, gamma] = params else {
        return Err(JsError::new(&format!(
            "params {params:?}: expected 3 values (rho, eta, gamma)"
        )));
    };
    let valid = rho.abs() < 1.0 && *eta > 0.0 && (0.0..=1.0).contains(gamma);
    if !valid {
        return Err(JsError::new(&format!(
            "params {params:?}: need |rho| < 1, eta > 0, 0 ≤ gamma ≤ 1"
        )));
    }
    if !(theta.is_finite() && theta > 0.0) {
        return Err(JsError::new(&format!(
            "theta = {theta}: ATM total variance must be positive"
        )));
    }
    let p = SsviParams {
        rho: *rho,
        eta: *eta,
        gamma: *gamma,
    };
    fill(k, out, |x| p.total_variance(x, theta))
}

/// Implied volatility on a `(t, k)` grid of the surface through SVI slices (`times[i]` with
/// `params[5i..5i+5]`), total variance interpolated linearly in `t`. `out` is row-major: one row per `t`.
#[wasm_bindgen(js_name = sviSurfaceImpliedVolGrid)]
pub fn svi_surface_implied_vol_grid(
    times: &[f64],
    params: &[f64],
    k: &[f64],
    t: &[f64],
    out: &mut [f64],
) -> Result<(), JsError> {
    if params.len() != 5 * times.len() {
        let msg = format!(
            "params has {} values, expected 5 per slice for {} times",
            params.len(),
            times.len()
        );
        return Err(JsError::new(&msg));
    }
    let slices = times
        .iter()
        .zip(params.chunks_exact(5))
        .map(|(&ti, p)| svi_params(p).map(|p| (ti, p)))
        .collect::<Result<Vec<_>, _>>()?;
    let surface = SviSurface::new(slices).map_err(|e| JsError::new(&format!("times {times:?}: {e}")))?;
    surface
        .implied_vol_grid(k, t, out)
        .map_err(|e| JsError::new(&format!("out: {e}")))
}
