//! The `/v1/` request pipeline: authenticate → route → injected faults → read the body →
//! validate against the spec → idempotency → dispatch to the operation → reply.
//!
//! The order follows what Stripe records: auth, unknown URLs, rate limits and validation errors
//! are answered before anything executes, so they are never stored under an idempotency key
//! (<https://docs.stripe.com/api/idempotent_requests>). `Stripe-Account` scopes every
//! operation to a connected account (<https://docs.stripe.com/connect/authentication>).

use bytes::Bytes;
use hyper::body::Incoming;
use hyper::header::HeaderValue;
use hyper::Request;
use serde_json::{Map, Value};

use crate::auth::authenticate;
use crate::catalogue::Kind;
use crate::error::FakeError;
use crate::faults::{self, DropConnection, FaultKind};
use crate::idempotency::{self, Begin};
use crate::objects::{not_supported, ObjectKind};
use crate::params::OpId;
use crate::reply::{error_reply, json_reply, Reply};
use crate::request::{check_form_utf8, form_text, header, read_body, warn_on_other_version};
use crate::routing::{route, Route};
use crate::schema::parse_and_validate;
use crate::shared::{lock, Shared};
use crate::state::{RequestContext, State};

/// Answers one `/v1/` request.
pub(crate) async fn handle(
    shared: &Shared,
    req: Request<Incoming>,
    path: &str,
    request_id: &str,
) -> Result<Reply, DropConnection> {
    if let Err(e) = authenticate(&req) {
        return Ok(error_reply(&e, request_id));
    }
    warn_on_other_version(&req);
    let method = req.method().as_str().to_owned();
    let Some(route) = route(&method, path) else {
        return Ok(error_reply(&unrecognized(&method, path), request_id));
    };
    let account = header(&req, "stripe-account")
        .map(str::to_owned)
        .filter(|a| !a.is_empty());
    let idempotency_key = header(&req, "idempotency-key")
        .map(str::to_owned)
        .filter(|k| !k.is_empty());

    // Faults come before anything is executed (and so before idempotency is recorded).
    let fault = faults::take(&mut lock(&shared.control).faults, &method, path);
    let mut delay = None;
    match fault {
        Some(FaultKind::Status {
            status,
            retry_after,
            should_retry,
        }) => {
            return Ok(faults::status_reply(
                status,
                retry_after,
                should_retry,
                request_id,
            ))
        }
        Some(FaultKind::DropConnection) => return Err(DropConnection),
        Some(FaultKind::Delay(d)) => delay = Some(d),
        None => {}
    }

    let query = req.uri().query().unwrap_or_default().to_owned();
    // GET and DELETE read the query string (the SDKs send DELETE's parameters there).
    let text = if method == "GET" || (method == "DELETE" && !query.is_empty()) {
        if let Err(e) = check_form_utf8(&query) {
            return Ok(error_reply(&e, request_id));
        }
        query
    } else {
        match read_body(req.into_body()).await {
            Ok(bytes) => match form_text(bytes) {
                Ok(text) => text,
                Err(e) => return Ok(error_reply(&e, request_id)),
            },
            Err(e) => {
                // The rest of the body is unread: this connection cannot carry another request.
                let mut reply = error_reply(&e, request_id);
                reply
                    .headers_mut()
                    .insert(hyper::header::CONNECTION, HeaderValue::from_static("close"));
                return Ok(reply);
            }
        }
    };
    let params = match parse_and_validate(route.operation, &text) {
        Ok(p) => p,
        Err(e) => return Ok(error_reply(&e, request_id)),
    };

    // Idempotency: POSTs only; validation errors are not recorded.
    let idem_key = if method == "POST" {
        idempotency_key
    } else {
        None
    };
    let fingerprint = idempotency::fingerprint(&method, path, &text);
    if let Some(key) = &idem_key {
        let now = lock(&shared.state).now();
        let begun = lock(&shared.control)
            .idempotency
            .begin(&account, key, &fingerprint, now);
        match begun {
            Begin::Execute => {}
            Begin::Replay { status, body } => {
                return Ok(idempotency::replay_reply(status, body, key, request_id))
            }
            Begin::Refuse(e) => return Ok(error_reply(&e, request_id)),
        }
    }

    if let Some(d) = delay {
        tokio::time::sleep(d).await;
    }
    let ctx = RequestContext {
        request_id: Some(request_id.to_owned()),
        idempotency_key: idem_key.clone(),
    };
    let result = shared
        .with_state(|state| dispatch(state, &route, &account, &params, &ctx, &shared.base_url));
    let (status, body) = match result {
        Ok(json) => (200, Bytes::from(json)),
        Err(e) => (e.status, Bytes::from(e.body().to_string())),
    };
    if let Some(key) = &idem_key {
        let now = lock(&shared.state).now();
        lock(&shared.control).idempotency.finish(
            account,
            key.clone(),
            fingerprint,
            now,
            status,
            body.clone(),
        );
    }
    let mut reply = json_reply(status, body, request_id);
    if let Some(key) = &idem_key {
        idempotency::echo_key(&mut reply, key);
    }
    Ok(reply)
}

