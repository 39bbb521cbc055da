//! Extracts the Checkout Sessions subset from a full Stripe OpenAPI document.
//!
//! The rule, also written into the subset's header:
//! 1. Keep the Checkout Session paths with all their operations, parameters and request bodies.
//! 2. Keep the success responses; `default` (error) responses keep their description but lose the
//!    schema, because the runtime decodes error bodies with its own error type. (The full `error`
//!    schema embeds whole PaymentIntents, SetupIntents, PaymentMethods and Sources.)
//! 3. Keep the transitive closure of the component schemas those reference.
//! 4. An expansion target (a `$ref` inside an `anyOf` marked `x-expansionResources`) that is not
//!    also reached through an ordinary reference is *pruned*: its schema is kept as an identity
//!    stub holding only `id`, `object` and `deleted`, so the field is still an
//!    id-or-object (an expanded object still parses, as its id) and every `$ref` resolves.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value};

use crate::error::{join, Error};

/// The paths that make up the Checkout Sessions API.
pub const CHECKOUT_PATHS: [&str; 4] = [
    "/v1/checkout/sessions",
    "/v1/checkout/sessions/{session}",
    "/v1/checkout/sessions/{session}/expire",
    "/v1/checkout/sessions/{session}/line_items",
];

/// The paths the fake serves beside Checkout's (`spec/fake_resources.yaml`): the catalogue objects
/// a shop sets up before it creates sessions (products, prices, coupons, promotion codes,
/// shipping rates, tax rates), and what a completed session leaves behind for its handler to
/// fetch (customers, payment intents and their charges, subscriptions, invoices, setup intents
/// and their payment methods, events). The client crate is not generated from them.
pub const FAKE_PATHS: [&str; 25] = [
    "/v1/charges/{charge}",
    "/v1/coupons",
    "/v1/coupons/{coupon}",
    "/v1/customers",
    "/v1/customers/{customer}",
    "/v1/events",
    "/v1/events/{id}",
    "/v1/invoices",
    "/v1/invoices/{invoice}",
    "/v1/payment_intents",
    "/v1/payment_intents/{intent}",
    "/v1/payment_methods/{payment_method}",
    "/v1/prices",
    "/v1/prices/{price}",
    "/v1/products",
    "/v1/products/{id}",
    "/v1/promotion_codes",
    "/v1/promotion_codes/{promotion_code}",
    "/v1/setup_intents/{intent}",
    "/v1/shipping_rates",
    "/v1/shipping_rates/{shipping_rate_token}",
    "/v1/subscriptions",
    "/v1/subscriptions/{subscription_exposed_id}",
    "/v1/tax_rates",
    "/v1/tax_rates/{tax_rate}",
];

/// Properties a pruned schema keeps: enough to identify the object and tell variants apart.
const IDENTITY_PROPERTIES: [&str; 3] = ["id", "object", "deleted"];

const SCHEMA_PREFIX: &str = "#/components/schemas/";

/// The extracted subset and what the extraction did.
#[derive(Debug, Clone)]
pub struct Subset {
    /// The self-contained subset document.
    pub document: Value,
    /// `info.version` of the source spec, the API version to pin.
    pub api_version: String,
    /// Component schemas kept whole.
    pub kept: Vec<String>,
    /// Expansion targets reduced to identity stubs.
    pub pruned: Vec<String>,
    /// Paths kept.
    pub paths: Vec<String>,
    /// Operations kept (method and path).
    pub operations: usize,
}

/// Extracts the subset for `paths` from a full spec.
pub fn extract(spec: &Value, paths: &[&str]) -> Result<Subset, Error> {
    let api_version = spec
        .pointer("/info/version")
        .and_then(Value::as_str)
        .ok_or_else(|| Error::new("/info/version", "expected the API version string"))?
        .to_owned();
    let schemas = spec
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .ok_or_else(|| Error::new("/components/schemas", "expected an object of schemas"))?;

    let mut out_paths = Map::new();
    let mut operations = 0;
    for path in paths {
        let pointer = join("/paths", path);
        let item = spec
            .pointer(&pointer)
            .and_then(Value::as_object)
            .ok_or_else(|| Error::new(&pointer, "expected this path in the spec"))?;
        let mut item = item.clone();
        for (method, operation) in item.iter_mut() {
            if !is_http_method(method) {
                continue;
            }
            operations += 1;
            if let Some(default) = operation
                .pointer_mut("/responses/default")
                .and_then(Value::as_object_mut)
            {
                default.remove("content");
            }
        }
        out_paths.insert((*path).to_owned(), Value::Object(item));
    }

    // Walk references from the paths; ordinary references make a schema "full", expansion
    // references only make it a candidate for a stub.
    let mut full = BTreeSet::new();
    let mut expansion = BTreeSet::new();
    let mut queue = Vec::new();
    let paths_value = Value::Object(out_paths.clone());
    collect_refs(&paths_value, "/paths", false, &mut queue)?;
    while let Some((name, via_expansion, at)) = queue.pop() {
        let Some(schema) = schemas.get(&name) else {
            return Err(Error::new(at, format!("`$ref` to missing schema `{name}`")));
        };
        if via_expansion {
            expansion.insert(name);
            continue;
        }
        if full.insert(name.clone()) {
            let pointer = join("/components/schemas", &name);
            collect_refs(schema, &pointer, false, &mut queue)?;
        }
    }

    // Every name below was looked up in the loop above, so `get` finds it.
    let mut out_schemas = Map::new();
    let mut pruned = Vec::new();
    for name in &full {
        if let Some(schema) = schemas.get(name) {
            out_schemas.insert(name.clone(), schema.clone());
        }
    }
    for name in expansion.difference(&full) {
        if let Some(schema) = schemas.get(name) {
            out_schemas.insert(name.clone(), identity_stub(schema));
            pruned.push(name.clone());
        }
    }

    let mut document = Map::new();
    document.insert(
        "openapi".into(),
        spec.get("openapi")
            .cloned()
            .unwrap_or(Value::String("3.0.0".into())),
    );
    let mut info = Map::new();
    for key in ["title", "version"] {
        if let Some(v) = spec.pointer(&format!("/info/{key}")) {
            info.insert(key.into(), v.clone());
        }
    }
    document.insert("info".into(), Value::Object(info));
    if let Some(servers) = spec.get("servers") {
        document.insert("servers".into(), servers.clone());
    }
    document.insert("paths".into(), Value::Object(out_paths));
    let mut components = Map::new();
    components.insert("schemas".into(), Value::Object(out_schemas));
    document.insert("components".into(), Value::Object(components));

    Ok(Subset {
        document: Value::Object(document),
        api_version,
        kept: full.into_iter().collect(),
        pruned,
        paths: paths.iter().map(|p| (*p).to_owned()).collect(),
        operations,
    })
}

