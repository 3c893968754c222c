//! The replay: per-instrument sync state machines over normalised records, with the ticker check.

use std::collections::BTreeMap;

use crate::book::{Book, BookError, LevelUpdate, Side};
use crate::dataset::recording::Recorder;

use super::decimal::Grid;
use super::input::{decode, lines};
use super::parse::{parse_line, BookRecord, DecLevel, Kind, Quote, Record, Ticker, Trade};
use super::{Rejection, SyncRule, Venue, VenueError};

/// Counters of one instrument's replay.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Stats {
    /// Snapshots applied (the first sync and every resync).
    pub snapshots_applied: u64,
    /// Diffs applied to a synced book.
    pub updates_applied: u64,
    /// Diffs dropped by the sync rule because the snapshot already covers them (`u <= lastUpdateId`).
    pub stale_dropped: u64,
    /// Breaks in the update-id chain (the book is cleared and waits for the next snapshot).
    pub gaps: u64,
    /// Snapshots applied after the first.
    pub resyncs: u64,
    /// Times the lot was refined by a finer quantity (see [`Grid`]); the book is rescaled exactly.
    pub lot_refinements: u64,
    /// Snapshots or diffs refused because the result would be crossed or locked (book unchanged).
    pub crossed: u64,
    /// Records refused as invalid (book unchanged), including duplicate or out-of-order updates.
    pub rejected: u64,
    /// Diffs for which a ticker was available and compared.
    pub ticker: u64,
    pub ticker_mismatches: u64,
    pub checksum: u64,
    pub checksum_failures: u64,
}

#[derive(Debug)]
enum Sync {
    /// No usable book: diffs are buffered until a snapshot arrives.
    Awaiting(Vec<BookRecord>),
    /// Synced to the snapshot `snapshot_id`; `prev` is the last applied diff's final id.
    Live { snapshot_id: u64, prev: Option<u64> },
}

/// One instrument's book, sync state, counters and findings.
#[derive(Debug)]
pub struct Instrument {
    pub symbol: String,
    rule: SyncRule,
    pub book: Book,
    pub grid: Option<Grid>,
    sync: Sync,
    pub last_update_id: Option<u64>,
    pub stats: Stats,
    /// Tickers by update id (collected before the replay: the streams arrive interleaved).
    tickers: BTreeMap<u64, Ticker>,
    pub rejections: Vec<Rejection>,
    /// Ticker mismatches: `(diff line, ticker line)`, the first few.
    pub mismatches: Vec<(usize, usize)>,
    /// Lines whose checksum did not match the rebuilt book, the first few.
    pub checksum_failure_lines: Vec<usize>,
    /// Price-only quotes not compared (the first per product, see `check_quote`).
    pub quotes_skipped: u64,
    seen_quote: bool,
    max_listed: usize,
    /// The dataset rows of what the sync rules applied (only when replaying for an import).
    pub(crate) recorder: Option<Recorder>,
}

/// The outcome of replaying a recording.
#[derive(Debug)]
pub struct Replay {
    pub instruments: BTreeMap<String, Instrument>,
    /// Problems not attributable to one instrument: unreadable lines, a damaged compressed stream.
    pub file_rejections: Vec<Rejection>,
    pub file_rejected: u64,
    /// Well-formed messages that do not touch the book (trades, other topics).
    pub other_messages: u64,
    /// Lines read.
    pub lines: u64,
    /// A truncated or corrupt compressed stream (also listed in `file_rejections`).
    pub damage: Option<Rejection>,
    max_listed: usize,
    recording: bool,
}

fn to_updates(side: Side, levels: &[DecLevel], grid: Grid, out: &mut Vec<LevelUpdate>) -> Result<(), String> {
    for (p, q) in levels {
        let price = p.to_units(grid.price_decimals).ok_or_else(|| {
            format!(
                "field price is {p} on the {side} side: off-tick (tick {} inferred from the snapshot)",
                grid.tick()
            )
        })?;
        let qty = q.to_units(grid.qty_decimals).ok_or_else(|| {
            format!(
                "field quantity is {q} at {side} price {p}: off-lot (lot {} inferred from the snapshot)",
                grid.lot()
            )
        })?;
        out.push(LevelUpdate { side, price, qty });
    }
    Ok(())
}

