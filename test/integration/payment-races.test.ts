// Bad input and races around attached PaymentIntents: whatever the order, a PaymentIntent's money
// is counted on one invoice, once, and the books (the PaymentIntent, its invoice payment and the
// invoice's amount_paid) agree.
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

async function openInvoice(amount: number): Promise<Stripe.Invoice> {
  return stack.stripe.invoices.finalizeInvoice((await draftWithLines(stack, [amount])).id);
}

function intent(amount: number, paymentMethod?: string, confirm = false) {
  return stack.stripe.paymentIntents.create({
    amount,
    currency: 'usd',
    ...(paymentMethod ? { payment_method: paymentMethod } : {}),
    ...(confirm ? { confirm } : {}),
  });
}

// The PaymentIntent, its invoice payment and the invoice tell the same story.
async function expectBooksAgree(invoiceId: string, intentId: string, amount: number): Promise<string> {
  const [invoice, pi, payments] = await Promise.all([
    stack.stripe.invoices.retrieve(invoiceId),
    stack.stripe.paymentIntents.retrieve(intentId),
    stack.stripe.invoicePayments.list({ payment: { type: 'payment_intent', payment_intent: intentId } }),
  ]);
  expect(payments.data).toHaveLength(1);
  const [payment] = payments.data;
  if (pi.status === 'succeeded') {
    expect(payment).toMatchObject({ status: 'paid', amount_paid: amount });
    expect(invoice.amount_paid).toBe(amount);
    expect(await eventTypes(stack, payment.id)).toEqual(['invoice_payment.paid']);
  } else {
    expect(pi.status).toBe('canceled');
    expect(payment).toMatchObject({ status: 'canceled', amount_paid: null });
    expect(invoice.amount_paid).toBe(0);
  }
  return pi.status;
}

describe('the same PaymentIntent attached twice', () => {
  it('to the same invoice: refused, nothing changed', async () => {
    const invoice = await openInvoice(5000);
    const pi = await intent(2000);
    await stack.stripe.invoices.attachPayment(invoice.id, { payment_intent: pi.id });
    const before = await stack.stripe.invoices.retrieve(invoice.id, { expand: ['payments'] });
    const error = await stripeError(
      stack.stripe.invoices.attachPayment(invoice.id, { payment_intent: pi.id }),
    );
    expect(error).toMatchObject({
      statusCode: 400,
      code: 'invoice_payment_intent_already_attached',
      param: 'payment_intent',
    });
    expect(await stack.stripe.invoices.retrieve(invoice.id, { expand: ['payments'] })).toEqual(before);
  });

  it('to two invoices at once: one takes it, the other is refused', async () => {
    for (let round = 0; round < 3; round++) {
      const [a, b] = await Promise.all([openInvoice(5000), openInvoice(5000)]);
      const pi = await intent(2000, 'pm_card_visa', true);
      const results = await Promise.allSettled([
        stack.stripe.invoices.attachPayment(a.id, { payment_intent: pi.id }),
        stack.stripe.invoices.attachPayment(b.id, { payment_intent: pi.id }),
      ]);
      expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
      const refused = results.find((result) => result.status === 'rejected') as PromiseRejectedResult;
      expect((refused.reason as Stripe.errors.StripeError).statusCode).toBe(400);
      const paid = await Promise.all(
        [a, b].map(async (invoice) => (await stack.stripe.invoices.retrieve(invoice.id)).amount_paid),
      );
      expect(paid.sort()).toEqual([0, 2000]);
      const listed = await stack.stripe.invoicePayments.list({
        payment: { type: 'payment_intent', payment_intent: pi.id },
      });
      expect(listed.data).toHaveLength(1);
    }
  });
});

