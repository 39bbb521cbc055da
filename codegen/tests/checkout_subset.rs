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

/// Endpoint-group accessors are methods on `Client`; the generator holds back the runtime's own
/// method names, and that list must follow `client.rs`.
#[test]
fn accessors_avoid_every_client_method() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../stripe-checkout/src/client.rs");
    let source = std::fs::read_to_string(path).unwrap();
    let start = source
        .find("\nimpl Client {")
        .expect("client.rs has `impl Client`");
    let body = &source[start..];
    let end = body.find("\n}\n").unwrap_or(body.len());
    for line in body[..end].lines() {
        let Some((_, rest)) = line.split_once("fn ") else {
            continue;
        };
        let name: String = rest
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        assert!(
            codegen::lower::CLIENT_METHODS.contains(&name.as_str()),
            "`Client::{name}` is missing from codegen::lower::CLIENT_METHODS"
        );
    }
}
