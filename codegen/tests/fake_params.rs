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

/// The text without whitespace or trailing commas, so checks read the tables, not prettyplease's
/// line breaks.
fn squash(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .replace(",]", "]")
        .replace(",}", "}")
        .replace(",)", ")")
}

#[test]
fn catalogue_operations_and_skeletons_come_from_the_second_spec() {
    let file = codegen::emit::fake::generate_fake(&[&spec_text(), &resources_text()]).unwrap();
    assert_eq!(file.name, "params.rs");
    assert!(file.contents.starts_with(codegen::emit::FAKE_HEADER));
    let text = squash(&file.contents);
    assert_eq!(text.matches("Operation{id:").count(), 6 + 53);
    assert!(text.contains(&squash(
        r#"Operation { id: "PostCoupons", op: OpId::PostCoupons, method: "POST", path: "/v1/coupons""#
    )));
    // Skeletons of whole schemas, never of the Checkout subset's identity stubs.
    let product = text
        .split(r####"("product",r###""####)
        .nth(1)
        .and_then(|rest| rest.split(r####""###"####).next())
        .expect("a product skeleton");
    assert!(product.contains(r#""default_price":null"#), "{product}");
    assert!(text.contains(r####"("promotion_code",r###""####));
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
        let start = text
            .find(&format!("({name:?},r###\""))
            .unwrap_or_else(|| panic!("a {name} skeleton"));
        let skeleton = &text[start..];
        let end = skeleton.find("\"###)").unwrap_or(skeleton.len());
        assert!(
            end > 200,
            "{name} is more than an identity stub: {}",
            &skeleton[..end]
        );
    }
    assert!(text.contains(&squash(r#"Operation { id: "DeleteSubscriptionsSubscriptionExposedId", op: OpId::DeleteSubscriptionsSubscriptionExposedId, method: "DELETE", path: "/v1/subscriptions/{subscription_exposed_id}""#)));
    assert!(text.contains(&squash(
        r#"Operation { id: "GetEvents", op: OpId::GetEvents, method: "GET", path: "/v1/events""#
    )));
}

#[test]
fn fake_tables_follow_the_spec() {
    let file = codegen::emit::fake::generate_fake(&[&spec_text(), &resources_text()]).unwrap();
    let text = squash(&file.contents);
    let has = |pattern: &str| text.contains(&squash(pattern));
    // `metadata` on update may be unset with `""`; on create it may not.
    assert!(has(
        r#"Param { name: "metadata", kind: Kind::Map, required: false, empty_ok: true"#
    ));
    assert!(has(
        r#"Param { name: "metadata", kind: Kind::Map, required: false, empty_ok: false"#
    ));
    // maxLength and enum values come through.
    assert!(has(
        r#"Param { name: "client_reference_id", kind: Kind::String, required: false, empty_ok: false, max_length: Some(200)"#
    ));
    assert!(has(r#"values: &["payment", "setup", "subscription"]"#));
}

#[test]
fn bad_specs_are_errors_not_panics() {
    let err =
        codegen::emit::fake::generate_fake(&["openapi: 3.0.0\ninfo: {version: x}\npaths: {}\n"])
            .unwrap_err();
    assert!(err.message.contains("the fake needs this schema"), "{err}");
    let cyclic = r##"{"info":{"version":"x"},"paths":{"/v1/a":{"post":{"requestBody":{"content":{"application/x-www-form-urlencoded":{"schema":{"$ref":"#/components/schemas/a"}}}}}}},
      "components":{"schemas":{"a":{"type":"object","properties":{"a":{"$ref":"#/components/schemas/a"}}}}}}"##;
    assert!(codegen::emit::fake::generate_fake(&[cyclic]).is_err());
}

/// Truncated and line-deleted versions of the real subset give `Ok` or `Err`, never a panic.
#[test]
fn mutated_subsets_do_not_panic() {
    let text = spec_text();
    let mut cut = 0;
    while cut < text.len() {
        if text.is_char_boundary(cut) {
            let _ = codegen::emit::fake::generate_fake(&[&text[..cut]]);
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
        let _ = codegen::emit::fake::generate_fake(&[&mutated]);
    }
}
