//! Event-driven backtests on recorded L2 data: a simulated exchange with latency, queue positions and fees,
//! built-in or external strategies, portfolio accounting and statistics, with checkpoints for seeking.
//!
//! # Timeline
//! Everything happens on one timeline of data time (ns), processed in the order of the key
//! `(time, priority, tie)`:
//! - the exchange processes dataset group `g` (rows `s..e`) at `ts_recv`: key `(ts_recv, 0, 2s)`; snapshot
//!   groups replace its book, delta groups apply as one batch (a refused batch, crossed or invalid, is counted
//!   in `rejected_groups` and skipped), trades drive the fill model;
//! - the strategy receives group `g` at `ts_recv + feed latency`: key `(t, 0, 2s + 1)` (with zero feed latency,
//!   right after the exchange processed it, and the strategy reads the exchange's book);
//! - an order reaches the exchange at `submit + order latency`: key `(t, 1, seq)`;
//! - an execution report reaches the strategy `order latency` after the exchange emitted it: `(t, 2, seq)`;
//! - equity samples every `equityIntervalNs` from the first event, and the external strategy's timer: `(t, 3, ·)`.
//!
//! `run_to(i)` processes every item whose key is below that of the group starting at `i` (rounded up to a
//! group start; at the end of the loaded data, below `(last ts_recv, 0, ·)`). A run stopped anywhere and
//! resumed follows exactly the path of a straight run, which is what makes checkpoints and seeking exact.
//! Latency channels are FIFO and seeded (see `latency.rs`); nothing depends on wall-clock time.

mod checkpoint;
pub mod config;
pub mod exchange;
mod fill;
mod imbalance;
mod latency;
mod mm;
mod portfolio;
pub mod stats;

use std::collections::VecDeque;
use std::fmt;
use std::rc::Rc;

use checkpoint::{BookImage, Checkpoint};
pub use config::{
    Config, ConfigError, FeesConfig, FillModelConfig, ImbalanceParams, LatencyConfig, MmParams,
    StrategyConfig,
};
use exchange::Exchange;
pub use exchange::{Exec, ExecKind};
use fill::QueueModel;
use imbalance::ImbalanceTaker;
use latency::Latency;
use mm::MarketMaker;
use portfolio::Portfolio;
pub use stats::Summary;

use crate::book::{Book, LevelUpdate, Side, MAX_PRICE, MAX_QTY};
use crate::dataset::{
    DatasetError, EventSlice, Events, FLAG_LAST, KIND_CLEAR, KIND_DELTA, KIND_SNAPSHOT, KIND_TRADE,
};

/// An order command from a strategy. Prices in ticks, quantities in lots.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Command {
    Limit {
        side: Side,
        price: i64,
        qty: i64,
        post_only: bool,
        ioc: bool,
    },
    Market {
        side: Side,
        qty: i64,
    },
    Cancel {
        id: u64,
    },
    /// New price and total quantity of a resting order; loses queue priority if the price changes or the
    /// quantity grows.
    Modify {
        id: u64,
        price: i64,
        qty: i64,
    },
}

/// One fill, at exchange time.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Fill {
    pub ts_recv: i64,
    pub order_id: u64,
    pub side: Side,
    pub price: i64,
    pub qty: i64,
    /// Quote currency; negative for a rebate.
    pub fee: f64,
    pub maker: bool,
}

/// An equity sample. `regular` samples are the `equityIntervalNs` grid; the others are taken at fills.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EquitySample {
    pub ts: i64,
    pub equity: f64,
    pub position: i64,
    pub realised: f64,
    pub unrealised: f64,
    pub regular: bool,
}

/// An order resting at the exchange (or, for [`Backtest::strategy_orders`], open as the strategy knows it).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct OpenOrder {
    pub id: u64,
    pub side: Side,
    pub price: i64,
    pub qty: i64,
    pub leaves: i64,
    /// Visible lots queued ahead (NaN where unknown: the strategy's own view).
    pub qty_ahead: f64,
}

/// An execution as the exchange emitted it, with its time.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct OrderEvent {
    pub ts: i64,
    pub exec: Exec,
}

/// A trade print as delivered to the strategy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TradeSeen {
    pub ts: i64,
    /// 0 buyer aggressor, 1 seller.
    pub aggressor: u8,
    pub price: i64,
    pub qty: i64,
}

