// Partial and multiple payments through attach_payment: PaymentIntents attached in any state
// but a final one, credited when (and only when) their money comes, for no more than is left.
import type Stripe from 'stripe';
import { startStack, type Stack } from '../support/stack';
import { draftWithLines, eventTypes, stripeError } from '../support/stripe-helpers';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.stop();
});

async function openInvoice(amount: number, customer?: string): Promise<Stripe.Invoice> {
  return stack.stripe.invoices.finalizeInvoice((await draftWithLines(stack, [amount], { customer })).id);
}

function intent(amount: number, extra: Partial<Stripe.PaymentIntentCreateParams> = {}) {
  return stack.stripe.paymentIntents.create({ amount, currency: 'usd', ...extra });
}

async function paymentsOf(invoiceId: string): Promise<Stripe.InvoicePayment[]> {
  return (await stack.stripe.invoicePayments.list({ invoice: invoiceId })).data.reverse();
}

function count(types: string[], type: string): number {
  return types.filter((candidate) => candidate === type).length;
}

describe('a 10,000 invoice paid by 4,000 then 6,000', () => {
  it('credits each payment when its money comes, the second attached before it was confirmed', async () => {
    const customer = await stack.stripe.customers.create({});
    const invoice = await openInvoice(10_000, customer.id);

    const first = await intent(4000, {
      customer: customer.id,
      payment_method: 'pm_card_visa',
      confirm: true,
    });
    expect(first.status).toBe('succeeded');
    const partly = await stack.stripe.invoices.attachPayment(invoice.id, { payment_intent: first.id });
    expect(partly).toMatchObject({ status: 'open', amount_paid: 4000, amount_remaining: 6000 });
    const hosted = await (await fetch(partly.hosted_invoice_url as string)).text();
    expect(hosted).toContain('Amount remaining');
    expect(hosted).toContain('Pay $60.00');

    const second = await intent(6000, { customer: customer.id });
    expect(second).toMatchObject({ status: 'requires_payment_method', amount_received: 0 });
    const waiting = await stack.stripe.invoices.attachPayment(invoice.id, { payment_intent: second.id });
    expect(waiting).toMatchObject({ status: 'open', amount_paid: 4000, amount_remaining: 6000 });
    expect((await paymentsOf(invoice.id)).map((p) => [p.is_default, p.status, p.amount_requested])).toEqual([
      [true, 'open', 6000],
      [false, 'paid', 4000],
      [false, 'open', 6000],
    ]);

    const confirmed = await stack.stripe.paymentIntents.confirm(second.id, {
      payment_method: 'pm_card_visa',
    });
    expect(confirmed).toMatchObject({ status: 'succeeded', amount_received: 6000 });
    expect(confirmed.latest_charge).toMatch(/^ch_/);
    const paid = await stack.stripe.invoices.retrieve(invoice.id, { expand: ['payments'] });
    expect(paid).toMatchObject({ status: 'paid', amount_paid: 10_000, amount_remaining: 0 });
    expect(paid.payments?.data.map((p) => [p.is_default, p.status, p.amount_paid])).toEqual([
      [true, 'canceled', null],
      [false, 'paid', 4000],
      [false, 'paid', 6000],
    ]);
    const types = await eventTypes(stack, invoice.id);
    expect(count(types, 'invoice.paid')).toBe(1);
    const own = paid.payments?.data[0].payment.payment_intent as string;
    expect(await stack.stripe.paymentIntents.retrieve(own)).toMatchObject({
      status: 'canceled',
      cancellation_reason: 'automatic',
    });
    expect(await eventTypes(stack, own)).toEqual(['payment_intent.created', 'payment_intent.canceled']);
    for (const payment of paid.payments?.data.slice(1) ?? []) {
      expect(await eventTypes(stack, payment.id)).toEqual(['invoice_payment.paid']);
    }
    // Confirming it again changes nothing.
    const again = await stripeError(stack.stripe.paymentIntents.confirm(second.id));
    expect(again).toMatchObject({ statusCode: 400, code: 'payment_intent_unexpected_state' });
    expect((await stack.stripe.invoices.retrieve(invoice.id)).amount_paid).toBe(10_000);
  });
});

