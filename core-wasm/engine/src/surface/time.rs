//! Calendar arithmetic for option expiries.
//!
//! Instants are [`UtcTimestamp`]s: signed nanoseconds since the Unix epoch, UTC, no leap seconds (POSIX
//! time). Civil dates use the proleptic Gregorian calendar; the day-count conversions follow Howard
//! Hinnant's `days_from_civil` / `civil_from_days` algorithms ("chrono-Compatible Low-Level Date
//! Algorithms"). Time to expiry is ACT/365 Fixed: elapsed seconds divided by 365 × 86 400.
//!
//! US equity-index options settle either on the opening print (AM-settled, 09:30 New York time) or at the
//! close (PM-settled, 16:00 New York time); [`SettlementTime`] maps an expiry date to the UTC instant,
//! applying the US daylight-saving rules in force for that year.

use thiserror::Error;

const NANOS_PER_SECOND: i64 = 1_000_000_000;
const SECONDS_PER_DAY: i64 = 86_400;
const NANOS_PER_YEAR_ACT365: f64 = 365.0 * 86_400.0 * 1e9;

/// Errors from date and time parsing or construction.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum TimeError {
    #[error("invalid calendar date {year:04}-{month:02}-{day:02}")]
    InvalidDate { year: i64, month: i64, day: i64 },
    #[error("invalid time of day {hour:02}:{minute:02}:{second:02}")]
    InvalidTime { hour: i64, minute: i64, second: i64 },
    #[error("malformed ISO-8601 date/time {input:?}")]
    Malformed { input: String },
    #[error("timestamp {value} is not finite or lies outside the representable range")]
    OutOfRange { value: f64 },
}

/// A UTC instant in nanoseconds since 1970-01-01T00:00:00Z.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct UtcTimestamp(i64);

impl UtcTimestamp {
    /// Wraps nanoseconds since the Unix epoch.
    pub const fn from_unix_nanos(nanos: i64) -> Self {
        Self(nanos)
    }

    /// Whole nanoseconds since the Unix epoch.
    pub const fn unix_nanos(self) -> i64 {
        self.0
    }

    /// From (possibly fractional) seconds since the Unix epoch.
    ///
    /// # Errors
    /// [`TimeError::OutOfRange`] for a non-finite value or one beyond ±292 years of the epoch.
    pub fn from_unix_seconds(seconds: f64) -> Result<Self, TimeError> {
        Self::from_scaled(seconds, 1e9)
    }

    /// From (possibly fractional) milliseconds since the Unix epoch, as JavaScript's `Date` holds them.
    ///
    /// # Errors
    /// [`TimeError::OutOfRange`] for a non-finite or unrepresentable value.
    pub fn from_unix_millis(millis: f64) -> Result<Self, TimeError> {
        Self::from_scaled(millis, 1e6)
    }

    fn from_scaled(value: f64, nanos_per_unit: f64) -> Result<Self, TimeError> {
        let nanos = (value * nanos_per_unit).round();
        // i64::MAX is about 9.22e18; stay well inside so the cast below is exact and lossless in range.
        if !nanos.is_finite() || nanos.abs() > 9.0e18 {
            return Err(TimeError::OutOfRange { value });
        }
        Ok(Self(nanos as i64))
    }

    /// Parses `YYYY-MM-DD` (midnight UTC) or `YYYY-MM-DD[T| ]HH:MM[:SS[.fff…]][Z|±HH[:MM]]`.
    /// A date-time without an offset is taken as UTC.
    ///
    /// # Errors
    /// [`TimeError::Malformed`] when the text does not have that shape, or an invalid-date/time error.
    pub fn parse_iso8601(input: &str) -> Result<Self, TimeError> {
        let s = input.trim();
        let malformed = || TimeError::Malformed {
            input: input.to_string(),
        };
        let date = CivilDate::parse_iso(s.get(..10).ok_or_else(malformed)?)?;
        let rest = &s[10..];
        if rest.is_empty() {
            return Ok(date.at_utc(0, 0, 0));
        }
        let rest = rest.strip_prefix(['T', 't', ' ']).ok_or_else(malformed)?;
        let (clock, offset_seconds) = split_offset(rest).ok_or_else(malformed)?;
        let mut fields = clock.splitn(3, ':');
        let hour = parse_digits(fields.next().unwrap_or(""), 2).ok_or_else(malformed)?;
        let minute = parse_digits(fields.next().ok_or_else(malformed)?, 2).ok_or_else(malformed)?;
        let (second, nanos) = match fields.next() {
            None => (0, 0),
            Some(sec) => {
                let (whole, frac) = sec.split_once(['.', ',']).unwrap_or((sec, ""));
                let second = parse_digits(whole, 2).ok_or_else(malformed)?;
                if !frac.bytes().all(|b| b.is_ascii_digit()) || (frac.is_empty() && sec.len() > 2) {
                    return Err(malformed());
                }
                let mut nanos = 0_i64;
                for (i, b) in frac.bytes().take(9).enumerate() {
                    nanos += i64::from(b - b'0') * 10_i64.pow(8 - i as u32);
                }
                (second, nanos)
            }
        };
        if hour > 23 || minute > 59 || second > 60 {
            return Err(TimeError::InvalidTime { hour, minute, second });
        }
        let local = date.at_utc(hour as u8, minute as u8, 0).0 + second * NANOS_PER_SECOND + nanos;
        Ok(Self(local - offset_seconds * NANOS_PER_SECOND))
    }

