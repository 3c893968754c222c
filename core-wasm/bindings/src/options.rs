//! Option analytics bindings: `priceOption`, `impliedVol` and their columnar forms `priceBatch`, `ivBatch`.
//!
//! Models are named `bsm | black76 | black76coin | bachelier | baw | bjs1993 | bjs2002 | binomial |
//! binomial_european`, types `call | put`. Units are QuantLib's: vega and rho per 1.00, theta per year
//! (`black76coin`: everything in units of the underlying). Errors name the argument and its value.
//! Parameters are camelCase so the generated declarations read naturally from TypeScript.
#![allow(non_snake_case)]

use ferrodesk_engine::options::{self as opt, Greeks, Model, OptionType};
use wasm_bindgen::prelude::*;

use crate::whole;

fn parse_model(name: &str) -> Result<Model, JsError> {
    name.parse::<Model>()
        .map_err(|e| JsError::new(&format!("model: {e}")))
}

fn parse_type(name: &str) -> Result<OptionType, JsError> {
    name.parse::<OptionType>()
        .map_err(|e| JsError::new(&format!("optionType: {e}")))
}

/// Price and Greeks of one option.
#[wasm_bindgen]
pub struct OptionResult {
    inner: Greeks,
}

#[wasm_bindgen]
impl OptionResult {
    /// Present value (in units of the underlying for `black76coin`).
    #[wasm_bindgen(getter)]
    pub fn price(&self) -> f64 {
        self.inner.price
    }
    /// ∂V/∂S (∂V/∂F for the forward models).
    #[wasm_bindgen(getter)]
    pub fn delta(&self) -> f64 {
        self.inner.delta
    }
    /// ∂²V/∂S².
    #[wasm_bindgen(getter)]
    pub fn gamma(&self) -> f64 {
        self.inner.gamma
    }
    /// ∂V/∂σ per 1.00 of volatility.
    #[wasm_bindgen(getter)]
    pub fn vega(&self) -> f64 {
        self.inner.vega
    }
    /// ∂V/∂t per year of calendar time (divide by 365 for per day).
    #[wasm_bindgen(getter)]
    pub fn theta(&self) -> f64 {
        self.inner.theta
    }
    /// ∂V/∂r per 1.00 of rate (divide by 100 for per 1%).
    #[wasm_bindgen(getter)]
    pub fn rho(&self) -> f64 {
        self.inner.rho
    }
    /// ∂V/∂q per 1.00 of dividend yield.
    #[wasm_bindgen(getter)]
    pub fn dividendRho(&self) -> f64 {
        self.inner.dividend_rho
    }
    /// ∂²V/∂S∂σ.
    #[wasm_bindgen(getter)]
    pub fn vanna(&self) -> f64 {
        self.inner.vanna
    }
    /// ∂²V/∂σ².
    #[wasm_bindgen(getter)]
    pub fn volga(&self) -> f64 {
        self.inner.volga
    }
    /// ∂Δ/∂t per year.
    #[wasm_bindgen(getter)]
    pub fn charm(&self) -> f64 {
        self.inner.charm
    }
}

/// Prices one option. `spot` is the forward for `black76` and `black76coin`; `vol` is absolute (price
/// units per √year) for `bachelier`. `steps` sizes the binomial trees (a whole number from 1 to 10000;
/// ignored by the other models, pass 0). Throws an `Error` naming the first invalid argument.
#[wasm_bindgen(js_name = priceOption)]
#[allow(clippy::too_many_arguments)]
pub fn price_option(
    model: &str,
    optionType: &str,
    spot: f64,
    strike: f64,
    rate: f64,
    div: f64,
    time: f64,
    vol: f64,
    steps: f64,
) -> Result<OptionResult, JsError> {
    let model = parse_model(model)?;
    let kind = parse_type(optionType)?;
    let steps = if model.is_tree() {
        // `whole` has checked that `steps` is an integer in range, so the conversion is exact.
        whole("steps", steps, 1.0, f64::from(opt::MAX_STEPS))? as u32
    } else {
        0
    };
    opt::price_greeks(model, kind, spot, strike, rate, div, time, vol, steps)
        .map(|inner| OptionResult { inner })
        .map_err(|e| JsError::new(&e.to_string()))
}

/// An implied volatility, or the reason there is none.
#[wasm_bindgen]
pub struct IvResult {
    iv: f64,
    code: u8,
    error: Option<String>,
}

#[wasm_bindgen]
impl IvResult {
    /// The implied volatility; NaN when `error` is set.
    #[wasm_bindgen(getter)]
    pub fn iv(&self) -> f64 {
        self.iv
    }
    /// 0 on success, else the reason: 1 below intrinsic, 2 above maximum, 3 zero time, 4 invalid input,
    /// 5 no convergence (the codes `ivBatch` writes).
    #[wasm_bindgen(getter)]
    pub fn code(&self) -> u8 {
        self.code
    }
    /// Why no volatility reproduces the price, with the offending values; `undefined` on success.
    #[wasm_bindgen(getter)]
    pub fn error(&self) -> Option<String> {
        self.error.clone()
    }
}

