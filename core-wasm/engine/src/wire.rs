//! Binary market-data frames of protocol version 1 (docs/protocol.md, "Binary frames"); the TypeScript
//! encoder the server uses is `src/protocol/wire.ts`. Little-endian: a 40-byte header, then `count` records of
//! 24 bytes (levels) or 32 bytes (trades); frames may be concatenated.
//!
//! Decoding has two stages:
//! 1. [`frames`] splits a buffer into frames by their headers. A truncated header, a bad magic, version or kind,
//!    or a count whose records overflow the buffer ends it: the rest of the buffer cannot be framed.
//! 2. [`Frame::decode`] checks one framed frame — its sequence fields against its count and every record field —
//!    and hands out typed records. An error here rejects that frame only; the next one is still framed.
//!
//! Every error names the field, the value and the absolute byte offset of the field in the buffer. The flags
//! byte and the reserved bytes are not checked, so that later protocol revisions can use them.

mod encode;
mod error;

use std::fmt;

pub use encode::{encode_header, encode_level, encode_trade};
pub use error::{Expected, WireError};

use crate::book::{LevelUpdate, Side, MAX_PRICE, MAX_QTY};

pub const MAGIC: u8 = 0xFD;
pub const VERSION: u8 = 1;
pub const HEADER_BYTES: usize = 40;
pub const LEVEL_BYTES: usize = 24;
pub const TRADE_BYTES: usize = 32;

/// Frame kind (header byte 2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FrameKind {
    Snapshot = 1,
    Delta = 2,
    Trades = 3,
}

impl FrameKind {
    /// Bytes per record of this kind.
    pub fn record_bytes(self) -> usize {
        match self {
            FrameKind::Snapshot | FrameKind::Delta => LEVEL_BYTES,
            FrameKind::Trades => TRADE_BYTES,
        }
    }
}

impl fmt::Display for FrameKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            FrameKind::Snapshot => "snapshot",
            FrameKind::Delta => "delta batch",
            FrameKind::Trades => "trade batch",
        })
    }
}

/// Who took liquidity in a trade (trade record byte 24).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Aggressor {
    Unknown = 0,
    /// The buyer lifted the ask.
    Buyer = 1,
    /// The seller hit the bid.
    Seller = 2,
}

/// A frame header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FrameHeader {
    pub kind: FrameKind,
    pub instrument: u32,
    pub count: u32,
    pub seq_first: u64,
    pub seq_last: u64,
    /// Nanoseconds since the Unix epoch.
    pub ts_event: i64,
}

/// A trade record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TradeRecord {
    /// Nanoseconds since the Unix epoch.
    pub ts_event: i64,
    pub price: i64,
    pub qty: i64,
    pub aggressor: Aggressor,
}

const PRICE: Expected = Expected::range(1, MAX_PRICE, "ticks");
const DELTA_QTY: Expected = Expected::range(0, MAX_QTY, "lots");
const POSITIVE_QTY: Expected = Expected::range(1, MAX_QTY, "lots");

#[inline]
fn u32_le(b: &[u8], at: usize) -> u32 {
    b.get(at..at + 4)
        .and_then(|s| <[u8; 4]>::try_from(s).ok())
        .map_or(0, u32::from_le_bytes)
}

#[inline]
fn i64_le(b: &[u8], at: usize) -> i64 {
    b.get(at..at + 8)
        .and_then(|s| <[u8; 8]>::try_from(s).ok())
        .map_or(0, i64::from_le_bytes)
}

#[inline]
fn byte(b: &[u8], at: usize) -> u8 {
    b.get(at).copied().unwrap_or(0)
}

/// One framed frame: its header and its record bytes, not yet validated.
#[derive(Debug, Clone, Copy)]
pub struct Frame<'a> {
    /// Byte offset of the frame in the buffer.
    pub offset: usize,
    pub header: FrameHeader,
    body: &'a [u8],
}

