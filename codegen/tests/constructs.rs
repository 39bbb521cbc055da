//! One small spec per construct the generator handles, snapshotted, so a change to how any
//! construct is emitted shows up as a focused diff.

use std::path::Path;

fn generate_fixture(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(format!("{name}.yaml"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let output = codegen::generate_with_report(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
    let mut parts: Vec<String> = output
        .files
        .iter()
        .filter(|f| f.name != "mod.rs")
        .map(|f| format!("==> {} <==\n{}", f.name, f.contents))
        .collect();
    if !output.skipped.is_empty() {
        let skipped: Vec<String> = output
            .skipped
            .iter()
            .map(|s| format!("{}: {}", s.pointer, s.reason))
            .collect();
        parts.push(format!("==> skipped <==\n{}\n", skipped.join("\n")));
    }
    parts.join("\n")
}

macro_rules! construct {
    ($($name:ident),* $(,)?) => {$(
        #[test]
        fn $name() {
            insta::assert_snapshot!(stringify!($name), generate_fixture(stringify!($name)));
        }
    )*};
}

construct!(
    struct_docs,
    nullable,
    enums,
    expandable,
    union,
    nested_inline,
    name_collision,
    maps_and_timestamps,
    recursive,
    operations,
    keywords,
    untagged_union,
    method_names,
    encodings,
    endpoint_group_names,
);

/// The IR listing of the encodings fixture: each operation's body encoding, a binary response and
/// an operation's own origin, as `cargo xtask api-diff` and reviewers read them.
#[test]
fn encodings_listing() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/encodings.yaml");
    let text = std::fs::read_to_string(path).unwrap();
    let spec = codegen::spec::Spec::from_yaml(&text).unwrap();
    let ir = codegen::ir(&spec).unwrap();
    insta::assert_snapshot!("encodings_listing", codegen::listing::listing(&ir));
}
