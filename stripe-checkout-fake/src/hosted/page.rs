//! The payment page's markup, server-rendered from the session (`templates/layout.html`,
//! `templates/page.html`): the order summary (business name, each line item with its product
//! name, quantity, unit and line amounts, the discount, shipping, tax and total, formatted for
//! the currency), an adjustable quantity where allowed, the promotion code field, and the
//! form collecting what the session asks for, each input with its `<label>` named as on
//! Stripe's page. Everything from the session or the customer is escaped.
//!
//! Layout and labels follow Checkout's page: <https://docs.stripe.com/payments/checkout>,
//! <https://docs.stripe.com/payments/checkout/customization> (`submit_type` words: "Pay",
//! "Book", "Donate"; "Subscribe" in subscription mode),
//! <https://docs.stripe.com/payments/checkout/custom-fields>,
//! <https://docs.stripe.com/payments/collect-addresses>,
//! <https://docs.stripe.com/payments/checkout/phone-numbers>,
//! <https://docs.stripe.com/payments/checkout/adjustable-quantity>,
//! <https://docs.stripe.com/payments/checkout/discounts#promotion-codes>.

use std::fmt::Write as _;

use serde_json::{json, Map, Value};

use crate::catalogue::Kind;
use crate::hosted::form::{Address, Submission};
use crate::lifecycle::adjust::quantity_bounds;
use crate::lifecycle::collected::{Asks, CustomKind};
use crate::money::format_amount;
use crate::state::State;
use crate::template::{escape_html as esc, fill_html};

const LAYOUT: &str = include_str!("../../templates/layout.html");
const PAGE: &str = include_str!("../../templates/page.html");

/// Countries offered in "Country or region" selects (billing), with their names; a shipping
/// select offers exactly the session's `allowed_countries`.
const COUNTRIES: &[(&str, &str)] = &[
    ("AU", "Australia"),
    ("AT", "Austria"),
    ("BE", "Belgium"),
    ("BR", "Brazil"),
    ("CA", "Canada"),
    ("CH", "Switzerland"),
    ("CN", "China"),
    ("CZ", "Czechia"),
    ("DE", "Germany"),
    ("DK", "Denmark"),
    ("ES", "Spain"),
    ("FI", "Finland"),
    ("FR", "France"),
    ("GB", "United Kingdom"),
    ("GR", "Greece"),
    ("HK", "Hong Kong"),
    ("IE", "Ireland"),
    ("IN", "India"),
    ("IT", "Italy"),
    ("JP", "Japan"),
    ("KR", "South Korea"),
    ("MX", "Mexico"),
    ("NL", "Netherlands"),
    ("NO", "Norway"),
    ("NZ", "New Zealand"),
    ("PL", "Poland"),
    ("PT", "Portugal"),
    ("SE", "Sweden"),
    ("SG", "Singapore"),
    ("US", "United States"),
];

/// Where the page is and how it was reached.
pub(crate) struct PageContext<'a> {
    /// The path forms post under: `/c/pay/{id}` or `/c/embedded/{client_secret}`.
    pub base: &'a str,
    /// Shown in Stripe.js's iframe (one column, no Cancel).
    pub embedded: bool,
    pub business: &'a str,
    /// What the customer typed, to show again.
    pub values: &'a Submission,
    /// Problems beside fields: (field id, message).
    pub errors: &'a [(String, String)],
    /// A message above the submit button (a decline, an error).
    pub banner: Option<&'a str>,
}

impl PageContext<'_> {
    fn error(&self, field: &str) -> Option<&str> {
        self.errors
            .iter()
            .find(|(f, _)| f == field)
            .map(|(_, m)| m.as_str())
    }
}

/// The `<html lang>` for a session's `locale` (`auto` and none: English).
pub(crate) fn lang(o: &Map<String, Value>) -> String {
    match o.get("locale").and_then(Value::as_str) {
        Some(l) if l != "auto" && l.len() <= 10 => l.to_owned(),
        _ => "en".to_owned(),
    }
}

/// A whole document around `content` (already markup).
pub(crate) fn document(lang: &str, title: &str, body_class: &str, content: &str) -> String {
    fill_html(
        LAYOUT,
        &[("lang", lang), ("title", title), ("body_class", body_class)],
        &[("content", content)],
    )
}

