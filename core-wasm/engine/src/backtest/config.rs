//! The backtest configuration: parsed from JSON (`serde_json::Value`, camelCase keys) and checked field by
//! field. Every error names the JSON path of the offending field, its value and the accepted range. Unknown keys
//! are refused, so that a misspelt option cannot silently fall back to its default.
//!
//! Defaults: strategy `mm` with the defaults of [`MmParams`]; feed and order latency constant 0 ns; fees 0 bps;
//! fill model `queue`; seed 1; `checkpointEvery` 65,536 events; `equityIntervalNs` 1 s. `priceDecimals` and
//! `qtyDecimals` are required (they come with the dataset's `Meta`).

use std::fmt;

use serde_json::{Map, Value};

use crate::book::MAX_QTY;
use crate::dataset::MAX_DECIMALS;

/// Largest latency accepted anywhere, in ns (one hour).
pub const MAX_LATENCY_NS: i64 = 3_600_000_000_000;
/// Largest `seed`: `2^53 − 1`, so that it survives a trip through a JS number.
pub const MAX_SEED: u64 = (1 << 53) - 1;

/// A configuration field that is missing, of the wrong type or out of range.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    /// JSON path of the field, e.g. `strategy.params.spreadTicks`.
    pub path: String,
    /// The offending value as JSON text (`missing` when absent).
    pub value: String,
    pub reason: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "config field {} is {}: {}", self.path, self.value, self.reason)
    }
}

impl std::error::Error for ConfigError {}

fn err(path: &str, value: Option<&Value>, reason: impl Into<String>) -> ConfigError {
    let mut value = value.map_or_else(|| "missing".to_string(), Value::to_string);
    if value.len() > 80 {
        value.truncate(77);
        value.push_str("...");
    }
    ConfigError {
        path: path.to_string(),
        value,
        reason: reason.into(),
    }
}

/// A latency distribution, in ns.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum LatencyConfig {
    Constant {
        ns: i64,
    },
    /// Uniform integer in `min_ns..=max_ns`.
    Uniform {
        min_ns: i64,
        max_ns: i64,
    },
    /// `median_ns × exp(sigma × z)` with `z` standard normal, rounded, capped at [`MAX_LATENCY_NS`].
    Lognormal {
        median_ns: f64,
        sigma: f64,
    },
}

/// Which queue-position model resting orders use (see `fill.rs`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum FillModelConfig {
    Queue,
    Probabilistic { power: f64 },
}

/// Fees in basis points of the traded notional; a negative maker fee is a rebate.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct FeesConfig {
    pub maker_bps: f64,
    pub taker_bps: f64,
}

/// Market-maker parameters (`strategy.params` of kind `mm`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MmParams {
    /// Distance between the bid and the ask quote, in ticks (default 2).
    pub spread_ticks: i64,
    /// Reservation-price shift per lot of inventory, in ticks (default 0).
    pub skew_ticks_per_lot: f64,
    /// Quote size in lots (default 1).
    pub order_qty_lots: i64,
    /// Largest |position| the quotes may lead to, in lots (default 10).
    pub max_position_lots: i64,
    /// Requote when a quote's target moved by at least this many ticks (default 1).
    pub requote_ticks: i64,
}

impl Default for MmParams {
    fn default() -> Self {
        MmParams {
            spread_ticks: 2,
            skew_ticks_per_lot: 0.0,
            order_qty_lots: 1,
            max_position_lots: 10,
            requote_ticks: 1,
        }
    }
}

/// Imbalance-taker parameters (`strategy.params` of kind `imbalance`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ImbalanceParams {
    /// Levels per side summed for the imbalance (default 5).
    pub levels: usize,
    /// Trade when |imbalance| exceeds this, in (0, 1) (default 0.6).
    pub threshold: f64,
    /// Market order size in lots (default 1).
    pub order_qty_lots: i64,
    /// Largest |position| in lots (default 10).
    pub max_position_lots: i64,
    /// Least data time between two orders, ns (default 1 s).
    pub cooldown_ns: i64,
}

