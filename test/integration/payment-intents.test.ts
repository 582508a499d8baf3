// PaymentIntents as Stripe has them: made without confirming, confirmed, declined with their
// codes, authenticated (or not) on the test authentication page, canceled, captured, listed;
// their payment_intent.* events.
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

function create(extra: Partial<Stripe.PaymentIntentCreateParams> = {}, options?: Stripe.RequestOptions) {
  return stack.stripe.paymentIntents.create({ amount: 2000, currency: 'usd', ...extra }, options);
}

// The test authentication page, as a browser on it would use it.
async function authenticate(intent: Stripe.PaymentIntent, action: 'complete' | 'fail'): Promise<Response> {
  const url = intent.next_action?.redirect_to_url?.url as string;
  const page = await fetch(url);
  expect(page.status).toBe(200);
  expect(await page.text()).toContain('Complete authentication');
  return fetch(url, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: new URL(url).origin },
    body: `action=${action}`,
  });
}

describe('payment_intent.created', () => {
  it('is recorded once per PaymentIntent, showing it as it was made, before the outcome of a confirm at creation', async () => {
    const key = `pi-created-${Date.now()}`;
    const first = await create({ payment_method: 'pm_card_visa', confirm: true }, { idempotencyKey: key });
    const retried = await create({ payment_method: 'pm_card_visa', confirm: true }, { idempotencyKey: key });
    expect(retried.id).toBe(first.id);
    expect(await eventTypes(stack, first.id)).toEqual(['payment_intent.created', 'payment_intent.succeeded']);
    const [created] = (
      await stack.stripe.events.list({ type: 'payment_intent.created', limit: 10 })
    ).data.filter((event) => (event.data.object as Stripe.PaymentIntent).id === first.id);
    expect(created.data.object).toMatchObject({
      id: first.id,
      status: 'requires_confirmation',
      amount_received: 0,
      latest_charge: null,
    });

    const invoice = await draftWithLines(stack, [1500], {
      params: { collection_method: 'send_invoice', days_until_due: 30 },
    });
    const finalized = await stack.stripe.invoices.finalizeInvoice(invoice.id, { expand: ['payments'] });
    const own = finalized.payments?.data[0].payment.payment_intent as string;
    expect(own).toMatch(/^pi_/);
    expect(await eventTypes(stack, own)).toEqual(['payment_intent.created']);
  });
});

