//! Column-oriented pricing and implied volatility: one row per index across equal-length slices, results
//! written into caller-provided output slices, no allocation per row (nor per call, except the binomial
//! tree's single layer vector).
//!
//! `kinds` holds 1 for a call and 0 for a put. A row whose inputs fail validation yields NaN in every
//! output (and, for [`iv_batch`], its [`IvError::code`]); the rest of the batch is unaffected.
//! Binomial rows use [`DEFAULT_BINOMIAL_STEPS`].
//!
//! The BSM path is one pass over zipped slices: no bounds checks, no early exits, validity folded into a
//! NaN mask instead of a branch, and the same arithmetic as the scalar call (results are bit-identical).
//! The transcendental functions (`exp`, `ln`, Cody's rational `erfc`) remain scalar calls, which bounds
//! what the auto-vectoriser can do with the rest; there is no hand-written `simd128` path.

use thiserror::Error;

use super::error::IvError;
use super::european::generalized_bsm;
use super::implied::{implied_vol, DEFAULT_BINOMIAL_STEPS};
use super::pricing::price_greeks;
use super::types::{Model, OptionType};

/// Mismatched column lengths.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum BatchError {
    /// A column's length differs from the `kinds` column's.
    #[error("column {column} has length {len}, expected {expected}")]
    LengthMismatch {
        /// The column's name.
        column: &'static str,
        /// Its length.
        len: usize,
        /// The length of `kinds`.
        expected: usize,
    },
}

