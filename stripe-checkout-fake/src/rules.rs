//! Stripe's rules beyond the spec's types, one small function per rule, each named after what
//! it demands and citing its source. The spec-level checks (unknown, missing, types, enums,
//! `maxLength`) are in [`crate::schema`].
//!
//! Two kinds of rules live here:
//!
//! - [`check_create`]: the rules on the create params alone (URL and currency values,
//!   parameters that exclude each other, parameters bound to a `mode` or `ui_mode`, list
//!   limits), run first by session create. Input is the validated params tree (what
//!   `schema.rs` makes of the form body: integers as numbers, booleans as booleans, arrays in
//!   index order, hashes as maps). A value of `""` or `null`, or an empty list, counts as not
//!   given: the validator has already refused an empty value where the spec does not allow
//!   one, and where it does, `""` unsets.
//! - Small functions called from [`crate::sessions`] and [`crate::lifecycle`] once they know
//!   more (`ui_mode`, looked-up prices, counts, the clock, a session's status).
//!
//! "Observed" means the message is Stripe's own as quoted in a public report of a real API
//! response; "wording is the fake's" means Stripe documents the rule but not its message.
//! Observed responses for the exclusive/mode-bound family carry no `code`, so neither do ours.

use serde_json::{Map, Value};

use crate::error::FakeError;
use crate::money;
use crate::schema::str_param;
use crate::state::DAY;

/// 30 minutes: the earliest `expires_at` Stripe accepts, from creation.
pub const MIN_EXPIRY: i64 = 30 * 60;

/// Metadata: at most 50 keys, key names up to 40 characters, values up to 500.
/// <https://docs.stripe.com/api/metadata>
pub(crate) fn metadata_limits(p: &Map<String, Value>) -> Result<(), FakeError> {
    let Some(Value::Object(metadata)) = p.get("metadata") else {
        return Ok(());
    };
    let too_long = metadata.iter().find(|(k, v)| {
        k.chars().count() > 40 || v.as_str().is_some_and(|v| v.chars().count() > 500)
    });
    if metadata.len() > 50 || too_long.is_some() {
        let param = match too_long {
            Some((key, _)) => format!("metadata[{key}]"),
            None => "metadata".to_owned(),
        };
        return Err(FakeError::param(
            param,
            "Invalid metadata: You can specify up to 50 keys, with key names up to 40 characters long and values up to 500 characters long.",
        ));
    }
    Ok(())
}

/// `success_url`/`cancel_url` only with `ui_mode=hosted_page`; `return_url` (and
/// `redirect_on_completion`) only with `embedded_page`/`elements`, where `return_url` is
/// required unless `redirect_on_completion=never`, which forbids it.
/// <https://docs.stripe.com/api/checkout/sessions/create#create_checkout_session-return_url>,
/// <https://docs.stripe.com/payments/checkout/custom-success-page>
pub(crate) fn ui_mode_urls(p: &Map<String, Value>, ui_mode: &str) -> Result<(), FakeError> {
    if ui_mode == "hosted_page" {
        if p.contains_key("return_url") {
            return Err(FakeError::param(
                "return_url",
                "You can only pass `return_url` when `ui_mode` is `embedded_page` or `elements`.",
            ));
        }
        if str_param(p, "redirect_on_completion").is_some() {
            return Err(FakeError::param(
                "redirect_on_completion",
                "You can only pass `redirect_on_completion` when `ui_mode` is `embedded_page` or `elements`.",
            ));
        }
        return Ok(());
    }
    for url in ["success_url", "cancel_url"] {
        if p.contains_key(url) {
            return Err(FakeError::param(
                url,
                format!("You cannot pass `{url}` when `ui_mode` is `{ui_mode}`; use `return_url` instead."),
            ));
        }
    }
    let never = str_param(p, "redirect_on_completion") == Some("never");
    if never && p.contains_key("return_url") {
        return Err(FakeError::param(
            "return_url",
            "You cannot pass `return_url` when `redirect_on_completion` is `never`.",
        ));
    }
    if !never && str_param(p, "return_url").is_none() {
        return Err(FakeError::missing_param("return_url"));
    }
    Ok(())
}

/// `line_items` is required in `payment` and `subscription` mode.
/// <https://docs.stripe.com/api/checkout/sessions/create#create_checkout_session-line_items>
pub(crate) fn line_items_required_unless_setup(mode: &str, count: usize) -> Result<(), FakeError> {
    if count == 0 && (mode == "payment" || mode == "subscription") {
        return Err(FakeError::missing_param("line_items"));
    }
    Ok(())
}

/// No `line_items` in `setup` mode.
/// <https://docs.stripe.com/api/checkout/sessions/create#create_checkout_session-line_items>
pub(crate) fn no_line_items_in_setup_mode(mode: &str, count: usize) -> Result<(), FakeError> {
    if count > 0 && mode == "setup" {
        return Err(FakeError::param(
            "line_items",
            "You cannot pass `line_items` in `setup` mode.",
        ));
    }
    Ok(())
}

/// At most 100 `line_items` in `payment` mode.
/// <https://docs.stripe.com/api/checkout/sessions/create#create_checkout_session-line_items>
pub(crate) fn at_most_100_line_items_in_payment_mode(
    mode: &str,
    count: usize,
) -> Result<(), FakeError> {
    if mode == "payment" && count > 100 {
        return Err(FakeError::param(
            "line_items",
            "You can pass at most 100 `line_items` in `payment` mode.",
        ));
    }
    Ok(())
}

/// A recurring price needs `subscription` mode (checked for `line_items[i]`).
/// <https://docs.stripe.com/api/checkout/sessions/create#create_checkout_session-mode>
pub(crate) fn recurring_price_not_in_payment_mode(mode: &str, i: usize) -> Result<(), FakeError> {
    if mode == "payment" {
        return Err(FakeError::param(
            format!("line_items[{i}]"),
            "You specified `payment` mode but passed a recurring price. Either switch to `subscription` mode or use only one-time prices.",
        ));
    }
    Ok(())
}

/// `subscription` mode needs at least one recurring price.
/// <https://docs.stripe.com/api/checkout/sessions/create#create_checkout_session-mode>
pub(crate) fn subscription_needs_a_recurring_price(
    mode: &str,
    recurring: usize,
) -> Result<(), FakeError> {
    if mode == "subscription" && recurring == 0 {
        return Err(FakeError::param(
            "line_items",
            "You must provide at least one recurring price in `subscription` mode when using prices.",
        ));
    }
    Ok(())
}