fn updates(rec: &BookRecord, grid: Grid) -> Result<Vec<LevelUpdate>, String> {
    let mut out = Vec::with_capacity(rec.bids.len() + rec.asks.len());
    to_updates(Side::Bid, &rec.bids, grid, &mut out)?;
    to_updates(Side::Ask, &rec.asks, grid, &mut out)?;
    Ok(out)
}

impl Instrument {
    fn new(symbol: String, rule: SyncRule, max_listed: usize, recording: bool) -> Instrument {
        Instrument {
            symbol,
            rule,
            book: Book::new(),
            grid: None,
            sync: Sync::Awaiting(Vec::new()),
            last_update_id: None,
            stats: Stats::default(),
            tickers: BTreeMap::new(),
            rejections: Vec::new(),
            mismatches: Vec::new(),
            checksum_failure_lines: Vec::new(),
            quotes_skipped: 0,
            seen_quote: false,
            max_listed,
            recorder: recording.then(Recorder::default),
        }
    }

    /// `true` while diffs are buffered and no snapshot has synced them.
    pub fn is_awaiting(&self) -> bool {
        matches!(self.sync, Sync::Awaiting(_))
    }

    fn awaiting_with_diffs(&self) -> bool {
        matches!(&self.sync, Sync::Awaiting(b) if !b.is_empty())
    }

    fn reject(&mut self, line: usize, reason: String) {
        self.stats.rejected += 1;
        self.list(line, reason);
    }

    fn list(&mut self, line: usize, reason: String) {
        if self.rejections.len() < self.max_listed {
            self.rejections.push(Rejection { line, reason });
        }
    }

    fn book_error(&mut self, line: usize, e: BookError) {
        match e {
            BookError::Crossed { .. } | BookError::Locked { .. } => {
                self.stats.crossed += 1;
                self.list(line, format!("refused, book unchanged: {e}"));
            }
            other => self.reject(line, other.to_string()),
        }
    }

    /// Applies a snapshot, then the buffered diffs under the sync rule.
    fn on_snapshot(&mut self, rec: BookRecord, last_update_id: u64) {
        let grid = Grid::infer(rec.bids.iter().chain(&rec.asks));
        let ups = match updates(&rec, grid) {
            Ok(u) => u,
            Err(reason) => return self.reject(rec.line, reason),
        };
        if let Err(e) = self.book.apply_snapshot(ups.iter().copied()) {
            return self.book_error(rec.line, e);
        }
        if self.stats.snapshots_applied > 0 {
            self.stats.resyncs += 1;
        }
        self.stats.snapshots_applied += 1;
        self.grid = Some(grid);
        self.last_update_id = Some(last_update_id);
        if let Some(r) = &mut self.recorder {
            r.snapshot(rec.ts_recv, rec.ts_event, &self.book, grid);
        }
        let buffered = std::mem::replace(
            &mut self.sync,
            Sync::Live {
                snapshot_id: last_update_id,
                prev: None,
            },
        );
        if let Sync::Awaiting(buf) = buffered {
            if self.rule.has_ids() {
                for d in buf {
                    self.on_diff(d);
                }
            } else {
                // Without update ids nothing tells which earlier updates the snapshot includes: it supersedes them.
                self.stats.stale_dropped += buf.len() as u64;
            }
        }
    }

    fn gap(&mut self, rec: BookRecord) {
        self.stats.gaps += 1;
        self.book.clear();
        if let Some(r) = &mut self.recorder {
            r.clear(rec.ts_recv, rec.ts_event);
        }
        self.sync = Sync::Awaiting(vec![rec]);
    }

