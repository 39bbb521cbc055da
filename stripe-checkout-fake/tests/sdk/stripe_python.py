"""stripe-python against the fake's binary: the six Checkout Session operations, a
Stripe-shaped error, and a signed webhook verified by stripe.Webhook.construct_event.

Run by .ci/run as `python stripe_python.py http://127.0.0.1:PORT` with the binary serving there.
Exits non-zero (an assertion or an SDK exception) if the fake does not behave as Stripe for the
official SDK.
"""

import http.server
import json
import sys
import threading
import time
import urllib.parse
import urllib.request

import stripe

BASE = sys.argv[1]
SECRET = "whsec_sdk_test"
stripe.api_key = "sk_test_sdk"
stripe.api_base = BASE
stripe.max_network_retries = 0

received = []


class Hook(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        event = stripe.Webhook.construct_event(body, self.headers["Stripe-Signature"], SECRET)
        received.append(event)
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


def control(path, **form):
    data = urllib.parse.urlencode(form).encode()
    with urllib.request.urlopen(BASE + path, data=data) as response:
        return json.load(response)


hook = http.server.HTTPServer(("127.0.0.1", 0), Hook)
threading.Thread(target=hook.serve_forever, daemon=True).start()
control("/_fake/webhook_endpoints", url=f"http://127.0.0.1:{hook.server_port}/", secret=SECRET)

line_items = [{
    "price_data": {"currency": "usd", "unit_amount": 2000, "product_data": {"name": "T-shirt"}},
    "quantity": 2,
}]
session = stripe.checkout.Session.create(
    mode="payment",
    success_url="https://shop.test/ok?id={CHECKOUT_SESSION_ID}",
    line_items=line_items,
    metadata={"order_id": "6735"},
)
assert session.id.startswith("cs_test_"), session.id
assert session.amount_total == 4000 and session.status == "open" and session.url

got = stripe.checkout.Session.retrieve(session.id, expand=["line_items"])
assert got.line_items.data[0].amount_total == 4000

updated = stripe.checkout.Session.modify(session.id, metadata={"order_id": "6736"})
assert updated.metadata["order_id"] == "6736"

second = stripe.checkout.Session.create(mode="payment", success_url="https://shop.test/ok", line_items=line_items)
page = stripe.checkout.Session.list(limit=1)
assert page.has_more and page.data[0].id == second.id
assert [s.id for s in stripe.checkout.Session.list(limit=1).auto_paging_iter()] == [second.id, session.id]

items = stripe.checkout.Session.list_line_items(session.id)
assert items.data[0].quantity == 2

try:
    stripe.checkout.Session.create(mode="payment", success_url="https://shop.test/ok", line_items=[{"quantity": 1, "price_data": {"unit_amount": 1, "product_data": {"name": "x"}}}])
    raise AssertionError("a missing currency was accepted")
except stripe.InvalidRequestError as e:
    assert e.param == "line_items[0][price_data][currency]", e.param
    assert e.code == "parameter_missing", e.code
    assert e.http_status == 400

expired = stripe.checkout.Session.expire(second.id)
assert expired.status == "expired"

control(f"/_fake/sessions/{session.id}/complete", email="jenny@example.com")
# The `expired` event of the second session may arrive first: wait for `completed` itself.
deadline = time.time() + 5
while time.time() < deadline and not any(e["type"] == "checkout.session.completed" for e in received):
    time.sleep(0.02)
types = sorted(e["type"] for e in received)
assert "checkout.session.completed" in types, types
completed = next(e for e in received if e["type"] == "checkout.session.completed")
assert completed["data"]["object"]["id"] == session.id
assert completed["data"]["object"]["payment_status"] == "paid"
print(f"stripe-python {stripe.VERSION}: six operations, an error and a signed webhook against the fake: ok")
