//! Two f64 lanes as one value, for kernels written once and compiled to WebAssembly SIMD128 (`f64x2`)
//! when the crate is built with `-C target-feature=+simd128`, and to a plain pair elsewhere (which native
//! compilers turn into SSE2/NEON on their own).
//!
//! Only what the vector kernels need: arithmetic, comparisons producing lane masks, selection, and the
//! exponent/mantissa bit manipulation behind [`F64x2::exp`] and [`F64x2::ln`].

#![allow(clippy::excessive_precision)]

use std::ops::{Add, Div, Mul, Neg, Sub};

#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
mod imp {
    use core::arch::wasm32::*;

    /// Two f64 lanes in one `v128`.
    #[derive(Clone, Copy)]
    pub struct F64x2(pub(super) v128);
    /// A per-lane mask (all ones or all zeros).
    #[derive(Clone, Copy)]
    pub struct Mask(pub(super) v128);

    impl F64x2 {
        #[inline(always)]
        pub fn new(a: f64, b: f64) -> Self {
            Self(f64x2(a, b))
        }
        #[inline(always)]
        pub fn splat(x: f64) -> Self {
            Self(f64x2_splat(x))
        }
        #[inline(always)]
        pub fn lanes(self) -> [f64; 2] {
            [f64x2_extract_lane::<0>(self.0), f64x2_extract_lane::<1>(self.0)]
        }
        #[inline(always)]
        pub fn vadd(self, o: Self) -> Self {
            Self(f64x2_add(self.0, o.0))
        }
        #[inline(always)]
        pub fn vsub(self, o: Self) -> Self {
            Self(f64x2_sub(self.0, o.0))
        }
        #[inline(always)]
        pub fn vmul(self, o: Self) -> Self {
            Self(f64x2_mul(self.0, o.0))
        }
        #[inline(always)]
        pub fn vdiv(self, o: Self) -> Self {
            Self(f64x2_div(self.0, o.0))
        }
        #[inline(always)]
        pub fn sqrt(self) -> Self {
            Self(f64x2_sqrt(self.0))
        }
        #[inline(always)]
        pub fn abs(self) -> Self {
            Self(f64x2_abs(self.0))
        }
        #[inline(always)]
        pub fn min(self, o: Self) -> Self {
            Self(f64x2_pmin(self.0, o.0))
        }
        #[inline(always)]
        pub fn max(self, o: Self) -> Self {
            Self(f64x2_pmax(self.0, o.0))
        }
        #[inline(always)]
        pub fn round(self) -> Self {
            Self(f64x2_nearest(self.0))
        }
        #[inline(always)]
        pub fn trunc(self) -> Self {
            Self(f64x2_trunc(self.0))
        }
        #[inline(always)]
        pub fn lt(self, o: Self) -> Mask {
            Mask(f64x2_lt(self.0, o.0))
        }
        #[inline(always)]
        pub fn le(self, o: Self) -> Mask {
            Mask(f64x2_le(self.0, o.0))
        }
        /// Lanes of `a` where the mask is set, else of `b`.
        #[inline(always)]
        pub fn select(m: Mask, a: Self, b: Self) -> Self {
            Self(v128_bitselect(a.0, b.0, m.0))
        }
        /// `2^n` for integral lanes `n` in [-1022, 1023].
        #[inline(always)]
        pub fn pow2i(n: Self) -> Self {
            let i32s = i32x4_trunc_sat_f64x2_zero(n.0);
            let i64s = i64x2_extend_low_i32x4(i32s);
            Self(i64x2_shl(i64x2_add(i64s, i64x2_splat(1023)), 52))
        }
        /// The unbiased binary exponent `e` (as f64) and the mantissa `m ∈ [1, 2)` of positive normal lanes.
        #[inline(always)]
        pub fn frexp1(self) -> (Self, Self) {
            let exp_bits = u64x2_shr(self.0, 52);
            let e = f64x2_convert_low_i32x4(i32x4_shuffle::<0, 2, 0, 2>(exp_bits, exp_bits));
            let mant = v128_or(
                v128_and(self.0, u64x2_splat(0x000f_ffff_ffff_ffff)),
                u64x2_splat(0x3ff0_0000_0000_0000),
            );
            (Self(f64x2_sub(e, f64x2_splat(1023.0))), Self(mant))
        }
    }