    fn on_diff(&mut self, rec: BookRecord) {
        let Kind::Diff {
            first_id,
            last_id,
            prev_id,
        } = rec.kind
        else {
            return;
        };
        let (snapshot_id, prev) = match &mut self.sync {
            Sync::Awaiting(buf) => return buf.push(rec),
            Sync::Live { snapshot_id, prev } => (*snapshot_id, *prev),
        };
        let chained = match prev {
            _ if !self.rule.has_ids() => true,
            None => {
                if last_id <= snapshot_id {
                    self.stats.stale_dropped += 1;
                    return;
                }
                match self.rule {
                    SyncRule::BinanceSpot => first_id <= snapshot_id + 1,
                    SyncRule::BinanceFutures => first_id <= snapshot_id,
                    SyncRule::Bybit => first_id == snapshot_id + 1,
                    SyncRule::Kraken | SyncRule::Coinbase => true,
                }
            }
            Some(p) => {
                if last_id <= p {
                    return self.reject(
                        rec.line,
                        format!("field u is {last_id}, not after the last applied u {p}: duplicate or out-of-order update"),
                    );
                }
                match self.rule {
                    SyncRule::BinanceSpot | SyncRule::Bybit => first_id == p + 1,
                    SyncRule::BinanceFutures => prev_id == Some(p),
                    SyncRule::Kraken | SyncRule::Coinbase => true,
                }
            }
        };
        if !chained {
            return self.gap(rec);
        }
        self.refine_lot(&rec);
        let grid = self.grid.unwrap_or_default();
        let mut ups = match updates(&rec, grid) {
            Ok(u) => u,
            Err(reason) => return self.reject(rec.line, reason),
        };
        if let Err(e) = self.book.apply_batch(ups.iter().copied()) {
            return self.book_error(rec.line, e);
        }
        self.stats.updates_applied += 1;
        if !self.rule.has_ids() {
            ups.extend(self.truncate(rec.depth));
        }
        if let Some(r) = &mut self.recorder {
            r.delta(rec.ts_recv, rec.ts_event, &ups, &self.book, grid);
        }
        if !self.rule.has_ids() {
            if let Some(c) = rec.checksum {
                self.check_checksum(rec.line, c);
            }
            return;
        }
        self.sync = Sync::Live {
            snapshot_id,
            prev: Some(last_id),
        };
        self.last_update_id = Some(last_id);
        self.check_ticker(rec.line, last_id, grid);
    }

    /// Compares a price-only quote (Coinbase `ticker`) with the touch, in arrival order. The first quote of a
    /// product is not compared: Coinbase sends it at subscribe time with the state of the last trade, which
    /// may predate the snapshot (`quotes_skipped`).
    fn check_quote(&mut self, q: &Quote) {
        if !self.seen_quote {
            self.seen_quote = true;
            self.quotes_skipped += 1;
            return;
        }
        if self.is_awaiting() {
            return;
        }
        let grid = self.grid.unwrap_or_default();
        self.stats.ticker += 1;
        let bid = q.bid.to_units(grid.price_decimals);
        let ask = q.ask.to_units(grid.price_decimals);
        let ok = bid.is_some()
            && bid == self.book.best_bid().map(|l| l.price)
            && ask.is_some()
            && ask == self.book.best_ask().map(|l| l.price);
        if !ok {
            self.stats.ticker_mismatches += 1;
            if self.mismatches.len() < self.max_listed {
                self.mismatches.push((q.line, q.line));
            }
        }
    }

    /// Drops the levels beyond the subscribed depth (Kraken: "truncate to the subscribed depth after each
    /// update"). Deleting levels cannot cross the book.
    fn truncate(&mut self, depth: Option<usize>) -> Vec<LevelUpdate> {
        let Some(depth) = depth else {
            return Vec::new();
        };
        let mut drop = Vec::new();
        for side in [Side::Bid, Side::Ask] {
            drop.extend(self.book.levels(side).skip(depth).map(|l| LevelUpdate {
                side,
                price: l.price,
                qty: 0,
            }));
        }
        if !drop.is_empty() {
            // Deletes of existing levels: valid, and the touch only moves away, so this cannot fail.
            let _ = self.book.apply_batch(drop.iter().copied());
        }
        drop
    }

    /// Kraken WS v1 book checksum: the top 10 asks (best first) then the top 10 bids, each level's price and
    /// quantity strings with the '.' removed and leading zeros stripped, concatenated; CRC-32 (IEEE) as an
    /// unsigned integer (docs.kraken.com, "Spot WebSocket v1: book checksum"). Kraken writes every price and
    /// quantity of a pair with the same number of decimals, so each string is the tick (lot) integer followed
    /// by as many zeros as the written decimals exceed the grid's.
    fn check_checksum(&mut self, line: usize, expected: u32) {
        let g = self.grid.unwrap_or_default();
        let pad = |n: u32, d: u32| "0".repeat(n.saturating_sub(d) as usize);
        let (price_pad, qty_pad) = (
            pad(g.price_written_decimals, g.price_decimals),
            pad(g.qty_written_decimals, g.qty_decimals),
        );
        let mut text = String::new();
        for side in [Side::Ask, Side::Bid] {
            for l in self.book.levels(side).take(10) {
                text.push_str(&l.price.to_string());
                text.push_str(&price_pad);
                text.push_str(&l.qty.to_string());
                text.push_str(&qty_pad);
            }
        }
        let mut crc = flate2::Crc::new();
        crc.update(text.as_bytes());
        self.stats.checksum += 1;
        if crc.sum() != expected {
            self.stats.checksum_failures += 1;
            if self.checksum_failure_lines.len() < self.max_listed {
                self.checksum_failure_lines.push(line);
            }
        }
    }

