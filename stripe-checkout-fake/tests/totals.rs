//! A shop's totals: Checkout Sessions over raw HTTP that use catalogue objects (prices, coupons,
//! promotion codes, shipping rates, tax rates), with every expected number worked out by hand
//! from Stripe's rules:
//!
//! - `amount_subtotal` is the items before discounts, shipping and tax;
//! - discounts come before tax: a `percent_off` coupon takes its share of each line, rounded
//!   half away from zero; an `amount_off` coupon is spread across lines in proportion to their
//!   subtotals (largest remainder), and never exceeds them;
//! - an exclusive tax rate is added on top of the discounted line amount; an inclusive one is
//!   contained in it (`amount − amount / (1 + rate)`), and counted in `total_details.amount_tax`
//!   without changing the total;
//! - shipping is added after discounts and is never discounted;
//! - `amount_total` = subtotal − discount + exclusive tax + shipping.
//!
//! Sources: <https://docs.stripe.com/api/checkout/sessions/object>,
//! <https://docs.stripe.com/payments/checkout/discounts>,
//! <https://docs.stripe.com/billing/taxes/tax-rates>,
//! <https://docs.stripe.com/payments/during-payment/charge-shipping>,
//! <https://docs.stripe.com/currencies>.

mod common;

use common::{call, make};
use serde_json::{json, Value};
use stripe_checkout_fake::FakeStripe;

const SESSION: &str = "mode=payment&success_url=https://shop.test/ok";

/// A one-time price of its own product.
async fn price(fake: &FakeStripe, unit_amount: i64, currency: &str) -> String {
    make(
        fake,
        "/v1/prices",
        &format!(
            "product_data[name]=Item+{unit_amount}&unit_amount={unit_amount}&currency={currency}"
        ),
    )
    .await
}

async fn tax_rate(fake: &FakeStripe, percentage: &str, inclusive: bool) -> String {
    make(
        fake,
        "/v1/tax_rates",
        &format!("display_name=Tax&percentage={percentage}&inclusive={inclusive}"),
    )
    .await
}

async fn shipping_rate(fake: &FakeStripe, amount: i64, currency: &str) -> String {
    make(
        fake,
        "/v1/shipping_rates",
        &format!("display_name=Ground&type=fixed_amount&fixed_amount[amount]={amount}&fixed_amount[currency]={currency}"),
    )
    .await
}

/// Creates a session from `SESSION` and `extra`; status and body.
async fn session(fake: &FakeStripe, extra: &str) -> (u16, Value) {
    call(
        fake,
        "POST",
        "/v1/checkout/sessions",
        &format!("{SESSION}&{extra}"),
    )
    .await
}

/// Creates a session that must succeed, and answers it retrieved with its line items and the
/// totals' breakdown expanded.
async fn priced(fake: &FakeStripe, extra: &str) -> Value {
    let (status, created) = session(fake, extra).await;
    assert_eq!(status, 200, "{extra}: {created}");
    let id = created["id"].as_str().unwrap();
    let (status, got) = call(
        fake,
        "GET",
        &format!("/v1/checkout/sessions/{id}?expand[]=line_items&expand[]=total_details.breakdown"),
        "",
    )
    .await;
    assert_eq!(status, 200, "{got}");
    for key in ["amount_subtotal", "amount_total", "currency"] {
        assert_eq!(got[key], created[key], "{key}: create and retrieve agree");
    }
    for key in ["amount_discount", "amount_shipping", "amount_tax"] {
        assert_eq!(
            got["total_details"][key], created["total_details"][key],
            "total_details.{key}: create and retrieve agree"
        );
    }
    got
}

/// `(amount_subtotal, amount_discount, amount_tax, amount_total)` of each line item.
fn lines(s: &Value) -> Vec<(i64, i64, i64, i64)> {
    s["line_items"]["data"]
        .as_array()
        .unwrap_or_else(|| panic!("line_items expanded: {s}"))
        .iter()
        .map(|l| {
            let n = |k: &str| l[k].as_i64().unwrap_or_else(|| panic!("{k}: {l}"));
            (
                n("amount_subtotal"),
                n("amount_discount"),
                n("amount_tax"),
                n("amount_total"),
            )
        })
        .collect()
}