/// At most 20 recurring and 20 one-time `line_items` in `subscription` mode.
/// <https://docs.stripe.com/api/checkout/sessions/create#create_checkout_session-line_items>
pub(crate) fn at_most_20_and_20_line_items_in_subscription_mode(
    mode: &str,
    recurring: usize,
    one_time: usize,
) -> Result<(), FakeError> {
    if mode == "subscription" && (recurring > 20 || one_time > 20) {
        return Err(FakeError::param(
            "line_items",
            "You can pass at most 20 recurring and 20 one-time `line_items` in `subscription` mode.",
        ));
    }
    Ok(())
}

/// All line items use one currency (compared case-insensitively; items given by `price` are
/// compared once looked up, so this runs on the built items, not in [`check_create`]).
///
/// Source: a Checkout Session has a single `currency`
/// (<https://docs.stripe.com/api/checkout/sessions/object#checkout_session_object-currency>,
/// <https://docs.stripe.com/api/checkout/sessions/create#create_checkout_session-line_items>).
/// Wording and `param` (`line_items[i]`, the first that differs) are the fake's.
pub(crate) fn one_currency(items: &[Value], currency: &str) -> Result<(), FakeError> {
    let same = |it: &Value| {
        it["currency"]
            .as_str()
            .is_some_and(|c| c.eq_ignore_ascii_case(currency))
    };
    if let Some(i) = items.iter().position(|it| !same(it)) {
        return Err(FakeError::param(
            format!("line_items[{i}]"),
            "All line items must use the same currency.",
        ));
    }
    Ok(())
}

/// A line item's `quantity` is required and at least 1.
/// <https://docs.stripe.com/api/checkout/sessions/create#create_checkout_session-line_items-quantity>
pub(crate) fn quantity_at_least_one(i: usize, quantity: Option<i64>) -> Result<i64, FakeError> {
    let Some(quantity) = quantity else {
        return Err(FakeError::missing_param(&format!(
            "line_items[{i}][quantity]"
        )));
    };
    if quantity < 1 {
        return Err(FakeError::param(
            format!("line_items[{i}][quantity]"),
            "This value must be greater than or equal to 1.",
        ));
    }
    Ok(quantity)
}

/// `price_data[unit_amount]` is not negative.
/// <https://docs.stripe.com/api/checkout/sessions/create#create_checkout_session-line_items-price_data-unit_amount>
pub(crate) fn unit_amount_not_negative(i: usize, unit_amount: i64) -> Result<(), FakeError> {
    if unit_amount < 0 {
        return Err(FakeError::param(
            format!("line_items[{i}][price_data][unit_amount]"),
            "This value must be greater than or equal to 0.",
        ));
    }
    Ok(())
}

/// `expires_at`: 30 minutes to 24 hours after creation (`now`), default 24 hours.
/// <https://docs.stripe.com/api/checkout/sessions/create#create_checkout_session-expires_at>
pub(crate) fn expires_at_within_30_minutes_to_24_hours(
    p: &Map<String, Value>,
    now: i64,
) -> Result<i64, FakeError> {
    match p.get("expires_at").and_then(Value::as_i64) {
        Some(at) if at < now.saturating_add(MIN_EXPIRY) => Err(FakeError::param(
            "expires_at",
            "The `expires_at` timestamp must be at least 30 minutes from Checkout Session creation.",
        )),
        Some(at) if at > now.saturating_add(DAY) => Err(FakeError::param(
            "expires_at",
            "The `expires_at` timestamp must be less than 24 hours from Checkout Session creation.",
        )),
        Some(at) => Ok(at),
        None => Ok(now.saturating_add(DAY)),
    }
}

/// Only an `open` session can be completed or expired (`verb`: `completed`, `expired`).
/// <https://docs.stripe.com/api/checkout/sessions/expire>
pub(crate) fn only_open_sessions(status: &str, verb: &str) -> Result<(), FakeError> {
    if status != "open" {
        return Err(FakeError::invalid(
            None,
            None,
            format!("Only Checkout Sessions with a status in [\"open\"] can be {verb}. This Checkout Session has a status of \"{status}\"."),
        ));
    }
    Ok(())
}

/// The longest URL Stripe takes.
pub(crate) const MAX_URL_CHARS: usize = 5000;

/// One rule: the params in, Stripe's error out.
type Rule = fn(&Map<String, Value>) -> Result<(), FakeError>;

/// Every rule for `POST /v1/checkout/sessions`, first failure wins.
///
/// Stripe does not document the order it checks in, and the params map does not keep request
/// order, so the order is the fake's, from the most local to the most global: (1) single values
/// (URLs, currencies), the way Stripe reports a bad value before looking at the rest;
/// (2) parameters that exclude each other; (3) parameters bound to `mode`; (4) parameters bound
/// to `ui_mode`; (5) list lengths and list entries. Session create runs this first, then the
/// functions above (ui_mode URLs, metadata, line items against stored prices, one currency).
pub(crate) fn check_create(p: &Map<String, Value>) -> Result<(), FakeError> {
    let rules: &[Rule] = &[
        // (1) values
        urls_are_valid,
        currencies_are_supported,
        // (2) exclusive parameters
        customer_excludes_customer_email,
        customer_excludes_customer_creation,
        promotion_codes_exclude_discounts,
        customer_update_needs_customer,
        // (3) mode
        customer_creation_not_in_subscription_mode,
        payment_intent_data_only_in_payment_mode,
        subscription_data_only_in_subscription_mode,
        setup_intent_data_only_in_setup_mode,
        submit_type_not_in_setup_mode,
        invoice_creation_only_in_payment_mode,
        payment_method_collection_only_in_subscription_mode,
        saved_payment_method_options_not_in_setup_mode,
        shipping_options_only_in_payment_mode,
        // (4) ui_mode
        not_with_elements_ui,
        permissions_not_on_hosted_page,
        // (5) lists
        at_most_one_discount,
        discount_is_coupon_or_promotion_code,
        at_most_five_shipping_options,
        at_most_three_custom_fields,
        at_most_ten_optional_items,
    ];
    rules.iter().try_for_each(|rule| rule(p))
}

// ---------------------------------------------------------------------------------------------
// (1) Values

