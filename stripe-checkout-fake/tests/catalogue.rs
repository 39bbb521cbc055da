//! Catalogue objects over raw HTTP, as a shop's setup script makes them against Stripe's test
//! mode: products, prices, coupons, promotion codes, shipping rates and tax rates. Create
//! (with Stripe's defaults), retrieve, list (newest first, paged, filtered), update (`active`,
//! metadata merged and unset), delete (products and coupons), unknown ids, and the rejections
//! Stripe's API reference describes.
//!
//! Shapes: <https://docs.stripe.com/api/products>, <https://docs.stripe.com/api/prices>,
//! <https://docs.stripe.com/api/coupons>, <https://docs.stripe.com/api/promotion_codes>,
//! <https://docs.stripe.com/api/shipping_rates>, <https://docs.stripe.com/api/tax_rates>,
//! <https://docs.stripe.com/api/pagination>, <https://docs.stripe.com/api/metadata>,
//! <https://docs.stripe.com/api/errors>.

mod common;

use common::{call, get, post};
use serde_json::{json, Value};
use stripe_checkout_fake::{FakeStripe, TEST_KEY};

/// An id of a created object.
fn id(object: &Value) -> String {
    object["id"].as_str().expect("an id").to_owned()
}

/// A list's ids, in order.
fn ids(list: &Value) -> Vec<String> {
    assert_eq!(list["object"], "list", "{list}");
    list["data"]
        .as_array()
        .expect("data")
        .iter()
        .map(id)
        .collect()
}

/// Asserts a list's ids, in order.
#[track_caller]
fn assert_ids(list: &Value, want: &[&str]) {
    assert_eq!(ids(list), want, "{list}");
}

/// Asserts a Stripe error: status, `type` `invalid_request_error`, `param`, `code` and a
/// fragment of the message (case-insensitive).
#[track_caller]
fn assert_error(
    got: &(u16, Value),
    status: u16,
    param: Option<&str>,
    code: Option<&str>,
    message: &str,
) {
    let (got_status, body) = got;
    let error = &body["error"];
    assert_eq!(*got_status, status, "{body}");
    assert_eq!(error["type"], "invalid_request_error", "{body}");
    assert_eq!(error["param"].as_str(), param, "param: {body}");
    assert_eq!(error["code"].as_str(), code, "code: {body}");
    let text = error["message"].as_str().unwrap_or_default().to_lowercase();
    assert!(
        text.contains(&message.to_lowercase()),
        "message {text:?} lacks {message:?}"
    );
}

async fn product(fake: &FakeStripe, name: &str) -> String {
    id(&post(fake, "/v1/products", &format!("name={name}")).await)
}

// ---------------------------------------------------------------------------------------------
// Products

#[tokio::test]
async fn product_create_defaults_and_retrieve() {
    let fake = FakeStripe::start().await;
    let p = post(
        &fake,
        "/v1/products",
        "name=T-shirt&description=Cotton&metadata[sku]=TS-1",
    )
    .await;
    assert_eq!(p["object"], "product");
    assert!(id(&p).starts_with("prod_"), "{p}");
    assert_eq!(p["active"], true, "active defaults to true");
    assert_eq!(p["name"], "T-shirt");
    assert_eq!(p["description"], "Cotton");
    assert_eq!(p["metadata"], json!({"sku": "TS-1"}));
    assert_eq!(p["livemode"], false);
    assert_eq!(p["default_price"], Value::Null);
    assert_eq!(p["images"], json!([]));
    assert!(p["created"].is_i64(), "{p}");
    assert_eq!(p["updated"], p["created"]);

    let got = get(&fake, &format!("/v1/products/{}", id(&p))).await;
    assert_eq!(got, p, "retrieve answers the created object");

    // A shop's own id.
    let own = post(&fake, "/v1/products", "id=tshirt-red&name=Red").await;
    assert_eq!(own["id"], "tshirt-red");
    let again = call(&fake, "POST", "/v1/products", "id=tshirt-red&name=Red").await;
    assert_error(
        &again,
        400,
        Some("id"),
        Some("resource_already_exists"),
        "already exists",
    );
}