/// Implied volatility of one price (binomial models use 201 steps). An impossible price comes back as
/// `iv = NaN` with `code` and `error` set, not as an exception; unknown model or type names throw.
#[wasm_bindgen(js_name = impliedVol)]
#[allow(clippy::too_many_arguments)]
pub fn implied_vol(
    model: &str,
    optionType: &str,
    spot: f64,
    strike: f64,
    rate: f64,
    div: f64,
    time: f64,
    price: f64,
) -> Result<IvResult, JsError> {
    let model = parse_model(model)?;
    let kind = parse_type(optionType)?;
    Ok(
        match opt::implied_vol(model, kind, spot, strike, rate, div, time, price) {
            Ok(iv) => IvResult {
                iv,
                code: 0,
                error: None,
            },
            Err(e) => IvResult {
                iv: f64::NAN,
                code: e.code(),
                error: Some(e.to_string()),
            },
        },
    )
}

/// Prices columns of options into caller-provided columns. `isCall` holds 1 for calls, 0 for puts; every
/// column must have its length (else an `Error` names the column). Invalid rows come back as NaN in every
/// output. Binomial rows use 201 steps.
#[wasm_bindgen(js_name = priceBatch)]
#[allow(clippy::too_many_arguments)]
pub fn price_batch(
    model: &str,
    isCall: &[u8],
    spot: &[f64],
    strike: &[f64],
    rate: &[f64],
    div: &[f64],
    time: &[f64],
    vol: &[f64],
    outPrice: &mut [f64],
    outDelta: &mut [f64],
    outGamma: &mut [f64],
    outVega: &mut [f64],
    outTheta: &mut [f64],
    outRho: &mut [f64],
) -> Result<(), JsError> {
    let model = parse_model(model)?;
    opt::price_batch(
        model, isCall, spot, strike, rate, div, time, vol, outPrice, outDelta, outGamma, outVega, outTheta,
        outRho,
    )
    .map_err(|e| JsError::new(&e.to_string()))
}

/// Implied volatilities of columns of prices. `outIv[i]` is NaN where `outCode[i]` is non-zero:
/// 1 below intrinsic, 2 above maximum, 3 zero time, 4 invalid input, 5 no convergence.
#[wasm_bindgen(js_name = ivBatch)]
#[allow(clippy::too_many_arguments)]
pub fn iv_batch(
    model: &str,
    isCall: &[u8],
    spot: &[f64],
    strike: &[f64],
    rate: &[f64],
    div: &[f64],
    time: &[f64],
    price: &[f64],
    outIv: &mut [f64],
    outCode: &mut [u8],
) -> Result<(), JsError> {
    let model = parse_model(model)?;
    opt::iv_batch(
        model, isCall, spot, strike, rate, div, time, price, outIv, outCode,
    )
    .map_err(|e| JsError::new(&e.to_string()))
}

/// Largest number of rows an [`OptionBatch`] holds: 13 f64 and 2 u8 columns of 25 M rows are about 2.65 GB,
/// inside wasm32's 4 GiB address space.
const MAX_BATCH_ROWS: f64 = 25_000_000.0;

/// Columns of option inputs and outputs that live in wasm memory, so JavaScript reads and writes them through
/// typed-array views (`new Float64Array(memory.buffer, batch.ptr("spot"), batch.capacity)`) with no copy in
/// either direction; one call computes a whole batch. A view is invalidated when wasm memory grows (any
/// allocation may grow it), so take views after creating the batches you need and re-take them if
/// `memory.buffer` changed.
///
/// Columns: `isCall` (u8: 1 call, 0 put), `spot`, `strike`, `rate`, `div`, `time`, `vol` (inputs);
/// `price` (output of pricing, input of implied vol), `delta`, `gamma`, `vega`, `theta`, `rho`, `iv` (f64
/// outputs) and `code` (u8 implied-vol reason, as `ivBatch`).
#[wasm_bindgen]
pub struct OptionBatch {
    is_call: Vec<u8>,
    spot: Vec<f64>,
    strike: Vec<f64>,
    rate: Vec<f64>,
    div: Vec<f64>,
    time: Vec<f64>,
    vol: Vec<f64>,
    price: Vec<f64>,
    delta: Vec<f64>,
    gamma: Vec<f64>,
    vega: Vec<f64>,
    theta: Vec<f64>,
    rho: Vec<f64>,
    iv: Vec<f64>,
    code: Vec<u8>,
}

