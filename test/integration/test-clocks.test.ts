// Test clocks (/v1/test_helpers/test_clocks) through the official client: CRUD, advancing
// through the clock's workflow, customers attached to a clock, and deletion's cascade.
import type Stripe from 'stripe';
import { reportAdvanceCatchUp } from '../../db/repositories/test-clocks';
import { invoiceWorkflowId, TEST_CLOCK_WORKFLOW_TYPE, testClockWorkflowId } from '../../workflows/messages';
import { getTestClockState, type TestClockWorkflowInput } from '../../workflows/test-clock-messages';
import { expectStripeShape } from '../support/stripe-shape';
import { startStack, type Stack } from '../support/stack';
import { eventTypes, stripeError } from '../support/stripe-helpers';
import { waitFor } from '../support/wait-for';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.stop();
});

const JAN_2030 = 1_893_456_000;
const HOUR = 3600;

function clocks(stripe: Stripe = stack.stripe) {
  return stripe.testHelpers.testClocks;
}

async function waitUntilReady(id: string): Promise<Stripe.TestHelpers.TestClock> {
  return waitFor(
    async () => {
      const clock = await clocks().retrieve(id);
      return clock.status === 'advancing' ? null : clock;
    },
    15_000,
    `test clock ${id} to finish advancing`,
  );
}

// An invoice row attached to the clock whose "workflow" never answers clockAdvanced: a test
// clock workflow under the invoice's workflow id (it has no handler for that signal). Lets the
// tests hold a clock in 'advancing' for as long as they need, whatever the invoice side does.
async function silentAttachedWorkflow(clockId: string): Promise<string> {
  const invoiceId = `in_silent${Math.random().toString(36).slice(2, 12)}`;
  await stack.db('invoices').insert({
    id: invoiceId,
    account_id: stack.accountId,
    customer_id: 'cus_silent',
    status: 'draft',
    currency: 'usd',
    collection_method: 'charge_automatically',
    total: 0,
    amount_due: 0,
    created: JAN_2030,
    version: 1,
    state: JSON.stringify({}),
    test_clock: clockId,
  });
  const input: TestClockWorkflowInput = {
    clockId: 'clock_silent',
    accountId: stack.accountId,
    frozenTime: 0,
    status: 'ready',
  };
  await stack.temporal.workflow.start(TEST_CLOCK_WORKFLOW_TYPE, {
    workflowId: invoiceWorkflowId(invoiceId),
    taskQueue: stack.config.taskQueue,
    args: [input],
  });
  return invoiceWorkflowId(invoiceId);
}

// Once the clock has told `workflowId` of its advance and waits for it (its row in Postgres,
// signalled and not caught up): answers the advance's id.
async function waitingFor(clockId: string, workflowId: string): Promise<string> {
  const handle = stack.temporal.workflow.getHandle(testClockWorkflowId(clockId));
  const advance = await waitFor(async () => (await handle.query(getTestClockState)).advance);
  expect(advance.reportsInPostgres).toBe(true);
  await waitFor(() =>
    stack
      .db('test_clock_advance_workflows')
      .where({ advance_id: advance.advanceId, workflow_id: workflowId, signalled: true, caught_up: false })
      .first(),
  );
  return advance.advanceId;
}

