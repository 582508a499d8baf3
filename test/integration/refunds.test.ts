// Refunds through the test processor: a credit note's refund_amount on a paid invoice, spread
// over the PaymentIntents that paid it, and /v1/refunds of a PaymentIntent on its own; what each
// PaymentIntent has left bounds them, and every refusal changes nothing.
import type Stripe from 'stripe';
import { startStack, type Stack } from '../support/stack';
import {
  draftWithLines,
  eventTypes,
  rowCounts,
  stripeError,
  refusedWithoutChange as refusedUnchanged,
} from '../support/stripe-helpers';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.stop();
});

const TABLES = ['refunds', 'credit_notes', 'events', 'payments'];

function refusedWithoutChange(request: () => Promise<unknown>): Promise<Stripe.errors.StripeError> {
  return refusedUnchanged(stack, TABLES, request);
}

function intent(amount: number, extra: Partial<Stripe.PaymentIntentCreateParams> = {}) {
  return stack.stripe.paymentIntents.create({ amount, currency: 'usd', ...extra });
}

describe('a credit note with refund_amount', () => {
  it('refunds the invoice payments, the most recently paid first, each once', async () => {
    const customer = await stack.stripe.customers.create({});
    const invoice = await stack.stripe.invoices.finalizeInvoice(
      (await draftWithLines(stack, [10_000], { customer: customer.id })).id,
    );
    const first = await intent(4000, {
      customer: customer.id,
      payment_method: 'pm_card_visa',
      confirm: true,
    });
    await stack.stripe.invoices.attachPayment(invoice.id, { payment_intent: first.id });
    const second = await intent(6000, {
      customer: customer.id,
      payment_method: 'pm_card_visa',
      confirm: true,
    });
    const paid = await stack.stripe.invoices.attachPayment(invoice.id, { payment_intent: second.id });
    expect(paid).toMatchObject({ status: 'paid', amount_paid: 10_000 });

    // 7000 back: 6000 of the second payment (all of it), 1000 of the first.
    const note = await stack.stripe.creditNotes.create({
      invoice: invoice.id,
      amount: 7000,
      refund_amount: 7000,
      reason: 'duplicate',
    });
    expect(note.refunds.map((r) => r.amount_refunded)).toEqual([6000, 1000]);
    const refunds = await Promise.all(
      note.refunds.map((r) => stack.stripe.refunds.retrieve(r.refund as string)),
    );
    expect(refunds.map((r) => [r.payment_intent, r.amount, r.status, r.reason])).toEqual([
      [second.id, 6000, 'succeeded', 'duplicate'],
      [first.id, 1000, 'succeeded', 'duplicate'],
    ]);
    expect(refunds[0]).toMatchObject({ object: 'refund', charge: second.latest_charge, currency: 'usd' });
    expect((await stack.stripe.refunds.list({ payment_intent: first.id })).data.map((r) => r.id)).toEqual([
      refunds[1].id,
    ]);
    expect((await stack.stripe.refunds.list({ charge: second.latest_charge as string })).data).toHaveLength(
      1,
    );
    for (const refund of refunds) expect(await eventTypes(stack, refund.id)).toEqual(['refund.created']);
    expect(await stack.stripe.invoices.retrieve(invoice.id)).toMatchObject({
      status: 'paid',
      post_payment_credit_notes_amount: 7000,
    });

    // 3000 left on the invoice (and to refund, on the first payment): 3001 refused, nothing written.
    const tooMuch = await refusedWithoutChange(() =>
      stack.stripe.creditNotes.create({ invoice: invoice.id, amount: 3001, refund_amount: 3001 }),
    );
    expect(tooMuch).toMatchObject({ statusCode: 400, param: 'amount' });
    // An invoice's payment is refunded by a credit note, not behind its back.
    const direct = await refusedWithoutChange(() =>
      stack.stripe.refunds.create({ payment_intent: first.id }),
    );
    expect(direct).toMatchObject({ statusCode: 400, code: 'charge_not_refundable', param: 'payment_intent' });
    expect(direct.message).toContain('credit note');

    const rest = await stack.stripe.creditNotes.create({
      invoice: invoice.id,
      amount: 3000,
      refund_amount: 3000,
    });
    expect(rest.refunds.map((r) => r.amount_refunded)).toEqual([3000]);
    expect(await rowCounts(stack, ['refunds'])).toMatchObject({ refunds: expect.any(Number) });
    const all = await stack.stripe.refunds.list({ limit: 100 });
    const ofInvoice = all.data.filter((r) => r.payment_intent === first.id || r.payment_intent === second.id);
    expect(ofInvoice.reduce((sum, r) => sum + r.amount, 0)).toBe(10_000);
  });

  it('is refused for an invoice paid out of band', async () => {
    const invoice = await stack.stripe.invoices.finalizeInvoice((await draftWithLines(stack, [1000])).id);
    await stack.stripe.invoices.pay(invoice.id, { paid_out_of_band: true });
    const refused = await refusedWithoutChange(() =>
      stack.stripe.creditNotes.create({ invoice: invoice.id, amount: 100, refund_amount: 100 }),
    );
    expect(refused).toMatchObject({ statusCode: 400, param: 'refund_amount' });
    const preview = await stripeError(
      stack.stripe.creditNotes.preview({ invoice: invoice.id, amount: 100, refund_amount: 100 }),
    );
    expect(preview).toMatchObject({ statusCode: 400, param: 'refund_amount' });
  });
});

