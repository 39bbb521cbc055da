//! `codegen::diff` on two small specs that make every kind of change once, snapshotted; and the
//! real upgrade's headline numbers.

use std::path::Path;

fn fixture(name: &str) -> serde_json::Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(format!("api_diff_{name}"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_yaml::from_str(&text).unwrap()
}

#[test]
fn every_kind_of_change_is_reported_and_classified() {
    let report = codegen::diff::report(&fixture("old.yaml"), &fixture("new.yaml")).unwrap();
    insta::assert_snapshot!("api_diff_fixture", report);
}

#[test]
fn classification() {
    let lower = |name: &str| {
        let spec = codegen::spec::Spec::from_value(fixture(name)).unwrap();
        codegen::ir(&spec).unwrap()
    };
    let changes = codegen::diff::diff(&lower("old.yaml"), &lower("new.yaml"));
    let breaking = |needle: &str| {
        changes
            .iter()
            .find(|c| c.text.contains(needle))
            .unwrap_or_else(|| panic!("no change mentions {needle}: {changes:#?}"))
            .breaking
    };
    assert!(breaking("removed `Widgets::delete`"));
    assert!(!breaking("added `Widgets::update`"));
    assert!(breaking("added required `name: String`"));
    assert!(!breaking("added `metadata"));
    assert!(breaking("`success_url`: now optional"));
    assert!(breaking("removed `shipping: Shipping`"));
    assert!(breaking("`size`: type `i64` → `Option<String>`"));
    assert!(!breaking("values added: `purple`"));
    assert!(breaking("values removed: `green`"));
    assert!(!breaking("`label`: optional, nullable → optional"));
}

#[test]
fn a_spec_compared_with_itself_has_no_changes() {
    let spec = fixture("new.yaml");
    let report = codegen::diff::report(&spec, &spec).unwrap();
    assert!(
        report.contains("0 changes for Rust users, 0 of them breaking"),
        "{report}"
    );
}
