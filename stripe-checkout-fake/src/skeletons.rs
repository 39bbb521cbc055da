//! The objects the fake serves start from skeletons generated from the spec
//! (`generated/params.rs`: every property present, nullable ones `null`), parsed once.

use std::sync::OnceLock;

use serde_json::Value;

use crate::params;

fn skeleton(cell: &'static OnceLock<Value>, text: &str) -> &'static Value {
    cell.get_or_init(|| serde_json::from_str(text).unwrap_or(Value::Null))
}

/// `checkout.session`.
pub(crate) fn session_skeleton() -> &'static Value {
    static CELL: OnceLock<Value> = OnceLock::new();
    skeleton(&CELL, params::SESSION_SKELETON)
}

/// `item` (a line item).
pub(crate) fn item_skeleton() -> &'static Value {
    static CELL: OnceLock<Value> = OnceLock::new();
    skeleton(&CELL, params::ITEM_SKELETON)
}

/// `price`.
pub(crate) fn price_skeleton() -> &'static Value {
    static CELL: OnceLock<Value> = OnceLock::new();
    skeleton(&CELL, params::PRICE_SKELETON)
}
