//! The whole committed Checkout subset through the generator: a snapshot per generated file,
//! so a generator or spec change shows up as a reviewable diff.

use std::path::Path;

fn spec_text() -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/checkout_session.yaml");
    std::fs::read_to_string(path).expect("spec/checkout_session.yaml is committed")
}

#[test]
fn checkout_subset_snapshots() {
    let files = codegen::generate(&spec_text()).expect("the committed subset generates");
    if let Ok(dir) = std::env::var("CODEGEN_DUMP_DIR") {
        for file in &files {
            std::fs::write(Path::new(&dir).join(&file.name), &file.contents).unwrap();
        }
    }
    for file in &files {
        insta::assert_snapshot!(file.name.clone(), file.contents);
    }
}

#[test]
fn generation_is_deterministic() {
    let text = spec_text();
    assert_eq!(
        codegen::generate(&text).unwrap(),
        codegen::generate(&text).unwrap()
    );
}
