//! The replay report as JSON (shape documented in docs/recordings.md).

use std::collections::BTreeMap;

use serde_json::{json, Map, Value};

use crate::book::Side;

use super::decimal::{units_to_json, Grid};
use super::replay::{Instrument, Replay};
use super::{Rejection, Venue, VenueError};

/// Largest `depth` accepted for the timestamped snapshots.
pub const MAX_DEPTH: usize = 5000;

/// What the report includes beyond the counters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportOptions {
    /// Levels a side in each timestamped snapshot (1..=[`MAX_DEPTH`]).
    pub depth: usize,
    /// Timestamps (ns on the recording's clock: `ts_recv`, else `ts_event`) at which to capture the top of
    /// the book: the book after every record stamped at or before the time.
    pub at: Vec<i64>,
    /// Most rejections listed per instrument (all are counted).
    pub max_rejections: usize,
}

impl Default for ReportOptions {
    fn default() -> Self {
        ReportOptions {
            depth: 10,
            at: Vec::new(),
            max_rejections: 100,
        }
    }
}

/// Parses the `at` list of [`ReportOptions`] from JSON: an array of integer nanoseconds, each a JSON integer or
/// a string of digits (JavaScript numbers cannot hold nanosecond epochs exactly). Empty text means none.
///
/// # Errors
/// [`VenueError::InvalidAt`] naming the offending element.
pub fn parse_at(text: &str) -> Result<Vec<i64>, VenueError> {
    if text.trim().is_empty() {
        return Ok(Vec::new());
    }
    let v: Value = serde_json::from_str(text)
        .map_err(|e| VenueError::InvalidAt(format!("{text:?} is not JSON: {e}")))?;
    let arr = v
        .as_array()
        .ok_or_else(|| VenueError::InvalidAt(format!("{v} is not an array of timestamps")))?;
    arr.iter()
        .enumerate()
        .map(|(i, t)| {
            let n = match t {
                Value::String(s) => s.parse::<i64>().ok(),
                other => other.as_i64(),
            };
            n.filter(|n| *n >= 0).ok_or_else(|| {
                VenueError::InvalidAt(format!(
                    "element {i} is {t}, expected non-negative integer nanoseconds"
                ))
            })
        })
        .collect()
}

fn side_json(inst: &Instrument, side: Side, depth: usize, grid: Grid) -> Value {
    Value::Array(
        inst.top(side, depth)
            .into_iter()
            .map(|(p, q)| {
                json!([
                    units_to_json(p, grid.price_decimals),
                    units_to_json(q, grid.qty_decimals)
                ])
            })
            .collect(),
    )
}

fn touch_json(inst: &Instrument, side: Side, grid: Grid) -> Value {
    inst.book.best(side).map_or(Value::Null, |l| {
        json!([
            units_to_json(l.price, grid.price_decimals),
            units_to_json(l.qty, grid.qty_decimals)
        ])
    })
}

fn rejections_json(list: &[Rejection]) -> Value {
    Value::Array(
        list.iter()
            .map(|r| json!({"line": r.line, "reason": r.reason}))
            .collect(),
    )
}

fn instrument_json(inst: &Instrument, snapshots: Option<&Vec<Value>>) -> Value {
    let s = &inst.stats;
    let grid = inst.grid.unwrap_or_default();
    let mut obj = json!({
        "symbol": inst.symbol,
        "tick": inst.grid.map(|g| g.tick()),
        "lot": inst.grid.map(|g| g.lot()),
        "snapshots_applied": s.snapshots_applied,
        "updates_applied": s.updates_applied,
        "stale_dropped": s.stale_dropped,
        "gaps": s.gaps,
        "resyncs": s.resyncs,
        "lot_refinements": s.lot_refinements,
        "crossed": s.crossed,
        "rejected": s.rejected,
        "checks": {
            "ticker": s.ticker,
            "ticker_mismatches": s.ticker_mismatches,
            "tickers_skipped": inst.quotes_skipped,
            "ticker_mismatch_lines": inst.mismatches.iter().map(|(d, t)| json!({"line": d, "ticker_line": t})).collect::<Vec<_>>(),
            "checksum": s.checksum,
            "checksum_failures": s.checksum_failures,
            "checksum_failure_lines": inst.checksum_failure_lines,
        },
        "final": {
            "synced": !inst.is_awaiting(),
            "last_update_id": inst.last_update_id,
            "best_bid": touch_json(inst, Side::Bid, grid),
            "best_ask": touch_json(inst, Side::Ask, grid),
            "bid_levels": inst.book.level_count(Side::Bid),
            "ask_levels": inst.book.level_count(Side::Ask),
        },
        "rejections": rejections_json(&inst.rejections),
    });
    if let (Some(snaps), Value::Object(o)) = (snapshots, &mut obj) {
        o.insert("snapshots".to_string(), Value::Array(snaps.clone()));
    }
    obj
}