    impl Mask {
        #[inline(always)]
        pub fn and(self, o: Self) -> Self {
            Mask(v128_and(self.0, o.0))
        }
        #[inline(always)]
        pub fn all(self) -> bool {
            i64x2_all_true(self.0)
        }
        #[inline(always)]
        pub fn any(self) -> bool {
            v128_any_true(self.0)
        }
    }
}

#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
mod imp {
    /// Two f64 lanes as a pair.
    #[derive(Clone, Copy)]
    pub struct F64x2(pub(super) [f64; 2]);
    /// A per-lane mask.
    #[derive(Clone, Copy)]
    pub struct Mask(pub(super) [bool; 2]);

    #[inline(always)]
    fn map(a: F64x2, f: impl Fn(f64) -> f64) -> F64x2 {
        F64x2([f(a.0[0]), f(a.0[1])])
    }
    #[inline(always)]
    fn zip(a: F64x2, b: F64x2, f: impl Fn(f64, f64) -> f64) -> F64x2 {
        F64x2([f(a.0[0], b.0[0]), f(a.0[1], b.0[1])])
    }

    impl F64x2 {
        #[inline(always)]
        pub fn new(a: f64, b: f64) -> Self {
            Self([a, b])
        }
        #[inline(always)]
        pub fn splat(x: f64) -> Self {
            Self([x, x])
        }
        #[inline(always)]
        pub fn lanes(self) -> [f64; 2] {
            self.0
        }
        #[inline(always)]
        pub fn vadd(self, o: Self) -> Self {
            zip(self, o, |a, b| a + b)
        }
        #[inline(always)]
        pub fn vsub(self, o: Self) -> Self {
            zip(self, o, |a, b| a - b)
        }
        #[inline(always)]
        pub fn vmul(self, o: Self) -> Self {
            zip(self, o, |a, b| a * b)
        }
        #[inline(always)]
        pub fn vdiv(self, o: Self) -> Self {
            zip(self, o, |a, b| a / b)
        }
        #[inline(always)]
        pub fn sqrt(self) -> Self {
            map(self, f64::sqrt)
        }
        #[inline(always)]
        pub fn abs(self) -> Self {
            map(self, f64::abs)
        }
        #[inline(always)]
        pub fn min(self, o: Self) -> Self {
            zip(self, o, |a, b| if b < a { b } else { a })
        }
        #[inline(always)]
        pub fn max(self, o: Self) -> Self {
            zip(self, o, |a, b| if a < b { b } else { a })
        }
        #[inline(always)]
        pub fn round(self) -> Self {
            // Adding and removing 1.5·2^52 rounds to nearest-even in the default rounding mode for |x| < 2^51,
            // inline (a call to `rint` would stop the loop from vectorising).
            const MAGIC: f64 = 6_755_399_441_055_744.0;
            map(self, |x| (x + MAGIC) - MAGIC)
        }
        #[inline(always)]
        pub fn trunc(self) -> Self {
            map(self, f64::trunc)
        }
        #[inline(always)]
        pub fn lt(self, o: Self) -> Mask {
            Mask([self.0[0] < o.0[0], self.0[1] < o.0[1]])
        }
        #[inline(always)]
        pub fn le(self, o: Self) -> Mask {
            Mask([self.0[0] <= o.0[0], self.0[1] <= o.0[1]])
        }
        #[inline(always)]
        pub fn select(m: Mask, a: Self, b: Self) -> Self {
            Self([
                if m.0[0] { a.0[0] } else { b.0[0] },
                if m.0[1] { a.0[1] } else { b.0[1] },
            ])
        }
        #[inline(always)]
        pub fn pow2i(n: Self) -> Self {
            // `n` is integral in [-1022, 1023], so the casts are exact and the biased exponent is in 1..=2046.
            map(n, |x| f64::from_bits(((x as i64 + 1023) as u64) << 52))
        }
        #[inline(always)]
        pub fn frexp1(self) -> (Self, Self) {
            let e = map(self, |x| ((x.to_bits() >> 52) as i64 - 1023) as f64);
            let m = map(self, |x| {
                f64::from_bits((x.to_bits() & 0x000f_ffff_ffff_ffff) | 0x3ff0_0000_0000_0000)
            });
            (e, m)
        }
    }

