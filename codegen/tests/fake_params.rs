//! The fake's generated parameter tables and skeletons (`stripe-checkout-fake/src/generated/`)
//! for the committed Checkout subset: a snapshot, so a spec or generator change shows up as a
//! reviewable diff.

use std::path::Path;

fn spec_text() -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/checkout_session.yaml");
    std::fs::read_to_string(path).expect("spec/checkout_session.yaml is committed")
}

#[test]
fn fake_params_snapshot() {
    let file =
        codegen::emit_fake::generate_fake(&spec_text()).expect("the committed subset generates");
    assert_eq!(file.name, "params.rs");
    assert!(file.contents.starts_with(codegen::emit_fake::HEADER));
    insta::assert_snapshot!("fake_params.rs", file.contents);
}

#[test]
fn fake_tables_follow_the_spec() {
    let file = codegen::emit_fake::generate_fake(&spec_text()).unwrap();
    let text = &file.contents;
    // Six operations.
    assert_eq!(text.matches("    Operation { id: ").count(), 6);
    // `metadata` on update may be unset with `""`; on create it may not.
    assert!(text
        .contains(r#"Param { name: "metadata", kind: Kind::Map, required: false, empty_ok: true"#));
    assert!(text.contains(
        r#"Param { name: "metadata", kind: Kind::Map, required: false, empty_ok: false"#
    ));
    // maxLength and enum values come through.
    assert!(text.contains(r#"Param { name: "client_reference_id", kind: Kind::String, required: false, empty_ok: false, max_length: Some(200)"#));
    assert!(text.contains(r#"values: &["payment", "setup", "subscription"]"#));
}

#[test]
fn bad_specs_are_errors_not_panics() {
    let err = codegen::emit_fake::generate_fake("openapi: 3.0.0\ninfo: {version: x}\npaths: {}\n")
        .unwrap_err();
    assert!(err.message.contains("the fake needs this schema"), "{err}");
    let cyclic = r##"{"info":{"version":"x"},"paths":{"/v1/a":{"post":{"requestBody":{"content":{"application/x-www-form-urlencoded":{"schema":{"$ref":"#/components/schemas/a"}}}}}}},
      "components":{"schemas":{"a":{"type":"object","properties":{"a":{"$ref":"#/components/schemas/a"}}}}}}"##;
    assert!(codegen::emit_fake::generate_fake(cyclic).is_err());
}

/// Truncated and line-deleted versions of the real subset give `Ok` or `Err`, never a panic.
#[test]
fn mutated_subsets_do_not_panic() {
    let text = spec_text();
    let mut cut = 0;
    while cut < text.len() {
        if text.is_char_boundary(cut) {
            let _ = codegen::emit_fake::generate_fake(&text[..cut]);
        }
        cut += 3999;
    }
    let lines: Vec<&str> = text.lines().collect();
    for skip in (0..lines.len()).step_by(211) {
        let mutated: String = lines
            .iter()
            .enumerate()
            .filter(|(i, _)| *i != skip)
            .map(|(_, l)| format!("{l}\n"))
            .collect();
        let _ = codegen::emit_fake::generate_fake(&mutated);
    }
}