/// Why [`Backtest::step`] returned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepResult {
    End = 0,
    Book = 1,
    Trade = 2,
    Fill = 3,
    Timer = 4,
    MaxEvents = 5,
}

/// A refused call, naming the argument and its value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BacktestError {
    Argument {
        field: &'static str,
        value: i64,
        reason: &'static str,
    },
}

impl fmt::Display for BacktestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BacktestError::Argument { field, value, reason } => write!(f, "{field} is {value}: {reason}"),
        }
    }
}

impl std::error::Error for BacktestError {}

fn bad(field: &'static str, value: i64, reason: &'static str) -> BacktestError {
    BacktestError::Argument { field, value, reason }
}

#[derive(Debug, Clone)]
enum Strategy {
    Mm(MarketMaker),
    Imbalance(ImbalanceTaker),
    External,
}

/// The simulation state a checkpoint clones (books and logs aside).
#[derive(Debug, Clone)]
struct State {
    cursor: usize,
    local_cursor: usize,
    next_local: Option<i64>,
    last_local: i64,
    feed: Latency,
    order: Latency,
    exchange: Exchange,
    to_exchange: VecDeque<(i64, u64, u64, Command)>,
    last_arrival: i64,
    to_local: VecDeque<(i64, u64, Exec)>,
    last_report: i64,
    seq: u64,
    next_id: u64,
    pf: Portfolio,
    last_mid: f64,
    /// Largest `|position| × mid` seen at a sample, quote currency.
    max_exposure: f64,
    next_equity: Option<i64>,
    timer: Option<i64>,
    now: i64,
    strategy: Strategy,
    position: i64,
    view_orders: Vec<OpenOrder>,
    last_trade: Option<TradeSeen>,
    last_fill: Option<OrderEvent>,
    events: u64,
    rejected: u64,
    orders: u64,
    qty_submitted: i64,
    qty_filled: i64,
    fills: u64,
}

#[derive(Clone, Copy)]
enum Next {
    Data,
    Local,
    Arrival,
    Report,
    Equity,
    Timer,
}

type Key = (i64, u8, u64);

/// A backtest over one dataset (module docs).
pub struct Backtest {
    cfg: Config,
    /// Shared, so that several backtests (a headless run and a replay cursor) hold one copy of a dataset.
    events: Rc<Events>,
    /// Rows up to the end of the last complete group.
    complete: usize,
    exch: Book,
    /// The strategy's book; `None` when feed latency is constant 0 (it would equal `exch`).
    local: Option<Book>,
    st: State,
    fills: Vec<Fill>,
    equity: Vec<EquitySample>,
    log: Vec<OrderEvent>,
    checkpoints: Vec<Checkpoint<State>>,
    next_checkpoint: usize,
    scratch: Vec<Exec>,
    cmds: Vec<(u64, Command)>,
}

#[inline]
fn side_of(b: u8) -> Side {
    if b == 0 {
        Side::Bid
    } else {
        Side::Ask
    }
}

/// Applies rows `s..e` of kind `kind` to `book`; `false` when the book refused them (left unchanged).
fn apply_group(book: &mut Book, ev: &Events, s: usize, e: usize) -> bool {
    let rows = (s..e).map(|i| LevelUpdate {
        side: side_of(ev.side[i]),
        price: ev.price[i],
        qty: ev.qty[i],
    });
    match ev.kind[s] {
        KIND_SNAPSHOT => book.apply_snapshot(rows).is_ok(),
        KIND_DELTA => book.apply_batch(rows).is_ok(),
        KIND_CLEAR => {
            book.clear();
            true
        }
        _ => true,
    }
}

/// Rows up to the end of the last complete group.
fn complete_rows(events: &Events) -> usize {
    events
        .flags
        .iter()
        .rposition(|f| f & FLAG_LAST != 0)
        .map_or(0, |i| i + 1)
}

