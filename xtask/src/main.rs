//! Project automation: `cargo xtask subset --from <spec>`, `cargo xtask regen [--check]`,
//! `cargo xtask api-diff OLD NEW`, `cargo xtask whole-spec [--check]` (the generator's reach over
//! a whole Stripe spec), and the maintainer benchmarks `bench`, `bench-build` and `bench-codegen` (slow;
//! not run in CI).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

mod api_diff;
mod bench;
mod bench_build;
mod bench_codegen;
mod msrv;
mod regen;
mod subset;
mod whole_spec;

const USAGE: &str = "\
usage:
  cargo xtask subset --from <stripe spec3.json|yaml> [--out <file>]
                                                       extract spec/checkout_session.yaml and
                                                       spec/fake_resources.yaml (or only <file>)
  cargo xtask regen [--check]                          regenerate stripe-checkout/src/generated
                                                       (--check: fail if committed files differ)
  cargo xtask api-diff <old spec> <new spec>           Markdown report of what an upgrade changes
                                                       for Rust users (full specs or subsets)
  cargo xtask bench [--quick]                          runtime speed vs async-stripe, serde_json::Value and
                                                       raw reqwest: decode, encode, memory, loopback req/s
  cargo xtask bench-build [--runs N]                   clean build time and binary size of a minimal app
                                                       vs. plain reqwest (slow; N runs, default 1)
  cargo run --release -p xtask -- bench-codegen [--runs N] [--spec <path>]
                                                       time each generator stage against a baseline
                                                       (N runs, default 20; default spec: the subset)
  cargo xtask whole-spec [--check] [--spec <path>]...  generate a whole Stripe spec (default: both in
                                                       ../shared/stripe-openapi) into target/whole-spec/,
                                                       listing what was skipped (--check: cargo check it)";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("subset") => match args.get(1..).unwrap_or_default() {
            [flag, from] if flag == "--from" => subset::run(Path::new(from), None),
            [flag, from, out_flag, out] if flag == "--from" && out_flag == "--out" => {
                subset::run(Path::new(from), Some(Path::new(out)))
            }
            _ => Err(format!(
                "expected `subset --from <path> [--out <file>]`\n{USAGE}"
            )),
        },
        Some("regen") => match args.get(1..).unwrap_or_default() {
            [] => regen::run(false),
            [flag] if flag == "--check" => regen::run(true),
            _ => Err(format!("unexpected arguments to regen\n{USAGE}")),
        },
        Some("api-diff") => match args.get(1..).unwrap_or_default() {
            [old, new] => api_diff::run(Path::new(old), Path::new(new)),
            _ => Err(format!(
                "expected `api-diff <old spec> <new spec>`\n{USAGE}"
            )),
        },
        Some("bench") => bench::run(args.get(1..).unwrap_or_default()),
        Some("bench-build") => runs(&args, 1).and_then(bench_build::run),
        Some("bench-codegen") => bench_codegen_args(&args)
            .and_then(|(runs, spec)| bench_codegen::run(runs, spec.as_deref())),
        Some("whole-spec") => whole_spec::run(args.get(1..).unwrap_or_default()),
        // Internal: one spec per process, so each reports its own peak memory.
        Some("whole-spec-one") => whole_spec::run_one(args.get(1..).unwrap_or_default()),
        _ => Err(USAGE.to_owned()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

/// `bench-codegen [--runs N] [--spec <path>]`.
fn bench_codegen_args(args: &[String]) -> Result<(usize, Option<String>), String> {
    let mut rest: Vec<String> = args.get(1..).unwrap_or_default().to_vec();
    let spec = match rest.iter().position(|a| a == "--spec") {
        Some(i) if i + 1 < rest.len() => {
            let spec = rest.remove(i + 1);
            rest.remove(i);
            Some(spec)
        }
        Some(_) => return Err("--spec expects a path".to_owned()),
        None => None,
    };
    let mut with_command = vec![String::new()];
    with_command.extend(rest);
    Ok((runs(&with_command, 20)?, spec))
}

/// The `[--runs N]` of a benchmark command, `default` when absent.
fn runs(args: &[String], default: usize) -> Result<usize, String> {
    match args.get(1..).unwrap_or_default() {
        [] => Ok(default),
        [flag, n] if flag == "--runs" => match n.parse() {
            Ok(runs) if runs > 0 => Ok(runs),
            _ => Err(format!("--runs expects a positive number, got `{n}`")),
        },
        _ => Err(format!("unexpected arguments\n{USAGE}")),
    }
}

/// The workspace root (the parent of this crate's manifest dir).
pub fn project_root() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().unwrap_or(manifest).to_path_buf()
}

/// Writes `contents` to `path` only if it differs, so unchanged files keep their mtime and
/// cargo does not rebuild. Returns whether the file was written.
pub fn ensure_file_contents(path: &Path, contents: &str) -> Result<bool, String> {
    if std::fs::read_to_string(path).is_ok_and(|old| old == contents) {
        return Ok(false);
    }
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| format!("creating {}: {e}", dir.display()))?;
    }
    std::fs::write(path, contents).map_err(|e| format!("writing {}: {e}", path.display()))?;
    Ok(true)
}