impl Default for ImbalanceParams {
    fn default() -> Self {
        ImbalanceParams {
            levels: 5,
            threshold: 0.6,
            order_qty_lots: 1,
            max_position_lots: 10,
            cooldown_ns: 1_000_000_000,
        }
    }
}

/// The strategy that drives the orders.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum StrategyConfig {
    Mm(MmParams),
    Imbalance(ImbalanceParams),
    /// Orders come from outside through `step` / `submit`.
    External,
}

/// A checked backtest configuration.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    pub strategy: StrategyConfig,
    pub feed_latency: LatencyConfig,
    pub order_latency: LatencyConfig,
    pub fees: FeesConfig,
    pub fill_model: FillModelConfig,
    pub seed: u64,
    pub checkpoint_every: usize,
    pub equity_interval_ns: i64,
    pub price_decimals: u32,
    pub qty_decimals: u32,
}

impl Config {
    /// A configuration with every default and the given decimals.
    pub fn with_decimals(price_decimals: u32, qty_decimals: u32) -> Config {
        Config {
            strategy: StrategyConfig::Mm(MmParams::default()),
            feed_latency: LatencyConfig::Constant { ns: 0 },
            order_latency: LatencyConfig::Constant { ns: 0 },
            fees: FeesConfig::default(),
            fill_model: FillModelConfig::Queue,
            seed: 1,
            checkpoint_every: 65_536,
            equity_interval_ns: 1_000_000_000,
            price_decimals,
            qty_decimals,
        }
    }

    /// Parses and checks a JSON configuration (module docs for the shape and the defaults).
    ///
    /// # Errors
    /// The first bad field, named by its JSON path.
    pub fn from_json(text: &str) -> Result<Config, ConfigError> {
        let root: Value = serde_json::from_str(text).map_err(|e| ConfigError {
            path: "(root)".to_string(),
            value: "not JSON".to_string(),
            reason: e.to_string(),
        })?;
        let obj = object("(root)", Some(&root))?;
        known(
            "",
            obj,
            &[
                "strategy",
                "feedLatency",
                "orderLatency",
                "fees",
                "fillModel",
                "seed",
                "checkpointEvery",
                "equityIntervalNs",
                "priceDecimals",
                "qtyDecimals",
            ],
        )?;
        let price_decimals = int(
            "priceDecimals",
            obj.get("priceDecimals"),
            None,
            0,
            i64::from(MAX_DECIMALS),
        )?;
        let qty_decimals = int(
            "qtyDecimals",
            obj.get("qtyDecimals"),
            None,
            0,
            i64::from(MAX_DECIMALS),
        )?;
        let mut c = Config::with_decimals(price_decimals as u32, qty_decimals as u32);
        if let Some(v) = obj.get("strategy") {
            c.strategy = strategy(v)?;
        }
        if let Some(v) = obj.get("feedLatency") {
            c.feed_latency = latency("feedLatency", v)?;
        }
        if let Some(v) = obj.get("orderLatency") {
            c.order_latency = latency("orderLatency", v)?;
        }
        if let Some(v) = obj.get("fees") {
            let o = object("fees", Some(v))?;
            known("fees.", o, &["makerBps", "takerBps"])?;
            c.fees.maker_bps = num("fees.makerBps", o.get("makerBps"), 0.0, -1000.0, 1000.0)?;
            c.fees.taker_bps = num("fees.takerBps", o.get("takerBps"), 0.0, -1000.0, 1000.0)?;
        }
        if let Some(v) = obj.get("fillModel") {
            let o = object("fillModel", Some(v))?;
            c.fill_model = match kind("fillModel", o, &["queue", "probabilistic"])? {
                "queue" => {
                    known("fillModel.", o, &["kind"])?;
                    FillModelConfig::Queue
                }
                _ => {
                    known("fillModel.", o, &["kind", "power"])?;
                    let power = num("fillModel.power", o.get("power"), 2.0, 0.01, 100.0)?;
                    FillModelConfig::Probabilistic { power }
                }
            };
        }
        c.seed = int("seed", obj.get("seed"), Some(1), 0, MAX_SEED as i64)? as u64;
        c.checkpoint_every = int(
            "checkpointEvery",
            obj.get("checkpointEvery"),
            Some(65_536),
            1,
            1 << 32,
        )? as usize;
        c.equity_interval_ns = int(
            "equityIntervalNs",
            obj.get("equityIntervalNs"),
            Some(1_000_000_000),
            1_000,
            86_400_000_000_000 * 366,
        )?;
        Ok(c)
    }
}

