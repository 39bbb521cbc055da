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
    let mut ir = codegen::lower::lower(&spec).unwrap();
    codegen::support::set_aside_unsupported(&mut ir);
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

/// Generated types are re-exported at the crate root beside the runtime's; the generator holds
/// back the runtime's names, and that list must follow `lib.rs`.
#[test]
fn type_names_avoid_every_runtime_root_type() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../stripe-checkout/src/lib.rs");
    let source = std::fs::read_to_string(path).unwrap();
    let mut exported = Vec::new();
    for statement in source.split(';') {
        let statement = statement.trim();
        let Some(rest) = statement.strip_prefix("pub use ") else {
            continue;
        };
        let names = match rest.split_once('{') {
            Some((_, list)) => list.trim_end_matches('}').to_owned(),
            None => rest.rsplit("::").next().unwrap_or_default().to_owned(),
        };
        exported.extend(
            names
                .split(',')
                .map(str::trim)
                .filter(|n| n.starts_with(|c: char| c.is_ascii_uppercase()))
                .map(str::to_owned),
        );
    }
    if let Some(line) = source.lines().find(|l| l.starts_with("pub type ")) {
        let name: String = line["pub type ".len()..]
            .chars()
            .take_while(char::is_ascii_alphanumeric)
            .collect();
        exported.push(name);
    }
    assert!(exported.len() > 20, "{exported:?}");
    for name in &exported {
        assert!(
            codegen::names::RUNTIME_TYPES.contains(&name.as_str()),
            "`{name}` is missing from codegen::names::RUNTIME_TYPES"
        );
    }
}
