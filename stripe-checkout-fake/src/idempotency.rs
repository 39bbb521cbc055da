//! Idempotency keys: the store and Stripe's rules for it.
//!
//! - Only POSTs use them; GETs ignore the header.
//! - A request is recorded once it starts executing (not auth, validation or rate-limit
//!   errors), per account and key, with a fingerprint of its method, path and params.
//! - A replay with the same params answers the stored status and body with
//!   `Idempotent-Replayed: true`; the same key with other params is 400 `idempotency_error`;
//!   a key whose first request is still executing is 409 `idempotency_key_in_use`.
//! - Keys expire after 24 hours (on the fake's clock).
//!
//! <https://docs.stripe.com/api/idempotent_requests>,
//! <https://docs.stripe.com/error-low-level#idempotency>.

use std::collections::HashMap;

use bytes::Bytes;
use hyper::header::HeaderValue;

use crate::error::FakeError;
use crate::reply::{json_reply, Reply};
use crate::state::DAY;

/// `(Stripe-Account, Idempotency-Key)`.
type Slot = (Option<String>, String);

/// Every key seen, per account.
#[derive(Default)]
pub(crate) struct IdempotencyStore {
    entries: HashMap<Slot, Entry>,
}

enum Entry {
    InFlight {
        fingerprint: String,
        since: i64,
    },
    Done {
        fingerprint: String,
        since: i64,
        status: u16,
        body: Bytes,
    },
}

/// What a request with a key does.
pub(crate) enum Begin {
    /// Execute it (it is now recorded as in flight).
    Execute,
    /// Answer with the stored response.
    Replay { status: u16, body: Bytes },
    /// Refuse it with this error.
    Refuse(FakeError),
}

/// The same params in another order are the same request.
pub(crate) fn fingerprint(method: &str, path: &str, form: &str) -> String {
    let mut pairs: Vec<&str> = form.split('&').filter(|p| !p.is_empty()).collect();
    pairs.sort_unstable();
    format!("{method} {path} {}", pairs.join("&"))
}

impl IdempotencyStore {
    /// Looks `key` up at `now` (fake clock) and, when the request is to execute, records it
    /// as in flight.
    pub fn begin(
        &mut self,
        account: &Option<String>,
        key: &str,
        fingerprint: &str,
        now: i64,
    ) -> Begin {
        let slot = (account.clone(), key.to_owned());
        let live = self.entries.get(&slot).filter(|entry| match entry {
            Entry::InFlight { since, .. } | Entry::Done { since, .. } => {
                now.saturating_sub(*since) < DAY
            }
        });
        match live {
            Some(Entry::Done {
                fingerprint: f,
                status,
                body,
                ..
            }) if f == fingerprint => {
                return Begin::Replay {
                    status: *status,
                    body: body.clone(),
                }
            }
            Some(Entry::InFlight { fingerprint: f, .. }) if f == fingerprint => {
                return Begin::Refuse(in_use(key))
            }
            Some(_) => return Begin::Refuse(other_params(key)),
            None => {}
        }
        self.entries.insert(
            slot,
            Entry::InFlight {
                fingerprint: fingerprint.to_owned(),
                since: now,
            },
        );
        Begin::Execute
    }

    /// Records the response of an executed request.
    pub fn finish(
        &mut self,
        account: Option<String>,
        key: String,
        fingerprint: String,
        now: i64,
        status: u16,
        body: Bytes,
    ) {
        self.entries.insert(
            (account, key),
            Entry::Done {
                fingerprint,
                since: now,
                status,
                body,
            },
        );
    }
}

/// 409: the first request with this key is still executing.
fn in_use(key: &str) -> FakeError {
    FakeError {
        status: 409,
        kind: "idempotency_error",
        code: Some("idempotency_key_in_use"),
        param: None,
        message: format!("There is currently another in-progress request using this Idempotent Key (that probably means you submitted twice, and the other request is still going through): {key}. Please try again later."),
    }
}

/// 400: the key was first used with other params.
fn other_params(key: &str) -> FakeError {
    FakeError {
        status: 400,
        kind: "idempotency_error",
        code: None,
        param: None,
        message: format!("Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '{key}' if you meant to execute a different request."),
    }
}

/// The stored response again, with `Idempotent-Replayed: true` and the key.
pub(crate) fn replay_reply(status: u16, body: Bytes, key: &str, request_id: &str) -> Reply {
    let mut reply = json_reply(status, body, request_id);
    reply
        .headers_mut()
        .insert("idempotent-replayed", HeaderValue::from_static("true"));
    echo_key(&mut reply, key);
    reply
}

/// `Idempotency-Key` echoed on a response.
pub(crate) fn echo_key(reply: &mut Reply, key: &str) {
    if let Ok(v) = HeaderValue::from_str(key) {
        reply.headers_mut().insert("idempotency-key", v);
    }
}
