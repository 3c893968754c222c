//! Delbourgo & Gregory (1985) rational cubic interpolation, "Shape preserving piecewise rational
//! interpolation", SIAM J. Sci. Stat. Comput. 6(4) 967–976, as used by Jäckel ("Let's Be Rational",
//! Wilmott 2015, §4) for the initial guess of the implied volatility.
//!
//! On `[x_l, x_r]` with values `y_l, y_r`, end slopes `d_l, d_r` and control parameter `r`, and with
//! `t = (x − x_l)/h`, `h = x_r − x_l`:
//! `y(t) = [y_r t³ + (r y_r − h d_r) t²(1−t) + (r y_l + h d_l) t(1−t)² + y_l (1−t)³] / [1 + (r − 3) t(1−t)]`.
//! `r = 3` gives the Hermite cubic; `r → ∞` the straight line. The control is chosen to match a second
//! derivative at one end, then raised to the smallest value that keeps the interpolant monotone and
//! convex (or concave) when its data are (Delbourgo & Gregory, §3).

const EPS: f64 = f64::EPSILON;
const TINY: f64 = f64::MIN_POSITIVE;
const R_MIN: f64 = -(1.0 - 1.490_116_119_384_765_6e-8); // −(1 − √ε)
const R_MAX: f64 = 2.0 / (EPS * EPS);

/// Delbourgo–Gregory rational cubic through `(x_l, y_l)`, `(x_r, y_r)` with slopes `d_l`, `d_r` and control `r`.
#[allow(clippy::too_many_arguments)]
pub(crate) fn rational_cubic(
    x: f64,
    x_l: f64,
    x_r: f64,
    y_l: f64,
    y_r: f64,
    d_l: f64,
    d_r: f64,
    r: f64,
) -> f64 {
    let h = x_r - x_l;
    if h.abs() <= 0.0 {
        return 0.5 * (y_l + y_r);
    }
    let t = (x - x_l) / h;
    if r >= R_MAX {
        return y_r * t + y_l * (1.0 - t);
    }
    let omt = 1.0 - t;
    let (t2, omt2) = (t * t, omt * omt);
    (y_r * t2 * t + (r * y_r - h * d_r) * t2 * omt + (r * y_l + h * d_l) * t * omt2 + y_l * omt2 * omt)
        / (1.0 + (r - 3.0) * t * omt)
}

/// The smallest control parameter that keeps the cubic monotone and convex/concave as its data are.
fn minimum_control(d_l: f64, d_r: f64, slope: f64, prefer_shape: bool) -> f64 {
    let monotonic = d_l * slope >= 0.0 && d_r * slope >= 0.0;
    let convex = d_l <= slope && slope <= d_r;
    let concave = d_l >= slope && slope >= d_r;
    if !monotonic && !convex && !concave {
        return R_MIN;
    }
    let (d_r_m_d_l, d_r_m_s, s_m_d_l) = (d_r - d_l, d_r - slope, slope - d_l);
    let mut r1 = f64::MIN;
    let mut r2 = f64::MIN;
    if monotonic {
        if slope.abs() >= TINY {
            r1 = (d_r + d_l) / slope;
        } else if prefer_shape {
            r1 = R_MAX;
        }
    }
    if convex || concave {
        if s_m_d_l.abs() >= TINY && d_r_m_s.abs() >= TINY {
            r2 = (d_r_m_d_l / d_r_m_s).abs().max((d_r_m_d_l / s_m_d_l).abs());
        } else if prefer_shape {
            r2 = R_MAX;
        }
    } else if monotonic && prefer_shape {
        r2 = R_MAX;
    }
    R_MIN.max(r1.max(r2))
}

fn control_for_ratio(numerator: f64, denominator: f64) -> f64 {
    if numerator.abs() < TINY {
        0.0
    } else if denominator.abs() < TINY {
        if numerator > 0.0 {
            R_MAX
        } else {
            R_MIN
        }
    } else {
        numerator / denominator
    }
}

/// Control parameter matching the second derivative at the left end, kept convexity-preserving.
#[allow(clippy::too_many_arguments)]
pub(crate) fn convex_control_left(
    x_l: f64,
    x_r: f64,
    y_l: f64,
    y_r: f64,
    d_l: f64,
    d_r: f64,
    dd_l: f64,
    shape: bool,
) -> f64 {
    let h = x_r - x_l;
    let r = control_for_ratio(0.5 * h * dd_l + (d_r - d_l), (y_r - y_l) / h - d_l);
    r.max(minimum_control(d_l, d_r, (y_r - y_l) / h, shape))
}

/// Control parameter matching the second derivative at the right end, kept convexity-preserving.
#[allow(clippy::too_many_arguments)]
pub(crate) fn convex_control_right(
    x_l: f64,
    x_r: f64,
    y_l: f64,
    y_r: f64,
    d_l: f64,
    d_r: f64,
    dd_r: f64,
    shape: bool,
) -> f64 {
    let h = x_r - x_l;
    let r = control_for_ratio(0.5 * h * dd_r + (d_r - d_l), d_r - (y_r - y_l) / h);
    r.max(minimum_control(d_l, d_r, (y_r - y_l) / h, shape))
}
