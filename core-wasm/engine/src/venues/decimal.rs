//! Exact decimal strings ↔ integer ticks and lots. No floating point anywhere on the way in.

use std::fmt;

/// A non-negative decimal read exactly from its string: `mantissa × 10^-scale`, with trailing fractional
/// zeros stripped, so `scale` is the number of *significant* decimals (`"61837.63000000"` → 6183763 × 10^-2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Dec {
    pub mantissa: u64,
    pub scale: u32,
    /// Decimals as written, trailing zeros included (`"0.00000000"` → 8): the venue's wire precision.
    pub written: u32,
}

/// Most significant digits accepted (10^18 < 2^63).
const MAX_DIGITS: usize = 18;

impl Dec {
    /// Parses a plain decimal string: digits with at most one `.`, no sign, no exponent.
    ///
    /// # Errors
    /// A reason naming the value: negative, not a number (NaN, empty, letters, exponent), or too many digits.
    pub fn parse(s: &str) -> Result<Dec, String> {
        if s.starts_with('-') {
            return Err(format!("{s:?} is negative"));
        }
        let (int, frac) = match s.split_once('.') {
            Some((i, f)) => (i, f),
            None => (s, ""),
        };
        let digits_ok = |p: &str| p.bytes().all(|b| b.is_ascii_digit());
        if (int.is_empty() && frac.is_empty()) || !digits_ok(int) || !digits_ok(frac) {
            return Err(format!("{s:?} is not a decimal number"));
        }
        let written = u32::try_from(frac.len()).map_err(|_| format!("{s:?} has too many decimals"))?;
        let frac = frac.trim_end_matches('0');
        let int = int.trim_start_matches('0');
        if int.len() + frac.len() > MAX_DIGITS {
            return Err(format!("{s:?} has more than {MAX_DIGITS} significant digits"));
        }
        let mut mantissa: u64 = 0;
        for b in int.bytes().chain(frac.bytes()) {
            mantissa = mantissa * 10 + u64::from(b - b'0');
        }
        let scale = u32::try_from(frac.len()).map_err(|_| format!("{s:?} has too many decimals"))?;
        Ok(Dec {
            mantissa,
            scale,
            written,
        })
    }

    /// The value in units of `10^-decimals` (ticks or lots), or `None` when it has more significant decimals
    /// than that (off the grid) or does not fit an `i64`.
    pub fn to_units(self, decimals: u32) -> Option<i64> {
        let shift = decimals.checked_sub(self.scale)?;
        let factor = 10u64.checked_pow(shift)?;
        let v = self.mantissa.checked_mul(factor)?;
        i64::try_from(v).ok()
    }
}

impl fmt::Display for Dec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&units_to_string(self.mantissa as i128, self.scale))
    }
}

/// `units × 10^-decimals` as a plain decimal string without trailing zeros (`6183763, 2` → `"61837.63"`).
pub fn units_to_string(units: i128, decimals: u32) -> String {
    let neg = units < 0;
    let digits = units.unsigned_abs().to_string();
    let d = decimals as usize;
    let (int, frac) = if digits.len() > d {
        let (i, f) = digits.split_at(digits.len() - d);
        (i.to_string(), f.to_string())
    } else {
        ("0".to_string(), format!("{digits:0>d$}"))
    };
    let frac = frac.trim_end_matches('0');
    let sign = if neg { "-" } else { "" };
    if frac.is_empty() {
        format!("{sign}{int}")
    } else {
        format!("{sign}{int}.{frac}")
    }
}

/// `units × 10^-decimals` as a JSON number. The value goes through its decimal string, so the number is the
/// double nearest the exact decimal and prints back as that decimal (for up to 15 significant digits).
pub fn units_to_json(units: i64, decimals: u32) -> serde_json::Value {
    let s = units_to_string(i128::from(units), decimals);
    if !s.contains('.') {
        if let Ok(i) = s.parse::<i64>() {
            return serde_json::Value::from(i);
        }
    }
    s.parse::<f64>()
        .ok()
        .and_then(serde_json::Number::from_f64)
        .map_or(serde_json::Value::String(s), serde_json::Value::Number)
}

/// The price and quantity grid of an instrument: `tick = 10^-price_decimals`, `lot = 10^-qty_decimals`.
///
/// Binance and Bybit recordings carry no instrument metadata, so the grid is inferred from the snapshot: the
/// largest number of significant decimals (trailing zeros stripped) among its prices, and among its
/// quantities. A snapshot of hundreds of levels shows the finest step in use. A later price with more
/// significant decimals than the tick is rejected as off-tick. Quantities differ in one respect: resting
/// orders placed before a venue coarsened its lot keep their finer quantities (Binance spot BTCUSDT has
/// 6-decimal levels far from the touch under a 0.00001 lot), so a quantity finer than the inferred lot but
/// within the precision the venue writes (`qty_written_decimals`, the decimals of the snapshot's quantity
/// strings, `"0.00000000"` → 8) refines the lot; one beyond that precision is rejected as off-lot.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Grid {
    pub price_decimals: u32,
    pub qty_decimals: u32,
    pub qty_written_decimals: u32,
    /// Decimals of the snapshot's price strings as written (Kraken's checksum is over the written strings).
    pub price_written_decimals: u32,
}

impl Grid {
    /// The grid of a snapshot's levels (`(price, qty)` pairs).
    pub fn infer<'a, I: IntoIterator<Item = &'a (Dec, Dec)>>(levels: I) -> Grid {
        levels.into_iter().fold(Grid::default(), |g, (p, q)| Grid {
            price_decimals: g.price_decimals.max(p.scale),
            qty_decimals: g.qty_decimals.max(q.scale),
            qty_written_decimals: g.qty_written_decimals.max(q.written),
            price_written_decimals: g.price_written_decimals.max(p.written),
        })
    }

    /// The tick as a decimal string.
    pub fn tick(&self) -> String {
        units_to_string(1, self.price_decimals)
    }

    /// The lot as a decimal string.
    pub fn lot(&self) -> String {
        units_to_string(1, self.qty_decimals)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;

    #[test]
    fn parses_exactly() {
        assert_eq!(
            Dec::parse("61837.63000000"),
            Ok(Dec {
                mantissa: 6_183_763,
                scale: 2,
                written: 8
            })
        );
        assert_eq!(Dec::parse("0.00000000").map(|d| d.mantissa), Ok(0));
        assert_eq!(
            Dec::parse("1.9531").and_then(|d| d.to_units(4).ok_or_default()),
            Ok(19531)
        );
        assert!(Dec::parse("-1").is_err());
        assert!(Dec::parse("NaN").is_err());
        assert!(Dec::parse("1e5").is_err());
        assert!(Dec::parse(".").is_err());
        assert!(Dec::parse("").is_err());
        assert_eq!(Dec::parse("61837.631").map(|d| d.to_units(2)), Ok(None));
        assert_eq!(units_to_string(6_183_763, 2), "61837.63");
        assert_eq!(units_to_string(5, 3), "0.005");
        assert_eq!(units_to_string(1200, 2), "12");
        assert_eq!(units_to_json(6_183_763, 2).to_string(), "61837.63");
    }

    trait OrDefault {
        fn ok_or_default(self) -> Result<i64, String>;
    }
    impl OrDefault for Option<i64> {
        fn ok_or_default(self) -> Result<i64, String> {
            self.ok_or_else(|| "off grid".to_string())
        }
    }
}
