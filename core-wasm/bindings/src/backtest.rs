//! Backtest bindings: the `Backtest` class over `ferrodesk_engine::backtest`. Argument checks and flat
//! `Float64Array` outputs only. Times in the float outputs are ns as JS numbers (exact to about 256 ns at
//! today's epoch); `tsAt` returns an exact BigInt.

use ferrodesk_engine::backtest::{Backtest as Engine, Command, Config, ExecKind, OpenOrder, StepResult};
use ferrodesk_engine::book::{Side, MAX_PRICE, MAX_QTY};
use ferrodesk_engine::dataset::EventSlice;
use ferrodesk_engine::synth::synth_events;
use wasm_bindgen::prelude::*;

use crate::{whole, MAX_SAFE_INTEGER};

/// Largest `depth` accepted by `topLevels`.
const MAX_DEPTH: f64 = 100_000.0;

fn js(e: impl std::fmt::Display) -> JsError {
    JsError::new(&e.to_string())
}

fn side(v: f64) -> Result<Side, JsError> {
    Ok(if whole("side", v, 0.0, 1.0)? == 0.0 {
        Side::Bid
    } else {
        Side::Ask
    })
}

fn price(v: f64) -> Result<i64, JsError> {
    Ok(whole("price", v, 1.0, MAX_PRICE as f64)? as i64)
}

fn qty(v: f64, min: f64) -> Result<i64, JsError> {
    Ok(whole("qty", v, min, MAX_QTY as f64)? as i64)
}

fn order_id(v: f64) -> Result<u64, JsError> {
    Ok(whole("id", v, 1.0, MAX_SAFE_INTEGER)? as u64)
}

fn exec_kind(k: ExecKind) -> f64 {
    match k {
        ExecKind::Accepted => 0.0,
        ExecKind::Rejected => 1.0,
        ExecKind::Canceled => 2.0,
        ExecKind::Fill => 3.0,
        ExecKind::Modified => 4.0,
    }
}

fn orders_flat(orders: &[OpenOrder]) -> Vec<f64> {
    let mut v = Vec::with_capacity(orders.len() * 6);
    for o in orders {
        v.extend_from_slice(&[
            o.id as f64,
            f64::from(o.side.to_wire()),
            o.price as f64,
            o.qty as f64,
            o.leaves as f64,
            o.qty_ahead,
        ]);
    }
    v
}

/// A backtest over one dataset (docs: `ferrodesk_engine::backtest`).
#[wasm_bindgen]
pub struct Backtest {
    inner: Engine,
}

#[wasm_bindgen]
impl Backtest {
    /// Parses the JSON configuration; throws an `Error` naming the JSON path of a bad field.
    #[wasm_bindgen(constructor)]
    pub fn new(#[wasm_bindgen(js_name = configJson)] config_json: &str) -> Result<Backtest, JsError> {
        let cfg = Config::from_json(config_json).map_err(js)?;
        Ok(Backtest {
            inner: Engine::new(cfg),
        })
    }

    /// A backtest over a loaded dataset, sharing its events (no copy): several backtests of one dataset cost one
    /// dataset of memory. The config's `priceDecimals`/`qtyDecimals` must match the dataset's.
    #[wasm_bindgen(js_name = withDataset)]
    pub fn with_dataset(
        #[wasm_bindgen(js_name = configJson)] config_json: &str,
        dataset: &crate::dataset::Dataset,
    ) -> Result<Backtest, JsError> {
        let cfg = Config::from_json(config_json).map_err(js)?;
        let meta = dataset.meta();
        if cfg.price_decimals != meta.price_decimals || cfg.qty_decimals != meta.qty_decimals {
            return Err(JsError::new(&format!(
                "priceDecimals/qtyDecimals are {}/{}, but the dataset's are {}/{}",
                cfg.price_decimals, cfg.qty_decimals, meta.price_decimals, meta.qty_decimals
            )));
        }
        Ok(Backtest {
            inner: Engine::with_events(cfg, dataset.events()),
        })
    }

