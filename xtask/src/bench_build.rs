//! `cargo xtask bench-build [--runs N]`: what depending on stripe-checkout costs an app.
//!
//! Writes two tiny apps under `target/bench-build/` and builds (never runs) them back to back:
//!
//! - `floor`: reqwest (rustls + ring) + serde_json + tokio, POSTing a form to create a Checkout
//!   Session by hand — the least any Rust app calling Stripe can build;
//! - `app`: the same request through `stripe-checkout` (a path dependency on this workspace);
//! - `app-serde`: the same app with stripe-checkout's `serde` feature (serde's derives for
//!   every generated type), which the budget also covers.
//!
//! Each run measures, per app, a clean `cargo build`, a clean `cargo build --release` and the
//! size of the stripped release binary, then prints medians, app/floor ratios and the targets
//! (1.25x / 1.3x / 1.5x). Each app has its own `CARGO_TARGET_DIR` and a copy of the workspace
//! `Cargo.lock` (so both resolve the same reqwest/tokio/serde_json), so the workspace's own
//! build is not touched. It takes minutes and wall time is noisy on a shared machine: a
//! maintainer command, not a CI check.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use crate::{ensure_file_contents, project_root};

/// (metric, target ratio app/floor).
const TARGETS: [(&str, f64); 3] = [
    ("clean debug build", 1.25),
    ("clean release build", 1.3),
    ("stripped release binary", 1.5),
];

/// Crates whose versions must match between the floor app and the workspace lockfile.
const PINNED: [&str; 3] = ["reqwest", "tokio", "serde_json"];

const FLOOR_MANIFEST: &str = r#"[package]
name = "bench-floor"
version = "0.0.0"
edition = "2021"
publish = false

[dependencies]
reqwest = { version = "0.12", default-features = false, features = ["rustls-tls"] }
serde_json = "1"
tokio = { version = "1", features = ["rt", "macros"] }

# Not part of the surrounding workspace.
[workspace]
"#;

const FLOOR_MAIN: &str = r#"#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let key = std::env::var("STRIPE_SECRET_KEY")?;
    let form = [
        ("mode", "payment"),
        ("success_url", "https://example.com/success"),
        ("line_items[0][price]", "price_123"),
        ("line_items[0][quantity]", "1"),
    ];
    let response = reqwest::Client::new()
        .post("https://api.stripe.com/v1/checkout/sessions")
        .bearer_auth(key)
        .form(&form)
        .send()
        .await?
        .error_for_status()?;
    let session: serde_json::Value = serde_json::from_slice(&response.bytes().await?)?;
    println!("{}", session["url"]);
    Ok(())
}
"#;

/// The app's manifest: package `bench-{name}` (its binary's name), with stripe-checkout's
/// `features` (a TOML list's items).
fn app_manifest(name: &str, crate_dir: &Path, features: &str) -> String {
    // `{:?}` quotes and escapes the path the way TOML basic strings expect.
    format!(
        r#"[package]
name = "bench-{name}"
version = "0.0.0"
edition = "2021"
publish = false

[dependencies]
stripe-checkout = {{ path = {:?}, features = [{features}] }}
tokio = {{ version = "1", features = ["rt", "macros"] }}

# Not part of the surrounding workspace.
[workspace]
"#,
        crate_dir.display().to_string()
    )
}

const APP_MAIN: &str = r#"use stripe_checkout::{
    CheckoutSessionMode, Client, CreateCheckoutSessionLineItems, CreateCheckoutSessionParams,
};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = Client::new(std::env::var("STRIPE_SECRET_KEY")?);
    let mut params = CreateCheckoutSessionParams::hosted(
        CheckoutSessionMode::Payment,
        "https://example.com/success",
    );
    params.line_items = Some(vec![CreateCheckoutSessionLineItems {
        price: Some("price_123".to_owned()),
        quantity: Some(1),
        ..Default::default()
    }]);
    let session = client.checkout_sessions().create(&params).await?;
    println!("{:?}", session.url);
    Ok(())
}
"#;

struct Bench {
    name: &'static str,
    dir: PathBuf,
    /// Per run: [debug seconds, release seconds, stripped bytes].
    samples: Vec<[f64; 3]>,
    /// Per run: CPU seconds (user + system, all processes) of [debug, release].
    cpu: Vec<[f64; 2]>,
}