/// The submit button's word for the session: `submit_type`, "Subscribe" in subscription
/// mode, "Save" in setup mode.
pub(crate) fn submit_word(o: &Map<String, Value>) -> &'static str {
    match (
        o.get("mode").and_then(Value::as_str),
        o.get("submit_type").and_then(Value::as_str),
    ) {
        (Some("subscription"), _) => "Subscribe",
        (Some("setup"), _) => "Save",
        (_, Some("donate")) => "Donate",
        (_, Some("book")) => "Book",
        _ => "Pay",
    }
}

/// A money amount for the session's currency, or "" when it has none.
fn money(o: &Map<String, Value>, amount: i64) -> String {
    let currency = o.get("currency").and_then(Value::as_str).unwrap_or("usd");
    format_amount(currency, amount)
}

fn int(v: &Value, key: &str) -> i64 {
    v.get(key).and_then(Value::as_i64).unwrap_or(0)
}

/// The whole payment page of session `id` (open), as the state holds it now.
pub(crate) fn render(state: &State, id: &str, ctx: &PageContext<'_>) -> Option<String> {
    let session = state.sessions.get(id)?;
    let o = session.object();
    let items = session.line_item_values();
    let asks = Asks::of(&o);
    let mode = o.get("mode").and_then(Value::as_str).unwrap_or("payment");
    let total = o.get("amount_total").and_then(Value::as_i64).unwrap_or(0);
    let submit = submit_word(&o);
    let lead = match mode {
        "subscription" => format!("Subscribe to {}", first_name(&items, ctx.business)),
        "setup" => format!("Set up a payment method for {}", ctx.business),
        _ => format!("Pay {}", ctx.business),
    };
    let total_text = if mode == "setup" {
        String::new()
    } else {
        money(&o, total)
    };
    let back = if ctx.embedded {
        String::new()
    } else {
        format!(
            "<button type=\"submit\" class=\"back\" formaction=\"{}/cancel\" formnovalidate aria-label=\"Cancel and go back to {}\"><span aria-hidden=\"true\">←</span> Cancel</button>",
            esc(ctx.base),
            esc(ctx.business)
        )
    };
    let initial: String = ctx
        .business
        .chars()
        .find(|c| c.is_alphanumeric())
        .map(|c| c.to_uppercase().collect())
        .unwrap_or_default();
    let page = fill_html(
        PAGE,
        &[
            ("base", ctx.base),
            ("submit", submit),
            ("initial", &initial),
            ("business", ctx.business),
            ("lead", &lead),
            ("total", &total_text),
            ("id", id),
        ],
        &[
            ("back", &back),
            ("items", &items_html(&o, &items, ctx.base)),
            ("promo", &promo_html(state, &session.account, &o, ctx)),
            ("rows", &rows_html(state, &session.account, &o, mode)),
            (
                "fields",
                &fields_html(state, &session.account, &o, &asks, ctx),
            ),
            ("banner", &banner_html(ctx.banner)),
            ("after_submit", &after_submit_html(&o)),
            ("script", if ctx.embedded { EMBEDDED_SCRIPT } else { "" }),
        ],
    );
    let title = format!("{} — Checkout (test mode)", ctx.business);
    let class = if ctx.embedded { "embedded" } else { "hosted" };
    Some(document(&lang(&o), &title, class, &page))
}

/// Tells Stripe.js's stand-in the page's height, so its iframe fits (embedded only).
const EMBEDDED_SCRIPT: &str = "(function(){function h(){if(window.parent!==window)window.parent.postMessage({type:'stripe-checkout-fake:resize',height:document.documentElement.scrollHeight},'*');}window.addEventListener('load',h);h();})();";

fn first_name(items: &[Value], fallback: &str) -> String {
    items
        .first()
        .and_then(|i| i["description"].as_str())
        .unwrap_or(fallback)
        .to_owned()
}

