// stripe-node against the fake's binary, as a subscription shop's webhook handler uses it: a
// recurring price, a subscription-mode Checkout Session completed through the control endpoint
// (`POST /_fake/sessions/{id}/complete`), then the subscription, its invoice, the customer and
// the events retrieved with the SDK and checked against the session; finally the subscription
// is set to cancel at period end, then cancelled.
//
// Run by .ci/run as `NODE_PATH=<dir>/node_modules node stripe_node_subscription.mjs
// http://127.0.0.1:PORT` with the binary serving there. Prints one `ok` line; exits non-zero
// otherwise.

import assert from 'node:assert/strict';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const Stripe = require('stripe');

const base = new URL(process.argv[2]);
const stripe = new Stripe('sk_test_sdk', {
  host: base.hostname,
  port: Number(base.port),
  protocol: 'http',
  maxNetworkRetries: 0,
});

async function control(path, params) {
  const response = await fetch(`${process.argv[2]}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(params).toString(),
  });
  assert.equal(response.status, 200, await response.clone().text());
  return response.json();
}

async function main() {
  const product = await stripe.products.create({ name: 'Pro' });
  const price = await stripe.prices.create({
    product: product.id,
    unit_amount: 1500,
    currency: 'usd',
    recurring: { interval: 'month' },
  });
  let session = await stripe.checkout.sessions.create({
    mode: 'subscription',
    success_url: 'https://shop.test/welcome?id={CHECKOUT_SESSION_ID}',
    line_items: [{ price: price.id, quantity: 2 }],
    subscription_data: { metadata: { plan: 'pro' } },
  });
  const done = await control(`/_fake/sessions/${session.id}/complete`, { email: 'ada@example.com', name: 'Ada' });
  assert.equal(done.payment_status, 'paid');

  session = await stripe.checkout.sessions.retrieve(session.id, { expand: ['subscription.latest_invoice'] });
  const sub = await stripe.subscriptions.retrieve(done.subscription);
  assert.equal(session.subscription.id, sub.id);
  assert.equal(sub.status, 'active');
  assert.equal(sub.customer, session.customer);
  assert.deepEqual(sub.metadata, { plan: 'pro' });
  assert.equal(sub.items.data[0].price.id, price.id);
  assert.equal(sub.items.data[0].quantity, 2);
  assert.ok(sub.items.data[0].current_period_end > sub.items.data[0].current_period_start);

  const invoice = await stripe.invoices.retrieve(sub.latest_invoice);
  assert.equal(invoice.id, session.invoice);
  assert.equal(invoice.id, session.subscription.latest_invoice.id);
  assert.equal(invoice.status, 'paid');
  assert.equal(invoice.total, session.amount_total);
  assert.equal(invoice.amount_paid, 3000);
  assert.equal(invoice.currency, session.currency);
  assert.equal(invoice.customer, session.customer);
  assert.equal(invoice.parent.subscription_details.subscription, sub.id);
  const invoices = await stripe.invoices.list({ subscription: sub.id });
  assert.deepEqual(invoices.data.map((i) => i.id), [invoice.id]);
  const subs = await stripe.subscriptions.list({ customer: session.customer });
  assert.deepEqual(subs.data.map((s) => s.id), [sub.id]);

  const customer = await stripe.customers.retrieve(session.customer);
  assert.equal(customer.email, 'ada@example.com');

  // Newest first: this session's invoice.paid is the latest (the Python scripts ran before).
  const paid = await stripe.events.list({ type: 'invoice.paid', limit: 1 });
  assert.equal(paid.data[0].data.object.id, invoice.id);
  assert.equal((await stripe.events.retrieve(paid.data[0].id)).type, 'invoice.paid');

  const later = await stripe.subscriptions.update(sub.id, { cancel_at_period_end: true });
  assert.equal(later.cancel_at_period_end, true);
  assert.equal(later.cancel_at, sub.items.data[0].current_period_end);
  const canceled = await stripe.subscriptions.cancel(sub.id);
  assert.equal(canceled.status, 'canceled');

  console.log(`stripe-node ${Stripe.PACKAGE_VERSION}: a subscription session's subscription, invoice, customer and events against the fake: ok`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
