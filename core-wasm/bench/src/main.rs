//! Native benchmarks of the engine, run by `npm run bench` beside the wasm build and the TypeScript baseline.
//!
//! ```text
//! ferrodesk-bench <suite> [--json] [suite flags]
//! ferrodesk-bench book [--json] [--seed N] [--depth N] [--batches N] [--batch-size N] [--reps N]
//!
//! ferrodesk-bench options [--json] [--n N] [--reps N]
//!
//! ferrodesk-bench backtest [--json] [--seed N] [--groups N] [--reps N]
//! ```
//!
//! `book` applies the synthetic depth-N stream (`synthFrames` in wasm gives the same bytes for the same
//! parameters) to a fresh `Market` `reps` times after one warm-up run, and reports the median and the best run.
//! `options` prices the scenario grid of `option_grid` (N rows; the TypeScript and wasm contenders build the
//! same grid) with BSM price, delta, gamma, vega, theta and rho: the exact per-row path (`price_batch`) and the
//! two-lane scan kernel (`bsm_scan`); then implied vol (`iv_batch`, Let's Be Rational) of the prices.
//! `backtest` replays the synthetic L2 dataset of `synth_events` (`groups` update groups after a 100-level
//! snapshot) through the backtest engine with the built-in market maker, headless (no output read during the
//! run), once with zero latencies (the strategy reads the exchange's book) and once with 1 ms feed and order
//! latency (a second, delayed book for the strategy), and reports events per second.
//! With `--json` it prints one JSON object per line: `{"suite","name","impl","metric","value","unit"}`, the
//! value being the median (the best is in `"best"`).

use std::process::ExitCode;
use std::time::Instant;

use ferrodesk_engine::market::Market;
use ferrodesk_engine::synth::{synth_frames, SynthParams};

const USAGE: &str =
    "usage: ferrodesk-bench book [--json] [--seed N] [--depth N] [--batches N] [--batch-size N] \
                     [--reps N]\n       ferrodesk-bench options [--json] [--n N] [--reps N]\n       \
                     ferrodesk-bench backtest [--json] [--seed N] [--groups N] [--reps N]";

/// Command-line flags: `--json` and `--name value` pairs of whole numbers, each suite reading its own.
struct Flags {
    json: bool,
    values: Vec<(String, u64)>,
}

impl Flags {
    fn parse(args: &[String]) -> Result<Flags, String> {
        let mut flags = Flags {
            json: false,
            values: Vec::new(),
        };
        let mut it = args.iter();
        while let Some(a) = it.next() {
            if a == "--json" {
                flags.json = true;
                continue;
            }
            let Some(name) = a.strip_prefix("--") else {
                return Err(format!("unexpected argument '{a}'"));
            };
            let v = it.next().ok_or_else(|| format!("flag --{name} needs a value"))?;
            let n = v
                .parse()
                .map_err(|_| format!("flag --{name} must be a whole number, got '{v}'"))?;
            flags.values.push((name.to_string(), n));
        }
        Ok(flags)
    }

    /// Takes flag `name` converted to `T`, or `default` when absent.
    fn take<T: TryFrom<u64>>(&mut self, name: &str, default: T) -> Result<T, String> {
        let Some(i) = self.values.iter().position(|(n, _)| n == name) else {
            return Ok(default);
        };
        let (_, v) = self.values.swap_remove(i);
        T::try_from(v).map_err(|_| format!("flag --{name} is too large: {v}"))
    }

    /// Fails on flags no suite took.
    fn finish(self) -> Result<bool, String> {
        match self.values.first() {
            Some((name, _)) => Err(format!("unknown flag --{name}\n{USAGE}")),
            None => Ok(self.json),
        }
    }
}

/// Median and minimum of a non-empty sample.
fn median_and_best(mut xs: Vec<f64>) -> Option<(f64, f64)> {
    xs.sort_by(f64::total_cmp);
    let best = *xs.first()?;
    let m = xs.len() / 2;
    let median = if xs.len() % 2 == 1 {
        *xs.get(m)?
    } else {
        (*xs.get(m - 1)? + *xs.get(m)?) / 2.0
    };
    Some((median, best))
}

fn emit(json: bool, suite: &str, name: &str, metric: &str, median: f64, best: f64, unit: &str) {
    if json {
        println!(
            "{{\"suite\":\"{suite}\",\"name\":\"{name}\",\"impl\":\"native\",\"metric\":\"{metric}\",\
             \"value\":{median},\"unit\":\"{unit}\",\"best\":{best}}}"
        );
    } else {
        println!("{suite}/{name}  native  {metric}: median {median:.4e} {unit}, best {best:.4e} {unit}");
    }
}