fn items_html(o: &Map<String, Value>, items: &[Value], base: &str) -> String {
    if items.is_empty() {
        return String::new();
    }
    let mut html = String::from("<ul class=\"items\" aria-label=\"Order summary\">");
    let mut any_adjustable = false;
    for (i, item) in items.iter().enumerate() {
        let name = item["description"].as_str().unwrap_or("Item");
        let quantity = int(item, "quantity");
        let unit = item["price"]["unit_amount"].as_i64().unwrap_or(0);
        let interval = item["price"]["recurring"]["interval"].as_str();
        let per = interval.map(|i| format!(" / {i}")).unwrap_or_default();
        let unit_text = format!("{}{per}", money(o, unit));
        let line = money(o, int(item, "amount_subtotal"));
        let meta = match quantity_bounds(item) {
            Some((min, max)) => {
                any_adjustable = true;
                format!(
                    "<div class=\"qty\"><label for=\"quantity-{i}\" style=\"margin:0\">Qty</label><input type=\"number\" id=\"quantity-{i}\" name=\"quantity[{i}]\" value=\"{quantity}\" min=\"{min}\" max=\"{max}\" inputmode=\"numeric\" aria-label=\"Quantity of {}\"> <span>× {}</span></div>",
                    esc(name),
                    esc(&unit_text)
                )
            }
            None => format!(
                "<div class=\"item-meta\">Qty {quantity} × {}</div>",
                esc(&unit_text)
            ),
        };
        let _ = write!(
            html,
            "<li class=\"item\"><div><div class=\"item-name\">{}</div>{meta}</div><div class=\"item-amount\">{}{}</div></li>",
            esc(name),
            esc(&line),
            esc(&per)
        );
    }
    html.push_str("</ul>");
    if any_adjustable {
        let _ = write!(
            html,
            "<p style=\"margin:10px 0 0\"><button type=\"submit\" id=\"update\" class=\"secondary\" formaction=\"{}/update\" formnovalidate>Update</button></p>",
            esc(base)
        );
    }
    html
}

fn promo_html(
    state: &State,
    account: &Option<String>,
    o: &Map<String, Value>,
    ctx: &PageContext<'_>,
) -> String {
    if o.get("allow_promotion_codes") != Some(&json!(true))
        || applied_code(state, account, o).is_some()
    {
        return String::new();
    }
    let error = ctx.error("promotion_code");
    format!(
        "<div class=\"promo\"><div class=\"field\"><label for=\"promotion_code\">Promotion code</label><input type=\"text\" id=\"promotion_code\" name=\"promotion_code\" value=\"{}\" autocomplete=\"off\"{}></div><button type=\"submit\" id=\"apply-promotion-code\" class=\"secondary\" formaction=\"{}/promotion_code\" formnovalidate>Apply</button></div>{}",
        esc(&ctx.values.promotion_code),
        invalid_attrs("promotion_code", error),
        esc(ctx.base),
        error_html("promotion_code", error),
    )
}

/// The customer-facing code of the applied promotion code, if any.
fn applied_code(state: &State, account: &Option<String>, o: &Map<String, Value>) -> Option<String> {
    let promo = o
        .get("discounts")?
        .as_array()?
        .first()?
        .get("promotion_code")?
        .as_str()?;
    state
        .catalogue
        .get(Kind::PromotionCode, account, promo)
        .and_then(|p| p.get("code"))
        .and_then(Value::as_str)
        .map(str::to_owned)
}

fn rows_html(
    state: &State,
    account: &Option<String>,
    o: &Map<String, Value>,
    mode: &str,
) -> String {
    if mode == "setup" {
        return String::new();
    }
    let details = o.get("total_details").cloned().unwrap_or(Value::Null);
    let mut rows: Vec<(String, String, &str)> = Vec::new();
    rows.push((
        "Subtotal".into(),
        money(
            o,
            o.get("amount_subtotal")
                .and_then(Value::as_i64)
                .unwrap_or(0),
        ),
        "",
    ));
    let discount = int(&details, "amount_discount");
    if discount > 0 || o.get("discounts").is_some_and(Value::is_array) {
        let label = match applied_code(state, account, o) {
            Some(code) => format!("Discount ({code})"),
            None => "Discount".to_owned(),
        };
        rows.push((label, format!("−{}", money(o, discount)), ""));
    }
    if let Some(cost) = o.get("shipping_cost").filter(|c| c.is_object()) {
        let name = cost["shipping_rate"]
            .as_str()
            .and_then(|id| state.catalogue.get(Kind::ShippingRate, account, id))
            .and_then(|r| r.get("display_name"))
            .and_then(Value::as_str)
            .unwrap_or("Shipping");
        rows.push((
            format!("Shipping ({name})"),
            money(o, int(cost, "amount_total")),
            "",
        ));
    }
    let tax = int(&details, "amount_tax");
    if tax > 0 {
        rows.push(("Tax".into(), money(o, tax), ""));
    }
    let total_label = if mode == "subscription" {
        "Total due today"
    } else {
        "Total due"
    };
    rows.push((
        total_label.into(),
        money(
            o,
            o.get("amount_total").and_then(Value::as_i64).unwrap_or(0),
        ),
        " total",
    ));
    let mut html = String::from("<dl class=\"rows\">");
    for (label, amount, class) in rows {
        let _ = write!(
            html,
            "<div class=\"row{class}\"><dt>{}</dt><dd>{}</dd></div>",
            esc(&label),
            esc(&amount)
        );
    }
    html.push_str("</dl>");
    html
}