#[wasm_bindgen]
impl OptionBatch {
    /// A batch of `capacity` rows (a whole number from 1 to 25,000,000), every column zeroed.
    #[wasm_bindgen(constructor)]
    pub fn new(capacity: f64) -> Result<OptionBatch, JsError> {
        let n = whole("capacity", capacity, 1.0, MAX_BATCH_ROWS)? as usize;
        let f = || vec![0.0; n];
        Ok(OptionBatch {
            is_call: vec![0; n],
            spot: f(),
            strike: f(),
            rate: f(),
            div: f(),
            time: f(),
            vol: f(),
            price: f(),
            delta: f(),
            gamma: f(),
            vega: f(),
            theta: f(),
            rho: f(),
            iv: f(),
            code: vec![0; n],
        })
    }

    /// Rows the batch holds.
    #[wasm_bindgen(getter)]
    pub fn capacity(&self) -> usize {
        self.spot.len()
    }

    /// Byte offset of a column in wasm memory (see the class notes); the error names an unknown column.
    pub fn ptr(&self, column: &str) -> Result<usize, JsError> {
        let f = |v: &Vec<f64>| v.as_ptr() as usize;
        Ok(match column {
            "isCall" => self.is_call.as_ptr() as usize,
            "code" => self.code.as_ptr() as usize,
            "spot" => f(&self.spot),
            "strike" => f(&self.strike),
            "rate" => f(&self.rate),
            "div" => f(&self.div),
            "time" => f(&self.time),
            "vol" => f(&self.vol),
            "price" => f(&self.price),
            "delta" => f(&self.delta),
            "gamma" => f(&self.gamma),
            "vega" => f(&self.vega),
            "theta" => f(&self.theta),
            "rho" => f(&self.rho),
            "iv" => f(&self.iv),
            other => {
                return Err(JsError::new(&format!(
                    "column: unknown {other:?} (expected isCall, spot, strike, rate, div, time, vol, price, \
                     delta, gamma, vega, theta, rho, iv or code)"
                )))
            }
        })
    }

    fn rows(&self, n: f64) -> Result<usize, JsError> {
        Ok(whole("n", n, 0.0, self.capacity() as f64)? as usize)
    }

    /// Prices rows `[0, n)` with any model, exactly as `priceOption` would row by row (binomial: 201 steps),
    /// writing `price`, `delta`, `gamma`, `vega`, `theta`, `rho`; invalid rows get NaN.
    #[wasm_bindgen(js_name = priceAll)]
    pub fn price_all(&mut self, model: &str, n: f64) -> Result<(), JsError> {
        let model = parse_model(model)?;
        let n = self.rows(n)?;
        opt::price_batch(
            model,
            &self.is_call[..n],
            &self.spot[..n],
            &self.strike[..n],
            &self.rate[..n],
            &self.div[..n],
            &self.time[..n],
            &self.vol[..n],
            &mut self.price[..n],
            &mut self.delta[..n],
            &mut self.gamma[..n],
            &mut self.vega[..n],
            &mut self.theta[..n],
            &mut self.rho[..n],
        )
        .map_err(|e| JsError::new(&e.to_string()))
    }

    /// The scenario-scan BSM kernel over rows `[0, n)`: two rows per step (SIMD128 in the `+simd128` build),
    /// errors absolute at a few ulps of max(S, K) (see the engine's `options::scan`). Same outputs as
    /// `priceAll("bsm", n)`.
    #[wasm_bindgen(js_name = scanBsm)]
    pub fn scan_bsm(&mut self, n: f64) -> Result<(), JsError> {
        let n = self.rows(n)?;
        opt::bsm_scan(
            &self.is_call[..n],
            &self.spot[..n],
            &self.strike[..n],
            &self.rate[..n],
            &self.div[..n],
            &self.time[..n],
            &self.vol[..n],
            [
                &mut self.price[..n],
                &mut self.delta[..n],
                &mut self.gamma[..n],
                &mut self.vega[..n],
                &mut self.theta[..n],
                &mut self.rho[..n],
            ],
        )
        .map_err(|e| JsError::new(&e.to_string()))
    }

    /// Implied volatility of `price` for rows `[0, n)` into `iv` and `code` (as `ivBatch`).
    #[wasm_bindgen(js_name = ivAll)]
    pub fn iv_all(&mut self, model: &str, n: f64) -> Result<(), JsError> {
        let model = parse_model(model)?;
        let n = self.rows(n)?;
        opt::iv_batch(
            model,
            &self.is_call[..n],
            &self.spot[..n],
            &self.strike[..n],
            &self.rate[..n],
            &self.div[..n],
            &self.time[..n],
            &self.price[..n],
            &mut self.iv[..n],
            &mut self.code[..n],
        )
        .map_err(|e| JsError::new(&e.to_string()))
    }
}

/// Whether this build of the engine uses WebAssembly SIMD128 in its vector kernels.
#[wasm_bindgen(js_name = simdEnabled)]
pub fn simd_enabled() -> bool {
    cfg!(all(target_arch = "wasm32", target_feature = "simd128"))
}
