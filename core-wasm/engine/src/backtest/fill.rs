//! Queue-position models for resting orders: how much visible quantity is ahead of a simulated order at its
//! price level, after hftbacktest's queue models (nkaz001/hftbacktest, `hftbacktest/src/backtest/models/
//! queue.rs`: `RiskAdverseQueueModel`, and `ProbQueueModel` with `PowerProbQueueFunc`).
//!
//! The simulated order is not part of the recorded book: a level's visible quantity `Q` splits into `ahead`
//! (queued before the order) and `behind = Q − ahead`.
//! - A trade at the order's price first consumes `ahead`; what exceeds it fills the order.
//! - A decrease of the level not explained by trades is a cancel somewhere in the queue. The `queue` model
//!   (risk-averse) assumes it came from behind, so `ahead` only falls when the level drops below it. The
//!   `probabilistic` model attributes the share `f(ahead) / (f(ahead) + f(behind))`, `f(x) = x^power`, to the
//!   front (any part of the decrease that exceeds `behind` comes from the front too).
//! - An increase joins the back of the queue and leaves `ahead` unchanged.

use super::config::FillModelConfig;

/// A queue model.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum QueueModel {
    RiskAverse,
    Power(f64),
}

impl QueueModel {
    pub(crate) fn new(c: FillModelConfig) -> QueueModel {
        match c {
            FillModelConfig::Queue => QueueModel::RiskAverse,
            FillModelConfig::Probabilistic { power } => QueueModel::Power(power),
        }
    }

    /// New quantity ahead after the level went from `prev` to `new` lots, `traded` lots of which were trades
    /// already taken off `ahead`.
    #[inline]
    pub(crate) fn on_level_change(self, ahead: f64, prev: i64, new: i64, traded: i64) -> f64 {
        let cancelled = (prev - new - traded) as f64;
        let mut ahead = ahead;
        if cancelled > 0.0 {
            if let QueueModel::Power(n) = self {
                let front = ahead.max(0.0);
                let back = ((prev - traded) as f64 - front).max(0.0);
                let (ff, fb) = (front.powf(n), back.powf(n));
                let to_front = if ff + fb > 0.0 { ff / (ff + fb) } else { 1.0 };
                let from_back = (1.0 - to_front) * cancelled;
                // hftbacktest's estimate: front − share × change, plus what the back could not absorb.
                ahead = front - to_front * cancelled + (back - from_back).min(0.0);
            }
        }
        ahead.min(new as f64).max(0.0)
    }
}
