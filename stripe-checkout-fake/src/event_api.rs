//! Stripe's Events API over the events the fake emitted: `GET /v1/events` (newest first,
//! filtered by `type` — a name, or a group with `*` as a wildcard — or `types[]`, and
//! `created`; paged) and `GET /v1/events/{id}`, as handlers that re-fetch an event to trust it
//! use them. A connected account (`Stripe-Account`) sees its own events.
//!
//! <https://docs.stripe.com/api/events/list>, <https://docs.stripe.com/api/events/retrieve>,
//! <https://docs.stripe.com/webhooks#verify-events> (re-fetching).

use serde_json::{Map, Value};

use crate::error::FakeError;
use crate::events::StoredEvent;
use crate::lists;
use crate::objects::param_not_supported;
use crate::state::State;

/// Whether `kind` matches a `type` filter, where `*` stands for any characters
/// (`customer.subscription.*`, `*.succeeded`).
fn type_matches(pattern: &str, kind: &str) -> bool {
    let mut parts = pattern.split('*');
    let Some(first) = parts.next() else {
        return false;
    };
    let Some(mut rest) = kind.strip_prefix(first) else {
        return false;
    };
    let parts: Vec<&str> = parts.collect();
    let Some((last, middle)) = parts.split_last() else {
        return rest.is_empty(); // no `*`: the whole name
    };
    for part in middle {
        match rest.find(part) {
            Some(at) => rest = &rest[at + part.len()..],
            None => return false,
        }
    }
    rest.ends_with(last)
}

impl State {
    /// `GET /v1/events/{id}`.
    pub fn retrieve_event(&self, account: &Option<String>, id: &str) -> Result<String, FakeError> {
        self.events
            .iter()
            .find(|e| &*e.id == id && &e.account == account)
            .map(|e| e.json.to_string())
            .ok_or_else(|| FakeError::missing("event", id, "id", 404))
    }

    /// `GET /v1/events`.
    pub fn list_events(
        &self,
        account: &Option<String>,
        p: &Map<String, Value>,
    ) -> Result<String, FakeError> {
        if p.contains_key("delivery_success") {
            return Err(param_not_supported(
                "delivery_success",
                "listing events (GET /_fake/deliveries has every delivery attempt)",
            ));
        }
        let single = p.get("type").and_then(Value::as_str);
        let types: Option<Vec<&str>> = p
            .get("types")
            .and_then(Value::as_array)
            .map(|t| t.iter().filter_map(Value::as_str).collect());
        if single.is_some() && types.is_some() {
            // <https://docs.stripe.com/api/events/list#list_events-types>
            return Err(FakeError::param(
                "types",
                "You may pass either `type` or `types`, but not both.",
            ));
        }
        if types.as_ref().is_some_and(|t| t.len() > 20) {
            return Err(FakeError::param(
                "types",
                "You may pass at most 20 event types in `types`.",
            ));
        }
        let created = p.get("created").unwrap_or(&Value::Null);
        let newest_first: Vec<&StoredEvent> = self
            .events
            .iter()
            .rev()
            .filter(|e| &e.account == account)
            .filter(|e| single.is_none_or(|t| type_matches(t, &e.kind)))
            .filter(|e| types.as_ref().is_none_or(|t| t.contains(&&*e.kind)))
            .filter(|e| lists::created_matches(e.created, created))
            .collect();
        let ids: Vec<&str> = newest_first.iter().map(|e| &*e.id).collect();
        let (start, end, has_more) = lists::page(&ids, p, |id| {
            self.events
                .iter()
                .any(|e| &*e.id == id && &e.account == account)
        })?;
        let data: Vec<&str> = newest_first[start..end].iter().map(|e| &*e.json).collect();
        Ok(lists::list_json(&data, has_more, "/v1/events"))
    }
}

#[cfg(test)]
mod tests {
    use super::type_matches;

    #[test]
    fn wildcards_match_groups() {
        assert!(type_matches("invoice.paid", "invoice.paid"));
        assert!(!type_matches("invoice.paid", "invoice.paid_out"));
        assert!(type_matches("invoice.*", "invoice.payment_succeeded"));
        assert!(type_matches(
            "customer.subscription.*",
            "customer.subscription.deleted"
        ));
        assert!(!type_matches("customer.subscription.*", "customer.created"));
        assert!(type_matches("*.succeeded", "payment_intent.succeeded"));
        assert!(type_matches("*", "checkout.session.completed"));
        assert!(type_matches(
            "checkout.*.completed",
            "checkout.session.completed"
        ));
        assert!(!type_matches(
            "checkout.*.expired",
            "checkout.session.completed"
        ));
    }
}
