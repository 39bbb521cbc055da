//! Abandoned-cart recovery: `after_expiration[recovery][enabled]=true` on create, a recovery
//! URL on the session when it expires, and what opening that URL does.
//!
//! - Create echoes `after_expiration: {recovery: {allow_promotion_codes, enabled, expires_at:
//!   null, url: null}}`.
//! - When the session expires (the expire endpoint or the clock), `recovery.url` becomes a URL
//!   on the fake (`{base_url}/c/recover/{token}`) and `recovery.expires_at` 30 days later.
//! - Opening the URL once, before `expires_at`, creates a new open session copying the old
//!   one (line items, amounts, mode, URLs, metadata, customer, …) with `recovered_from` set to
//!   the old id, and `allow_promotion_codes` from `recovery.allow_promotion_codes`; the page
//!   redirects to the new session's `url` ([`crate::hosted::recover`]). After that, or after
//!   `expires_at`, the link is no longer valid.
//!
//! Sources: <https://docs.stripe.com/payments/checkout/abandoned-carts> (recovery URLs, valid
//! for 30 days, open a new session copied from the expired one; not quoted verbatim here),
//! the object's `after_expiration.recovery` (`url`: a URL that creates a new Checkout Session
//! when clicked that is a copy of this expired one; `expires_at`: when the URL expires),
//! <https://docs.stripe.com/api/checkout/sessions/object#checkout_session_object-after_expiration>,
//! <https://docs.stripe.com/api/checkout/sessions/object#checkout_session_object-recovered_from>.
//!
//! The fake's choices where Stripe documents nothing: only `hosted_page` sessions get a
//! recovery URL (the fake has no page for embedded ones: their `recovery.url` stays `null`);
//! a link works once; the recovered session has `after_expiration: null` and keeps the old
//! session's line item ids.

use std::collections::HashMap;

use serde_json::{json, Map, Value};

use crate::state::{State, DAY};

/// How long a recovery URL works after the session expired.
pub const RECOVERY_LIFETIME: i64 = 30 * DAY;

/// The recovery records of one fake.
#[derive(Debug, Default)]
pub(crate) struct Recoveries {
    /// Sessions created with recovery enabled, not yet expired: id → the fake's base URL.
    enabled: HashMap<String, String>,
    /// Recovery links handed out: token → link.
    links: HashMap<String, Link>,
}

#[derive(Debug)]
struct Link {
    session: String,
    base_url: String,
    expires_at: i64,
    used: bool,
}

/// Why a recovery link does not lead to a session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RecoveryRefused {
    /// No such link.
    Unknown,
    /// Used already, or past its `expires_at`.
    NoLongerValid,
}

impl State {
    /// On create: echoes `after_expiration[recovery]` into the new session `s` and, when
    /// enabled on a hosted session, remembers where its recovery URL will point.
    pub(crate) fn after_expiration(
        &mut self,
        p: &Map<String, Value>,
        id: &str,
        base_url: &str,
        s: &mut Map<String, Value>,
    ) {
        let Some(recovery) = p.get("after_expiration").and_then(|a| a.get("recovery")) else {
            return;
        };
        let flag = |key: &str| recovery.get(key).and_then(Value::as_bool).unwrap_or(false);
        let enabled = flag("enabled");
        s.insert(
            "after_expiration".into(),
            json!({
                "recovery": {
                    "allow_promotion_codes": flag("allow_promotion_codes"),
                    "enabled": enabled,
                    "expires_at": null,
                    "url": null,
                }
            }),
        );
        if enabled && s.get("ui_mode") == Some(&json!("hosted_page")) {
            self.recoveries
                .enabled
                .insert(id.to_owned(), base_url.to_owned());
        }
    }

    /// On expiry: when the session `id` has recovery enabled, a fresh link written into its
    /// object `o` (`recovery.url`, `recovery.expires_at`).
    pub(crate) fn recovery_on_expiry(&mut self, id: &str, o: &mut Map<String, Value>) {
        let Some(base_url) = self.recoveries.enabled.remove(id) else {
            return;
        };
        let token = self.id("");
        let url = format!("{base_url}/c/recover/{token}");
        let expires_at = self.now().saturating_add(RECOVERY_LIFETIME);
        if let Some(Value::Object(recovery)) = o
            .get_mut("after_expiration")
            .and_then(|a| a.get_mut("recovery"))
        {
            recovery.insert("url".into(), json!(url));
            recovery.insert("expires_at".into(), json!(expires_at));
        }
        self.recoveries.links.insert(
            token,
            Link {
                session: id.to_owned(),
                base_url,
                expires_at,
                used: false,
            },
        );
    }

    /// Opens the recovery link `token`: a new open session copied from the expired one, with
    /// `recovered_from`. Returns the new session's `url`.
    pub(crate) fn recover(&mut self, token: &str) -> Result<String, RecoveryRefused> {
        let now = self.now();
        let link = self
            .recoveries
            .links
            .get(token)
            .ok_or(RecoveryRefused::Unknown)?;
        if link.used || now >= link.expires_at {
            return Err(RecoveryRefused::NoLongerValid);
        }
        let old_id = link.session.clone();
        let base_url = link.base_url.clone();
        let mut session = self
            .sessions
            .get(&old_id)
            .cloned()
            .ok_or(RecoveryRefused::Unknown)?;
        let id = self.id("cs_test_a1");
        let url = format!("{base_url}/c/pay/{id}");
        let mut o = session.object();
        let allow_promotion_codes = o
            .get("after_expiration")
            .and_then(|a| a.get("recovery"))
            .and_then(|r| r.get("allow_promotion_codes"))
            .cloned()
            .unwrap_or(Value::Null);
        o.insert("id".into(), json!(id));
        o.insert("created".into(), json!(now));
        o.insert("expires_at".into(), json!(now.saturating_add(DAY)));
        o.insert("status".into(), json!("open"));
        o.insert("url".into(), json!(url));
        o.insert("recovered_from".into(), json!(old_id));
        o.insert("after_expiration".into(), Value::Null);
        o.insert("allow_promotion_codes".into(), allow_promotion_codes);
        session.store(o);
        self.seq += 1;
        session.seq = self.seq;
        session.awaiting_async = false;
        self.sessions.insert(id, session);
        if let Some(link) = self.recoveries.links.get_mut(token) {
            link.used = true;
        }
        Ok(url)
    }
}