describe('races', () => {
  it('a confirm racing a void of the invoice: whichever wins, the books agree', async () => {
    for (let round = 0; round < 6; round++) {
      const invoice = await openInvoice(5000);
      const pi = await intent(2000, 'pm_card_visa');
      await stack.stripe.invoices.attachPayment(invoice.id, { payment_intent: pi.id });
      const [confirm, voided] = await Promise.allSettled([
        stack.stripe.paymentIntents.confirm(pi.id),
        stack.stripe.invoices.voidInvoice(invoice.id),
      ]);
      const status = await expectBooksAgree(invoice.id, pi.id, 2000);
      const after = await stack.stripe.invoices.retrieve(invoice.id);
      if (confirm.status === 'fulfilled') {
        // The confirm came first: the invoice has a paid payment, which Stripe does not void.
        expect(status).toBe('succeeded');
        expect(voided.status).toBe('rejected');
        expect((voided as PromiseRejectedResult).reason).toMatchObject({ statusCode: 400 });
        expect(after).toMatchObject({ status: 'open', amount_paid: 2000, amount_remaining: 3000 });
      } else {
        // The void came first: the PaymentIntent was canceled with it.
        expect(confirm.reason).toMatchObject({ statusCode: 400, code: 'payment_intent_unexpected_state' });
        expect(status).toBe('canceled');
        expect(voided.status).toBe('fulfilled');
        expect(after).toMatchObject({ status: 'void', amount_paid: 0 });
      }
    }
  });

  it('three confirms of one attached PaymentIntent at once: one charge, one credit', async () => {
    const invoice = await openInvoice(3000);
    const pi = await intent(3000, 'pm_card_visa');
    await stack.stripe.invoices.attachPayment(invoice.id, { payment_intent: pi.id });
    const results = await Promise.allSettled([1, 2, 3].map(() => stack.stripe.paymentIntents.confirm(pi.id)));
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    for (const result of results) {
      if (result.status === 'rejected') expect(result.reason).toMatchObject({ statusCode: 400 });
    }
    expect(await expectBooksAgree(invoice.id, pi.id, 3000)).toBe('succeeded');
    const paid = await stack.stripe.invoices.retrieve(invoice.id);
    expect(paid).toMatchObject({ status: 'paid', amount_paid: 3000 });
    expect((await eventTypes(stack, invoice.id)).filter((type) => type === 'invoice.paid')).toHaveLength(1);
    const [row] = (await stack.db('payments').where({ id: pi.id })) as Array<{ attempts: number }>;
    expect(row.attempts).toBe(1);
  });

  it('an attach racing a confirm of the same PaymentIntent: its money reaches the invoice once', async () => {
    for (let round = 0; round < 10; round++) {
      const invoice = await openInvoice(4000);
      const pi = await intent(4000, 'pm_card_visa');
      const [attached, confirmed] = await Promise.allSettled([
        stack.stripe.invoices.attachPayment(invoice.id, { payment_intent: pi.id }),
        stack.stripe.paymentIntents.confirm(pi.id),
      ]);
      expect(attached.status).toBe('fulfilled');
      expect(confirmed.status).toBe('fulfilled');
      expect(await expectBooksAgree(invoice.id, pi.id, 4000)).toBe('succeeded');
      expect((await stack.stripe.invoices.retrieve(invoice.id)).status).toBe('paid');
      // Paid by the attached PaymentIntent, never by a charge of the invoice's own.
      const [own] = (await stack.stripe.invoicePayments.list({ invoice: invoice.id, status: 'canceled' }))
        .data;
      expect(own.is_default).toBe(true);
      const [row] = (await stack
        .db('payments')
        .where({ id: own.payment.payment_intent as string })) as Array<{
        attempts: number;
      }>;
      expect(row.attempts).toBe(0);
    }
  });
});

describe('PaymentIntents that are not there', () => {
  it("an unknown one, another account's, or an invoice of another account: 404, nothing changed", async () => {
    const invoice = await openInvoice(1000);
    const unknown = await stripeError(
      stack.stripe.invoices.attachPayment(invoice.id, { payment_intent: 'pi_nope' }),
    );
    expect(unknown).toMatchObject({ statusCode: 404, code: 'resource_missing', param: 'payment_intent' });
    const other = await stack.newAccount();
    const theirs = await other.stripe.paymentIntents.create({ amount: 1000, currency: 'usd' });
    const foreign = await stripeError(
      stack.stripe.invoices.attachPayment(invoice.id, { payment_intent: theirs.id }),
    );
    expect(foreign).toMatchObject({ statusCode: 404, code: 'resource_missing' });
    const mine = await intent(1000);
    const notTheirs = await stripeError(
      other.stripe.invoices.attachPayment(invoice.id, { payment_intent: mine.id }),
    );
    expect(notTheirs.statusCode).toBe(404);
    expect(await stack.stripe.invoices.retrieve(invoice.id)).toMatchObject({
      amount_paid: 0,
      status: 'open',
    });
    expect((await other.stripe.paymentIntents.retrieve(theirs.id)).status).toBe('requires_payment_method');
  });
});