/// `(amount_subtotal, amount_discount, amount_shipping, amount_tax, amount_total)`.
fn totals(s: &Value) -> (i64, i64, i64, i64, i64) {
    let n = |v: &Value| v.as_i64().unwrap_or_else(|| panic!("{v}: {s}"));
    (
        n(&s["amount_subtotal"]),
        n(&s["total_details"]["amount_discount"]),
        n(&s["total_details"]["amount_shipping"]),
        n(&s["total_details"]["amount_tax"]),
        n(&s["amount_total"]),
    )
}

#[track_caller]
fn assert_rejected(got: &(u16, Value), param: Option<&str>, fragment: &str) {
    let (status, body) = got;
    assert_eq!(*status, 400, "{body}");
    assert_eq!(body["error"]["type"], "invalid_request_error", "{body}");
    assert_eq!(body["error"]["param"].as_str(), param, "param: {body}");
    let message = body["error"]["message"]
        .as_str()
        .unwrap_or_default()
        .to_lowercase();
    assert!(
        message.contains(&fragment.to_lowercase()),
        "message {message:?} lacks {fragment:?}"
    );
}

/// The worked example: 2000 × 1 and 1000 × 2, 20% off, 8.25% exclusive tax on both lines,
/// 500 shipping.
///
/// - subtotal 2000 + 2000 = 4000
/// - discount 20% of each line: 400 + 400 = 800
/// - tax 8.25% of each discounted line: 1600 × 0.0825 = 132, twice: 264
/// - total 4000 − 800 + 264 + 500 = 3964; each line 2000 − 400 + 132 = 1732
#[tokio::test]
async fn percent_coupon_exclusive_tax_and_shipping() {
    let fake = FakeStripe::start().await;
    let a = price(&fake, 2000, "usd").await;
    let b = price(&fake, 1000, "usd").await;
    let tax = tax_rate(&fake, "8.25", false).await;
    let coupon = make(&fake, "/v1/coupons", "percent_off=20&duration=once").await;
    let ship = shipping_rate(&fake, 500, "usd").await;
    let s = priced(
        &fake,
        &format!(
            "line_items[0][price]={a}&line_items[0][quantity]=1&line_items[0][tax_rates][0]={tax}\
             &line_items[1][price]={b}&line_items[1][quantity]=2&line_items[1][tax_rates][0]={tax}\
             &discounts[0][coupon]={coupon}&shipping_options[0][shipping_rate]={ship}"
        ),
    )
    .await;
    assert_eq!(totals(&s), (4000, 800, 500, 264, 3964), "{s}");
    assert_eq!(
        lines(&s),
        [(2000, 400, 132, 1732), (2000, 400, 132, 1732)],
        "{s}"
    );
    assert_eq!(
        s["discounts"],
        json!([{"coupon": coupon, "promotion_code": null}])
    );
    assert_eq!(s["shipping_cost"]["amount_subtotal"], 500, "{s}");
    assert_eq!(s["shipping_cost"]["amount_tax"], 0);
    assert_eq!(s["shipping_cost"]["amount_total"], 500);
    assert_eq!(s["shipping_cost"]["shipping_rate"], json!(ship));

    let breakdown = &s["total_details"]["breakdown"];
    let discounts = breakdown["discounts"].as_array().expect("breakdown");
    assert_eq!(discounts.len(), 1, "{breakdown}");
    assert_eq!(discounts[0]["amount"], 800);
    // A discount object (2026 shape): `source.coupon` is the coupon's id (expandable).
    let discount = &discounts[0]["discount"];
    assert_eq!(discount["object"], "discount", "{discount}");
    assert_eq!(discount["source"]["type"], "coupon", "{discount}");
    let source = &discount["source"]["coupon"];
    assert_eq!(source, &json!(coupon), "{discount}");
    let taxes = breakdown["taxes"].as_array().expect("breakdown");
    assert_eq!(taxes.len(), 1, "one rate, summed over lines: {breakdown}");
    assert_eq!(taxes[0]["amount"], 264);
    assert_eq!(taxes[0]["rate"]["id"], json!(tax));
    assert_eq!(taxes[0]["rate"]["percentage"], 8.25);
    assert_eq!(taxes[0]["taxable_amount"], 3200);

    // The line items' own list agrees.
    let id = s["id"].as_str().unwrap();
    let (status, items) = call(
        &fake,
        "GET",
        &format!("/v1/checkout/sessions/{id}/line_items"),
        "",
    )
    .await;
    assert_eq!(status, 200, "{items}");
    assert_eq!(items["data"][1]["amount_discount"], 400);
    assert_eq!(items["data"][1]["amount_tax"], 132);
    assert_eq!(items["data"][1]["amount_total"], 1732);
    assert_eq!(items["data"][1]["quantity"], 2);
}

