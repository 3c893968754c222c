//! Queries a replay needs over loaded event columns: positions by receive time, the trades in a range, and the
//! dataset's digest (what a saved run records as the data it used).

use sha2::{Digest, Sha256};

use super::{Events, Meta, AGGRESSOR_SELL, KIND_TRADE};

impl Events {
    /// The first row with `ts_recv >= ts` (`len()` when none). Binary search: `ts_recv` is non-decreasing.
    pub fn index_at(&self, ts: i64) -> usize {
        self.ts_recv.partition_point(|&t| t < ts)
    }

    /// The first row after `i` with a later `ts_recv` than row `i` (`len()` when none): one step of a replay.
    pub fn next_time(&self, i: usize) -> usize {
        match self.ts_recv.get(i) {
            Some(&t) => self.ts_recv.partition_point(|&x| x <= t),
            None => self.len(),
        }
    }

    /// Trade rows in `from..to` (clamped), the last `max` of them, oldest first, as
    /// `[ts_recv ms, price ticks, qty lots, aggressor (0 buy, 1 sell)]`.
    pub fn trades_between(&self, from: usize, to: usize, max: usize) -> Vec<f64> {
        let to = to.min(self.len());
        let from = from.min(to);
        let mut rows: Vec<usize> = Vec::new();
        // Walk backwards so a long range with few wanted rows stops early.
        for i in (from..to).rev() {
            if rows.len() >= max {
                break;
            }
            if self.kind[i] == KIND_TRADE {
                rows.push(i);
            }
        }
        let mut out = Vec::with_capacity(rows.len() * 4);
        for &i in rows.iter().rev() {
            out.push(self.ts_recv[i] as f64 / 1e6);
            out.push(self.price[i] as f64);
            out.push(self.qty[i] as f64);
            out.push(if self.side[i] == AGGRESSOR_SELL { 1.0 } else { 0.0 });
        }
        out
    }

    /// Trade rows in the dataset.
    pub fn trade_count(&self) -> usize {
        self.kind.iter().filter(|&&k| k == KIND_TRADE).count()
    }

    /// SHA-256 (FIPS 180-4) of the dataset, as 64 lowercase hex digits: the digest of the meta line
    /// `venue\nsymbol\nprice_decimals\nqty_decimals\n` followed by the seven columns in schema order, integers
    /// little-endian. The same events and meta give the same digest however they were read or windowed.
    pub fn digest(&self, meta: &Meta) -> String {
        let mut h = Sha256::new();
        h.update(
            format!(
                "{}\n{}\n{}\n{}\n",
                meta.venue, meta.symbol, meta.price_decimals, meta.qty_decimals
            )
            .as_bytes(),
        );
        for col in [&self.ts_recv, &self.ts_event] {
            for v in col.iter() {
                h.update(v.to_le_bytes());
            }
        }
        h.update(&self.kind);
        h.update(&self.side);
        for col in [&self.price, &self.qty] {
            for v in col.iter() {
                h.update(v.to_le_bytes());
            }
        }
        h.update(&self.flags);
        h.finalize().iter().map(|b| format!("{b:02x}")).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::super::{FLAG_LAST, KIND_DELTA};
    use super::*;

    #[test]
    fn positions_trades_and_digest() {
        let mut ev = Events::default();
        ev.push(10, 10, KIND_DELTA, 0, 100, 1, FLAG_LAST);
        ev.push(20, 20, KIND_TRADE, 1, 100, 2, FLAG_LAST);
        ev.push(20, 20, KIND_TRADE, 0, 101, 3, FLAG_LAST);
        ev.push(30, 30, KIND_DELTA, 1, 101, 0, FLAG_LAST);
        assert_eq!(
            (ev.index_at(0), ev.index_at(20), ev.index_at(21), ev.index_at(99)),
            (0, 1, 3, 4)
        );
        assert_eq!(
            (ev.next_time(0), ev.next_time(1), ev.next_time(3), ev.next_time(9)),
            (1, 3, 4, 4)
        );
        assert_eq!(ev.trade_count(), 2);
        assert_eq!(ev.trades_between(0, 4, 1), vec![20.0 / 1e6, 101.0, 3.0, 0.0]);
        assert_eq!(ev.trades_between(0, 2, 10), vec![20.0 / 1e6, 100.0, 2.0, 1.0]);
        let meta = Meta {
            venue: "v".into(),
            symbol: "S".into(),
            price_decimals: 2,
            qty_decimals: 3,
        };
        let d = ev.digest(&meta);
        assert_eq!(d.len(), 64);
        let mut other = ev.clone();
        other.qty[3] = 5;
        assert_ne!(ev.digest(&meta), other.digest(&meta));
        assert_ne!(
            d,
            ev.digest(&Meta {
                qty_decimals: 4,
                ..meta
            })
        );
    }
}
