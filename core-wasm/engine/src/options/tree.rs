//! Leisen & Reimer (1996) binomial tree, "Binomial models for option valuation — examining and improving
//! convergence", Applied Mathematical Finance 3, 319–346.
//!
//! The up-probability is the Peizer–Pratt (method 2) inversion of the normal CDF at `d₂`, `p = h(d₂)`, and
//! `p′ = h(d₁)`; with `n` odd the strike sits on the middle of the terminal lattice and the price converges
//! at order `1/n²` without oscillation. Moves: `u = e^{bΔt} p′/p`, `d = (e^{bΔt} − p u)/(1 − p)`.
//! Even step counts are raised by one. American exercise compares with intrinsic at every node.
//! One `Vec` of `n + 1` values is the only allocation.

use super::types::OptionType;

/// Peizer–Pratt method-2 inversion: a probability `h(z)` with `Binomial(n, h) ≈ Φ(z)` at the median.
fn peizer_pratt(z: f64, n: f64) -> f64 {
    let a = z / (n + 1.0 / 3.0 + 0.1 / (n + 1.0));
    let root = (0.25 - 0.25 * (-(a * a) * (n + 1.0 / 6.0)).exp()).sqrt();
    if z >= 0.0 {
        0.5 + root
    } else {
        0.5 - root
    }
}

/// Price on a Leisen–Reimer tree with `steps` steps (raised to the next odd number).
/// `american` selects early exercise. Inputs are assumed validated (`s, k, t, vol > 0`, `steps ≥ 1`).
#[must_use]
#[allow(clippy::too_many_arguments)]
pub fn leisen_reimer(
    kind: OptionType,
    s: f64,
    k: f64,
    r: f64,
    b: f64,
    t: f64,
    vol: f64,
    steps: u32,
    american: bool,
) -> f64 {
    let n = steps.max(1) | 1;
    let nf = f64::from(n);
    let dt = t / nf;
    let vol_sqrt_t = vol * t.sqrt();
    let d1 = ((s / k).ln() + (b + 0.5 * vol * vol) * t) / vol_sqrt_t;
    let d2 = d1 - vol_sqrt_t;
    let p = peizer_pratt(d2, nf);
    let p_bar = peizer_pratt(d1, nf);
    let growth = (b * dt).exp();
    let up = growth * p_bar / p;
    let down = (growth - p * up) / (1.0 - p);
    let df = (-r * dt).exp();
    let (pu, pd) = (df * p, df * (1.0 - p));
    let ratio = up / down;
    let sign = kind.sign();
    // Terminal layer: node j has j up-moves.
    let mut values: Vec<f64> = Vec::with_capacity(n as usize + 1);
    let mut spot = s * down.powf(nf);
    for _ in 0..=n {
        values.push((sign * (spot - k)).max(0.0));
        spot *= ratio;
    }
    for level in (0..n).rev() {
        let mut spot = s * down.powf(f64::from(level));
        for j in 0..=level as usize {
            let continuation = pu * values[j + 1] + pd * values[j];
            values[j] = if american {
                continuation.max(sign * (spot - k))
            } else {
                continuation
            };
            spot *= ratio;
        }
    }
    values.first().copied().unwrap_or(f64::NAN)
}