    /// A backtest preloaded with the engine's synthetic L2 dataset (`synth_events`: a 100-level snapshot around
    /// 1,000,000 ticks, then `groups` update groups), for benchmarks and demos. Throws on a bad configuration or
    /// argument.
    pub fn synthetic(
        #[wasm_bindgen(js_name = configJson)] config_json: &str,
        seed: f64,
        groups: f64,
    ) -> Result<Backtest, JsError> {
        let seed = whole("seed", seed, 0.0, MAX_SAFE_INTEGER)? as u64;
        let groups = whole("groups", groups, 0.0, 50_000_000.0)? as usize;
        let mut bt = Backtest::new(config_json)?;
        let ev = synth_events(seed, groups);
        bt.inner.load(ev.as_slice()).map_err(js)?;
        Ok(bt)
    }

    /// Appends a window of event columns (validated; nothing is appended on error).
    #[allow(clippy::too_many_arguments)]
    pub fn load(
        &mut self,
        #[wasm_bindgen(js_name = tsRecv)] ts_recv: &[i64],
        #[wasm_bindgen(js_name = tsEvent)] ts_event: &[i64],
        kind: &[u8],
        side: &[u8],
        price: &[i64],
        qty: &[i64],
        flags: &[u8],
    ) -> Result<(), JsError> {
        self.inner
            .load(EventSlice {
                ts_recv,
                ts_event,
                kind,
                side,
                price,
                qty,
                flags,
            })
            .map_err(js)
    }

    /// Throws when the loaded data ends inside an update group.
    #[wasm_bindgen(js_name = finishLoading)]
    pub fn finish_loading(&self) -> Result<(), JsError> {
        self.inner.finish_loading().map_err(js)
    }

    /// Runs (or seeks back) to event `index`.
    #[wasm_bindgen(js_name = runTo)]
    pub fn run_to(&mut self, index: f64) -> Result<(), JsError> {
        let i = whole("index", index, 0.0, self.inner.len() as f64)? as usize;
        self.inner.run_to(i).map_err(js)
    }

    #[wasm_bindgen(js_name = runToEnd)]
    pub fn run_to_end(&mut self) {
        self.inner.run_to_end();
    }

    pub fn cursor(&self) -> f64 {
        self.inner.cursor() as f64
    }

    pub fn length(&self) -> f64 {
        self.inner.len() as f64
    }

    /// `ts_recv` of event `i`, ns, exact.
    #[wasm_bindgen(js_name = tsAt)]
    pub fn ts_at(&self, i: f64) -> Result<i64, JsError> {
        let n = self.inner.len();
        if n == 0 {
            return Err(JsError::new(&format!("i is {i}: no events loaded")));
        }
        let i = whole("i", i, 0.0, (n - 1) as f64)? as usize;
        self.inner
            .ts_at(i)
            .ok_or_else(|| JsError::new(&format!("i is {i}: beyond the events")))
    }

    /// Data time of the last processed item, ns.
    pub fn now(&self) -> f64 {
        self.inner.now() as f64
    }

    /// Summary as snake-case JSON.
    #[wasm_bindgen(js_name = summaryJson)]
    pub fn summary_json(&self) -> String {
        self.inner.summary_json()
    }

    /// 7 numbers per fill: `[tsRecv, orderId, side, priceTicks, qtyLots, fee, maker 0/1]`.
    pub fn fills(&self) -> Vec<f64> {
        let f = self.inner.fills();
        let mut v = Vec::with_capacity(f.len() * 7);
        for x in f {
            v.extend_from_slice(&[
                x.ts_recv as f64,
                x.order_id as f64,
                f64::from(x.side.to_wire()),
                x.price as f64,
                x.qty as f64,
                x.fee,
                f64::from(u8::from(x.maker)),
            ]);
        }
        v
    }