fn invalid_attrs(id: &str, error: Option<&str>) -> String {
    match error {
        Some(_) => format!(" aria-invalid=\"true\" aria-describedby=\"{id}-error\""),
        None => String::new(),
    }
}

fn error_html(id: &str, error: Option<&str>) -> String {
    match error {
        Some(message) => format!(
            "<p class=\"error\" id=\"{id}-error\" role=\"alert\">{}</p>",
            esc(message)
        ),
        None => String::new(),
    }
}

/// A text-like input with its label and error.
struct Input<'a> {
    id: &'a str,
    name: &'a str,
    label: &'a str,
    kind: &'a str,
    value: &'a str,
    autocomplete: &'a str,
    required: bool,
    extra: String,
}

impl Input<'_> {
    fn html(&self, ctx: &PageContext<'_>) -> String {
        let error = ctx.error(self.id);
        format!(
            "<div class=\"field\"><label for=\"{id}\">{label}</label><input type=\"{kind}\" id=\"{id}\" name=\"{name}\" value=\"{value}\" autocomplete=\"{ac}\"{req}{extra}{invalid}>{err}</div>",
            id = self.id,
            label = esc(self.label),
            kind = self.kind,
            name = self.name,
            value = esc(self.value),
            ac = self.autocomplete,
            req = if self.required { " required" } else { "" },
            extra = self.extra,
            invalid = invalid_attrs(self.id, error),
            err = error_html(self.id, error),
        )
    }
}

fn text<'a>(id: &'a str, name: &'a str, label: &'a str, value: &'a str, ac: &'a str) -> Input<'a> {
    Input {
        id,
        name,
        label,
        kind: "text",
        value,
        autocomplete: ac,
        required: true,
        extra: String::new(),
    }
}

fn select_html(
    id: &str,
    name: &str,
    label: &str,
    options: &[(String, String)],
    chosen: &str,
    ctx: &PageContext<'_>,
) -> String {
    let error = ctx.error(id);
    let mut html = format!(
        "<div class=\"field\"><label for=\"{id}\">{}</label><select id=\"{id}\" name=\"{name}\" required{}>",
        esc(label),
        invalid_attrs(id, error)
    );
    for (value, text) in options {
        let selected = if value == chosen { " selected" } else { "" };
        let _ = write!(
            html,
            "<option value=\"{}\"{selected}>{}</option>",
            esc(value),
            esc(text)
        );
    }
    html.push_str("</select>");
    html.push_str(&error_html(id, error));
    html.push_str("</div>");
    html
}

fn country_name(code: &str) -> String {
    COUNTRIES
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(_, n)| (*n).to_owned())
        .unwrap_or_else(|| code.to_owned())
}