describe('an attached PaymentIntent on its way', () => {
  it('declined on confirm: 402, the invoice waits; confirmed again with a good card, it pays', async () => {
    const invoice = await openInvoice(3000);
    const pending = await intent(3000, { payment_method: 'pm_card_chargeDeclined' });
    expect(pending.status).toBe('requires_confirmation');
    await stack.stripe.invoices.attachPayment(invoice.id, { payment_intent: pending.id });
    const declined = await stripeError(stack.stripe.paymentIntents.confirm(pending.id));
    expect(declined).toMatchObject({
      statusCode: 402,
      code: 'card_declined',
      decline_code: 'generic_decline',
    });
    expect((declined.raw as { payment_intent?: { status: string } }).payment_intent?.status).toBe(
      'requires_payment_method',
    );
    expect(await stack.stripe.invoices.retrieve(invoice.id)).toMatchObject({
      status: 'open',
      amount_paid: 0,
    });
    await stack.stripe.paymentIntents.confirm(pending.id, { payment_method: 'pm_card_mastercard' });
    expect(await stack.stripe.invoices.retrieve(invoice.id)).toMatchObject({
      status: 'paid',
      amount_paid: 3000,
    });
  });

  it('canceled: leaves a canceled invoice payment and the invoice as it was', async () => {
    const invoice = await openInvoice(3000);
    const pending = await intent(1000);
    await stack.stripe.invoices.attachPayment(invoice.id, { payment_intent: pending.id });
    const canceled = await stack.stripe.paymentIntents.cancel(pending.id, {
      cancellation_reason: 'requested_by_customer',
    });
    expect(canceled).toMatchObject({ status: 'canceled', cancellation_reason: 'requested_by_customer' });
    const [own, attached] = await paymentsOf(invoice.id);
    expect(attached).toMatchObject({ status: 'canceled', amount_paid: null });
    expect(attached.status_transitions.canceled_at).toEqual(expect.any(Number));
    expect(own).toMatchObject({ status: 'open', amount_requested: 3000 });
    expect(await stack.stripe.invoices.retrieve(invoice.id)).toMatchObject({
      status: 'open',
      amount_paid: 0,
    });
    // What it asked for is free again.
    const replacement = await intent(3000, { payment_method: 'pm_card_visa', confirm: true });
    await stack.stripe.invoices.attachPayment(invoice.id, { payment_intent: replacement.id });
    expect((await stack.stripe.invoices.retrieve(invoice.id)).status).toBe('paid');
  });

  it("cannot cancel an invoice's own PaymentIntent; confirming it pays the invoice", async () => {
    const invoice = await openInvoice(1500);
    const [own] = await paymentsOf(invoice.id);
    const id = own.payment.payment_intent as string;
    const refused = await stripeError(stack.stripe.paymentIntents.cancel(id));
    expect(refused.statusCode).toBe(400);
    const confirmed = await stack.stripe.paymentIntents.confirm(id, { payment_method: 'pm_card_visa' });
    expect(confirmed.status).toBe('succeeded');
    expect((await stack.stripe.invoices.retrieve(invoice.id)).status).toBe('paid');
  });
});

describe('attach_payment refuses, changing nothing', () => {
  async function expectRefused(
    invoice: Stripe.Invoice,
    paymentIntent: string,
    status: number,
    code?: string,
  ): Promise<void> {
    const before = await stack.stripe.invoices.retrieve(invoice.id);
    const paymentsBefore = await paymentsOf(invoice.id);
    const error = await stripeError(
      stack.stripe.invoices.attachPayment(invoice.id, { payment_intent: paymentIntent }),
    );
    expect(error.statusCode).toBe(status);
    expect(error.param).toBe('payment_intent');
    if (code) expect(error.code).toBe(code);
    expect(await stack.stripe.invoices.retrieve(invoice.id)).toEqual(before);
    expect(await paymentsOf(invoice.id)).toEqual(paymentsBefore);
  }

  it('more than amount_remaining, counting attached PaymentIntents still on their way', async () => {
    const invoice = await openInvoice(5000);
    await expectRefused(invoice, (await intent(5001)).id, 400, 'amount_too_large');
    await stack.stripe.invoices.attachPayment(invoice.id, { payment_intent: (await intent(3000)).id });
    await expectRefused(invoice, (await intent(2001)).id, 400, 'amount_too_large');
    await stack.stripe.invoices.attachPayment(invoice.id, { payment_intent: (await intent(2000)).id });
  });

  it("another customer's, another currency, a canceled one", async () => {
    const customer = await stack.stripe.customers.create({});
    const invoice = await openInvoice(5000, customer.id);
    const stranger = await stack.stripe.customers.create({});
    await expectRefused(invoice, (await intent(1000, { customer: stranger.id })).id, 400);
    const euros = await stack.stripe.paymentIntents.create({ amount: 1000, currency: 'eur' });
    await expectRefused(invoice, euros.id, 400);
    const canceled = await stack.stripe.paymentIntents.cancel((await intent(1000)).id);
    await expectRefused(invoice, canceled.id, 400, 'payment_intent_unexpected_state');
    expect((await stack.stripe.paymentIntents.retrieve(canceled.id)).status).toBe('canceled');
  });
});