/// The create params that hold URLs (every `type: string` URL in the spec's create body; the
/// spec marks none with `format: uri`). Paths are keys from the top.
const URL_PARAMS: &[&[&str]] = &[
    &["success_url"],
    &["cancel_url"],
    &["return_url"],
    &["branding_settings", "icon", "url"],
    &["branding_settings", "logo", "url"],
    &[
        "payment_method_options",
        "acss_debit",
        "mandate_options",
        "custom_mandate_url",
    ],
];

/// URLs must be absolute `http`/`https` URLs with a host, at most 5000 characters; the
/// `{CHECKOUT_SESSION_ID}` template is allowed.
///
/// Sources: `code: url_invalid`, `message: "Not a valid URL"`, `param: success_url` (and
/// `return_url`) observed in real responses
/// (<https://github.com/AntonioErdeljac/next13-ai-saas/issues/40>, `…/issues/41>);
/// `url_invalid` is listed at <https://docs.stripe.com/error-codes>. The length limit and its
/// message, "Invalid URL: URL must be 5000 characters or less.", `param: success_url`, observed
/// in <https://github.com/vm0-ai/vm0/issues/25340> (that report does not show the `code`; the fake
/// uses `url_invalid`). The template: <https://docs.stripe.com/payments/checkout/custom-success-page>.
/// Which schemes are accepted is not documented; the fake takes `http` and `https` only.
fn urls_are_valid(p: &Map<String, Value>) -> Result<(), FakeError> {
    for path in URL_PARAMS {
        let Some(url) = string_at(p, path) else {
            continue;
        };
        if url.chars().count() > MAX_URL_CHARS {
            return Err(FakeError::invalid(
                Some("url_invalid"),
                Some(param_name(path)),
                "Invalid URL: URL must be 5000 characters or less.".to_owned(),
            ));
        }
        if !is_valid_url(url) {
            return Err(FakeError::invalid(
                Some("url_invalid"),
                Some(param_name(path)),
                "Not a valid URL".to_owned(),
            ));
        }
    }
    Ok(())
}

/// An absolute `http`/`https` URL with a non-empty host: `scheme://[userinfo@]host[:port][/…]`.
/// Characters are those RFC 3986 allows plus `{` `}` (for `{CHECKOUT_SESSION_ID}`) and non-ASCII
/// letters (internationalized hosts and paths); no spaces, controls or `<>"\^`|`.
pub(crate) fn is_valid_url(url: &str) -> bool {
    let Some((scheme, rest)) = url.split_once("://") else {
        return false;
    };
    if !(scheme.eq_ignore_ascii_case("http") || scheme.eq_ignore_ascii_case("https")) {
        return false;
    }
    if !url.chars().all(is_url_char) {
        return false;
    }
    let authority = &rest[..rest.find(['/', '?', '#']).unwrap_or(rest.len())];
    let host_port = authority
        .rsplit_once('@')
        .map_or(authority, |(_, host)| host);
    let (host, port) = if let Some(v6) = host_port.strip_prefix('[') {
        // An IPv6 literal: `[::1]` or `[::1]:8080`.
        let Some((addr, after)) = v6.split_once(']') else {
            return false;
        };
        if addr.is_empty()
            || !addr
                .chars()
                .all(|c| c.is_ascii_hexdigit() || c == ':' || c == '.')
        {
            return false;
        }
        match after.strip_prefix(':') {
            Some(port) => ("[v6]", Some(port)),
            None if after.is_empty() => ("[v6]", None),
            None => return false,
        }
    } else {
        match host_port.split_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (host_port, None),
        }
    };
    let port_ok = port.is_none_or(|port| {
        !port.is_empty() && port.len() <= 5 && port.chars().all(|c| c.is_ascii_digit())
    });
    let host_ok = host == "[v6]"
        || (!host.is_empty()
            && host.split('.').all(|label| {
                !label.is_empty()
                    && !label.starts_with('-')
                    && !label.ends_with('-')
                    && label
                        .chars()
                        .all(|c| c.is_alphanumeric() || c == '-' || c == '_')
            }));
    port_ok && host_ok
}

fn is_url_char(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphanumeric() || "-._~:/?#[]@!$&'()*+,;=%{}".contains(c)
    } else {
        !c.is_control() && !c.is_whitespace()
    }
}

/// Every `format: currency` param of the create body must be a supported currency.
///
/// Source: the spec's `currency` ("Must be a [supported currency](https://stripe.com/docs/currencies)")
/// and the currency table of [`crate::money`] (<https://docs.stripe.com/currencies>). Message observed: "Invalid currency: zzz. Stripe currently
/// supports these currencies: usd, aed, afn, …" with `param: currency`
/// (<https://github.com/lukec/stripe-perl/issues/156>); no `code`. Stripe lists `usd` first,
/// then alphabetically, and so does the fake.
///
/// The fake compares case-insensitively: the spec asks for lowercase, but whether Stripe
/// refuses `USD` is not documented, and refusing what Stripe takes would break clients.
fn currencies_are_supported(p: &Map<String, Value>) -> Result<(), FakeError> {
    let mut fields: Vec<(String, &str)> = Vec::new();
    if let Some(c) = string_at(p, &["currency"]) {
        fields.push(("currency".to_owned(), c));
    }
    for (i, item) in list(p, "line_items").iter().enumerate() {
        if let Some(c) = string_in(item, &["price_data", "currency"]) {
            fields.push((format!("line_items[{i}][price_data][currency]"), c));
        }
    }
    for (i, option) in list(p, "shipping_options").iter().enumerate() {
        if let Some(c) = string_in(option, &["shipping_rate_data", "fixed_amount", "currency"]) {
            fields.push((
                format!("shipping_options[{i}][shipping_rate_data][fixed_amount][currency]"),
                c,
            ));
        }
    }
    let pix = [
        "payment_method_options",
        "pix",
        "mandate_options",
        "currency",
    ];
    if let Some(c) = string_at(p, &pix) {
        fields.push((param_name(&pix), c));
    }
    match fields.into_iter().find(|(_, c)| !is_supported_currency(c)) {
        Some((param, c)) => Err(FakeError::param(param, invalid_currency_message(c))),
        None => Ok(()),
    }
}

/// Whether `code` is a currency Stripe supports: one table for the whole fake,
/// [`money::currency`] (any case in, as the live API takes it).
pub(crate) fn is_supported_currency(code: &str) -> bool {
    money::currency(code).is_some()
}