describe('the statuses', () => {
  it('requires_payment_method, then requires_confirmation, then succeeded', async () => {
    const bare = await create();
    expect(bare).toMatchObject({
      object: 'payment_intent',
      status: 'requires_payment_method',
      amount_received: 0,
      amount_capturable: 0,
      latest_charge: null,
      payment_method: null,
      capture_method: 'automatic',
      next_action: null,
    });
    // Its client_secret, made with it, stays its own.
    expect(bare.client_secret).toMatch(new RegExp(`^${bare.id}_secret_[A-Za-z0-9]{24}$`));
    expect((await stack.stripe.paymentIntents.retrieve(bare.id)).client_secret).toBe(bare.client_secret);
    const missing = await stripeError(stack.stripe.paymentIntents.confirm(bare.id));
    expect(missing).toMatchObject({ statusCode: 400, code: 'payment_intent_unexpected_state' });

    const ready = await create({ payment_method: 'pm_card_visa' });
    expect(ready.status).toBe('requires_confirmation');
    const done = await stack.stripe.paymentIntents.confirm(ready.id);
    expect(done).toMatchObject({
      status: 'succeeded',
      amount_received: 2000,
      payment_method: 'pm_card_visa',
    });
    expect(done.latest_charge).toMatch(/^ch_/);
    expect(await stack.stripe.paymentIntents.retrieve(ready.id)).toEqual(done);
    expect(await eventTypes(stack, ready.id)).toEqual(['payment_intent.created', 'payment_intent.succeeded']);
    const again = await stripeError(stack.stripe.paymentIntents.confirm(ready.id));
    expect(again).toMatchObject({ statusCode: 400, code: 'payment_intent_unexpected_state' });
  });

  it.each([
    ['pm_card_chargeDeclined', 'card_declined', 'generic_decline'],
    ['pm_card_chargeDeclinedInsufficientFunds', 'card_declined', 'insufficient_funds'],
    ['pm_card_chargeDeclinedExpiredCard', 'expired_card', 'expired_card'],
    ['pm_card_chargeDeclinedIncorrectCvc', 'incorrect_cvc', 'incorrect_cvc'],
  ])('declines %s with 402 %s / %s and waits for another payment method', async (method, code, decline) => {
    const intent = await create();
    const error = await stripeError(
      stack.stripe.paymentIntents.confirm(intent.id, { payment_method: method }),
    );
    expect(error).toMatchObject({ statusCode: 402, type: 'StripeCardError', code, decline_code: decline });
    const after = await stack.stripe.paymentIntents.retrieve(intent.id);
    expect(after).toMatchObject({ status: 'requires_payment_method', amount_received: 0 });
    expect(after.last_payment_error).toMatchObject({ type: 'card_error', code, decline_code: decline });
    expect(await eventTypes(stack, intent.id)).toEqual([
      'payment_intent.created',
      'payment_intent.payment_failed',
    ]);
    const retried = await stack.stripe.paymentIntents.confirm(intent.id, { payment_method: 'pm_card_visa' });
    expect(retried).toMatchObject({ status: 'succeeded', last_payment_error: null });
  });

  it.each(['pm_card_authenticationRequired', 'pm_card_threeDSecure2Required'])(
    '%s requires action: completed on the test page it succeeds, failed it waits',
    async (method) => {
      const first = await create({ payment_method: method, confirm: true });
      expect(first).toMatchObject({ status: 'requires_action', next_action: { type: 'redirect_to_url' } });
      expect((await authenticate(first, 'complete')).status).toBe(200);
      expect(await stack.stripe.paymentIntents.retrieve(first.id)).toMatchObject({ status: 'succeeded' });
      expect(await eventTypes(stack, first.id)).toEqual([
        'payment_intent.created',
        'payment_intent.requires_action',
        'payment_intent.succeeded',
      ]);

      const second = await create({ payment_method: method, confirm: true });
      await authenticate(second, 'fail');
      const failed = await stack.stripe.paymentIntents.retrieve(second.id);
      expect(failed.status).toBe('requires_payment_method');
      expect(failed.last_payment_error?.code).toBe('payment_intent_authentication_failure');
      // The page is spent.
      expect((await fetch(first.next_action?.redirect_to_url?.url as string)).status).toBe(404);
    },
  );

  it('cancels what has not succeeded, with its reason', async () => {
    const intent = await create({ payment_method: 'pm_card_visa' });
    const canceled = await stack.stripe.paymentIntents.cancel(intent.id, {
      cancellation_reason: 'abandoned',
    });
    expect(canceled).toMatchObject({ status: 'canceled', cancellation_reason: 'abandoned' });
    expect(canceled.canceled_at).toEqual(expect.any(Number));
    expect(await eventTypes(stack, intent.id)).toEqual(['payment_intent.created', 'payment_intent.canceled']);
    expect((await stripeError(stack.stripe.paymentIntents.confirm(intent.id))).statusCode).toBe(400);
    const succeeded = await create({ payment_method: 'pm_card_visa', confirm: true });
    const refused = await stripeError(stack.stripe.paymentIntents.cancel(succeeded.id));
    expect(refused).toMatchObject({ statusCode: 400, code: 'payment_intent_unexpected_state' });
  });

  it('manual capture: requires_capture, then captured for what is asked', async () => {
    const intent = await create({ payment_method: 'pm_card_visa', capture_method: 'manual', confirm: true });
    expect(intent).toMatchObject({ status: 'requires_capture', amount_capturable: 2000, amount_received: 0 });
    const tooMuch = await stripeError(
      stack.stripe.paymentIntents.capture(intent.id, { amount_to_capture: 2001 }),
    );
    expect(tooMuch).toMatchObject({ statusCode: 400, param: 'amount_to_capture' });
    const captured = await stack.stripe.paymentIntents.capture(intent.id, { amount_to_capture: 1500 });
    expect(captured).toMatchObject({ status: 'succeeded', amount_received: 1500, amount_capturable: 0 });
    expect((await stripeError(stack.stripe.paymentIntents.capture(intent.id))).statusCode).toBe(400);
  });
});

