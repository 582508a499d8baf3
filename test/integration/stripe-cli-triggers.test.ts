// The call sequences of the Stripe CLI's billing triggers (stripe/stripe-cli,
// pkg/fixtures/triggers/*.json), made through the official client: each call answers as Stripe
// would and the trigger's event is recorded. Also /v1/payment_methods for the test cards.
import type Stripe from 'stripe';
import { startStack, type Stack } from '../support/stack';
import { eventTypes, stripeError } from '../support/stripe-helpers';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.stop();
});

const CLI = '(created by Stripe CLI)';

async function cliCustomer(): Promise<Stripe.Customer> {
  return stack.stripe.customers.create({ description: CLI });
}

// customer, attach <method>, invoice item 2000 usd, invoice with pending items, pay with it.
async function invoiceTrigger(method: string) {
  const customer = await cliCustomer();
  const paymentMethod = await stack.stripe.paymentMethods.attach(method, { customer: customer.id });
  await stack.stripe.invoiceItems.create({
    amount: 2000,
    currency: 'usd',
    customer: customer.id,
    description: CLI,
  });
  const invoice = await stack.stripe.invoices.create({
    customer: customer.id,
    description: CLI,
    pending_invoice_items_behavior: 'include',
  });
  const paid = stack.stripe.invoices.pay(invoice.id, { payment_method: paymentMethod.id });
  return { customer, paymentMethod, invoice, paid };
}

describe('customer triggers', () => {
  it('customer.created, customer.updated, customer.deleted', async () => {
    const customer = await cliCustomer();
    await stack.stripe.customers.update(customer.id, { metadata: { foo: 'bar' } });
    await stack.stripe.customers.del(customer.id);
    expect(await eventTypes(stack, customer.id)).toEqual([
      'customer.created',
      'customer.updated',
      'customer.deleted',
    ]);
    const [updated] = (await stack.stripe.events.list({ type: 'customer.updated', limit: 1 })).data;
    expect(updated.data.previous_attributes).toEqual({ metadata: {} });
    expect((updated.data.object as Stripe.Customer).metadata).toEqual({ foo: 'bar' });
    const [deleted] = (await stack.stripe.events.list({ type: 'customer.deleted', limit: 1 })).data;
    expect((deleted.data.object as Stripe.Customer).id).toBe(customer.id);
  });

  it('an update that changes nothing records no customer.updated', async () => {
    const customer = await stack.stripe.customers.create({ metadata: { a: '1' } });
    await stack.stripe.customers.update(customer.id, { metadata: { a: '1' } });
    expect(await eventTypes(stack, customer.id)).toEqual(['customer.created']);
  });
});