describe('test clocks', () => {
  it('creates, retrieves and lists clocks in Stripe shape', async () => {
    const created = await clocks().create({ frozen_time: JAN_2030, name: 'Renewal simulation' });
    expect(created.id).toMatch(/^clock_[0-9A-Za-z]{24}$/);
    expect(created).toMatchObject({
      object: 'test_helpers.test_clock',
      frozen_time: JAN_2030,
      livemode: false,
      name: 'Renewal simulation',
      status: 'ready',
      status_details: {},
    });
    expect(created.deletes_after).toBe(created.created + 30 * 24 * HOUR);
    const retrieved = await clocks().retrieve(created.id);
    expect(retrieved).toEqual(created);
    expectStripeShape(retrieved);
    const unnamed = await clocks().create({ frozen_time: JAN_2030 });
    expect(unnamed.name).toBeNull();
  });

  it('lists newest first, page by page', async () => {
    const other = await stack.newAccount();
    const first = await clocks(other.stripe).create({ frozen_time: JAN_2030 });
    const second = await clocks(other.stripe).create({ frozen_time: JAN_2030 });
    const page = await clocks(other.stripe).list({ limit: 1 });
    expect(page).toMatchObject({ object: 'list', url: '/v1/test_helpers/test_clocks', has_more: true });
    expect(page.data.map((clock) => clock.id)).toEqual([second.id]);
    const next = await clocks(other.stripe).list({ limit: 1, starting_after: second.id });
    expect(next.data.map((clock) => clock.id)).toEqual([first.id]);
    expect(next.has_more).toBe(false);
  });

  it('deletes a clock: answered as deleted, then 404 and gone from the list', async () => {
    const clock = await clocks().create({ frozen_time: JAN_2030 });
    const deleted = await clocks().del(clock.id);
    expect(deleted).toEqual({ id: clock.id, object: 'test_helpers.test_clock', deleted: true });
    expectStripeShape(deleted);
    const error = await stripeError(clocks().retrieve(clock.id));
    expect(error.statusCode).toBe(404);
    expect(error.code).toBe('resource_missing');
    expect((await stripeError(clocks().del(clock.id))).statusCode).toBe(404);
    const listed = await clocks().list({ limit: 100 });
    expect(listed.data.map((c) => c.id)).not.toContain(clock.id);
  });
});

describe('bad input', () => {
  it('requires frozen_time at creation', async () => {
    const error = await stripeError(
      clocks().create({ name: 'x' } as unknown as Stripe.TestHelpers.TestClockCreateParams),
    );
    expect(error.statusCode).toBe(400);
    expect(error.code).toBe('parameter_missing');
    expect(error.param).toBe('frozen_time');
  });

  it('refuses unknown parameters and non-integer times', async () => {
    const unknown = await stripeError(
      clocks().create({ frozen_time: JAN_2030, bogus: 1 } as Stripe.TestHelpers.TestClockCreateParams),
    );
    expect(unknown).toMatchObject({ statusCode: 400, code: 'parameter_unknown', param: 'bogus' });
    const notInteger = await stripeError(clocks().create({ frozen_time: 'soon' as unknown as number }));
    expect(notInteger).toMatchObject({ statusCode: 400, param: 'frozen_time' });
  });

  it('refuses to advance to a time that is not later, changing nothing', async () => {
    const clock = await clocks().create({ frozen_time: JAN_2030 });
    for (const frozenTime of [JAN_2030 - HOUR, JAN_2030]) {
      const error = await stripeError(clocks().advance(clock.id, { frozen_time: frozenTime }));
      expect(error.statusCode).toBe(400);
      expect(error.type).toBe('StripeInvalidRequestError');
      expect(error.param).toBe('frozen_time');
    }
    const missing = await stripeError(
      clocks().advance(clock.id, {} as Stripe.TestHelpers.TestClockAdvanceParams),
    );
    expect(missing).toMatchObject({ statusCode: 400, code: 'parameter_missing', param: 'frozen_time' });
    expect(await clocks().retrieve(clock.id)).toEqual(clock);
  });

  it("answers 404 for another account's clock, and for unknown ones", async () => {
    const clock = await clocks().create({ frozen_time: JAN_2030 });
    const other = await stack.newAccount();
    for (const attempt of [
      clocks(other.stripe).retrieve(clock.id),
      clocks(other.stripe).advance(clock.id, { frozen_time: JAN_2030 + HOUR }),
      clocks(other.stripe).del(clock.id),
      other.stripe.customers.create({ test_clock: clock.id }),
      clocks().retrieve('clock_doesnotexist'),
    ]) {
      const error = await stripeError(attempt);
      expect(error.statusCode).toBe(404);
      expect(error.code).toBe('resource_missing');
    }
    expect((await clocks(other.stripe).list()).data).toEqual([]);
    expect(await clocks().retrieve(clock.id)).toEqual(clock);
  });
});

