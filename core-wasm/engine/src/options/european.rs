//! Analytic European models: generalised Black–Scholes–Merton, Black (1976) and Bachelier.
//!
//! Generalised BSM (Haug 2007, *The Complete Guide to Option Pricing Formulas*, 2nd ed., §1.1.6 and ch. 2):
//! with cost of carry `b`, `d₁ = (ln(S/K) + (b + σ²/2)T)/(σ√T)`, `d₂ = d₁ − σ√T`, `θ = ±1`,
//! `V = θ[S e^{(b−r)T} N(θd₁) − K e^{−rT} N(θd₂)]`. The price itself is evaluated as `e^{−rT}·Black(F, K)`
//! with `F = S e^{bT}` through [`black_price`], which keeps full relative accuracy far out of the money.
//! `b = r − q` gives Merton's dividend-yield model; `b = 0` with `S = F` gives Black (1976).
//! Greeks (Haug 2007 §2.1–2.4): `Δ = θe^{(b−r)T}N(θd₁)`, `Γ = e^{(b−r)T}n(d₁)/(Sσ√T)`,
//! `vega = S e^{(b−r)T} n(d₁)√T`, `vanna = −e^{(b−r)T} n(d₁) d₂/σ`, `volga = vega·d₁d₂/σ`,
//! `∂V/∂b = θ T S e^{(b−r)T} N(θd₁)`, `θ_t = −S e^{(b−r)T} n(d₁)σ/(2√T) − θ(b−r)S e^{(b−r)T}N(θd₁)
//! − θ r K e^{−rT}N(θd₂)`, `charm = −(b−r)Δ − e^{(b−r)T} n(d₁)(b/(σ√T) − d₂/(2T))`.
//! Then `ρ = −TV + ∂V/∂b` and `∂V/∂q = −∂V/∂b` for BSM; `ρ = −TV` and no dividend rho for Black (1976).
//! The coin-margined premium `V/F` takes its Greeks from these by the quotient rule.
//!
//! Bachelier (1900), normal model on `F = S e^{(r−q)T}` with absolute volatility σ, `w = σ√T`,
//! `d = (F−K)/w`: `V = e^{−rT}[θ(F−K)N(θd) + w n(d)]`; derivatives follow by the chain rule through `F`.

use super::black::black_price;
use super::normal::{norm_cdf, norm_pdf};
use super::types::{Greeks, OptionType};

/// Generalised BSM price and Greeks together with the carry sensitivity `∂V/∂b`.
///
/// Inputs must be valid (`s, k, vol, t > 0`, finite); [`super::price_greeks`] checks them.
#[must_use]
pub fn generalized_bsm(kind: OptionType, s: f64, k: f64, r: f64, b: f64, t: f64, vol: f64) -> (Greeks, f64) {
    let theta_sign = kind.sign();
    let sqrt_t = t.sqrt();
    let vol_sqrt_t = vol * sqrt_t;
    let d1 = ((s / k).ln() + (b + 0.5 * vol * vol) * t) / vol_sqrt_t;
    let d2 = d1 - vol_sqrt_t;
    let carry_df = ((b - r) * t).exp();
    let df = (-r * t).exp();
    let n_d1 = norm_pdf(d1);
    let cdf1 = norm_cdf(theta_sign * d1);
    let cdf2 = norm_cdf(theta_sign * d2);
    let price = df * black_price(s * (b * t).exp(), k, vol, t, kind.is_call());
    let delta = theta_sign * carry_df * cdf1;
    let vega = s * carry_df * n_d1 * sqrt_t;
    let carry = theta_sign * t * s * carry_df * cdf1;
    let theta = -s * carry_df * n_d1 * vol / (2.0 * sqrt_t)
        - theta_sign * (b - r) * s * carry_df * cdf1
        - theta_sign * r * k * df * cdf2;
    let greeks = Greeks {
        price,
        delta,
        gamma: carry_df * n_d1 / (s * vol_sqrt_t),
        vega,
        theta,
        rho: -t * price + carry,
        dividend_rho: -carry,
        vanna: -carry_df * n_d1 * d2 / vol,
        volga: vega * d1 * d2 / vol,
        charm: -(b - r) * delta - carry_df * n_d1 * (b / vol_sqrt_t - d2 / (2.0 * t)),
    };
    (greeks, carry)
}