#[tokio::test]
async fn product_list_is_newest_first_paged_and_filtered() {
    let fake = FakeStripe::start().await;
    let a = product(&fake, "A").await;
    let b = product(&fake, "B").await;
    let c = product(&fake, "C").await;

    let all = get(&fake, "/v1/products").await;
    assert_ids(&all, &[&c, &b, &a]);
    assert_eq!(all["has_more"], false);
    assert_eq!(all["url"], "/v1/products");

    let first = get(&fake, "/v1/products?limit=2").await;
    assert_ids(&first, &[&c, &b]);
    assert_eq!(first["has_more"], true);
    let next = get(&fake, &format!("/v1/products?limit=2&starting_after={b}")).await;
    assert_ids(&next, &[&a]);
    assert_eq!(next["has_more"], false);
    let before = get(&fake, &format!("/v1/products?ending_before={a}")).await;
    assert_ids(&before, &[&c, &b]);

    let off = post(&fake, &format!("/v1/products/{b}"), "active=false").await;
    assert_eq!(off["active"], false);
    let inactive = get(&fake, "/v1/products?active=false").await;
    assert_ids(&inactive, &[&b]);
    let active = get(&fake, "/v1/products?active=true").await;
    assert_ids(&active, &[&c, &a]);

    let bad = call(&fake, "GET", "/v1/products?limit=0", "").await;
    assert_eq!(bad.0, 400, "{}", bad.1);
    assert_eq!(bad.1["error"]["param"], "limit");
    let unknown = call(&fake, "GET", "/v1/products?starting_after=prod_nope", "").await;
    assert_eq!(unknown.0, 400, "{}", unknown.1);
}

#[tokio::test]
async fn product_update_merges_and_unsets_metadata() {
    let fake = FakeStripe::start().await;
    let p = post(
        &fake,
        "/v1/products",
        "name=Mug&metadata[color]=blue&metadata[size]=L",
    )
    .await;
    let path = format!("/v1/products/{}", id(&p));
    let updated = post(
        &fake,
        &path,
        "name=Big+mug&metadata[size]=&metadata[batch]=7",
    )
    .await;
    assert_eq!(updated["name"], "Big mug");
    assert_eq!(updated["metadata"], json!({"color": "blue", "batch": "7"}));
    assert_eq!(updated["active"], true, "untouched fields stay");
    assert_eq!(get(&fake, &path).await["metadata"], updated["metadata"]);

    let cleared = post(&fake, &path, "metadata=").await;
    assert_eq!(
        cleared["metadata"],
        json!({}),
        "`metadata=` clears all of it"
    );

    let off = post(&fake, &path, "active=false").await;
    assert_eq!(off["active"], false);
    assert_eq!(get(&fake, &path).await["active"], false);

    let unknown = call(&fake, "POST", &path, "colour=red").await;
    assert_error(
        &unknown,
        400,
        Some("colour"),
        Some("parameter_unknown"),
        "received unknown parameter: colour",
    );
}

#[tokio::test]
async fn product_delete_unless_it_has_prices() {
    let fake = FakeStripe::start().await;
    let lonely = product(&fake, "Lonely").await;
    let (status, deleted) = call(&fake, "DELETE", &format!("/v1/products/{lonely}"), "").await;
    assert_eq!(status, 200, "{deleted}");
    assert_eq!(
        deleted,
        json!({"id": lonely, "object": "product", "deleted": true})
    );
    let gone = call(&fake, "GET", &format!("/v1/products/{lonely}"), "").await;
    assert_error(
        &gone,
        404,
        Some("id"),
        Some("resource_missing"),
        &format!("no such product: '{lonely}'"),
    );
    let twice = call(&fake, "DELETE", &format!("/v1/products/{lonely}"), "").await;
    assert_error(
        &twice,
        404,
        Some("id"),
        Some("resource_missing"),
        "no such product",
    );

    let priced = product(&fake, "Priced").await;
    post(
        &fake,
        "/v1/prices",
        &format!("product={priced}&unit_amount=1000&currency=usd"),
    )
    .await;
    let refused = call(&fake, "DELETE", &format!("/v1/products/{priced}"), "").await;
    assert_eq!(refused.0, 400, "{}", refused.1);
    assert_eq!(refused.1["error"]["type"], "invalid_request_error");
    assert!(
        refused.1["error"]["message"]
            .as_str()
            .unwrap()
            .contains("cannot be deleted"),
        "{}",
        refused.1
    );
    assert_eq!(
        get(&fake, &format!("/v1/products/{priced}")).await["id"],
        json!(priced)
    );
}

// ---------------------------------------------------------------------------------------------
// Prices

