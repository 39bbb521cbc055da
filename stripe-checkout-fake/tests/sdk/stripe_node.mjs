// stripe-node against the fake's binary, as a shop uses it: a product, a price, a coupon, a
// promotion code, a shipping rate and a tax rate made with the SDK's own calls, a Checkout
// Session that uses them with Stripe's totals, and three rejections caught as the SDK's error
// classes.
//
// Run by .ci/run as `NODE_PATH=<dir>/node_modules node stripe_node.mjs http://127.0.0.1:PORT`
// with the binary serving there (`stripe` is loaded with a CommonJS require, which honours
// NODE_PATH; ESM imports do not). Prints one `ok` line; exits non-zero otherwise.
//
// The numbers, by Stripe's rules (discount before tax, exclusive tax on the discounted amount,
// shipping added and never discounted): subtotal 2000 x 2 = 4000; 20% off = 800; 8.25% of
// 3200 = 264; shipping 500; total 4000 - 800 + 264 + 500 = 3964.

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
const successUrl = 'https://shop.test/ok?id={CHECKOUT_SESSION_ID}';

async function main() {
  // The catalogue.
  const product = await stripe.products.create({ name: 'T-shirt', metadata: { sku: 'TS-1' } });
  assert.ok(product.id.startsWith('prod_'), product.id);
  assert.equal(product.active, true);
  const price = await stripe.prices.create({ product: product.id, unit_amount: 2000, currency: 'usd' });
  assert.ok(price.id.startsWith('price_'), price.id);
  assert.equal(price.type, 'one_time');
  const coupon = await stripe.coupons.create({ percent_off: 20, duration: 'once' });
  assert.equal(coupon.valid, true);
  assert.equal(coupon.times_redeemed, 0);
  const promo = await stripe.promotionCodes.create({
    promotion: { type: 'coupon', coupon: coupon.id },
    code: 'NODE20',
  });
  assert.ok(promo.id.startsWith('promo_'), promo.id);
  assert.equal(promo.promotion.coupon, coupon.id);
  const rate = await stripe.shippingRates.create({
    display_name: 'Ground',
    type: 'fixed_amount',
    fixed_amount: { amount: 500, currency: 'usd' },
  });
  assert.ok(rate.id.startsWith('shr_'), rate.id);
  const tax = await stripe.taxRates.create({ display_name: 'Sales tax', percentage: 8.25, inclusive: false });
  assert.ok(tax.id.startsWith('txr_'), tax.id);
  assert.equal(tax.effective_percentage, 8.25);

  // Retrieve, expand, list, update through the SDK.
  const got = await stripe.prices.retrieve(price.id, { expand: ['product'] });
  assert.equal(got.product.name, 'T-shirt');
  const listed = await stripe.products.list({ limit: 1 });
  assert.deepEqual(listed.data.map((p) => p.id), [product.id]);
  const updated = await stripe.products.update(product.id, { metadata: { sku: '', color: 'red' } });
  assert.deepEqual(updated.metadata, { color: 'red' });

  // A session that uses them.
  const session = await stripe.checkout.sessions.create({
    mode: 'payment',
    success_url: successUrl,
    line_items: [{ price: price.id, quantity: 2, tax_rates: [tax.id] }],
    discounts: [{ promotion_code: promo.id }],
    shipping_options: [{ shipping_rate: rate.id }],
  });
  const failures = [];
  const check = (what, actual, want) => {
    if (JSON.stringify(actual) !== JSON.stringify(want)) {
      failures.push(`${what}: expected ${JSON.stringify(want)}, got ${JSON.stringify(actual)}`);
    }
  };
  check('amount_subtotal', session.amount_subtotal, 4000);
  check('total_details.amount_discount', session.total_details?.amount_discount, 800);
  check('total_details.amount_tax', session.total_details?.amount_tax, 264);
  check('total_details.amount_shipping', session.total_details?.amount_shipping, 500);
  check('amount_total', session.amount_total, 3964);
  check('shipping_cost.shipping_rate', session.shipping_cost?.shipping_rate, rate.id);

  const full = await stripe.checkout.sessions.retrieve(session.id, {
    expand: ['line_items', 'total_details.breakdown'],
  });
  const line = full.line_items.data[0];
  check('line amount_discount', line.amount_discount, 800);
  check('line amount_tax', line.amount_tax, 264);
  check('line amount_total', line.amount_total, 3464);
  check('breakdown tax amounts', full.total_details?.breakdown?.taxes?.map((t) => t.amount), [264]);
  check('breakdown discount amounts', full.total_details?.breakdown?.discounts?.map((d) => d.amount), [800]);
  if (failures.length) {
    throw new Error(`Stripe's totals:\n  ${failures.join('\n  ')}`);
  }

  // Three rejections, as the SDK's error classes.
  const rejected = async (call) => {
    try {
      await call();
    } catch (e) {
      assert.ok(e instanceof Stripe.errors.StripeInvalidRequestError, `${e.constructor.name}: ${e.message}`);
      assert.equal(e.type, 'StripeInvalidRequestError');
      assert.equal(e.statusCode, 400);
      return e;
    }
    throw new Error('accepted');
  };
  const lineItems = [{ price: price.id, quantity: 1 }];
  let e = await rejected(() =>
    stripe.checkout.sessions.create({ mode: 'payment', success_url: 'notaurl', line_items: lineItems }),
  );
  assert.deepEqual([e.param, e.code], ['success_url', 'url_invalid'], e.message);

  e = await rejected(() => stripe.coupons.create({ percent_off: 150 }));
  assert.equal(e.param, 'percent_off', e.message);

  e = await rejected(() =>
    stripe.checkout.sessions.create({
      mode: 'payment',
      success_url: successUrl,
      line_items: lineItems,
      customer: 'cus_test',
      customer_email: 'jenny@example.com',
    }),
  );
  assert.ok(['customer', 'customer_email'].includes(e.param), `${e.param}: ${e.message}`);
  assert.ok(e.message.includes('customer_email'), e.message);

  console.log(`stripe-node ${Stripe.PACKAGE_VERSION}: catalogue objects, a session's totals and three errors against the fake: ok`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
