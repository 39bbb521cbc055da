//! Project automation: `cargo xtask subset --from <spec>`, `cargo xtask regen [--check]`, and
//! the maintainer benchmarks `bench`, `bench-build` and `bench-codegen` (slow; not run in CI).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

mod bench;
mod bench_build;
mod bench_codegen;
mod regen;
mod subset;

const USAGE: &str = "\
usage:
  cargo xtask subset --from <stripe spec3.json|yaml>   extract spec/checkout_session.yaml
  cargo xtask regen [--check]                          regenerate stripe-checkout/src/generated
                                                       (--check: fail if committed files differ)
  cargo xtask bench [--quick]                          runtime speed vs async-stripe, serde_json::Value and
                                                       raw reqwest: decode, encode, memory, loopback req/s
  cargo xtask bench-build [--runs N]                   clean build time and binary size of a minimal app
                                                       vs. plain reqwest (slow; N runs, default 1)
  cargo run --release -p xtask -- bench-codegen [--runs N]
                                                       time each generator stage against a baseline
                                                       (N runs, default 20)";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("subset") => match args.get(1..).unwrap_or_default() {
            [flag, from] if flag == "--from" => subset::run(Path::new(from)),
            _ => Err(format!("expected `subset --from <path>`\n{USAGE}")),
        },
        Some("regen") => match args.get(1..).unwrap_or_default() {
            [] => regen::run(false),
            [flag] if flag == "--check" => regen::run(true),
            _ => Err(format!("unexpected arguments to regen\n{USAGE}")),
        },
        Some("bench") => bench::run(args.get(1..).unwrap_or_default()),
        Some("bench-build") => runs(&args, 1).and_then(bench_build::run),
        Some("bench-codegen") => runs(&args, 20).and_then(bench_codegen::run),
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
