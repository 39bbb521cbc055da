//! `cargo xtask bench [--quick]`: runtime speed against async-stripe, `serde_json::Value` and a
//! raw reqwest client (decoding, form encoding, memory, requests per second on loopback).
//!
//! The benchmarks are the crate in `xtask/bench/`, a workspace of its own so that async-stripe
//! and the loopback server are built only here, never by `cargo test/clippy --workspace`. It is
//! built in release mode into `target/bench/` and prints a Markdown table of ratios. Timings
//! are never asserted: this is a maintainer command, not a CI check.

use std::process::Command;

use crate::project_root;

pub fn run(args: &[String]) -> Result<(), String> {
    let root = project_root();
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let status = Command::new(cargo)
        .current_dir(&root)
        .env("CARGO_TARGET_DIR", root.join("target/bench"))
        .args(["run", "--release", "--locked", "--manifest-path"])
        .arg(root.join("xtask/bench/Cargo.toml"))
        .arg("--")
        .args(args)
        .status()
        .map_err(|e| format!("running cargo: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("the benchmark failed ({status})"))
    }
}
