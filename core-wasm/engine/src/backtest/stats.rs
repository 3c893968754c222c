//! Run statistics.
//!
//! Choices (there is no starting capital in the configuration, equity starts at 0 and is the PnL):
//! - `return` is the PnL over the traded notional (`pnl / turnover`, 0 without trades): the return per unit
//!   of gross notional traded.
//! - Sharpe and Sortino use the changes of equity between consecutive regular samples (one every
//!   `equityIntervalNs` of data time; fill-time samples are left out so that the spacing is even). With no
//!   capital the changes are in quote currency; both ratios are invariant to dividing them by a constant
//!   capital. They are annualised by `sqrt(periods per year)`, a year being 365.25 days since crypto markets
//!   trade around the clock. Sortino's downside deviation is `sqrt(mean(min(r, 0)^2))` over all periods
//!   (Sortino & Price, "Performance measurement in a downside risk framework", J. of Investing 3(3), 1994).
//!   Both are 0 when undefined (fewer than two changes, or zero deviation).
//! - Maximum drawdown is the largest fall of equity from its running peak over all samples, in quote currency.
//!   Equity starts at 0, so a fraction of the peak would be meaningless; the fraction divides the drawdown by
//!   the capital the run tied up, the largest position notional `|position| × mid` seen at any sample (0 when
//!   the run never held a position).
//! - Inventory statistics are over the regular samples (time-weighted): mean and max of |position| in lots.

use super::EquitySample;

const YEAR_NS: f64 = 365.25 * 86_400.0 * 1e9;

/// The results of a run so far.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Summary {
    /// Data rows processed.
    pub events: u64,
    /// Delta or snapshot groups refused by the book (crossed or invalid) and skipped.
    pub rejected_groups: u64,
    /// Orders submitted (limit and market).
    pub orders: u64,
    pub fills: u64,
    pub pnl: f64,
    pub realised: f64,
    pub unrealised: f64,
    pub fees: f64,
    /// Position, lots.
    pub position: i64,
    /// Traded quantity, lots.
    pub volume: i64,
    /// Traded notional, quote currency.
    pub turnover: f64,
    pub return_: f64,
    pub sharpe: f64,
    pub sortino: f64,
    pub max_drawdown: f64,
    pub max_drawdown_fraction: f64,
    /// Filled quantity over submitted quantity.
    pub fill_ratio: f64,
    pub inventory_mean_abs: f64,
    pub inventory_max_abs: i64,
}

impl Summary {
    /// Snake-case JSON (non-finite numbers as `null`).
    pub fn to_json(&self) -> String {
        serde_json::json!({
            "events": self.events,
            "rejected_groups": self.rejected_groups,
            "orders": self.orders,
            "fills": self.fills,
            "pnl": self.pnl,
            "realised": self.realised,
            "unrealised": self.unrealised,
            "fees": self.fees,
            "position": self.position,
            "volume": self.volume,
            "turnover": self.turnover,
            "return": self.return_,
            "sharpe": self.sharpe,
            "sortino": self.sortino,
            "max_drawdown": self.max_drawdown,
            "max_drawdown_fraction": self.max_drawdown_fraction,
            "fill_ratio": self.fill_ratio,
            "inventory_mean_abs": self.inventory_mean_abs,
            "inventory_max_abs": self.inventory_max_abs,
        })
        .to_string()
    }
}

/// Fills the equity-derived fields of `s` from the samples.
/// `max_exposure`: the largest position notional, quote currency.
pub(crate) fn equity_stats(s: &mut Summary, samples: &[EquitySample], interval_ns: i64, max_exposure: f64) {
    let mut peak = f64::NEG_INFINITY;
    let mut dd = 0.0f64;
    for e in samples {
        peak = peak.max(e.equity);
        dd = dd.max(peak - e.equity);
    }
    s.max_drawdown = dd;
    s.max_drawdown_fraction = if max_exposure > 0.0 {
        dd / max_exposure
    } else {
        0.0
    };

    let (mut n, mut sum, mut sum2, mut down2) = (0usize, 0.0, 0.0, 0.0);
    let (mut inv_n, mut inv_sum, mut inv_max) = (0usize, 0.0, 0i64);
    let mut prev: Option<f64> = None;
    for e in samples.iter().filter(|e| e.regular) {
        inv_n += 1;
        inv_sum += e.position.unsigned_abs() as f64;
        inv_max = inv_max.max(e.position.saturating_abs());
        if let Some(p) = prev {
            let r = e.equity - p;
            n += 1;
            sum += r;
            sum2 += r * r;
            down2 += r.min(0.0) * r.min(0.0);
        }
        prev = Some(e.equity);
    }
    s.inventory_mean_abs = if inv_n > 0 { inv_sum / inv_n as f64 } else { 0.0 };
    s.inventory_max_abs = inv_max;
    let ann = (YEAR_NS / interval_ns as f64).sqrt();
    if n >= 2 {
        let mean = sum / n as f64;
        let var = (sum2 - n as f64 * mean * mean) / (n - 1) as f64;
        let sd = var.max(0.0).sqrt();
        s.sharpe = if sd > 0.0 { mean / sd * ann } else { 0.0 };
        let dsd = (down2 / n as f64).sqrt();
        s.sortino = if dsd > 0.0 { mean / dsd * ann } else { 0.0 };
    }
}
