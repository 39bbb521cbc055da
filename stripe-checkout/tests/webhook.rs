//! Webhook signature verification and event parsing.

use std::time::Duration;

use proptest::prelude::*;
use stripe_checkout::webhook::{self, sign_payload, WebhookError, MAX_HEADER_LEN};
use stripe_checkout::{
    CheckoutSessionObject, CheckoutSessionPaymentStatus, CheckoutSessionStatus, Event, EventObject,
    EventType, Webhook,
};

const SECRET: &str = "whsec_test_secret";
const T: i64 = 1_700_000_000;
const PAYLOAD: &str = r#"{"id":"evt_test","object":"event"}"#;

/// A minimal but complete event of type `ty` whose `data.object` is `object`.
fn event_json(ty: &str, object: &str) -> String {
    format!(
        r#"{{"id":"evt_1","object":"event","type":"{ty}","created":{T},"livemode":false,
        "pending_webhooks":1,"api_version":"2023-08-16",
        "request":{{"id":"req_1","idempotency_key":"key-1"}},"data":{{"object":{object}}}}}"#
    )
}

fn verifier() -> Webhook {
    Webhook::new(SECRET).now(T + 10)
}

fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn v1_of(header: &str) -> &str {
    header.split_once(",v1=").unwrap().1
}

// --- signing and verification -------------------------------------------------------------

#[test]
fn known_answer() {
    // Computed independently, once, with:
    // python3 -c 'import hmac,hashlib;print(hmac.new(b"whsec_test_secret",
    //   b"1700000000.{\"id\":\"evt_test\",\"object\":\"event\"}", hashlib.sha256).hexdigest())'
    // (and cross-checked with `openssl dgst -sha256 -hmac whsec_test_secret`).
    let expected = "8042376f6ca064adbe037642a718227dfd59047137eb49497a54c49eb0cfb724";
    assert_eq!(
        sign_payload(PAYLOAD, SECRET, T),
        format!("t=1700000000,v1={expected}")
    );
    // Same HMAC, via python3 over b"1700000000." (empty payload).
    assert_eq!(
        sign_payload("", SECRET, T),
        "t=1700000000,v1=316b9ab98c15bfa039d243f3196acee619cf29749a91a634e6a8154e2f7b6727"
    );
    // A header built by hand from the known answer verifies.
    verifier()
        .verify(PAYLOAD, format!("t={T},v1={expected}"))
        .unwrap();
}