    /// Refines the lot when `rec` has a quantity finer than it but within the venue's written precision,
    /// rescaling every level's quantity exactly (see [`Grid`]).
    fn refine_lot(&mut self, rec: &BookRecord) {
        let Some(grid) = self.grid else { return };
        let finest = rec
            .bids
            .iter()
            .chain(&rec.asks)
            .map(|(_, q)| q.scale)
            .filter(|&s| s <= grid.qty_written_decimals)
            .max()
            .unwrap_or(0);
        if finest <= grid.qty_decimals {
            return;
        }
        let Some(factor) = 10i64.checked_pow(finest - grid.qty_decimals) else {
            return;
        };
        let mut levels =
            Vec::with_capacity(self.book.level_count(Side::Bid) + self.book.level_count(Side::Ask));
        for side in [Side::Bid, Side::Ask] {
            for l in self.book.levels(side) {
                match l.qty.checked_mul(factor) {
                    Some(qty) => levels.push(LevelUpdate {
                        side,
                        price: l.price,
                        qty,
                    }),
                    None => return,
                }
            }
        }
        let mut book = Book::new();
        if book.apply_snapshot(levels).is_ok() {
            self.book = book;
            self.grid = Some(Grid {
                qty_decimals: finest,
                ..grid
            });
            self.stats.lot_refinements += 1;
        }
    }

    /// Compares the touch with the ticker of the largest update id `<= u`.
    fn check_ticker(&mut self, line: usize, u: u64, grid: Grid) {
        let Some((_, t)) = self.tickers.range(..=u).next_back() else {
            return;
        };
        self.stats.ticker += 1;
        let units =
            |(p, q): DecLevel| Some((p.to_units(grid.price_decimals)?, q.to_units(grid.qty_decimals)?));
        let touch = |l: Option<crate::book::Level>| l.map(|l| (l.price, l.qty));
        let ok = units(t.bid).is_some_and(|b| touch(self.book.best_bid()) == Some(b))
            && units(t.ask).is_some_and(|a| touch(self.book.best_ask()) == Some(a));
        if !ok {
            self.stats.ticker_mismatches += 1;
            if self.mismatches.len() < self.max_listed {
                self.mismatches.push((line, t.line));
            }
        }
    }

    /// Top `depth` levels a side as exact decimals.
    pub fn top(&self, side: Side, depth: usize) -> Vec<(i64, i64)> {
        self.book
            .levels(side)
            .take(depth)
            .map(|l| (l.price, l.qty))
            .collect()
    }
}

/// What pass 2 replays, in line order.
enum Step {
    Book(BookRecord),
    Quote(Quote),
    Trade(Trade),
}

/// A hook called before each record with the record's clock (`ts_recv`, else `ts_event`), and once at the end
/// with `None`; used for the timestamped snapshots of the report.
pub(super) type Probe<'a> = dyn FnMut(Option<i64>, &BTreeMap<String, Instrument>) + 'a;

impl Replay {
    /// Decodes and replays a recording.
    ///
    /// # Errors
    /// Only for a container that cannot be read at all ([`VenueError::Zip`]); everything else is counted and
    /// reported as rejections.
    pub fn run(venue: Venue, bytes: &[u8], max_listed: usize) -> Result<Replay, VenueError> {
        Replay::run_with(venue, bytes, max_listed, &mut |_, _| {})
    }

    /// Replays a recording keeping, per instrument, the dataset rows of what the sync rules applied and the
    /// trades (see `crate::dataset::recording`).
    ///
    /// # Errors
    /// As [`Replay::run`].
    pub(crate) fn run_recording(venue: Venue, bytes: &[u8], max_listed: usize) -> Result<Replay, VenueError> {
        Replay::run_inner(venue, bytes, max_listed, true, &mut |_, _| {})
    }

    pub(super) fn run_with(
        venue: Venue,
        bytes: &[u8],
        max_listed: usize,
        probe: &mut Probe<'_>,
    ) -> Result<Replay, VenueError> {
        Replay::run_inner(venue, bytes, max_listed, false, probe)
    }

