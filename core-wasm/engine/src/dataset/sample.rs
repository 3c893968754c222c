//! The built-in sample day: a simulated instrument's L2 deltas and trades, deterministic per seed, so the
//! backtest views work without any recording.
//!
//! The generator follows [`crate::synth`]: its own book around a centre `c` (bids at or below `c`, asks above,
//! so it is never crossed), level updates at a distance `⌊depth × u³⌋` from the touch with `u` uniform (most
//! activity near the touch, some everywhere), deletes one update in six, and SplitMix64 numbers. On top:
//!
//! - time: group arrivals are a Poisson process whose rate switches between a quiet regime and bursts (a
//!   two-state Markov-modulated Poisson process; bursts start about every five minutes and last about twenty
//!   seconds, with six times the rate, more trades and more centre moves);
//! - drift: the centre moves by 1–3 ticks, up with probability `½ + μ`, where the trend `μ` is a mean-reverting
//!   random walk (a discretised Ornstein–Uhlenbeck process) kept within ±0.3;
//! - trades: an aggressor takes 1–3 levels from the opposite touch; each fill is a trade row at the level's
//!   price for at most its quantity, followed by the delta group that removes or shrinks those levels, so every
//!   trade is consistent with the book it hits;
//! - latency: `ts_event` is the simulated exchange time, `ts_recv = ts_event + 0.3 ms + Exp(0.7 ms)`, made
//!   non-decreasing.
//!
//! Prices have 1 decimal (tick 0.1) around 60,000, quantities 4 decimals (lot 0.0001).

use std::collections::BTreeMap;

use crate::synth::SplitMix64;

use super::{Events, Meta, AGGRESSOR_BUY, AGGRESSOR_SELL, FLAG_LAST, KIND_DELTA, KIND_SNAPSHOT, KIND_TRADE};

/// Why sample parameters were refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SampleError {
    #[error("field {field} is {value}, expected {min}..={max}")]
    OutOfRange {
        field: &'static str,
        value: u64,
        min: u64,
        max: u64,
    },
}

/// Parameters of the sample day; build with [`SampleParams::new_checked`] or take [`SampleParams::default`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SampleParams {
    pub seed: u64,
    /// Data time covered, seconds (default 3600).
    pub span_s: u64,
    /// Levels a side in the opening snapshot, and the depth the book hovers around (default 400).
    pub depth: u32,
    /// `ts_event` of the opening snapshot, ns (default 2024-01-01T00:00:00Z).
    pub start_ns: i64,
}

impl Default for SampleParams {
    fn default() -> SampleParams {
        SampleParams {
            seed: 1,
            span_s: 3600,
            depth: 400,
            start_ns: 1_704_067_200_000_000_000,
        }
    }
}

impl SampleParams {
    /// Longest span (4 hours: about 8 M rows).
    pub const MAX_SPAN_S: u64 = 4 * 3600;
    pub const MAX_DEPTH: u32 = 5000;
    /// Opening mid in ticks (60,000.0).
    pub const START_PRICE: i64 = 600_000;

    /// # Errors
    /// [`SampleError::OutOfRange`] naming the field unless `1 <= span_s <= MAX_SPAN_S` and
    /// `10 <= depth <= MAX_DEPTH`.
    pub fn new_checked(seed: u64, span_s: u64, depth: u32) -> Result<SampleParams, SampleError> {
        if !(1..=Self::MAX_SPAN_S).contains(&span_s) {
            return Err(SampleError::OutOfRange {
                field: "span_s",
                value: span_s,
                min: 1,
                max: Self::MAX_SPAN_S,
            });
        }
        if !(10..=Self::MAX_DEPTH).contains(&depth) {
            return Err(SampleError::OutOfRange {
                field: "depth",
                value: u64::from(depth),
                min: 10,
                max: u64::from(Self::MAX_DEPTH),
            });
        }
        Ok(SampleParams {
            seed,
            span_s,
            depth,
            ..SampleParams::default()
        })
    }
}

/// Quiet-regime group arrival rate, per second.
const QUIET_RATE: f64 = 150.0;
const BURST_FACTOR: f64 = 6.0;
const BURST_EVERY_S: f64 = 300.0;
const BURST_MEAN_S: f64 = 20.0;
const MAX_LEVEL_QTY: i64 = 100_000_000;