/// Replays a recording and returns its report: one instrument object for a single-instrument file (file-level
/// rejections merged into it), else `{"instruments": {...}, "rejected", "rejections"}`.
///
/// # Errors
/// [`VenueError::InvalidDepth`], or [`VenueError::Zip`] for an unreadable container.
pub fn book_report(venue: Venue, bytes: &[u8], opts: &ReportOptions) -> Result<Value, VenueError> {
    if !(1..=MAX_DEPTH).contains(&opts.depth) {
        return Err(VenueError::InvalidDepth(opts.depth));
    }
    let mut at = opts.at.clone();
    at.sort_unstable();
    at.dedup();
    let mut next = 0usize;
    let mut snaps: BTreeMap<String, Vec<Value>> = BTreeMap::new();
    let depth = opts.depth;
    let mut probe = |clock: Option<i64>, insts: &BTreeMap<String, Instrument>| {
        // Capture every requested time the replay has now passed (at the end, all that remain).
        while let Some(&t) = at.get(next) {
            if clock.is_some_and(|c| c <= t) {
                break;
            }
            for (sym, inst) in insts {
                let grid = inst.grid.unwrap_or_default();
                snaps.entry(sym.clone()).or_default().push(json!({
                    "at": t.to_string(),
                    "synced": !inst.is_awaiting(),
                    "last_update_id": inst.last_update_id,
                    "bids": side_json(inst, Side::Bid, depth, grid),
                    "asks": side_json(inst, Side::Ask, depth, grid),
                }));
            }
            next += 1;
        }
    };
    let replay = Replay::run_with(venue, bytes, opts.max_rejections, &mut probe)?;
    let want_snaps = !opts.at.is_empty();
    let empty = Vec::new();
    let snap_of = |sym: &str| want_snaps.then(|| snaps.get(sym).unwrap_or(&empty));
    let mut insts = replay.instruments.values();
    if let (Some(inst), None) = (insts.next(), insts.next()) {
        let mut obj = instrument_json(inst, snap_of(&inst.symbol));
        if let Value::Object(o) = &mut obj {
            let mut all = replay.file_rejections.clone();
            all.extend(inst.rejections.iter().cloned());
            all.sort_by_key(|r| r.line);
            all.truncate(opts.max_rejections);
            o.insert(
                "rejected".to_string(),
                json!(inst.stats.rejected + replay.file_rejected),
            );
            o.insert("rejections".to_string(), rejections_json(&all));
            o.insert("lines".to_string(), json!(replay.lines));
            o.insert("other_messages".to_string(), json!(replay.other_messages));
        }
        return Ok(obj);
    }
    let mut file_rejections = replay.file_rejections.clone();
    file_rejections.sort_by_key(|r| r.line);
    let instruments: Map<String, Value> = replay
        .instruments
        .iter()
        .map(|(s, i)| (s.clone(), instrument_json(i, snap_of(s))))
        .collect();
    Ok(json!({
        "instruments": instruments,
        "lines": replay.lines,
        "other_messages": replay.other_messages,
        "rejected": replay.file_rejected,
        "rejections": rejections_json(&file_rejections),
    }))
}
