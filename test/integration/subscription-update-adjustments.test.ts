// Discounts and item tax rates given to POST /v1/subscriptions/:id: they apply from the next
// invoice on (a once coupon to exactly one). Figures are worked out by hand beside them.
import type Stripe from 'stripe';
import { subscriptionInvoices } from '../support/stripe-helpers';
import { startStack, type Stack } from '../support/stack';
import { advanceClock } from '../support/test-clock';

const DAY = 86_400;
const JAN_1 = 1_893_456_000; // 2030-01-01T00:00:00Z
const JAN_11 = JAN_1 + 10 * DAY;
const FEB_1 = JAN_1 + 31 * DAY;
const MAR_1 = FEB_1 + 28 * DAY;

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.stop();
});

function invoicesOf(subscriptionId: string): Promise<Stripe.Invoice[]> {
  return subscriptionInvoices(stack, subscriptionId);
}

describe('updating a subscription with a coupon and item tax rates', () => {
  it('discounts the next renewal only (once) and taxes the item from then on', async () => {
    const clock = await stack.stripe.testHelpers.testClocks.create({ frozen_time: JAN_1 });
    const customer = await stack.stripe.customers.create({
      test_clock: clock.id,
      invoice_settings: { default_payment_method: 'pm_card_visa' },
    });
    const product = await stack.stripe.products.create({ name: 'Gold' });
    const price = await stack.stripe.prices.create({
      product: product.id,
      currency: 'usd',
      unit_amount: 2000,
      recurring: { interval: 'month' },
    });
    const subscription = await stack.stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: price.id }],
    });
    await advanceClock(stack.stripe, clock, JAN_11, 30_000);

    const half = await stack.stripe.coupons.create({ percent_off: 50, duration: 'once' });
    const tax = await stack.stripe.taxRates.create({ display_name: 'Tax', percentage: 10, inclusive: false });
    const updated = await stack.stripe.subscriptions.update(subscription.id, {
      discounts: [{ coupon: half.id }],
      items: [{ id: subscription.items.data[0]?.id, tax_rates: [tax.id] }],
    });
    expect(updated.discounts).toHaveLength(1);
    expect(updated.items.data[0]?.tax_rates?.map((rate) => rate.id)).toEqual([tax.id]);
    expect((await stack.stripe.coupons.retrieve(half.id)).times_redeemed).toBe(1);

    await advanceClock(stack.stripe, clock, FEB_1 + DAY, 30_000);
    await advanceClock(stack.stripe, clock, MAR_1 + DAY, 30_000);
    // January 2000 (before the change). February: 2000 - 50 % = 1000, tax 100: 1100.
    // March: the once coupon is spent: 2000 + tax 200 = 2200.
    expect((await invoicesOf(subscription.id)).map((invoice) => invoice.total)).toEqual([2000, 1100, 2200]);
  });
});