describe('advance', () => {
  it('goes advancing → ready at the new frozen_time when nothing is attached', async () => {
    const clock = await clocks().create({ frozen_time: JAN_2030 });
    const target = JAN_2030 + 2 * HOUR;
    const advancing = await clocks().advance(clock.id, { frozen_time: target });
    expect(advancing).toMatchObject({
      id: clock.id,
      status: 'advancing',
      frozen_time: JAN_2030,
      status_details: { advancing: { target_frozen_time: target } },
    });
    const ready = await waitUntilReady(clock.id);
    expect(ready).toMatchObject({ status: 'ready', frozen_time: target, status_details: {} });
    // Its workflow stays, knowing the new time: the next advance starts from there.
    const again = await clocks().advance(clock.id, { frozen_time: target + HOUR });
    expect(again.status).toBe('advancing');
    expect((await waitUntilReady(clock.id)).frozen_time).toBe(target + HOUR);
    const error = await stripeError(clocks().advance(clock.id, { frozen_time: target }));
    expect(error).toMatchObject({ statusCode: 400, param: 'frozen_time' });
  });

  it('refuses more than two years at a time', async () => {
    const clock = await clocks().create({ frozen_time: JAN_2030 });
    const error = await stripeError(
      clocks().advance(clock.id, { frozen_time: JAN_2030 + 3 * 366 * 24 * HOUR }),
    );
    expect(error).toMatchObject({ statusCode: 400, param: 'frozen_time' });
  });

  it('stays advancing until every attached workflow has caught up', async () => {
    const clock = await clocks().create({ frozen_time: JAN_2030 });
    const attached = await silentAttachedWorkflow(clock.id);
    const target = JAN_2030 + HOUR;
    await clocks().advance(clock.id, { frozen_time: target });
    const advanceId = await waitingFor(clock.id, attached);
    // A second advance while this one runs is refused, and the first goes on.
    const refused = await stripeError(clocks().advance(clock.id, { frozen_time: target + HOUR }));
    expect(refused.statusCode).toBe(400);
    expect((await clocks().retrieve(clock.id)).status).toBe('advancing');
    // The report an invoice's workflow writes once it has caught up.
    await reportAdvanceCatchUp(stack.db, { clockId: clock.id, advanceId, workflowId: attached });
    expect(await waitUntilReady(clock.id)).toMatchObject({ status: 'ready', frozen_time: target });
    // The advance's rows go with it.
    expect(await stack.db('test_clock_advance_workflows').where({ advance_id: advanceId })).toEqual([]);
  });

  it('does not wait for an attached workflow that ends without answering', async () => {
    const clock = await clocks().create({ frozen_time: JAN_2030 });
    const attached = await silentAttachedWorkflow(clock.id);
    await clocks().advance(clock.id, { frozen_time: JAN_2030 + HOUR });
    await waitingFor(clock.id, attached);
    await stack.temporal.workflow.getHandle(attached).terminate('gone');
    expect(await waitUntilReady(clock.id)).toMatchObject({ status: 'ready', frozen_time: JAN_2030 + HOUR });
  });
});