/// Address lines (line 1 and 2, city, state, postal code) under `prefix` (`billing`,
/// `shipping`).
fn address_html(prefix: &str, a: &Address, ctx: &PageContext<'_>) -> String {
    let ids = [
        format!("{prefix}-line1"),
        format!("{prefix}-line2"),
        format!("{prefix}-city"),
        format!("{prefix}-state"),
        format!("{prefix}-postal_code"),
    ];
    let names = [
        format!("{prefix}[line1]"),
        format!("{prefix}[line2]"),
        format!("{prefix}[city]"),
        format!("{prefix}[state]"),
        format!("{prefix}[postal_code]"),
    ];
    let section = if prefix == "billing" {
        "billing"
    } else {
        "shipping"
    };
    let ac = |part: &str| format!("{section} {part}");
    let line1_ac = ac("address-line1");
    let line2_ac = ac("address-line2");
    let city_ac = ac("address-level2");
    let state_ac = ac("address-level1");
    let postal_ac = ac("postal-code");
    let mut line2 = text(
        &ids[1],
        &names[1],
        "Address line 2 (optional)",
        &a.line2,
        &line2_ac,
    );
    line2.required = false;
    let mut state = text(
        &ids[3],
        &names[3],
        "State, county or province (optional)",
        &a.state,
        &state_ac,
    );
    state.required = false;
    format!(
        "{}{}<div class=\"pair\">{}{}</div>{}",
        text(&ids[0], &names[0], "Address line 1", &a.line1, &line1_ac).html(ctx),
        line2.html(ctx),
        text(&ids[2], &names[2], "City", &a.city, &city_ac).html(ctx),
        text(
            &ids[4],
            &names[4],
            "ZIP or postal code",
            &a.postal_code,
            &postal_ac
        )
        .html(ctx),
        state.html(ctx),
    )
}

