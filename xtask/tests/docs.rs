//! Every Rust example of the repository's own pages (`README.md`, `docs/*.md`) is compiled:
//! each is a word-for-word copy of an example that the tests build. Those live in the published
//! crates, so they are compiled from the crates' tarballs too: the crates' READMEs (doctests,
//! through `include_str!` in each `lib.rs`) and, for the fake's whole test, the part of
//! `stripe-checkout-fake/tests/readme.rs` between its markers. The pages themselves are not in
//! any package, so the copies are checked here, in the workspace's unpublished tool.

use std::fs;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn read(path: &str) -> String {
    fs::read_to_string(root().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The fenced blocks whose info string starts with `rust`, each with its fences.
fn rust_blocks(markdown: &str) -> Vec<String> {
    let mut blocks = Vec::new();
    let mut current: Option<String> = None;
    for line in markdown.lines() {
        match &mut current {
            None if line.starts_with("```rust") => current = Some(format!("{line}\n")),
            None => {}
            Some(block) => {
                block.push_str(line);
                block.push('\n');
                if line == "```" {
                    blocks.push(current.take().unwrap());
                }
            }
        }
    }
    assert!(current.is_none(), "an unclosed ```rust block");
    blocks
}

/// The fake's whole test, as `docs/TESTING.md` shows it.
fn fake_test_example() -> String {
    let test = read("stripe-checkout-fake/tests/readme.rs");
    let (_, rest) = test.split_once("// docs/TESTING.md:start\n").unwrap();
    let (example, _) = rest.split_once("// docs/TESTING.md:end").unwrap();
    format!("```rust,ignore\n{example}```\n")
}

#[test]
fn every_rust_example_of_the_pages_is_a_copy_of_a_compiled_one() {
    // Compiled: the crates' READMEs are doctests; the fake's test file is a test.
    let compiled_readmes = [
        read("stripe-checkout/README.md"),
        read("stripe-checkout-fake/README.md"),
    ];
    let fake_test = fake_test_example();

    let mut pages = vec![PathBuf::from("README.md")];
    for entry in fs::read_dir(root().join("docs")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "md") {
            pages.push(path.strip_prefix(root()).unwrap().to_path_buf());
        }
    }

    let mut checked = 0;
    for page in &pages {
        let text = read(page.to_str().unwrap());
        for block in rust_blocks(&text) {
            let home = if block.starts_with("```rust,ignore\n") {
                block == fake_test
            } else {
                compiled_readmes
                    .iter()
                    .any(|readme| readme.contains(&block))
            };
            assert!(
                home,
                "{}: this example is not a copy of a compiled one (stripe-checkout/README.md, \
                 stripe-checkout-fake/README.md, or stripe-checkout-fake/tests/readme.rs between \
                 its markers for a `rust,ignore` test); copy it from there:\n{block}",
                page.display()
            );
            checked += 1;
        }
    }
    // The front page's create-and-redirect and webhook handler, and the fake's test.
    assert!(checked >= 3, "only {checked} examples found");
}

#[test]
fn the_front_page_shows_the_two_commands() {
    let readme = read("README.md");
    for command in ["cargo xtask regen", "cargo test --workspace"] {
        assert!(readme.contains(command), "README.md lacks `{command}`");
    }
}
