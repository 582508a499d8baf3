// Subscriptions through the official client and test clocks: periods invoiced and paid,
// prorations checked against figures worked out by hand, create_preview against the invoice
// the same change then produces, invoice.upcoming before each renewal.
import type Stripe from 'stripe';
import { startStack, type Stack } from '../support/stack';
import { stripeError, monthlyPrice as priceMonthly, subscriptionInvoices } from '../support/stripe-helpers';
import { advanceClock } from '../support/test-clock';
import { waitFor } from '../support/wait-for';

const HOUR = 3600;
const DAY = 86_400;
const JAN_1 = 1_893_456_000; // 2030-01-01T00:00:00Z
const FEB_1 = JAN_1 + 31 * DAY;
const MAR_1 = FEB_1 + 28 * DAY;
const APR_1 = MAR_1 + 31 * DAY;

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.stop();
});

function advance(clock: Stripe.TestHelpers.TestClock, to: number): Promise<void> {
  return advanceClock(stack.stripe, clock, to, 30_000);
}

async function customerOnClock(paymentMethod = 'pm_card_visa') {
  const clock = await stack.stripe.testHelpers.testClocks.create({ frozen_time: JAN_1 });
  const customer = await stack.stripe.customers.create({
    test_clock: clock.id,
    invoice_settings: { default_payment_method: paymentMethod },
  });
  return { clock, customer };
}

function monthlyPrice(unitAmount: number, name = 'Gold'): Promise<Stripe.Price> {
  return priceMonthly(stack, unitAmount, name);
}

function invoicesOf(subscriptionId: string): Promise<Stripe.Invoice[]> {
  return subscriptionInvoices(stack, subscriptionId);
}

function lineSummary(invoice: Stripe.Invoice) {
  return invoice.lines.data.map((line) => ({
    amount: line.amount,
    description: line.description,
    period: line.period,
    proration:
      line.parent?.subscription_item_details?.proration ??
      line.parent?.invoice_item_details?.proration ??
      false,
  }));
}

describe('a monthly subscription over three periods', () => {
  it('invoices each period, collects each invoice and announces each renewal', async () => {
    const { clock, customer } = await customerOnClock();
    const price = await monthlyPrice(2000);
    const created = await stack.stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: price.id }],
    });
    expect(created).toMatchObject({
      object: 'subscription',
      status: 'active',
      customer: customer.id,
      billing_cycle_anchor: JAN_1,
      start_date: JAN_1,
      test_clock: clock.id,
    });
    expect(created.id).toMatch(/^sub_/);
    expect(created.items.data[0]).toMatchObject({
      object: 'subscription_item',
      current_period_start: JAN_1,
      current_period_end: FEB_1,
      quantity: 1,
      price: { id: price.id },
    });

    await advance(clock, FEB_1 + 2 * HOUR);
    await advance(clock, MAR_1 + 2 * HOUR);

    const invoices = await invoicesOf(created.id);
    expect(invoices.map((invoice) => [invoice.billing_reason, invoice.status, invoice.amount_paid])).toEqual([
      ['subscription_create', 'paid', 2000],
      ['subscription_cycle', 'paid', 2000],
      ['subscription_cycle', 'paid', 2000],
    ]);
    expect(invoices.map((invoice) => invoice.lines.data[0].period)).toEqual([
      { start: JAN_1, end: FEB_1 },
      { start: FEB_1, end: MAR_1 },
      { start: MAR_1, end: APR_1 },
    ]);
    expect(invoices[1]).toMatchObject({ created: FEB_1, period_start: JAN_1, period_end: FEB_1 });
    expect(invoices[1].status_transitions.finalized_at).toBe(FEB_1 + HOUR);
    expect(invoices[1].lines.data[0].description).toBe('1 × Gold (at $20.00 / month)');

    const subscription = await stack.stripe.subscriptions.retrieve(created.id);
    expect(subscription.status).toBe('active');
    expect(subscription.latest_invoice).toBe(invoices[2].id);
    expect(subscription.items.data[0]).toMatchObject({
      current_period_start: MAR_1,
      current_period_end: APR_1,
    });

    const upcoming = await stack.stripe.events.list({ type: 'invoice.upcoming', limit: 100 });
    const mine = upcoming.data.filter(
      (event) =>
        (event.data.object as Stripe.Invoice).parent?.subscription_details?.subscription === created.id,
    );
    expect(mine.map((event) => event.created).sort()).toEqual([FEB_1 - 7 * DAY, MAR_1 - 7 * DAY]);
    expect((mine[0].data.object as Stripe.Invoice).amount_due).toBe(2000);
  });
});

