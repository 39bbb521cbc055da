//! Public names stay put: adding schemas renames no type, and no field of an existing type
//! changes its type's name, also when the new schemas list values the existing enums list
//! (shared enums are named from their own copies, and copies are shared only between fields of
//! one name, see `codegen/src/dedup.rs`).

use std::collections::{BTreeMap, BTreeSet};

use codegen::ir::{Ir, Ty, TypeKind};

fn ir(spec_text: &str) -> Ir {
    let spec = codegen::spec::Spec::from_yaml(spec_text).unwrap();
    codegen::ir(&spec).unwrap()
}

fn public_names(ir: &Ir) -> BTreeSet<String> {
    let mut names: BTreeSet<String> = ir.types.iter().map(|t| t.name.clone()).collect();
    names.extend(ir.services.iter().map(|s| s.name.clone()));
    names
}

/// Each struct field's type, by `Struct.wire_name`.
fn field_types(ir: &Ir) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for def in &ir.types {
        if let TypeKind::Struct(fields) = &def.kind {
            for field in fields {
                out.insert(
                    format!("{}.{}", def.name, field.wire_name),
                    format!("{:?}", field.ty),
                );
            }
        }
    }
    out
}

fn subset() -> String {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(root.join("../spec/checkout_session.yaml")).unwrap()
}

/// Every string enum's values in the document (lists of at least one non-empty value).
fn value_lists(value: &serde_yaml::Value, out: &mut BTreeSet<Vec<String>>) {
    match value {
        serde_yaml::Value::Mapping(map) => {
            if let Some(serde_yaml::Value::Sequence(values)) = map.get("enum") {
                let values: Vec<String> = values
                    .iter()
                    .filter_map(|v| v.as_str().map(str::to_owned))
                    .filter(|v| !v.is_empty())
                    .collect();
                if !values.is_empty() {
                    out.insert(values);
                }
            }
            for child in map.values() {
                value_lists(child, out);
            }
        }
        serde_yaml::Value::Sequence(items) => items.iter().for_each(|v| value_lists(v, out)),
        _ => {}
    }
}

/// The subset with `widget` and `widget_template` added (two copies, so their enums are shared
/// lists too), each with `properties` besides their own.
fn grown(text: &str, properties: &serde_yaml::Mapping) -> String {
    let mut doc: serde_yaml::Value = serde_yaml::from_str(text).unwrap();
    let mut widget: serde_yaml::Value = serde_yaml::from_str(
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
    let own = widget["properties"].as_mapping_mut().unwrap();
    for (key, value) in properties {
        own.insert(key.clone(), value.clone());
    }
    let schemas = doc["components"]["schemas"].as_mapping_mut().unwrap();
    schemas.insert("widget".into(), widget.clone());
    schemas.insert("widget_template".into(), widget);
    serde_yaml::to_string(&doc).unwrap()
}

fn assert_nothing_moved(before: &Ir, after: &Ir) {
    let gone: Vec<String> = public_names(before)
        .difference(&public_names(after))
        .cloned()
        .collect();
    assert!(gone.is_empty(), "renamed or removed: {gone:?}");
    let after_fields = field_types(after);
    let moved: Vec<String> = field_types(before)
        .into_iter()
        .filter(|(field, ty)| after_fields.get(field) != Some(ty))
        .map(|(field, ty)| format!("{field}: {ty} -> {:?}", after_fields.get(&field)))
        .collect();
    assert!(moved.is_empty(), "fields whose type changed: {moved:#?}");
}

#[test]
fn adding_an_unrelated_schema_renames_no_public_type() {
    let text = subset();
    let before = ir(&text);
    let after = ir(&grown(&text, &serde_yaml::Mapping::new()));
    assert_nothing_moved(&before, &after);
    assert!(public_names(&after).contains("Widget"));
}

/// A new list that collides with an existing one (the same values) takes no name away and moves
/// no field's type: one under a new field name for every value list of the subset (the 41
/// locales, `[auto, never]`, `[coupon]`, …, 50-odd lists, each in two copies), and lists under a
/// field name the subset already has where the shared name is that field's (`tax_behavior`).
#[test]
fn colliding_value_lists_move_no_public_name() {
    let text = subset();
    let before = ir(&text);
    let mut lists = BTreeSet::new();
    value_lists(&serde_yaml::from_str(&text).unwrap(), &mut lists);
    assert!(lists.len() > 40, "only {} value lists", lists.len());
    let mut properties = serde_yaml::Mapping::new();
    for (i, values) in lists.iter().enumerate() {
        let schema: serde_yaml::Value =
            serde_yaml::from_str(&format!("{{type: string, enum: {values:?}}}")).unwrap();
        properties.insert(format!("collides_{i}").into(), schema);
    }
    let tax_behavior: serde_yaml::Value =
        serde_yaml::from_str("{type: string, enum: [exclusive, inclusive, unspecified]}").unwrap();
    properties.insert("tax_behavior".into(), tax_behavior);
    let after = ir(&grown(&text, &properties));
    assert_nothing_moved(&before, &after);
    // The widget's `tax_behavior` joined the existing list.
    let widget_tax = field_types(&after)
        .get("Widget.tax_behavior")
        .cloned()
        .unwrap();
    assert_eq!(widget_tax, format!("{:?}", Ty::Named("TaxBehavior".into())));
}