describe('listing and refusing', () => {
  it('lists by customer and created, newest first, with cursors', async () => {
    const customer = await stack.stripe.customers.create({});
    const made = [];
    for (let i = 0; i < 3; i++) made.push(await create({ customer: customer.id, amount: 1000 + i }));
    const listed = await stack.stripe.paymentIntents.list({ customer: customer.id });
    expect(listed.data.map((intent) => intent.id)).toEqual(made.map((intent) => intent.id).reverse());
    const page = await stack.stripe.paymentIntents.list({
      customer: customer.id,
      limit: 1,
      starting_after: made[2].id,
    });
    expect(page).toMatchObject({ has_more: true, data: [{ id: made[1].id }] });
    const recent = await stack.stripe.paymentIntents.list({ created: { gte: made[0].created }, limit: 100 });
    expect(recent.data.map((intent) => intent.id)).toEqual(
      expect.arrayContaining(made.map((intent) => intent.id)),
    );
  });

  it('refuses bad parameters and hides other accounts', async () => {
    const types = await stripeError(
      create({ payment_method_types: ['sepa_debit'] } as Partial<Stripe.PaymentIntentCreateParams>),
    );
    expect(types).toMatchObject({ statusCode: 400, param: 'payment_method_types[0]' });
    const reason = await stripeError(
      stack.stripe.paymentIntents.cancel((await create()).id, {
        cancellation_reason: 'bored' as Stripe.PaymentIntentCancelParams.CancellationReason,
      }),
    );
    expect(reason).toMatchObject({ statusCode: 400, param: 'cancellation_reason' });
    const unknownMethod = await stripeError(create({ payment_method: 'pm_nope' }));
    expect(unknownMethod).toMatchObject({ statusCode: 404, param: 'payment_method' });
    const mine = await create();
    const other = await stack.newAccount();
    expect((await stripeError(other.stripe.paymentIntents.retrieve(mine.id))).statusCode).toBe(404);
    expect((await stripeError(other.stripe.paymentIntents.confirm(mine.id))).statusCode).toBe(404);
    expect((await other.stripe.paymentIntents.list()).data).toEqual([]);
  });
});

describe("an invoice's own PaymentIntent", () => {
  it('requires action on pay; completed on the test page, the invoice is paid', async () => {
    const invoice = await stack.stripe.invoices.finalizeInvoice((await draftWithLines(stack, [2500])).id);
    const error = await stripeError(
      stack.stripe.invoices.pay(invoice.id, { payment_method: 'pm_card_authenticationRequired' }),
    );
    expect(error.code).toBe('invoice_payment_intent_requires_action');
    const [own] = (await stack.stripe.invoicePayments.list({ invoice: invoice.id })).data;
    const intent = await stack.stripe.paymentIntents.retrieve(own.payment.payment_intent as string);
    expect(intent).toMatchObject({ status: 'requires_action', amount: 2500 });
    const answer = await authenticate(intent, 'complete');
    expect(answer.status).toBe(303);
    expect(answer.headers.get('location')).toBe(invoice.hosted_invoice_url);
    expect(await stack.stripe.invoices.retrieve(invoice.id)).toMatchObject({
      status: 'paid',
      amount_paid: 2500,
    });
    expect((await stack.stripe.invoicePayments.retrieve(own.id)).status).toBe('paid');
  });

  it('the hosted page sends the customer to authenticate, and back', async () => {
    const invoice = await stack.stripe.invoices.finalizeInvoice((await draftWithLines(stack, [1200])).id);
    const url = invoice.hosted_invoice_url as string;
    const answer = await fetch(`${url}/pay`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: new URL(url).origin },
      body: 'payment_method=pm_card_authenticationRequired',
    });
    expect(answer.status).toBe(303);
    const authentication = answer.headers.get('location') as string;
    expect(authentication).toContain('/i/authenticate/');
    await fetch(authentication, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: new URL(url).origin },
      body: 'action=fail',
    });
    expect(await stack.stripe.invoices.retrieve(invoice.id)).toMatchObject({
      status: 'open',
      amount_paid: 0,
    });
    expect(await eventTypes(stack, invoice.id)).toContain('invoice.payment_failed');
  });

  it('an attached one requiring action credits its invoice once authenticated', async () => {
    const invoice = await stack.stripe.invoices.finalizeInvoice((await draftWithLines(stack, [3000])).id);
    const intent = await create({ amount: 3000, payment_method: 'pm_card_authenticationRequired' });
    await stack.stripe.invoices.attachPayment(invoice.id, { payment_intent: intent.id });
    const confirmed = await stack.stripe.paymentIntents.confirm(intent.id);
    expect(confirmed.status).toBe('requires_action');
    expect((await stack.stripe.invoices.retrieve(invoice.id)).amount_paid).toBe(0);
    await authenticate(confirmed, 'complete');
    expect(await stack.stripe.invoices.retrieve(invoice.id)).toMatchObject({
      status: 'paid',
      amount_paid: 3000,
    });
  });
});