impl Backtest {
    pub fn new(cfg: Config) -> Backtest {
        let strategy = match cfg.strategy {
            StrategyConfig::Mm(p) => Strategy::Mm(MarketMaker::new(p)),
            StrategyConfig::Imbalance(p) => Strategy::Imbalance(ImbalanceTaker::new(p)),
            StrategyConfig::External => Strategy::External,
        };
        let feed = Latency::feed(cfg.feed_latency, cfg.seed);
        let local = (!feed.is_zero()).then(Book::new);
        let st = State {
            cursor: 0,
            local_cursor: 0,
            next_local: None,
            last_local: 0,
            feed,
            order: Latency::order(cfg.order_latency, cfg.seed),
            exchange: Exchange::new(QueueModel::new(cfg.fill_model)),
            to_exchange: VecDeque::new(),
            last_arrival: 0,
            to_local: VecDeque::new(),
            last_report: 0,
            seq: 0,
            next_id: 1,
            pf: Portfolio::new(cfg.price_decimals, cfg.qty_decimals),
            last_mid: f64::NAN,
            max_exposure: 0.0,
            next_equity: None,
            timer: None,
            now: 0,
            strategy,
            position: 0,
            view_orders: Vec::new(),
            last_trade: None,
            last_fill: None,
            events: 0,
            rejected: 0,
            orders: 0,
            qty_submitted: 0,
            qty_filled: 0,
            fills: 0,
        };
        Backtest {
            cfg,
            events: Rc::new(Events::default()),
            complete: 0,
            exch: Book::new(),
            local,
            st,
            fills: Vec::new(),
            equity: Vec::new(),
            log: Vec::new(),
            checkpoints: Vec::new(),
            next_checkpoint: 0,
            scratch: Vec::with_capacity(64),
            cmds: Vec::with_capacity(8),
        }
    }

    pub fn config(&self) -> &Config {
        &self.cfg
    }

    /// Appends a window of events (validated against what is loaded; nothing is appended on error).
    ///
    /// # Errors
    /// The first invalid row.
    pub fn load(&mut self, window: EventSlice<'_>) -> Result<(), DatasetError> {
        Rc::make_mut(&mut self.events).extend_checked(window)?;
        self.complete = complete_rows(&self.events);
        Ok(())
    }

    /// A backtest over events already loaded (and validated) elsewhere, shared rather than copied.
    pub fn with_events(cfg: Config, events: Rc<Events>) -> Backtest {
        let mut bt = Backtest::new(cfg);
        bt.complete = complete_rows(&events);
        bt.events = events;
        bt
    }

    /// The events this backtest replays.
    pub fn events(&self) -> &Rc<Events> {
        &self.events
    }

    /// Checks the loaded dataset ends on a complete group.
    ///
    /// # Errors
    /// [`DatasetError::Truncated`] when the last row is not flagged last.
    pub fn finish_loading(&self) -> Result<(), DatasetError> {
        if self.events.is_complete() {
            Ok(())
        } else {
            Err(DatasetError::Truncated {
                rows: self.events.len(),
            })
        }
    }

    /// Rows loaded.
    pub fn len(&self) -> usize {
        self.events.len()
    }

    pub fn is_empty(&self) -> bool {
        self.events.is_empty()
    }

    /// Rows the exchange has processed (always a group boundary).
    pub fn cursor(&self) -> usize {
        self.st.cursor
    }

    /// `ts_recv` of row `i`.
    pub fn ts_at(&self, i: usize) -> Option<i64> {
        self.events.ts_recv.get(i).copied()
    }

    /// Data time of the last item processed (the strategy's "now").
    pub fn now(&self) -> i64 {
        self.st.now
    }

    /// The simulated exchange's book.
    pub fn book(&self) -> &Book {
        &self.exch
    }

    /// The book as delivered to the strategy (after feed latency).
    pub fn strategy_book(&self) -> &Book {
        self.local.as_ref().unwrap_or(&self.exch)
    }

    /// Position as the strategy knows it (from delivered fill reports), lots.
    pub fn strategy_position(&self) -> i64 {
        self.st.position
    }

    /// Open orders as the strategy knows them (from delivered reports).
    pub fn strategy_orders(&self) -> &[OpenOrder] {
        &self.st.view_orders
    }

    /// The last trade delivered to the strategy.
    pub fn last_trade(&self) -> Option<TradeSeen> {
        self.st.last_trade
    }

    /// The last fill report delivered to the strategy.
    pub fn last_fill(&self) -> Option<OrderEvent> {
        self.st.last_fill
    }

    pub fn fills(&self) -> &[Fill] {
        &self.fills
    }

    pub fn equity(&self) -> &[EquitySample] {
        &self.equity
    }