describe('invoice triggers', () => {
  it('invoice.paid and invoice_payment.paid: pm_card_visa attached, then pay', async () => {
    const { customer, paymentMethod, invoice, paid } = await invoiceTrigger('pm_card_visa');
    expect(paymentMethod).toMatchObject({
      object: 'payment_method',
      customer: customer.id,
      card: { last4: '4242' },
    });
    expect(paymentMethod.id).not.toBe('pm_card_visa');
    expect(await paid).toMatchObject({ status: 'paid', amount_paid: 2000 });
    expect(await eventTypes(stack, invoice.id)).toEqual(
      expect.arrayContaining(['invoice.paid', 'invoice.payment_succeeded']),
    );
    const [payment] = (await stack.stripe.invoicePayments.list({ invoice: invoice.id })).data;
    expect(await eventTypes(stack, payment.id)).toEqual(['invoice_payment.paid']);
  });

  it('invoice.payment_failed: pm_card_chargeCustomerFail attaches, then declines', async () => {
    const { invoice, paid } = await invoiceTrigger('pm_card_chargeCustomerFail');
    expect(await stripeError(paid)).toMatchObject({ type: 'StripeCardError', code: 'card_declined' });
    expect(await eventTypes(stack, invoice.id)).toContain('invoice.payment_failed');
  });

  it('invoice.payment_action_required: pm_card_threeDSecure2Required, or a card made from 4000000000003220', async () => {
    const { invoice, paid } = await invoiceTrigger('pm_card_threeDSecure2Required');
    expect(await stripeError(paid)).toMatchObject({ type: 'StripeCardError' });
    expect(await eventTypes(stack, invoice.id)).toContain('invoice.payment_action_required');

    const customer = await cliCustomer();
    await stack.stripe.invoiceItems.create({
      amount: 2000,
      currency: 'usd',
      customer: customer.id,
      description: CLI,
    });
    const draft = await stack.stripe.invoices.create({
      customer: customer.id,
      description: CLI,
      pending_invoice_items_behavior: 'include',
    });
    const card = await stack.stripe.paymentMethods.create({
      type: 'card',
      card: { exp_month: 7, exp_year: 25, number: '4000000000003220', cvc: '424' },
    });
    await stack.stripe.paymentMethods.attach(card.id, { customer: customer.id });
    const error = await stripeError(stack.stripe.invoices.pay(draft.id, { payment_method: card.id }));
    expect(error.type).toBe('StripeCardError');
    expect(await eventTypes(stack, draft.id)).toContain('invoice.payment_action_required');
  });

  it('credit_note.created: an invoice finalized, then a custom line credited', async () => {
    const customer = await cliCustomer();
    await stack.stripe.invoiceItems.create({
      amount: 2000,
      currency: 'usd',
      customer: customer.id,
      description: CLI,
    });
    const invoice = await stack.stripe.invoices.create({
      customer: customer.id,
      description: CLI,
      pending_invoice_items_behavior: 'include',
    });
    await stack.stripe.invoices.finalizeInvoice(invoice.id);
    const note = await stack.stripe.creditNotes.create({
      invoice: invoice.id,
      lines: [{ type: 'custom_line_item', unit_amount: 1000, quantity: 1, description: CLI }],
    });
    expect(await eventTypes(stack, note.id)).toEqual(['credit_note.created']);
  });

  it('invoiceitem.created, tax_rate.created, coupon.created', async () => {
    const customer = await cliCustomer();
    const item = await stack.stripe.invoiceItems.create({
      amount: 2000,
      currency: 'usd',
      customer: customer.id,
      description: CLI,
    });
    expect(await eventTypes(stack, item.id)).toEqual(['invoiceitem.created']);
    const rate = await stack.stripe.taxRates.create({
      display_name: 'VAT',
      percentage: 20,
      inclusive: false,
    });
    expect(await eventTypes(stack, rate.id)).toEqual(['tax_rate.created']);
    const coupon = await stack.stripe.coupons.create({ percent_off: 25, duration: 'once' });
    expect(await eventTypes(stack, coupon.id)).toEqual(['coupon.created']);
  });
});

describe('card payment intent triggers', () => {
  it('payment_intent.amount_capturable_updated: manual capture and confirmation, confirmed at creation', async () => {
    const intent = await stack.stripe.paymentIntents.create({
      amount: 2000,
      capture_method: 'manual',
      confirm: true,
      confirmation_method: 'manual',
      currency: 'usd',
      description: CLI,
      payment_method: 'pm_card_visa',
      return_url: 'https://stripe.com',
    });
    expect(intent).toMatchObject({
      status: 'requires_capture',
      amount_capturable: 2000,
      confirmation_method: 'manual',
    });
    expect(await eventTypes(stack, intent.id)).toEqual([
      'payment_intent.created',
      'payment_intent.amount_capturable_updated',
    ]);
    await stack.stripe.paymentIntents.capture(intent.id);
    expect(await eventTypes(stack, intent.id)).toEqual([
      'payment_intent.created',
      'payment_intent.amount_capturable_updated',
      'payment_intent.succeeded',
    ]);
  });

  it('payment_intent.created: a card PaymentIntent, not confirmed', async () => {
    const intent = await stack.stripe.paymentIntents.create({
      amount: 2000,
      currency: 'usd',
      description: CLI,
      payment_method_types: ['card'],
    } as Stripe.PaymentIntentCreateParams);
    expect(intent.status).toBe('requires_payment_method');
    expect(await eventTypes(stack, intent.id)).toEqual(['payment_intent.created']);
  });

  it('payment_intent.succeeded, payment_failed and canceled', async () => {
    const succeeded = await stack.stripe.paymentIntents.create({
      amount: 2000,
      confirm: true,
      currency: 'usd',
      payment_method: 'pm_card_visa',
      payment_method_types: ['card'],
    } as Stripe.PaymentIntentCreateParams);
    expect(await eventTypes(stack, succeeded.id)).toEqual([
      'payment_intent.created',
      'payment_intent.succeeded',
    ]);
    const failed = await stripeError(
      stack.stripe.paymentIntents.create({
        amount: 2000,
        confirm: true,
        currency: 'usd',
        payment_method: 'pm_card_chargeDeclined',
      }),
    );
    const failedId = (failed.raw as { payment_intent: { id: string } }).payment_intent.id;
    expect(await eventTypes(stack, failedId)).toEqual([
      'payment_intent.created',
      'payment_intent.payment_failed',
    ]);
    const pending = await stack.stripe.paymentIntents.create({
      amount: 2000,
      currency: 'usd',
      payment_method_types: ['card'],
    } as Stripe.PaymentIntentCreateParams);
    await stack.stripe.paymentIntents.cancel(pending.id, { cancellation_reason: 'requested_by_customer' });
    expect(await eventTypes(stack, pending.id)).toEqual([
      'payment_intent.created',
      'payment_intent.canceled',
    ]);
  });
});

