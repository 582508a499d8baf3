// create_preview with taxes, discounts and prorations together, and a proration date later in the
// current period. Figures are worked out by hand beside them.
import type Stripe from 'stripe';
import { startStack, type Stack } from '../support/stack';
import { stripeError, monthlyPrice as priceMonthly } from '../support/stripe-helpers';
import { advanceClock } from '../support/test-clock';

const DAY = 86_400;
const JAN_1 = 1_893_456_000; // 2030-01-01T00:00:00Z
const JAN_11 = JAN_1 + 10 * DAY;
const JAN_21 = JAN_1 + 20 * DAY;
const FEB_1 = JAN_1 + 31 * DAY;

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.stop();
});

function monthlyPrice(unitAmount: number, name: string): Promise<Stripe.Price> {
  return priceMonthly(stack, unitAmount, name);
}

describe('create_preview', () => {
  it('shows taxes, discounts and prorations of a change dated later in the period, and changes nothing', async () => {
    const clock = await stack.stripe.testHelpers.testClocks.create({ frozen_time: JAN_1 });
    const customer = await stack.stripe.customers.create({
      test_clock: clock.id,
      invoice_settings: { default_payment_method: 'pm_card_visa' },
    });
    const basic = await monthlyPrice(1000, 'Basic');
    const pro = await monthlyPrice(3000, 'Pro');
    const subscription = await stack.stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: basic.id }],
    });
    await advanceClock(stack.stripe, clock, JAN_11, 30_000);
    const tax = await stack.stripe.taxRates.create({ display_name: 'Tax', percentage: 10, inclusive: false });
    const quarter = await stack.stripe.coupons.create({ percent_off: 25 });

    const preview = await stack.stripe.invoices.createPreview({
      subscription: subscription.id,
      discounts: [{ coupon: quarter.id }],
      subscription_details: {
        items: [{ id: subscription.items.data[0]?.id, price: pro.id }],
        proration_date: JAN_21, // ten days ahead of the clock, still in January
        default_tax_rates: [tax.id],
      },
    });
    // 11 of January's 31 days remain after the 21st.
    // Credit 1000 × 11/31 = 354.84 -> -355; charge 3000 × 11/31 = 1064.52 -> 1065 (prorations:
    // no discount). February: 3000, 25 % off = 750 -> 2250.
    // Tax 10 %: -35.5 -> -36, 106.5 -> 107, 225. subtotal 3710; total 3710 - 750 + 296 = 3256.
    expect(preview.lines.data.map((line) => line.amount)).toEqual([-355, 1065, 3000]);
    expect(preview.lines.data.map((line) => line.taxes?.[0]?.amount)).toEqual([-36, 107, 225]);
    expect(preview).toMatchObject({ subtotal: 3710, total: 3256, total_excluding_tax: 2960 });
    expect(preview.total_discount_amounts?.map((entry) => entry.amount)).toEqual([750]);

    // A preview redeems nothing and changes nothing.
    expect((await stack.stripe.coupons.retrieve(quarter.id)).times_redeemed).toBe(0);
    const unchanged = await stack.stripe.subscriptions.retrieve(subscription.id);
    expect(unchanged.items.data[0]?.price.id).toBe(basic.id);
    expect(unchanged.default_tax_rates).toEqual([]);

    // Past the current period is refused, naming the parameter.
    const error = await stripeError(
      stack.stripe.invoices.createPreview({
        subscription: subscription.id,
        subscription_details: {
          items: [{ id: subscription.items.data[0]?.id, price: pro.id }],
          proration_date: FEB_1 + DAY,
        },
      }),
    );
    expect(error).toMatchObject({ statusCode: 400, param: 'proration_date' });
  });

  it('shows the taxes of invoice items it is given', async () => {
    const customer = await stack.stripe.customers.create({});
    const vat = await stack.stripe.taxRates.create({ display_name: 'VAT', percentage: 20, inclusive: true });
    const preview = await stack.stripe.invoices.createPreview({
      customer: customer.id,
      invoice_items: [{ amount: 1200, tax_rates: [vat.id] }],
    });
    // 1200 includes 20 %: 200 tax, 1000 excluding it.
    expect(preview).toMatchObject({ subtotal: 1200, total: 1200, total_excluding_tax: 1000 });
  });
});
