//! `cargo xtask regen [--check]`: generates `stripe-checkout/src/generated/` from
//! `spec/checkout_session.yaml`, and the fake's tables from it and `spec/fake_resources.yaml`.

use std::path::Path;
use std::time::Instant;

use crate::{ensure_file_contents, project_root};

/// The spec subset the crate is generated from.
pub const SPEC: &str = "spec/checkout_session.yaml";
/// The other objects the fake serves (its catalogue), beside Checkout's.
pub const FAKE_SPEC: &str = crate::subset::FAKE_SPEC;
/// Where the generated files live.
pub const OUT_DIR: &str = "stripe-checkout/src/generated";
/// Where the fake's generated parameter tables and object skeletons live.
pub const FAKE_OUT_DIR: &str = "stripe-checkout-fake/src/generated";

pub fn run(check: bool) -> Result<(), String> {
    let root = project_root();
    let started = Instant::now();
    let text =
        std::fs::read_to_string(root.join(SPEC)).map_err(|e| format!("reading {SPEC}: {e}"))?;
    let files = codegen::generate(&text).map_err(|e| format!("{SPEC}: {e}"))?;
    let fake_text = std::fs::read_to_string(root.join(FAKE_SPEC))
        .map_err(|e| format!("reading {FAKE_SPEC}: {e}"))?;
    let specs = [
        codegen::spec::Spec::from_yaml(&text).map_err(|e| format!("{SPEC}: {e}"))?,
        codegen::spec::Spec::from_yaml(&fake_text).map_err(|e| format!("{FAKE_SPEC}: {e}"))?,
    ];
    let fake =
        codegen::emit::fake::emit_fake(&specs).map_err(|e| format!("{SPEC}, {FAKE_SPEC}: {e}"))?;
    let elapsed = started.elapsed();

    let mut drifted = Vec::new();
    let mut lines = 0;
    write_or_check(OUT_DIR, &files, check, &mut drifted, &mut lines)?;
    write_or_check(FAKE_OUT_DIR, &[fake], check, &mut drifted, &mut lines)?;

    if !drifted.is_empty() {
        return Err(format!(
            "generated code is out of date with {SPEC}; run `cargo xtask regen` and commit the result.\n\n{}",
            drifted.join("\n")
        ));
    }
    println!(
        "{} files, {lines} lines generated from {SPEC} in {:.0} ms{}",
        files.len() + 1,
        elapsed.as_secs_f64() * 1000.0,
        if check { "; up to date" } else { "" }
    );
    Ok(())
}

/// Writes (or with `check`, compares) `files` under `dir`, removing files it no longer holds.
fn write_or_check(
    dir: &str,
    files: &[codegen::GeneratedFile],
    check: bool,
    drifted: &mut Vec<String>,
    lines: &mut usize,
) -> Result<(), String> {
    let out_dir = project_root().join(dir);
    for file in files {
        *lines += file.contents.lines().count();
        let path = out_dir.join(&file.name);
        if check {
            let current = std::fs::read_to_string(&path).unwrap_or_default();
            if current != file.contents {
                drifted.push(format!(
                    "{dir}/{}\n{}",
                    file.name,
                    short_diff(&current, &file.contents)
                ));
            }
        } else if ensure_file_contents(&path, &file.contents)? {
            println!("wrote {dir}/{}", file.name);
        }
    }
    // Files the generator no longer produces are drift too.
    let expected: Vec<&str> = files.iter().map(|f| f.name.as_str()).collect();
    for stale in stale_files(&out_dir, &expected)? {
        if check {
            drifted.push(format!("{dir}/{stale}: no longer generated"));
        } else {
            std::fs::remove_file(out_dir.join(&stale))
                .map_err(|e| format!("removing {stale}: {e}"))?;
            println!("removed {dir}/{stale}");
        }
    }
    Ok(())
}

fn stale_files(dir: &Path, expected: &[&str]) -> Result<Vec<String>, String> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Ok(Vec::new());
    };
    let mut stale = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| format!("listing {}: {e}", dir.display()))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.ends_with(".rs") && !expected.contains(&name.as_str()) {
            stale.push(name);
        }
    }
    stale.sort();
    Ok(stale)
}

/// The first few differing lines, enough to see what drifted.
fn short_diff(old: &str, new: &str) -> String {
    let old_lines: Vec<&str> = old.lines().collect();
    let new_lines: Vec<&str> = new.lines().collect();
    let mut out = Vec::new();
    for i in 0..old_lines.len().max(new_lines.len()) {
        let (a, b) = (old_lines.get(i), new_lines.get(i));
        if a != b {
            if let Some(a) = a {
                out.push(format!("  {:>5} - {a}", i + 1));
            }
            if let Some(b) = b {
                out.push(format!("  {:>5} + {b}", i + 1));
            }
        }
        if out.len() >= 10 {
            out.push("  …".to_owned());
            break;
        }
    }
    out.join("\n")
}

#[cfg(test)]
mod tests {
    /// The committed generated code matches what the committed spec produces (the same check as
    /// `cargo xtask regen --check`, so plain `cargo test` catches drift too).
    /// The spec's descriptions link to Stripe's docs by path, which is broken on docs.rs: the
    /// generated docs must carry absolute links only.
    #[test]
    fn generated_docs_have_no_site_relative_links() {
        let dir = crate::project_root().join("stripe-checkout/src/generated");
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            let text = std::fs::read_to_string(&path).unwrap();
            for bad in ["](/", "<a href"] {
                assert!(!text.contains(bad), "{} has a `{bad}` link", path.display());
            }
        }
    }

    #[test]
    fn generated_code_is_up_to_date() {
        if let Err(message) = super::run(true) {
            panic!("{message}");
        }
    }
}