    /// 5 numbers per sample: `[ts, equity, positionLots, realised, unrealised]`.
    pub fn equity(&self) -> Vec<f64> {
        let e = self.inner.equity();
        let mut v = Vec::with_capacity(e.len() * 5);
        for s in e {
            v.extend_from_slice(&[s.ts as f64, s.equity, s.position as f64, s.realised, s.unrealised]);
        }
        v
    }

    /// 6 numbers per order resting at the exchange: `[id, side, priceTicks, qtyLots, leavesLots, qtyAhead]`.
    #[wasm_bindgen(js_name = openOrders)]
    pub fn open_orders(&self) -> Vec<f64> {
        orders_flat(&self.inner.open_orders())
    }

    /// 8 numbers per execution at the exchange: `[ts, id, side, kind (0 accepted, 1 rejected, 2 canceled,
    /// 3 fill, 4 modified), priceTicks, qtyLots, leavesLots, maker 0/1]`.
    #[wasm_bindgen(js_name = ordersLog)]
    pub fn orders_log(&self) -> Vec<f64> {
        let l = self.inner.orders_log();
        let mut v = Vec::with_capacity(l.len() * 8);
        for e in l {
            let x = e.exec;
            v.extend_from_slice(&[
                e.ts as f64,
                x.id as f64,
                f64::from(x.side.to_wire()),
                exec_kind(x.kind),
                x.price as f64,
                x.qty as f64,
                x.leaves as f64,
                f64::from(u8::from(x.maker)),
            ]);
        }
        v
    }

    /// Up to `depth` levels of the exchange's book, best first: `[priceTicks, qtyLots]` pairs.
    #[wasm_bindgen(js_name = topLevels)]
    pub fn top_levels(&self, side_: f64, depth: f64) -> Result<Vec<f64>, JsError> {
        top(
            self.inner.book(),
            side(side_)?,
            whole("depth", depth, 0.0, MAX_DEPTH)? as usize,
        )
    }

    /// As `topLevels`, for the book the strategy has received (after feed latency).
    #[wasm_bindgen(js_name = strategyTopLevels)]
    pub fn strategy_top_levels(&self, side_: f64, depth: f64) -> Result<Vec<f64>, JsError> {
        top(
            self.inner.strategy_book(),
            side(side_)?,
            whole("depth", depth, 0.0, MAX_DEPTH)? as usize,
        )
    }

    /// Runs until the external strategy must act: 0 end, 1 book update, 2 trade, 3 fill, 4 timer,
    /// 5 `maxEvents` events processed.
    pub fn step(&mut self, #[wasm_bindgen(js_name = maxEvents)] max_events: f64) -> Result<u32, JsError> {
        let n = whole("maxEvents", max_events, 1.0, MAX_SAFE_INTEGER)? as u64;
        Ok(match self.inner.step(n) {
            StepResult::End => 0,
            StepResult::Book => 1,
            StepResult::Trade => 2,
            StepResult::Fill => 3,
            StepResult::Timer => 4,
            StepResult::MaxEvents => 5,
        })
    }

    /// Queues a command; `kind` 0 limit, 1 market, 2 cancel, 3 modify; `flags` bit 0 post-only, bit 1 IOC;
    /// `id` the target of cancel and modify (ignored otherwise). Returns the order id.
    pub fn submit(
        &mut self,
        kind: f64,
        side_: f64,
        price_: f64,
        qty_: f64,
        flags: f64,
        id: f64,
    ) -> Result<f64, JsError> {
        let cmd = match whole("kind", kind, 0.0, 3.0)? as u8 {
            0 => {
                let f = whole("flags", flags, 0.0, 3.0)? as u8;
                Command::Limit {
                    side: side(side_)?,
                    price: price(price_)?,
                    qty: qty(qty_, 1.0)?,
                    post_only: f & 1 != 0,
                    ioc: f & 2 != 0,
                }
            }
            1 => Command::Market {
                side: side(side_)?,
                qty: qty(qty_, 1.0)?,
            },
            2 => Command::Cancel { id: order_id(id)? },
            _ => Command::Modify {
                id: order_id(id)?,
                price: price(price_)?,
                qty: qty(qty_, 0.0)?,
            },
        };
        Ok(self.inner.submit(cmd).map_err(js)? as f64)
    }