#[test]
fn round_trip_str_and_bytes() {
    let payload = event_json("invoice.paid", r#"{"id":"in_1"}"#);
    let header = sign_payload(&payload, SECRET, T);
    let from_str = verifier().construct(payload.as_str(), &header).unwrap();
    let from_bytes = verifier().construct(payload.as_bytes(), &header).unwrap();
    let from_vec = verifier()
        .construct(payload.clone().into_bytes(), &header)
        .unwrap();
    assert_eq!(from_str, from_bytes);
    assert_eq!(from_str, from_vec);
    assert_eq!(from_str.id, "evt_1");
}

#[test]
fn one_shot_construct_event_uses_the_system_clock() {
    let payload = event_json("invoice.paid", "{}");
    let header = webhook::generate_test_header(&payload, SECRET);
    let event = Webhook::construct_event(&payload, &header, SECRET).unwrap();
    assert_eq!(event.type_.as_str(), "invoice.paid");
    // A 2023 timestamp is far outside the default tolerance today.
    let old = sign_payload(&payload, SECRET, T);
    assert!(matches!(
        Webhook::construct_event(&payload, &old, SECRET),
        Err(WebhookError::TimestampTooOld { timestamp: T, .. })
    ));
}

#[test]
fn tampered_body_is_rejected() {
    let header = sign_payload(PAYLOAD, SECRET, T);
    let tampered = PAYLOAD.replace("evt_test", "evt_evil");
    assert_eq!(
        verifier().verify(&tampered, &header),
        Err(WebhookError::NoMatchingSignature)
    );
    // Whitespace matters: the raw body must be verified, not re-serialized JSON.
    let reformatted = format!("{PAYLOAD}\n");
    assert_eq!(
        verifier().verify(reformatted, &header),
        Err(WebhookError::NoMatchingSignature)
    );
}

#[test]
fn tampered_signature_is_rejected() {
    let header = sign_payload(PAYLOAD, SECRET, T);
    let sig = v1_of(&header);
    for i in [0, 31, 63] {
        let mut bytes = sig.as_bytes().to_vec();
        bytes[i] = if bytes[i] == b'0' { b'1' } else { b'0' };
        let forged = format!("t={T},v1={}", String::from_utf8(bytes).unwrap());
        assert_eq!(
            verifier().verify(PAYLOAD, &forged),
            Err(WebhookError::NoMatchingSignature)
        );
    }
    // Truncated, extended and empty signatures can never match.
    for bad in [&sig[..62], &format!("{sig}00"), ""] {
        let forged = format!("t={T},v1={bad}");
        assert_eq!(
            verifier().verify(PAYLOAD, &forged),
            Err(WebhookError::NoMatchingSignature)
        );
    }
    // The timestamp is signed too: moving it breaks the signature.
    let moved = format!("t={},v1={sig}", T + 1);
    assert_eq!(
        verifier().verify(PAYLOAD, &moved),
        Err(WebhookError::NoMatchingSignature)
    );
}

#[test]
fn uppercase_hex_is_the_same_signature() {
    let header = sign_payload(PAYLOAD, SECRET, T);
    let upper = format!("t={T},v1={}", v1_of(&header).to_uppercase());
    verifier().verify(PAYLOAD, &upper).unwrap();
}

#[test]
fn wrong_secret_is_rejected() {
    let header = sign_payload(PAYLOAD, "whsec_other", T);
    assert_eq!(
        verifier().verify(PAYLOAD, &header),
        Err(WebhookError::NoMatchingSignature)
    );
    let header = sign_payload(PAYLOAD, "", T);
    assert_eq!(
        verifier().verify(PAYLOAD, &header),
        Err(WebhookError::NoMatchingSignature)
    );
}

#[test]
fn old_timestamps_are_rejected_and_future_ones_accepted() {
    let at = |now: i64| Webhook::new(SECRET).now(now);
    let header = sign_payload(PAYLOAD, SECRET, T);
    // Inclusive bound: exactly 300 s old is accepted.
    at(T + 300).verify(PAYLOAD, &header).unwrap();
    at(T).verify(PAYLOAD, &header).unwrap();

    let expired = at(T + 301).verify(PAYLOAD, &header).unwrap_err();
    assert_eq!(
        expired,
        WebhookError::TimestampTooOld {
            timestamp: T,
            now: T + 301,
            tolerance: Duration::from_secs(300)
        }
    );
    let msg = expired.to_string();
    assert!(msg.contains("1700000000") && msg.contains("300s"), "{msg}");

    // A receiver whose clock runs slow (here by an hour, or a day) still accepts deliveries,
    // as with stripe-node, stripe-python and stripe-go.
    at(T - 301).verify(PAYLOAD, &header).unwrap();
    at(T - 3600).verify(PAYLOAD, &header).unwrap();
    at(T - 86_400).verify(PAYLOAD, &header).unwrap();
}

#[test]
fn tolerance_is_configurable() {
    let header = sign_payload(PAYLOAD, SECRET, T);
    let strict = Webhook::new(SECRET)
        .now(T + 61)
        .tolerance(Duration::from_secs(60));
    assert!(matches!(
        strict.verify(PAYLOAD, &header),
        Err(WebhookError::TimestampTooOld { .. })
    ));
    let lax = Webhook::new(SECRET)
        .now(T + 3600)
        .tolerance(Duration::from_secs(3600));
    lax.verify(PAYLOAD, &header).unwrap();
    // Duration::MAX never overflows and accepts any timestamp.
    let header0 = sign_payload(PAYLOAD, SECRET, 0);
    let any = Webhook::new(SECRET).now(i64::MAX).tolerance(Duration::MAX);
    any.verify(PAYLOAD, &header0).unwrap();
}

#[test]
fn zero_tolerance_disables_the_age_check_as_in_the_official_sdks() {
    // stripe-node: `tolerance > 0 && age > tolerance`; stripe-python: `if tolerance and ...`.
    let header = sign_payload(PAYLOAD, SECRET, T);
    let zero = Webhook::new(SECRET).tolerance(Duration::ZERO);
    zero.clone().now(T).verify(PAYLOAD, &header).unwrap();
    zero.clone().now(T + 1).verify(PAYLOAD, &header).unwrap();
    zero.now(T + 10 * 365 * 86_400)
        .verify(PAYLOAD, &header)
        .unwrap();
    // The explicit way to say it.
    Webhook::new(SECRET)
        .without_timestamp_check()
        .now(i64::MAX)
        .verify(PAYLOAD, &header)
        .unwrap();
    // A later non-zero tolerance turns the check back on.
    let again = Webhook::new(SECRET)
        .without_timestamp_check()
        .tolerance(Duration::from_secs(10))
        .now(T + 11);
    assert!(matches!(
        again.verify(PAYLOAD, &header),
        Err(WebhookError::TimestampTooOld { .. })
    ));
    // The signature is still checked.
    let forged = sign_payload(PAYLOAD, "whsec_other", T);
    assert_eq!(
        Webhook::new(SECRET)
            .without_timestamp_check()
            .verify(PAYLOAD, &forged),
        Err(WebhookError::NoMatchingSignature)
    );
}

#[test]
fn the_header_can_be_given_as_bytes() {
    let header = sign_payload(PAYLOAD, SECRET, T);
    verifier().verify(PAYLOAD, header.as_bytes()).unwrap();
    verifier().verify(PAYLOAD, header.as_bytes()).unwrap();
    let payload = event_json("invoice.paid", "{}");
    let now_header = webhook::generate_test_header(&payload, SECRET);
    Webhook::construct_event(&payload, now_header.as_bytes(), SECRET).unwrap();
    assert_eq!(
        verifier().verify(PAYLOAD, b""),
        Err(WebhookError::MissingHeader)
    );
}

#[test]
fn a_header_with_bytes_that_are_not_ascii_is_malformed_not_missing() {
    // `to_str().ok().unwrap_or_default()` turned such a header into "" and so into
    // "missing Stripe-Signature header"; the bytes themselves say what is wrong.
    let good = v1_of(&sign_payload(PAYLOAD, SECRET, T)).to_owned();
    let mut latin1 = format!("t={T}").into_bytes();
    latin1.push(0xE9); // é in Latin-1, not UTF-8
    latin1.extend_from_slice(format!(",v1={good}").as_bytes());
    let err = verifier().verify(PAYLOAD, &latin1).unwrap_err();
    assert!(
        matches!(err, WebhookError::MalformedHeader { .. }),
        "{err:?}"
    );
    assert!(!err.to_string().contains("missing"), "{err}");
    // A stray byte in an item nobody reads does not hide a valid signature.
    let mut extra = format!("t={T},v1={good},x=").into_bytes();
    extra.push(0xFF);
    verifier().verify(PAYLOAD, &extra).unwrap();
}

#[test]
fn signature_is_checked_before_the_timestamp() {
    // A forged request with a stale timestamp reports the forgery, as Stripe's libraries do.
    let header = sign_payload(PAYLOAD, "whsec_other", T);
    let late = Webhook::new(SECRET).now(T + 10_000);
    assert_eq!(
        late.verify(PAYLOAD, &header),
        Err(WebhookError::NoMatchingSignature)
    );
}

#[test]
fn any_v1_may_match() {
    let good = v1_of(&sign_payload(PAYLOAD, SECRET, T)).to_owned();
    let bad1 = v1_of(&sign_payload(PAYLOAD, "whsec_old", T)).to_owned();
    let bad2 = "0".repeat(64);
    for header in [
        format!("t={T},v1={good},v1={bad1},v1={bad2}"),
        format!("t={T},v1={bad1},v1={good},v1={bad2}"),
        format!("t={T},v1={bad1},v1={bad2},v1={good}"),
        format!("v1={bad1},v1={good},t={T}"),
        format!("t={T},v1={bad1},v1={good},v0={bad2}"),
        format!("t={T},v1=zz,v1={good}"),
    ] {
        verifier()
            .verify(PAYLOAD, &header)
            .unwrap_or_else(|e| panic!("{header}: {e}"));
    }
    let none = format!("t={T},v1={bad1},v1={bad2}");
    assert_eq!(
        verifier().verify(PAYLOAD, &none),
        Err(WebhookError::NoMatchingSignature)
    );
}

#[test]
fn v0_only_is_not_enough() {
    // Even a "v0" that holds a correct v1 signature: v0 is a different scheme and is ignored.
    let good = v1_of(&sign_payload(PAYLOAD, SECRET, T)).to_owned();
    let header = format!("t={T},v0={good}");
    assert_eq!(
        verifier().verify(PAYLOAD, &header),
        Err(WebhookError::NoV1Signature)
    );
    assert_eq!(
        verifier().verify(PAYLOAD, format!("t={T}")),
        Err(WebhookError::NoV1Signature)
    );
    let header = format!("t={T},v2={good},foo=bar,V1={good}");
    assert_eq!(
        verifier().verify(PAYLOAD, &header),
        Err(WebhookError::NoV1Signature)
    );
}

#[test]
fn unknown_items_and_whitespace_are_tolerated() {
    let good = v1_of(&sign_payload(PAYLOAD, SECRET, T)).to_owned();
    for header in [
        format!("t={T}, v1={good}"),
        format!(" t={T} ,v1={good} "),
        format!("t={T},v1={good},"),
        format!("t={T},,v1={good}"),
        format!("t={T},v2=abc,flag,x=y=z,v1={good}"),
    ] {
        verifier()
            .verify(PAYLOAD, &header)
            .unwrap_or_else(|e| panic!("{header:?}: {e}"));
    }
}

#[test]
fn garbage_headers() {
    let good = v1_of(&sign_payload(PAYLOAD, SECRET, T)).to_owned();
    let missing = ["", " ", "\t\r\n"];
    for header in missing {
        assert_eq!(
            verifier().verify(PAYLOAD, header),
            Err(WebhookError::MissingHeader)
        );
    }
    let malformed = [
        ",,,".to_owned(),
        "t=".to_owned(),
        "t".to_owned(),
        "t=abc,v1=00".to_owned(),
        "v1=zz".to_owned(),
        format!("v1={good}"),
        format!("t=+{T},v1={good}"),
        format!("t=-{T},v1={good}"),
        format!("t={T}.5,v1={good}"),
        format!("t=0x10,v1={good}"),
        format!("t=99999999999999999999,v1={good}"),
        format!("t={T},t={T},v1={good}"),
        format!("t={T},v1={good},t={T}"),
        // Unicode: Arabic-Indic digits, fullwidth digits, emoji, a combining accent.
        format!("t=١٧٠٠٠٠٠٠٠٠,v1={good}"),
        format!("t=１７００００００００,v1={good}"),
        "🦀=🦀,t=🦀".to_owned(),
        format!("t={T}\u{301},v1={good}"),
        "=,=,=".to_owned(),
        "garbage".to_owned(),
    ];
    for header in &malformed {
        let err = verifier().verify(PAYLOAD, header).unwrap_err();
        assert!(
            matches!(err, WebhookError::MalformedHeader { .. }),
            "{header:?}: {err:?}"
        );
    }
    // Unicode in signature values is just a non-matching signature.
    let header = format!("t={T},v1=é{}", &good[2..]);
    assert_eq!(
        verifier().verify(PAYLOAD, &header),
        Err(WebhookError::NoMatchingSignature)
    );
}

#[test]
fn huge_headers_are_malformed_not_slow() {
    let good = v1_of(&sign_payload(PAYLOAD, SECRET, T)).to_owned();
    // Just over the cap, even with a valid signature in it.
    let mut header = format!("t={T},v1={good}");
    while header.len() <= MAX_HEADER_LEN {
        header.push_str(",v0=ab");
    }
    assert!(matches!(
        verifier().verify(PAYLOAD, &header),
        Err(WebhookError::MalformedHeader { .. })
    ));
    // Megabytes of commas, equals signs or one giant value: rejected up front.
    for huge in [
        ",".repeat(1 << 20),
        "=".repeat(1 << 20),
        format!("t={}", "9".repeat(1 << 20)),
    ] {
        assert!(matches!(
            verifier().verify(PAYLOAD, &huge),
            Err(WebhookError::MalformedHeader { .. })
        ));
    }
    // Just under the cap: ~120 wrong candidates then the right one still verifies.
    let bad = "0".repeat(64);
    let mut header = format!("t={T}");
    while header.len() + 2 * (bad.len() + 4) < MAX_HEADER_LEN {
        header.push_str(&format!(",v1={bad}"));
    }
    header.push_str(&format!(",v1={good}"));
    assert!(header.len() <= MAX_HEADER_LEN);
    verifier().verify(PAYLOAD, &header).unwrap();
}

#[test]
fn empty_payload() {
    let header = sign_payload("", SECRET, T);
    verifier().verify("", &header).unwrap();
    let err = verifier().construct("", &header).unwrap_err();
    assert!(
        matches!(err, WebhookError::InvalidPayload { .. }),
        "{err:?}"
    );
    assert_eq!(
        verifier().verify("x", &header),
        Err(WebhookError::NoMatchingSignature)
    );
}

#[test]
fn non_utf8_payload() {
    let payload: &[u8] = b"{\"id\":\"\xff\xfe\"}\x80";
    let header = sign_payload(payload, SECRET, T);
    // Signatures are over bytes, so verification works...
    verifier().verify(payload, &header).unwrap();
    // ...but it is not an event.
    let err = verifier().construct(payload, &header).unwrap_err();
    assert!(
        matches!(err, WebhookError::InvalidPayload { .. }),
        "{err:?}"
    );
    // Invalid UTF-8 inside a string of an otherwise valid event.
    let mut bytes = event_json("invoice.paid", r#"{"name":"XX"}"#).into_bytes();
    let pos = bytes.windows(2).position(|w| w == b"XX").unwrap();
    bytes[pos..pos + 2].copy_from_slice(&[0xff, 0xfe]);
    let header = sign_payload(&bytes, SECRET, T);
    match verifier().construct(&bytes, &header).unwrap_err() {
        WebhookError::InvalidPayload { path, .. } => assert_eq!(path, "data.object.name"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn secret_never_leaks() {
    let secret = "whsec_SUPER_SECRET_VALUE";
    let webhook = Webhook::new(secret).now(T);
    assert!(!format!("{webhook:?}").contains("SUPER_SECRET"));
    let errors = [
        webhook.verify(PAYLOAD, "").unwrap_err(),
        webhook.verify(PAYLOAD, "t=x").unwrap_err(),
        webhook.verify(PAYLOAD, format!("t={T}")).unwrap_err(),
        webhook
            .verify(PAYLOAD, sign_payload(PAYLOAD, "whsec_other", T))
            .unwrap_err(),
        webhook
            .clone()
            .now(T + 999)
            .verify(PAYLOAD, sign_payload(PAYLOAD, secret, T))
            .unwrap_err(),
        webhook
            .construct("nope", sign_payload("nope", secret, T))
            .unwrap_err(),
    ];
    for err in errors {
        for text in [err.to_string(), format!("{err:?}")] {
            assert!(!text.contains("SUPER_SECRET"), "{text}");
        }
        // It is a std error and can be boxed.
        let _boxed: Box<dyn std::error::Error + Send + Sync> = Box::new(err);
    }
}

#[test]
fn shareable_across_threads() {
    fn assert_send_sync<T: Send + Sync + 'static>() {}
    assert_send_sync::<Webhook>();
    assert_send_sync::<WebhookError>();
    assert_send_sync::<Event>();
}

// --- event parsing ------------------------------------------------------------------------

fn verified_fixture(name: &str) -> Event {
    let payload = fixture(name);
    let header = sign_payload(&payload, SECRET, 1_679_600_300);
    Webhook::new(SECRET)
        .now(1_679_600_301)
        .construct(&payload, &header)
        .unwrap()
}

#[test]
fn checkout_session_completed() {
    let event = verified_fixture("event_checkout_session_completed.json");
    assert_eq!(event.type_, EventType::CheckoutSessionCompleted);
    assert_eq!(event.id, "evt_1OoZ9ALkdIwHu7ixcompleted");
    assert_eq!(event.created, 1_679_600_300);
    assert!(!event.livemode);
    assert_eq!(event.api_version.as_deref(), Some("2023-08-16"));
    assert_eq!(event.pending_webhooks, 1);
    assert_eq!(event.account, None);
    let request = event.request.as_ref().unwrap();
    assert_eq!(
        (request.id.as_deref(), request.idempotency_key.as_deref()),
        (None, None)
    );
    assert!(event.data.previous_attributes.is_none());

    let session = event.checkout_session().expect("a checkout session");
    assert_eq!(
        session.id,
        "cs_test_a11YYufWQzNY63zpQ6QSNRQhkUpVph4WRmzW0zWJO2znZKdVujZ0N0S22u"
    );
    assert_eq!(session.object, CheckoutSessionObject::CheckoutSession);
    assert_eq!(session.payment_status, CheckoutSessionPaymentStatus::Paid);
    assert_eq!(session.status, Some(CheckoutSessionStatus::Complete));
    assert_eq!(session.amount_total, Some(2198));
    assert_eq!(session.currency.as_deref(), Some("usd"));
    let email = session
        .customer_details
        .as_ref()
        .and_then(|d| d.email.as_deref());
    assert_eq!(email, Some("jenny.rosen@example.com"));
    let metadata = session.metadata.as_ref().unwrap();
    assert_eq!(metadata.get("order_id").map(String::as_str), Some("6735"));
}

#[test]
fn checkout_session_async_events_and_expired() {
    let cases = [
        (
            "event_checkout_session_async_payment_succeeded.json",
            EventType::CheckoutSessionAsyncPaymentSucceeded,
            CheckoutSessionPaymentStatus::Paid,
            CheckoutSessionStatus::Complete,
        ),
        (
            "event_checkout_session_async_payment_failed.json",
            EventType::CheckoutSessionAsyncPaymentFailed,
            CheckoutSessionPaymentStatus::Unpaid,
            CheckoutSessionStatus::Complete,
        ),
        (
            "event_checkout_session_expired.json",
            EventType::CheckoutSessionExpired,
            CheckoutSessionPaymentStatus::Unpaid,
            CheckoutSessionStatus::Expired,
        ),
    ];
    for (name, ty, payment_status, status) in cases {
        let event = verified_fixture(name);
        assert_eq!(event.type_, ty, "{name}");
        assert!(event.type_.is_checkout_session());
        let EventObject::CheckoutSession(session) = &event.data.object else {
            panic!("{name}: not a session: {:?}", event.data.object)
        };
        assert_eq!(
            session.object,
            CheckoutSessionObject::CheckoutSession,
            "{name}"
        );
        assert_eq!(session.payment_status, payment_status, "{name}");
        assert_eq!(session.status, Some(status), "{name}");
    }
}

#[test]
fn event_types_round_trip_as_strings() {
    for (s, ty) in [
        (
            "checkout.session.completed",
            EventType::CheckoutSessionCompleted,
        ),
        (
            "checkout.session.async_payment_succeeded",
            EventType::CheckoutSessionAsyncPaymentSucceeded,
        ),
        (
            "checkout.session.async_payment_failed",
            EventType::CheckoutSessionAsyncPaymentFailed,
        ),
        (
            "checkout.session.expired",
            EventType::CheckoutSessionExpired,
        ),
        ("invoice.paid", EventType::Unknown("invoice.paid".into())),
        ("", EventType::Unknown("".into())),
    ] {
        assert_eq!(EventType::from(s), ty);
        assert_eq!(ty.as_str(), s);
        assert_eq!(ty.to_string(), s);
        #[cfg(feature = "serde")]
        {
            assert_eq!(
                serde_json::to_string(&ty).unwrap(),
                serde_json::to_string(s).unwrap()
            );
            assert_eq!(
                serde_json::from_str::<EventType>(&serde_json::to_string(s).unwrap()).unwrap(),
                ty
            );
        }
    }
    assert!(!EventType::from("checkout.session.updated").is_checkout_session());
}

#[test]
fn unknown_event_type_stays_raw_json() {
    let object = r#"{"id":"in_1","object":"invoice","amount_paid":500,"lines":{"data":[]}}"#;
    let payload = event_json("invoice.paid", object);
    let event = verifier()
        .construct(&payload, sign_payload(&payload, SECRET, T))
        .unwrap();
    assert_eq!(event.type_, EventType::Unknown("invoice.paid".into()));
    assert!(event.checkout_session().is_none());
    let expected: serde_json::Value = serde_json::from_str(object).unwrap();
    assert_eq!(event.data.object, EventObject::Other(expected));
    let request = event.request.unwrap();
    assert_eq!(request.id.as_deref(), Some("req_1"));
    assert_eq!(request.idempotency_key.as_deref(), Some("key-1"));
}

#[test]
fn session_shaped_object_with_other_type_is_not_guessed() {
    // The variant follows `type`, never the object's shape.
    let payload = event_json(
        "checkout.session.updated",
        r#"{"id":"cs_1","object":"checkout.session"}"#,
    );
    let event = verifier()
        .construct(&payload, sign_payload(&payload, SECRET, T))
        .unwrap();
    assert!(matches!(event.data.object, EventObject::Other(_)));
}

#[test]
fn unknown_fields_are_tolerated() {
    // The realistic fixture (which already has session fields newer than the spec, e.g.
    // `ui_mode`), plus unknown fields at every level.
    let mut json: serde_json::Value =
        serde_json::from_slice(&fixture("event_checkout_session_completed.json")).unwrap();
    json["livemode"] = true.into();
    json["api_version"] = serde_json::Value::Null;
    json["account"] = "acct_123".into();
    json["context"] = "acct_123".into();
    json["brand_new_field"] = serde_json::json!({"nested": [1, 2, 3]});
    json["request"]["extra"] = true.into();
    json["data"]["data_extra"] = serde_json::Value::Null;
    json["data"]["previous_attributes"] = serde_json::json!({"status": "open"});
    json["data"]["object"]["future_field"] = serde_json::json!({"a": [1]});
    json["data"]["object"]["customer_details"]["future_field"] = 1.into();
    json["data"]["object"]["automatic_tax"]["future_field"] = 1.into();
    let payload = json.to_string();
    let event = verifier()
        .construct(&payload, sign_payload(&payload, SECRET, T))
        .unwrap();
    assert_eq!(event.account.as_deref(), Some("acct_123"));
    assert!(event.livemode);
    assert_eq!(event.api_version, None);
    assert_eq!(
        event.data.previous_attributes.as_ref().unwrap()["status"],
        "open"
    );
    let session = event.checkout_session().unwrap();
    assert!(session.id.starts_with("cs_test_"));
}

#[test]
fn unknown_enum_values_in_the_session_are_kept() {
    let mut json: serde_json::Value =
        serde_json::from_slice(&fixture("event_checkout_session_completed.json")).unwrap();
    json["data"]["object"]["payment_status"] = "paid_in_gold".into();
    let payload = json.to_string();
    let event = verifier()
        .construct(&payload, sign_payload(&payload, SECRET, T))
        .unwrap();
    assert_eq!(
        event.checkout_session().unwrap().payment_status,
        CheckoutSessionPaymentStatus::Unknown("paid_in_gold".into())
    );
}

#[test]
fn a_bad_session_names_its_path() {
    let mut json: serde_json::Value =
        serde_json::from_slice(&fixture("event_checkout_session_completed.json")).unwrap();
    json["data"]["object"]["amount_total"] = "a lot".into();
    let payload = json.to_string();
    let err = verifier()
        .construct(&payload, sign_payload(&payload, SECRET, T))
        .unwrap_err();
    match &err {
        WebhookError::InvalidPayload { path, .. } => assert_eq!(path, "data.object.amount_total"),
        other => panic!("{other:?}"),
    }
    // The same object under another event type is not a session, so it is not checked.
    json["type"] = "checkout.session.updated".into();
    let payload = json.to_string();
    let event = verifier()
        .construct(&payload, sign_payload(&payload, SECRET, T))
        .unwrap();
    assert!(matches!(event.data.object, EventObject::Other(_)));
}

#[test]
fn optional_fields_may_be_null_or_absent() {
    let payload = r#"{"id":"evt_3","type":"invoice.paid","created":1,"livemode":false,
        "pending_webhooks":0,"request":null,"data":{"object":{}}}"#;
    let event = verifier()
        .construct(payload, sign_payload(payload, SECRET, T))
        .unwrap();
    assert_eq!(event.request, None);
    assert_eq!(event.api_version, None);
    assert_eq!(event.account, None);
}

#[test]
fn invalid_events_name_the_path() {
    let cases = [
        ("42", "."),
        ("null", "."),
        // Cut short before any key was read: the document itself.
        ("{", "."),
        ("not json", "."),
        (
            r#"{"id":"evt_1","type":"invoice.paid","created":"yesterday"}"#,
            "created",
        ),
        (r#"{"id":"evt_1","type":7}"#, "type"),
        (
            r#"{"id":"evt_1","type":"invoice.paid","created":1,"livemode":false,"pending_webhooks":0,
               "request":{"id":5},"data":{"object":{}}}"#,
            "request.id",
        ),
        (
            r#"{"id":"evt_1","type":"invoice.paid","created":1,"livemode":false,"pending_webhooks":0,
               "data":{"previous_attributes":[]}}"#,
            "data.previous_attributes",
        ),
    ];
    for (payload, path) in cases {
        let err = verifier()
            .construct(payload, sign_payload(payload, SECRET, T))
            .unwrap_err();
        match &err {
            WebhookError::InvalidPayload { path: got, .. } => assert_eq!(got, path, "{payload}"),
            other => panic!("{payload}: {other:?}"),
        }
        assert!(err.to_string().contains(path), "{err}");
    }
    // A missing required field is reported at its parent.
    let payload = r#"{"id":"evt_1","type":"invoice.paid"}"#;
    let err = verifier()
        .construct(payload, sign_payload(payload, SECRET, T))
        .unwrap_err();
    assert!(err.to_string().contains("missing field `created`"), "{err}");
}

#[cfg(feature = "serde")]
#[test]
fn events_serialize_back_to_equivalent_json() {
    for name in [
        "event_checkout_session_completed.json",
        "event_checkout_session_async_payment_succeeded.json",
        "event_checkout_session_async_payment_failed.json",
        "event_checkout_session_expired.json",
    ] {
        let event = verified_fixture(name);
        let json = serde_json::to_string(&event).unwrap();
        let again: Event = serde_json::from_str(&json).unwrap();
        assert_eq!(again, event, "{name}");
    }
}

// --- properties ---------------------------------------------------------------------------

/// Header-like strings: mostly made of the characters that matter to the parser.
fn header_strategy() -> impl Strategy<Value = String> {
    prop_oneof![
        ".*",
        "[tv01=,a-f0-9 ]{0,200}",
        (any::<i64>(), "[0-9a-fA-F]{0,70}", "[tv0-9=,]{0,20}")
            .prop_map(|(t, sig, tail)| format!("t={t},v1={sig},{tail}")),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn never_panics(
        header in header_strategy(),
        payload in proptest::collection::vec(any::<u8>(), 0..300),
        secret in ".{0,40}",
        now in any::<i64>(),
        tolerance in any::<u64>(),
    ) {
        let webhook = Webhook::new(&secret).now(now).tolerance(Duration::from_secs(tolerance));
        let _ = webhook.verify(&payload, &header);
        let _ = webhook.construct(&payload, &header);
        let _ = Webhook::construct_event(&payload, &header, &secret);
        // Signing any timestamp never panics either.
        let _ = sign_payload(&payload, &secret, now);
    }

    #[test]
    fn signed_payloads_verify_and_mutations_do_not(
        payload in proptest::collection::vec(any::<u8>(), 0..300),
        secret in ".{0,40}",
        t in 0i64..=4_102_444_800,
        flip in any::<prop::sample::Index>(),
    ) {
        let header = sign_payload(&payload, &secret, t);
        let webhook = Webhook::new(&secret).now(t);
        if secret.trim().is_empty() {
            // An empty secret verifies nothing, not even what was signed with it.
            prop_assert_eq!(webhook.verify(&payload, &header), Err(WebhookError::EmptySecret));
            return Ok(());
        }
        prop_assert_eq!(webhook.verify(&payload, &header), Ok(()));
        if !payload.is_empty() {
            let mut tampered = payload.clone();
            let i = flip.index(tampered.len());
            tampered[i] ^= 0x01;
            prop_assert_eq!(webhook.verify(&tampered, &header), Err(WebhookError::NoMatchingSignature));
        }
    }
}

#[test]
fn an_empty_secret_accepts_nothing_not_even_payloads_signed_with_it() {
    let payload = event_json("checkout.session.completed", r#"{"id":"cs_test_1"}"#);
    for secret in ["", " ", "\t\n"] {
        // A forger who signs with the empty key (what an unset `STRIPE_WEBHOOK_SECRET=` gives).
        let forged = sign_payload(&payload, secret, T);
        let webhook = Webhook::new(secret).now(T);
        assert_eq!(
            webhook.construct(&payload, &forged).unwrap_err(),
            WebhookError::EmptySecret,
            "{secret:?}"
        );
        assert_eq!(
            webhook.verify(&payload, &forged).unwrap_err(),
            WebhookError::EmptySecret
        );
        assert_eq!(
            Webhook::construct_event(&payload, &forged, secret).unwrap_err(),
            WebhookError::EmptySecret
        );
        assert_eq!(
            Webhook::try_new(secret).unwrap_err(),
            WebhookError::EmptySecret
        );
    }
    assert!(WebhookError::EmptySecret
        .to_string()
        .contains("secret is empty"));
    // A real secret with spaces around it is used as given, not refused.
    let header = sign_payload(&payload, " whsec_x ", T);
    let verified = Webhook::try_new(" whsec_x ")
        .unwrap()
        .now(T)
        .verify(&payload, &header);
    assert!(verified.is_ok(), "{verified:?}");
}