/// `amount_off` 500 over lines of 1000 and 3000: shares 500 × 1000/4000 = 125 and
/// 500 × 3000/4000 = 375. Total 4000 − 500 = 3500.
#[tokio::test]
async fn amount_off_is_spread_in_proportion() {
    let fake = FakeStripe::start().await;
    let a = price(&fake, 1000, "usd").await;
    let b = price(&fake, 3000, "usd").await;
    let coupon = make(&fake, "/v1/coupons", "amount_off=500&currency=usd").await;
    let s = priced(
        &fake,
        &format!(
            "line_items[0][price]={a}&line_items[0][quantity]=1\
             &line_items[1][price]={b}&line_items[1][quantity]=1&discounts[0][coupon]={coupon}"
        ),
    )
    .await;
    assert_eq!(totals(&s), (4000, 500, 0, 0, 3500), "{s}");
    assert_eq!(lines(&s), [(1000, 125, 0, 875), (3000, 375, 0, 2625)]);

    // 100 over three lines of 1000: 33⅓ each; the parts are whole and add up to exactly 100.
    let c = price(&fake, 1000, "usd").await;
    let hundred = make(&fake, "/v1/coupons", "amount_off=100&currency=usd").await;
    let s = priced(
        &fake,
        &format!(
            "line_items[0][price]={a}&line_items[0][quantity]=1\
             &line_items[1][price]={c}&line_items[1][quantity]=1\
             &line_items[2][price]={a}&line_items[2][quantity]=1&discounts[0][coupon]={hundred}"
        ),
    )
    .await;
    assert_eq!(totals(&s), (3000, 100, 0, 0, 2900), "{s}");
    let parts: Vec<i64> = lines(&s).iter().map(|l| l.1).collect();
    assert_eq!(parts.iter().sum::<i64>(), 100, "{parts:?}");
    assert!(parts.iter().all(|p| (33..=34).contains(p)), "{parts:?}");

    // A discount never exceeds the items, and never touches shipping: 5000 off 4000 of items
    // leaves the 500 of shipping.
    let big = make(&fake, "/v1/coupons", "amount_off=5000&currency=usd").await;
    let ship = shipping_rate(&fake, 500, "usd").await;
    let s = priced(
        &fake,
        &format!(
            "line_items[0][price]={a}&line_items[0][quantity]=1\
             &line_items[1][price]={b}&line_items[1][quantity]=1&discounts[0][coupon]={big}\
             &shipping_options[0][shipping_rate]={ship}"
        ),
    )
    .await;
    assert_eq!(totals(&s), (4000, 4000, 500, 0, 500), "{s}");
    assert_eq!(lines(&s), [(1000, 1000, 0, 0), (3000, 3000, 0, 0)]);
}

/// Percent coupons round each line half away from zero: 15% of 1250 is 187.5 → 188, 15% of
/// 999 × 1 is 149.85 → 150. Subtotal 2249, discount 338, total 1911.
#[tokio::test]
async fn percent_off_rounds_per_line() {
    let fake = FakeStripe::start().await;
    let a = price(&fake, 1250, "usd").await;
    let b = price(&fake, 999, "usd").await;
    let coupon = make(&fake, "/v1/coupons", "percent_off=15").await;
    let s = priced(
        &fake,
        &format!(
            "line_items[0][price]={a}&line_items[0][quantity]=1\
             &line_items[1][price]={b}&line_items[1][quantity]=1&discounts[0][coupon]={coupon}"
        ),
    )
    .await;
    assert_eq!(totals(&s), (2249, 338, 0, 0, 1911), "{s}");
    assert_eq!(lines(&s), [(1250, 188, 0, 1062), (999, 150, 0, 849)]);

    // 100% off: nothing to pay, and that is allowed (no minimum for a free session).
    let free = make(&fake, "/v1/coupons", "percent_off=100").await;
    let s = priced(
        &fake,
        &format!("line_items[0][price]={a}&line_items[0][quantity]=2&discounts[0][coupon]={free}"),
    )
    .await;
    assert_eq!(totals(&s), (2500, 2500, 0, 0, 0), "{s}");
}

