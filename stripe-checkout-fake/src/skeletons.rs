//! The objects the fake serves start from skeletons generated from the spec
//! (`generated/params.rs`: every property present, nullable ones `null`), parsed once.

use std::collections::HashMap;
use std::sync::OnceLock;

use serde_json::{Map, Value};

use crate::params;

/// Every skeleton by `object` name, parsed on first use.
fn all() -> &'static HashMap<&'static str, Value> {
    static CELL: OnceLock<HashMap<&'static str, Value>> = OnceLock::new();
    CELL.get_or_init(|| {
        params::SKELETONS
            .iter()
            .map(|(name, text)| (*name, serde_json::from_str(text).unwrap_or(Value::Null)))
            .collect()
    })
}

/// The skeleton of `object` (`"product"`, `"coupon"`, …) as a map to fill in; empty for a
/// name the generator was not asked for.
pub(crate) fn object(name: &str) -> Map<String, Value> {
    match all().get(name) {
        Some(Value::Object(map)) => map.clone(),
        _ => Map::new(),
    }
}

/// `checkout.session`.
pub(crate) fn session_skeleton() -> &'static Value {
    all().get("checkout.session").unwrap_or(&Value::Null)
}

/// `item` (a line item).
pub(crate) fn item_skeleton() -> &'static Value {
    all().get("item").unwrap_or(&Value::Null)
}

/// `price`.
pub(crate) fn price_skeleton() -> &'static Value {
    all().get("price").unwrap_or(&Value::Null)
}

#[cfg(test)]
mod tests {
    /// Every generated skeleton parses to an object with its `object` property.
    #[test]
    fn every_skeleton_parses() {
        for (name, _) in crate::params::SKELETONS {
            let o = super::object(name);
            assert!(o.contains_key("id"), "{name}");
            assert!(o.contains_key("object"), "{name}");
        }
    }
}