fn is_http_method(key: &str) -> bool {
    matches!(
        key,
        "get" | "post" | "put" | "patch" | "delete" | "head" | "options"
    )
}

/// Collects `(schema name, reached through an expansion, pointer)` for every `$ref` under `value`.
fn collect_refs(
    value: &Value,
    pointer: &str,
    in_expansion: bool,
    out: &mut Vec<(String, bool, String)>,
) -> Result<(), Error> {
    match value {
        Value::Object(map) => {
            if let Some(reference) = map.get("$ref") {
                let target = reference
                    .as_str()
                    .and_then(|r| r.strip_prefix(SCHEMA_PREFIX))
                    .ok_or_else(|| {
                        Error::new(
                            pointer,
                            format!(
                                "unsupported `$ref` {reference}: expected `{SCHEMA_PREFIX}<name>`"
                            ),
                        )
                    })?;
                out.push((target.to_owned(), in_expansion, pointer.to_owned()));
            }
            let expandable = map.contains_key("x-expansionResources");
            for (key, child) in map {
                // The `x-expansionResources` list repeats the `anyOf` targets; both are expansion edges.
                let child_expansion = in_expansion
                    || (expandable && (key == "anyOf" || key == "x-expansionResources"));
                collect_refs(child, &join(pointer, key), child_expansion, out)?;
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                collect_refs(child, &join(pointer, &i.to_string()), in_expansion, out)?;
            }
        }
        _ => {}
    }
    Ok(())
}

/// The schema cut down to its identity properties, with a note saying so.
fn identity_stub(schema: &Value) -> Value {
    let mut stub = Map::new();
    let description = schema
        .get("description")
        .and_then(Value::as_str)
        .unwrap_or("");
    let first_paragraph = description.split("\n\n").next().unwrap_or("").trim();
    let note = "Pruned from the Checkout subset: only the identity fields are typed; \
                the full object is outside Checkout.";
    let description = if first_paragraph.is_empty() {
        note.to_owned()
    } else {
        format!("{first_paragraph}\n\n{note}")
    };
    stub.insert("description".into(), Value::String(description));
    let mut properties = BTreeMap::new();
    if let Some(props) = schema.get("properties").and_then(Value::as_object) {
        for key in IDENTITY_PROPERTIES {
            if let Some(p) = props.get(key) {
                properties.insert(key.to_owned(), p.clone());
            }
        }
    }
    stub.insert(
        "properties".into(),
        Value::Object(properties.into_iter().collect()),
    );
    if let Some(required) = schema.get("required").and_then(Value::as_array) {
        let kept: Vec<Value> = required
            .iter()
            .filter(|r| r.as_str().is_some_and(|r| IDENTITY_PROPERTIES.contains(&r)))
            .cloned()
            .collect();
        stub.insert("required".into(), Value::Array(kept));
    }
    for key in ["title", "type", "x-resourceId"] {
        if let Some(v) = schema.get(key) {
            stub.insert(key.into(), v.clone());
        }
    }
    stub.insert("x-stripePrunedFromSubset".into(), Value::Bool(true));
    Value::Object(stub)
}

/// The subset file: a header stating what was kept and pruned, then the document as YAML.
/// Depends only on the document, so the JSON and YAML forms of one spec give the same bytes.
pub fn render(subset: &Subset) -> Result<String, Error> {
    render_titled(subset, "Checkout Sessions")
}

/// [`render`] with another title in the header (`what` the subset is for).
pub fn render_titled(subset: &Subset, what: &str) -> Result<String, Error> {
    let yaml = serde_yaml::to_string(&subset.document)
        .map_err(|e| Error::new("", format!("cannot write the subset as YAML: {e}")))?;
    Ok(format!(
        "# Stripe OpenAPI subset for {what} (API {}). @generated by `cargo xtask subset`; do not edit.\n\
         # {} paths, {} operations, {} schemas kept whole, {} expansion targets pruned to identity stubs.\n\
         # Rule: see spec/README.md. Pruned: {}\n{yaml}",
        subset.api_version,
        subset.paths.len(),
        subset.operations,
        subset.kept.len(),
        subset.pruned.len(),
        subset.pruned.join(", "),
    ))
}
