//! Public names stay put: adding a schema that has nothing to do with the existing ones renames
//! no type (shared enums are named from their own copies only, see `codegen/src/dedup.rs`).

use std::collections::BTreeSet;

fn public_names(spec_text: &str) -> BTreeSet<String> {
    let spec = codegen::spec::Spec::from_yaml(spec_text).unwrap();
    let ir = codegen::ir(&spec).unwrap();
    let mut names: BTreeSet<String> = ir.types.iter().map(|t| t.name.clone()).collect();
    names.extend(ir.services.iter().map(|s| s.name.clone()));
    names
}

#[test]
fn adding_an_unrelated_schema_renames_no_public_type() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(root.join("../spec/checkout_session.yaml")).unwrap();
    let before = public_names(&text);

    let mut doc: serde_yaml::Value = serde_yaml::from_str(&text).unwrap();
    let widget: serde_yaml::Value = serde_yaml::from_str(
        r#"
description: A widget, unrelated to Checkout.
type: object
required: [id, object, status]
properties:
  id: {type: string, maxLength: 5000}
  object: {type: string, enum: [widget]}
  status: {type: string, enum: [enabled, disabled, archived]}
  size: {type: string, enum: [small, large]}
  settings:
    type: object
    nullable: true
    properties:
      shape: {type: string, enum: [round, square, hexagonal, star]}
      weight: {type: integer}
"#,
    )
    .unwrap();
    let schemas = doc["components"]["schemas"].as_mapping_mut().unwrap();
    schemas.insert("widget".into(), widget.clone());
    // A second copy, so its enums are shared lists too.
    schemas.insert("widget_template".into(), widget);
    let grown = serde_yaml::to_string(&doc).unwrap();
    let after = public_names(&grown);

    let gone: Vec<&String> = before.difference(&after).collect();
    assert!(gone.is_empty(), "renamed or removed: {gone:?}");
    assert!(after.contains("Widget") && after.len() > before.len());
}