    pub fn orders_log(&self) -> &[OrderEvent] {
        &self.log
    }

    /// Orders resting at the exchange.
    pub fn open_orders(&self) -> Vec<OpenOrder> {
        self.st.exchange.open_orders().collect()
    }

    pub fn summary(&self) -> Summary {
        let st = &self.st;
        let unrealised = if st.last_mid.is_finite() {
            st.pf.unrealised(st.last_mid)
        } else {
            0.0
        };
        let pnl = st.pf.realised + unrealised - st.pf.fees;
        let mut s = Summary {
            events: st.events,
            rejected_groups: st.rejected,
            orders: st.orders,
            fills: st.fills,
            pnl,
            realised: st.pf.realised,
            unrealised,
            fees: st.pf.fees,
            position: st.pf.position,
            volume: st.pf.volume,
            turnover: st.pf.turnover,
            return_: if st.pf.turnover > 0.0 {
                pnl / st.pf.turnover
            } else {
                0.0
            },
            fill_ratio: if st.qty_submitted > 0 {
                st.qty_filled as f64 / st.qty_submitted as f64
            } else {
                0.0
            },
            ..Summary::default()
        };
        stats::equity_stats(&mut s, &self.equity, self.cfg.equity_interval_ns, st.max_exposure);
        s
    }

    pub fn summary_json(&self) -> String {
        self.summary().to_json()
    }

    /// First group start at or after `i` (at most the complete length).
    fn group_start(&self, i: usize) -> usize {
        let l = self.complete;
        if i >= l {
            return l;
        }
        if i == 0 || self.events.flags[i - 1] & FLAG_LAST != 0 {
            return i;
        }
        let mut j = i;
        while j < l && self.events.flags[j] & FLAG_LAST == 0 {
            j += 1;
        }
        (j + 1).min(l)
    }

    fn group_end(&self, s: usize) -> usize {
        let mut e = s;
        while self.events.flags[e] & FLAG_LAST == 0 {
            e += 1;
        }
        e + 1
    }

    /// Runs (or seeks) until row `index`: forward it processes, backward it restores the nearest checkpoint at
    /// or before `index` and replays.
    ///
    /// # Errors
    /// `index` beyond the loaded rows; a backward seek with an external strategy (its decisions cannot be
    /// replayed).
    pub fn run_to(&mut self, index: usize) -> Result<(), BacktestError> {
        if index > self.events.len() {
            return Err(bad("index", index as i64, "beyond the loaded events"));
        }
        let t = self.group_start(index);
        if t < self.st.cursor {
            if matches!(self.st.strategy, Strategy::External) {
                return Err(bad(
                    "index",
                    index as i64,
                    "an external strategy cannot seek backwards (its orders cannot be replayed)",
                ));
            }
            self.restore(t);
        }
        self.advance(t, false, u64::MAX);
        Ok(())
    }

    /// Runs to the end of the loaded data.
    pub fn run_to_end(&mut self) {
        let t = self.complete;
        self.advance(t, false, u64::MAX);
    }

    /// Runs until the strategy must be called or `max_events` rows were processed (module docs).
    pub fn step(&mut self, max_events: u64) -> StepResult {
        let t = self.complete;
        self.advance(t, true, max_events.max(1))
    }

    /// Queues a command from an external strategy at the current time; returns the order id (the target id
    /// for cancel and modify).
    ///
    /// # Errors
    /// A price or quantity out of range, or a strategy that is not external.
    pub fn submit(&mut self, cmd: Command) -> Result<u64, BacktestError> {
        if !matches!(self.st.strategy, Strategy::External) {
            return Err(bad("strategy", 0, "submit needs strategy.kind = \"external\""));
        }
        let price_ok = |p: i64| (1..=MAX_PRICE).contains(&p);
        let qty_ok = |q: i64| (1..=MAX_QTY).contains(&q);
        let id = match cmd {
            Command::Limit { price, qty, .. } => {
                if !price_ok(price) {
                    return Err(bad("price", price, "expected 1..=2^53-1 ticks"));
                }
                if !qty_ok(qty) {
                    return Err(bad("qty", qty, "expected 1..=2^53-1 lots"));
                }
                self.new_id()
            }
            Command::Market { qty, .. } => {
                if !qty_ok(qty) {
                    return Err(bad("qty", qty, "expected 1..=2^53-1 lots"));
                }
                self.new_id()
            }
            Command::Cancel { id } => id,
            Command::Modify { id, price, qty } => {
                if !price_ok(price) {
                    return Err(bad("price", price, "expected 1..=2^53-1 ticks"));
                }
                if !(0..=MAX_QTY).contains(&qty) {
                    return Err(bad("qty", qty, "expected 0..=2^53-1 lots"));
                }
                id
            }
        };
        self.send(id, cmd);
        Ok(id)
    }

