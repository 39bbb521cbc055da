//! `expand[]` over the objects a completed session made: each dotted path
//! (`subscription.latest_invoice`, `items.data.price.product`) is walked from the object,
//! descending into lists' elements, and every id it names is replaced by the object, as Stripe
//! does up to four levels deep. <https://docs.stripe.com/api/expanding_objects>

use serde_json::{Map, Value};

use super::ObjectKind;
use crate::catalogue::Kind;
use crate::error::FakeError;
use crate::state::State;

/// Stripe expands at most four levels (<https://docs.stripe.com/api/expanding_objects>).
const MAX_DEPTH: usize = 4;

/// A list's `expand[]` of `data.x`, checked: Stripe refuses a path without `data.`.
pub(crate) fn list_expand(p: &Map<String, Value>) -> Result<Vec<String>, FakeError> {
    let paths = crate::sessions::expand_list(p);
    for (i, path) in paths.iter().enumerate() {
        if !path.starts_with("data.") {
            return Err(FakeError::param(
                format!("expand[{i}]"),
                format!("This property cannot be expanded ({path}). You may want to try expanding 'data.{path}' instead."),
            ));
        }
    }
    Ok(paths)
}

impl State {
    /// Applies `paths` (each starting with `prefix`, `data.` for lists) to `value`; a path that
    /// names no expandable field is 400 `expand[i]`, as on Stripe.
    pub(crate) fn expand(
        &self,
        account: &Option<String>,
        value: &mut Value,
        paths: &[String],
        prefix: &str,
    ) -> Result<(), FakeError> {
        for (i, path) in paths.iter().enumerate() {
            let cannot = || {
                FakeError::param(
                    format!("expand[{i}]"),
                    format!("This property cannot be expanded ({path})."),
                )
            };
            let rest = path.strip_prefix(prefix).ok_or_else(cannot)?;
            let segments: Vec<&str> = rest.split('.').collect();
            if segments.len() > MAX_DEPTH || segments.iter().any(|s| s.is_empty()) {
                return Err(cannot());
            }
            if !self.expand_at(account, value, &segments) {
                return Err(cannot());
            }
        }
        Ok(())
    }

    /// Expands `segments` below `value`; `false` when a segment names no expandable field.
    fn expand_at(&self, account: &Option<String>, value: &mut Value, segments: &[&str]) -> bool {
        let Some((field, rest)) = segments.split_first() else {
            return true;
        };
        match value {
            Value::Array(items) => items
                .iter_mut()
                .all(|item| self.expand_at(account, item, segments)),
            Value::Object(object) => {
                let expandable =
                    ObjectKind::of_field(field).is_some() || Kind::of_field(field).is_some();
                let Some(child) = object.get_mut(*field) else {
                    // Stripe refuses a path through a field the object does not have.
                    return false;
                };
                if let Value::String(id) = child {
                    if !expandable {
                        return false;
                    }
                    if let Some(found) = self.find(account, field, id) {
                        *child = Value::Object(found);
                    }
                } else if rest.is_empty() && !expandable && !child.is_null() {
                    return false;
                }
                self.expand_at(account, child, rest)
            }
            // `null` (nothing to expand) or an id the fake does not hold: left as it is.
            _ => true,
        }
    }

    /// The object an expandable `field` names by `id`: one a session made, or a catalogue
    /// object (`price`, `product`, …).
    fn find(&self, account: &Option<String>, field: &str, id: &str) -> Option<Map<String, Value>> {
        if let Some(kind) = ObjectKind::of_field(field) {
            return self.objects.get(kind, account, id);
        }
        let kind = Kind::of_field(field)?;
        self.catalogue.get(kind, account, id).cloned()
    }
}
