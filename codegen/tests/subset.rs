//! The subset tool: its pruning rule on a small spec, and that re-extracting from Stripe's real
//! spec in `../shared` reproduces the committed `spec/checkout_session.yaml` byte for byte.

use std::path::{Path, PathBuf};

use codegen::subset::{extract, render, render_titled, CHECKOUT_PATHS, FAKE_PATHS};
use serde_json::{json, Value};

fn spec_with(schemas: Value) -> Value {
    json!({
        "openapi": "3.0.0",
        "info": {"version": "2099-01-01", "title": "test"},
        "paths": {
            "/v1/things/{thing}": {"get": {
                "parameters": [{"name": "thing", "in": "path", "required": true, "schema": {"type": "string"}}],
                "responses": {
                    "200": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/thing"}}}},
                    "default": {"description": "Error response.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/error"}}}}
                }
            }},
            "/v1/unrelated": {"get": {"responses": {"200": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/unrelated"}}}}}}}
        },
        "components": {"schemas": schemas}
    })
}

fn expandable(target: &str) -> Value {
    json!({
        "anyOf": [{"type": "string"}, {"$ref": format!("#/components/schemas/{target}")}],
        "x-expansionResources": {"oneOf": [{"$ref": format!("#/components/schemas/{target}")}]}
    })
}

#[test]
fn pruning_rule() {
    let spec = spec_with(json!({
        "thing": {"type": "object", "properties": {
            "customer": expandable("customer"),
            "price": expandable("price"),
            "line": {"$ref": "#/components/schemas/line"}
        }},
        "line": {"type": "object", "properties": {"price": {"$ref": "#/components/schemas/price"}}},
        "price": {"type": "object", "properties": {"id": {"type": "string"}, "unit_amount": {"type": "integer"}}},
        "customer": {
            "description": "A customer.\n\nLong text.",
            "type": "object",
            "required": ["id", "object", "email"],
            "properties": {
                "id": {"type": "string"},
                "object": {"type": "string", "enum": ["customer"]},
                "email": {"type": "string"},
                "address": {"$ref": "#/components/schemas/address"}
            }
        },
        "address": {"type": "object", "properties": {"city": {"type": "string"}}},
        "error": {"type": "object", "properties": {"payment_intent": {"$ref": "#/components/schemas/unrelated"}}},
        "unrelated": {"type": "object", "properties": {"x": {"type": "string"}}}
    }));
    let subset = extract(&spec, &["/v1/things/{thing}"]).unwrap();
    assert_eq!(subset.api_version, "2099-01-01");
    assert_eq!(subset.operations, 1);
    // `price` is an expansion target but also referenced directly (through `line`): kept whole.
    assert_eq!(subset.kept, ["line", "price", "thing"]);
    // `customer` is only an expansion target: an identity stub; what only it referenced is gone.
    assert_eq!(subset.pruned, ["customer"]);
    let schemas = &subset.document["components"]["schemas"];
    assert_eq!(
        schemas["customer"],
        json!({
            "description": "A customer.\n\nPruned from the Checkout subset: only the identity fields are typed; the full object is outside Checkout.",
            "type": "object",
            "required": ["id", "object"],
            "properties": {"id": {"type": "string"}, "object": {"type": "string", "enum": ["customer"]}},
            "x-stripePrunedFromSubset": true
        })
    );
    assert!(schemas.get("address").is_none() && schemas.get("error").is_none());
    assert!(subset.document["paths"].get("/v1/unrelated").is_none());
    // The error response keeps its description, not its schema.
    let default = &subset.document["paths"]["/v1/things/{thing}"]["get"]["responses"]["default"];
    assert_eq!(default, &json!({"description": "Error response."}));
}

#[test]
fn every_ref_resolves_inside_the_subset() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/checkout_session.yaml");
    let doc: Value = serde_yaml::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let mut refs = Vec::new();
    collect_refs(&doc, &mut refs);
    assert!(refs.len() > 100, "{} refs", refs.len());
    for r in refs {
        let name = r
            .strip_prefix("#/components/schemas/")
            .unwrap_or_else(|| panic!("foreign ref {r}"));
        assert!(
            doc["components"]["schemas"].get(name).is_some(),
            "{r} does not resolve"
        );
    }
}

fn collect_refs(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(r)) = map.get("$ref") {
                out.push(r.clone());
            }
            map.values().for_each(|v| collect_refs(v, out));
        }
        Value::Array(items) => items.iter().for_each(|v| collect_refs(v, out)),
        _ => {}
    }
}