fn book(mut flags: Flags) -> Result<(), String> {
    let seed = flags.take("seed", 42u64)?;
    let depth = flags.take("depth", 1000u32)?;
    let batches = flags.take("batches", 2000u32)?;
    let batch_size = flags.take("batch-size", 50u32)?;
    let reps = flags.take("reps", 15u32)?.max(1);
    let json = flags.finish()?;
    let params = SynthParams::new_checked(seed, depth, batches, batch_size).map_err(|e| e.to_string())?;
    let frames = synth_frames(&params);

    let run = || {
        let mut m = Market::new();
        let t0 = Instant::now();
        let s = m.apply(std::hint::black_box(&frames));
        let elapsed = t0.elapsed();
        std::hint::black_box(&m);
        (s, elapsed.as_secs_f64() * 1e9)
    };
    let (warm, _) = run();
    if warm.rejected + warm.gaps > 0 || warm.deltas == 0 {
        return Err(format!("the synthetic stream did not apply cleanly: {warm:?}"));
    }
    let mut ns_per_delta = Vec::with_capacity(reps as usize);
    for _ in 0..reps {
        let (s, ns) = run();
        ns_per_delta.push(ns / s.deltas as f64);
    }
    let (median, best) = median_and_best(ns_per_delta).ok_or("no samples")?;
    if !json {
        println!(
            "book: {} bytes, {} frames, {} deltas, {} trades; {reps} runs",
            frames.len(),
            warm.frames,
            warm.deltas,
            warm.trades
        );
    }
    let name = format!("apply_synth_depth{depth}");
    emit(
        json,
        "book",
        &name,
        "deltas_per_s",
        1e9 / median,
        1e9 / best,
        "deltas/s",
    );
    emit(json, "book", &name, "ns_per_delta", median, best, "ns");
    Ok(())
}

/// Row `i` of the benchmark grid: calls and puts alternating, strike 100, r = 3 %, q = 1 %, and S, T, σ spread
/// by additive recurrences (fractional parts of multiples of irrational constants) over S ∈ [60, 140),
/// T ∈ [0.05, 2.05), σ ∈ [0.08, 0.78). `cli/src/bench/options.ts` builds the same grid.
fn option_grid(n: usize) -> [Vec<f64>; 6] {
    let frac = |x: f64| x % 1.0;
    let mut cols: [Vec<f64>; 6] = Default::default();
    for i in 0..n {
        let x = i as f64;
        cols[0].push(60.0 + 80.0 * frac(x * 0.618_033_988_749_894_9));
        cols[1].push(100.0);
        cols[2].push(0.03);
        cols[3].push(0.01);
        cols[4].push(0.05 + 2.0 * frac(x * 0.754_877_666_246_692_7));
        cols[5].push(0.08 + 0.7 * frac(x * 0.569_840_290_998_053_2));
    }
    cols
}

