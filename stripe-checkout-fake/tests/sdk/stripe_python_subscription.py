"""stripe-python against the fake's binary, as a subscription shop's webhook handler uses it:
a recurring price, a subscription-mode Checkout Session completed through the control endpoint
(`POST /_fake/sessions/{id}/complete`, as a customer paying would), then the subscription, its
invoice, the customer and the events retrieved with the SDK and checked against the session;
finally the subscription is cancelled (`DELETE`).

Run by .ci/run as `python stripe_python_subscription.py http://127.0.0.1:PORT` with the binary
serving there. Prints one `ok` line; exits non-zero (an assertion or an SDK exception) otherwise.
"""

import json
import sys
import urllib.parse
import urllib.request

import stripe

BASE = sys.argv[1]
stripe.api_key = "sk_test_sdk"
stripe.api_base = BASE
stripe.max_network_retries = 0
URL = "https://shop.test/welcome?id={CHECKOUT_SESSION_ID}"


def control(path, **params):
    """A POST to the fake's control endpoints (no key; form body; JSON answer)."""
    body = urllib.parse.urlencode(params).encode()
    with urllib.request.urlopen(urllib.request.Request(BASE + path, data=body, method="POST")) as r:
        return json.load(r)


product = stripe.Product.create(name="Pro")
price = stripe.Price.create(
    product=product.id, unit_amount=1500, currency="usd", recurring={"interval": "month"}
)
session = stripe.checkout.Session.create(
    mode="subscription",
    success_url=URL,
    line_items=[{"price": price.id, "quantity": 2}],
    subscription_data={"metadata": {"plan": "pro"}},
)
done = control(f"/_fake/sessions/{session.id}/complete", email="ada@example.com", name="Ada")
assert done["status"] == "complete" and done["payment_status"] == "paid", done

# What the handler fetches: the session with its subscription expanded, then the objects.
session = stripe.checkout.Session.retrieve(session.id, expand=["subscription.latest_invoice"])
sub = stripe.Subscription.retrieve(done["subscription"])
assert session.subscription.id == sub.id, session.subscription
assert sub.status == "active", sub
assert sub.customer == session.customer, (sub.customer, session.customer)
assert sub.metadata.to_dict() == {"plan": "pro"}, sub.metadata
item = sub["items"].data[0]
assert item.price.id == price.id and item.quantity == 2, item
assert item.current_period_end > item.current_period_start, item

invoice = stripe.Invoice.retrieve(sub.latest_invoice)
assert invoice.id == session.invoice == session.subscription.latest_invoice.id, invoice.id
assert invoice.status == "paid", invoice.status
assert invoice.total == invoice.amount_paid == session.amount_total == 3000, invoice.total
assert invoice.currency == session.currency == "usd", invoice.currency
assert invoice.customer == session.customer
assert invoice.parent.subscription_details.subscription == sub.id, invoice.parent
assert invoice.lines.data[0].amount == 3000, invoice.lines.data[0]
assert [i.id for i in stripe.Invoice.list(subscription=sub.id).data] == [invoice.id]
assert [s.id for s in stripe.Subscription.list(customer=session.customer).data] == [sub.id]

customer = stripe.Customer.retrieve(session.customer)
assert customer.email == "ada@example.com" and customer.name == "Ada", customer

# Newest first: this session's invoice.paid is the latest (other scripts may share the binary).
paid = stripe.Event.list(type="invoice.paid", limit=1).data
assert paid[0].data.object.id == invoice.id, paid
assert stripe.Event.retrieve(paid[0].id).type == "invoice.paid"

canceled = stripe.Subscription.cancel(sub.id)
assert canceled.status == "canceled", canceled.status
assert stripe.Event.list(type="customer.subscription.deleted").data[0].data.object.id == sub.id

print(f"stripe-python {stripe.VERSION}: a subscription session's subscription, invoice, customer and events against the fake: ok")