/// A validated frame's records.
#[derive(Debug, Clone)]
pub enum Payload<'a> {
    Snapshot(LevelRecords<'a>),
    Delta(LevelRecords<'a>),
    Trades(TradeRecords<'a>),
}

impl<'a> Frame<'a> {
    /// Total size of the frame in bytes.
    pub fn byte_len(&self) -> usize {
        HEADER_BYTES + self.body.len()
    }

    /// Validates the sequence fields and every record, and returns the records.
    ///
    /// # Errors
    /// [`WireError::SnapshotSeq`] for a snapshot whose `seq_first != seq_last`; [`WireError::SeqCount`] for a
    /// delta or trade batch whose `count != seq_last - seq_first + 1` (so empty batches too);
    /// [`WireError::InvalidField`] for the first record field out of range: a side other than 0/1, a price
    /// outside `1..=MAX_PRICE`, a quantity outside `0..=MAX_QTY` (`1..` in snapshots and trades), an aggressor
    /// other than 0/1/2.
    pub fn decode(&self) -> Result<Payload<'a>, WireError> {
        let h = &self.header;
        match h.kind {
            FrameKind::Snapshot => {
                if h.seq_first != h.seq_last {
                    let (seq_first, seq_last) = (h.seq_first, h.seq_last);
                    return Err(WireError::SnapshotSeq {
                        offset: self.offset + 24,
                        seq_first,
                        seq_last,
                    });
                }
                self.check_levels(POSITIVE_QTY)?;
                Ok(Payload::Snapshot(LevelRecords { body: self.body }))
            }
            FrameKind::Delta => {
                self.check_count()?;
                self.check_levels(DELTA_QTY)?;
                Ok(Payload::Delta(LevelRecords { body: self.body }))
            }
            FrameKind::Trades => {
                self.check_count()?;
                self.check_trades()?;
                Ok(Payload::Trades(TradeRecords { body: self.body }))
            }
        }
    }

    fn check_count(&self) -> Result<(), WireError> {
        let h = &self.header;
        let covered = h.seq_last.checked_sub(h.seq_first).and_then(|d| d.checked_add(1));
        if covered == Some(u64::from(h.count)) {
            return Ok(());
        }
        let (count, seq_first, seq_last) = (h.count, h.seq_first, h.seq_last);
        Err(WireError::SeqCount {
            offset: self.offset + 8,
            count,
            seq_first,
            seq_last,
        })
    }

    fn check_levels(&self, qty_range: Expected) -> Result<(), WireError> {
        let start = self.offset + HEADER_BYTES;
        for (i, r) in self.body.chunks_exact(LEVEL_BYTES).enumerate() {
            let at = start + i * LEVEL_BYTES;
            check_range("price", at, i64_le(r, 0), PRICE)?;
            check_range("qty", at + 8, i64_le(r, 8), qty_range)?;
            let side = byte(r, 16);
            if side > 1 {
                let expected = Expected::Text("0 (bid) or 1 (ask)");
                return Err(WireError::field(at + 16, "side", side.into(), expected));
            }
        }
        Ok(())
    }

    fn check_trades(&self) -> Result<(), WireError> {
        let start = self.offset + HEADER_BYTES;
        for (i, r) in self.body.chunks_exact(TRADE_BYTES).enumerate() {
            let at = start + i * TRADE_BYTES;
            check_range("price", at + 8, i64_le(r, 8), PRICE)?;
            check_range("qty", at + 16, i64_le(r, 16), POSITIVE_QTY)?;
            let a = byte(r, 24);
            if a > 2 {
                let expected = Expected::Text("0 (unknown), 1 (buyer) or 2 (seller)");
                return Err(WireError::field(at + 24, "aggressor", a.into(), expected));
            }
        }
        Ok(())
    }
}

#[inline]
fn check_range(field: &'static str, offset: usize, value: i64, expected: Expected) -> Result<(), WireError> {
    match expected {
        Expected::Range { min, max, .. } if (min..=max).contains(&value) => Ok(()),
        _ => Err(WireError::field(offset, field, value, expected)),
    }
}

/// The level records of a validated snapshot or delta frame.
#[derive(Debug, Clone)]
pub struct LevelRecords<'a> {
    body: &'a [u8],
}