struct Gen {
    rng: SplitMix64,
    depth: i64,
    centre: i64,
    bids: BTreeMap<i64, i64>,
    asks: BTreeMap<i64, i64>,
    ev: Events,
    last_recv: i64,
    trend: f64,
}

impl Gen {
    /// Exponential with mean `mean`, by inversion.
    fn exp(&mut self, mean: f64) -> f64 {
        -mean * ln(1.0 - self.rng.unit())
    }

    /// Standard normal by Marsaglia's polar method (Marsaglia & Bray, "A convenient method for generating
    /// normal variables", SIAM Review 1964): only `ln` and `sqrt`, no trigonometry.
    fn normal(&mut self) -> f64 {
        loop {
            let u = 2.0 * self.rng.unit() - 1.0;
            let v = 2.0 * self.rng.unit() - 1.0;
            let s = u * u + v * v;
            if s > 0.0 && s < 1.0 {
                return u * (-2.0 * ln(s) / s).sqrt();
            }
        }
    }

    /// A level size in lots: log-normal around 0.5 (5000 lots), larger away from the touch.
    fn size(&mut self, distance: i64) -> i64 {
        let scale = 5000.0 * (1.0 + distance as f64 / 50.0);
        let q = (scale * exp(0.9 * self.normal())).round() as i64;
        q.clamp(1, MAX_LEVEL_QTY)
    }

    fn recv(&mut self, t: i64) -> i64 {
        let lat = 300_000 + self.exp(700_000.0) as i64;
        let r = (t + lat).max(self.last_recv);
        self.last_recv = r;
        r
    }

    fn side(&mut self, side: u8) -> &mut BTreeMap<i64, i64> {
        if side == 0 {
            &mut self.bids
        } else {
            &mut self.asks
        }
    }

    /// Emits a delta group of `(side, price, qty)` (applying it to the generator's book).
    fn delta(&mut self, t: i64, recv: i64, rows: &[(u8, i64, i64)]) {
        for (i, &(side, price, qty)) in rows.iter().enumerate() {
            let book = self.side(side);
            if qty == 0 {
                book.remove(&price);
            } else {
                book.insert(price, qty);
            }
            let flags = if i + 1 == rows.len() { FLAG_LAST } else { 0 };
            self.ev.push(recv, t, KIND_DELTA, side, price, qty, flags);
        }
    }

    fn snapshot(&mut self, t: i64) {
        let recv = self.recv(t);
        for d in 0..self.depth {
            let q = self.size(d);
            self.bids.insert(self.centre - d, q);
            let q = self.size(d);
            self.asks.insert(self.centre + 1 + d, q);
        }
        let rows: Vec<(u8, i64, i64)> = self
            .bids
            .iter()
            .rev()
            .map(|(&p, &q)| (0, p, q))
            .chain(self.asks.iter().map(|(&p, &q)| (1, p, q)))
            .collect();
        for (i, &(side, p, q)) in rows.iter().enumerate() {
            let flags = if i + 1 == rows.len() { FLAG_LAST } else { 0 };
            self.ev.push(recv, t, KIND_SNAPSHOT, side, p, q, flags);
        }
    }

    /// 1–4 level updates on distinct prices, plus trimming a side grown past 1.25 × depth.
    fn updates(&mut self, t: i64) {
        let n = 1 + self.rng.below(4) as usize;
        let mut rows: Vec<(u8, i64, i64)> = Vec::with_capacity(n + 2);
        for _ in 0..n {
            let side = self.rng.below(2) as u8;
            let u = self.rng.unit();
            let d = (self.depth as f64 * u * u * u) as i64;
            let price = if side == 0 {
                self.centre - d
            } else {
                self.centre + 1 + d
            };
            if price < 1 || rows.iter().any(|r| r.0 == side && r.1 == price) {
                continue;
            }
            let thin = (self.side(side).len() as i64) < self.depth / 2;
            let exists = self.side(side).contains_key(&price);
            let qty = if exists && !thin && self.rng.below(6) == 0 {
                0
            } else if exists || self.rng.below(3) != 0 || thin {
                self.size(d)
            } else {
                continue;
            };
            rows.push((side, price, qty));
        }
        for side in [0u8, 1] {
            let limit = (self.depth * 5 / 4) as usize;
            let len = self.side(side).len();
            if len > limit {
                let far = if side == 0 {
                    self.bids.keys().next().copied()
                } else {
                    self.asks.keys().next_back().copied()
                };
                if let Some(p) = far {
                    if !rows.iter().any(|r| r.0 == side && r.1 == p) {
                        rows.push((side, p, 0));
                    }
                }
            }
        }
        if !rows.is_empty() {
            let recv = self.recv(t);
            self.delta(t, recv, &rows);
        }
    }