pub fn run(runs: usize) -> Result<(), String> {
    let root = project_root();
    let bench_root = root.join("target/bench-build");
    let lockfile = std::fs::read_to_string(root.join("Cargo.lock"))
        .map_err(|e| format!("reading Cargo.lock: {e}"))?;
    let mut benches = Vec::new();
    for (name, manifest, main) in [
        ("floor", FLOOR_MANIFEST.to_owned(), FLOOR_MAIN),
        (
            "app",
            app_manifest("app", &root.join("stripe-checkout"), ""),
            APP_MAIN,
        ),
        (
            "app-serde",
            app_manifest("app-serde", &root.join("stripe-checkout"), "\"serde\""),
            APP_MAIN,
        ),
    ] {
        let dir = bench_root.join(name);
        ensure_file_contents(&dir.join("Cargo.toml"), &manifest)?;
        ensure_file_contents(&dir.join("src/main.rs"), main)?;
        // Start from the workspace's versions; cargo prunes what the app does not use.
        ensure_file_contents(&dir.join("Cargo.lock"), &lockfile)?;
        // Resolve and download outside the timed builds, which then run `--frozen`.
        cargo(&dir, &["fetch", "--quiet"])?;
        benches.push(Bench {
            name,
            dir,
            samples: Vec::new(),
            cpu: Vec::new(),
        });
    }
    check_versions(&lockfile, &benches[0].dir)?;

    for run in 1..=runs {
        println!("run {run}/{runs}");
        let mut samples = vec![[0.0; 3]; benches.len()];
        let mut cpu = vec![[0.0; 2]; benches.len()];
        // Interleaved so that load from other builds on the machine hits both apps alike.
        for (profile, metric) in [("debug", 0), ("release", 1)] {
            for ((bench, sample), cpu) in benches.iter().zip(&mut samples).zip(&mut cpu) {
                let (seconds, cpu_seconds) = clean_build(bench, profile)?;
                println!(
                    "  {:<9} {profile:<8} {seconds:>7.1} s  ({cpu_seconds:.1} CPU s)",
                    bench.name
                );
                sample[metric] = seconds;
                cpu[metric] = cpu_seconds;
            }
        }
        for (bench, cpu) in benches.iter_mut().zip(cpu) {
            bench.cpu.push(cpu);
        }
        for (bench, sample) in benches.iter_mut().zip(samples) {
            let mut sample = sample;
            sample[2] = stripped_size(bench)? as f64;
            println!("  {:<9} stripped {:>7.2} MiB", bench.name, sample[2] / MIB);
            bench.samples.push(sample);
        }
    }

    for app in &benches[1..] {
        print_table(&benches[0], app, runs);
    }
    Ok(())
}

const MIB: f64 = 1024.0 * 1024.0;

fn target_dir(bench: &Bench) -> PathBuf {
    bench.dir.join("target")
}

/// Wall and CPU seconds of a clean build. CPU time (user + system of cargo and every rustc it
/// waited for) barely moves when other work shares the machine, so its ratio is the steadier one.
fn clean_build(bench: &Bench, profile: &str) -> Result<(f64, f64), String> {
    let target = target_dir(bench);
    if target.exists() {
        std::fs::remove_dir_all(&target)
            .map_err(|e| format!("removing {}: {e}", target.display()))?;
    }
    let mut args = vec!["build", "--quiet", "--frozen"];
    if profile == "release" {
        args.push("--release");
    }
    let started = Instant::now();
    let cpu_before = children_cpu_seconds();
    cargo(&bench.dir, &args)?;
    let cpu = children_cpu_seconds() - cpu_before;
    Ok((started.elapsed().as_secs_f64(), cpu))
}

/// User + system CPU seconds of this process's waited-for descendants (`cutime` + `cstime` in
/// `/proc/self/stat`); `NaN` where that file does not exist.
fn children_cpu_seconds() -> f64 {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else {
        return f64::NAN;
    };
    // Fields after the parenthesised command name, which may itself contain spaces.
    let Some(rest) = stat.rfind(')').map(|i| &stat[i + 1..]) else {
        return f64::NAN;
    };
    let fields: Vec<&str> = rest.split_whitespace().collect();
    // `cutime` and `cstime` are fields 16 and 17 of the whole line, 14 and 15 after `)`.
    let ticks = |i: usize| fields.get(i).and_then(|f| f.parse::<f64>().ok());
    match (ticks(13), ticks(14)) {
        // The kernel reports USER_HZ ticks, 100 per second on every Linux ABI.
        (Some(user), Some(system)) => (user + system) / 100.0,
        _ => f64::NAN,
    }
}