fn object<'a>(path: &str, v: Option<&'a Value>) -> Result<&'a Map<String, Value>, ConfigError> {
    v.and_then(Value::as_object)
        .ok_or_else(|| err(path, v, "expected a JSON object"))
}

/// Refuses keys of `obj` outside `allowed`; `prefix` is the object's path followed by a dot (or empty).
fn known(prefix: &str, obj: &Map<String, Value>, allowed: &[&str]) -> Result<(), ConfigError> {
    match obj.keys().find(|k| !allowed.contains(&k.as_str())) {
        Some(k) => Err(err(
            &format!("{prefix}{k}"),
            obj.get(k),
            format!("unknown field (expected one of {})", allowed.join(", ")),
        )),
        None => Ok(()),
    }
}

fn kind<'a>(path: &str, obj: &Map<String, Value>, kinds: &[&'a str]) -> Result<&'a str, ConfigError> {
    let p = format!("{path}.kind");
    let v = obj.get("kind");
    let s = v
        .and_then(Value::as_str)
        .ok_or_else(|| err(&p, v, format!("expected one of {}", kinds.join(", "))))?;
    kinds
        .iter()
        .find(|k| **k == s)
        .copied()
        .ok_or_else(|| err(&p, v, format!("expected one of {}", kinds.join(", "))))
}

/// A whole number in `min..=max`; `default` when absent (`None`: required).
fn int(path: &str, v: Option<&Value>, default: Option<i64>, min: i64, max: i64) -> Result<i64, ConfigError> {
    let Some(val) = v else {
        return default.ok_or_else(|| err(path, v, "required"));
    };
    let n = val.as_i64().or_else(|| {
        val.as_f64()
            .filter(|f| f.fract() == 0.0 && f.abs() < 9.0e15)
            .map(|f| f as i64)
    });
    match n {
        Some(n) if (min..=max).contains(&n) => Ok(n),
        _ => Err(err(path, v, format!("expected a whole number in {min}..={max}"))),
    }
}

/// A finite number in `min..=max`; `default` when absent.
fn num(path: &str, v: Option<&Value>, default: f64, min: f64, max: f64) -> Result<f64, ConfigError> {
    let Some(val) = v else {
        return Ok(default);
    };
    match val.as_f64() {
        Some(n) if n.is_finite() && n >= min && n <= max => Ok(n),
        _ => Err(err(path, v, format!("expected a number in {min}..={max}"))),
    }
}

