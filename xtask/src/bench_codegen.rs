//! `cargo xtask bench-codegen [--runs N]`: how long the generator takes on the committed subset,
//! stage by stage, as ratios to a baseline measured in the same run (reading the YAML into a
//! `serde_json::Value`, the least any generator must do). Build with `--release` for numbers
//! that mean anything: `cargo run --release -p xtask -- bench-codegen`.

use std::time::{Duration, Instant};

use crate::project_root;
use crate::regen::SPEC;

pub fn run(runs: usize, spec: Option<&str>) -> Result<(), String> {
    let spec_path = spec.unwrap_or(SPEC);
    let text = std::fs::read_to_string(project_root().join(spec_path))
        .map_err(|e| format!("reading {spec_path}: {e}"))?;

    let baseline = median(runs, || {
        // The cheapest reader that takes the document: JSON specs are JSON, the subset is YAML.
        let value = if text.trim_start().starts_with('{') {
            serde_json::from_str::<serde_json::Value>(&text).map_err(|e| e.to_string())
        } else {
            serde_yaml::from_str::<serde_json::Value>(&text).map_err(|e| e.to_string())
        };
        value.map(drop)
    })?;
    let parse = median(runs, || {
        codegen::spec::Spec::from_yaml(&text)
            .map(drop)
            .map_err(|e| e.to_string())
    })?;
    let spec = codegen::spec::Spec::from_yaml(&text).map_err(|e| e.to_string())?;
    let lower = median(runs, || {
        codegen::ir(&spec).map(drop).map_err(|e| e.to_string())
    })?;
    let ir = codegen::ir(&spec).map_err(|e| e.to_string())?;
    let emit = median(runs, || {
        codegen::emit::emit(&ir)
            .map(drop)
            .map_err(|e| e.to_string())
    })?;
    let cpu_before = cpu_seconds();
    let total = median(runs, || {
        codegen::generate(&text)
            .map(drop)
            .map_err(|e| e.to_string())
    })?;
    // CPU time (all threads) is what the machine's load cannot inflate; wall time is.
    let cpu_per_run = cpu_seconds()
        .zip(cpu_before)
        .map(|(after, before)| (after - before) / runs as f64);

    let profile = if cfg!(debug_assertions) {
        "debug (use --release)"
    } else {
        "release"
    };
    println!(
        "codegen on {spec_path} ({} bytes), median of {runs} runs, {profile} build",
        text.len()
    );
    println!("{:<34} {:>10} {:>10}", "stage", "ms", "× baseline");
    for (name, time) in [
        ("baseline: text → serde_json::Value", baseline),
        ("parse: text → spec model", parse),
        ("lower, dedup, boxing: spec → IR", lower),
        ("emit: IR → formatted Rust", emit),
        ("generate (all of the above)", total),
    ] {
        let ratio = time.as_secs_f64() / baseline.as_secs_f64().max(f64::EPSILON);
        println!(
            "{name:<34} {:>10.1} {ratio:>10.2}",
            time.as_secs_f64() * 1000.0
        );
    }
    if let Some(cpu) = cpu_per_run {
        println!(
            "generate: {:.0} ms CPU per run (all threads; {} available)",
            cpu * 1000.0,
            std::thread::available_parallelism().map_or(1, |n| n.get())
        );
    }
    Ok(())
}

/// User + system CPU time of this process so far, where Linux reports it.
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the `(comm)`, which may contain spaces: utime and stime are the 12th and 13th.
    let rest = stat.rsplit_once(')')?.1;
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks: f64 = fields.get(11)?.parse::<f64>().ok()? + fields.get(12)?.parse::<f64>().ok()?;
    // USER_HZ is 100 on every Linux the project runs on.
    Some(ticks / 100.0)
}

fn median(runs: usize, mut f: impl FnMut() -> Result<(), String>) -> Result<Duration, String> {
    let mut times = Vec::with_capacity(runs);
    for _ in 0..runs {
        let start = Instant::now();
        f()?;
        times.push(start.elapsed());
    }
    times.sort();
    Ok(times[times.len() / 2])
}