    impl Mask {
        #[inline(always)]
        pub fn and(self, o: Self) -> Self {
            Mask([self.0[0] && o.0[0], self.0[1] && o.0[1]])
        }
        #[inline(always)]
        pub fn all(self) -> bool {
            self.0[0] && self.0[1]
        }
        #[inline(always)]
        pub fn any(self) -> bool {
            self.0[0] || self.0[1]
        }
    }
}

pub use imp::{F64x2, Mask};

/// The operations the vector kernels use, over any number of f64 lanes. [`F64x2`] is one SIMD register;
/// [`Wide`] is several processed in lockstep, which gives the processor independent dependency chains to
/// overlap (polynomial evaluation is latency-bound on one register).
pub trait Lanes:
    Copy + Add<Output = Self> + Sub<Output = Self> + Mul<Output = Self> + Div<Output = Self> + Neg<Output = Self>
{
    /// A per-lane mask.
    type M: Copy;
    fn splat(x: f64) -> Self;
    fn sqrt(self) -> Self;
    fn abs(self) -> Self;
    fn min(self, o: Self) -> Self;
    fn max(self, o: Self) -> Self;
    /// Round to nearest, ties to even.
    fn round(self) -> Self;
    fn lt(self, o: Self) -> Self::M;
    fn le(self, o: Self) -> Self::M;
    /// Lanes of `a` where `m` is set, else of `b`.
    fn select(m: Self::M, a: Self, b: Self) -> Self;
    /// `2^n` for integral lanes in [-1022, 1023].
    fn pow2i(n: Self) -> Self;
    /// Unbiased exponent and mantissa in [1, 2) of positive normal lanes.
    fn frexp1(self) -> (Self, Self);
    fn and(a: Self::M, b: Self::M) -> Self::M;
    fn all(m: Self::M) -> bool;
    fn any(m: Self::M) -> bool;
}

impl Add for F64x2 {
    type Output = Self;
    #[inline(always)]
    fn add(self, o: Self) -> Self {
        F64x2::vadd(self, o)
    }
}
impl Sub for F64x2 {
    type Output = Self;
    #[inline(always)]
    fn sub(self, o: Self) -> Self {
        F64x2::vsub(self, o)
    }
}
impl Mul for F64x2 {
    type Output = Self;
    #[inline(always)]
    fn mul(self, o: Self) -> Self {
        F64x2::vmul(self, o)
    }
}
impl Div for F64x2 {
    type Output = Self;
    #[inline(always)]
    fn div(self, o: Self) -> Self {
        F64x2::vdiv(self, o)
    }
}
impl Neg for F64x2 {
    type Output = Self;
    #[inline(always)]
    fn neg(self) -> Self {
        F64x2::splat(0.0) - self
    }
}

impl Lanes for F64x2 {
    type M = Mask;
    #[inline(always)]
    fn splat(x: f64) -> Self {
        F64x2::splat(x)
    }
    #[inline(always)]
    fn sqrt(self) -> Self {
        F64x2::sqrt(self)
    }
    #[inline(always)]
    fn abs(self) -> Self {
        F64x2::abs(self)
    }
    #[inline(always)]
    fn min(self, o: Self) -> Self {
        F64x2::min(self, o)
    }
    #[inline(always)]
    fn max(self, o: Self) -> Self {
        F64x2::max(self, o)
    }
    #[inline(always)]
    fn round(self) -> Self {
        F64x2::round(self)
    }
    #[inline(always)]
    fn lt(self, o: Self) -> Mask {
        F64x2::lt(self, o)
    }
    #[inline(always)]
    fn le(self, o: Self) -> Mask {
        F64x2::le(self, o)
    }
    #[inline(always)]
    fn select(m: Mask, a: Self, b: Self) -> Self {
        F64x2::select(m, a, b)
    }
    #[inline(always)]
    fn pow2i(n: Self) -> Self {
        F64x2::pow2i(n)
    }
    #[inline(always)]
    fn frexp1(self) -> (Self, Self) {
        F64x2::frexp1(self)
    }
    #[inline(always)]
    fn and(a: Mask, b: Mask) -> Mask {
        a.and(b)
    }
    #[inline(always)]
    fn all(m: Mask) -> bool {
        m.all()
    }
    #[inline(always)]
    fn any(m: Mask) -> bool {
        m.any()
    }
}

