//! Latency draws, after hftbacktest's latency models (nkaz001/hftbacktest, `hftbacktest/src/backtest/models/
//! latency.rs`): market data reaches the strategy `feed` ns after the recorder received it, an order reaches the
//! exchange `order` ns after it was submitted, and the exchange's response travels back another `order` ns.
//!
//! Each channel is FIFO (a message never overtakes the previous one on its channel): a delivery time is
//! `max(previous delivery, send time + draw)`. Feed and order latencies draw from two separate SplitMix64
//! streams seeded from `config.seed`, so that the feed draws (one per event group, in dataset order) never
//! depend on how orders interleave with the data.

use super::config::{LatencyConfig, MAX_LATENCY_NS};
use crate::synth::SplitMix64;

/// Stream constant that separates the order-latency stream from the feed-latency stream.
const ORDER_STREAM: u64 = 0xA076_1D64_78BD_642F;

/// A latency distribution with its random stream.
#[derive(Debug, Clone)]
pub(crate) struct Latency {
    model: LatencyConfig,
    rng: SplitMix64,
}

impl Latency {
    pub(crate) fn feed(model: LatencyConfig, seed: u64) -> Latency {
        Latency {
            model,
            rng: SplitMix64::new(seed),
        }
    }

    pub(crate) fn order(model: LatencyConfig, seed: u64) -> Latency {
        Latency {
            model,
            rng: SplitMix64::new(seed ^ ORDER_STREAM),
        }
    }

    /// `true` for the constant 0 model (no draw, no delay).
    pub(crate) fn is_zero(&self) -> bool {
        matches!(self.model, LatencyConfig::Constant { ns: 0 })
    }

    /// One latency in ns, in `0..=MAX_LATENCY_NS`.
    #[inline]
    pub(crate) fn draw(&mut self) -> i64 {
        match self.model {
            LatencyConfig::Constant { ns } => ns,
            LatencyConfig::Uniform { min_ns, max_ns } => {
                min_ns + self.rng.below((max_ns - min_ns) as u64 + 1) as i64
            }
            LatencyConfig::Lognormal { median_ns, sigma } => {
                // Box–Muller (Box & Muller, "A note on the generation of random normal deviates", Ann. Math.
                // Statist. 29(2), 1958), one of the pair.
                let u1 = 1.0 - self.rng.unit();
                let u2 = self.rng.unit();
                let z = (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos();
                let v = (median_ns * (sigma * z).exp()).round();
                if v.is_finite() {
                    (v as i64).clamp(0, MAX_LATENCY_NS)
                } else {
                    MAX_LATENCY_NS
                }
            }
        }
    }
}