/// Stripe's message, listing [`money::currencies`] (`usd` first, then alphabetically).
fn invalid_currency_message(currency: &str) -> String {
    let listed: Vec<&str> = money::currencies().map(|c| c.code).collect();
    format!(
        "Invalid currency: {currency}. Stripe currently supports these currencies: {}",
        listed.join(", ")
    )
}

// ---------------------------------------------------------------------------------------------
// (2) Exclusive parameters

/// `customer` and `customer_email` exclude each other.
///
/// Observed: "You may only specify one of these parameters: customer, customer_email."
/// (<https://github.com/laravel/cashier-stripe/issues/1078>,
/// <https://github.com/SkynetLabs/skynet-webportal/pull/1325>). The `param` is not shown in
/// those reports; the fake names the first of the two, as Stripe does for
/// `allow_promotion_codes, discounts` (below).
fn customer_excludes_customer_email(p: &Map<String, Value>) -> Result<(), FakeError> {
    exclusive(p, "customer", "customer_email")
}

/// `customer` and `customer_creation` exclude each other.
///
/// Observed: "You may only specify one of these parameters: customer, customer_creation."
/// (quoted in public integrations' code and tests, e.g. a WordPress Stripe plugin's checkout
/// session builder and several billing clients found by exact-string search); `param` as above.
fn customer_excludes_customer_creation(p: &Map<String, Value>) -> Result<(), FakeError> {
    exclusive(p, "customer", "customer_creation")
}

/// `allow_promotion_codes` and `discounts` exclude each other, even with
/// `allow_promotion_codes=false`.
///
/// Observed: message "You may only specify one of these parameters: allow_promotion_codes,
/// discounts.", `param: allow_promotion_codes`, no `code`
/// (<https://github.com/stripe/stripe-node/issues/2248>); refused even when `false`
/// (<https://github.com/laravel/cashier-stripe/issues/1163>). Stripe's docs: "only allow one
/// discount at a time" (<https://github.com/stripe/stripe-php/issues/1731>, Stripe staff);
/// <https://docs.stripe.com/payments/checkout/discounts>.
fn promotion_codes_exclude_discounts(p: &Map<String, Value>) -> Result<(), FakeError> {
    exclusive(p, "allow_promotion_codes", "discounts")
}