fn options(mut flags: Flags) -> Result<(), String> {
    use ferrodesk_engine::options::{bsm_scan, iv_batch, price_batch, Model};
    let n: usize = flags.take("n", 5_000_000)?;
    let reps: u32 = flags.take("reps", 5)?;
    let json = flags.finish()?;
    let [s, k, r, q, t, vol] = option_grid(n);
    let kinds: Vec<u8> = (0..n).map(|i| (i & 1) as u8).collect();
    let mut out: [Vec<f64>; 6] = std::array::from_fn(|_| vec![0.0; n]);
    let time = |f: &mut dyn FnMut()| -> Result<(f64, f64), String> {
        f();
        let mut ns = Vec::with_capacity(reps as usize);
        for _ in 0..reps {
            let t0 = Instant::now();
            f();
            ns.push(t0.elapsed().as_secs_f64() * 1e9 / n as f64);
        }
        median_and_best(ns).ok_or_else(|| "no samples".to_string())
    };
    let (m, b) = time(&mut || {
        let [p, d, g, v, th, rh] = &mut out;
        let _ = bsm_scan(&kinds, &s, &k, &r, &q, &t, &vol, [p, d, g, v, th, rh]);
        std::hint::black_box(&out);
    })?;
    emit(json, "options", "bsm_greeks_scan", "ns_per_option", m, b, "ns");
    let (m, b) = time(&mut || {
        let [p, d, g, v, th, rh] = &mut out;
        let _ = price_batch(Model::Bsm, &kinds, &s, &k, &r, &q, &t, &vol, p, d, g, v, th, rh);
        std::hint::black_box(&out);
    })?;
    emit(json, "options", "bsm_greeks", "ns_per_option", m, b, "ns");
    // Implied vol of the exact prices (the scan kernel's absolute error would swamp the tiniest ones).
    let prices = out[0].clone();
    let mut iv = vec![0.0; n];
    let mut code = vec![0u8; n];
    let (m, b) = time(&mut || {
        let _ = iv_batch(
            Model::Bsm,
            &kinds,
            &s,
            &k,
            &r,
            &q,
            &t,
            &prices,
            &mut iv,
            &mut code,
        );
        std::hint::black_box(&iv);
    })?;
    emit(json, "options", "implied_vol", "ns_per_option", m, b, "ns");
    // The round trip is only defined where the time value survives rounding in the price.
    let mut worst: f64 = 0.0;
    let mut checked = 0usize;
    for i in 0..n {
        let fwd_pv = s[i] * (-q[i] * t[i]).exp();
        let strike_pv = k[i] * (-r[i] * t[i]).exp();
        let intrinsic = if kinds[i] == 1 {
            fwd_pv - strike_pv
        } else {
            strike_pv - fwd_pv
        }
        .max(0.0);
        if prices[i] - intrinsic > 1e-8 * prices[i] && prices[i] > 1e-100 {
            worst = worst.max((iv[i] / vol[i] - 1.0).abs());
            checked += 1;
        }
    }
    if !json {
        println!(
            "options: {n} rows, {reps} runs; implied vol round trip worst relative error {worst:e} \
             over the {checked} rows with time value above 1e-8 of the price"
        );
    }
    Ok(())
}

fn backtest(mut flags: Flags) -> Result<(), String> {
    use ferrodesk_engine::backtest::{Backtest, Config, LatencyConfig};
    use ferrodesk_engine::synth::synth_events;
    let seed = flags.take("seed", 42u64)?;
    let groups: usize = flags.take("groups", 2_000_000)?;
    let reps = flags.take("reps", 5u32)?.max(1);
    let json = flags.finish()?;
    let events = synth_events(seed, groups);
    let n = events.len();
    for (name, latency_ns) in [("mm_zero_latency", 0), ("mm_latency_1ms", 1_000_000)] {
        let mut cfg = Config::with_decimals(2, 3);
        cfg.feed_latency = LatencyConfig::Constant { ns: latency_ns };
        cfg.order_latency = LatencyConfig::Constant { ns: latency_ns };
        let mut ns_per_event = Vec::with_capacity(reps as usize);
        let mut summary = None;
        for rep in 0..=reps {
            // A fresh engine per run (one warm-up run first); loading is not timed.
            let mut run = Backtest::new(cfg.clone());
            run.load(events.as_slice()).map_err(|e| e.to_string())?;
            let t0 = Instant::now();
            run.run_to_end();
            let elapsed = t0.elapsed().as_secs_f64() * 1e9;
            std::hint::black_box(&run);
            if rep > 0 {
                ns_per_event.push(elapsed / n as f64);
            }
            summary = Some(run.summary());
        }
        let s = summary.ok_or("no runs")?;
        if s.events as usize != n || s.fills == 0 {
            return Err(format!("the backtest did not run as expected: {s:?}"));
        }
        if !json {
            println!(
                "backtest/{name}: {n} events, {} orders, {} fills, {} rejected groups; {reps} runs",
                s.orders, s.fills, s.rejected_groups
            );
        }
        let (median, best) = median_and_best(ns_per_event).ok_or("no samples")?;
        emit(
            json,
            "backtest",
            name,
            "events_per_s",
            1e9 / median,
            1e9 / best,
            "events/s",
        );
        emit(json, "backtest", name, "ns_per_event", median, best, "ns");
    }
    Ok(())
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some((suite, rest)) = args.split_first() else {
        eprintln!("{USAGE}");
        return ExitCode::from(2);
    };
    let result = Flags::parse(rest).and_then(|flags| match suite.as_str() {
        "book" => book(flags),
        "options" => options(flags),
        "backtest" => backtest(flags),
        other => Err(format!(
            "unknown suite '{other}' (suites: book, options, backtest)\n{USAGE}"
        )),
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("ferrodesk-bench: {e}");
            ExitCode::from(2)
        }
    }
}