fn latency(path: &str, v: &Value) -> Result<LatencyConfig, ConfigError> {
    let o = object(path, Some(v))?;
    let p = |f: &str| format!("{path}.{f}");
    let pre = format!("{path}.");
    Ok(match kind(path, o, &["constant", "uniform", "lognormal"])? {
        "constant" => {
            known(&pre, o, &["kind", "ns"])?;
            LatencyConfig::Constant {
                ns: int(&p("ns"), o.get("ns"), Some(0), 0, MAX_LATENCY_NS)?,
            }
        }
        "uniform" => {
            known(&pre, o, &["kind", "minNs", "maxNs"])?;
            let min_ns = int(&p("minNs"), o.get("minNs"), None, 0, MAX_LATENCY_NS)?;
            let max_ns = int(&p("maxNs"), o.get("maxNs"), None, min_ns, MAX_LATENCY_NS)?;
            LatencyConfig::Uniform { min_ns, max_ns }
        }
        _ => {
            known(&pre, o, &["kind", "medianNs", "sigma"])?;
            let median_ns = int(&p("medianNs"), o.get("medianNs"), None, 1, MAX_LATENCY_NS)? as f64;
            let sigma = num(&p("sigma"), o.get("sigma"), 0.5, 0.0, 5.0)?;
            LatencyConfig::Lognormal { median_ns, sigma }
        }
    })
}

fn strategy(v: &Value) -> Result<StrategyConfig, ConfigError> {
    let o = object("strategy", Some(v))?;
    let k = kind("strategy", o, &["mm", "imbalance", "external"])?;
    if k == "external" {
        known("strategy.", o, &["kind"])?;
        return Ok(StrategyConfig::External);
    }
    known("strategy.", o, &["kind", "params"])?;
    let empty = Map::new();
    let params = match o.get("params") {
        Some(p) => object("strategy.params", Some(p))?,
        None => &empty,
    };
    let g = |f: &str| params.get(f);
    let p = |f: &str| format!("strategy.params.{f}");
    if k == "mm" {
        known(
            "strategy.params.",
            params,
            &[
                "spreadTicks",
                "skewTicksPerLot",
                "orderQtyLots",
                "maxPositionLots",
                "requoteTicks",
            ],
        )?;
        let d = MmParams::default();
        Ok(StrategyConfig::Mm(MmParams {
            spread_ticks: int(
                &p("spreadTicks"),
                g("spreadTicks"),
                Some(d.spread_ticks),
                1,
                1_000_000,
            )?,
            skew_ticks_per_lot: num(&p("skewTicksPerLot"), g("skewTicksPerLot"), 0.0, 0.0, 1.0e6)?,
            order_qty_lots: int(
                &p("orderQtyLots"),
                g("orderQtyLots"),
                Some(d.order_qty_lots),
                1,
                MAX_QTY,
            )?,
            max_position_lots: int(
                &p("maxPositionLots"),
                g("maxPositionLots"),
                Some(d.max_position_lots),
                0,
                MAX_QTY,
            )?,
            requote_ticks: int(
                &p("requoteTicks"),
                g("requoteTicks"),
                Some(d.requote_ticks),
                1,
                1_000_000,
            )?,
        }))
    } else {
        known(
            "strategy.params.",
            params,
            &[
                "levels",
                "threshold",
                "orderQtyLots",
                "maxPositionLots",
                "cooldownNs",
            ],
        )?;
        let d = ImbalanceParams::default();
        let threshold = num(&p("threshold"), g("threshold"), d.threshold, 0.0, 1.0)?;
        if threshold >= 1.0 {
            return Err(err(
                &p("threshold"),
                g("threshold"),
                "expected a number below 1 (|imbalance| <= 1)",
            ));
        }
        Ok(StrategyConfig::Imbalance(ImbalanceParams {
            levels: int(&p("levels"), g("levels"), Some(5), 1, 1000)? as usize,
            threshold,
            order_qty_lots: int(
                &p("orderQtyLots"),
                g("orderQtyLots"),
                Some(d.order_qty_lots),
                1,
                MAX_QTY,
            )?,
            max_position_lots: int(
                &p("maxPositionLots"),
                g("maxPositionLots"),
                Some(d.max_position_lots),
                0,
                MAX_QTY,
            )?,
            cooldown_ns: int(
                &p("cooldownNs"),
                g("cooldownNs"),
                Some(d.cooldown_ns),
                0,
                MAX_LATENCY_NS,
            )?,
        }))
    }
}