/// `customer_update` needs `customer` (or `customer_account`).
///
/// Source: spec, `customer_update`: "Can only be provided when `customer` is provided."
/// Observed message: "`customer_update` can only be used with `customer` or
/// `customer_account`." (older responses: "… with `customer`."), quoted from 400 responses in
/// public integrations' code; `param` not shown there, the fake names `customer_update`.
fn customer_update_needs_customer(p: &Map<String, Value>) -> Result<(), FakeError> {
    if given(p, "customer_update").is_some()
        && given(p, "customer").is_none()
        && given(p, "customer_account").is_none()
    {
        return Err(FakeError::param(
            "customer_update",
            "`customer_update` can only be used with `customer` or `customer_account`.",
        ));
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// (3) Mode

/// `customer_creation` is refused in `subscription` mode.
///
/// Source: spec, `customer_creation`: "Can only be set in `payment` and `setup` mode."
/// Observed message (subscription mode): "`customer_creation` can only be used in `payment`
/// mode." with no `param` or `code` (<https://github.com/QuantumNous/new-api/issues/4706>);
/// the fake adds `param: customer_creation`. Setup mode is allowed, as the spec says.
fn customer_creation_not_in_subscription_mode(p: &Map<String, Value>) -> Result<(), FakeError> {
    if given(p, "customer_creation").is_some() && mode(p) == "subscription" {
        return Err(FakeError::param(
            "customer_creation",
            "`customer_creation` can only be used in `payment` mode.",
        ));
    }
    Ok(())
}

/// `payment_intent_data` only in `payment` mode.
///
/// Source: spec, "… for Checkout Sessions in `payment` mode." Observed message: "You can not
/// pass `payment_intent_data` in `subscription` mode."
/// (<https://github.com/stripe/stripe-dotnet/issues/3278>); the setup-mode wording is the same
/// template.
fn payment_intent_data_only_in_payment_mode(p: &Map<String, Value>) -> Result<(), FakeError> {
    only_in_modes(p, "payment_intent_data", &["payment"])
}

/// `subscription_data` only in `subscription` mode.
///
/// Source: spec, "… for Checkout Sessions in `subscription` mode." Observed message: "You can
/// not pass `subscription_data` in `payment` mode." (quoted in public integrations' code).
fn subscription_data_only_in_subscription_mode(p: &Map<String, Value>) -> Result<(), FakeError> {
    only_in_modes(p, "subscription_data", &["subscription"])
}

/// `setup_intent_data` only in `setup` mode.
///
/// Source: spec, "… for Checkout Sessions in `setup` mode." Wording is the fake's, on the
/// template Stripe uses for `payment_intent_data` and `subscription_data`.
fn setup_intent_data_only_in_setup_mode(p: &Map<String, Value>) -> Result<(), FakeError> {
    only_in_modes(p, "setup_intent_data", &["setup"])
}

/// `submit_type` only in `payment` or `subscription` mode.
///
/// Source: spec, `submit_type`: "can only be specified on Checkout Sessions in `payment` or
/// `subscription` mode." Wording is the fake's (same template).
fn submit_type_not_in_setup_mode(p: &Map<String, Value>) -> Result<(), FakeError> {
    only_in_modes(p, "submit_type", &["payment", "subscription"])
}

/// `invoice_creation[enabled]=true` only in `payment` mode.
///
/// Source: <https://docs.stripe.com/payments/checkout/post-payment-invoices>; observed message
/// "You can only enable invoice creation when mode is set to payment. Invoices are created
/// automatically when mode is set to subscription, and are unsupported when set to setup. To
/// learn more visit https://stripe.com/docs/payments/checkout/post-payment-invoices."
/// (<https://github.com/Azuriom/Plugin-Shop/pull/273>); `param` not shown, the fake names
/// `invoice_creation`.
fn invoice_creation_only_in_payment_mode(p: &Map<String, Value>) -> Result<(), FakeError> {
    let enabled = p
        .get("invoice_creation")
        .and_then(|v| v.get("enabled"))
        .and_then(Value::as_bool)
        == Some(true);
    if enabled && mode(p) != "payment" {
        return Err(FakeError::param(
            "invoice_creation",
            "You can only enable invoice creation when mode is set to payment. Invoices are created automatically when mode is set to subscription, and are unsupported when set to setup. To learn more visit https://stripe.com/docs/payments/checkout/post-payment-invoices.",
        ));
    }
    Ok(())
}

/// `payment_method_collection` only in `subscription` mode.
///
/// Source: spec, `payment_method_collection`: "Can only be set in `subscription` mode."
/// Wording is the fake's (same template).
fn payment_method_collection_only_in_subscription_mode(
    p: &Map<String, Value>,
) -> Result<(), FakeError> {
    only_in_modes(p, "payment_method_collection", &["subscription"])
}

/// `saved_payment_method_options` only in `payment` or `subscription` mode.
///
/// Source: spec, `saved_payment_method_options`: "Only available in `payment` and
/// `subscription` mode." Wording is the fake's (same template).
fn saved_payment_method_options_not_in_setup_mode(p: &Map<String, Value>) -> Result<(), FakeError> {
    only_in_modes(
        p,
        "saved_payment_method_options",
        &["payment", "subscription"],
    )
}

/// `shipping_options` only in `payment` mode.
///
/// Source: <https://docs.stripe.com/payments/checkout/shipping>: "Only Checkout Sessions in
/// payment mode support shipping options."; <https://docs.stripe.com/payments/checkout/custom-shipping-options>:
/// "Shipping rates aren't available in subscription mode." Wording is the fake's.
fn shipping_options_only_in_payment_mode(p: &Map<String, Value>) -> Result<(), FakeError> {
    only_in_modes(p, "shipping_options", &["payment"])
}

// ---------------------------------------------------------------------------------------------
// (4) ui_mode

/// `after_expiration`, `branding_settings`, `origin_context` and `submit_type` are refused when
/// `ui_mode` is `elements`.
///
/// Source: spec, each of them: "You can't set this parameter if `ui_mode` is `elements`." /
/// "This parameter is not allowed if ui_mode is `elements`." Wording is the fake's, on the
/// fake's `ui_mode` messages in [`ui_mode_urls`].
fn not_with_elements_ui(p: &Map<String, Value>) -> Result<(), FakeError> {
    if ui_mode(p) != "elements" {
        return Ok(());
    }
    for key in [
        "after_expiration",
        "branding_settings",
        "origin_context",
        "submit_type",
    ] {
        if given(p, key).is_some() {
            return Err(FakeError::param(
                key,
                format!("You cannot pass `{key}` when `ui_mode` is `elements`."),
            ));
        }
    }
    Ok(())
}

/// `permissions` only for embedded and elements sessions.
///
/// Source: spec, `permissions`: "Can only be set when creating `embedded` or `custom`
/// sessions." (the older names of `embedded_page` and `elements`). Wording is the fake's.
fn permissions_not_on_hosted_page(p: &Map<String, Value>) -> Result<(), FakeError> {
    if given(p, "permissions").is_some() && ui_mode(p) == "hosted_page" {
        return Err(FakeError::param(
            "permissions",
            "You can only pass `permissions` when `ui_mode` is `embedded_page` or `elements`.",
        ));
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// (5) Lists

/// At most one entry in `discounts`.
///
/// Source: spec, `discounts`: "Currently, only up to one may be specified."
/// <https://docs.stripe.com/payments/checkout/discounts>. Wording is the fake's.
fn at_most_one_discount(p: &Map<String, Value>) -> Result<(), FakeError> {
    at_most(
        p,
        "discounts",
        1,
        "You can pass at most 1 entry in `discounts`.",
    )
}

/// `discounts[0]` names exactly one of `coupon` and `promotion_code`.
///
/// Source: spec, `discounts`: "The coupon or promotion code to apply to this Session."
/// (<https://docs.stripe.com/api/checkout/sessions/create#create_checkout_session-discounts>).
/// Wording is the fake's, as `sessions.rs` words `price`/`price_data`.
fn discount_is_coupon_or_promotion_code(p: &Map<String, Value>) -> Result<(), FakeError> {
    for (i, discount) in list(p, "discounts").iter().enumerate() {
        let coupon = string_in(discount, &["coupon"]).is_some();
        let promotion_code = string_in(discount, &["promotion_code"]).is_some();
        if coupon == promotion_code {
            return Err(FakeError::param(
                format!("discounts[{i}]"),
                "You must specify exactly one of `coupon` or `promotion_code`.",
            ));
        }
    }
    Ok(())
}

/// At most 5 `shipping_options`.
///
/// Source: spec, `shipping_options`: "Up to a maximum of 5." Wording is the fake's.
fn at_most_five_shipping_options(p: &Map<String, Value>) -> Result<(), FakeError> {
    at_most(
        p,
        "shipping_options",
        5,
        "You can pass at most 5 `shipping_options`.",
    )
}

/// At most 3 `custom_fields`.
///
/// Source: spec, `custom_fields`: "Up to 3 fields are supported." Wording is the fake's.
fn at_most_three_custom_fields(p: &Map<String, Value>) -> Result<(), FakeError> {
    at_most(
        p,
        "custom_fields",
        3,
        "You can pass at most 3 `custom_fields`.",
    )
}

/// At most 10 `optional_items`.
///
/// Source: spec, `optional_items`: "There is a maximum of 10 optional items allowed on a
/// Checkout Session". Wording is the fake's.
fn at_most_ten_optional_items(p: &Map<String, Value>) -> Result<(), FakeError> {
    at_most(
        p,
        "optional_items",
        10,
        "You can pass at most 10 `optional_items`.",
    )
}

// ---------------------------------------------------------------------------------------------
// Helpers

/// The value at `key`, unless it is absent, `null`, `""` or an empty list.
fn given<'a>(p: &'a Map<String, Value>, key: &str) -> Option<&'a Value> {
    p.get(key).filter(|v| is_given(v))
}

fn is_given(v: &Value) -> bool {
    match v {
        Value::Null => false,
        Value::String(s) => !s.is_empty(),
        Value::Array(a) => !a.is_empty(),
        _ => true,
    }
}

/// `mode`, `payment` when not given (as `sessions.rs` defaults it).
fn mode(p: &Map<String, Value>) -> &str {
    string_at(p, &["mode"]).unwrap_or("payment")
}

/// `ui_mode`, `hosted_page` when not given (the spec's default).
fn ui_mode(p: &Map<String, Value>) -> &str {
    string_at(p, &["ui_mode"]).unwrap_or("hosted_page")
}

/// The non-empty string at `path` from the top.
fn string_at<'a>(p: &'a Map<String, Value>, path: &[&str]) -> Option<&'a str> {
    let (first, rest) = path.split_first()?;
    string_in(p.get(*first)?, rest)
}

