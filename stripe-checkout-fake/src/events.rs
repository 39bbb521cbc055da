//! Events: each state change emits one (`checkout.session.completed`,
//! `.async_payment_succeeded`, `.async_payment_failed`, `.expired`) with `api_version`,
//! `data.object` and `request.idempotency_key`; all are kept for [`crate::FakeStripe::events`]
//! and handed to the webhook hub once the state lock is released.
//!
//! <https://docs.stripe.com/api/events/object>, <https://docs.stripe.com/api/events/types>.

use serde_json::{json, Value};

use crate::params;
use crate::sessions::Session;
use crate::state::{RequestContext, State};

impl State {
    /// Records a `kind` event about `session`, caused by the request in `ctx`.
    pub(crate) fn emit(&mut self, kind: &str, session: &Session, ctx: &RequestContext) {
        let id = self.id("evt_");
        let mut event = json!({
            "id": id,
            "object": "event",
            "api_version": params::API_VERSION,
            "created": self.now(),
            "data": { "object": session.value() },
            "livemode": false,
            "pending_webhooks": 0,
            "request": {
                "id": ctx.request_id,
                "idempotency_key": ctx.idempotency_key,
            },
            "type": kind,
        });
        if let (Some(account), Some(e)) = (&session.account, event.as_object_mut()) {
            e.insert("account".into(), json!(account));
        }
        self.events.push(event.clone());
        self.pending.push(event);
    }

    /// Events emitted since the last call, for delivery.
    pub fn take_pending(&mut self) -> Vec<Value> {
        std::mem::take(&mut self.pending)
    }
}
