//! Ferrodesk's market engine: order books, option analytics and replay, in pure Rust. The wasm bindings
//! (`ferrodesk-wasm`) and the native benchmarks are thin layers over this crate.

pub mod backtest;
pub mod book;
pub mod dataset;
pub mod market;
pub mod options;
pub mod surface;
pub mod synth;
pub mod venues;
pub mod wire;

/// The engine's version (the crate version).
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