/// The non-empty string at `path` inside `v`.
fn string_in<'a>(v: &'a Value, path: &[&str]) -> Option<&'a str> {
    path.iter()
        .try_fold(v, |v, key| v.get(*key))?
        .as_str()
        .filter(|s| !s.is_empty())
}

/// The list at `key`, empty when not a list.
fn list<'a>(p: &'a Map<String, Value>, key: &str) -> &'a [Value] {
    match p.get(key) {
        Some(Value::Array(items)) => items,
        _ => &[],
    }
}

/// `a[b][c]` as Stripe names nested params.
fn param_name(path: &[&str]) -> String {
    let mut name = path[0].to_owned();
    for key in &path[1..] {
        name.push('[');
        name.push_str(key);
        name.push(']');
    }
    name
}

/// Stripe's exclusive-parameters error, on the first of the two.
fn exclusive(p: &Map<String, Value>, a: &str, b: &str) -> Result<(), FakeError> {
    if given(p, a).is_some() && given(p, b).is_some() {
        return Err(FakeError::param(
            a,
            format!("You may only specify one of these parameters: {a}, {b}."),
        ));
    }
    Ok(())
}

/// Stripe's "You can not pass `key` in `mode` mode." unless `mode` is one of `modes`.
fn only_in_modes(p: &Map<String, Value>, key: &str, modes: &[&str]) -> Result<(), FakeError> {
    let mode = mode(p);
    if given(p, key).is_some() && !modes.contains(&mode) {
        return Err(FakeError::param(
            key,
            format!("You can not pass `{key}` in `{mode}` mode."),
        ));
    }
    Ok(())
}

