//! Small numerical kernels for the calibrations: a derivative-free Nelder–Mead simplex minimiser and a
//! dense linear solver for the tiny KKT systems of the SVI inner problem.
//!
//! Nelder–Mead follows Nelder & Mead (1965), "A simplex method for function minimization", The Computer
//! Journal 7(4), with the standard coefficients (reflection 1, expansion 2, contraction ½, shrink ½) and
//! the inside/outside contraction of Lagarias et al. (1998). Non-finite objective values are treated as
//! `+∞`, so an objective can express bounds by returning `f64::INFINITY`.

/// Stopping rules for [`nelder_mead`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct NelderMeadOptions {
    pub max_evals: usize,
    /// Stop when the spread of objective values over the simplex is below `f_tol · (|f_best| + f_tol)`…
    pub f_tol: f64,
    /// …and every vertex lies within `x_tol` (max-norm) of the best one.
    pub x_tol: f64,
}

impl Default for NelderMeadOptions {
    fn default() -> Self {
        Self {
            max_evals: 2000,
            f_tol: 1e-12,
            x_tol: 1e-9,
        }
    }
}

/// Result of a minimisation.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Minimum<const N: usize> {
    pub x: [f64; N],
    pub f: f64,
    pub evals: usize,
}

fn finite_or_inf(v: f64) -> f64 {
    if v.is_nan() {
        f64::INFINITY
    } else {
        v
    }
}

fn combine<const N: usize>(a: &[f64; N], b: &[f64; N], t: f64) -> [f64; N] {
    // a + t (a − b)
    std::array::from_fn(|i| a[i] + t * (a[i] - b[i]))
}

/// Minimises `f` from `x0`, with the initial simplex `x0 + step_i e_i`.
pub fn nelder_mead<const N: usize>(
    mut f: impl FnMut(&[f64; N]) -> f64,
    x0: [f64; N],
    step: [f64; N],
    opts: NelderMeadOptions,
) -> Minimum<N> {
    let mut evals = 0_usize;
    let mut eval = |x: &[f64; N], evals: &mut usize| {
        *evals += 1;
        finite_or_inf(f(x))
    };
    let mut simplex: Vec<([f64; N], f64)> = Vec::with_capacity(N + 1);
    simplex.push((x0, eval(&x0, &mut evals)));
    for i in 0..N {
        let mut x = x0;
        x[i] += if step[i] != 0.0 { step[i] } else { 1e-3 };
        simplex.push((x, eval(&x, &mut evals)));
    }
    while evals < opts.max_evals {
        simplex.sort_by(|a, b| a.1.total_cmp(&b.1));
        let (best, worst) = (simplex[0].1, simplex[N].1);
        let spread_ok = best.is_finite() && (worst - best).abs() <= opts.f_tol * (best.abs() + opts.f_tol);
        let size = simplex[1..]
            .iter()
            .flat_map(|(x, _)| x.iter().zip(simplex[0].0.iter()).map(|(a, b)| (a - b).abs()))
            .fold(0.0, f64::max);
        if spread_ok && size <= opts.x_tol {
            break;
        }
        let centroid: [f64; N] =
            std::array::from_fn(|i| simplex[..N].iter().map(|(x, _)| x[i]).sum::<f64>() / N as f64);
        let worst_x = simplex[N].0;
        let xr = combine(&centroid, &worst_x, 1.0);
        let fr = eval(&xr, &mut evals);
        if fr < simplex[0].1 {
            let xe = combine(&centroid, &worst_x, 2.0);
            let fe = eval(&xe, &mut evals);
            simplex[N] = if fe < fr { (xe, fe) } else { (xr, fr) };
            continue;
        }
        if fr < simplex[N - 1].1 {
            simplex[N] = (xr, fr);
            continue;
        }
        // Contraction: outside if the reflected point improved on the worst, inside otherwise.
        let (xc, fc) = if fr < worst {
            let xc = combine(&centroid, &worst_x, 0.5);
            (xc, eval(&xc, &mut evals))
        } else {
            let xc = combine(&centroid, &worst_x, -0.5);
            (xc, eval(&xc, &mut evals))
        };
        if fc < fr.min(worst) {
            simplex[N] = (xc, fc);
            continue;
        }
        let best_x = simplex[0].0;
        for vertex in simplex.iter_mut().skip(1) {
            let x: [f64; N] = std::array::from_fn(|i| best_x[i] + 0.5 * (vertex.0[i] - best_x[i]));
            *vertex = (x, eval(&x, &mut evals));
        }
    }
    simplex.sort_by(|a, b| a.1.total_cmp(&b.1));
    Minimum {
        x: simplex[0].0,
        f: simplex[0].1,
        evals,
    }
}

/// Solves `A x = b` in place for a dense row-major `n × n` matrix by Gaussian elimination with partial
/// pivoting. Returns `None` when `A` is singular to working precision (pivot below `1e-14 · max|A|`).
pub fn solve_dense(a: &mut [f64], b: &mut [f64], n: usize) -> Option<()> {
    if a.len() != n * n || b.len() != n {
        return None;
    }
    let scale = a.iter().fold(0.0_f64, |m, v| m.max(v.abs()));
    if !(scale.is_finite() && scale > 0.0) {
        return None;
    }
    for col in 0..n {
        let pivot = (col..n).max_by(|&i, &j| a[i * n + col].abs().total_cmp(&a[j * n + col].abs()))?;
        if a[pivot * n + col].abs() <= 1e-14 * scale {
            return None;
        }
        if pivot != col {
            for j in 0..n {
                a.swap(pivot * n + j, col * n + j);
            }
            b.swap(pivot, col);
        }
        for row in col + 1..n {
            let factor = a[row * n + col] / a[col * n + col];
            for j in col..n {
                a[row * n + j] -= factor * a[col * n + j];
            }
            b[row] -= factor * b[col];
        }
    }
    for col in (0..n).rev() {
        let tail: f64 = (col + 1..n).map(|j| a[col * n + j] * b[j]).sum();
        b[col] = (b[col] - tail) / a[col * n + col];
    }
    b.iter().all(|v| v.is_finite()).then_some(())
}

/// Golden-section minimisation of a unimodal `f` on `[lo, hi]` to absolute tolerance `tol`.
pub fn golden_section(mut f: impl FnMut(f64) -> f64, mut lo: f64, mut hi: f64, tol: f64) -> (f64, f64) {
    const INV_PHI: f64 = 0.618_033_988_749_894_9;
    let mut x1 = hi - INV_PHI * (hi - lo);
    let mut x2 = lo + INV_PHI * (hi - lo);
    let (mut f1, mut f2) = (finite_or_inf(f(x1)), finite_or_inf(f(x2)));
    for _ in 0..200 {
        if hi - lo <= tol {
            break;
        }
        if f1 <= f2 {
            hi = x2;
            (x2, f2) = (x1, f1);
            x1 = hi - INV_PHI * (hi - lo);
            f1 = finite_or_inf(f(x1));
        } else {
            lo = x1;
            (x1, f1) = (x2, f2);
            x2 = lo + INV_PHI * (hi - lo);
            f2 = finite_or_inf(f(x2));
        }
    }
    if f1 <= f2 {
        (x1, f1)
    } else {
        (x2, f2)
    }
}
