//! Decoding errors: each names the field, the value and the byte offset of the field.

use std::fmt;

use super::HEADER_BYTES;

/// What a field should have held, for error messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expected {
    Range { min: i64, max: i64, unit: &'static str },
    Text(&'static str),
}

impl Expected {
    /// `min..=max` in `unit`.
    pub const fn range(min: i64, max: i64, unit: &'static str) -> Expected {
        Expected::Range { min, max, unit }
    }
}

impl fmt::Display for Expected {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Expected::Range { min, max, unit } => write!(f, "{min}..={max} {unit}"),
            Expected::Text(t) => f.write_str(t),
        }
    }
}

/// Why bytes could not be decoded. `offset` is the absolute byte offset of the offending field in the buffer
/// handed to [`frames`] (for a truncated header: of the frame's first byte).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WireError {
    #[error("truncated frame at byte {offset}: the header needs {HEADER_BYTES} bytes, {available} remain")]
    TruncatedHeader { offset: usize, available: usize },
    #[error("field magic at byte {offset} is {value:#04x}, expected 0xfd")]
    BadMagic { offset: usize, value: u8 },
    #[error("field version at byte {offset} is {value}, expected 1")]
    BadVersion { offset: usize, value: u8 },
    #[error("field kind at byte {offset} is {value}, expected 1 (snapshot), 2 (delta) or 3 (trades)")]
    BadKind { offset: usize, value: u8 },
    #[error(
        "field count at byte {offset} is {count}: its records need {needed} bytes but {available} remain after \
         the header (truncated frame)"
    )]
    CountOverflow {
        offset: usize,
        count: u32,
        needed: u64,
        available: usize,
    },
    #[error("field seq_last at byte {offset} is {seq_last}, expected seq_first ({seq_first}) in a snapshot")]
    SnapshotSeq {
        offset: usize,
        seq_first: u64,
        seq_last: u64,
    },
    #[error(
        "field count at byte {offset} is {count}, expected seq_last - seq_first + 1 with seq_first {seq_first} \
         and seq_last {seq_last}"
    )]
    SeqCount {
        offset: usize,
        count: u32,
        seq_first: u64,
        seq_last: u64,
    },
    #[error("field {field} at byte {offset} is {value}, expected {expected}")]
    InvalidField {
        offset: usize,
        field: &'static str,
        value: i64,
        expected: Expected,
    },
}

impl WireError {
    /// A record field out of range.
    pub(crate) fn field(offset: usize, field: &'static str, value: i64, expected: Expected) -> WireError {
        WireError::InvalidField {
            offset,
            field,
            value,
            expected,
        }
    }
}
