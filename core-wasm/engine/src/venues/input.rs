//! Container decoding: gzip (hftbacktest recordings), a zip's first member (Bybit history files), or plain
//! text, recognised by their magic bytes; then the split into numbered lines.

use std::io::Read;

use flate2::read::{DeflateDecoder, MultiGzDecoder};

use super::{Rejection, VenueError};

/// Decoded text and any damage found while decoding.
#[derive(Debug, Default)]
pub struct Decoded {
    pub text: Vec<u8>,
    /// A truncated or corrupt compressed stream: the lines decoded before the damage are kept, the rest is
    /// reported here against the line number where it starts.
    pub damage: Option<Rejection>,
}

/// Decodes `bytes` by their magic: `1f 8b` gzip (every member), `PK\x03\x04` a zip's first member, anything
/// else plain text.
///
/// # Errors
/// [`VenueError::Zip`] for a zip whose first local header is unreadable or uses a method other than stored (0)
/// or deflate (8), or whose CRC-32 does not match.
pub fn decode(bytes: &[u8]) -> Result<Decoded, VenueError> {
    if bytes.starts_with(&[0x1f, 0x8b]) {
        let mut text = Vec::new();
        let res = MultiGzDecoder::new(bytes).read_to_end(&mut text);
        Ok(with_damage(
            text,
            res.err()
                .map(|e| format!("gzip stream is truncated or corrupt: {e}")),
        ))
    } else if bytes.starts_with(b"PK\x03\x04") {
        unzip_first(bytes)
    } else {
        Ok(Decoded {
            text: bytes.to_vec(),
            damage: None,
        })
    }
}

/// Keeps the complete lines of a partially decoded stream and reports where the damage starts.
fn with_damage(mut text: Vec<u8>, err: Option<String>) -> Decoded {
    let Some(reason) = err else {
        return Decoded { text, damage: None };
    };
    // The bytes after the last newline are an incomplete line: drop them, they are covered by the report.
    let keep = text.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
    text.truncate(keep);
    let line = text.split(|&b| b == b'\n').count();
    Decoded {
        text,
        damage: Some(Rejection { line, reason }),
    }
}

fn u16_at(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(b.get(at..at + 2)?.try_into().ok()?))
}

fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

/// Reads the first member of a zip from its local file header (PKWARE APPNOTE 4.3.7): method 0 (stored) or 8
/// (deflate), CRC-32 checked when the header carries it (no data descriptor, general-purpose bit 3 clear).
fn unzip_first(b: &[u8]) -> Result<Decoded, VenueError> {
    let bad = |what: &str| VenueError::Zip(what.to_string());
    let header = (|| {
        Some((
            u16_at(b, 6)?,
            u16_at(b, 8)?,
            u32_at(b, 14)?,
            u32_at(b, 18)?,
            u32_at(b, 22)?,
            u16_at(b, 26)?,
            u16_at(b, 28)?,
        ))
    })();
    let (flags, method, crc, comp, uncomp, name_len, extra_len) =
        header.ok_or_else(|| bad("local file header is truncated"))?;
    let start = 30 + usize::from(name_len) + usize::from(extra_len);
    let descriptor = flags & 0x8 != 0;
    let end = if descriptor {
        b.len()
    } else {
        start + comp as usize
    };
    let data = b
        .get(start..end)
        .ok_or_else(|| bad(&format!("member data is truncated: header says {comp} bytes")))?;
    let mut text = Vec::new();
    let damage = match method {
        0 if !descriptor => {
            text.extend_from_slice(data);
            None
        }
        8 => DeflateDecoder::new(data)
            .read_to_end(&mut text)
            .err()
            .map(|e| format!("deflate stream is truncated or corrupt: {e}")),
        m => {
            return Err(bad(&format!(
                "field method is {m}, expected 0 (stored) or 8 (deflate)"
            )))
        }
    };
    if damage.is_none() && !descriptor {
        let mut c = flate2::Crc::new();
        c.update(&text);
        if c.sum() != crc || text.len() != uncomp as usize {
            return Err(bad(&format!(
                "member fails its check: CRC-32 {:08x} over {} bytes, header says {crc:08x} over {uncomp}",
                c.sum(),
                text.len()
            )));
        }
    }
    Ok(with_damage(text, damage))
}

/// Numbered non-empty lines (1-based, counting empty ones), `\r` stripped; a line that is not UTF-8 is
/// returned as an error for that line.
pub fn lines(text: &[u8]) -> impl Iterator<Item = (usize, Result<&str, String>)> {
    text.split(|&b| b == b'\n')
        .enumerate()
        .map(|(i, l)| (i + 1, l.strip_suffix(b"\r").unwrap_or(l)))
        .filter(|(_, l)| !l.iter().all(u8::is_ascii_whitespace))
        .map(|(n, l)| {
            (
                n,
                std::str::from_utf8(l).map_err(|e| format!("line is not UTF-8: {e}")),
            )
        })
}