fn fields_html(
    state: &State,
    account: &Option<String>,
    o: &Map<String, Value>,
    asks: &Asks,
    ctx: &PageContext<'_>,
) -> String {
    let v = ctx.values;
    let mut html = String::new();

    // Contact information.
    html.push_str("<h2>Contact information</h2>");
    let prefill = if v.email.is_empty() {
        o.get("customer_email")
            .and_then(Value::as_str)
            .unwrap_or_default()
    } else {
        v.email.as_str()
    };
    let mut email = text("email", "email", "Email", prefill, "email");
    email.kind = "email";
    html.push_str(&email.html(ctx));
    if asks.phone {
        let mut phone = text("phone", "phone", "Phone number", &v.phone, "tel");
        phone.kind = "tel";
        html.push_str(&phone.html(ctx));
    }

    // Shipping.
    if let Some(allowed) = &asks.shipping_countries {
        html.push_str("<h2>Shipping information</h2>");
        html.push_str(
            &text(
                "shipping_name",
                "shipping_name",
                "Full name",
                &v.shipping_name,
                "shipping name",
            )
            .html(ctx),
        );
        let options: Vec<(String, String)> = allowed
            .iter()
            .map(|c| (c.clone(), country_name(c)))
            .collect();
        html.push_str(&select_html(
            "shipping-country",
            "shipping[country]",
            "Country or region",
            &options,
            &v.shipping.country,
            ctx,
        ));
        html.push_str(&address_html("shipping", &v.shipping, ctx));
        if let Some(message) = o
            .get("custom_text")
            .and_then(|t| t.get("shipping_address"))
            .and_then(|t| t.get("message"))
            .and_then(Value::as_str)
        {
            let _ = write!(html, "<p class=\"hint\">{}</p>", esc(message));
        }
    }
    html.push_str(&shipping_rates_html(state, account, o, ctx));

    // Custom fields.
    if !asks.custom_fields.is_empty() {
        html.push_str("<h2>Additional information</h2>");
    }
    for field in &asks.custom_fields {
        let id = format!("custom-{}", field_id(&field.key));
        let name = format!("custom_fields[{}]", field.key);
        let label = if field.optional {
            format!("{} (optional)", field.label)
        } else {
            field.label.clone()
        };
        let typed = v
            .custom_fields
            .iter()
            .find(|(k, _)| k == &field.key)
            .map(|(_, value)| value.as_str());
        let value = typed.or(field.default_value.as_deref()).unwrap_or_default();
        match field.kind {
            CustomKind::Dropdown => {
                let mut options = vec![(String::new(), "Select…".to_owned())];
                options.extend(field.options.iter().cloned());
                let mut select = select_html(&id, &esc(&name), &label, &options, value, ctx);
                if field.optional {
                    select = select.replacen(" required", "", 1);
                }
                html.push_str(&select);
            }
            kind => {
                let mut input = text(&id, &name, &label, value, "off");
                input.required = !field.optional;
                let max = field
                    .maximum_length
                    .unwrap_or(crate::lifecycle::collected::CUSTOM_FIELD_MAX);
                input.extra = format!(" maxlength=\"{max}\"");
                if kind == CustomKind::Numeric {
                    input
                        .extra
                        .push_str(" inputmode=\"numeric\" pattern=\"[0-9]*\"");
                }
                let escaped_name = esc(&name);
                input.name = &escaped_name;
                html.push_str(&input.html(ctx));
            }
        }
    }

    // Payment.
    let mode = o.get("mode").and_then(Value::as_str).unwrap_or("payment");
    let bank = v.payment_method == "us_bank_account";
    let _ = write!(
        html,
        "<fieldset><legend class=\"h2\">Payment method</legend><label class=\"choice\"><input type=\"radio\" name=\"payment_method\" value=\"card\"{}> <span>Card</span></label><label class=\"choice\"><input type=\"radio\" name=\"payment_method\" value=\"us_bank_account\"{}> <span>US bank account<small>A delayed payment method: the session completes unpaid; its outcome comes later.</small></span></label></fieldset>",
        if bank { "" } else { " checked" },
        if bank { " checked" } else { "" },
    );
    let mut number = text(
        "card_number",
        "card_number",
        "Card number",
        &v.card_number,
        "cc-number",
    );
    number.extra = " inputmode=\"numeric\" placeholder=\"1234 1234 1234 1234\"".into();
    let mut expiry = text(
        "card_expiry",
        "card_expiry",
        "Expiration",
        &v.card_expiry,
        "cc-exp",
    );
    expiry.extra = " placeholder=\"MM / YY\"".into();
    let mut cvc = text("card_cvc", "card_cvc", "CVC", &v.card_cvc, "cc-csc");
    cvc.extra = " inputmode=\"numeric\" placeholder=\"CVC\"".into();
    let _ = write!(
        html,
        "{}<div class=\"pair\">{}{}</div>",
        number.html(ctx),
        expiry.html(ctx),
        cvc.html(ctx)
    );
    html.push_str("<p class=\"hint\">Test mode: use Stripe's test cards, e.g. 4242 4242 4242 4242 with any future date and any CVC. With US bank account, leave the card empty.</p>");
    html.push_str(
        &text(
            "cardholder_name",
            "cardholder_name",
            "Cardholder name",
            &v.cardholder_name,
            "cc-name",
        )
        .html(ctx),
    );
    let countries: Vec<(String, String)> = COUNTRIES
        .iter()
        .map(|(c, n)| ((*c).to_owned(), (*n).to_owned()))
        .collect();
    let billing_country = if v.billing.country.is_empty() {
        "US"
    } else {
        v.billing.country.as_str()
    };
    html.push_str(&select_html(
        "billing-country",
        "billing[country]",
        "Country or region",
        &countries,
        billing_country,
        ctx,
    ));
    if asks.billing_address {
        html.push_str("<h2>Billing address</h2>");
        html.push_str(&address_html("billing", &v.billing, ctx));
    }

    // Consent.
    if asks.terms_of_service {
        let error = ctx.error("terms_of_service");
        let message = o
            .get("custom_text")
            .and_then(|t| t.get("terms_of_service_acceptance"))
            .and_then(|t| t.get("message"))
            .and_then(Value::as_str)
            .map(str::to_owned)
            .unwrap_or_else(|| format!("I agree to {}'s Terms of Service", ctx.business));
        let _ = write!(
            html,
            "<div class=\"field\" style=\"margin-top:18px\"><label class=\"check\" for=\"terms_of_service\"><input type=\"checkbox\" id=\"terms_of_service\" name=\"terms_of_service\" value=\"accepted\" required{}{}> <span>{}</span></label>{}</div>",
            if v.terms_of_service { " checked" } else { "" },
            invalid_attrs("terms_of_service", error),
            esc(&message),
            error_html("terms_of_service", error),
        );
    }
    if mode == "subscription" {
        html.push_str("<p class=\"hint\">By subscribing, you allow the business to charge your card for this payment and future payments in accordance with their terms.</p>");
    }
    html
}