#[test]
fn bad_specs_are_errors() {
    let err = extract(&json!({"info": {}}), &CHECKOUT_PATHS).unwrap_err();
    assert_eq!(err.pointer, "/info/version");
    let err = extract(&spec_with(json!({})), &["/v1/missing"]).unwrap_err();
    assert_eq!(err.pointer, "/paths/~1v1~1missing");
    let err = extract(&spec_with(json!({})), &["/v1/things/{thing}"]).unwrap_err();
    assert!(err.message.contains("missing schema `thing`"), "{err}");
}

/// `../shared/stripe-openapi`, beside the project root (CI and developer machines have it).
fn shared_spec(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/stripe-openapi")
        .join(name)
}

#[test]
fn committed_subset_is_what_the_tool_extracts_from_the_current_spec() {
    let committed = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/checkout_session.yaml"),
    )
    .unwrap();
    let current = shared_spec("spec3.2026-05-27.json");
    if !current.exists() {
        // The project builds without ../shared; this check needs it, and CI always has it.
        eprintln!("skipped: {} not found", current.display());
        return;
    }
    let json: Value = serde_json::from_str(&std::fs::read_to_string(current).unwrap()).unwrap();
    let subset = extract(&json, &CHECKOUT_PATHS).unwrap();
    assert_eq!(subset.api_version, "2026-05-27.dahlia");
    assert_eq!(subset.operations, 6, "update is among the operations");
    assert!(
        render(&subset).unwrap() == committed,
        "spec/ drifted from the tool's output: rerun `cargo xtask subset`"
    );
}

/// `spec/fake_resources.yaml` (the catalogue objects the fake serves) comes from the same tool and
/// spec, so the fake validates them exactly as the current API declares them.
#[test]
fn committed_fake_subset_is_what_the_tool_extracts_from_the_current_spec() {
    let committed = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/fake_resources.yaml"),
    )
    .unwrap();
    let current = shared_spec("spec3.2026-05-27.json");
    if !current.exists() {
        eprintln!("skipped: {} not found", current.display());
        return;
    }
    let json: Value = serde_json::from_str(&std::fs::read_to_string(current).unwrap()).unwrap();
    let subset = extract(&json, &FAKE_PATHS).unwrap();
    assert!(subset.kept.iter().any(|s| s == "promotion_code"));
    assert!(
        render_titled(
            &subset,
            "the objects stripe-checkout-fake serves beside Checkout Sessions"
        )
        .unwrap()
            == committed,
        "spec/fake_resources.yaml drifted from the tool's output: rerun `cargo xtask subset`"
    );
}

/// `spec/history/` keeps the 2023-08-16 subset, which the changelog's api-diff test reads so it
/// needs no whole spec; it must be what the tool extracts from that spec.
#[test]
fn committed_history_subset_is_what_the_tool_extracts_from_the_2023_spec() {
    let committed = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../spec/history/checkout_session.2023-08-16.yaml"),
    )
    .unwrap();
    let old = shared_spec("spec3.json");
    if !old.exists() {
        eprintln!("skipped: {} not found", old.display());
        return;
    }
    let json: Value = serde_json::from_str(&std::fs::read_to_string(old).unwrap()).unwrap();
    let subset = extract(&json, &CHECKOUT_PATHS).unwrap();
    assert_eq!(subset.api_version, "2023-08-16");
    assert!(
        render(&subset).unwrap() == committed,
        "spec/history drifted: rerun `cargo xtask subset --from spec3.json --out spec/history/checkout_session.2023-08-16.yaml`"
    );
}

#[test]
fn json_and_yaml_forms_of_a_spec_give_the_same_subset() {
    let (json_path, yaml_path) = (shared_spec("spec3.json"), shared_spec("spec3.yaml"));
    if !json_path.exists() {
        eprintln!("skipped: {} not found", json_path.display());
        return;
    }
    let json: Value = serde_json::from_str(&std::fs::read_to_string(json_path).unwrap()).unwrap();
    let from_json = render(&extract(&json, &CHECKOUT_PATHS).unwrap()).unwrap();
    let yaml: Value = serde_yaml::from_str(&std::fs::read_to_string(yaml_path).unwrap()).unwrap();
    let from_yaml = render(&extract(&yaml, &CHECKOUT_PATHS).unwrap()).unwrap();
    assert!(
        from_yaml == from_json,
        "JSON and YAML forms of the spec give different subsets"
    );
}
