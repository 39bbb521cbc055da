//! `size_of` of the main types, printed (`cargo test -p stripe-checkout --test sizes -- --nocapture`)
//! and held under a ceiling, so a change that makes every decoded session larger is seen.

use std::mem::size_of;

use stripe_checkout::*;

#[test]
fn main_types_stay_compact() {
    let sizes = [
        ("CheckoutSession", size_of::<CheckoutSession>()),
        ("Item", size_of::<Item>()),
        ("Price", size_of::<Price>()),
        (
            "CreateCheckoutSessionParams",
            size_of::<CreateCheckoutSessionParams>(),
        ),
        (
            "CreateCheckoutSessionLineItems",
            size_of::<CreateCheckoutSessionLineItems>(),
        ),
        (
            "CheckoutSessionPaymentMethodOptions",
            size_of::<CheckoutSessionPaymentMethodOptions>(),
        ),
    ];
    for (name, size) in sizes {
        println!("size_of::<{name}>() = {size}");
    }
    // Optional sub-objects of responses are boxed when that makes their parent smaller
    // (`codegen/src/lower/boxing.rs`), and `extra` is one pointer until a field lands there:
    // 7,992 and 944 bytes before.
    assert!(size_of::<CheckoutSession>() <= 1_600, "{sizes:?}");
    assert_eq!(size_of::<ExtraFields>(), size_of::<usize>());
    assert!(size_of::<Item>() <= 400, "{sizes:?}");
}