/// `N` registers of two lanes processed in lockstep.
#[derive(Clone, Copy)]
pub struct Wide<const N: usize>(pub [F64x2; N]);

impl<const N: usize> Wide<N> {
    #[inline(always)]
    fn map(self, f: impl Fn(F64x2) -> F64x2) -> Self {
        Wide(self.0.map(f))
    }
    #[inline(always)]
    fn zip(self, o: Self, f: impl Fn(F64x2, F64x2) -> F64x2) -> Self {
        let mut out = self.0;
        for (a, b) in out.iter_mut().zip(o.0) {
            *a = f(*a, b);
        }
        Wide(out)
    }
}

macro_rules! wide_op {
    ($tr:ident, $m:ident, $op:tt) => {
        impl<const N: usize> $tr for Wide<N> {
            type Output = Self;
            #[inline(always)]
            fn $m(self, o: Self) -> Self {
                self.zip(o, |a, b| a $op b)
            }
        }
    };
}
wide_op!(Add, add, +);
wide_op!(Sub, sub, -);
wide_op!(Mul, mul, *);
wide_op!(Div, div, /);

impl<const N: usize> Neg for Wide<N> {
    type Output = Self;
    #[inline(always)]
    fn neg(self) -> Self {
        self.map(|a| -a)
    }
}

impl<const N: usize> Lanes for Wide<N> {
    type M = [Mask; N];
    #[inline(always)]
    fn splat(x: f64) -> Self {
        Wide([F64x2::splat(x); N])
    }
    #[inline(always)]
    fn sqrt(self) -> Self {
        self.map(F64x2::sqrt)
    }
    #[inline(always)]
    fn abs(self) -> Self {
        self.map(F64x2::abs)
    }
    #[inline(always)]
    fn min(self, o: Self) -> Self {
        self.zip(o, F64x2::min)
    }
    #[inline(always)]
    fn max(self, o: Self) -> Self {
        self.zip(o, F64x2::max)
    }
    #[inline(always)]
    fn round(self) -> Self {
        self.map(F64x2::round)
    }
    #[inline(always)]
    fn lt(self, o: Self) -> Self::M {
        std::array::from_fn(|i| self.0[i].lt(o.0[i]))
    }
    #[inline(always)]
    fn le(self, o: Self) -> Self::M {
        std::array::from_fn(|i| self.0[i].le(o.0[i]))
    }
    #[inline(always)]
    fn select(m: Self::M, a: Self, b: Self) -> Self {
        Wide(std::array::from_fn(|i| F64x2::select(m[i], a.0[i], b.0[i])))
    }
    #[inline(always)]
    fn pow2i(n: Self) -> Self {
        n.map(F64x2::pow2i)
    }
    #[inline(always)]
    fn frexp1(self) -> (Self, Self) {
        let pairs = self.0.map(F64x2::frexp1);
        (Wide(pairs.map(|p| p.0)), Wide(pairs.map(|p| p.1)))
    }
    #[inline(always)]
    fn and(a: Self::M, b: Self::M) -> Self::M {
        std::array::from_fn(|i| a[i].and(b[i]))
    }
    #[inline(always)]
    fn all(m: Self::M) -> bool {
        m.iter().all(|x| x.all())
    }
    #[inline(always)]
    fn any(m: Self::M) -> bool {
        m.iter().any(|x| x.any())
    }
}

/// Horner evaluation of `c[0] + c[1]x + … + c[n]x^n`.
#[inline(always)]
pub fn poly<V: Lanes>(x: V, c: &[f64]) -> V {
    let mut acc = V::splat(0.0);
    for &ci in c.iter().rev() {
        acc = acc * x + V::splat(ci);
    }
    acc
}

/// 1/k! for k = 0..=13: the Taylor series of exp on the reduced interval |r| ≤ ln2/2, where the first omitted
/// term is below 4.2e-18 relative.
const EXP_TAYLOR: [f64; 14] = [
    1.0,
    1.0,
    0.5,
    1.666_666_666_666_666_6e-1,
    4.166_666_666_666_666_4e-2,
    8.333_333_333_333_333e-3,
    1.388_888_888_888_889e-3,
    1.984_126_984_126_984e-4,
    2.480_158_730_158_730_2e-5,
    2.755_731_922_398_589e-6,
    2.755_731_922_398_589_3e-7,
    2.505_210_838_544_172e-8,
    2.087_675_698_786_81e-9,
    1.605_904_383_682_161_3e-10,
];
/// ln 2 split so that `n·LN2_HI` is exact for |n| < 2^11 (the Cody–Waite reduction, as in fdlibm).
const LN2_HI: f64 = 6.931_471_803_691_238_164_9e-1;
const LN2_LO: f64 = 1.908_214_929_270_587_7e-10;

