//! `cargo xtask subset --from <spec> [--out <file>]`: writes `spec/checkout_session.yaml` (what
//! the client and the fake are generated from) and `spec/fake_resources.yaml` (the other objects
//! the fake serves), or with `--out` only the Checkout subset to `<file>` (e.g.
//! `spec/history/checkout_session.<version>.yaml`, the previous subset kept so the changelog's
//! api-diff can be checked without the whole spec).

use std::path::Path;

use codegen::subset::{extract, render_titled, CHECKOUT_PATHS, FAKE_PATHS};

use crate::{ensure_file_contents, project_root};

/// The fake's own subset, beside the Checkout one.
pub const FAKE_SPEC: &str = "spec/fake_resources.yaml";

pub fn run(from: &Path, out: Option<&Path>) -> Result<(), String> {
    let text =
        std::fs::read_to_string(from).map_err(|e| format!("reading {}: {e}", from.display()))?;
    let is_json = from.extension().is_some_and(|e| e == "json");
    let spec: serde_json::Value = if is_json {
        serde_json::from_str(&text).map_err(|e| format!("{}: invalid JSON: {e}", from.display()))?
    } else {
        serde_yaml::from_str(&text).map_err(|e| format!("{}: invalid YAML: {e}", from.display()))?
    };
    let checkout = project_root().join("spec/checkout_session.yaml");
    let mut jobs: Vec<(&[&str], &str, std::path::PathBuf)> = vec![(
        &CHECKOUT_PATHS,
        "Checkout Sessions",
        out.map_or(checkout, Path::to_path_buf),
    )];
    if out.is_none() {
        jobs.push((
            &FAKE_PATHS,
            "the objects stripe-checkout-fake serves beside Checkout Sessions",
            project_root().join(FAKE_SPEC),
        ));
    }
    for (paths, what, out) in jobs {
        let subset = extract(&spec, paths).map_err(|e| format!("{}: {e}", from.display()))?;
        let contents = render_titled(&subset, what).map_err(|e| e.to_string())?;
        let written = ensure_file_contents(&out, &contents)?;
        println!(
            "{}: subset of {} (API {}): {} paths, {} operations, {} schemas kept, {} expansion targets pruned to id stubs, {} bytes{}",
            out.display(),
            from.display(),
            subset.api_version,
            subset.paths.len(),
            subset.operations,
            subset.kept.len(),
            subset.pruned.len(),
            contents.len(),
            if written { "" } else { " (unchanged)" }
        );
        println!("pruned: {}", subset.pruned.join(", "));
    }
    Ok(())
}