#[tokio::test]
async fn price_create_one_time_and_recurring() {
    let fake = FakeStripe::start().await;
    let prod = product(&fake, "T-shirt").await;
    let once = post(
        &fake,
        "/v1/prices",
        &format!("product={prod}&unit_amount=2000&currency=usd&nickname=Standard"),
    )
    .await;
    assert_eq!(once["object"], "price");
    assert!(id(&once).starts_with("price_"), "{once}");
    assert_eq!(once["type"], "one_time");
    assert_eq!(once["recurring"], Value::Null);
    assert_eq!(once["active"], true);
    assert_eq!(once["unit_amount"], 2000);
    assert_eq!(once["unit_amount_decimal"], "2000");
    assert_eq!(once["currency"], "usd");
    assert_eq!(once["product"], json!(prod));
    assert_eq!(once["billing_scheme"], "per_unit");
    assert_eq!(once["tax_behavior"], "unspecified");
    assert_eq!(once["nickname"], "Standard");
    assert_eq!(once["livemode"], false);
    assert_eq!(once["metadata"], json!({}));

    let monthly = post(
        &fake,
        "/v1/prices",
        &format!("product={prod}&unit_amount=900&currency=eur&recurring[interval]=month"),
    )
    .await;
    assert_eq!(monthly["type"], "recurring");
    assert_eq!(monthly["recurring"]["interval"], "month");
    assert_eq!(monthly["recurring"]["interval_count"], 1);
    assert_eq!(monthly["recurring"]["usage_type"], "licensed");

    // `product_data` makes the product too.
    let inline = post(
        &fake,
        "/v1/prices",
        "product_data[name]=Sticker&unit_amount=300&currency=usd",
    )
    .await;
    let made = inline["product"].as_str().unwrap();
    assert!(made.starts_with("prod_"), "{inline}");
    assert_eq!(
        get(&fake, &format!("/v1/products/{made}")).await["name"],
        "Sticker"
    );

    assert_eq!(get(&fake, &format!("/v1/prices/{}", id(&once))).await, once);
}

#[tokio::test]
async fn price_list_filters_and_expand_product() {
    let fake = FakeStripe::start().await;
    let shirt = product(&fake, "T-shirt").await;
    let mug = product(&fake, "Mug").await;
    let p1 = id(&post(
        &fake,
        "/v1/prices",
        &format!("product={shirt}&unit_amount=2000&currency=usd"),
    )
    .await);
    let p2 = id(&post(
        &fake,
        "/v1/prices",
        &format!("product={mug}&unit_amount=1200&currency=usd"),
    )
    .await);
    let p3 = id(&post(
        &fake,
        "/v1/prices",
        &format!("product={shirt}&unit_amount=500&currency=usd&recurring[interval]=year"),
    )
    .await);

    assert_ids(&get(&fake, "/v1/prices").await, &[&p3, &p2, &p1]);
    assert_ids(
        &get(&fake, &format!("/v1/prices?product={shirt}")).await,
        &[&p3, &p1],
    );
    assert_ids(&get(&fake, "/v1/prices?type=recurring").await, &[&p3]);
    assert_ids(&get(&fake, "/v1/prices?type=one_time").await, &[&p2, &p1]);
    let page = get(&fake, "/v1/prices?limit=1").await;
    assert_ids(&page, &[&p3]);
    assert_eq!(page["has_more"], true);
    assert_ids(
        &get(&fake, &format!("/v1/prices?limit=1&starting_after={p3}")).await,
        &[&p2],
    );

    post(&fake, &format!("/v1/prices/{p2}"), "active=false").await;
    assert_ids(&get(&fake, "/v1/prices?active=false").await, &[&p2]);
    assert_ids(&get(&fake, "/v1/prices?active=true").await, &[&p3, &p1]);

    let expanded = get(&fake, &format!("/v1/prices/{p1}?expand[]=product")).await;
    assert_eq!(expanded["product"]["object"], "product", "{expanded}");
    assert_eq!(expanded["product"]["id"], json!(shirt));
    assert_eq!(expanded["product"]["name"], "T-shirt");
    let encoded = get(&fake, &format!("/v1/prices/{p1}?expand%5B%5D=product")).await;
    assert_eq!(encoded["product"]["id"], json!(shirt));
    let plain = get(&fake, &format!("/v1/prices/{p1}")).await;
    assert_eq!(plain["product"], json!(shirt), "an id unless expanded");

    let listed = get(&fake, "/v1/prices?expand[]=data.product&limit=1").await;
    assert_eq!(
        listed["data"][0]["product"]["object"], "product",
        "{listed}"
    );
}

