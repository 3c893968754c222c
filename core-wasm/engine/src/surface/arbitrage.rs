//! Static-arbitrage diagnostics on a log-moneyness grid, reporting where and by how much.
//!
//! * Butterfly: a smile `w(k)` admits a non-negative risk-neutral density iff Gatheral's
//!   `g(k) = (1 − k w′/(2w))² − (w′²/4)(1/w + 1/4) + w″/2 ≥ 0` (Gatheral & Jacquier 2014, Lemma 2.2; the
//!   density is `g(k)/√(2πw) · exp(−d₋²/2)`). Where `w ≤ 0`, `g` is undefined and the point counts as a
//!   violation.
//! * Calendar: total variance at fixed forward log-moneyness must be non-decreasing in time to expiry
//!   (ibid., Lemma 2.1), checked between each pair of adjacent expiries.
//!
//! Sign changes found on the grid are refined by bisection, so interval ends are accurate to far better
//! than the grid step.

use super::svi::SviParams;
use thiserror::Error;

/// A uniform grid of log-moneyness values.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct KGrid {
    k_min: f64,
    k_max: f64,
    n: usize,
}

/// An unusable grid specification.
#[derive(Debug, Clone, PartialEq, Error)]
#[error("log-moneyness grid [{k_min}, {k_max}] with {n} points: need finite k_min < k_max, 2 ≤ n ≤ 10⁶")]
pub struct GridError {
    pub k_min: f64,
    pub k_max: f64,
    pub n: usize,
}

impl KGrid {
    /// # Errors
    /// [`GridError`] unless `k_min < k_max` are finite and `2 ≤ n ≤ 10⁶`.
    pub fn new(k_min: f64, k_max: f64, n: usize) -> Result<Self, GridError> {
        if k_min.is_finite() && k_max.is_finite() && k_min < k_max && (2..=1_000_000).contains(&n) {
            Ok(Self { k_min, k_max, n })
        } else {
            Err(GridError { k_min, k_max, n })
        }
    }

    pub const fn k_min(&self) -> f64 {
        self.k_min
    }

    pub const fn k_max(&self) -> f64 {
        self.k_max
    }

    pub const fn len(&self) -> usize {
        self.n
    }

    pub const fn is_empty(&self) -> bool {
        false
    }

    /// The `i`-th grid point.
    pub fn point(&self, i: usize) -> f64 {
        self.k_min + (self.k_max - self.k_min) * i as f64 / (self.n - 1) as f64
    }

    /// Grid spacing.
    pub fn step(&self) -> f64 {
        (self.k_max - self.k_min) / (self.n - 1) as f64
    }

    /// This grid widened, at the same spacing (and within the 10⁶-point limit), to cover `[lo, hi]`.
    pub fn covering(&self, lo: f64, hi: f64) -> Self {
        let step = self.step();
        let room = 1_000_000_usize.saturating_sub(self.n) / 2;
        let extend = |gap: f64| {
            if gap > 0.0 {
                ((gap / step).ceil() as usize).min(room)
            } else {
                0
            }
        };
        let (below, above) = (extend(self.k_min - lo), extend(hi - self.k_max));
        Self {
            k_min: self.k_min - below as f64 * step,
            k_max: self.k_max + above as f64 * step,
            n: self.n + below + above,
        }
    }
}

impl Default for KGrid {
    /// `k ∈ [−2, 2]` in steps of 0.001.
    fn default() -> Self {
        Self {
            k_min: -2.0,
            k_max: 2.0,
            n: 4001,
        }
    }
}

/// A maximal interval of the grid on which a diagnostic is negative.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct NegativeInterval {
    pub k_start: f64,
    pub k_end: f64,
    /// Most negative finite value on the interval's grid points (NaN if none is finite).
    pub min_value: f64,
    pub k_at_min: f64,
}

fn is_negative(v: f64) -> bool {
    v.is_nan() || v < 0.0
}

/// Bisects for the sign change of `f` between `a` (sign of `a_negative`) and `b`.
fn refine(f: &impl Fn(f64) -> f64, mut a: f64, mut b: f64, a_negative: bool) -> f64 {
    for _ in 0..50 {
        let mid = 0.5 * (a + b);
        if is_negative(f(mid)) == a_negative {
            a = mid;
        } else {
            b = mid;
        }
    }
    0.5 * (a + b)
}