    #[wasm_bindgen(js_name = submitLimit)]
    pub fn submit_limit(
        &mut self,
        side_: f64,
        price_: f64,
        qty_: f64,
        #[wasm_bindgen(js_name = postOnly)] post_only: bool,
        ioc: bool,
    ) -> Result<f64, JsError> {
        let flags = f64::from(u8::from(post_only) | (u8::from(ioc) << 1));
        self.submit(0.0, side_, price_, qty_, flags, 0.0)
    }

    #[wasm_bindgen(js_name = submitMarket)]
    pub fn submit_market(&mut self, side_: f64, qty_: f64) -> Result<f64, JsError> {
        self.submit(1.0, side_, 1.0, qty_, 0.0, 0.0)
    }

    #[wasm_bindgen(js_name = cancelOrder)]
    pub fn cancel_order(&mut self, id: f64) -> Result<f64, JsError> {
        self.submit(2.0, 0.0, 1.0, 1.0, 0.0, id)
    }

    #[wasm_bindgen(js_name = modifyOrder)]
    pub fn modify_order(&mut self, id: f64, price_: f64, qty_: f64) -> Result<f64, JsError> {
        self.submit(3.0, 0.0, price_, qty_, 0.0, id)
    }

    /// One-shot timer at data time `ts` (ns); `step` returns 4 when it fires.
    #[wasm_bindgen(js_name = setTimer)]
    pub fn set_timer(&mut self, ts: f64) -> Result<(), JsError> {
        let ts = whole("ts", ts, 0.0, MAX_SAFE_INTEGER * 1024.0)? as i64;
        self.inner.set_timer(ts).map_err(js)
    }

    /// Position in lots as the strategy knows it.
    #[wasm_bindgen(js_name = strategyPosition)]
    pub fn strategy_position(&self) -> f64 {
        self.inner.strategy_position() as f64
    }

    /// Open orders as the strategy knows them, 6 numbers each like `openOrders` (qtyAhead NaN).
    #[wasm_bindgen(js_name = strategyOrders)]
    pub fn strategy_orders(&self) -> Vec<f64> {
        orders_flat(self.inner.strategy_orders())
    }

    /// `[ts, aggressor, priceTicks, qtyLots]` of the last delivered trade, or empty.
    #[wasm_bindgen(js_name = lastTrade)]
    pub fn last_trade(&self) -> Vec<f64> {
        self.inner.last_trade().map_or_else(Vec::new, |t| {
            vec![t.ts as f64, f64::from(t.aggressor), t.price as f64, t.qty as f64]
        })
    }

    /// `[ts, orderId, side, priceTicks, qtyLots, leavesLots, maker 0/1]` of the last delivered fill, or empty.
    #[wasm_bindgen(js_name = lastFill)]
    pub fn last_fill(&self) -> Vec<f64> {
        self.inner.last_fill().map_or_else(Vec::new, |f| {
            let x = f.exec;
            vec![
                f.ts as f64,
                x.id as f64,
                f64::from(x.side.to_wire()),
                x.price as f64,
                x.qty as f64,
                x.leaves as f64,
                f64::from(u8::from(x.maker)),
            ]
        })
    }
}

fn top(book: &ferrodesk_engine::book::Book, side: Side, depth: usize) -> Result<Vec<f64>, JsError> {
    let mut v = Vec::with_capacity(2 * depth.min(book.level_count(side)));
    book.for_each_top(side, depth, 1, |l| {
        v.extend_from_slice(&[l.price as f64, l.qty as f64])
    })
    .map_err(js)?;
    Ok(v)
}