/// A list limit on `key`.
fn at_most(p: &Map<String, Value>, key: &str, max: usize, message: &str) -> Result<(), FakeError> {
    if list(p, key).len() > max {
        return Err(FakeError::param(key, message));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn params(v: Value) -> Map<String, Value> {
        match v {
            Value::Object(map) => map,
            _ => panic!("params must be an object"),
        }
    }

    /// A valid hosted payment session, to which each test adds one fault.
    fn hosted() -> Value {
        json!({
            "mode": "payment",
            "success_url": "https://shop.test/ok?session_id={CHECKOUT_SESSION_ID}",
            "cancel_url": "https://shop.test/cart",
            "line_items": [
                {"price": "price_1", "quantity": 2},
                {"price_data": {"currency": "usd", "unit_amount": 500,
                                "product_data": {"name": "Tee"}}, "quantity": 1}
            ],
        })
    }

    fn with(mut base: Value, extra: Value) -> Map<String, Value> {
        if let (Some(b), Value::Object(e)) = (base.as_object_mut(), extra) {
            b.extend(e);
        }
        params(base)
    }

    /// Runs `check_create` and asserts `(code, param, message)`.
    #[track_caller]
    fn rejects(p: &Map<String, Value>, code: Option<&str>, param: &str, message: &str) {
        let e = check_create(p).expect_err("should be refused");
        assert_eq!(e.status, 400);
        assert_eq!(e.kind, "invalid_request_error");
        assert_eq!(e.code, code, "{e}");
        assert_eq!(e.param.as_deref(), Some(param), "{e}");
        assert_eq!(e.message, message);
    }

    // Valid requests

    #[test]
    fn hosted_payment_session_passes() {
        let p = with(
            hosted(),
            json!({
                "customer": "cus_1",
                "customer_update": {"address": "auto"},
                "payment_intent_data": {"capture_method": "manual"},
                "discounts": [{"coupon": "SUMMER"}],
                "shipping_address_collection": {"allowed_countries": ["US"]},
                "shipping_options": [{"shipping_rate": "shr_1"}],
                "submit_type": "pay",
                "invoice_creation": {"enabled": true},
                "customer_creation": "",
                "branding_settings": {"logo": {"type": "url", "url": "https://cdn.shop.test/logo.png"}},
            }),
        );
        assert_eq!(check_create(&p), Ok(()));
    }

    #[test]
    fn embedded_session_with_return_url_passes() {
        let p = params(json!({
            "mode": "payment",
            "ui_mode": "embedded_page",
            "return_url": "http://localhost:4242/return?session_id={CHECKOUT_SESSION_ID}",
            "line_items": [{"price": "price_1", "quantity": 1}],
            "customer_email": "jenny@example.com",
            "customer_creation": "always",
            "allow_promotion_codes": true,
            "permissions": {"update_shipping_details": "server_only"},
        }));
        assert_eq!(check_create(&p), Ok(()));
    }

    #[test]
    fn subscription_session_with_subscription_data_passes() {
        let p = params(json!({
            "mode": "subscription",
            "success_url": "https://shop.test/ok",
            "line_items": [{"price": "price_monthly", "quantity": 1}],
            "subscription_data": {"trial_period_days": 14, "metadata": {"plan": "pro"}},
            "payment_method_collection": "if_required",
            "submit_type": "subscribe",
            "saved_payment_method_options": {"payment_method_save": "enabled"},
            "invoice_creation": {"enabled": false},
            "currency": "EUR",
        }));
        assert_eq!(check_create(&p), Ok(()));
    }

    #[test]
    fn setup_session_passes() {
        let p = params(json!({
            "mode": "setup",
            "success_url": "https://shop.test/ok",
            "currency": "gbp",
            "setup_intent_data": {"description": "Card on file"},
            "customer_creation": "always",
        }));
        assert_eq!(check_create(&p), Ok(()));
    }

    // (1) Values

    #[test]
    fn url_must_be_valid() {
        rejects(
            &with(hosted(), json!({"success_url": "shop.test/ok"})),
            Some("url_invalid"),
            "success_url",
            "Not a valid URL",
        );
        rejects(
            &with(hosted(), json!({"cancel_url": "https://shop test/cart"})),
            Some("url_invalid"),
            "cancel_url",
            "Not a valid URL",
        );
        let nested = with(
            hosted(),
            json!({"branding_settings": {"icon": {"type": "url", "url": "ftp://x.test/i.png"}}}),
        );
        rejects(
            &nested,
            Some("url_invalid"),
            "branding_settings[icon][url]",
            "Not a valid URL",
        );
    }

    #[test]
    fn url_at_most_5000_characters() {
        let long = format!("https://shop.test/{}", "a".repeat(MAX_URL_CHARS));
        rejects(
            &with(hosted(), json!({"success_url": long})),
            Some("url_invalid"),
            "success_url",
            "Invalid URL: URL must be 5000 characters or less.",
        );
        let just = format!("https://shop.test/{}", "a".repeat(MAX_URL_CHARS - 18));
        assert_eq!(just.len(), MAX_URL_CHARS);
        assert_eq!(
            check_create(&with(hosted(), json!({"success_url": just}))),
            Ok(())
        );
    }

    #[test]
    fn url_syntax() {
        for ok in [
            "https://shop.test",
            "http://localhost:3000/ok",
            "https://shop.test/ok?session_id={CHECKOUT_SESSION_ID}&x=1#top",
            "https://user:pw@shop.test:8443/a/b",
            "http://[::1]:8080/ok",
            "http://127.0.0.1/ok",
            "HTTPS://Shop.Test/%7Bx%7D",
            "https://bücher.example/kasse",
        ] {
            assert!(is_valid_url(ok), "{ok}");
        }
        for bad in [
            "",
            "shop.test",
            "//shop.test",
            "https://",
            "https:///path",
            "https://:443/",
            "https://shop..test/",
            "https://-shop.test/",
            "https://shop.test:http/",
            "https://shop.test:123456/",
            "https://shop.test/a b",
            "https://shop.test/<script>",
            "https://sh{op}.test/",
            "javascript://alert(1)",
            "mailto:jenny@example.com",
            "myapp://done",
            "http://[zz]/",
            "https://shop.test/\u{7}",
        ] {
            assert!(!is_valid_url(bad), "{bad}");
        }
    }

    #[test]
    fn currency_must_be_supported() {
        let e = check_create(&with(hosted(), json!({"currency": "zzz"}))).unwrap_err();
        assert_eq!(e.code, None);
        assert_eq!(e.param.as_deref(), Some("currency"));
        assert!(
            e.message.starts_with(
                "Invalid currency: zzz. Stripe currently supports these currencies: usd, aed, afn, all,"
            ),
            "{}",
            e.message
        );
        assert!(e.message.ends_with("zar, zmw"), "{}", e.message);

        let p = params(json!({
            "mode": "payment",
            "success_url": "https://shop.test/ok",
            "line_items": [
                {"price_data": {"currency": "usd", "unit_amount": 1, "product": "prod_1"}, "quantity": 1},
                {"price_data": {"currency": "hrk", "unit_amount": 1, "product": "prod_1"}, "quantity": 1}
            ],
        }));
        let e = check_create(&p).unwrap_err();
        assert_eq!(
            e.param.as_deref(),
            Some("line_items[1][price_data][currency]")
        );
        assert!(e.message.starts_with("Invalid currency: hrk. "));

        let shipping = with(
            hosted(),
            json!({"shipping_options": [{"shipping_rate_data": {"display_name": "Post",
                "type": "fixed_amount", "fixed_amount": {"amount": 500, "currency": "xyz"}}}]}),
        );
        let e = check_create(&shipping).unwrap_err();
        assert_eq!(
            e.param.as_deref(),
            Some("shipping_options[0][shipping_rate_data][fixed_amount][currency]")
        );
    }

    #[test]
    fn supported_currencies_come_from_the_money_table() {
        for c in [
            "usd", "eur", "gbp", "jpy", "krw", "kwd", "xcg", "sle", "byn", "USD", "Eur",
        ] {
            assert!(is_supported_currency(c), "{c}");
        }
        for c in ["hrk", "sll", "vef", "zzz", "", "us", "usdd"] {
            assert!(!is_supported_currency(c), "{c}");
        }
        // The message lists every currency of the table once, `usd` first.
        let message = invalid_currency_message("zzz");
        let listed = message
            .split_once("currencies: ")
            .map(|(_, list)| list.split(", ").count());
        assert_eq!(listed, Some(money::currencies().count()));
        assert_eq!(message.matches("usd").count(), 1);
    }

    // Across line items (built items, as sessions.rs passes them)

    #[test]
    fn one_currency_rule() {
        let items = [
            json!({"currency": "usd"}),
            json!({"currency": "USD"}),
            json!({"currency": "eur"}),
        ];
        let e = one_currency(&items, "usd").unwrap_err();
        assert_eq!(e.param.as_deref(), Some("line_items[2]"));
        assert_eq!(e.message, "All line items must use the same currency.");
        assert_eq!(one_currency(&items[..2], "usd"), Ok(()));
    }

    // (2) Exclusive parameters

    #[test]
    fn customer_excludes_customer_email_rule() {
        rejects(
            &with(
                hosted(),
                json!({"customer": "cus_1", "customer_email": "a@b.test"}),
            ),
            None,
            "customer",
            "You may only specify one of these parameters: customer, customer_email.",
        );
    }

    #[test]
    fn customer_excludes_customer_creation_rule() {
        rejects(
            &with(
                hosted(),
                json!({"customer": "cus_1", "customer_creation": "always"}),
            ),
            None,
            "customer",
            "You may only specify one of these parameters: customer, customer_creation.",
        );
    }

    #[test]
    fn promotion_codes_exclude_discounts_even_when_false() {
        for allow in [true, false] {
            rejects(
                &with(
                    hosted(),
                    json!({"allow_promotion_codes": allow, "discounts": [{"coupon": "X"}]}),
                ),
                None,
                "allow_promotion_codes",
                "You may only specify one of these parameters: allow_promotion_codes, discounts.",
            );
        }
    }

    #[test]
    fn customer_update_needs_customer_rule() {
        rejects(
            &with(hosted(), json!({"customer_update": {"address": "auto"}})),
            None,
            "customer_update",
            "`customer_update` can only be used with `customer` or `customer_account`.",
        );
        let with_account = with(
            hosted(),
            json!({"customer_account": "acct_1", "customer_update": {"name": "auto"}}),
        );
        assert_eq!(check_create(&with_account), Ok(()));
    }

    // (3) Mode

    fn subscription() -> Value {
        json!({
            "mode": "subscription",
            "success_url": "https://shop.test/ok",
            "line_items": [{"price": "price_monthly", "quantity": 1}],
        })
    }

    fn setup() -> Value {
        json!({"mode": "setup", "success_url": "https://shop.test/ok", "currency": "usd"})
    }

    #[test]
    fn customer_creation_not_in_subscription_mode_rule() {
        rejects(
            &with(subscription(), json!({"customer_creation": "always"})),
            None,
            "customer_creation",
            "`customer_creation` can only be used in `payment` mode.",
        );
    }

    #[test]
    fn payment_intent_data_only_in_payment_mode_rule() {
        rejects(
            &with(
                subscription(),
                json!({"payment_intent_data": {"metadata": {"k": "v"}}}),
            ),
            None,
            "payment_intent_data",
            "You can not pass `payment_intent_data` in `subscription` mode.",
        );
        rejects(
            &with(
                setup(),
                json!({"payment_intent_data": {"description": "x"}}),
            ),
            None,
            "payment_intent_data",
            "You can not pass `payment_intent_data` in `setup` mode.",
        );
    }

    #[test]
    fn subscription_data_only_in_subscription_mode_rule() {
        rejects(
            &with(
                hosted(),
                json!({"subscription_data": {"metadata": {"k": "v"}}}),
            ),
            None,
            "subscription_data",
            "You can not pass `subscription_data` in `payment` mode.",
        );
        // `mode` defaults to `payment`.
        let mut no_mode = with(
            hosted(),
            json!({"subscription_data": {"trial_period_days": 7}}),
        );
        no_mode.remove("mode");
        rejects(
            &no_mode,
            None,
            "subscription_data",
            "You can not pass `subscription_data` in `payment` mode.",
        );
    }

    #[test]
    fn setup_intent_data_only_in_setup_mode_rule() {
        rejects(
            &with(hosted(), json!({"setup_intent_data": {"description": "x"}})),
            None,
            "setup_intent_data",
            "You can not pass `setup_intent_data` in `payment` mode.",
        );
    }

    #[test]
    fn submit_type_not_in_setup_mode_rule() {
        rejects(
            &with(setup(), json!({"submit_type": "pay"})),
            None,
            "submit_type",
            "You can not pass `submit_type` in `setup` mode.",
        );
    }

    #[test]
    fn invoice_creation_only_in_payment_mode_rule() {
        rejects(
            &with(subscription(), json!({"invoice_creation": {"enabled": true}})),
            None,
            "invoice_creation",
            "You can only enable invoice creation when mode is set to payment. Invoices are created automatically when mode is set to subscription, and are unsupported when set to setup. To learn more visit https://stripe.com/docs/payments/checkout/post-payment-invoices.",
        );
    }

    #[test]
    fn payment_method_collection_only_in_subscription_mode_rule() {
        rejects(
            &with(
                hosted(),
                json!({"payment_method_collection": "if_required"}),
            ),
            None,
            "payment_method_collection",
            "You can not pass `payment_method_collection` in `payment` mode.",
        );
    }

    #[test]
    fn saved_payment_method_options_not_in_setup_mode_rule() {
        rejects(
            &with(
                setup(),
                json!({"saved_payment_method_options": {"payment_method_save": "enabled"}}),
            ),
            None,
            "saved_payment_method_options",
            "You can not pass `saved_payment_method_options` in `setup` mode.",
        );
    }

    #[test]
    fn shipping_options_only_in_payment_mode_rule() {
        rejects(
            &with(
                subscription(),
                json!({"shipping_options": [{"shipping_rate": "shr_1"}]}),
            ),
            None,
            "shipping_options",
            "You can not pass `shipping_options` in `subscription` mode.",
        );
    }

    // (4) ui_mode

    #[test]
    fn not_with_elements_ui_rule() {
        let elements = params(json!({
            "mode": "payment",
            "ui_mode": "elements",
            "return_url": "https://shop.test/return",
            "line_items": [{"price": "price_1", "quantity": 1}],
            "origin_context": "web",
        }));
        rejects(
            &elements,
            None,
            "origin_context",
            "You cannot pass `origin_context` when `ui_mode` is `elements`.",
        );
    }

    #[test]
    fn permissions_not_on_hosted_page_rule() {
        rejects(
            &with(
                hosted(),
                json!({"permissions": {"update_shipping_details": "server_only"}}),
            ),
            None,
            "permissions",
            "You can only pass `permissions` when `ui_mode` is `embedded_page` or `elements`.",
        );
    }

    // (5) Lists

    #[test]
    fn at_most_one_discount_rule() {
        rejects(
            &with(
                hosted(),
                json!({"discounts": [{"coupon": "A"}, {"promotion_code": "promo_1"}]}),
            ),
            None,
            "discounts",
            "You can pass at most 1 entry in `discounts`.",
        );
    }

    #[test]
    fn discount_is_coupon_or_promotion_code_rule() {
        for discount in [
            json!({"coupon": "A", "promotion_code": "promo_1"}),
            json!({"coupon": ""}),
        ] {
            rejects(
                &with(hosted(), json!({"discounts": [discount]})),
                None,
                "discounts[0]",
                "You must specify exactly one of `coupon` or `promotion_code`.",
            );
        }
        let promo = with(
            hosted(),
            json!({"discounts": [{"promotion_code": "promo_1"}]}),
        );
        assert_eq!(check_create(&promo), Ok(()));
    }

    #[test]
    fn at_most_five_shipping_options_rule() {
        let options: Vec<Value> = (0..6)
            .map(|i| json!({"shipping_rate": format!("shr_{i}")}))
            .collect();
        rejects(
            &with(hosted(), json!({"shipping_options": options})),
            None,
            "shipping_options",
            "You can pass at most 5 `shipping_options`.",
        );
    }

    #[test]
    fn at_most_three_custom_fields_rule() {
        let field = json!({"key": "k", "label": {"type": "custom", "custom": "K"}, "type": "text"});
        rejects(
            &with(hosted(), json!({"custom_fields": vec![field; 4]})),
            None,
            "custom_fields",
            "You can pass at most 3 `custom_fields`.",
        );
    }

    #[test]
    fn at_most_ten_optional_items_rule() {
        let item = json!({"price": "price_1", "quantity": 1});
        rejects(
            &with(hosted(), json!({"optional_items": vec![item; 11]})),
            None,
            "optional_items",
            "You can pass at most 10 `optional_items`.",
        );
    }

    // Order

    #[test]
    fn values_are_checked_before_combinations() {
        let p = with(
            hosted(),
            json!({"success_url": "nope", "customer": "cus_1", "customer_email": "a@b.test"}),
        );
        rejects(&p, Some("url_invalid"), "success_url", "Not a valid URL");
    }
}
