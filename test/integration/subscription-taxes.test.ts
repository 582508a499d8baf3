// Tax rates on subscriptions: default_tax_rates for every item without its own tax_rates, on the
// first invoice and on each renewal (test clock). Figures are worked out by hand beside them.
import type Stripe from 'stripe';
import { startStack, type Stack } from '../support/stack';
import { stripeError, monthlyPrice as priceMonthly, subscriptionInvoices } from '../support/stripe-helpers';
import { advanceClock } from '../support/test-clock';

const DAY = 86_400;
const JAN_1 = 1_893_456_000; // 2030-01-01T00:00:00Z
const FEB_1 = JAN_1 + 31 * DAY;
const MAR_1 = FEB_1 + 28 * DAY;

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

function invoicesOf(subscriptionId: string): Promise<Stripe.Invoice[]> {
  return subscriptionInvoices(stack, subscriptionId);
}

describe('a subscription with tax rates', () => {
  it('taxes its first invoice and each renewal, and stops when the default rates are removed', async () => {
    const clock = await stack.stripe.testHelpers.testClocks.create({ frozen_time: JAN_1 });
    const customer = await stack.stripe.customers.create({
      test_clock: clock.id,
      invoice_settings: { default_payment_method: 'pm_card_visa' },
    });
    const gold = await monthlyPrice(2000, 'Gold');
    const support = await monthlyPrice(1000, 'Support');
    const sales = await stack.stripe.taxRates.create({
      display_name: 'Sales',
      percentage: 10,
      inclusive: false,
    });
    const vat = await stack.stripe.taxRates.create({ display_name: 'VAT', percentage: 20, inclusive: true });

    const subscription = await stack.stripe.subscriptions.create({
      customer: customer.id,
      default_tax_rates: [sales.id],
      items: [{ price: gold.id, tax_rates: [vat.id] }, { price: support.id }],
    });
    expect(subscription.default_tax_rates?.map((rate) => rate.id)).toEqual([sales.id]);
    expect(subscription.items.data.map((item) => item.tax_rates?.map((rate) => rate.id))).toEqual([
      [vat.id],
      [],
    ]);

    // Gold 2000 includes 20 %: 2000 × 20 / 120 = 333.33 -> 333 (1667 taxable).
    // Support 1000 with the default 10 %: 100.
    // subtotal 3000; total 3000 + 100 = 3100; excluding tax 3100 - 100 - 333 = 2667.
    const expected = { subtotal: 3000, total: 3100, total_excluding_tax: 2667, amount_due: 3100 };
    const [first] = await invoicesOf(subscription.id);
    expect(first).toMatchObject({ ...expected, status: 'paid', amount_paid: 3100 });
    expect(first?.default_tax_rates.map((rate) => rate.id)).toEqual([sales.id]);

    await advanceClock(stack.stripe, clock, FEB_1 + DAY, 30_000);
    const renewal = (await invoicesOf(subscription.id))[1];
    expect(renewal).toMatchObject({ ...expected, billing_reason: 'subscription_cycle' });

    // Without the default: Gold keeps its own VAT (333 included), Support is untaxed.
    await stack.stripe.subscriptions.update(subscription.id, { default_tax_rates: '' });
    await advanceClock(stack.stripe, clock, MAR_1 + DAY, 30_000);
    const third = (await invoicesOf(subscription.id))[2];
    expect(third).toMatchObject({ subtotal: 3000, total: 3000, total_excluding_tax: 2667 });
  });

  it("refuses another account's rate naming the item's parameter", async () => {
    const customer = await stack.stripe.customers.create({});
    const price = await monthlyPrice(500, 'Basic');
    const foreign = await (
      await stack.newAccount()
    ).stripe.taxRates.create({
      display_name: 'Elsewhere',
      percentage: 5,
      inclusive: false,
    });
    const error = await stripeError(
      stack.stripe.subscriptions.create({
        customer: customer.id,
        items: [{ price: price.id, tax_rates: [foreign.id] }],
      }),
    );
    expect(error).toMatchObject({
      statusCode: 400,
      code: 'resource_missing',
      param: 'items[0][tax_rates][0]',
    });
    expect((await stack.stripe.subscriptions.list({ customer: customer.id })).data).toEqual([]);
  });
});
