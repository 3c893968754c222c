//! Native benchmarks of the engine, run by `npm run bench` beside the wasm build and the TypeScript baseline.
//!
//! ```text
//! ferrodesk-bench <suite> [--json] [suite flags]
//! ferrodesk-bench book [--json] [--seed N] [--depth N] [--batches N] [--batch-size N] [--reps N]
//! ```
//!
//! `book` applies the synthetic depth-N stream (`synthFrames` in wasm gives the same bytes for the same
//! parameters) to a fresh `Market` `reps` times after one warm-up run, and reports the median and the best run.
//! With `--json` it prints one JSON object per line: `{"suite","name","impl","metric","value","unit"}`, the
//! value being the median (the best is in `"best"`).

use std::process::ExitCode;
use std::time::Instant;

use ferrodesk_engine::market::Market;
use ferrodesk_engine::synth::{synth_frames, SynthParams};

const USAGE: &str =
    "usage: ferrodesk-bench book [--json] [--seed N] [--depth N] [--batches N] [--batch-size N] [--reps N]";

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

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some((suite, rest)) = args.split_first() else {
        eprintln!("{USAGE}");
        return ExitCode::from(2);
    };
    let result = Flags::parse(rest).and_then(|flags| match suite.as_str() {
        "book" => book(flags),
        other => Err(format!("unknown suite '{other}' (suites: book)\n{USAGE}")),
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("ferrodesk-bench: {e}");
            ExitCode::from(2)
        }
    }
}