/// An inclusive 20% VAT on 1200: the price contains 1200 − 1200 / 1.2 = 200 of tax; the total
/// stays 1200. With a 10% coupon the line is 1080, containing 1080 − 900 = 180.
#[tokio::test]
async fn inclusive_tax_is_contained() {
    let fake = FakeStripe::start().await;
    let item = price(&fake, 1200, "eur").await;
    let vat = tax_rate(&fake, "20", true).await;
    let s = priced(
        &fake,
        &format!("line_items[0][price]={item}&line_items[0][quantity]=1&line_items[0][tax_rates][0]={vat}"),
    )
    .await;
    assert_eq!(totals(&s), (1200, 0, 0, 200, 1200), "{s}");
    assert_eq!(lines(&s), [(1200, 0, 200, 1200)]);
    let taxes = &s["total_details"]["breakdown"]["taxes"];
    assert_eq!(taxes[0]["amount"], 200, "{taxes}");
    assert_eq!(taxes[0]["rate"]["inclusive"], true);
    assert_eq!(
        taxes[0]["taxable_amount"], 1000,
        "the amount net of the tax"
    );

    let coupon = make(&fake, "/v1/coupons", "percent_off=10").await;
    let s = priced(
        &fake,
        &format!(
            "line_items[0][price]={item}&line_items[0][quantity]=1&line_items[0][tax_rates][0]={vat}\
             &discounts[0][coupon]={coupon}"
        ),
    )
    .await;
    assert_eq!(totals(&s), (1200, 120, 0, 180, 1080), "{s}");
    assert_eq!(lines(&s), [(1200, 120, 180, 1080)]);
}

/// Zero-decimal currencies: ¥500 × 3 is 1500 (not 150000); 8% exclusive tax on it is 120.
#[tokio::test]
async fn zero_decimal_currency() {
    let fake = FakeStripe::start().await;
    let item = price(&fake, 500, "jpy").await;
    let s = priced(
        &fake,
        &format!("line_items[0][price]={item}&line_items[0][quantity]=3"),
    )
    .await;
    assert_eq!(s["currency"], "jpy");
    assert_eq!(totals(&s), (1500, 0, 0, 0, 1500), "{s}");

    let tax = tax_rate(&fake, "8", false).await;
    let ship = shipping_rate(&fake, 300, "jpy").await;
    let s = priced(
        &fake,
        &format!(
            "line_items[0][price]={item}&line_items[0][quantity]=3&line_items[0][tax_rates][0]={tax}\
             &shipping_options[0][shipping_rate]={ship}"
        ),
    )
    .await;
    assert_eq!(totals(&s), (1500, 0, 300, 120, 1920), "{s}");
}

