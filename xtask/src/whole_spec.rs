//! `cargo xtask whole-spec [--check] [--spec <path>]…`: generates every operation and schema of a
//! full Stripe spec (by default both specs in `../shared/stripe-openapi`) into a scratch crate
//! under `target/whole-spec/<spec>/`, writes what the generator skipped to `SKIPPED.md` there, and
//! with `--check` fails on any skipped operation and runs `cargo check` on it.
//!
//! The scratch crate compiles `stripe-checkout`'s runtime modules by `#[path]`, beside the
//! generated tree, so the generated code's `crate::Client`, `crate::__private::…` resolve exactly
//! as in the shipped crate and the subset's output needs no option to point elsewhere.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use crate::{ensure_file_contents, project_root};

/// The specs checked by default, relative to the project root.
const DEFAULT_SPECS: &[&str] = &[
    "../shared/stripe-openapi/spec3.2026-05-27.json",
    "../shared/stripe-openapi/spec3.json",
];

/// Runtime modules written against the shipped subset's API version rather than the generator's
/// conventions, left out of the scratch crate.
const VERSION_SPECIFIC: &[&str] = &["session_params"];

pub fn run(args: &[String]) -> Result<(), String> {
    let mut check = false;
    let mut specs = Vec::new();
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        match arg.as_str() {
            "--check" => check = true,
            "--spec" => specs.push(PathBuf::from(rest.next().ok_or("--spec expects a path")?)),
            other => return Err(format!("unexpected argument `{other}` to whole-spec")),
        }
    }
    let root = project_root();
    if specs.is_empty() {
        specs = DEFAULT_SPECS.iter().map(|s| root.join(s)).collect();
    }
    let mut failures = Vec::new();
    for spec in &specs {
        // One process per spec, so its peak memory is its own.
        let status = Command::new(std::env::current_exe().map_err(|e| e.to_string())?)
            .arg("whole-spec-one")
            .arg(spec)
            .args(check.then_some("--check"))
            .status()
            .map_err(|e| format!("running whole-spec-one: {e}"))?;
        if !status.success() {
            failures.push(spec.display().to_string());
        }
    }
    if failures.is_empty() {
        Ok(())
    } else {
        Err(format!("whole-spec failed for {}", failures.join(", ")))
    }
}

/// Generates (and checks) one spec; run in its own process by [`run`].
pub fn run_one(args: &[String]) -> Result<(), String> {
    let (spec, check) = match args {
        [spec] => (Path::new(spec), false),
        [spec, flag] if flag == "--check" => (Path::new(spec), true),
        _ => return Err("expected `whole-spec-one <spec> [--check]`".to_owned()),
    };
    let label = spec
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("spec")
        .replace('.', "_");
    let root = project_root();
    let dir = root.join("target/whole-spec").join(&label);

    let text =
        std::fs::read_to_string(spec).map_err(|e| format!("reading {}: {e}", spec.display()))?;
    let started = Instant::now();
    let output =
        codegen::generate_with_report(&text).map_err(|e| format!("{}: {e}", spec.display()))?;
    let elapsed = started.elapsed();
    let peak = peak_rss_mb();
    drop(text);

    let generated = dir.join("src/generated");
    let mut lines = 0;
    let mut names = Vec::new();
    for file in &output.files {
        lines += file.contents.lines().count();
        ensure_file_contents(&generated.join(&file.name), &file.contents)?;
        names.push(file.name.clone());
    }
    remove_stale(&generated, &names)?;
    ensure_file_contents(&dir.join("Cargo.toml"), &manifest(&root))?;
    ensure_file_contents(&dir.join("src/lib.rs"), &lib_rs(&root))?;
    // The workspace's lock file, so the scratch crate builds the dependency versions already built.
    let lock = std::fs::read_to_string(root.join("Cargo.lock")).map_err(|e| e.to_string())?;
    ensure_file_contents(&dir.join("Cargo.lock"), &lock)?;
    let mut report = format!(
        "# Skipped by the generator for {}\n\n",
        spec.file_name().and_then(|s| s.to_str()).unwrap_or("spec")
    );
    for skip in &output.skipped {
        report.push_str(&format!("- `{}`: {}\n", skip.pointer, skip.reason));
    }
    ensure_file_contents(&dir.join("SKIPPED.md"), &report)?;

    let profile = if cfg!(debug_assertions) {
        "debug build; use --release for timings"
    } else {
        "release build"
    };
    println!(
        "{}: {} files, {lines} lines, {} types, {} operations in {:.0} ms, peak RSS {peak} ({profile})",
        spec.display(),
        output.files.len(),
        output.types,
        output.operations,
        elapsed.as_secs_f64() * 1000.0,
    );
    println!(
        "skipped {} (see {}):",
        output.skipped.len(),
        dir.join("SKIPPED.md").display()
    );
    for skip in &output.skipped {
        println!("  {}: {}", skip.pointer, skip.reason);
    }
    if !check {
        return Ok(());
    }
    // The generator takes the whole spec: a skipped operation is a gap to close, not a note.
    if !output.skipped.is_empty() {
        return Err(format!(
            "{}: {} operation(s) skipped; the generator must take every operation",
            spec.display(),
            output.skipped.len()
        ));
    }
    // The generated text is on disk; free it before the memory-hungry check.
    drop(output);
    let started = Instant::now();
    let status = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()))
        .args(["check", "--quiet", "--manifest-path"])
        .arg(dir.join("Cargo.toml"))
        // Shared by both specs, apart from the workspace's own target so neither invalidates the other.
        .env("CARGO_TARGET_DIR", root.join("target/whole-spec/target"))
        .status()
        .map_err(|e| format!("running cargo check: {e}"))?;
    println!(
        "cargo check of {}: {} in {:.0} s",
        dir.display(),
        if status.success() { "ok" } else { "FAILED" },
        started.elapsed().as_secs_f64()
    );
    if status.success() {
        Ok(())
    } else {
        Err(format!(
            "generated code for {} does not compile",
            spec.display()
        ))
    }
}