/// Maximal intervals of `grid` where `f < 0` (or is NaN), with refined ends.
pub fn negative_intervals(grid: &KGrid, f: impl Fn(f64) -> f64) -> Vec<NegativeInterval> {
    let mut out = Vec::new();
    let mut open: Option<NegativeInterval> = None;
    let mut prev = (grid.point(0), false);
    for i in 0..grid.len() {
        let k = grid.point(i);
        let v = f(k);
        let negative = is_negative(v);
        match (&mut open, negative) {
            (None, true) => {
                let k_start = if i == 0 { k } else { refine(&f, prev.0, k, false) };
                let (min_value, k_at_min) = if v.is_finite() {
                    (v, k)
                } else {
                    (f64::NAN, f64::NAN)
                };
                open = Some(NegativeInterval {
                    k_start,
                    k_end: k,
                    min_value,
                    k_at_min,
                });
            }
            (Some(run), true) => {
                run.k_end = k;
                if v.is_finite() && (run.min_value.is_nan() || v < run.min_value) {
                    (run.min_value, run.k_at_min) = (v, k);
                }
            }
            (Some(run), false) => {
                run.k_end = refine(&f, prev.0, k, true);
                out.push(*run);
                open = None;
            }
            (None, false) => {}
        }
        prev = (k, negative);
    }
    out.extend(open);
    out
}

/// Gatheral's butterfly density factor `g(k)` from `w`, `w′`, `w″`; NaN when `w ≤ 0`.
pub fn density_g(k: f64, w: f64, w1: f64, w2: f64) -> f64 {
    if w.is_nan() || w <= 0.0 {
        return f64::NAN;
    }
    let lead = 1.0 - k * w1 / (2.0 * w);
    lead * lead - 0.25 * w1 * w1 * (1.0 / w + 0.25) + 0.5 * w2
}

/// Butterfly diagnostics of one smile.
#[derive(Debug, Clone, PartialEq)]
pub struct ButterflyReport {
    pub arbitrage_free: bool,
    /// Minimum of `g` over the grid (finite values) and where it occurs.
    pub min_g: f64,
    pub k_at_min: f64,
    /// Intervals where `g < 0` or `w ≤ 0`.
    pub intervals: Vec<NegativeInterval>,
    /// Whether `w ≤ 0` somewhere on the grid.
    pub nonpositive_variance: bool,
    pub grid: KGrid,
    /// The log-moneyness range spanned by the quotes, when known: violations outside it are artefacts of
    /// extrapolating the fitted smile, violations inside it are arbitrage in the quoted strikes.
    pub quoted_range: Option<(f64, f64)>,
    /// Minimum of `g` over the grid points inside `quoted_range` (NaN when unknown or none).
    pub min_g_in_quoted_range: f64,
    pub arbitrage_in_quoted_range: bool,
}

/// Butterfly report for a smile given by `k ↦ (w, w′, w″)`, optionally noting the quoted range.
pub fn butterfly_report(
    derivatives: impl Fn(f64) -> (f64, f64, f64),
    grid: &KGrid,
    quoted_range: Option<(f64, f64)>,
) -> ButterflyReport {
    let g = |k: f64| {
        let (w, w1, w2) = derivatives(k);
        density_g(k, w, w1, w2)
    };
    let inside = |k: f64| quoted_range.is_some_and(|(lo, hi)| k >= lo && k <= hi);
    let (mut min_g, mut k_at_min, mut nonpositive) = (f64::INFINITY, f64::NAN, false);
    let mut min_inside = f64::INFINITY;
    for i in 0..grid.len() {
        let k = grid.point(i);
        let v = g(k);
        nonpositive |= v.is_nan();
        if v < min_g {
            (min_g, k_at_min) = (v, k);
        }
        if inside(k) {
            min_inside = if v.is_nan() {
                f64::NEG_INFINITY
            } else {
                min_inside.min(v)
            };
        }
    }
    let intervals = negative_intervals(grid, g);
    let in_range =
        quoted_range.is_some_and(|(lo, hi)| intervals.iter().any(|iv| iv.k_end >= lo && iv.k_start <= hi));
    ButterflyReport {
        arbitrage_free: intervals.is_empty(),
        min_g: if min_g.is_finite() { min_g } else { f64::NAN },
        k_at_min,
        intervals,
        nonpositive_variance: nonpositive,
        grid: *grid,
        quoted_range,
        min_g_in_quoted_range: if min_inside.is_finite() {
            min_inside
        } else {
            f64::NAN
        },
        arbitrage_in_quoted_range: in_range,
    }
}