/// A promotion code applies its coupon; `restrictions[minimum_amount]` refuses a smaller
/// basket (4000 < 5000) on `discounts[0][promotion_code]`.
#[tokio::test]
async fn promotion_codes_and_their_minimum() {
    let fake = FakeStripe::start().await;
    let a = price(&fake, 2000, "usd").await;
    let coupon = make(&fake, "/v1/coupons", "percent_off=20").await;
    let basket = format!("line_items[0][price]={a}&line_items[0][quantity]=2");

    let promo = make(
        &fake,
        "/v1/promotion_codes",
        &format!("promotion[type]=coupon&promotion[coupon]={coupon}&code=SPRING"),
    )
    .await;
    let s = priced(
        &fake,
        &format!("{basket}&discounts[0][promotion_code]={promo}"),
    )
    .await;
    assert_eq!(totals(&s), (4000, 800, 0, 0, 3200), "{s}");
    assert_eq!(s["discounts"][0]["promotion_code"], json!(promo), "{s}");

    let big_spender = make(
        &fake,
        "/v1/promotion_codes",
        &format!(
            "promotion[type]=coupon&promotion[coupon]={coupon}&code=BIG\
             &restrictions[minimum_amount]=5000&restrictions[minimum_amount_currency]=usd"
        ),
    )
    .await;
    let refused = session(
        &fake,
        &format!("{basket}&discounts[0][promotion_code]={big_spender}"),
    )
    .await;
    assert_eq!(refused.0, 400, "{}", refused.1);
    assert_eq!(
        refused.1["error"]["param"], "discounts[0][promotion_code]",
        "{}",
        refused.1
    );
    let message = refused.1["error"]["message"].as_str().unwrap_or_default();
    assert!(
        message.contains("minimum") || message.contains("at least") || message.contains("50"),
        "{message}"
    );

    // At the minimum it applies: 2000 × 3 = 6000 ≥ 5000, 20% off 6000 = 1200.
    let s = priced(
        &fake,
        &format!(
            "line_items[0][price]={a}&line_items[0][quantity]=3&discounts[0][promotion_code]={big_spender}"
        ),
    )
    .await;
    assert_eq!(totals(&s), (6000, 1200, 0, 0, 4800), "{s}");

    // An inactive code does not apply.
    let (status, _) = call(
        &fake,
        "POST",
        &format!("/v1/promotion_codes/{promo}"),
        "active=false",
    )
    .await;
    assert_eq!(status, 200);
    let inactive = session(
        &fake,
        &format!("{basket}&discounts[0][promotion_code]={promo}"),
    )
    .await;
    assert_eq!(inactive.0, 400, "{}", inactive.1);
    assert_eq!(
        inactive.1["error"]["param"], "discounts[0][promotion_code]",
        "{}",
        inactive.1
    );
}

/// `shipping_rate_data` makes a shipping rate inline; shipping is not discounted.
#[tokio::test]
async fn inline_shipping_rate_is_not_discounted() {
    let fake = FakeStripe::start().await;
    let a = price(&fake, 3000, "usd").await;
    let coupon = make(&fake, "/v1/coupons", "percent_off=50").await;
    let s = priced(
        &fake,
        &format!(
            "line_items[0][price]={a}&line_items[0][quantity]=1&discounts[0][coupon]={coupon}\
             &shipping_options[0][shipping_rate_data][display_name]=Express\
             &shipping_options[0][shipping_rate_data][type]=fixed_amount\
             &shipping_options[0][shipping_rate_data][fixed_amount][amount]=700\
             &shipping_options[0][shipping_rate_data][fixed_amount][currency]=usd"
        ),
    )
    .await;
    // 3000 − 1500 + 700
    assert_eq!(totals(&s), (3000, 1500, 700, 0, 2200), "{s}");
    let rate = s["shipping_cost"]["shipping_rate"]
        .as_str()
        .unwrap_or_default();
    assert!(rate.starts_with("shr_"), "{s}");
    let (status, made) = call(&fake, "GET", &format!("/v1/shipping_rates/{rate}"), "").await;
    assert_eq!(status, 200, "{made}");
    assert_eq!(made["display_name"], "Express");
}

/// A fresh fake with one active 2000 usd price, and a line item of it.
async fn shop() -> (FakeStripe, String) {
    let fake = FakeStripe::start().await;
    let a = price(&fake, 2000, "usd").await;
    (
        fake,
        format!("line_items[0][price]={a}&line_items[0][quantity]=1"),
    )
}

/// Nothing was created by refused requests.
async fn no_sessions(fake: &FakeStripe) {
    let (status, list) = call(fake, "GET", "/v1/checkout/sessions", "").await;
    assert_eq!(status, 200);
    assert_eq!(list["data"], json!([]), "{list}");
}

/// An archived (`active=false`) price cannot be sold.
#[tokio::test]
async fn inactive_price_is_refused() {
    let (fake, _) = shop().await;
    let archived = price(&fake, 1500, "usd").await;
    let (status, _) = call(
        &fake,
        "POST",
        &format!("/v1/prices/{archived}"),
        "active=false",
    )
    .await;
    assert_eq!(status, 200);
    let got = session(
        &fake,
        &format!("line_items[0][price]={archived}&line_items[0][quantity]=1"),
    )
    .await;
    assert_eq!(got.0, 400, "{}", got.1);
    assert_eq!(got.1["error"]["param"], "line_items[0][price]", "{}", got.1);
    no_sessions(&fake).await;
}