    /// Moves the centre 1–3 ticks (up with probability ½ + trend), removing the levels it passes and quoting
    /// the new touch on the side it leaves.
    fn move_centre(&mut self, t: i64) {
        let up = self.rng.unit() < 0.5 + self.trend;
        let k = 1 + self.rng.below(3) as i64;
        let mut rows = Vec::new();
        if up {
            let passed: Vec<i64> = self.asks.range(..=self.centre + k).map(|(&p, _)| p).collect();
            rows.extend(passed.into_iter().map(|p| (1u8, p, 0i64)));
            self.centre += k;
            let q = self.size(0);
            rows.push((0, self.centre, q));
        } else {
            if self.centre - k < 2 {
                return;
            }
            let passed: Vec<i64> = self.bids.range(self.centre - k + 1..).map(|(&p, _)| p).collect();
            rows.extend(passed.into_iter().map(|p| (0u8, p, 0i64)));
            self.centre -= k;
            let q = self.size(0);
            rows.push((1, self.centre + 1, q));
        }
        let recv = self.recv(t);
        self.delta(t, recv, &rows);
    }

    /// An aggressor takes from 1–3 levels of the opposite touch: trade rows, then the delta group.
    fn trade(&mut self, t: i64, burst: bool) {
        let buy = self.rng.unit() < 0.5 + self.trend;
        let (aggressor, book_side) = if buy {
            (AGGRESSOR_BUY, 1u8)
        } else {
            (AGGRESSOR_SELL, 0u8)
        };
        let levels = if burst { 1 + self.rng.below(3) } else { 1 };
        let touch: Vec<(i64, i64)> = if buy {
            self.asks
                .iter()
                .take(levels as usize)
                .map(|(&p, &q)| (p, q))
                .collect()
        } else {
            self.bids
                .iter()
                .rev()
                .take(levels as usize)
                .map(|(&p, &q)| (p, q))
                .collect()
        };
        let recv = self.recv(t);
        let mut rows = Vec::new();
        for (i, &(p, q)) in touch.iter().enumerate() {
            let take = if i + 1 < touch.len() {
                q
            } else {
                1 + (q as f64 * self.rng.unit()) as i64
            }
            .min(q);
            self.ev.push(recv, t, KIND_TRADE, aggressor, p, take, FLAG_LAST);
            rows.push((book_side, p, q - take));
        }
        if !rows.is_empty() {
            self.delta(t, recv, &rows);
        }
    }
}

/// `ln x` for a positive normal `x` from IEEE-754 basic operations only (+, −, ×, ÷ are correctly rounded on
/// every platform, unlike the platform `ln`), so the sample day is bit-identical natively and in wasm:
/// `x = m·2^e` with `m` in [√½, √2], then `ln m = 2 atanh((m−1)/(m+1))` by its series (|s| < 0.172, 14 terms
/// reach below 1e-21).
fn ln(x: f64) -> f64 {
    let bits = x.to_bits();
    let mut e = ((bits >> 52) & 0x7ff) as i64 - 1023;
    let mut m = f64::from_bits((bits & 0x000f_ffff_ffff_ffff) | 0x3ff0_0000_0000_0000);
    if m > std::f64::consts::SQRT_2 {
        m /= 2.0;
        e += 1;
    }
    let s = (m - 1.0) / (m + 1.0);
    let s2 = s * s;
    let (mut term, mut sum, mut k) = (s, 0.0, 1.0);
    for _ in 0..14 {
        sum += term / k;
        term *= s2;
        k += 2.0;
    }
    2.0 * sum + e as f64 * std::f64::consts::LN_2
}

