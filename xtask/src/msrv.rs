//! The workspace's declared `rust-version` must be true of the committed lockfile: no locked
//! dependency may need a newer Rust than the one the crates say they build with.

#[cfg(test)]
mod tests {
    use std::process::Command;

    use crate::project_root;

    /// `major.minor[.patch]` as numbers, for comparing versions.
    fn version(text: &str) -> Vec<u64> {
        text.split('.')
            .map(|part| part.parse().unwrap_or(0))
            .collect()
    }

    #[test]
    fn no_locked_dependency_needs_a_newer_rust_than_declared() {
        let root = project_root();
        let manifest = std::fs::read_to_string(root.join("Cargo.toml")).unwrap();
        let declared = manifest
            .lines()
            .find_map(|line| line.strip_prefix("rust-version = "))
            .map(|v| v.trim().trim_matches('"').to_owned())
            .expect("the workspace declares rust-version");
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
        let output = Command::new(cargo)
            .args(["metadata", "--format-version", "1", "--locked"])
            .current_dir(&root)
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "cargo metadata: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        let metadata: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
        let packages = metadata["packages"].as_array().unwrap();
        assert!(packages.len() > 50, "{} packages", packages.len());
        let too_new: Vec<String> = packages
            .iter()
            .filter_map(|p| {
                let needs = p["rust_version"].as_str()?;
                (version(needs) > version(&declared))
                    .then(|| format!("{} {} needs Rust {needs}", p["name"], p["version"]))
            })
            .collect();
        assert!(
            too_new.is_empty(),
            "the workspace declares rust-version = {declared}, but the lockfile has:\n{}",
            too_new.join("\n")
        );
    }
}
