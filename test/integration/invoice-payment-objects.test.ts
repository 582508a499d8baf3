// Invoice payments (inpay_): finalizing makes the default payment, every way of paying records
// which payment paid what, and /v1/invoice_payments lists, filters and retrieves them.
import type Stripe from 'stripe';
import { startStack, type Stack } from '../support/stack';
import { draftWithLines, eventTypes, stripeError } from '../support/stripe-helpers';
import { waitFor } from '../support/wait-for';
import { startWebhookReceiver } from '../support/webhook-receiver';

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

async function paymentsOf(invoiceId: string): Promise<Stripe.InvoicePayment[]> {
  return (await stack.stripe.invoicePayments.list({ invoice: invoiceId })).data;
}

describe('the default payment', () => {
  it('is made at finalization: open, for amount_due, the invoice own PaymentIntent', async () => {
    const invoice = await openInvoice(2500);
    const [payment] = await paymentsOf(invoice.id);
    expect(payment).toMatchObject({
      object: 'invoice_payment',
      invoice: invoice.id,
      is_default: true,
      status: 'open',
      amount_requested: 2500,
      amount_paid: null,
      currency: 'usd',
      livemode: false,
      payment: { type: 'payment_intent', payment_intent: expect.stringMatching(/^pi_/) },
      status_transitions: { paid_at: null, canceled_at: null },
    });
    expect(payment.id).toMatch(/^inpay_/);
    expect(await stack.stripe.invoicePayments.retrieve(payment.id)).toEqual(payment);
  });

  it('is not made for a draft, nor for an invoice paid at once', async () => {
    const draft = await draftWithLines(stack, [1000]);
    expect(await paymentsOf(draft.id)).toEqual([]);
    const customer = await stack.stripe.customers.create({ balance: -5000 });
    const free = await openInvoice(1000, customer.id);
    expect(free.status).toBe('paid');
    expect(await paymentsOf(free.id)).toEqual([]);
  });

  it('is paid by pay with a payment method, after a decline, on the same PaymentIntent', async () => {
    const invoice = await openInvoice(3000);
    await stripeError(stack.stripe.invoices.pay(invoice.id, { payment_method: 'pm_card_chargeDeclined' }));
    const [open] = await paymentsOf(invoice.id);
    expect(open).toMatchObject({ status: 'open', amount_paid: null });
    const intentId = open.payment.payment_intent as string;
    const declined = await stack.stripe.paymentIntents.retrieve(intentId);
    expect(declined).toMatchObject({ status: 'requires_payment_method', amount: 3000 });

    await stack.stripe.invoices.pay(invoice.id, { payment_method: 'pm_card_visa' });
    const [paid] = await paymentsOf(invoice.id);
    expect(paid).toMatchObject({ id: open.id, status: 'paid', amount_paid: 3000, amount_requested: 3000 });
    expect(paid.status_transitions.paid_at).toEqual(expect.any(Number));
    expect(await stack.stripe.paymentIntents.retrieve(intentId)).toMatchObject({
      status: 'succeeded',
      amount_received: 3000,
    });
    expect(await eventTypes(stack, paid.id)).toEqual(['invoice_payment.paid']);
    const [row] = (await stack.db('payments').where({ id: intentId })) as Array<{ attempts: number }>;
    expect(row.attempts).toBe(2);
  });

  it('is paid by automatic collection', async () => {
    const customer = await stack.stripe.customers.create({
      invoice_settings: { default_payment_method: 'pm_card_visa' },
    });
    const draft = await draftWithLines(stack, [1800], { customer: customer.id });
    await stack.stripe.invoices.finalizeInvoice(draft.id, { auto_advance: true });
    const paid = await waitFor(async () => {
      const [payment] = await paymentsOf(draft.id);
      return payment?.status === 'paid' && payment;
    });
    expect(paid).toMatchObject({ is_default: true, amount_paid: 1800 });
  });

  it('is canceled when the invoice is voided, or paid another way', async () => {
    const voided = await openInvoice(1000);
    await stack.stripe.invoices.voidInvoice(voided.id);
    const [canceled] = await paymentsOf(voided.id);
    expect(canceled).toMatchObject({ status: 'canceled', amount_paid: null });
    expect(canceled.status_transitions.canceled_at).toEqual(expect.any(Number));

    const outOfBand = await openInvoice(1000);
    await stack.stripe.invoices.pay(outOfBand.id, { paid_out_of_band: true });
    expect((await paymentsOf(outOfBand.id)).map((payment) => payment.status)).toEqual(['canceled']);
  });

  it('follows amount_remaining while open, and an attached payment is recorded beside it', async () => {
    const invoice = await openInvoice(5000);
    const intent = await stack.stripe.paymentIntents.create({
      amount: 2000,
      currency: 'usd',
      payment_method: 'pm_card_visa',
      confirm: true,
    });
    await stack.stripe.invoices.attachPayment(invoice.id, { payment_intent: intent.id });
    const byStatus = await paymentsOf(invoice.id);
    const attached = byStatus.find((payment) => !payment.is_default);
    const fallback = byStatus.find((payment) => payment.is_default);
    expect(attached).toMatchObject({
      status: 'paid',
      amount_requested: 2000,
      amount_paid: 2000,
      payment: { type: 'payment_intent', payment_intent: intent.id },
    });
    expect(fallback).toMatchObject({ status: 'open', amount_requested: 3000 });
  });
});