    /// ACT/365 Fixed year fraction from `self` to `later` (negative when `later` is earlier).
    pub fn year_fraction_to(self, later: UtcTimestamp) -> f64 {
        (later.0 as f64 - self.0 as f64) / NANOS_PER_YEAR_ACT365
    }

    /// The calendar date (UTC) on which this instant falls.
    pub fn utc_date(self) -> CivilDate {
        CivilDate::from_days_since_epoch(self.0.div_euclid(NANOS_PER_SECOND * SECONDS_PER_DAY))
    }

    /// `YYYY-MM-DDTHH:MM:SSZ`, with milliseconds when the instant has a sub-second part.
    pub fn to_iso8601(self) -> String {
        let date = self.utc_date();
        let in_day = self.0.rem_euclid(NANOS_PER_SECOND * SECONDS_PER_DAY);
        let secs = in_day / NANOS_PER_SECOND;
        let (h, m, s) = (secs / 3600, (secs / 60) % 60, secs % 60);
        let millis = (in_day % NANOS_PER_SECOND) / 1_000_000;
        if in_day % NANOS_PER_SECOND == 0 {
            format!("{date}T{h:02}:{m:02}:{s:02}Z")
        } else {
            format!("{date}T{h:02}:{m:02}:{s:02}.{millis:03}Z")
        }
    }
}

/// Splits a trailing `Z` or `±HH[:MM]` offset from the clock part; returns the offset in seconds east of UTC.
fn split_offset(rest: &str) -> Option<(&str, i64)> {
    if let Some(clock) = rest.strip_suffix(['Z', 'z']) {
        return Some((clock, 0));
    }
    let Some(pos) = rest.rfind(['+', '-']) else {
        return Some((rest, 0));
    };
    let (clock, offset) = rest.split_at(pos);
    let sign = if offset.starts_with('-') { -1 } else { 1 };
    let digits: String = offset[1..].chars().filter(|c| *c != ':').collect();
    if !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let (hh, mm) = match digits.len() {
        2 => (parse_digits(&digits, 2)?, 0),
        4 => (parse_digits(&digits[..2], 2)?, parse_digits(&digits[2..], 2)?),
        _ => return None,
    };
    if hh > 23 || mm > 59 {
        return None;
    }
    Some((clock, sign * (hh * 3600 + mm * 60)))
}

/// Parses exactly `width` ASCII digits.
fn parse_digits(s: &str, width: usize) -> Option<i64> {
    if s.len() != width || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// A proleptic Gregorian calendar date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CivilDate {
    year: i32,
    month: u8,
    day: u8,
}