describe('/v1/refunds of a PaymentIntent on its own', () => {
  it('refunds part, then the rest, then refuses; by payment_intent or by charge', async () => {
    const paid = await intent(2000, { payment_method: 'pm_card_visa', confirm: true });
    const part = await stack.stripe.refunds.create({
      payment_intent: paid.id,
      amount: 500,
      reason: 'requested_by_customer',
      metadata: { order: '42' },
    });
    expect(part).toMatchObject({
      object: 'refund',
      amount: 500,
      payment_intent: paid.id,
      charge: paid.latest_charge,
      status: 'succeeded',
      reason: 'requested_by_customer',
      metadata: { order: '42' },
    });
    const tooLarge = await refusedWithoutChange(() =>
      stack.stripe.refunds.create({ charge: paid.latest_charge as string, amount: 1501 }),
    );
    expect(tooLarge).toMatchObject({ statusCode: 400, param: 'amount', code: 'amount_too_large' });
    const rest = await stack.stripe.refunds.create({ charge: paid.latest_charge as string });
    expect(rest).toMatchObject({ amount: 1500, payment_intent: paid.id });
    const again = await refusedWithoutChange(() => stack.stripe.refunds.create({ payment_intent: paid.id }));
    expect(again).toMatchObject({ statusCode: 400, code: 'charge_already_refunded' });
    expect(await eventTypes(stack, part.id)).toEqual(['refund.created']);

    const updated = await stack.stripe.refunds.update(part.id, { metadata: { order: null, note: 'x' } });
    expect(updated.metadata).toEqual({ note: 'x' });
    expect(await eventTypes(stack, part.id)).toEqual(['refund.created', 'refund.updated']);
    const cancel = await refusedWithoutChange(() => stack.stripe.refunds.cancel(part.id));
    expect(cancel).toMatchObject({ statusCode: 400 });

    const listed = await stack.stripe.refunds.list({ payment_intent: paid.id });
    expect(listed.data.map((r) => r.id)).toEqual([rest.id, part.id]);

    // Refunded, it can no longer pay an invoice.
    const invoice = await stack.stripe.invoices.finalizeInvoice((await draftWithLines(stack, [5000])).id);
    const attach = await refusedWithoutChange(() =>
      stack.stripe.invoices.attachPayment(invoice.id, { payment_intent: paid.id }),
    );
    expect(attach).toMatchObject({ statusCode: 400, param: 'payment_intent' });
  });

  it('makes one refund per Idempotency-Key, however often it is sent again', async () => {
    const paid = await intent(3000, { payment_method: 'pm_card_visa', confirm: true });
    const key = `refund-${paid.id}`;
    const sent: Stripe.Refund[] = [];
    for (let attempt = 0; attempt < 3; attempt++) {
      sent.push(
        await stack.stripe.refunds.create({ payment_intent: paid.id, amount: 1000 }, { idempotencyKey: key }),
      );
    }
    expect(new Set(sent.map((r) => r.id)).size).toBe(1);
    expect((await stack.stripe.refunds.list({ payment_intent: paid.id })).data).toHaveLength(1);
  });

  it('refuses what cannot be refunded, naming the parameter', async () => {
    const missing = await refusedWithoutChange(() => stack.stripe.refunds.create({}));
    expect(missing).toMatchObject({ statusCode: 400, param: 'payment_intent' });
    const unknown = await refusedWithoutChange(() =>
      stack.stripe.refunds.create({ payment_intent: 'pi_nope' }),
    );
    expect(unknown).toMatchObject({ statusCode: 404, code: 'resource_missing', param: 'payment_intent' });
    const noCharge = await refusedWithoutChange(() => stack.stripe.refunds.create({ charge: 'ch_nope' }));
    expect(noCharge).toMatchObject({ statusCode: 404, param: 'charge' });
    const unpaid = await intent(1000);
    const notPaid = await refusedWithoutChange(() =>
      stack.stripe.refunds.create({ payment_intent: unpaid.id }),
    );
    expect(notPaid).toMatchObject({ statusCode: 400, code: 'charge_not_refundable' });
    const badReason = await refusedWithoutChange(() =>
      stack.stripe.refunds.create({
        payment_intent: unpaid.id,
        reason: 'because' as Stripe.RefundCreateParams.Reason,
      }),
    );
    expect(badReason).toMatchObject({ statusCode: 400, param: 'reason' });
    expect(await stripeError(stack.stripe.refunds.retrieve('re_nope'))).toMatchObject({ statusCode: 404 });
  });

  it("are another account's to see: 404 on retrieve, update, and on refunding its PaymentIntent; never listed", async () => {
    const paid = await intent(1200, { payment_method: 'pm_card_visa', confirm: true });
    const refund = await stack.stripe.refunds.create({ payment_intent: paid.id, amount: 200 });
    const other = (await stack.newAccount()).stripe;
    expect(await stripeError(other.refunds.retrieve(refund.id))).toMatchObject({ statusCode: 404 });
    expect(await stripeError(other.refunds.update(refund.id, { metadata: { a: 'b' } }))).toMatchObject({
      statusCode: 404,
    });
    expect(await stripeError(other.refunds.create({ payment_intent: paid.id }))).toMatchObject({
      statusCode: 404,
      param: 'payment_intent',
    });
    expect(await stripeError(other.refunds.create({ charge: paid.latest_charge as string }))).toMatchObject({
      statusCode: 404,
      param: 'charge',
    });
    expect((await other.refunds.list({ payment_intent: paid.id })).data).toEqual([]);
    expect((await stack.stripe.refunds.retrieve(refund.id)).metadata).toEqual({});
  });
});
