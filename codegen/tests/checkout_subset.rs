//! The whole committed Checkout subset through the generator. Its snapshot is a compact listing
//! of the API as the IR sees it (types, fields with wire names and Rust types, enums and their
//! values, operations and params), so a spec upgrade or generator change shows up as a short,
//! reviewable diff of what changed for users; the generated code itself is guarded by
//! `cargo xtask regen --check`, and each construct's code by `constructs.rs`.

use std::path::Path;

fn spec_text() -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/checkout_session.yaml");
    std::fs::read_to_string(path).expect("spec/checkout_session.yaml is committed")
}

#[test]
fn checkout_subset_api_listing() {
    let text = spec_text();
    let files = codegen::generate(&text).expect("the committed subset generates");
    if let Ok(dir) = std::env::var("CODEGEN_DUMP_DIR") {
        for file in &files {
            std::fs::write(Path::new(&dir).join(&file.name), &file.contents).unwrap();
        }
    }
    let spec = codegen::spec::Spec::from_yaml(&text).unwrap();
    let ir = codegen::support::set_aside_unsupported(codegen::ir(&spec).unwrap());
    insta::assert_snapshot!("api", codegen::listing::listing(&ir));
}

#[test]
fn generation_is_deterministic() {
    let text = spec_text();
    assert_eq!(
        codegen::generate(&text).unwrap(),
        codegen::generate(&text).unwrap()
    );
}