describe('an upgrade mid-period', () => {
  it('credits the unused time and charges the remaining time, to the second', async () => {
    const { clock, customer } = await customerOnClock();
    const basic = await monthlyPrice(1000, 'Basic');
    const pro = await monthlyPrice(3000, 'Pro');
    const subscription = await stack.stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: basic.id }],
    });
    const JAN_11 = JAN_1 + 10 * DAY;
    await advance(clock, JAN_11);
    const itemId = subscription.items.data[0].id;
    const details = {
      items: [{ id: itemId, price: pro.id }],
      proration_date: JAN_11,
      proration_behavior: 'always_invoice' as const,
    };
    const preview = await stack.stripe.invoices.createPreview({
      subscription: subscription.id,
      subscription_details: details,
    });
    // By hand: January has 31 days; 21 of them remain after the 11th.
    // Credit: 1000 × 21/31 = 677.42 → −677. Charge: 3000 × 21/31 = 2032.26 → 2032.
    expect(lineSummary(preview)).toEqual([
      {
        amount: -677,
        description: 'Unused time on Basic after 11 Jan 2030',
        period: { start: JAN_11, end: FEB_1 },
        proration: true,
      },
      {
        amount: 2032,
        description: 'Remaining time on Pro after 11 Jan 2030',
        period: { start: JAN_11, end: FEB_1 },
        proration: true,
      },
    ]);
    expect(preview.total).toBe(1355);
    expect(preview.id).toMatch(/^upcoming_in_/);
    // A preview changes nothing.
    expect((await stack.stripe.subscriptions.retrieve(subscription.id)).items.data[0].price.id).toBe(
      basic.id,
    );

    const updated = await stack.stripe.subscriptions.update(subscription.id, details);
    expect(updated.items.data[0]).toMatchObject({ id: itemId, price: { id: pro.id } });
    const invoice = await stack.stripe.invoices.retrieve(updated.latest_invoice as string);
    expect(invoice).toMatchObject({ billing_reason: 'subscription_update', status: 'paid', total: 1355 });
    expect(lineSummary(invoice)).toEqual(lineSummary(preview));
  });

  it('leaves create_prorations as pending items that the renewal invoices, as previewed', async () => {
    const { clock, customer } = await customerOnClock();
    const seat = await monthlyPrice(1500, 'Seat');
    const subscription = await stack.stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: seat.id, quantity: 1 }],
    });
    const JAN_21 = JAN_1 + 20 * DAY + 6 * HOUR;
    await advance(clock, JAN_21);
    const itemId = subscription.items.data[0].id;
    await stack.stripe.subscriptions.update(subscription.id, {
      items: [{ id: itemId, quantity: 3 }],
      proration_date: JAN_21,
    });
    // By hand: 10 days 18 hours = 928,800 s of 2,678,400 s remain.
    // Credit: 1500 × 928800/2678400 = 520.16 → −520; charge: 4500 × … = 1560.48 → 1560.
    const pending = await stack.stripe.invoiceItems.list({ customer: customer.id, pending: true });
    expect(pending.data.map((item) => item.amount).sort((a, b) => a - b)).toEqual([-520, 1560]);

    const preview = await stack.stripe.invoices.createPreview({ subscription: subscription.id });
    expect(preview.total).toBe(-520 + 1560 + 4500);

    await advance(clock, FEB_1 + 2 * HOUR);
    const renewal = (await invoicesOf(subscription.id)).at(-1) as Stripe.Invoice;
    expect(renewal).toMatchObject({ billing_reason: 'subscription_cycle', status: 'paid', total: 5540 });
    expect(lineSummary(renewal)).toEqual(lineSummary(preview));
  });
});