fn manifest(root: &Path) -> String {
    let read = |path: &str| std::fs::read_to_string(root.join(path)).unwrap_or_default();
    let workspace = read("Cargo.toml");
    let runtime = read("stripe-checkout/Cargo.toml");
    let table = |text: &str, header: &str| -> Vec<String> {
        text.split(header)
            .nth(1)
            .and_then(|rest| rest.split("\n[").next())
            .unwrap_or_default()
            .lines()
            .map(str::to_owned)
            .collect()
    };
    // The runtime's own features and dependencies, `x.workspace = true` resolved against the
    // workspace's table, so the copy compiles against exactly what the runtime declares.
    let shared = table(&workspace, "[workspace.dependencies]");
    let deps: Vec<String> = table(&runtime, "[dependencies]")
        .into_iter()
        .map(|line| match line.split_once(".workspace = true") {
            Some((name, _)) => shared
                .iter()
                .find(|l| {
                    l.split_once(" =")
                        .is_some_and(|(n, _)| n.trim() == name.trim())
                })
                .cloned()
                .unwrap_or(line),
            None => line,
        })
        .collect();
    format!(
        "# Scratch crate written by `cargo xtask whole-spec`; not part of the workspace.\n\
         [package]\nname = \"whole-spec\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n\
         [workspace]\n\n[features]{}\n[dependencies]{}\n\n[profile.dev]\ndebug = false\n",
        table(&runtime, "[features]").join("\n"),
        deps.join("\n")
    )
}

/// `stripe-checkout`'s `lib.rs` with each runtime module pointed at its source by `#[path]`, so
/// the scratch crate is the runtime plus the whole spec's generated tree (its own
/// `src/generated/`), and follows the runtime as it changes.
fn lib_rs(root: &Path) -> String {
    let src = root.join("stripe-checkout/src");
    let text = std::fs::read_to_string(src.join("lib.rs")).unwrap_or_default();
    let mut out = String::from(
        "// Written by `cargo xtask whole-spec` from stripe-checkout/src/lib.rs; do not edit.\n",
    );
    // Inside a multi-line `pub use` being left out, until its `;`.
    let mut skipping = false;
    for line in text.lines() {
        let trimmed = line.trim();
        if skipping {
            skipping = !trimmed.ends_with(';');
            continue;
        }
        // The shipped crate's documentation requirements are about its own API, not this copy.
        if trimmed.starts_with("#![deny(missing_docs)]") || trimmed.starts_with("#![deny(rustdoc") {
            continue;
        }
        if let Some(file) = trimmed
            .strip_prefix("#[path = \"")
            .and_then(|rest| rest.strip_suffix("\"]"))
        {
            out.push_str(&format!(
                "#[path = {:?}]\n",
                src.join(file).display().to_string()
            ));
            continue;
        }
        let module = trimmed
            .strip_prefix("pub mod ")
            .or_else(|| trimmed.strip_prefix("mod "))
            .and_then(|rest| rest.strip_suffix(';'));
        // Re-exports from a module left out below go too.
        let reexported = trimmed
            .strip_prefix("pub use ")
            .and_then(|rest| rest.split_once("::"))
            .map(|(name, _)| name);
        if reexported.is_some_and(|name| VERSION_SPECIFIC.contains(&name)) {
            skipping = !trimmed.ends_with(';');
            continue;
        }
        match module {
            // Hand-written shortcuts on the Checkout params of the shipped API version
            // (`ui_mode`, `return_url`, …); another spec version need not have those fields.
            Some(name) if VERSION_SPECIFIC.contains(&name) => continue,
            Some(name) if name != "generated" => {
                out.push_str(&format!(
                    "#[path = {:?}]\n",
                    src.join(format!("{name}.rs")).display().to_string()
                ));
            }
            _ => {}
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

fn remove_stale(dir: &Path, expected: &[String]) -> Result<(), String> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Ok(());
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.ends_with(".rs") && !expected.contains(&name) {
            std::fs::remove_file(entry.path()).map_err(|e| format!("removing {name}: {e}"))?;
        }
    }
    Ok(())
}

/// The process's peak resident set size (`VmHWM`), where Linux reports it.
fn peak_rss_mb() -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
            let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
            Some(format!("{:.0} MB", kb / 1024.0))
        })
        .unwrap_or_else(|| "unknown".to_owned())
}