impl Iterator for LevelRecords<'_> {
    type Item = LevelUpdate;

    #[inline]
    fn next(&mut self) -> Option<LevelUpdate> {
        let (r, rest) = self.body.split_at_checked(LEVEL_BYTES)?;
        self.body = rest;
        let side = if byte(r, 16) == 0 { Side::Bid } else { Side::Ask };
        Some(LevelUpdate {
            side,
            price: i64_le(r, 0),
            qty: i64_le(r, 8),
        })
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let n = self.body.len() / LEVEL_BYTES;
        (n, Some(n))
    }
}

impl ExactSizeIterator for LevelRecords<'_> {}

/// The trade records of a validated trade frame.
#[derive(Debug, Clone)]
pub struct TradeRecords<'a> {
    body: &'a [u8],
}

impl Iterator for TradeRecords<'_> {
    type Item = TradeRecord;

    #[inline]
    fn next(&mut self) -> Option<TradeRecord> {
        let (r, rest) = self.body.split_at_checked(TRADE_BYTES)?;
        self.body = rest;
        let aggressor = match byte(r, 24) {
            1 => Aggressor::Buyer,
            2 => Aggressor::Seller,
            _ => Aggressor::Unknown,
        };
        Some(TradeRecord {
            ts_event: i64_le(r, 0),
            price: i64_le(r, 8),
            qty: i64_le(r, 16),
            aggressor,
        })
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let n = self.body.len() / TRADE_BYTES;
        (n, Some(n))
    }
}

impl ExactSizeIterator for TradeRecords<'_> {}

/// Splits concatenated frames (stage 1 of the module docs). After a framing error it yields nothing more.
#[derive(Debug, Clone)]
pub struct Frames<'a> {
    buf: &'a [u8],
    pos: usize,
    failed: bool,
}

/// Frames of `buf`, in order.
pub fn frames(buf: &[u8]) -> Frames<'_> {
    Frames {
        buf,
        pos: 0,
        failed: false,
    }
}

impl<'a> Frames<'a> {
    /// Bytes framed so far.
    pub fn consumed(&self) -> usize {
        self.pos
    }

    fn frame_at(&self, offset: usize) -> Result<Frame<'a>, WireError> {
        let rest = self.buf.get(offset..).unwrap_or_default();
        let Some((h, body)) = rest.split_at_checked(HEADER_BYTES) else {
            return Err(WireError::TruncatedHeader {
                offset,
                available: rest.len(),
            });
        };
        if byte(h, 0) != MAGIC {
            return Err(WireError::BadMagic {
                offset,
                value: byte(h, 0),
            });
        }
        if byte(h, 1) != VERSION {
            return Err(WireError::BadVersion {
                offset: offset + 1,
                value: byte(h, 1),
            });
        }
        let kind = match byte(h, 2) {
            1 => FrameKind::Snapshot,
            2 => FrameKind::Delta,
            3 => FrameKind::Trades,
            value => {
                return Err(WireError::BadKind {
                    offset: offset + 2,
                    value,
                })
            }
        };
        let count = u32_le(h, 8);
        let needed = u64::from(count) * kind.record_bytes() as u64;
        let Some(body) = usize::try_from(needed).ok().and_then(|n| body.get(..n)) else {
            return Err(WireError::CountOverflow {
                offset: offset + 8,
                count,
                needed,
                available: body.len(),
            });
        };
        let header = FrameHeader {
            kind,
            instrument: u32_le(h, 4),
            count,
            seq_first: i64_le(h, 16) as u64,
            seq_last: i64_le(h, 24) as u64,
            ts_event: i64_le(h, 32),
        };
        Ok(Frame { offset, header, body })
    }
}

impl<'a> Iterator for Frames<'a> {
    type Item = Result<Frame<'a>, WireError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.failed || self.pos >= self.buf.len() {
            return None;
        }
        let item = self.frame_at(self.pos);
        match &item {
            Ok(f) => self.pos += f.byte_len(),
            Err(_) => self.failed = true,
        }
        Some(item)
    }
}
