// Paying invoices through the test-mode processor, and the customer's credit balance applied
// at finalization: money is never charged, credited or lost twice.
import { startStack, type Stack } from '../support/stack';
import { draftWithLines, eventTypes, rowCounts, stripeError } from '../support/stripe-helpers';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.stop();
});

async function openInvoice(amount: number, defaultPaymentMethod?: string) {
  const customer = await stack.stripe.customers.create(
    defaultPaymentMethod ? { invoice_settings: { default_payment_method: defaultPaymentMethod } } : {},
  );
  const draft = await draftWithLines(stack, [amount], { customer: customer.id });
  return stack.stripe.invoices.finalizeInvoice(draft.id);
}

// Charge attempts: an invoice's own PaymentIntent is one row, made at finalization, moved by each.
async function chargesFor(invoiceId: string): Promise<number> {
  const [{ attempts }] = await stack
    .db('payments')
    .where({ invoice_id: invoiceId })
    .sum({ attempts: 'attempts' });
  return Number(attempts ?? 0);
}

describe('pay', () => {
  it('charges pm_card_visa and marks the invoice paid', async () => {
    const invoice = await openInvoice(2000);
    const paid = await stack.stripe.invoices.pay(invoice.id, { payment_method: 'pm_card_visa' });
    expect(paid).toMatchObject({
      status: 'paid',
      amount_paid: 2000,
      amount_remaining: 0,
      attempted: true,
      attempt_count: 1,
    });
    expect(paid.status_transitions.paid_at).toEqual(expect.any(Number));
    expect(await eventTypes(stack, invoice.id)).toEqual(
      expect.arrayContaining(['invoice.paid', 'invoice.payment_succeeded']),
    );
    expect(await chargesFor(invoice.id)).toBe(1);
  });

  it("uses the customer's default payment method", async () => {
    const invoice = await openInvoice(1500, 'pm_card_mastercard');
    expect((await stack.stripe.invoices.pay(invoice.id)).status).toBe('paid');
  });

  it('finalizes and pays a draft in one call', async () => {
    const draft = await draftWithLines(stack, [900]);
    const paid = await stack.stripe.invoices.pay(draft.id, { payment_method: 'pm_card_visa' });
    expect(paid.status).toBe('paid');
    expect(paid.number).toEqual(expect.any(String));
  });

  it.each([
    ['pm_card_chargeDeclined', 'card_declined', 'generic_decline'],
    ['pm_card_chargeDeclinedInsufficientFunds', 'card_declined', 'insufficient_funds'],
    ['pm_card_chargeDeclinedExpiredCard', 'expired_card', 'expired_card'],
  ])('declines %s with 402 %s / %s and leaves the invoice open', async (method, code, declineCode) => {
    const invoice = await openInvoice(2000);
    const error = await stripeError(stack.stripe.invoices.pay(invoice.id, { payment_method: method }));
    expect(error.statusCode).toBe(402);
    expect(error.type).toBe('StripeCardError');
    expect(error.code).toBe(code);
    expect(error.decline_code).toBe(declineCode);
    const after = await stack.stripe.invoices.retrieve(invoice.id);
    expect(after).toMatchObject({ status: 'open', attempt_count: 1, attempted: true, amount_paid: 0 });
    expect(await eventTypes(stack, invoice.id)).toContain('invoice.payment_failed');
  });

  it('reports a payment that needs authentication', async () => {
    const invoice = await openInvoice(2000);
    const error = await stripeError(
      stack.stripe.invoices.pay(invoice.id, { payment_method: 'pm_card_authenticationRequired' }),
    );
    expect(error.statusCode).toBe(402);
    expect(error.code).toBe('invoice_payment_intent_requires_action');
    expect((await stack.stripe.invoices.retrieve(invoice.id)).status).toBe('open');
    expect(await eventTypes(stack, invoice.id)).toContain('invoice.payment_action_required');
  });

  it('refuses a payment method that does not exist, charging nothing', async () => {
    const invoice = await openInvoice(2000);
    const error = await stripeError(stack.stripe.invoices.pay(invoice.id, { payment_method: 'pm_nope' }));
    expect(error.code).toBe('resource_missing');
    expect(error.param).toBe('payment_method');
    expect(await chargesFor(invoice.id)).toBe(0);
  });

  it('refuses when there is no payment method at all', async () => {
    const invoice = await openInvoice(2000);
    expect((await stripeError(stack.stripe.invoices.pay(invoice.id))).statusCode).toBe(400);
    expect((await stack.stripe.invoices.retrieve(invoice.id)).attempt_count).toBe(0);
  });

  it('charges exactly once under five concurrent pay calls', async () => {
    const invoice = await openInvoice(3000, 'pm_card_visa');
    const results = await Promise.allSettled(
      Array.from({ length: 5 }, () => stack.stripe.invoices.pay(invoice.id)),
    );
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    for (const result of results) {
      if (result.status === 'rejected')
        expect((result.reason as { statusCode: number }).statusCode).toBe(400);
    }
    expect(await chargesFor(invoice.id)).toBe(1);
    const paidEvents = (await eventTypes(stack, invoice.id)).filter((type) => type === 'invoice.paid');
    expect(paidEvents).toHaveLength(1);
    expect((await stack.stripe.invoices.retrieve(invoice.id)).amount_paid).toBe(3000);
  });

  it('records a payment made out of band without charging', async () => {
    const invoice = await openInvoice(2500);
    const paid = await stack.stripe.invoices.pay(invoice.id, { paid_out_of_band: true });
    expect(paid.status).toBe('paid');
    expect(await chargesFor(invoice.id)).toBe(0);
  });

  it('refuses to pay a paid invoice, changing nothing', async () => {
    const invoice = await openInvoice(2000, 'pm_card_visa');
    await stack.stripe.invoices.pay(invoice.id);
    const before = await rowCounts(stack);
    expect((await stripeError(stack.stripe.invoices.pay(invoice.id))).statusCode).toBe(400);
    expect(await rowCounts(stack)).toEqual(before);
  });
});