    /// Sets the external strategy's one-shot timer (data time, ns); `step` returns 4 when it fires.
    ///
    /// # Errors
    /// A negative time.
    pub fn set_timer(&mut self, ts: i64) -> Result<(), BacktestError> {
        if ts < 0 {
            return Err(bad("ts", ts, "expected non-negative nanoseconds"));
        }
        self.st.timer = Some(ts.max(self.st.now));
        Ok(())
    }

    fn new_id(&mut self) -> u64 {
        let id = self.st.next_id;
        self.st.next_id += 1;
        id
    }

    fn send(&mut self, id: u64, cmd: Command) {
        let st = &mut self.st;
        let at = st.last_arrival.max(st.now.saturating_add(st.order.draw()));
        st.last_arrival = at;
        st.seq += 1;
        st.to_exchange.push_back((at, st.seq, id, cmd));
        if let Command::Limit { qty, .. } | Command::Market { qty, .. } = cmd {
            st.orders += 1;
            st.qty_submitted = st.qty_submitted.saturating_add(qty);
        }
    }

    fn save_checkpoint(&mut self) {
        let every = self.cfg.checkpoint_every;
        let c = self.st.cursor;
        let slot = c / every;
        if self
            .checkpoints
            .last()
            .is_none_or(|k| k.state.cursor / every < slot)
        {
            self.checkpoints.push(Checkpoint {
                state: self.st.clone(),
                exch: BookImage::capture(&self.exch),
                local: self.local.as_ref().map(BookImage::capture),
                fills: self.fills.len(),
                equity: self.equity.len(),
                log: self.log.len(),
            });
        }
        self.next_checkpoint = (slot + 1) * every;
    }

    fn restore(&mut self, t: usize) {
        let Some(k) = self.checkpoints.iter().rev().find(|k| k.state.cursor <= t) else {
            return;
        };
        self.st = k.state.clone();
        k.exch.restore(&mut self.exch);
        if let (Some(img), Some(book)) = (&k.local, self.local.as_mut()) {
            img.restore(book);
        }
        self.fills.truncate(k.fills);
        self.equity.truncate(k.equity);
        self.log.truncate(k.log);
        self.next_checkpoint = (k.state.cursor / self.cfg.checkpoint_every + 1) * self.cfg.checkpoint_every;
    }

