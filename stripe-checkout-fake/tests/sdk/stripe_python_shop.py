"""stripe-python against the fake's binary, as a shop uses it: a product, a price, a coupon, a
promotion code, a shipping rate and a tax rate made with the SDK's own calls, a Checkout
Session that uses them with Stripe's totals, and three rejections caught as the SDK's error
classes.

Run by .ci/run as `python stripe_python_shop.py http://127.0.0.1:PORT` with the binary serving
there. Prints one `ok` line; exits non-zero (an assertion or an SDK exception) otherwise.

The numbers, by Stripe's rules (discount before tax, exclusive tax on the discounted amount,
shipping added and never discounted):
  subtotal 2000 x 2 = 4000; 20% off = 800; 8.25% of 3200 = 264; shipping 500;
  total 4000 - 800 + 264 + 500 = 3964.
"""

import sys

import stripe

BASE = sys.argv[1]
stripe.api_key = "sk_test_sdk"
stripe.api_base = BASE
stripe.max_network_retries = 0
URL = "https://shop.test/ok?id={CHECKOUT_SESSION_ID}"

# The catalogue.
product = stripe.Product.create(name="T-shirt", metadata={"sku": "TS-1"})
assert product.id.startswith("prod_") and product.active is True, product
price = stripe.Price.create(product=product.id, unit_amount=2000, currency="usd")
assert price.id.startswith("price_") and price.type == "one_time", price
coupon = stripe.Coupon.create(percent_off=20, duration="once")
assert coupon.valid is True and coupon.times_redeemed == 0 and coupon.duration == "once", coupon
promo = stripe.PromotionCode.create(promotion={"type": "coupon", "coupon": coupon.id}, code="SHOP20")
assert promo.id.startswith("promo_") and promo.code == "SHOP20", promo
assert promo.promotion.coupon == coupon.id, promo
rate = stripe.ShippingRate.create(
    display_name="Ground",
    type="fixed_amount",
    fixed_amount={"amount": 500, "currency": "usd"},
)
assert rate.id.startswith("shr_") and rate.fixed_amount.amount == 500, rate
tax = stripe.TaxRate.create(display_name="Sales tax", percentage=8.25, inclusive=False)
assert tax.id.startswith("txr_") and tax.effective_percentage == 8.25, tax

# Retrieve, expand, list, update through the SDK.
got = stripe.Price.retrieve(price.id, expand=["product"])
assert got.product.name == "T-shirt", got
assert [p.id for p in stripe.Product.list(limit=1).data] == [product.id]
updated = stripe.Product.modify(product.id, metadata={"sku": "", "color": "red"})
assert updated.metadata.to_dict() == {"color": "red"}, updated.metadata

# A session that uses them.
session = stripe.checkout.Session.create(
    mode="payment",
    success_url=URL,
    line_items=[{"price": price.id, "quantity": 2, "tax_rates": [tax.id]}],
    discounts=[{"promotion_code": promo.id}],
    shipping_options=[{"shipping_rate": rate.id}],
)
failures = []


def check(what, got, want):
    if got != want:
        failures.append(f"{what}: expected {want!r}, got {got!r}")


check("amount_subtotal", session.amount_subtotal, 4000)
details = session.total_details
check("total_details.amount_discount", details.amount_discount, 800)
check("total_details.amount_tax", details.amount_tax, 264)
check("total_details.amount_shipping", details.amount_shipping, 500)
check("amount_total", session.amount_total, 3964)
check("shipping_cost.shipping_rate", session.shipping_cost and session.shipping_cost.shipping_rate, rate.id)

full = stripe.checkout.Session.retrieve(session.id, expand=["line_items", "total_details.breakdown"])
line = full.line_items.data[0]
check("line amount_discount", line.amount_discount, 800)
check("line amount_tax", line.amount_tax, 264)
check("line amount_total", line.amount_total, 3464)
breakdown = getattr(full.total_details, "breakdown", None)
check("breakdown tax amounts", breakdown and [t.amount for t in breakdown.taxes], [264])
check("breakdown discount amounts", breakdown and [d.amount for d in breakdown.discounts], [800])
if failures:
    raise AssertionError("Stripe's totals:\n  " + "\n  ".join(failures))


# Three rejections, as the SDK's error classes.
def rejected(call, **params):
    try:
        call(**params)
    except stripe.InvalidRequestError as e:
        assert e.http_status == 400, e.http_status
        return e
    raise AssertionError(f"accepted: {params}")


line_items = [{"price": price.id, "quantity": 1}]
e = rejected(stripe.checkout.Session.create, mode="payment", success_url="notaurl", line_items=line_items)
assert (e.param, e.code) == ("success_url", "url_invalid"), (e.param, e.code, e.user_message)

e = rejected(stripe.Coupon.create, percent_off=150)
assert e.param == "percent_off", (e.param, e.code, e.user_message)

e = rejected(
    stripe.checkout.Session.create,
    mode="payment",
    success_url=URL,
    line_items=line_items,
    customer="cus_test",
    customer_email="jenny@example.com",
)
assert e.param in ("customer", "customer_email"), (e.param, e.code, e.user_message)
assert "customer_email" in e.user_message, e.user_message

print(f"stripe-python {stripe.VERSION}: catalogue objects, a session's totals and three errors against the fake: ok")