describe('cancellation and status', () => {
  it('cancels at period end without invoicing the next period', async () => {
    const { clock, customer } = await customerOnClock();
    const price = await monthlyPrice(1000, 'Monthly');
    const subscription = await stack.stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: price.id }],
      cancel_at_period_end: true,
    });
    expect(subscription.cancel_at).toBe(FEB_1);
    await advance(clock, FEB_1 + 2 * HOUR);
    const canceled = await stack.stripe.subscriptions.retrieve(subscription.id);
    expect(canceled).toMatchObject({ status: 'canceled', ended_at: FEB_1, canceled_at: FEB_1 });
    expect(await invoicesOf(subscription.id)).toHaveLength(1);
    const error = await stripeError(
      stack.stripe.subscriptions.update(subscription.id, { metadata: { a: 'b' } }),
    );
    expect(error.statusCode).toBe(400);
  });

  it('cancels now with a proration credit left for the customer', async () => {
    const { clock, customer } = await customerOnClock();
    const price = await monthlyPrice(3100, 'Daily-ish');
    const subscription = await stack.stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: price.id }],
    });
    await advance(clock, JAN_1 + 21 * DAY);
    const canceled = await stack.stripe.subscriptions.cancel(subscription.id, { prorate: true });
    expect(canceled.status).toBe('canceled');
    // 10 of 31 days unused: 3100 × 10/31 = 1000.
    const pending = await stack.stripe.invoiceItems.list({ customer: customer.id, pending: true });
    expect(pending.data.map((item) => item.amount)).toEqual([-1000]);
  });

  it('is incomplete when the first payment fails, and expires after 23 hours unpaid', async () => {
    const { clock, customer } = await customerOnClock('pm_card_chargeDeclined');
    const price = await monthlyPrice(1000, 'Declined');
    const subscription = await stack.stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: price.id }],
    });
    expect(subscription.status).toBe('incomplete');
    const invoiceId = subscription.latest_invoice as string;
    expect(await stack.stripe.invoices.retrieve(invoiceId)).toMatchObject({
      status: 'open',
      attempt_count: 1,
      billing_reason: 'subscription_create',
    });
    await advance(clock, JAN_1 + 24 * HOUR);
    expect(await stack.stripe.subscriptions.retrieve(subscription.id)).toMatchObject({
      status: 'incomplete_expired',
      ended_at: JAN_1 + 23 * HOUR,
    });
    expect((await stack.stripe.invoices.retrieve(invoiceId)).status).toBe('void');
  });

  it('goes past_due when a renewal payment fails, and active again once it is paid', async () => {
    const { clock, customer } = await customerOnClock();
    const price = await monthlyPrice(1000, 'Renewal');
    const subscription = await stack.stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: price.id }],
    });
    expect(subscription.status).toBe('active');
    await stack.stripe.customers.update(customer.id, {
      invoice_settings: { default_payment_method: 'pm_card_chargeDeclined' },
    });
    await advance(clock, FEB_1 + 2 * HOUR);
    const renewal = (await invoicesOf(subscription.id)).at(-1) as Stripe.Invoice;
    expect(renewal).toMatchObject({ billing_reason: 'subscription_cycle', status: 'open', attempt_count: 1 });
    expect((await stack.stripe.subscriptions.retrieve(subscription.id)).status).toBe('past_due');
    await stack.stripe.invoices.pay(renewal.id, { payment_method: 'pm_card_visa' });
    await waitFor(
      async () => (await stack.stripe.subscriptions.retrieve(subscription.id)).status === 'active',
      10_000,
      'subscription active again',
    );
    const statuses = (
      await stack.stripe.events.list({ type: 'customer.subscription.updated', limit: 100 })
    ).data
      .filter((event) => (event.data.object as Stripe.Subscription).id === subscription.id)
      .map((event) => (event.data.object as Stripe.Subscription).status);
    expect(statuses).toEqual(expect.arrayContaining(['past_due', 'active']));
  });

  it('refuses bad input with the parameter named, and nothing is created', async () => {
    const { customer } = await customerOnClock();
    const oneTime = await stack.stripe.prices.create({
      product_data: { name: 'Once' },
      currency: 'usd',
      unit_amount: 500,
    });
    const before = await stack.stripe.subscriptions.list({ customer: customer.id, status: 'all' });
    let error = await stripeError(
      stack.stripe.subscriptions.create({ customer: customer.id, items: [{ price: oneTime.id }] }),
    );
    expect(error).toMatchObject({ statusCode: 400, param: 'items[0][price]' });
    error = await stripeError(
      stack.stripe.subscriptions.create({ customer: customer.id, items: [{ price: 'price_missing' }] }),
    );
    expect(error).toMatchObject({ statusCode: 400, param: 'items[0][price]', code: 'resource_missing' });
    const weekly = await stack.stripe.prices.create({
      product_data: { name: 'Weekly' },
      currency: 'usd',
      unit_amount: 500,
      recurring: { interval: 'week' },
    });
    const monthly = await monthlyPrice(700, 'Mixed');
    error = await stripeError(
      stack.stripe.subscriptions.create({
        customer: customer.id,
        items: [{ price: monthly.id }, { price: weekly.id }],
      }),
    );
    expect(error).toMatchObject({ statusCode: 400, param: 'items[1][price]' });
    const after = await stack.stripe.subscriptions.list({ customer: customer.id, status: 'all' });
    expect(after.data).toHaveLength(before.data.length);
  });
});