/// Under Stripe's minimum charge ($0.50): 49 cents, or 100 cents less a 60% coupon (40).
#[tokio::test]
async fn total_under_the_minimum_is_refused() {
    let (fake, _) = shop().await;
    let tiny = price(&fake, 49, "usd").await;
    let got = session(
        &fake,
        &format!("line_items[0][price]={tiny}&line_items[0][quantity]=1"),
    )
    .await;
    assert_eq!(got.0, 400, "{}", got.1);
    assert_eq!(got.1["error"]["type"], "invalid_request_error");

    let dollar = price(&fake, 100, "usd").await;
    let coupon = make(&fake, "/v1/coupons", "percent_off=60").await;
    let got = session(
        &fake,
        &format!(
            "line_items[0][price]={dollar}&line_items[0][quantity]=1&discounts[0][coupon]={coupon}"
        ),
    )
    .await;
    assert_eq!(got.0, 400, "{}", got.1);
    no_sessions(&fake).await;

    // 50 is enough.
    let fifty = price(&fake, 50, "usd").await;
    let s = priced(
        &fake,
        &format!("line_items[0][price]={fifty}&line_items[0][quantity]=1"),
    )
    .await;
    assert_eq!(totals(&s), (50, 0, 0, 0, 50));
}

/// Ids that name nothing: `resource_missing` on the param that holds them.
#[tokio::test]
async fn missing_objects_are_refused() {
    let (fake, item) = shop().await;
    let got = session(&fake, &format!("{item}&discounts[0][coupon]=NOPE")).await;
    assert_rejected(&got, Some("discounts[0][coupon]"), "no such coupon: 'NOPE'");
    assert_eq!(got.1["error"]["code"], "resource_missing");
    let got = session(
        &fake,
        &format!("{item}&discounts[0][promotion_code]=promo_nope"),
    )
    .await;
    assert_rejected(
        &got,
        Some("discounts[0][promotion_code]"),
        "no such promotion_code",
    );
    let got = session(
        &fake,
        &format!("{item}&line_items[0][tax_rates][0]=txr_nope"),
    )
    .await;
    assert_rejected(
        &got,
        Some("line_items[0][tax_rates][0]"),
        "no such tax_rate: 'txr_nope'",
    );
    let got = session(
        &fake,
        &format!("{item}&shipping_options[0][shipping_rate]=shr_nope"),
    )
    .await;
    assert_rejected(
        &got,
        Some("shipping_options[0][shipping_rate]"),
        "no such shipping_rate: 'shr_nope'",
    );
    let got = session(
        &fake,
        "line_items[0][price]=price_nope&line_items[0][quantity]=1",
    )
    .await;
    assert_rejected(
        &got,
        Some("line_items[0][price]"),
        "no such price: 'price_nope'",
    );
    no_sessions(&fake).await;
}

/// An amount-off coupon or a shipping rate in another currency than the session's.
#[tokio::test]
async fn other_currencies_are_refused() {
    let (fake, item) = shop().await;
    let euros = make(&fake, "/v1/coupons", "amount_off=500&currency=eur").await;
    let got = session(&fake, &format!("{item}&discounts[0][coupon]={euros}")).await;
    assert_eq!(got.0, 400, "{}", got.1);
    assert_eq!(got.1["error"]["param"], "discounts[0][coupon]", "{}", got.1);

    let eur_ship = shipping_rate(&fake, 500, "eur").await;
    let got = session(
        &fake,
        &format!("{item}&shipping_options[0][shipping_rate]={eur_ship}"),
    )
    .await;
    assert_eq!(got.0, 400, "{}", got.1);
    no_sessions(&fake).await;
}

/// A deleted coupon no longer applies to new sessions.
#[tokio::test]
async fn deleted_coupon_is_refused() {
    let (fake, item) = shop().await;
    let gone = make(&fake, "/v1/coupons", "percent_off=10").await;
    let (status, deleted) = call(&fake, "DELETE", &format!("/v1/coupons/{gone}"), "").await;
    assert_eq!(status, 200, "{deleted}");
    let got = session(&fake, &format!("{item}&discounts[0][coupon]={gone}")).await;
    assert_eq!(got.0, 400, "{}", got.1);
    assert_eq!(got.1["error"]["param"], "discounts[0][coupon]", "{}", got.1);
    no_sessions(&fake).await;
}
