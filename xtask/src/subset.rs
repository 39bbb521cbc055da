//! `cargo xtask subset --from <spec> [--out <file>]`: writes `spec/checkout_session.yaml`, or
//! `<file>` (e.g. `spec/history/checkout_session.<version>.yaml`, the previous subset kept so the
//! changelog's api-diff can be checked without the whole spec).

use std::path::Path;

use codegen::subset::{extract, render, CHECKOUT_PATHS};

use crate::{ensure_file_contents, project_root};

pub fn run(from: &Path, out: Option<&Path>) -> Result<(), String> {
    let text =
        std::fs::read_to_string(from).map_err(|e| format!("reading {}: {e}", from.display()))?;
    let is_json = from.extension().is_some_and(|e| e == "json");
    let spec: serde_json::Value = if is_json {
        serde_json::from_str(&text).map_err(|e| format!("{}: invalid JSON: {e}", from.display()))?
    } else {
        serde_yaml::from_str(&text).map_err(|e| format!("{}: invalid YAML: {e}", from.display()))?
    };
    let subset = extract(&spec, &CHECKOUT_PATHS).map_err(|e| format!("{}: {e}", from.display()))?;
    let contents = render(&subset).map_err(|e| e.to_string())?;
    let out = match out {
        Some(out) => out.to_path_buf(),
        None => project_root().join("spec/checkout_session.yaml"),
    };
    let written = ensure_file_contents(&out, &contents)?;
    println!(
        "subset of {} (API {}): {} paths, {} operations, {} schemas kept, {} expansion targets pruned to id stubs, {} bytes{}",
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
    Ok(())
}