#[tokio::test]
async fn price_update_and_rejections() {
    let fake = FakeStripe::start().await;
    let prod = product(&fake, "T-shirt").await;
    let price = id(&post(
        &fake,
        "/v1/prices",
        &format!("product={prod}&unit_amount=2000&currency=usd&metadata[a]=1"),
    )
    .await);
    let updated = post(
        &fake,
        &format!("/v1/prices/{price}"),
        "active=false&nickname=Old&metadata[a]=&metadata[b]=2",
    )
    .await;
    assert_eq!(updated["active"], false);
    assert_eq!(updated["nickname"], "Old");
    assert_eq!(updated["metadata"], json!({"b": "2"}));
    assert_eq!(updated["unit_amount"], 2000);

    let neither = call(&fake, "POST", "/v1/prices", "unit_amount=2000&currency=usd").await;
    assert_eq!(neither.0, 400, "{}", neither.1);
    assert_eq!(neither.1["error"]["type"], "invalid_request_error");
    assert!(
        neither.1["error"]["param"]
            .as_str()
            .is_some_and(|p| p.starts_with("product")),
        "{}",
        neither.1
    );
    assert!(
        neither.1["error"]["message"]
            .as_str()
            .unwrap()
            .contains("product"),
        "{}",
        neither.1
    );

    let missing = call(
        &fake,
        "POST",
        "/v1/prices",
        "product=prod_nope&unit_amount=2000&currency=usd",
    )
    .await;
    assert_error(
        &missing,
        400,
        Some("product"),
        Some("resource_missing"),
        "no such product: 'prod_nope'",
    );

    let zzz = call(
        &fake,
        "POST",
        "/v1/prices",
        &format!("product={prod}&unit_amount=2000&currency=zzz"),
    )
    .await;
    assert_error(&zzz, 400, Some("currency"), None, "invalid currency: zzz");

    let unknown = call(
        &fake,
        "POST",
        "/v1/prices",
        &format!("product={prod}&unit_amount=2000&currency=usd&colour=red"),
    )
    .await;
    assert_error(
        &unknown,
        400,
        Some("colour"),
        Some("parameter_unknown"),
        "received unknown parameter: colour",
    );

    let no_currency = call(
        &fake,
        "POST",
        "/v1/prices",
        &format!("product={prod}&unit_amount=2000"),
    )
    .await;
    assert_error(
        &no_currency,
        400,
        Some("currency"),
        Some("parameter_missing"),
        "missing required param: currency",
    );

    // Prices are never deleted: archive them (`active=false`) instead.
    let (status, body) = call(&fake, "DELETE", &format!("/v1/prices/{price}"), "").await;
    assert_eq!(status, 404, "{body}");
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("Unrecognized request URL"),
        "{body}"
    );
}

// ---------------------------------------------------------------------------------------------
// Coupons

#[tokio::test]
async fn coupon_create_defaults_update_and_delete() {
    let fake = FakeStripe::start().await;
    let pct = post(&fake, "/v1/coupons", "percent_off=20&name=Twenty").await;
    assert_eq!(pct["object"], "coupon");
    let generated = id(&pct);
    assert_eq!(generated.len(), 8, "Stripe's generated coupon ids: {pct}");
    assert_eq!(pct["percent_off"], 20.0);
    assert_eq!(pct["amount_off"], Value::Null);
    assert_eq!(pct["currency"], Value::Null);
    assert_eq!(pct["duration"], "once", "duration defaults to once");
    assert_eq!(pct["duration_in_months"], Value::Null);
    assert_eq!(pct["valid"], true);
    assert_eq!(pct["times_redeemed"], 0);
    assert_eq!(pct["max_redemptions"], Value::Null);
    assert_eq!(pct["name"], "Twenty");
    assert_eq!(pct["livemode"], false);
    assert_eq!(pct["metadata"], json!({}));

    let off = post(
        &fake,
        "/v1/coupons",
        "id=FIVEOFF&amount_off=500&currency=usd&duration=repeating&duration_in_months=3",
    )
    .await;
    assert_eq!(off["id"], "FIVEOFF");
    assert_eq!(off["amount_off"], 500);
    assert_eq!(off["currency"], "usd");
    assert_eq!(off["percent_off"], Value::Null);
    assert_eq!(off["duration"], "repeating");
    assert_eq!(off["duration_in_months"], 3);
    assert_eq!(get(&fake, "/v1/coupons/FIVEOFF").await, off);

    let forever = post(&fake, "/v1/coupons", "percent_off=12.5&duration=forever").await;
    assert_eq!(forever["percent_off"], 12.5);
    assert_eq!(forever["duration"], "forever");

    assert_ids(
        &get(&fake, "/v1/coupons").await,
        &[&id(&forever), "FIVEOFF", &generated],
    );
    assert_ids(
        &get(&fake, "/v1/coupons?limit=1&starting_after=FIVEOFF").await,
        &[&generated],
    );

    let renamed = post(
        &fake,
        "/v1/coupons/FIVEOFF",
        "name=Five+off&metadata[campaign]=spring",
    )
    .await;
    assert_eq!(renamed["name"], "Five off");
    assert_eq!(renamed["metadata"], json!({"campaign": "spring"}));
    assert_eq!(renamed["amount_off"], 500);
    let unset = post(&fake, "/v1/coupons/FIVEOFF", "metadata[campaign]=").await;
    assert_eq!(unset["metadata"], json!({}));
    // The discount itself cannot change after creation.
    let fixed = call(&fake, "POST", "/v1/coupons/FIVEOFF", "amount_off=700").await;
    assert_error(
        &fixed,
        400,
        Some("amount_off"),
        Some("parameter_unknown"),
        "received unknown parameter: amount_off",
    );

    let (status, deleted) = call(&fake, "DELETE", "/v1/coupons/FIVEOFF", "").await;
    assert_eq!(status, 200, "{deleted}");
    assert_eq!(
        deleted,
        json!({"id": "FIVEOFF", "object": "coupon", "deleted": true})
    );
    let gone = call(&fake, "GET", "/v1/coupons/FIVEOFF", "").await;
    assert_error(
        &gone,
        404,
        Some("id"),
        Some("resource_missing"),
        "no such coupon: 'FIVEOFF'",
    );
}