impl CivilDate {
    /// A checked date.
    ///
    /// # Errors
    /// [`TimeError::InvalidDate`] when the day does not exist in that month and year.
    pub fn new(year: i32, month: u8, day: u8) -> Result<Self, TimeError> {
        if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
            return Err(TimeError::InvalidDate {
                year: year.into(),
                month: month.into(),
                day: day.into(),
            });
        }
        Ok(Self { year, month, day })
    }

    /// Parses `YYYY-MM-DD`.
    ///
    /// # Errors
    /// [`TimeError::Malformed`] or [`TimeError::InvalidDate`].
    pub fn parse_iso(input: &str) -> Result<Self, TimeError> {
        let s = input.trim();
        let b = s.as_bytes();
        let malformed = || TimeError::Malformed {
            input: input.to_string(),
        };
        if !s.is_ascii() || b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return Err(malformed());
        }
        let year = parse_digits(&s[..4], 4).ok_or_else(malformed)?;
        let month = parse_digits(&s[5..7], 2).ok_or_else(malformed)?;
        let day = parse_digits(&s[8..], 2).ok_or_else(malformed)?;
        if month > 12 || day > 31 {
            return Err(TimeError::InvalidDate { year, month, day });
        }
        Self::new(year as i32, month as u8, day as u8)
    }

    pub const fn year(self) -> i32 {
        self.year
    }

    pub const fn month(self) -> u8 {
        self.month
    }

    pub const fn day(self) -> u8 {
        self.day
    }

    /// Days since 1970-01-01 (Hinnant's `days_from_civil`).
    pub fn days_since_epoch(self) -> i64 {
        let (m, d) = (i64::from(self.month), i64::from(self.day));
        let y = i64::from(self.year) - i64::from(m <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let doy = (153 * ((m + 9) % 12) + 2) / 5 + d - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// Inverse of [`Self::days_since_epoch`] (Hinnant's `civil_from_days`).
    pub fn from_days_since_epoch(days: i64) -> Self {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
        Self { year, month, day }
    }

    /// Day of the week, 0 = Sunday … 6 = Saturday (1970-01-01 was a Thursday).
    pub fn weekday(self) -> u8 {
        (self.days_since_epoch() + 4).rem_euclid(7) as u8
    }

    /// The instant `hour:minute:second` UTC on this date.
    pub fn at_utc(self, hour: u8, minute: u8, second: u8) -> UtcTimestamp {
        let secs = self.days_since_epoch() * SECONDS_PER_DAY
            + i64::from(hour) * 3600
            + i64::from(minute) * 60
            + i64::from(second);
        UtcTimestamp(secs * NANOS_PER_SECOND)
    }

    /// The `n`-th (1-based) given weekday of a month; `n = 0` means the last one.
    fn nth_weekday(year: i32, month: u8, weekday: u8, n: u8) -> Self {
        let first = Self { year, month, day: 1 };
        let first_match = 1 + (7 + weekday - first.weekday()) % 7;
        let day = if n == 0 {
            let last = days_in_month(year, month);
            first_match + 7 * ((last - first_match) / 7)
        } else {
            first_match + 7 * (n - 1)
        };
        Self { year, month, day }
    }

    /// Whether New York observes daylight time at midday on this date (US rules from 2007: second Sunday
    /// in March to first Sunday in November; 1987–2006: first Sunday in April to last Sunday in October).
    fn new_york_daylight_time(self) -> bool {
        let (start, end) = if self.year >= 2007 {
            (
                Self::nth_weekday(self.year, 3, 0, 2),
                Self::nth_weekday(self.year, 11, 0, 1),
            )
        } else {
            (
                Self::nth_weekday(self.year, 4, 0, 1),
                Self::nth_weekday(self.year, 10, 0, 0),
            )
        };
        self >= start && self < end
    }

    /// The instant `hour:minute` New York local time on this date (valid for times after 03:00, so the
    /// daylight-saving switch at 02:00 never makes the local time ambiguous).
    pub fn at_new_york(self, hour: u8, minute: u8) -> UtcTimestamp {
        let offset_hours: u8 = if self.new_york_daylight_time() { 4 } else { 5 };
        let local = self.at_utc(hour, minute, 0);
        UtcTimestamp(local.0 + i64::from(offset_hours) * 3600 * NANOS_PER_SECOND)
    }
}

impl std::fmt::Display for CivilDate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

fn is_leap(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(year) => 29,
        2 => 28,
        _ => 0,
    }
}

/// When, on its expiry date, an option's exercise value is fixed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SettlementTime {
    /// AM settlement on the opening print: 09:30 New York time (e.g. SPX monthlies).
    NewYorkOpen,
    /// PM settlement at the close: 16:00 New York time (e.g. SPXW weeklies, equity options).
    NewYorkClose,
    /// A fixed UTC time of day (e.g. Deribit: 08:00 UTC).
    Utc { hour: u8, minute: u8 },
}

impl SettlementTime {
    /// The settlement instant on `date`.
    pub fn on(self, date: CivilDate) -> UtcTimestamp {
        match self {
            Self::NewYorkOpen => date.at_new_york(9, 30),
            Self::NewYorkClose => date.at_new_york(16, 0),
            Self::Utc { hour, minute } => date.at_utc(hour.min(23), minute.min(59), 0),
        }
    }

    /// Parses `am` / `open`, `pm` / `close`, or `HH:MMZ` (UTC).
    ///
    /// # Errors
    /// [`TimeError::Malformed`] for anything else.
    pub fn parse(input: &str) -> Result<Self, TimeError> {
        let s = input.trim().to_ascii_lowercase();
        match s.as_str() {
            "am" | "open" => return Ok(Self::NewYorkOpen),
            "pm" | "close" => return Ok(Self::NewYorkClose),
            _ => {}
        }
        let malformed = || TimeError::Malformed {
            input: input.to_string(),
        };
        let clock = s.strip_suffix('z').ok_or_else(malformed)?;
        let (h, m) = clock.split_once(':').ok_or_else(malformed)?;
        let (hour, minute) = (
            parse_digits(h, 2).ok_or_else(malformed)?,
            parse_digits(m, 2).ok_or_else(malformed)?,
        );
        if hour > 23 || minute > 59 {
            return Err(TimeError::InvalidTime {
                hour,
                minute,
                second: 0,
            });
        }
        Ok(Self::Utc {
            hour: hour as u8,
            minute: minute as u8,
        })
    }
}
