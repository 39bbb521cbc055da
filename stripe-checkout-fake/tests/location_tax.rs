//! Taxes that depend on where the customer is: `line_items[][dynamic_tax_rates]` (the first
//! rate whose `country`/`state` match the customer's address) and `automatic_tax` (the fake's
//! per-country rate table standing in for Stripe Tax). Both are computed when the session is
//! completed with an address, as Checkout computes them once the customer enters it
//! (<https://docs.stripe.com/payments/checkout/taxes>); without a rate table `automatic_tax` is
//! refused at creation, as Stripe refuses it before Stripe Tax is set up
//! (<https://docs.stripe.com/tax/set-up>).

mod common;

use common::{call, get, make};
use stripe_checkout_fake::{Completion, FakeStripe};

#[tokio::test]
async fn dynamic_tax_rates_follow_the_customers_country() {
    let fake = FakeStripe::start().await;
    let price = make(
        &fake,
        "/v1/prices",
        "currency=eur&unit_amount=1000&product_data[name]=Book",
    )
    .await;
    let de = make(
        &fake,
        "/v1/tax_rates",
        "display_name=MwSt&percentage=19&inclusive=false&country=DE",
    )
    .await;
    let fr = make(
        &fake,
        "/v1/tax_rates",
        "display_name=TVA&percentage=20&inclusive=false&country=FR",
    )
    .await;
    let body = format!(
        "mode=payment&success_url=https://shop.test/ok&line_items[0][price]={price}&line_items[0][quantity]=2&line_items[0][dynamic_tax_rates][0]={de}&line_items[0][dynamic_tax_rates][1]={fr}"
    );
    let (status, created) = call(&fake, "POST", "/v1/checkout/sessions", &body).await;
    assert_eq!(status, 200, "{created}");
    // Before the address: no tax yet.
    assert_eq!(created["amount_total"], 2000);
    assert_eq!(created["total_details"]["amount_tax"], 0);

    let id = created["id"].as_str().unwrap();
    // No address: refused, naming what is missing.
    let err = fake.complete_session(id, Completion::paid()).unwrap_err();
    assert_eq!(err.param.as_deref(), Some("address[country]"));

    let done = fake
        .complete_session(id, Completion::paid().country("FR"))
        .unwrap();
    assert_eq!(done.amount_total, Some(2400));
    assert_eq!(done.total_details.as_ref().map(|t| t.amount_tax), Some(400));
    let session = get(
        &fake,
        &format!("/v1/checkout/sessions/{id}?expand[]=line_items"),
    )
    .await;
    let line = &session["line_items"]["data"][0];
    assert_eq!(line["amount_tax"], 400);
    assert_eq!(line["taxes"][0]["rate"]["id"], fr.as_str());
    assert_eq!(session["customer_details"]["address"]["country"], "FR");

    // A country with no rate: untaxed.
    let (_, other) = call(&fake, "POST", "/v1/checkout/sessions", &body).await;
    let other_id = other["id"].as_str().unwrap();
    let done = fake
        .complete_session(other_id, Completion::paid().country("US"))
        .unwrap();
    assert_eq!(done.amount_total, Some(2000));
}

#[tokio::test]
async fn automatic_tax_needs_a_rate_table_and_taxes_by_country() {
    let fake = FakeStripe::start().await;
    let price = make(
        &fake,
        "/v1/prices",
        "currency=usd&unit_amount=5000&product_data[name]=Lamp",
    )
    .await;
    let body = format!(
        "mode=payment&success_url=https://shop.test/ok&line_items[0][price]={price}&line_items[0][quantity]=1&automatic_tax[enabled]=true"
    );
    let (status, refused) = call(&fake, "POST", "/v1/checkout/sessions", &body).await;
    assert_eq!(status, 400);
    assert_eq!(refused["error"]["param"], "automatic_tax[enabled]");
    assert!(refused["error"]["message"]
        .as_str()
        .unwrap()
        .contains("set_automatic_tax_rate"));

    // Through the control endpoint, as another language's test would set it.
    let (status, set) = call(
        &fake,
        "POST",
        "/_fake/automatic_tax_rates",
        "country=us&percentage=8.5",
    )
    .await;
    assert_eq!(status, 200, "{set}");
    assert_eq!(set["country"], "US");
    let (status, bad) = call(
        &fake,
        "POST",
        "/_fake/automatic_tax_rates",
        "country=USA&percentage=8.5",
    )
    .await;
    assert_eq!(
        (status, bad["error"]["param"].as_str()),
        (400, Some("country"))
    );
    let (status, bad) = call(
        &fake,
        "POST",
        "/_fake/automatic_tax_rates",
        "country=US&percentage=150",
    )
    .await;
    assert_eq!(
        (status, bad["error"]["param"].as_str()),
        (400, Some("percentage"))
    );

    let (status, created) = call(&fake, "POST", "/v1/checkout/sessions", &body).await;
    assert_eq!(status, 200, "{created}");
    assert_eq!(
        created["automatic_tax"]["status"],
        "requires_location_inputs"
    );
    let id = created["id"].as_str().unwrap().to_owned();
    // Completing over HTTP with an address, as the binary's users do.
    let (status, done) = call(
        &fake,
        "POST",
        &format!("/_fake/sessions/{id}/complete"),
        "address[country]=US&address[state]=CA&address[postal_code]=94107",
    )
    .await;
    assert_eq!(status, 200, "{done}");
    assert_eq!(done["amount_total"], 5425);
    assert_eq!(done["total_details"]["amount_tax"], 425);
    assert_eq!(done["automatic_tax"]["status"], "complete");
    assert_eq!(done["customer_details"]["address"]["state"], "CA");

    // A country without a rate cannot complete.
    fake.set_automatic_tax_rate("de", 19.0);
    let (_, created) = call(&fake, "POST", "/v1/checkout/sessions", &body).await;
    let id = created["id"].as_str().unwrap();
    let err = fake
        .complete_session(id, Completion::paid().country("JP"))
        .unwrap_err();
    assert_eq!(err.param.as_deref(), Some("address[country]"));
    let (status, bad) = call(
        &fake,
        "POST",
        &format!("/_fake/sessions/{id}/complete"),
        "address[planet]=Mars",
    )
    .await;
    assert_eq!(
        (status, bad["error"]["param"].as_str()),
        (400, Some("address[planet]"))
    );
}