#[tokio::test]
async fn coupon_rejections() {
    let fake = FakeStripe::start().await;
    let both = call(
        &fake,
        "POST",
        "/v1/coupons",
        "percent_off=20&amount_off=500&currency=usd",
    )
    .await;
    assert_eq!(both.0, 400, "{}", both.1);
    let message = both.1["error"]["message"].as_str().unwrap();
    assert!(
        message.contains("percent_off") && message.contains("amount_off"),
        "{message}"
    );
    assert!(
        matches!(
            both.1["error"]["param"].as_str(),
            Some("percent_off" | "amount_off")
        ),
        "{}",
        both.1
    );

    let neither = call(&fake, "POST", "/v1/coupons", "duration=once").await;
    assert_eq!(neither.0, 400, "{}", neither.1);
    let message = neither.1["error"]["message"].as_str().unwrap();
    assert!(
        message.contains("percent_off") && message.contains("amount_off"),
        "{message}"
    );

    let no_currency = call(&fake, "POST", "/v1/coupons", "amount_off=500").await;
    assert_eq!(no_currency.0, 400, "{}", no_currency.1);
    assert_eq!(
        no_currency.1["error"]["param"], "currency",
        "{}",
        no_currency.1
    );
    assert!(
        no_currency.1["error"]["message"]
            .as_str()
            .unwrap()
            .contains("currency"),
        "{}",
        no_currency.1
    );

    let too_much = call(&fake, "POST", "/v1/coupons", "percent_off=150").await;
    assert_eq!(too_much.0, 400, "{}", too_much.1);
    assert_eq!(
        too_much.1["error"]["param"], "percent_off",
        "{}",
        too_much.1
    );
    assert!(
        too_much.1["error"]["message"]
            .as_str()
            .unwrap()
            .contains("percent_off"),
        "{}",
        too_much.1
    );

    let repeating = call(
        &fake,
        "POST",
        "/v1/coupons",
        "percent_off=10&duration=repeating",
    )
    .await;
    assert_error(
        &repeating,
        400,
        Some("duration_in_months"),
        Some("parameter_missing"),
        "duration_in_months",
    );

    let zzz = call(&fake, "POST", "/v1/coupons", "amount_off=500&currency=zzz").await;
    assert_error(&zzz, 400, Some("currency"), None, "invalid currency: zzz");

    let unknown = call(&fake, "POST", "/v1/coupons", "percent_off=10&colour=red").await;
    assert_error(
        &unknown,
        400,
        Some("colour"),
        Some("parameter_unknown"),
        "received unknown parameter: colour",
    );

    assert_ids(&get(&fake, "/v1/coupons").await, &[]);
}

// ---------------------------------------------------------------------------------------------
// Promotion codes

