//! One small spec per construct the generator handles, snapshotted, so a change to how any
//! construct is emitted shows up as a focused diff.

use std::path::Path;

fn generate_fixture(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(format!("{name}.yaml"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let files = codegen::generate(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
    files
        .iter()
        .filter(|f| f.name != "mod.rs")
        .map(|f| format!("==> {} <==\n{}", f.name, f.contents))
        .collect::<Vec<_>>()
        .join("\n")
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
);