fn check_lengths(expected: usize, columns: &[(&'static str, usize)]) -> Result<(), BatchError> {
    for &(column, len) in columns {
        if len != expected {
            return Err(BatchError::LengthMismatch {
                column,
                len,
                expected,
            });
        }
    }
    Ok(())
}

fn kind_of(byte: u8) -> OptionType {
    if byte != 0 {
        OptionType::Call
    } else {
        OptionType::Put
    }
}

/// Prices and first-order Greeks (plus gamma) for every row.
///
/// # Errors
/// [`BatchError::LengthMismatch`] if any column's length differs from `kinds.len()`; nothing is written.
#[allow(clippy::too_many_arguments)]
pub fn price_batch(
    model: Model,
    kinds: &[u8],
    s: &[f64],
    k: &[f64],
    r: &[f64],
    q: &[f64],
    t: &[f64],
    vol: &[f64],
    out_price: &mut [f64],
    out_delta: &mut [f64],
    out_gamma: &mut [f64],
    out_vega: &mut [f64],
    out_theta: &mut [f64],
    out_rho: &mut [f64],
) -> Result<(), BatchError> {
    let n = kinds.len();
    check_lengths(
        n,
        &[
            ("spot", s.len()),
            ("strike", k.len()),
            ("rate", r.len()),
            ("dividend", q.len()),
            ("time", t.len()),
            ("vol", vol.len()),
            ("outPrice", out_price.len()),
            ("outDelta", out_delta.len()),
            ("outGamma", out_gamma.len()),
            ("outVega", out_vega.len()),
            ("outTheta", out_theta.len()),
            ("outRho", out_rho.len()),
        ],
    )?;
    if model == Model::Bsm {
        bsm_columns(
            kinds,
            s,
            k,
            r,
            q,
            t,
            vol,
            [out_price, out_delta, out_gamma, out_vega, out_theta, out_rho],
        );
        return Ok(());
    }
    for i in 0..n {
        let row = price_greeks(
            model,
            kind_of(kinds[i]),
            s[i],
            k[i],
            r[i],
            q[i],
            t[i],
            vol[i],
            DEFAULT_BINOMIAL_STEPS,
        )
        .map(|g| [g.price, g.delta, g.gamma, g.vega, g.theta, g.rho])
        .unwrap_or([f64::NAN; 6]);
        out_price[i] = row[0];
        out_delta[i] = row[1];
        out_gamma[i] = row[2];
        out_vega[i] = row[3];
        out_theta[i] = row[4];
        out_rho[i] = row[5];
    }
    Ok(())
}

/// The BSM kernel over columns (lengths already checked). Invalid rows, including `t = 0`, become NaN.
#[allow(clippy::too_many_arguments)]
fn bsm_columns(
    kinds: &[u8],
    s: &[f64],
    k: &[f64],
    r: &[f64],
    q: &[f64],
    t: &[f64],
    vol: &[f64],
    out: [&mut [f64]; 6],
) {
    let [out_price, out_delta, out_gamma, out_vega, out_theta, out_rho] = out;
    let inputs = kinds.iter().zip(s).zip(k).zip(r).zip(q).zip(t).zip(vol);
    let outputs = out_price
        .iter_mut()
        .zip(out_delta.iter_mut())
        .zip(out_gamma.iter_mut())
        .zip(out_vega.iter_mut());
    let outputs = outputs.zip(out_theta.iter_mut()).zip(out_rho.iter_mut());
    for (((((((&kind, &s), &k), &r), &q), &t), &vol), (((((p, d), g), v), th), rh)) in inputs.zip(outputs) {
        let ok = s > 0.0
            && k > 0.0
            && t > 0.0
            && vol > 0.0
            && r.is_finite()
            && q.is_finite()
            && s.is_finite()
            && k.is_finite()
            && t.is_finite()
            && vol.is_finite();
        let mask = if ok { 0.0 } else { f64::NAN };
        // Substitute harmless inputs on invalid rows so the kernel never sees NaN-driven branches.
        let pick = |x: f64| if ok { x } else { 1.0 };
        let (greeks, _) = generalized_bsm(
            kind_of(kind),
            pick(s),
            pick(k),
            pick(r),
            pick(r) - pick(q),
            pick(t),
            pick(vol),
        );
        *p = greeks.price + mask;
        *d = greeks.delta + mask;
        *g = greeks.gamma + mask;
        *v = greeks.vega + mask;
        *th = greeks.theta + mask;
        *rh = greeks.rho + mask;
    }
}

/// Implied volatility for every row; `out_code[i]` is 0 on success or [`IvError::code`] with NaN in
/// `out_iv[i]`.
///
/// # Errors
/// [`BatchError::LengthMismatch`] if any column's length differs from `kinds.len()`; nothing is written.
#[allow(clippy::too_many_arguments)]
pub fn iv_batch(
    model: Model,
    kinds: &[u8],
    s: &[f64],
    k: &[f64],
    r: &[f64],
    q: &[f64],
    t: &[f64],
    price: &[f64],
    out_iv: &mut [f64],
    out_code: &mut [u8],
) -> Result<(), BatchError> {
    let n = kinds.len();
    check_lengths(
        n,
        &[
            ("spot", s.len()),
            ("strike", k.len()),
            ("rate", r.len()),
            ("dividend", q.len()),
            ("time", t.len()),
            ("price", price.len()),
            ("outIv", out_iv.len()),
            ("outCode", out_code.len()),
        ],
    )?;
    for i in 0..n {
        let (iv, code) = match implied_vol(model, kind_of(kinds[i]), s[i], k[i], r[i], q[i], t[i], price[i]) {
            Ok(iv) => (iv, 0),
            Err(e) => (f64::NAN, e.code()),
        };
        out_iv[i] = iv;
        out_code[i] = code;
    }
    Ok(())
}

/// The per-row error of [`iv_batch`] decoded from its code, for display.
#[must_use]
pub fn iv_code_name(code: u8) -> &'static str {
    match code {
        0 => "ok",
        1 => "below intrinsic",
        2 => "above maximum",
        3 => "zero time",
        4 => "invalid input",
        5 => "no convergence",
        _ => "unknown",
    }
}

impl IvError {
    /// The name of this error's reason code (see [`iv_code_name`]).
    #[must_use]
    pub fn code_name(&self) -> &'static str {
        iv_code_name(self.code())
    }
}
