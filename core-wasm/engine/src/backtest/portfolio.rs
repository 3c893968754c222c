//! Position and profit and loss, by the average-cost method.
//!
//! Position in lots (`i64`, positive long); money in quote currency (`f64`): a fill of `q` lots at `p` ticks
//! has notional `p × 10^-priceDecimals × q × 10^-qtyDecimals`. Realised PnL accrues when a fill reduces the
//! position, `(fill − average entry) × closed qty` (sign flipped for shorts); unrealised PnL marks the open
//! position at the mid. Fees are separate: `pnl = realised + unrealised − fees`, which is also
//! `cash + position × mid` with cash starting at 0.

use crate::book::Side;

#[derive(Debug, Clone, Default)]
pub(crate) struct Portfolio {
    /// Quote value of one tick × one lot.
    pub(crate) unit: f64,
    pub(crate) position: i64,
    /// Average entry price of the open position, ticks.
    pub(crate) avg_entry: f64,
    pub(crate) cash: f64,
    pub(crate) realised: f64,
    pub(crate) fees: f64,
    /// Traded quantity, lots.
    pub(crate) volume: i64,
    /// Traded notional, quote currency.
    pub(crate) turnover: f64,
}

impl Portfolio {
    pub(crate) fn new(price_decimals: u32, qty_decimals: u32) -> Portfolio {
        Portfolio {
            unit: 10f64.powi(-(price_decimals as i32) - qty_decimals as i32),
            ..Portfolio::default()
        }
    }

    /// Books a fill; `fee` in quote currency (negative for a rebate).
    pub(crate) fn fill(&mut self, side: Side, price: i64, qty: i64, fee: f64) {
        let signed = if side == Side::Bid { qty } else { -qty };
        let notional = price as f64 * qty as f64 * self.unit;
        self.cash -= signed as f64 * price as f64 * self.unit + fee;
        self.fees += fee;
        self.volume = self.volume.saturating_add(qty);
        self.turnover += notional;
        let pos = self.position;
        if pos == 0 || (pos > 0) == (signed > 0) {
            // Opening or adding: new weighted average entry.
            let held = pos.unsigned_abs() as f64;
            self.avg_entry = (self.avg_entry * held + price as f64 * qty as f64) / (held + qty as f64);
        } else {
            let closed = qty.min(pos.saturating_abs());
            let dir = if pos > 0 { 1.0 } else { -1.0 };
            self.realised += dir * (price as f64 - self.avg_entry) * closed as f64 * self.unit;
            if qty > pos.saturating_abs() {
                // Flipped: the rest opens at the fill price.
                self.avg_entry = price as f64;
            }
        }
        self.position = pos.saturating_add(signed);
        if self.position == 0 {
            self.avg_entry = 0.0;
        }
    }

    /// Unrealised PnL at `mid` ticks.
    pub(crate) fn unrealised(&self, mid: f64) -> f64 {
        if self.position == 0 {
            0.0
        } else {
            (mid - self.avg_entry) * self.position as f64 * self.unit
        }
    }
}