/// Butterfly report for a raw SVI smile.
pub fn svi_butterfly_report(
    params: &SviParams,
    grid: &KGrid,
    quoted_range: Option<(f64, f64)>,
) -> ButterflyReport {
    butterfly_report(|k| params.derivatives(k), grid, quoted_range)
}

/// A calendar-spread violation between two adjacent expiries.
#[derive(Debug, Clone, PartialEq)]
pub struct CalendarViolation {
    /// Indices of the nearer and farther expiry in the slice list given to [`calendar_report`].
    pub near: usize,
    pub far: usize,
    /// Intervals where `w_far(k) < w_near(k)`; `min_value` is the most negative `w_far − w_near`.
    pub intervals: Vec<NegativeInterval>,
    /// Largest `w_near(k) − w_far(k)` on the grid, and where.
    pub max_decrease: f64,
    pub k_at_max: f64,
    /// Largest decrease on the grid points quoted in both expiries (0 when none decreases there).
    pub max_decrease_in_quoted_range: f64,
}

/// Calendar diagnostics of a set of smiles.
#[derive(Debug, Clone, PartialEq)]
pub struct CalendarReport {
    pub arbitrage_free: bool,
    pub pairs_checked: usize,
    /// Largest total-variance decrease over all adjacent pairs (0 when none).
    pub max_decrease: f64,
    /// No decrease on strikes quoted in both expiries of any pair.
    pub arbitrage_free_in_quoted_range: bool,
    pub violations: Vec<CalendarViolation>,
    pub grid: KGrid,
}

/// Total variance decreases smaller than this are rounding noise, not arbitrage.
const CALENDAR_TOLERANCE: f64 = 1e-12;

/// Checks `w_{i+1}(k) ≥ w_i(k)` on the grid for smiles given in increasing time to expiry. `quoted`
/// optionally gives each slice's quoted log-moneyness range (same order as `slices`).
pub fn calendar_report(slices: &[SviParams], quoted: Option<&[(f64, f64)]>, grid: &KGrid) -> CalendarReport {
    let mut violations = Vec::new();
    for (near, pair) in slices.windows(2).enumerate() {
        let overlap = quoted.and_then(|q| {
            let (a, b) = (q.get(near)?, q.get(near + 1)?);
            Some((a.0.max(b.0), a.1.min(b.1)))
        });
        let diff = |k: f64| pair[1].total_variance(k) - pair[0].total_variance(k) + CALENDAR_TOLERANCE;
        let mut intervals = negative_intervals(grid, diff);
        if intervals.is_empty() {
            continue;
        }
        for iv in &mut intervals {
            iv.min_value -= CALENDAR_TOLERANCE;
        }
        let (max_decrease, k_at_max) =
            intervals
                .iter()
                .map(|iv| (-iv.min_value, iv.k_at_min))
                .fold(
                    (0.0, f64::NAN),
                    |best, cur| if cur.0 > best.0 { cur } else { best },
                );
        let max_decrease_in_quoted_range = overlap.map_or(0.0, |(lo, hi)| {
            (0..grid.len())
                .map(|i| grid.point(i))
                .filter(|k| *k >= lo && *k <= hi)
                .map(|k| pair[0].total_variance(k) - pair[1].total_variance(k))
                .fold(0.0_f64, f64::max)
        });
        violations.push(CalendarViolation {
            near,
            far: near + 1,
            intervals,
            max_decrease,
            k_at_max,
            max_decrease_in_quoted_range,
        });
    }
    let max_decrease = violations.iter().fold(0.0_f64, |m, v| m.max(v.max_decrease));
    CalendarReport {
        arbitrage_free: violations.is_empty(),
        pairs_checked: slices.len().saturating_sub(1),
        max_decrease,
        arbitrage_free_in_quoted_range: violations
            .iter()
            .all(|v| v.max_decrease_in_quoted_range <= CALENDAR_TOLERANCE),
        violations,
        grid: *grid,
    }
}