#[tokio::test]
async fn promotion_codes_for_coupons() {
    let fake = FakeStripe::start().await;
    let coupon = id(&post(&fake, "/v1/coupons", "percent_off=20").await);
    let promo = post(
        &fake,
        "/v1/promotion_codes",
        &format!("promotion[type]=coupon&promotion[coupon]={coupon}&code=SAVE20&max_redemptions=10&restrictions[minimum_amount]=5000&restrictions[minimum_amount_currency]=usd&restrictions[first_time_transaction]=true"),
    )
    .await;
    assert_eq!(promo["object"], "promotion_code");
    let promo_id = id(&promo);
    assert!(promo_id.starts_with("promo_"), "{promo}");
    assert_eq!(promo["code"], "SAVE20");
    assert_eq!(promo["active"], true);
    assert_eq!(promo["promotion"]["type"], "coupon");
    assert_eq!(promo["promotion"]["coupon"], json!(coupon));
    assert_eq!(promo["times_redeemed"], 0);
    assert_eq!(promo["max_redemptions"], 10);
    assert_eq!(promo["restrictions"]["minimum_amount"], 5000);
    assert_eq!(promo["restrictions"]["minimum_amount_currency"], "usd");
    assert_eq!(promo["restrictions"]["first_time_transaction"], true);
    assert_eq!(promo["livemode"], false);
    assert_eq!(
        get(&fake, &format!("/v1/promotion_codes/{promo_id}")).await,
        promo
    );

    // Without a code, Stripe makes one up; without restrictions, they are empty.
    let plain = post(
        &fake,
        "/v1/promotion_codes",
        &format!("promotion[type]=coupon&promotion[coupon]={coupon}"),
    )
    .await;
    assert!(
        plain["code"].as_str().is_some_and(|c| !c.is_empty()),
        "{plain}"
    );
    assert_eq!(plain["restrictions"]["minimum_amount"], Value::Null);
    assert_eq!(plain["restrictions"]["first_time_transaction"], false);
    assert_eq!(plain["max_redemptions"], Value::Null);

    let expanded = get(
        &fake,
        &format!("/v1/promotion_codes/{promo_id}?expand[]=promotion.coupon"),
    )
    .await;
    assert_eq!(
        expanded["promotion"]["coupon"]["object"], "coupon",
        "{expanded}"
    );
    assert_eq!(expanded["promotion"]["coupon"]["percent_off"], 20.0);

    // Lists: newest first, by code and coupon, by active.
    assert_ids(
        &get(&fake, "/v1/promotion_codes").await,
        &[&id(&plain), &promo_id],
    );
    assert_ids(
        &get(&fake, "/v1/promotion_codes?code=SAVE20").await,
        &[&promo_id],
    );
    assert_ids(
        &get(&fake, &format!("/v1/promotion_codes?coupon={coupon}")).await,
        &[&id(&plain), &promo_id],
    );

    // Codes are unique among active codes, regardless of case.
    let duplicate = call(
        &fake,
        "POST",
        "/v1/promotion_codes",
        &format!("promotion[type]=coupon&promotion[coupon]={coupon}&code=save20"),
    )
    .await;
    assert_eq!(duplicate.0, 400, "{}", duplicate.1);
    assert_eq!(duplicate.1["error"]["param"], "code", "{}", duplicate.1);
    assert!(
        duplicate.1["error"]["message"]
            .as_str()
            .unwrap()
            .contains("already exists"),
        "{}",
        duplicate.1
    );

    // Deactivated, the code can be reused.
    let off = post(
        &fake,
        &format!("/v1/promotion_codes/{promo_id}"),
        "active=false&metadata[k]=v",
    )
    .await;
    assert_eq!(off["active"], false);
    assert_eq!(off["metadata"], json!({"k": "v"}));
    assert_ids(
        &get(&fake, "/v1/promotion_codes?active=false").await,
        &[&promo_id],
    );
    let reused = post(
        &fake,
        "/v1/promotion_codes",
        &format!("promotion[type]=coupon&promotion[coupon]={coupon}&code=SAVE20"),
    )
    .await;
    assert_eq!(reused["active"], true);
}

#[tokio::test]
async fn promotion_code_rejections() {
    let fake = FakeStripe::start().await;
    let missing = call(
        &fake,
        "POST",
        "/v1/promotion_codes",
        "promotion[type]=coupon&promotion[coupon]=NOPE&code=X1",
    )
    .await;
    assert_error(
        &missing,
        400,
        Some("promotion[coupon]"),
        Some("resource_missing"),
        "no such coupon: 'NOPE'",
    );

    let coupon = id(&post(&fake, "/v1/coupons", "percent_off=20").await);
    let no_currency = call(
        &fake,
        "POST",
        "/v1/promotion_codes",
        &format!(
            "promotion[type]=coupon&promotion[coupon]={coupon}&restrictions[minimum_amount]=5000"
        ),
    )
    .await;
    assert_eq!(no_currency.0, 400, "{}", no_currency.1);
    assert_eq!(
        no_currency.1["error"]["param"], "restrictions[minimum_amount_currency]",
        "{}",
        no_currency.1
    );

    let bad_code = call(
        &fake,
        "POST",
        "/v1/promotion_codes",
        &format!("promotion[type]=coupon&promotion[coupon]={coupon}&code=NO+SPACES"),
    )
    .await;
    assert_eq!(bad_code.0, 400, "{}", bad_code.1);
    assert_eq!(bad_code.1["error"]["param"], "code");

    // The pre-2025 shape (`coupon=`) is not a parameter any more.
    let old = call(
        &fake,
        "POST",
        "/v1/promotion_codes",
        &format!("coupon={coupon}"),
    )
    .await;
    assert_error(
        &old,
        400,
        Some("coupon"),
        Some("parameter_unknown"),
        "received unknown parameter: coupon",
    );
}

