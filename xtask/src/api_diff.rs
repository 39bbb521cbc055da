//! `cargo xtask api-diff OLD NEW`: what upgrading from spec OLD to spec NEW changes for users of
//! the generated crate, as Markdown on stdout (for `stripe-checkout/CHANGELOG.md`). Each may be
//! a full Stripe spec (JSON or YAML) or a Checkout subset such as `spec/checkout_session.yaml`.

use std::path::Path;

pub fn run(old: &Path, new: &Path) -> Result<(), String> {
    let (old_doc, new_doc) = (read(old)?, read(new)?);
    let report = codegen::diff::report(&old_doc, &new_doc).map_err(|e| e.to_string())?;
    print!("{report}");
    Ok(())
}

fn read(path: &Path) -> Result<serde_json::Value, String> {
    let text =
        std::fs::read_to_string(path).map_err(|e| format!("reading {}: {e}", path.display()))?;
    if path.extension().is_some_and(|e| e == "json") {
        serde_json::from_str(&text).map_err(|e| format!("{}: invalid JSON: {e}", path.display()))
    } else {
        serde_yaml::from_str(&text).map_err(|e| format!("{}: invalid YAML: {e}", path.display()))
    }
}

#[cfg(test)]
mod tests {
    use crate::project_root;

    /// `stripe-checkout/CHANGELOG.md` carries the tool's report for the 2023 → current upgrade,
    /// word for word, so the changelog cannot drift from what the tool says. Both sides are
    /// committed subsets (the previous one is kept under `spec/history/`), so this runs on a
    /// plain clone.
    #[test]
    fn changelog_carries_the_api_diff_of_the_last_upgrade() {
        let root = project_root();
        let old = super::read(&root.join("spec/history/checkout_session.2023-08-16.yaml")).unwrap();
        let new = super::read(&root.join("spec/checkout_session.yaml")).unwrap();
        let report = codegen::diff::report(&old, &new).unwrap();
        let changelog = std::fs::read_to_string(root.join("stripe-checkout/CHANGELOG.md")).unwrap();
        let start = "<!-- api-diff:start -->\n";
        let section = changelog
            .split_once(start)
            .and_then(|(_, rest)| rest.split_once("<!-- api-diff:end -->"))
            .map(|(section, _)| section)
            .expect("CHANGELOG.md has an api-diff section");
        assert_eq!(
            section, report,
            "rerun `cargo xtask api-diff` into CHANGELOG.md"
        );
    }
}
