//! Events: each state change emits one (`checkout.session.completed`, `customer.created`,
//! `invoice.paid`, …) with `api_version`, `data.object` (the object as a retrieve returns it at
//! that moment), `data.previous_attributes` for `*.updated` events and
//! `request.idempotency_key`; all are kept, as compact JSON, for [`crate::FakeStripe::events`]
//! and the Events API ([`crate::event_api`]), and handed to the webhook hub once the state lock
//! is released.
//!
//! <https://docs.stripe.com/api/events/object>, <https://docs.stripe.com/api/events/types>.

use serde_json::{json, Value};

use crate::params;
use crate::sessions::Session;
use crate::state::{RequestContext, State};

/// One emitted event, with what the Events API filters on beside its JSON.
#[derive(Debug, Clone)]
pub(crate) struct StoredEvent {
    pub id: Box<str>,
    pub kind: Box<str>,
    pub created: i64,
    pub account: Option<String>,
    pub json: Box<str>,
}

impl StoredEvent {
    /// The event as JSON (it was written by [`State::emit_event`], so it parses).
    pub fn value(&self) -> Value {
        serde_json::from_str(&self.json).unwrap_or(Value::Null)
    }
}

impl State {
    /// Records a `kind` event about `session`, caused by the request in `ctx`.
    pub(crate) fn emit(&mut self, kind: &str, session: &Session, ctx: &RequestContext) {
        self.emit_event(kind, session.value(), &session.account, ctx, None);
    }

    /// Records a `kind` event about `object` (as a retrieve would return it now) of `account`;
    /// `previous` is `data.previous_attributes` (the changed fields' old values, `*.updated`).
    pub(crate) fn emit_event(
        &mut self,
        kind: &str,
        object: Value,
        account: &Option<String>,
        ctx: &RequestContext,
        previous: Option<Value>,
    ) {
        let id = self.id("evt_");
        let created = self.now();
        let mut data = json!({ "object": object });
        if let (Some(previous), Some(d)) = (previous, data.as_object_mut()) {
            d.insert("previous_attributes".into(), previous);
        }
        let mut event = json!({
            "id": id,
            "object": "event",
            "api_version": params::API_VERSION,
            "created": created,
            "data": data,
            "livemode": false,
            "pending_webhooks": 0,
            "request": {
                "id": ctx.request_id,
                "idempotency_key": ctx.idempotency_key,
            },
            "type": kind,
        });
        if let (Some(account), Some(e)) = (account, event.as_object_mut()) {
            e.insert("account".into(), json!(account));
        }
        self.events.push(StoredEvent {
            id: id.into(),
            kind: kind.into(),
            created,
            account: account.clone(),
            json: event.to_string().into(),
        });
        self.pending.push(event);
    }

    /// Events emitted since the last call, for delivery.
    pub fn take_pending(&mut self) -> Vec<Value> {
        std::mem::take(&mut self.pending)
    }
}