    /// The timeline loop (module docs): processes items below the key of the group starting at `t`.
    fn advance(&mut self, t: usize, callbacks: bool, max_rows: u64) -> StepResult {
        let l = self.complete;
        if l == 0 {
            return StepResult::End;
        }
        let bound: Key = (self.events.ts_recv[t.min(l - 1)], 0, 2 * t as u64);
        let start_rows = self.st.events;
        let external = matches!(self.st.strategy, Strategy::External);
        loop {
            if self.st.cursor >= self.next_checkpoint && !external {
                self.save_checkpoint();
            }
            let mut best: Option<(Key, Next)> = None;
            let mut consider = |k: Key, n: Next| {
                if best.is_none_or(|(b, _)| k < b) {
                    best = Some((k, n));
                }
            };
            let cursor = self.st.cursor;
            if cursor < t {
                consider((self.events.ts_recv[cursor], 0, 2 * cursor as u64), Next::Data);
            }
            if self.local.is_some() && self.st.local_cursor < l {
                let lc = self.st.local_cursor;
                let at = match self.st.next_local {
                    Some(at) => at,
                    None => {
                        let st = &mut self.st;
                        let at = st
                            .last_local
                            .max(self.events.ts_recv[lc].saturating_add(st.feed.draw()));
                        st.next_local = Some(at);
                        at
                    }
                };
                consider((at, 0, 2 * lc as u64 + 1), Next::Local);
            }
            if let Some(&(at, seq, _, _)) = self.st.to_exchange.front() {
                consider((at, 1, seq), Next::Arrival);
            }
            if let Some(&(at, seq, _)) = self.st.to_local.front() {
                consider((at, 2, seq), Next::Report);
            }
            if let Some(at) = self.st.next_equity {
                consider((at, 3, 0), Next::Equity);
            }
            if let Some(at) = self.st.timer {
                consider((at, 3, 1), Next::Timer);
            }
            let Some((key, next)) = best else {
                return StepResult::End;
            };
            if key >= bound {
                return StepResult::End;
            }
            let stop = match next {
                Next::Data => {
                    let r = self.data_group(callbacks);
                    if r.is_none() && self.st.events - start_rows >= max_rows {
                        return StepResult::MaxEvents;
                    }
                    r
                }
                Next::Local => self.local_group(key.0, callbacks),
                Next::Arrival => {
                    if let Some((at, _, id, cmd)) = self.st.to_exchange.pop_front() {
                        let mut out = std::mem::take(&mut self.scratch);
                        self.st.exchange.arrive(&self.exch, id, cmd, &mut out);
                        self.scratch = out;
                        self.executions(at);
                    }
                    None
                }
                Next::Report => self.report(callbacks),
                Next::Equity => {
                    self.sample(key.0, true);
                    self.st.next_equity = Some(key.0.saturating_add(self.cfg.equity_interval_ns));
                    None
                }
                Next::Timer => {
                    self.st.timer = None;
                    self.st.now = key.0;
                    callbacks.then_some(StepResult::Timer)
                }
            };
            if let Some(r) = stop {
                return r;
            }
        }
    }

    /// The exchange processes the group at the cursor.
    fn data_group(&mut self, callbacks: bool) -> Option<StepResult> {
        let s = self.st.cursor;
        let e = self.group_end(s);
        let ts = self.events.ts_recv[s];
        let kind = self.events.kind[s];
        let mut out = std::mem::take(&mut self.scratch);
        let ok = match kind {
            KIND_TRADE => {
                let ev = &self.events;
                self.st
                    .exchange
                    .on_trade(side_of(ev.side[s]), ev.price[s], ev.qty[s], &mut out);
                true
            }
            _ => {
                let ok = apply_group(&mut self.exch, &self.events, s, e);
                if ok {
                    if kind == KIND_DELTA {
                        for i in s..e {
                            self.st
                                .exchange
                                .on_level_row(side_of(self.events.side[i]), self.events.price[i]);
                        }
                    } else {
                        self.st.exchange.on_book_reset();
                    }
                    self.st.exchange.on_book_change(&self.exch, &mut out);
                    if let Some(m) = self.exch.mid() {
                        self.st.last_mid = m;
                    }
                } else {
                    self.st.rejected += 1;
                }
                ok
            }
        };
        self.scratch = out;
        self.st.cursor = e;
        self.st.events += (e - s) as u64;
        if self.st.next_equity.is_none() {
            self.st.next_equity = Some(ts);
        }
        self.executions(ts);
        if self.local.is_none() {
            self.st.local_cursor = e;
            self.st.now = ts;
            return self.deliver(s, ok, callbacks);
        }
        None
    }

    /// The strategy receives the group at the local cursor.
    fn local_group(&mut self, at: i64, callbacks: bool) -> Option<StepResult> {
        let s = self.st.local_cursor;
        let e = self.group_end(s);
        let ok = match self.local.as_mut() {
            Some(book) => apply_group(book, &self.events, s, e),
            None => true,
        };
        self.st.local_cursor = e;
        self.st.last_local = at;
        self.st.next_local = None;
        self.st.now = at;
        self.deliver(s, ok, callbacks)
    }

    /// Hands a delivered group to the strategy.
    fn deliver(&mut self, s: usize, ok: bool, callbacks: bool) -> Option<StepResult> {
        let ev = &self.events;
        let code = if ev.kind[s] == KIND_TRADE {
            self.st.last_trade = Some(TradeSeen {
                ts: self.st.now,
                aggressor: ev.side[s],
                price: ev.price[s],
                qty: ev.qty[s],
            });
            StepResult::Trade
        } else if ok {
            StepResult::Book
        } else {
            return None;
        };
        let book = self.local.as_ref().unwrap_or(&self.exch);
        let mut cmds = std::mem::take(&mut self.cmds);
        let st = &mut self.st;
        match &mut st.strategy {
            Strategy::External => return callbacks.then_some(code),
            Strategy::Mm(m) if code == StepResult::Book => {
                m.on_book(book, st.position, &mut st.next_id, &mut cmds)
            }
            Strategy::Imbalance(m) if code == StepResult::Book => {
                m.on_book(book, st.position, st.now, &mut st.next_id, &mut cmds)
            }
            _ => {}
        }
        for &(id, cmd) in &cmds {
            self.send(id, cmd);
        }
        cmds.clear();
        self.cmds = cmds;
        None
    }