/// `e^x` for |x| < 700 from basic operations (see [`ln`]): `x = k ln 2 + r`, |r| ≤ ½ ln 2, Taylor series of
/// `e^r` (18 terms), times `2^k` set in the exponent bits.
fn exp(x: f64) -> f64 {
    let x = x.clamp(-700.0, 700.0);
    // ln 2 split in two (Cody & Waite; the constants of fdlibm's e_exp.c) so `k ln 2` is subtracted exactly.
    let ln2_hi = f64::from_bits(0x3fe6_2e42_fee0_0000);
    let ln2_lo = f64::from_bits(0x3dea_39ef_3579_3c76);
    let k = (x / std::f64::consts::LN_2).round();
    let r = (x - k * ln2_hi) - k * ln2_lo;
    let (mut term, mut sum) = (1.0, 1.0);
    for i in 1..18 {
        term *= r / f64::from(i);
        sum += term;
    }
    let pow2 = f64::from_bits(((k as i64 + 1023) as u64) << 52);
    sum * pow2
}

/// Meta of the sample day.
pub fn sample_meta() -> Meta {
    Meta {
        venue: "sample".to_string(),
        symbol: "SIM-BTCUSD".to_string(),
        price_decimals: 1,
        qty_decimals: 4,
    }
}

/// Generates the sample day for `p`: about 500 rows per second of data time (1.5–2 M rows for an hour).
pub fn sample_day(p: SampleParams) -> (Meta, Events) {
    let mut g = Gen {
        rng: SplitMix64::new(p.seed),
        depth: i64::from(p.depth),
        centre: SampleParams::START_PRICE,
        bids: BTreeMap::new(),
        asks: BTreeMap::new(),
        ev: Events::default(),
        last_recv: 0,
        trend: 0.0,
    };
    let rows = (p.span_s as usize).saturating_mul(550);
    for v in [
        &mut g.ev.ts_recv,
        &mut g.ev.ts_event,
        &mut g.ev.price,
        &mut g.ev.qty,
    ] {
        v.reserve(rows);
    }
    for v in [&mut g.ev.kind, &mut g.ev.side, &mut g.ev.flags] {
        v.reserve(rows);
    }
    let end = p.start_ns.saturating_add(
        i64::try_from(p.span_s)
            .unwrap_or(i64::MAX)
            .saturating_mul(1_000_000_000),
    );
    let mut t = p.start_ns;
    g.snapshot(t);
    let mut burst_until = i64::MIN;
    loop {
        let burst = t < burst_until;
        let rate = if burst {
            QUIET_RATE * BURST_FACTOR
        } else {
            QUIET_RATE
        };
        let dt = g.exp(1e9 / rate) as i64 + 1;
        t += dt;
        if t >= end {
            break;
        }
        if !burst && g.rng.unit() < dt as f64 / (BURST_EVERY_S * 1e9) {
            burst_until = t + g.exp(BURST_MEAN_S * 1e9) as i64;
        }
        g.trend = (g.trend * 0.9995 + 0.004 * g.normal()).clamp(-0.3, 0.3);
        let (p_trade, p_move) = if burst { (0.2, 0.12) } else { (0.06, 0.04) };
        let u = g.rng.unit();
        if u < p_trade {
            g.trade(t, burst);
        } else if u < p_trade + p_move {
            g.move_centre(t);
        } else {
            g.updates(t);
        }
    }
    (sample_meta(), g.ev)
}

#[cfg(test)]
mod tests {
    use super::{exp, ln};

    #[test]
    fn portable_ln_and_exp_agree_with_the_platform() {
        for &x in &[
            1e-16,
            2f64.powi(-53),
            0.001,
            0.3,
            0.5,
            0.7,
            1.0,
            1.5,
            2.0,
            3.0,
            1e6,
        ] {
            let (a, b) = (ln(x), x.ln());
            assert!(
                (a - b).abs() <= 4.0 * f64::EPSILON * b.abs().max(1.0),
                "ln({x}) = {a}, platform {b}"
            );
        }
        for &x in &[-20.0, -5.4, -1.0, -0.1, 0.0, 0.3, 1.0, 2.5, 6.0, 30.0] {
            let (a, b) = (exp(x), f64::exp(x));
            assert!(
                (a - b).abs() <= 4.0 * f64::EPSILON * b,
                "exp({x}) = {a}, platform {b}"
            );
        }
    }
}