describe('the invoice_payment.paid webhook', () => {
  it('is delivered, signed, with the invoice payment', async () => {
    const receiver = await startWebhookReceiver();
    try {
      const account = await stack.newAccount();
      const endpoint = await account.stripe.webhookEndpoints.create({
        url: receiver.url('/inpay'),
        enabled_events: ['invoice_payment.paid'],
      });
      const customer = await account.stripe.customers.create({});
      const draft = await account.stripe.invoices.create({ customer: customer.id });
      await account.stripe.invoices.addLines(draft.id, { lines: [{ amount: 1400 }] });
      await account.stripe.invoices.pay(draft.id, { payment_method: 'pm_card_visa' });
      const [request] = await waitFor(
        () => receiver.received('/inpay').length > 0 && receiver.received('/inpay'),
      );
      const event = stack.stripe.webhooks.constructEvent(
        request.body,
        request.headers['stripe-signature'] as string,
        endpoint.secret as string,
      );
      expect(event.type).toBe('invoice_payment.paid');
      expect(event.data.object).toMatchObject({
        object: 'invoice_payment',
        invoice: draft.id,
        status: 'paid',
        amount_paid: 1400,
        is_default: true,
      });
    } finally {
      await receiver.close();
    }
  });
});

describe('GET /v1/invoice_payments', () => {
  it('filters by invoice, payment intent, status and created, newest first, with cursors', async () => {
    const customer = await stack.stripe.customers.create({});
    const first = await openInvoice(1000, customer.id);
    const second = await openInvoice(2000, customer.id);
    await stack.stripe.invoices.pay(second.id, { payment_method: 'pm_card_visa' });
    const [firstPayment] = await paymentsOf(first.id);
    const [secondPayment] = await paymentsOf(second.id);

    const byIntent = await stack.stripe.invoicePayments.list({
      payment: { type: 'payment_intent', payment_intent: secondPayment.payment.payment_intent as string },
    });
    expect(byIntent.data.map((payment) => payment.id)).toEqual([secondPayment.id]);

    const paid = await stack.stripe.invoicePayments.list({ status: 'paid', limit: 100 });
    expect(paid.data.map((payment) => payment.id)).toContain(secondPayment.id);
    expect(paid.data.map((payment) => payment.id)).not.toContain(firstPayment.id);

    const recent = await stack.stripe.invoicePayments.list({
      created: { gte: firstPayment.created },
      limit: 2,
    });
    expect(recent.data).toHaveLength(2);
    const page = await stack.stripe.invoicePayments.list({ limit: 1, starting_after: secondPayment.id });
    expect(page.data[0].id).not.toBe(secondPayment.id);
    const before = await stack.stripe.invoicePayments.list({ ending_before: firstPayment.id, limit: 1 });
    expect(before.data.map((payment) => payment.id)).toEqual([secondPayment.id]);
    const none = await stack.stripe.invoicePayments.list({ payment: { type: 'payment_record' } });
    expect(none.data).toEqual([]);
  });

  it('expands payments on an invoice, and the invoice and PaymentIntent of a payment', async () => {
    const invoice = await openInvoice(1200);
    const withPayments = await stack.stripe.invoices.retrieve(invoice.id, { expand: ['payments'] });
    expect(withPayments.payments).toMatchObject({
      object: 'list',
      has_more: false,
      data: [{ is_default: true, status: 'open', amount_requested: 1200 }],
    });
    expect((await stack.stripe.invoices.retrieve(invoice.id)).payments).toBeUndefined();
    const listed = await stack.stripe.invoices.list({
      customer: invoice.customer as string,
      expand: ['data.payments'],
    });
    expect(listed.data[0].payments?.data).toHaveLength(1);

    const [payment] = await paymentsOf(invoice.id);
    const expanded = await stack.stripe.invoicePayments.retrieve(payment.id, {
      expand: ['invoice', 'payment.payment_intent'],
    });
    expect((expanded.invoice as Stripe.Invoice).id).toBe(invoice.id);
    const inList = await stack.stripe.invoicePayments.list({ invoice: invoice.id, expand: ['data.invoice'] });
    expect((inList.data[0].invoice as Stripe.Invoice).id).toBe(invoice.id);
  });

  it('refuses what Stripe refuses, and hides other accounts', async () => {
    const invoice = await openInvoice(1000);
    const [payment] = await paymentsOf(invoice.id);
    const missing = await stripeError(stack.stripe.invoicePayments.retrieve('inpay_nope'));
    expect(missing).toMatchObject({ statusCode: 404, code: 'resource_missing' });
    const other = await stack.newAccount();
    expect((await stripeError(other.stripe.invoicePayments.retrieve(payment.id))).statusCode).toBe(404);
    expect((await other.stripe.invoicePayments.list({ invoice: invoice.id })).data).toEqual([]);
    const badStatus = await stripeError(
      stack.stripe.invoicePayments.list({ status: 'nonsense' as Stripe.InvoicePaymentListParams.Status }),
    );
    expect(badStatus).toMatchObject({ statusCode: 400, param: 'status' });
    const noType = await stripeError(
      stack.stripe.invoicePayments.list({
        payment: { payment_intent: 'pi_x' },
      } as unknown as Stripe.InvoicePaymentListParams),
    );
    expect(noType).toMatchObject({ statusCode: 400, param: 'payment[type]' });
    const unknown = await stripeError(
      stack.stripe.invoicePayments.list({ bogus: 1 } as Stripe.InvoicePaymentListParams),
    );
    expect(unknown).toMatchObject({ statusCode: 400, code: 'parameter_unknown' });
  });
});