    fn run_inner(
        venue: Venue,
        bytes: &[u8],
        max_listed: usize,
        recording: bool,
        probe: &mut Probe<'_>,
    ) -> Result<Replay, VenueError> {
        let decoded = decode(bytes)?;
        let mut replay = Replay {
            instruments: BTreeMap::new(),
            file_rejections: Vec::new(),
            file_rejected: 0,
            other_messages: 0,
            lines: 0,
            damage: None,
            max_listed,
            recording,
        };
        let rule = venue.rule();
        // Pass 1: parse every line, create instruments, collect tickers by update id.
        let mut records = Vec::new();
        for (n, line) in lines(&decoded.text) {
            replay.lines += 1;
            match line.and_then(|l| parse_line(venue, n, l)) {
                Ok(Record::Book(rec)) => {
                    if let Some(s) = &rec.symbol {
                        replay.instrument(s, rule, max_listed);
                    }
                    records.push(Step::Book(rec));
                }
                Ok(Record::Quote(q)) => {
                    replay.instrument(&q.symbol, rule, max_listed);
                    records.push(Step::Quote(q));
                }
                Ok(Record::Ticker(t)) => {
                    let inst = replay.instrument(&t.symbol, rule, max_listed);
                    inst.tickers.insert(t.update_id, t);
                }
                Ok(Record::Trade(t)) => {
                    // Trades do not touch the book: counted with the other messages, kept for an import.
                    replay.other_messages += 1;
                    if recording {
                        replay.instrument(&t.symbol, rule, max_listed);
                        records.push(Step::Trade(t));
                    }
                }
                Ok(Record::Other) => replay.other_messages += 1,
                Err(reason) => replay.file_reject(n, reason, max_listed),
            }
        }
        if let Some(d) = decoded.damage {
            replay.file_reject(d.line, d.reason.clone(), max_listed);
            replay.damage = Some(d);
        }
        // Pass 2: replay.
        for step in records {
            match step {
                Step::Book(rec) => {
                    probe(rec.ts_recv.or(rec.ts_event), &replay.instruments);
                    replay.apply(rec);
                }
                Step::Quote(q) => {
                    if let Some(inst) = replay.instruments.get_mut(&q.symbol) {
                        inst.check_quote(&q);
                    }
                }
                Step::Trade(t) => {
                    if let Some(r) = replay
                        .instruments
                        .get_mut(&t.symbol)
                        .and_then(|i| i.recorder.as_mut())
                    {
                        r.trade(&t);
                    }
                }
            }
        }
        probe(None, &replay.instruments);
        Ok(replay)
    }

    fn instrument(&mut self, symbol: &str, rule: SyncRule, max_listed: usize) -> &mut Instrument {
        self.instruments
            .entry(symbol.to_string())
            .or_insert_with(|| Instrument::new(symbol.to_string(), rule, max_listed, self.recording))
    }

    fn file_reject(&mut self, line: usize, reason: String, max_listed: usize) {
        self.file_rejected += 1;
        if self.file_rejections.len() < max_listed {
            self.file_rejections.push(Rejection { line, reason });
        }
    }

    fn apply(&mut self, rec: BookRecord) {
        let symbol = match &rec.symbol {
            Some(s) => s.clone(),
            None => {
                // Binance's REST snapshot names no symbol: it belongs to the one instrument waiting for a
                // snapshot with diffs buffered, or to the only instrument of the file.
                let waiting: Vec<&String> = self
                    .instruments
                    .iter()
                    .filter(|(_, i)| i.awaiting_with_diffs())
                    .map(|(s, _)| s)
                    .collect();
                let only: Vec<&String> = self.instruments.keys().collect();
                match (waiting.as_slice(), only.as_slice()) {
                    ([s], _) | ([], [s]) => (*s).clone(),
                    _ => {
                        let reason = format!(
                            "snapshot carries no symbol and {} instruments could take it ({} waiting)",
                            only.len(),
                            waiting.len()
                        );
                        return self.file_reject(rec.line, reason, self.max_listed);
                    }
                }
            }
        };
        let Some(inst) = self.instruments.get_mut(&symbol) else {
            return;
        };
        match rec.kind {
            Kind::Snapshot { last_update_id } => inst.on_snapshot(rec, last_update_id),
            Kind::Diff { .. } => inst.on_diff(rec),
        }
    }
}