    /// Books the executions in `scratch` (emitted at `ts`) and sends their reports back.
    fn executions(&mut self, ts: i64) {
        if self.scratch.is_empty() {
            return;
        }
        let st = &mut self.st;
        let back = st.last_report.max(ts.saturating_add(st.order.draw()));
        st.last_report = back;
        let mut out = std::mem::take(&mut self.scratch);
        for ex in out.drain(..) {
            self.log.push(OrderEvent { ts, exec: ex });
            if ex.kind == ExecKind::Fill {
                let st = &mut self.st;
                let bps = if ex.maker {
                    self.cfg.fees.maker_bps
                } else {
                    self.cfg.fees.taker_bps
                };
                let fee = ex.price as f64 * ex.qty as f64 * st.pf.unit * bps * 1e-4;
                st.pf.fill(ex.side, ex.price, ex.qty, fee);
                st.fills += 1;
                st.qty_filled = st.qty_filled.saturating_add(ex.qty);
                self.fills.push(Fill {
                    ts_recv: ts,
                    order_id: ex.id,
                    side: ex.side,
                    price: ex.price,
                    qty: ex.qty,
                    fee,
                    maker: ex.maker,
                });
                self.sample(ts, false);
            }
            let st = &mut self.st;
            st.seq += 1;
            st.to_local.push_back((back, st.seq, ex));
        }
        self.scratch = out;
    }

    /// An execution report reaches the strategy.
    fn report(&mut self, callbacks: bool) -> Option<StepResult> {
        let (at, _, ex) = self.st.to_local.pop_front()?;
        let st = &mut self.st;
        st.now = at;
        let pos = st.view_orders.iter().position(|o| o.id == ex.id);
        match ex.kind {
            ExecKind::Accepted => st.view_orders.push(OpenOrder {
                id: ex.id,
                side: ex.side,
                price: ex.price,
                qty: ex.qty,
                leaves: ex.leaves,
                qty_ahead: f64::NAN,
            }),
            ExecKind::Fill => {
                st.position = st
                    .position
                    .saturating_add(if ex.side == Side::Bid { ex.qty } else { -ex.qty });
                if let Some(i) = pos {
                    st.view_orders[i].leaves = ex.leaves;
                    if ex.leaves == 0 {
                        st.view_orders.remove(i);
                    }
                }
                st.last_fill = Some(OrderEvent { ts: at, exec: ex });
            }
            ExecKind::Canceled | ExecKind::Rejected => {
                if let Some(i) = pos {
                    st.view_orders.remove(i);
                }
            }
            ExecKind::Modified => {
                if let Some(i) = pos {
                    let o = &mut st.view_orders[i];
                    o.price = ex.price;
                    o.qty = ex.qty;
                    o.leaves = ex.leaves;
                }
            }
        }
        match &mut st.strategy {
            Strategy::Mm(m) => m.on_report(&ex),
            Strategy::Imbalance(m) => m.on_report(&ex),
            Strategy::External => {
                if callbacks && ex.kind == ExecKind::Fill {
                    return Some(StepResult::Fill);
                }
            }
        }
        None
    }

    fn sample(&mut self, ts: i64, regular: bool) {
        let st = &mut self.st;
        let unrealised = if st.last_mid.is_finite() {
            let exposure = st.pf.position.unsigned_abs() as f64 * st.last_mid * st.pf.unit;
            st.max_exposure = st.max_exposure.max(exposure);
            st.pf.unrealised(st.last_mid)
        } else {
            0.0
        };
        self.equity.push(EquitySample {
            ts,
            equity: st.pf.realised + unrealised - st.pf.fees,
            position: st.pf.position,
            realised: st.pf.realised,
            unrealised,
            regular,
        });
    }
}
