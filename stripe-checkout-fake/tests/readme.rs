//! The example of `docs/TESTING.md`, compiled and run: that page shows the part between the
//! markers word for word (checked by `xtask/tests/docs.rs`, outside this package, since the
//! page is not in it), so it cannot drift from what works.

// docs/TESTING.md:start
use stripe_checkout::{
    CheckoutSessionMode, CheckoutSessionPaymentStatus, CreateCheckoutSessionLineItems,
    CreateCheckoutSessionParams, EventType,
};
use stripe_checkout_fake::{Completion, FakePrice, FakeStripe};

#[tokio::test]
async fn a_paid_session_emits_checkout_session_completed() -> Result<(), Box<dyn std::error::Error>>
{
    let fake = FakeStripe::start().await; // 127.0.0.1, an ephemeral port; stops when dropped
    fake.register_price(FakePrice::one_time("price_tshirt", 2500, "usd"));
    let client = fake.client(); // a real stripe_checkout::Client pointed at the fake

    let mut params = CreateCheckoutSessionParams::hosted(
        CheckoutSessionMode::Payment,
        "https://shop.test/ok?session_id={CHECKOUT_SESSION_ID}",
    );
    params.line_items = Some(vec![CreateCheckoutSessionLineItems {
        price: Some("price_tshirt".into()),
        quantity: Some(2),
        ..Default::default()
    }]);
    let session = client.checkout_sessions().create(&params).await?;
    assert_eq!(session.amount_total, Some(5000));

    // Pay on the hosted page (a browser fills it with Stripe's test card 4242…), or directly:
    let paid = fake.complete_session(&session.id, Completion::paid())?;
    assert_eq!(paid.payment_status, CheckoutSessionPaymentStatus::Paid);
    // Every event is recorded, typed as your webhook handler gets it; with
    // `add_webhook_endpoint` it is also POSTed, signed, to that handler (see examples/shop.rs).
    let events = fake.events(); // payment_intent.succeeded, then checkout.session.completed
    assert_eq!(events[1].type_, EventType::CheckoutSessionCompleted);
    let completed = events[1].checkout_session().ok_or("a session event")?;
    assert_eq!(completed.id, session.id);
    assert_eq!(completed.payment_status, CheckoutSessionPaymentStatus::Paid);
    Ok(())
}
// docs/TESTING.md:end