/// `e^x`, with the argument clamped to [-708, 709] (so results are finite and normal: far-tail probabilities
/// that would underflow come out near 3e-308 instead of 0).
#[inline(always)]
pub fn exp<V: Lanes>(x: V) -> V {
    let x = x.max(V::splat(-708.0)).min(V::splat(709.0));
    let n = (x * V::splat(std::f64::consts::LOG2_E)).round();
    let r = x - n * V::splat(LN2_HI) - n * V::splat(LN2_LO);
    poly(r, &EXP_TAYLOR) * V::pow2i(n)
}

/// Natural logarithm of positive normal lanes: `x = 2^e·m` with `m ∈ [1/√2, √2)`, `s = (m−1)/(m+1)`,
/// `ln m = 2·atanh(s) = 2(s + s³/3 + s⁵/5 + …)` to s²³ (|s| ≤ 0.1716, truncation below 1e-18 relative).
#[inline(always)]
pub fn ln<V: Lanes>(x: V) -> V {
    const ATANH: [f64; 12] = [
        1.0,
        1.0 / 3.0,
        1.0 / 5.0,
        1.0 / 7.0,
        1.0 / 9.0,
        1.0 / 11.0,
        1.0 / 13.0,
        1.0 / 15.0,
        1.0 / 17.0,
        1.0 / 19.0,
        1.0 / 21.0,
        1.0 / 23.0,
    ];
    let (e, m) = x.frexp1();
    let big = V::splat(std::f64::consts::SQRT_2).le(m);
    let m = V::select(big, m * V::splat(0.5), m);
    let e = V::select(big, e + V::splat(1.0), e);
    let s = (m - V::splat(1.0)) / (m + V::splat(1.0));
    let ln_m = V::splat(2.0) * s * poly(s * s, &ATANH);
    e * V::splat(LN2_HI) + (e * V::splat(LN2_LO) + ln_m)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exp_and_ln_match_the_standard_library() {
        let mut worst_exp: f64 = 0.0;
        let mut worst_ln: f64 = 0.0;
        let mut x = -700.0;
        while x < 700.0 {
            let [a, b] = exp(F64x2::new(x, x * 0.37 + 0.011)).lanes();
            worst_exp = worst_exp.max((a / x.exp() - 1.0).abs());
            worst_exp = worst_exp.max((b / (x * 0.37 + 0.011).exp() - 1.0).abs());
            x += 0.173;
        }
        let mut y: f64 = 1e-300;
        while y < 1e300 {
            for v in [y, y * 1.37, 1.0 + y.min(1e-3)] {
                let got = ln(F64x2::splat(v)).lanes()[0];
                let want = v.ln();
                let err = if want.abs() > 1e-3 {
                    (got / want - 1.0).abs()
                } else {
                    (got - want).abs()
                };
                worst_ln = worst_ln.max(err);
            }
            y *= 3.1;
        }
        assert!(worst_exp < 1e-15, "exp: worst relative error {worst_exp:e}");
        assert!(worst_ln < 1e-15, "ln: worst error {worst_ln:e}");
    }

    #[test]
    fn masks_select_per_lane() {
        let a = F64x2::new(1.0, 5.0);
        let m = a.lt(F64x2::splat(3.0));
        assert_eq!(
            F64x2::select(m, F64x2::splat(10.0), F64x2::splat(20.0)).lanes(),
            [10.0, 20.0]
        );
        assert_eq!(F64x2::pow2i(F64x2::new(-3.0, 10.0)).lanes(), [0.125, 1024.0]);
        let (e, m) = F64x2::new(12.0, 0.3).frexp1();
        assert_eq!(e.lanes(), [3.0, -2.0]);
        assert_eq!(m.lanes(), [1.5, 1.2]);
    }
}