describe('credit balance', () => {
  it('applies credit at finalization and records it once', async () => {
    const customer = await stack.stripe.customers.create({ balance: -500 });
    const draft = await draftWithLines(stack, [2000], { customer: customer.id });
    const finalized = await stack.stripe.invoices.finalizeInvoice(draft.id);
    expect(finalized).toMatchObject({
      total: 2000,
      starting_balance: -500,
      ending_balance: 0,
      amount_due: 1500,
    });
    expect(((await stack.stripe.customers.retrieve(customer.id)) as { balance: number }).balance).toBe(0);
    const transactions = await stack.stripe.customers.listBalanceTransactions(customer.id);
    expect(transactions.data.map((t) => [t.type, t.amount, t.invoice])).toContainEqual([
      'applied_to_invoice',
      500,
      draft.id,
    ]);
  });

  it('keeps credit larger than the invoice for the next one', async () => {
    const customer = await stack.stripe.customers.create({ balance: -5000 });
    const draft = await draftWithLines(stack, [2000], { customer: customer.id });
    const finalized = await stack.stripe.invoices.finalizeInvoice(draft.id);
    expect(finalized).toMatchObject({
      status: 'paid',
      amount_due: 0,
      starting_balance: -5000,
      ending_balance: -3000,
    });
    expect(((await stack.stripe.customers.retrieve(customer.id)) as { balance: number }).balance).toBe(-3000);
  });

  it('never spends the same credit on two invoices finalized at once', async () => {
    const customer = await stack.stripe.customers.create({ balance: -1000 });
    const drafts = await Promise.all([
      draftWithLines(stack, [1000], { customer: customer.id }),
      draftWithLines(stack, [1000], { customer: customer.id }),
    ]);
    const finalized = await Promise.all(
      drafts.map((draft) => stack.stripe.invoices.finalizeInvoice(draft.id)),
    );
    const applied = finalized.map((invoice) => invoice.total - invoice.amount_due).sort();
    expect(applied).toEqual([0, 1000]);
    expect(((await stack.stripe.customers.retrieve(customer.id)) as { balance: number }).balance).toBe(0);
    expect(new Set(finalized.map((invoice) => invoice.number)).size).toBe(2);
  });

  it('carries an amount below the minimum charge to the balance and marks the invoice paid', async () => {
    const customer = await stack.stripe.customers.create({});
    const draft = await draftWithLines(stack, [30], { customer: customer.id });
    const finalized = await stack.stripe.invoices.finalizeInvoice(draft.id);
    expect(finalized.status).toBe('paid');
    expect(((await stack.stripe.customers.retrieve(customer.id)) as { balance: number }).balance).toBe(30);
  });

  it('gives applied credit back when the invoice is voided', async () => {
    const customer = await stack.stripe.customers.create({ balance: -500 });
    const draft = await draftWithLines(stack, [2000], { customer: customer.id });
    await stack.stripe.invoices.finalizeInvoice(draft.id);
    await stack.stripe.invoices.voidInvoice(draft.id);
    expect(((await stack.stripe.customers.retrieve(customer.id)) as { balance: number }).balance).toBe(-500);
  });
});

describe('listing invoices', () => {
  it('filters by customer and status, newest first, with cursors', async () => {
    const customer = await stack.stripe.customers.create({});
    const ids: string[] = [];
    for (let i = 0; i < 3; i++)
      ids.push((await draftWithLines(stack, [1000 + i], { customer: customer.id })).id);
    await stack.stripe.invoices.finalizeInvoice(ids[0]);
    const drafts = await stack.stripe.invoices.list({ customer: customer.id, status: 'draft' });
    expect(drafts.data.map((invoice) => invoice.id)).toEqual([ids[2], ids[1]]);
    const page = await stack.stripe.invoices.list({
      customer: customer.id,
      limit: 1,
      starting_after: ids[2],
    });
    expect(page.data.map((invoice) => invoice.id)).toEqual([ids[1]]);
    expect(page.has_more).toBe(true);
    const before = await stack.stripe.invoices.list({ customer: customer.id, ending_before: ids[0] });
    expect(before.data.map((invoice) => invoice.id)).toEqual([ids[2], ids[1]]);
  });

  it("never shows another account's invoices", async () => {
    const other = await stack.newAccount();
    const customer = await other.stripe.customers.create({});
    await other.stripe.invoices.create({ customer: customer.id });
    const mine = await stack.stripe.invoices.list({ customer: customer.id });
    expect(mine.data).toEqual([]);
  });
});