describe('items, long lives and clocks', () => {
  it('lists and retrieves subscription items; another account sees none', async () => {
    const { customer } = await customerOnClock();
    const a = await monthlyPrice(100, 'A');
    const b = await monthlyPrice(200, 'B');
    const subscription = await stack.stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: a.id, quantity: 2 }, { price: b.id }],
    });
    const items = await stack.stripe.subscriptionItems.list({ subscription: subscription.id });
    expect(items.data.map((item) => [item.price.id, item.quantity])).toEqual([
      [a.id, 2],
      [b.id, 1],
    ]);
    const one = await stack.stripe.subscriptionItems.retrieve(items.data[1].id);
    expect(one).toMatchObject({
      id: items.data[1].id,
      subscription: subscription.id,
      current_period_end: FEB_1,
    });
    const other = await stack.newAccount();
    expect((await stripeError(other.stripe.subscriptionItems.retrieve(one.id))).statusCode).toBe(404);
    expect((await stripeError(other.stripe.subscriptions.retrieve(subscription.id))).statusCode).toBe(404);
    expect((await other.stripe.subscriptions.list({ status: 'all' })).data).toEqual([]);
  });

  it('bills every day for six weeks across continue-as-new, periods contiguous', async () => {
    const { clock, customer } = await customerOnClock();
    const daily = await stack.stripe.prices.create({
      product_data: { name: 'Daily' },
      currency: 'usd',
      unit_amount: 100,
      recurring: { interval: 'day' },
    });
    const subscription = await stack.stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: daily.id }],
    });
    const handle = stack.temporal.workflow.getHandle(`subscription/${subscription.id}`);
    const firstRun = (await handle.describe()).runId;
    // 43 periods, each an invoice made, finalized and paid in turn: allow for a loaded machine.
    await advanceClock(stack.stripe, clock, JAN_1 + 42 * DAY + 2 * HOUR, 120_000);
    const invoices = await invoicesOf(subscription.id);
    expect(invoices).toHaveLength(43);
    expect(invoices.every((invoice) => invoice.status === 'paid' && invoice.amount_paid === 100)).toBe(true);
    invoices.forEach((invoice, index) => {
      expect(invoice.lines.data[0].period).toEqual({
        start: JAN_1 + index * DAY,
        end: JAN_1 + (index + 1) * DAY,
      });
    });
    // The test server suggests continue-as-new after 200 events: the subscription moved on to
    // new runs and kept its state.
    await waitFor(async () => (await handle.describe()).runId !== firstRun, 10_000, 'a new run');
    const current = await stack.stripe.subscriptions.retrieve(subscription.id);
    expect(current.items.data[0].current_period_start).toBe(JAN_1 + 42 * DAY);
    expect(current.status).toBe('active');
  });

  it('ends the subscription workflows of a deleted test clock', async () => {
    const { clock, customer } = await customerOnClock();
    const price = await monthlyPrice(500, 'Clocked');
    const subscription = await stack.stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: price.id }],
    });
    await stack.stripe.testHelpers.testClocks.del(clock.id);
    const description = await stack.temporal.workflow.getHandle(`subscription/${subscription.id}`).describe();
    expect(description.status.name).toBe('TERMINATED');
    expect((await stripeError(stack.stripe.subscriptions.retrieve(subscription.id))).statusCode).toBe(404);
  });
});

describe('create_preview', () => {
  it("previews a new subscription's first invoice as creating it then bills", async () => {
    const { customer } = await customerOnClock();
    const price = await monthlyPrice(1250, 'Starter');
    const preview = await stack.stripe.invoices.createPreview({
      customer: customer.id,
      subscription_details: { items: [{ price: price.id, quantity: 2 }] },
    });
    expect(preview).toMatchObject({
      billing_reason: 'subscription_create',
      total: 2500,
      customer: customer.id,
    });
    const subscription = await stack.stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: price.id, quantity: 2 }],
    });
    const first = await stack.stripe.invoices.retrieve(subscription.latest_invoice as string);
    expect(lineSummary(first)).toEqual(lineSummary(preview));
    expect(first.total).toBe(preview.total);
  });

  it("previews a customer's pending items and invoice_items, and answers when there is nothing", async () => {
    const { customer } = await customerOnClock();
    const none = await stripeError(stack.stripe.invoices.createPreview({ customer: customer.id }));
    expect(none).toMatchObject({ statusCode: 404, code: 'invoice_upcoming_none' });
    await stack.stripe.invoiceItems.create({ customer: customer.id, amount: 700, currency: 'usd' });
    const preview = await stack.stripe.invoices.createPreview({
      customer: customer.id,
      invoice_items: [{ amount: 300, description: 'Setup' }],
    });
    expect(preview.lines.data.map((line) => line.amount)).toEqual([700, 300]);
    expect(preview.total).toBe(1000);
    // Nothing was claimed: the item is still pending.
    const pending = await stack.stripe.invoiceItems.list({ customer: customer.id, pending: true });
    expect(pending.data).toHaveLength(1);
    const missing = await stripeError(stack.stripe.invoices.createPreview({ subscription: 'sub_missing' }));
    expect(missing).toMatchObject({ statusCode: 404, param: 'subscription' });
  });
});
