// Payments made elsewhere: attach_payment with a PaymentIntent, and the paymentReceived signal
// integrations send to an invoice workflow.
import type Stripe from 'stripe';
import { invoiceWorkflowId, paymentReceived } from '../../workflows/messages';
import { startStack, type Stack } from '../support/stack';
import { draftWithLines, eventTypes, stripeError } from '../support/stripe-helpers';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.stop();
});

async function openInvoice(amount: number): Promise<Stripe.Invoice> {
  return stack.stripe.invoices.finalizeInvoice((await draftWithLines(stack, [amount])).id);
}

function paymentIntent(amount: number, paymentMethod = 'pm_card_visa') {
  return stack.stripe.paymentIntents.create({
    amount,
    currency: 'usd',
    payment_method: paymentMethod,
    confirm: true,
  });
}

async function waitFor<T>(
  probe: () => Promise<T>,
  accept: (value: T) => boolean,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (accept(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('attach_payment', () => {
  it('pays an open invoice with a succeeded PaymentIntent', async () => {
    const invoice = await openInvoice(2000);
    const intent = await paymentIntent(2000);
    expect(intent).toMatchObject({ object: 'payment_intent', status: 'succeeded', amount_received: 2000 });
    const paid = await stack.stripe.invoices.attachPayment(invoice.id, { payment_intent: intent.id });
    expect(paid).toMatchObject({ status: 'paid', amount_paid: 2000, amount_remaining: 0 });
  });

  it('refuses a PaymentIntent for more than is left to pay (amount_too_large), changing nothing', async () => {
    const invoice = await openInvoice(1000);
    const error = await stripeError(
      stack.stripe.invoices.attachPayment(invoice.id, { payment_intent: (await paymentIntent(1500)).id }),
    );
    expect(error).toMatchObject({ statusCode: 400, code: 'amount_too_large', param: 'payment_intent' });
    expect(await stack.stripe.invoices.retrieve(invoice.id)).toMatchObject({
      status: 'open',
      amount_paid: 0,
    });
  });

  it('leaves a partial payment open with the rest remaining', async () => {
    const invoice = await openInvoice(3000);
    const partly = await stack.stripe.invoices.attachPayment(invoice.id, {
      payment_intent: (await paymentIntent(1000)).id,
    });
    expect(partly).toMatchObject({ status: 'open', amount_paid: 1000, amount_remaining: 2000 });
  });

  it('refuses a PaymentIntent already attached elsewhere', async () => {
    const intent = await paymentIntent(1000);
    await stack.stripe.invoices.attachPayment((await openInvoice(1000)).id, { payment_intent: intent.id });
    const other = await openInvoice(1000);
    const error = await stripeError(
      stack.stripe.invoices.attachPayment(other.id, { payment_intent: intent.id }),
    );
    expect(error.statusCode).toBe(400);
    expect(error.param).toBe('payment_intent');
    expect((await stack.stripe.invoices.retrieve(other.id)).amount_paid).toBe(0);
  });

  it('attaches a declined PaymentIntent, which waits; refuses one of another account', async () => {
    const invoice = await openInvoice(1000);
    const refusal = await stripeError(paymentIntent(1000, 'pm_card_chargeDeclined'));
    expect(refusal).toMatchObject({ statusCode: 402, code: 'card_declined' });
    const declined = (refusal.raw as { payment_intent: Stripe.PaymentIntent }).payment_intent;
    expect(declined.status).toBe('requires_payment_method');
    const waiting = await stack.stripe.invoices.attachPayment(invoice.id, { payment_intent: declined.id });
    expect(waiting).toMatchObject({ status: 'open', amount_paid: 0 });
    const other = await stack.newAccount();
    const foreign = await other.stripe.paymentIntents.create({
      amount: 1000,
      currency: 'usd',
      payment_method: 'pm_card_visa',
      confirm: true,
    });
    const error = await stripeError(
      stack.stripe.invoices.attachPayment(invoice.id, { payment_intent: foreign.id }),
    );
    expect(error.statusCode).toBe(404);
  });
});

describe('the paymentReceived signal', () => {
  it('records money received outside like paid_out_of_band', async () => {
    const invoice = await openInvoice(1200);
    await stack.temporal.workflow
      .getHandle(invoiceWorkflowId(invoice.id))
      .signal(paymentReceived, { accountId: stack.accountId, amount: 1200, reference: 'wire-42' });
    const paid = await waitFor(
      () => stack.stripe.invoices.retrieve(invoice.id),
      (current) => current.status === 'paid',
    );
    expect(paid).toMatchObject({ status: 'paid', amount_paid: 1200 });
  });

  it('records money beyond what is due as invoice.overpaid and credits the customer', async () => {
    const invoice = await openInvoice(1000);
    await stack.temporal.workflow
      .getHandle(invoiceWorkflowId(invoice.id))
      .signal(paymentReceived, { accountId: stack.accountId, amount: 1500 });
    const paid = await waitFor(
      () => stack.stripe.invoices.retrieve(invoice.id),
      (current) => current.status === 'paid',
    );
    expect(paid).toMatchObject({ status: 'paid', amount_paid: 1500, amount_overpaid: 500 });
    expect(await eventTypes(stack, invoice.id)).toContain('invoice.overpaid');
    const customer = (await stack.stripe.customers.retrieve(paid.customer as string)) as Stripe.Customer;
    expect(customer.balance).toBe(-500);
  });

  it('ignores a signal naming another account', async () => {
    const invoice = await openInvoice(1200);
    const handle = stack.temporal.workflow.getHandle(invoiceWorkflowId(invoice.id));
    await handle.signal(paymentReceived, { accountId: 'acct_other', amount: 1200 });
    // A query is answered after the signal before it in the history has been processed.
    const state = await handle.query('getInvoice');
    expect((state as { status: string }).status).toBe('open');
  });
});

describe('expand', () => {
  it('expands the default payment method', async () => {
    const customer = await stack.stripe.customers.create({});
    const invoice = await stack.stripe.invoices.create({
      customer: customer.id,
      default_payment_method: 'pm_card_visa',
      expand: ['default_payment_method', 'customer'],
    });
    const method = invoice.default_payment_method as Stripe.PaymentMethod;
    expect(method).toMatchObject({ id: 'pm_card_visa', object: 'payment_method', card: { last4: '4242' } });
    expect((invoice.customer as Stripe.Customer).id).toBe(customer.id);
  });

  it('refuses a path it cannot expand', async () => {
    const invoice = await draftWithLines(stack, []);
    const error = await stripeError(stack.stripe.invoices.retrieve(invoice.id, { expand: ['nonsense'] }));
    expect(error.statusCode).toBe(400);
  });
});

describe('expanding lines', () => {
  // Stripe.InvoiceLineItem (API 2026-10-28) types parent.invoice_item_details.invoice_item as a
  // plain id: not expandable, so asking for it is refused like any other path.
  it("refuses to expand a line's invoice item, a plain id in this API version", async () => {
    const owner = await stack.stripe.customers.create({});
    const draft = await stack.stripe.invoices.create({ customer: owner.id });
    const item = await stack.stripe.invoiceItems.create({
      customer: owner.id,
      invoice: draft.id,
      amount: 700,
    });
    const error = await stripeError(
      stack.stripe.invoices.retrieve(draft.id, {
        expand: ['lines.data.parent.invoice_item_details.invoice_item'],
      }),
    );
    expect(error.statusCode).toBe(400);
    const retrieved = await stack.stripe.invoices.retrieve(draft.id);
    expect(retrieved.lines.data[0].parent?.invoice_item_details?.invoice_item).toBe(item.id);
  });
});