// ---------------------------------------------------------------------------------------------
// Shipping rates

#[tokio::test]
async fn shipping_rates() {
    let fake = FakeStripe::start().await;
    let standard = post(
        &fake,
        "/v1/shipping_rates",
        "display_name=Standard&type=fixed_amount&fixed_amount[amount]=500&fixed_amount[currency]=usd",
    )
    .await;
    assert_eq!(standard["object"], "shipping_rate");
    let sid = id(&standard);
    assert!(sid.starts_with("shr_"), "{standard}");
    assert_eq!(standard["display_name"], "Standard");
    assert_eq!(standard["type"], "fixed_amount");
    assert_eq!(standard["fixed_amount"]["amount"], 500);
    assert_eq!(standard["fixed_amount"]["currency"], "usd");
    assert_eq!(standard["active"], true);
    assert_eq!(standard["tax_behavior"], "unspecified");
    assert_eq!(standard["livemode"], false);
    assert_eq!(standard["metadata"], json!({}));
    assert_eq!(
        get(&fake, &format!("/v1/shipping_rates/{sid}")).await,
        standard
    );

    // `type` defaults to fixed_amount.
    let express = post(
        &fake,
        "/v1/shipping_rates",
        "display_name=Express&fixed_amount[amount]=1500&fixed_amount[currency]=usd&tax_behavior=exclusive&delivery_estimate[minimum][unit]=business_day&delivery_estimate[minimum][value]=1",
    )
    .await;
    assert_eq!(express["type"], "fixed_amount");
    assert_eq!(express["tax_behavior"], "exclusive");
    assert_eq!(express["delivery_estimate"]["minimum"]["value"], 1);

    assert_ids(
        &get(&fake, "/v1/shipping_rates").await,
        &[&id(&express), &sid],
    );
    let off = post(
        &fake,
        &format!("/v1/shipping_rates/{sid}"),
        "active=false&metadata[zone]=eu",
    )
    .await;
    assert_eq!(off["active"], false);
    assert_eq!(off["metadata"], json!({"zone": "eu"}));
    assert_ids(
        &get(&fake, "/v1/shipping_rates?active=false").await,
        &[&sid],
    );
    assert_ids(
        &get(&fake, "/v1/shipping_rates?active=true").await,
        &[&id(&express)],
    );

    let zzz = call(
        &fake,
        "POST",
        "/v1/shipping_rates",
        "display_name=X&fixed_amount[amount]=500&fixed_amount[currency]=zzz",
    )
    .await;
    assert_error(
        &zzz,
        400,
        Some("fixed_amount[currency]"),
        None,
        "invalid currency: zzz",
    );
    let no_name = call(
        &fake,
        "POST",
        "/v1/shipping_rates",
        "fixed_amount[amount]=500&fixed_amount[currency]=usd",
    )
    .await;
    assert_error(
        &no_name,
        400,
        Some("display_name"),
        Some("parameter_missing"),
        "display_name",
    );
    let negative = call(
        &fake,
        "POST",
        "/v1/shipping_rates",
        "display_name=X&fixed_amount[amount]=-1&fixed_amount[currency]=usd",
    )
    .await;
    assert_eq!(negative.0, 400, "{}", negative.1);
    assert_eq!(negative.1["error"]["param"], "fixed_amount[amount]");
}

// ---------------------------------------------------------------------------------------------
// Tax rates