describe('customers on a clock', () => {
  it('creates a customer attached to a clock', async () => {
    const clock = await clocks().create({ frozen_time: JAN_2030 });
    const customer = await stack.stripe.customers.create({ test_clock: clock.id, email: 'sim@example.com' });
    expect(customer.test_clock).toBe(clock.id);
    const retrieved = (await stack.stripe.customers.retrieve(customer.id)) as Stripe.Customer;
    expect(retrieved.test_clock).toBe(clock.id);
    expect((await stack.stripe.customers.create({})).test_clock).toBeNull();
  });

  it('refuses an unknown or deleted clock, and changing the clock later', async () => {
    const missing = await stripeError(stack.stripe.customers.create({ test_clock: 'clock_missing' }));
    expect(missing).toMatchObject({ statusCode: 404, code: 'resource_missing', param: 'test_clock' });
    const clock = await clocks().create({ frozen_time: JAN_2030 });
    await clocks().del(clock.id);
    const deleted = await stripeError(stack.stripe.customers.create({ test_clock: clock.id }));
    expect(deleted).toMatchObject({ statusCode: 404, param: 'test_clock' });
    const customer = await stack.stripe.customers.create({});
    const update = await stripeError(
      stack.stripe.customers.update(customer.id, {
        test_clock: clock.id,
      } as Stripe.CustomerUpdateParams),
    );
    expect(update).toMatchObject({ statusCode: 400, code: 'parameter_unknown', param: 'test_clock' });
  });

  it("deleting the clock deletes its customers and their invoices, and ends the invoices' workflows", async () => {
    const clock = await clocks().create({ frozen_time: JAN_2030 });
    const onClock = await stack.stripe.customers.create({ test_clock: clock.id });
    const elsewhere = await stack.stripe.customers.create({});
    const invoice = await stack.stripe.invoices.create({ customer: onClock.id });
    await clocks().del(clock.id);
    expect(await stack.stripe.customers.retrieve(onClock.id)).toMatchObject({ deleted: true });
    expect(await stack.stripe.customers.retrieve(elsewhere.id)).not.toHaveProperty('deleted');
    // customer.deleted for the clock's customer, carrying it as it was; none for the other one.
    expect(await eventTypes(stack, onClock.id)).toEqual(['customer.created', 'customer.deleted']);
    expect(await eventTypes(stack, elsewhere.id)).toEqual(['customer.created']);
    const [event] = (await stack.stripe.events.list({ type: 'customer.deleted', limit: 1 })).data;
    expect(event.data.object).toMatchObject({ id: onClock.id, test_clock: clock.id });
    expect((await stripeError(stack.stripe.invoices.retrieve(invoice.id))).statusCode).toBe(404);
    const refused = await stripeError(stack.stripe.invoices.create({ customer: onClock.id }));
    expect(refused.statusCode).toBe(404);
    const description = await stack.temporal.workflow.getHandle(invoiceWorkflowId(invoice.id)).describe();
    expect(description.status.name).toBe('TERMINATED');
  });
});

describe('invoices in clock time', () => {
  it('finalizes a draft with auto_advance once the clock has advanced past its deadline', async () => {
    const clock = await clocks().create({ frozen_time: JAN_2030 });
    const customer = await stack.stripe.customers.create({ test_clock: clock.id });
    const draft = await stack.stripe.invoices.create({
      customer: customer.id,
      auto_advance: true,
      collection_method: 'send_invoice',
      days_until_due: 30,
    });
    await stack.stripe.invoices.addLines(draft.id, { lines: [{ amount: 5000, description: 'Simulated' }] });
    expect(draft.test_clock).toBe(clock.id);
    await clocks().advance(clock.id, { frozen_time: JAN_2030 + 2 * HOUR });
    expect(await waitUntilReady(clock.id)).toMatchObject({
      status: 'ready',
      frozen_time: JAN_2030 + 2 * HOUR,
    });
    // Ready means every invoice has caught up: no polling of the invoice itself.
    const invoice = await stack.stripe.invoices.retrieve(draft.id);
    expect(invoice.status).toBe('open');
    expect(invoice.status_transitions.finalized_at).toBeGreaterThan(JAN_2030);
    expect(invoice.status_transitions.finalized_at).toBeLessThanOrEqual(JAN_2030 + 2 * HOUR);
  });
});