/// Black–Scholes–Merton with continuous dividend yield `q` (Merton 1973; Haug 2007 §1.1.3).
#[must_use]
pub fn bsm(kind: OptionType, s: f64, k: f64, r: f64, q: f64, t: f64, vol: f64) -> Greeks {
    generalized_bsm(kind, s, k, r, r - q, t, vol).0
}

/// Black (1976) on a forward `f`, discounted at `r`. Delta and gamma are with respect to the forward;
/// rho is `−T·V` (the forward held fixed) and dividend rho is zero.
#[must_use]
pub fn black76(kind: OptionType, f: f64, k: f64, r: f64, t: f64, vol: f64) -> Greeks {
    let (mut g, _) = generalized_bsm(kind, f, k, r, 0.0, t, vol);
    g.rho = -t * g.price;
    g.dividend_rho = 0.0;
    g
}

/// The coin-margined (inverse) convention of crypto venues (Deribit and others): premium in units of the
/// underlying, `P = Black(1976) price / F`, with `f` the forward in quote currency.
#[must_use]
pub fn black76_coin_premium(kind: OptionType, f: f64, k: f64, r: f64, t: f64, vol: f64) -> f64 {
    (-r * t).exp() * black_price(f, k, vol, t, kind.is_call()) / f
}

/// Price and Greeks of `P = V/F` (coin-margined Black 1976), all in units of the underlying, by the
/// quotient rule on the Black (1976) Greeks of `V`: `∂P/∂F = (Δ − P)/F`, `∂²P/∂F² = (Γ − 2∂P/∂F)/F`,
/// `vega, volga, θ, ρ` divided by `F`, `vanna_P = (vanna − vega/F)/F`, `charm_P = (charm − θ/F)/F`.
#[must_use]
pub fn black76_coin(kind: OptionType, f: f64, k: f64, r: f64, t: f64, vol: f64) -> Greeks {
    let g = black76(kind, f, k, r, t, vol);
    let price = g.price / f;
    let delta = (g.delta - price) / f;
    Greeks {
        price,
        delta,
        gamma: (g.gamma - 2.0 * delta) / f,
        vega: g.vega / f,
        theta: g.theta / f,
        rho: g.rho / f,
        dividend_rho: 0.0,
        vanna: (g.vanna - g.vega / f) / f,
        volga: g.volga / f,
        charm: (g.charm - g.theta / f) / f,
    }
}

/// Bachelier (normal) model on the forward `S e^{(r−q)T}`, absolute volatility `vol` (price units/√year).
#[must_use]
pub fn bachelier(kind: OptionType, s: f64, k: f64, r: f64, q: f64, t: f64, vol: f64) -> Greeks {
    let theta_sign = kind.sign();
    let sqrt_t = t.sqrt();
    let growth = ((r - q) * t).exp();
    let f = s * growth;
    let df = (-r * t).exp();
    let w = vol * sqrt_t;
    let d = (f - k) / w;
    let pdf = norm_pdf(d);
    let cdf = norm_cdf(theta_sign * d);
    let price = df * (theta_sign * (f - k) * cdf + w * pdf);
    let dv_df = df * theta_sign * cdf;
    let delta = growth * dv_df;
    let ddelta_dt = -q * delta + (-q * t).exp() * pdf * ((r - q) * f / w - d / (2.0 * t));
    Greeks {
        price,
        delta,
        gamma: growth * growth * df * pdf / w,
        vega: sqrt_t * df * pdf,
        theta: r * price - dv_df * (r - q) * f - df * pdf * vol / (2.0 * sqrt_t),
        rho: -t * price + dv_df * t * f,
        dividend_rho: -dv_df * t * f,
        vanna: -(-q * t).exp() * pdf * d / vol,
        volga: df * pdf * d * d * sqrt_t / vol,
        charm: -ddelta_dt,
    }
}

/// The undiscounted Bachelier price on a forward, used by the implied-volatility solver.
#[must_use]
pub fn bachelier_forward_price(kind: OptionType, f: f64, k: f64, t: f64, vol: f64) -> f64 {
    let w = vol * t.sqrt();
    if w <= 0.0 {
        return kind.intrinsic(f, k);
    }
    let d = (f - k) / w;
    kind.sign() * (f - k) * norm_cdf(kind.sign() * d) + w * norm_pdf(d)
}
