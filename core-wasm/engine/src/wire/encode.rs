//! The encoder of the synthetic stream and the tests (the server's is `src/protocol/wire.ts`).

use super::{FrameHeader, TradeRecord, MAGIC, VERSION};
use crate::book::LevelUpdate;

/// Appends a frame header; the record count is the header's `count`.
pub fn encode_header(out: &mut Vec<u8>, h: &FrameHeader) {
    out.extend_from_slice(&[MAGIC, VERSION, h.kind as u8, 0]);
    out.extend_from_slice(&h.instrument.to_le_bytes());
    out.extend_from_slice(&h.count.to_le_bytes());
    out.extend_from_slice(&0u32.to_le_bytes());
    out.extend_from_slice(&h.seq_first.to_le_bytes());
    out.extend_from_slice(&h.seq_last.to_le_bytes());
    out.extend_from_slice(&h.ts_event.to_le_bytes());
}

/// Appends a level record.
pub fn encode_level(out: &mut Vec<u8>, u: &LevelUpdate) {
    out.extend_from_slice(&u.price.to_le_bytes());
    out.extend_from_slice(&u.qty.to_le_bytes());
    out.extend_from_slice(&[u.side.to_wire(), 0, 0, 0, 0, 0, 0, 0]);
}

/// Appends a trade record.
pub fn encode_trade(out: &mut Vec<u8>, t: &TradeRecord) {
    out.extend_from_slice(&t.ts_event.to_le_bytes());
    out.extend_from_slice(&t.price.to_le_bytes());
    out.extend_from_slice(&t.qty.to_le_bytes());
    out.extend_from_slice(&[t.aggressor as u8, 0, 0, 0, 0, 0, 0, 0]);
}
