//! The fake's generated parameter tables and skeletons (`stripe-checkout-fake/src/generated/`)
//! for the committed subsets. No snapshot: the generated file itself is committed and guarded by
//! `cargo xtask regen --check`, so a change shows up once, as its diff.

use std::path::Path;

fn spec_text() -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/checkout_session.yaml");
    std::fs::read_to_string(path).expect("spec/checkout_session.yaml is committed")
}

fn resources_text() -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/fake_resources.yaml");
    std::fs::read_to_string(path).expect("spec/fake_resources.yaml is committed")
}

#[test]
fn catalogue_operations_and_skeletons_come_from_the_second_spec() {
    let file = codegen::emit_fake::generate_fake(&[&spec_text(), &resources_text()]).unwrap();
    assert_eq!(file.name, "params.rs");
    assert!(file.contents.starts_with(codegen::emit_fake::HEADER));
    let text = &file.contents;
    assert_eq!(text.matches("    Operation { id: ").count(), 6 + 53);
    assert!(text.contains(r#"Operation { id: "PostCoupons", op: OpId::PostCoupons, method: "POST", path: "/v1/coupons""#));
    // Skeletons of whole schemas, never of the Checkout subset's identity stubs.
    let product = text
        .lines()
        .find(|l| l.starts_with(r#"    ("product", "#))
        .expect("a product skeleton");
    assert!(product.contains(r#""default_price":null"#), "{product}");
    assert!(text.contains(r#"    ("promotion_code", "#));
    // What a completed session leaves behind: whole objects, never stubs.
    for name in [
        "customer",
        "payment_intent",
        "subscription",
        "subscription_item",
        "invoice",
        "line_item",
        "setup_intent",
        "charge",
        "payment_method",
    ] {
        let line = text
            .lines()
            .find(|l| l.starts_with(&format!("    ({name:?}, ")))
            .unwrap_or_else(|| panic!("a {name} skeleton"));
        assert!(
            line.len() > 200,
            "{name} is more than an identity stub: {line}"
        );
    }
    assert!(text.contains(r#"Operation { id: "DeleteSubscriptionsSubscriptionExposedId", op: OpId::DeleteSubscriptionsSubscriptionExposedId, method: "DELETE", path: "/v1/subscriptions/{subscription_exposed_id}""#));
    assert!(text.contains(
        r#"Operation { id: "GetEvents", op: OpId::GetEvents, method: "GET", path: "/v1/events""#
    ));
}

#[test]
fn fake_tables_follow_the_spec() {
    let file = codegen::emit_fake::generate_fake(&[&spec_text(), &resources_text()]).unwrap();
    let text = &file.contents;
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
    let err =
        codegen::emit_fake::generate_fake(&["openapi: 3.0.0\ninfo: {version: x}\npaths: {}\n"])
            .unwrap_err();
    assert!(err.message.contains("the fake needs this schema"), "{err}");
    let cyclic = r##"{"info":{"version":"x"},"paths":{"/v1/a":{"post":{"requestBody":{"content":{"application/x-www-form-urlencoded":{"schema":{"$ref":"#/components/schemas/a"}}}}}}},
      "components":{"schemas":{"a":{"type":"object","properties":{"a":{"$ref":"#/components/schemas/a"}}}}}}"##;
    assert!(codegen::emit_fake::generate_fake(&[cyclic]).is_err());
}

/// Truncated and line-deleted versions of the real subset give `Ok` or `Err`, never a panic.
#[test]
fn mutated_subsets_do_not_panic() {
    let text = spec_text();
    let mut cut = 0;
    while cut < text.len() {
        if text.is_char_boundary(cut) {
            let _ = codegen::emit_fake::generate_fake(&[&text[..cut]]);
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
        let _ = codegen::emit_fake::generate_fake(&[&mutated]);
    }
}