describe('/v1/payment_methods', () => {
  it('made from a test token, retrieved, attached, listed, detached', async () => {
    const customer = await stack.stripe.customers.create({});
    const made = await stack.stripe.paymentMethods.create({
      type: 'card',
      card: { token: 'tok_mastercard' },
      metadata: { order: '7' },
    });
    expect(made).toMatchObject({
      type: 'card',
      customer: null,
      card: { brand: 'mastercard', last4: '4444' },
      metadata: { order: '7' },
    });
    expect(await stack.stripe.paymentMethods.retrieve(made.id)).toEqual(made);
    const attached = await stack.stripe.paymentMethods.attach(made.id, { customer: customer.id });
    expect(attached.customer).toBe(customer.id);
    expect(await eventTypes(stack, made.id)).toEqual(['payment_method.attached']);
    const viaCustomer = await stack.stripe.customers.listPaymentMethods(customer.id);
    expect(viaCustomer.data.map((method) => method.id)).toEqual([made.id]);
    const listed = await stack.stripe.paymentMethods.list({ customer: customer.id, type: 'card' });
    expect(listed.data.map((method) => method.id)).toEqual([made.id]);
    // It pays as its test card.
    const intent = await stack.stripe.paymentIntents.create({
      amount: 1000,
      currency: 'usd',
      customer: customer.id,
      payment_method: made.id,
      confirm: true,
    });
    expect(intent.status).toBe('succeeded');
    const detached = await stack.stripe.paymentMethods.detach(made.id);
    expect(detached.customer).toBeNull();
    expect((await stack.stripe.customers.listPaymentMethods(customer.id)).data).toEqual([]);
    expect((await stripeError(stack.stripe.paymentMethods.detach(made.id))).statusCode).toBe(400);
  });

  it('refuses what Stripe refuses', async () => {
    const customer = await stack.stripe.customers.create({});
    expect(await stripeError(stack.stripe.paymentMethods.retrieve('pm_nope'))).toMatchObject({
      statusCode: 404,
    });
    expect(
      await stripeError(stack.stripe.paymentMethods.attach('pm_card_visa', { customer: 'cus_nope' })),
    ).toMatchObject({ statusCode: 404, param: 'customer' });
    expect(
      await stripeError(stack.stripe.paymentMethods.create({ type: 'card', card: { token: 'tok_nope' } })),
    ).toMatchObject({ statusCode: 404 });
    expect(
      await stripeError(
        stack.stripe.paymentMethods.create({
          type: 'card',
          card: { number: '1234567890123456', exp_month: 1, exp_year: 2030, cvc: '123' },
        }),
      ),
    ).toMatchObject({ statusCode: 402, code: 'incorrect_number' });
    const made = await stack.stripe.paymentMethods.attach('pm_card_visa', { customer: customer.id });
    const other = await stack.stripe.customers.create({});
    expect(
      (await stripeError(stack.stripe.paymentMethods.attach(made.id, { customer: other.id }))).statusCode,
    ).toBe(400);
    const stranger = await stack.newAccount();
    expect((await stripeError(stranger.stripe.paymentMethods.retrieve(made.id))).statusCode).toBe(404);
  });
});