fn shipping_rates_html(
    state: &State,
    account: &Option<String>,
    o: &Map<String, Value>,
    ctx: &PageContext<'_>,
) -> String {
    let Some(options) = o
        .get("shipping_options")
        .and_then(Value::as_array)
        .filter(|os| !os.is_empty())
    else {
        return String::new();
    };
    let chosen = o
        .get("shipping_cost")
        .and_then(|c| c.get("shipping_rate"))
        .and_then(Value::as_str)
        .unwrap_or_default();
    let mut html = String::from("<fieldset><legend class=\"h2\">Shipping method</legend>");
    for (i, option) in options.iter().enumerate() {
        let id = option["shipping_rate"].as_str().unwrap_or_default();
        let rate = state.catalogue.get(Kind::ShippingRate, account, id);
        let name = rate
            .and_then(|r| r.get("display_name"))
            .and_then(Value::as_str)
            .unwrap_or("Shipping");
        let estimate = rate.and_then(|r| delivery_estimate(r.get("delivery_estimate")?));
        let _ = write!(
            html,
            "<label class=\"choice\" for=\"shipping-rate-{i}\"><input type=\"radio\" id=\"shipping-rate-{i}\" name=\"shipping_rate\" value=\"{}\"{}> <span>{}{}</span><span class=\"price\">{}</span></label>",
            esc(id),
            if id == chosen { " checked" } else { "" },
            esc(name),
            estimate
                .map(|e| format!("<small>{}</small>", esc(&e)))
                .unwrap_or_default(),
            esc(&money(o, int(option, "shipping_amount"))),
        );
    }
    html.push_str("</fieldset>");
    if ctx.error("shipping_rate").is_some() {
        html.push_str(&error_html("shipping_rate", ctx.error("shipping_rate")));
    }
    let _ = write!(
        html,
        "<p style=\"margin:0 0 8px\"><button type=\"submit\" id=\"update-shipping\" class=\"secondary\" formaction=\"{}/update\" formnovalidate>Update total</button></p>",
        esc(ctx.base)
    );
    html
}

/// "3–5 business days" from a shipping rate's `delivery_estimate`.
fn delivery_estimate(e: &Value) -> Option<String> {
    let part = |k: &str| -> Option<(i64, String)> {
        let p = e.get(k)?;
        Some((
            p.get("value")?.as_i64()?,
            p.get("unit")?.as_str()?.replace('_', " "),
        ))
    };
    match (part("minimum"), part("maximum")) {
        (Some((a, unit)), Some((b, _))) => Some(format!("{a}–{b} {unit}s")),
        (Some((a, unit)), None) => Some(format!("At least {a} {unit}s")),
        (None, Some((b, unit))) => Some(format!("Up to {b} {unit}s")),
        (None, None) => None,
    }
}

/// A custom field key as an element id (keys are alphanumeric on Stripe; anything else is
/// replaced).
pub(crate) fn field_id(key: &str) -> String {
    key.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect()
}

fn banner_html(banner: Option<&str>) -> String {
    match banner {
        Some(message) => format!(
            "<div class=\"banner\" id=\"payment-error\" role=\"alert\">{}</div>",
            esc(message)
        ),
        None => String::new(),
    }
}

fn after_submit_html(o: &Map<String, Value>) -> String {
    ["submit", "after_submit"]
        .iter()
        .filter_map(|k| {
            o.get("custom_text")?
                .get(*k)?
                .get("message")?
                .as_str()
                .map(|m| format!("<p class=\"hint\">{}</p>", esc(m)))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn submit_words() {
        let o = |v: Value| v.as_object().cloned().unwrap_or_default();
        assert_eq!(submit_word(&o(json!({"mode": "payment"}))), "Pay");
        assert_eq!(
            submit_word(&o(json!({"mode": "payment", "submit_type": "donate"}))),
            "Donate"
        );
        assert_eq!(
            submit_word(&o(json!({"mode": "payment", "submit_type": "book"}))),
            "Book"
        );
        assert_eq!(
            submit_word(&o(json!({"mode": "subscription"}))),
            "Subscribe"
        );
        assert_eq!(
            submit_word(&o(json!({"mode": "payment", "submit_type": "auto"}))),
            "Pay"
        );
    }

    #[test]
    fn estimates_and_ids() {
        let e = json!({"minimum": {"unit": "business_day", "value": 3}, "maximum": {"unit": "business_day", "value": 5}});
        assert_eq!(delivery_estimate(&e).as_deref(), Some("3–5 business days"));
        assert_eq!(field_id("a\"b<c"), "a-b-c");
    }
}
