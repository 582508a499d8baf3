// Timed behaviour through test clocks: an hour, days and weeks of an invoice's life in seconds
// of real time, with every action stamped at its own deadline.
import type Stripe from 'stripe';
import { startStack, type Stack } from '../support/stack';
import { eventTypes } from '../support/stripe-helpers';
import { advanceClock } from '../support/test-clock';
import { waitFor } from '../support/wait-for';

const HOUR = 3600;
const DAY = 86_400;
const START = 1_893_456_000; // 2030-01-01T00:00:00Z

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.stop();
});

function advance(clock: Stripe.TestHelpers.TestClock, to: number): Promise<void> {
  return advanceClock(stack.stripe, clock, to, 20_000);
}

async function customerOnClock(params: Stripe.CustomerCreateParams = {}) {
  const clock = await stack.stripe.testHelpers.testClocks.create({ frozen_time: START });
  const customer = await stack.stripe.customers.create({ ...params, test_clock: clock.id });
  return { clock, customer };
}

describe('auto-finalization', () => {
  it('finalizes an auto_advance draft one hour after creation, in clock time', async () => {
    const { clock, customer } = await customerOnClock();
    const draft = await stack.stripe.invoices.create({ customer: customer.id, auto_advance: true });
    expect(draft).toMatchObject({
      created: START,
      automatically_finalizes_at: START + HOUR,
      test_clock: clock.id,
    });
    await advance(clock, START + 30 * 60);
    expect((await stack.stripe.invoices.retrieve(draft.id)).status).toBe('draft');
    await advance(clock, START + 2 * HOUR);
    const finalized = await stack.stripe.invoices.retrieve(draft.id);
    expect(finalized.status).toBe('paid'); // nothing was due
    expect(finalized.status_transitions.finalized_at).toBe(START + HOUR);
  });
});

describe('payment retries', () => {
  it('retries on the schedule, then takes the final action', async () => {
    const other = await stack.newAccount();
    await other.stripe.rawRequest('POST', '/v1/extensions/collection_settings', {
      payment_retry_schedule: [1, 2],
      final_action: 'mark_uncollectible',
    });
    const clock = await other.stripe.testHelpers.testClocks.create({ frozen_time: START });
    const customer = await other.stripe.customers.create({
      test_clock: clock.id,
      invoice_settings: { default_payment_method: 'pm_card_chargeDeclined' },
    });
    const draft = await other.stripe.invoices.create({ customer: customer.id, auto_advance: true });
    await other.stripe.invoices.addLines(draft.id, { lines: [{ amount: 2000 }] });
    const advanceOther = async (to: number) => {
      await other.stripe.testHelpers.testClocks.advance(clock.id, { frozen_time: to });
      await waitFor(
        async () => (await other.stripe.testHelpers.testClocks.retrieve(clock.id)).status === 'ready',
        20_000,
      );
    };
    await advanceOther(START + 2 * HOUR);
    let invoice = await other.stripe.invoices.retrieve(draft.id);
    expect(invoice).toMatchObject({
      status: 'open',
      attempt_count: 1,
      next_payment_attempt: START + HOUR + DAY,
    });
    await advanceOther(START + HOUR + DAY + 60);
    invoice = await other.stripe.invoices.retrieve(draft.id);
    expect(invoice).toMatchObject({
      status: 'open',
      attempt_count: 2,
      next_payment_attempt: START + HOUR + 3 * DAY,
    });
    await advanceOther(START + 4 * DAY);
    invoice = await other.stripe.invoices.retrieve(draft.id);
    expect(invoice).toMatchObject({ status: 'uncollectible', attempt_count: 3, next_payment_attempt: null });
    expect(invoice.status_transitions.marked_uncollectible_at).toBe(START + HOUR + 3 * DAY);
    const failures = (await eventTypes(stack, draft.id)).filter((type) => type === 'invoice.payment_failed');
    expect(failures).toHaveLength(3);
  });

  it('collects on a retry once the card works', async () => {
    const { clock, customer } = await customerOnClock({
      invoice_settings: { default_payment_method: 'pm_card_chargeDeclinedInsufficientFunds' },
    });
    const draft = await stack.stripe.invoices.create({ customer: customer.id, auto_advance: true });
    await stack.stripe.invoices.addLines(draft.id, { lines: [{ amount: 5000 }] });
    await advance(clock, START + 2 * HOUR);
    expect((await stack.stripe.invoices.retrieve(draft.id)).attempt_count).toBe(1);
    await stack.stripe.customers.update(customer.id, {
      invoice_settings: { default_payment_method: 'pm_card_visa' },
    });
    await advance(clock, START + 4 * DAY);
    const paid = await stack.stripe.invoices.retrieve(draft.id);
    expect(paid).toMatchObject({ status: 'paid', attempt_count: 2, amount_paid: 5000 });
    expect(paid.status_transitions.paid_at).toBe(START + HOUR + 3 * DAY);
  });
});

describe('send_invoice reminders', () => {
  it('sends, then will_be_due 7 days before and overdue 1 day after the due date', async () => {
    const { clock, customer } = await customerOnClock();
    const draft = await stack.stripe.invoices.create({
      customer: customer.id,
      auto_advance: true,
      collection_method: 'send_invoice',
      days_until_due: 30,
    });
    await stack.stripe.invoices.addLines(draft.id, { lines: [{ amount: 12_000 }] });
    await advance(clock, START + 2 * HOUR);
    const open = await stack.stripe.invoices.retrieve(draft.id);
    expect(open.status).toBe('open');
    const due = open.due_date as number;
    expect(due).toBe(START + HOUR + 30 * DAY);
    expect(await eventTypes(stack, draft.id)).toContain('invoice.sent');
    await advance(clock, due - 7 * DAY - 60);
    expect(await eventTypes(stack, draft.id)).not.toContain('invoice.will_be_due');
    await advance(clock, due - 7 * DAY + 60);
    expect(await eventTypes(stack, draft.id)).toContain('invoice.will_be_due');
    await advance(clock, due + 2 * DAY);
    const types = await eventTypes(stack, draft.id);
    expect(types.filter((type) => type === 'invoice.overdue')).toHaveLength(1);
    const overdue = await stack.stripe.events.list({ type: 'invoice.overdue' });
    expect(overdue.data.find((event) => (event.data.object as Stripe.Invoice).id === draft.id)?.created).toBe(
      due + DAY,
    );
  });
});

describe('creating during an advance', () => {
  it('is refused until the clock is ready', async () => {
    const { clock, customer } = await customerOnClock();
    expect(customer.created).toBe(START);
    await stack.stripe.invoices.create({ customer: customer.id, auto_advance: true });
    const advancing = await stack.stripe.testHelpers.testClocks.advance(clock.id, {
      frozen_time: START + DAY,
    });
    expect(advancing.status).toBe('advancing');
    await expect(stack.stripe.invoices.create({ customer: customer.id })).rejects.toMatchObject({
      statusCode: 400,
    });
    await waitFor(
      async () => (await stack.stripe.testHelpers.testClocks.retrieve(clock.id)).status === 'ready',
      20_000,
    );
    expect((await stack.stripe.invoices.create({ customer: customer.id })).created).toBe(START + DAY);
  });
});