fn stripped_size(bench: &Bench) -> Result<u64, String> {
    let release = target_dir(bench).join("release");
    let binary = release.join(format!(
        "bench-{}{}",
        bench.name,
        std::env::consts::EXE_SUFFIX
    ));
    let stripped = release.join(format!("stripped-{}", bench.name));
    std::fs::copy(&binary, &stripped).map_err(|e| format!("copying {}: {e}", binary.display()))?;
    let status = Command::new("strip")
        .arg(&stripped)
        .status()
        .map_err(|e| format!("running strip: {e}"))?;
    if !status.success() {
        return Err(format!("strip {} failed: {status}", stripped.display()));
    }
    let size = std::fs::metadata(&stripped)
        .map_err(|e| format!("reading {}: {e}", stripped.display()))?
        .len();
    Ok(size)
}

/// Runs cargo in `dir` with the app's own target dir and without incremental compilation:
/// stripe-checkout is a path dependency here, which cargo would build incrementally, while an
/// app depending on it from crates.io does not.
fn cargo(dir: &Path, args: &[&str]) -> Result<(), String> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let status = Command::new(cargo)
        .args(args)
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", dir.join("target"))
        .env("CARGO_INCREMENTAL", "0")
        .status()
        .map_err(|e| format!("running cargo: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!(
            "`cargo {}` in {} failed: {status}",
            args.join(" "),
            dir.display()
        ))
    }
}

/// Fails unless the floor app resolved the same reqwest/tokio/serde_json as the workspace.
fn check_versions(workspace_lock: &str, floor_dir: &Path) -> Result<(), String> {
    let floor_lock = std::fs::read_to_string(floor_dir.join("Cargo.lock"))
        .map_err(|e| format!("reading the floor app's Cargo.lock: {e}"))?;
    for name in PINNED {
        let (ours, floor) = (versions(workspace_lock, name), versions(&floor_lock, name));
        if floor.is_empty() || floor.iter().any(|v| !ours.contains(v)) {
            return Err(format!(
                "the floor app uses {name} {floor:?}, the workspace {ours:?}"
            ));
        }
    }
    Ok(())
}

/// The versions of package `name` in a Cargo.lock.
fn versions<'a>(lock: &'a str, name: &str) -> Vec<&'a str> {
    let wanted = format!("name = \"{name}\"");
    let mut lines = lock.lines();
    let mut found = Vec::new();
    while let Some(line) = lines.next() {
        if line == wanted {
            if let Some(version) = lines.next().and_then(|l| l.strip_prefix("version = ")) {
                found.push(version.trim_matches('"'));
            }
        }
    }
    found
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    let mid = values.len() / 2;
    match values.len() {
        0 => f64::NAN,
        n if n % 2 == 0 => (values[mid - 1] + values[mid]) / 2.0,
        _ => values[mid],
    }
}

fn print_table(floor: &Bench, app: &Bench, runs: usize) {
    println!("\n{}: median of {runs} run(s), {} cores", app.name, cores());
    println!(
        "{:<24} {:>10} {:>10} {:>7} {:>7}  verdict",
        "metric", "floor", app.name, "ratio", "target"
    );
    for (metric, (label, target)) in TARGETS.into_iter().enumerate() {
        let column = |bench: &Bench| median(bench.samples.iter().map(|s| s[metric]).collect());
        let (f, a) = (column(floor), column(app));
        let show = |v: f64| match metric {
            2 => format!("{:.2} MiB", v / MIB),
            _ => format!("{v:.1} s"),
        };
        let ratio = a / f;
        let verdict = if ratio <= target { "PASS" } else { "OVER" };
        println!(
            "{label:<24} {:>10} {:>10} {ratio:>6.2}x {target:>6.2}x  {verdict}",
            show(f),
            show(a)
        );
    }
    for (metric, label) in [(0, "debug build CPU time"), (1, "release build CPU time")] {
        let column = |bench: &Bench| median(bench.cpu.iter().map(|s| s[metric]).collect());
        let (f, a) = (column(floor), column(app));
        println!(
            "{label:<24} {:>10} {:>10} {:>6.2}x",
            format!("{f:.1} s"),
            format!("{a:.1} s"),
            a / f
        );
    }
    println!("wall times are noisy when others share the machine; use --runs 3 for decisions");
}

fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, usize::from)
}
