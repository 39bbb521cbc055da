//! Helpers the generated code calls; not part of the public API.

use serde_json::Value;

/// The `object` and `deleted` fields of a JSON object: what tells union members apart
/// (`customer` vs the `deleted: true` form of a customer).
pub fn object_tag(value: &Value) -> (Option<String>, bool) {
    let object = value
        .get("object")
        .and_then(Value::as_str)
        .map(str::to_owned);
    let deleted = value
        .get("deleted")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    (object, deleted)
}