#[tokio::test]
async fn tax_rates() {
    let fake = FakeStripe::start().await;
    let vat = post(
        &fake,
        "/v1/tax_rates",
        "display_name=VAT&percentage=20&inclusive=true&country=DE&jurisdiction=DE",
    )
    .await;
    assert_eq!(vat["object"], "tax_rate");
    let vid = id(&vat);
    assert!(vid.starts_with("txr_"), "{vat}");
    assert_eq!(vat["display_name"], "VAT");
    assert_eq!(vat["percentage"], 20.0);
    assert_eq!(vat["effective_percentage"], 20.0);
    assert_eq!(vat["inclusive"], true);
    assert_eq!(vat["active"], true);
    assert_eq!(vat["country"], "DE");
    assert_eq!(vat["livemode"], false);
    assert_eq!(vat["metadata"], json!({}));
    assert_eq!(get(&fake, &format!("/v1/tax_rates/{vid}")).await, vat);

    let sales = post(
        &fake,
        "/v1/tax_rates",
        "display_name=Sales+tax&percentage=8.25&inclusive=false&state=CA&country=US",
    )
    .await;
    assert_eq!(sales["percentage"], 8.25);
    assert_eq!(sales["effective_percentage"], 8.25);
    assert_eq!(sales["inclusive"], false);

    assert_ids(&get(&fake, "/v1/tax_rates").await, &[&id(&sales), &vid]);
    assert_ids(&get(&fake, "/v1/tax_rates?inclusive=true").await, &[&vid]);
    let off = post(
        &fake,
        &format!("/v1/tax_rates/{vid}"),
        "active=false&display_name=Old+VAT&metadata[a]=1",
    )
    .await;
    assert_eq!(off["active"], false);
    assert_eq!(off["display_name"], "Old VAT");
    assert_eq!(off["percentage"], 20.0, "the percentage cannot change");
    assert_ids(&get(&fake, "/v1/tax_rates?active=false").await, &[&vid]);

    let changed = call(
        &fake,
        "POST",
        &format!("/v1/tax_rates/{vid}"),
        "percentage=10",
    )
    .await;
    assert_error(
        &changed,
        400,
        Some("percentage"),
        Some("parameter_unknown"),
        "received unknown parameter: percentage",
    );
    let missing = call(
        &fake,
        "POST",
        "/v1/tax_rates",
        "display_name=VAT&percentage=20",
    )
    .await;
    assert_error(
        &missing,
        400,
        Some("inclusive"),
        Some("parameter_missing"),
        "inclusive",
    );
    let over = call(
        &fake,
        "POST",
        "/v1/tax_rates",
        "display_name=VAT&percentage=150&inclusive=false",
    )
    .await;
    assert_eq!(over.0, 400, "{}", over.1);
    assert_eq!(over.1["error"]["param"], "percentage");
}

// ---------------------------------------------------------------------------------------------
// Unknown ids

#[tokio::test]
async fn unknown_ids_are_resource_missing() {
    let fake = FakeStripe::start().await;
    for (path, object) in [
        ("/v1/products/prod_nope", "product"),
        ("/v1/prices/price_nope", "price"),
        ("/v1/coupons/nope", "coupon"),
        ("/v1/promotion_codes/promo_nope", "promotion_code"),
        ("/v1/shipping_rates/shr_nope", "shipping_rate"),
        ("/v1/tax_rates/txr_nope", "tax_rate"),
    ] {
        let id = path.rsplit('/').next().unwrap();
        for (method, body) in [("GET", ""), ("POST", "metadata[a]=1")] {
            let (status, json) = call(&fake, method, path, body).await;
            assert_eq!(status, 404, "{method} {path}: {json}");
            assert_eq!(json["error"]["type"], "invalid_request_error");
            assert_eq!(json["error"]["code"], "resource_missing", "{json}");
            assert_eq!(
                json["error"]["message"],
                format!("No such {object}: '{id}'"),
                "{method} {path}"
            );
        }
    }
    for path in ["/v1/products/prod_nope", "/v1/coupons/nope"] {
        let (status, json) = call(&fake, "DELETE", path, "").await;
        assert_eq!(status, 404, "{json}");
        assert_eq!(json["error"]["code"], "resource_missing");
    }
}

#[tokio::test]
async fn connected_accounts_see_only_their_own_catalogue() {
    let fake = FakeStripe::start().await;
    let http = reqwest::Client::new();
    let response = http
        .post(format!("{}/v1/products", fake.base_url()))
        .bearer_auth(TEST_KEY)
        .header("stripe-account", "acct_1")
        .header("content-type", "application/x-www-form-urlencoded")
        .body("name=Theirs")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    let theirs: Value = response.json().await.unwrap();
    let (status, _) = call(&fake, "GET", &format!("/v1/products/{}", id(&theirs)), "").await;
    assert_eq!(status, 404, "the platform does not see acct_1's product");
    assert_ids(&get(&fake, "/v1/products").await, &[]);
}