/// Runs the operation. Exhaustive over [`OpId`]: an operation added to the spec without a
/// handler here does not compile.
fn dispatch(
    state: &mut State,
    route: &Route,
    account: &Option<String>,
    params: &Map<String, Value>,
    ctx: &RequestContext,
    base_url: &str,
) -> Result<String, FakeError> {
    let session = || route.param("session").unwrap_or_default();
    // Catalogue paths hold one id parameter (`{price}`, `{id}`, …) after the collection.
    let kind = || Kind::of_path(route.operation.path);
    let id = || route.only_param().unwrap_or_default();
    let object = |o: Map<String, Value>| Value::Object(o).to_string();
    match route.operation.op {
        OpId::PostCheckoutSessions => state.create(account, params, base_url),
        OpId::GetCheckoutSessions => state.list(account, params),
        OpId::GetCheckoutSessionsSession => state.retrieve(account, session(), params),
        OpId::PostCheckoutSessionsSession => state.update(account, session(), params),
        OpId::PostCheckoutSessionsSessionExpire => state.expire(account, session(), params, ctx),
        OpId::GetCheckoutSessionsSessionLineItems => {
            state.list_line_items(account, session(), params)
        }
        OpId::GetCoupons
        | OpId::GetPrices
        | OpId::GetProducts
        | OpId::GetPromotionCodes
        | OpId::GetShippingRates
        | OpId::GetTaxRates => state.list_objects(kind()?, account, params),
        OpId::PostCoupons
        | OpId::PostPrices
        | OpId::PostProducts
        | OpId::PostPromotionCodes
        | OpId::PostShippingRates
        | OpId::PostTaxRates => state.create_object(kind()?, account, params).map(object),
        OpId::GetCouponsCoupon
        | OpId::GetPricesPrice
        | OpId::GetProductsId
        | OpId::GetPromotionCodesPromotionCode
        | OpId::GetShippingRatesShippingRateToken
        | OpId::GetTaxRatesTaxRate => state
            .retrieve_object(kind()?, account, id(), params)
            .map(object),
        OpId::PostCouponsCoupon
        | OpId::PostPricesPrice
        | OpId::PostProductsId
        | OpId::PostPromotionCodesPromotionCode
        | OpId::PostShippingRatesShippingRateToken
        | OpId::PostTaxRatesTaxRate => state
            .update_object(kind()?, account, id(), params)
            .map(object),
        OpId::DeleteCouponsCoupon | OpId::DeleteProductsId => {
            state.delete_object(kind()?, account, id()).map(object)
        }

        // What completed sessions made (objects/).
        OpId::GetCustomers => state.list_customers(account, params),
        OpId::PostCustomers => state.create_customer(account, params, ctx),
        OpId::GetCustomersCustomer => {
            state.retrieve_made(ObjectKind::Customer, account, id(), params)
        }
        OpId::PostCustomersCustomer => state.update_customer(account, id(), params, ctx),
        OpId::DeleteCustomersCustomer => state.delete_customer(account, id(), ctx),
        OpId::GetPaymentIntents => state.list_payment_intents(account, params),
        OpId::GetPaymentIntentsIntent => {
            state.retrieve_made(ObjectKind::PaymentIntent, account, id(), params)
        }
        OpId::GetChargesCharge => state.retrieve_made(ObjectKind::Charge, account, id(), params),
        OpId::GetPaymentMethodsPaymentMethod => {
            state.retrieve_made(ObjectKind::PaymentMethod, account, id(), params)
        }
        OpId::GetSetupIntentsIntent => {
            state.retrieve_made(ObjectKind::SetupIntent, account, id(), params)
        }
        OpId::GetSubscriptions => state.list_subscriptions(account, params),
        OpId::PostSubscriptions => state.create_subscription(),
        OpId::GetSubscriptionsSubscriptionExposedId => {
            state.retrieve_made(ObjectKind::Subscription, account, id(), params)
        }
        OpId::PostSubscriptionsSubscriptionExposedId => {
            state.update_subscription(account, id(), params, ctx)
        }
        OpId::DeleteSubscriptionsSubscriptionExposedId => {
            state.cancel_subscription(account, id(), params, ctx)
        }
        OpId::GetInvoices => state.list_invoices(account, params),
        OpId::PostInvoices => state.create_invoice(),
        OpId::GetInvoicesInvoice => state.retrieve_made(ObjectKind::Invoice, account, id(), params),
        OpId::PostInvoicesInvoice => state.update_invoice(account, id(), params, ctx),
        OpId::DeleteInvoicesInvoice => state.delete_invoice(account, id()),
        OpId::GetEvents => state.list_events(account, params),
        OpId::GetEventsId => state.retrieve_event(account, id()),
        // Stripe's spec puts these beside the paths above; the fake makes these objects only
        // by completing sessions.
        OpId::PostPaymentIntents | OpId::PostPaymentIntentsIntent => Err(not_supported(
            "POST",
            route.operation.path,
            "its payment intents are made by completing a payment-mode Checkout Session",
        )),
        OpId::PostChargesCharge => Err(not_supported(
            "POST",
            route.operation.path,
            "its charges are made by completing a payment-mode Checkout Session",
        )),
        OpId::PostPaymentMethodsPaymentMethod => Err(not_supported(
            "POST",
            route.operation.path,
            "its payment methods are the ones customers enter in Checkout",
        )),
        OpId::PostSetupIntentsIntent => Err(not_supported(
            "POST",
            route.operation.path,
            "its setup intents are made by completing a setup-mode Checkout Session",
        )),
    }
}

/// 404 for a method and path that name no operation, in Stripe's words.
fn unrecognized(method: &str, path: &str) -> FakeError {
    FakeError {
        status: 404,
        kind: "invalid_request_error",
        code: None,
        param: None,
        message: format!(
            "Unrecognized request URL ({method}: {}). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.",
            path.chars().take(200).collect::<String>()
        ),
    }
}
