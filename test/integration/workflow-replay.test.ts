// Determinism: invoice and test clock workflows already running when the code changes must
// replay against it. The fixtures are histories recorded by earlier code: transitions as regular
// activities, a clock advance by signals both ways, invoices of no revision (patch markers, search
// attributes written in several commands per task). Fresh histories must replay too.
import fs from 'node:fs';
import path from 'node:path';
import { temporal } from '@temporalio/proto';
import { invoiceWorkflowId, testClockWorkflowId } from '../../workflows/messages';
import { startStack, type Stack } from '../support/stack';
import { eventTypes, replayHistory as replay, upsertsPerWorkflowTask } from '../support/workflow-history';
import { advanceClock } from '../support/test-clock';
import { waitFor } from '../support/wait-for';

jest.setTimeout(120_000);

const FIXTURES = path.join(__dirname, '../fixtures/histories');
let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.stop();
});

describe('replaying workflow histories', () => {
  // Each fixture with the event that shows which protocol recorded it.
  it.each([
    ['lifecycle-remote-activities', 'EVENT_TYPE_ACTIVITY_TASK_SCHEDULED'],
    ['test-clock-remote-activities', 'EVENT_TYPE_ACTIVITY_TASK_SCHEDULED'],
    // A clock that signalled its invoices and received their clockCaughtUp signals, and one of
    // those invoices (recorded before the clock counted reports in Postgres).
    ['test-clock-workflow-signals', 'EVENT_TYPE_SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED'],
    ['test-clock-invoice-signals', 'EVENT_TYPE_SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED'],
    // An invoice workflow whose create its validator refused, left waiting and then signalled
    // (recorded before such a workflow ended itself): still replays. (The replayer accepts it
    // with or without the `patched` guard; the guard keeps a live one of them waiting.)
    ['invoice-refused-create-waiting', 'EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES'],
  ])('replays %s, recorded with the former protocol', async (name, marker) => {
    const recorded = JSON.parse(fs.readFileSync(path.join(FIXTURES, `${name}.json`), 'utf8'));
    // Written with JSON.stringify of the fetched history: fromObject is its inverse.
    const history = temporal.api.history.v1.History.fromObject(recorded.history);
    const workflowId: string = recorded.workflowId;
    expect(eventTypes(history)).toContain(marker);
    await expect(replay(workflowId, history)).resolves.toBeUndefined();
  });

  // Runs started before revision 1 (workflows/messages.ts): a lifecycle through the API, and an
  // auto_advance invoice a test clock woke, which reported its catch-up in Postgres.
  it.each(['lifecycle-upsert-per-attribute-group', 'test-clock-invoice-postgres-report'])(
    'replays %s, recorded before revisions',
    async (name) => {
      const recorded = JSON.parse(fs.readFileSync(path.join(FIXTURES, `${name}.json`), 'utf8'));
      const history = temporal.api.history.v1.History.fromObject(recorded.history);
      expect(Math.max(...upsertsPerWorkflowTask(history))).toBeGreaterThan(1);
      await expect(replay(recorded.workflowId, history)).resolves.toBeUndefined();
    },
  );

  it('replays a lifecycle made now, whose transitions are local activities', async () => {
    const customer = await stack.stripe.customers.create({});
    await stack.stripe.invoiceItems.create({ customer: customer.id, amount: 1200, currency: 'usd' });
    const created = await stack.stripe.invoices.create({
      customer: customer.id,
      pending_invoice_items_behavior: 'include',
    });
    await stack.stripe.invoices.finalizeInvoice(created.id);
    await expect(
      stack.stripe.invoices.pay(created.id, { payment_method: 'pm_card_chargeDeclined' }),
    ).rejects.toMatchObject({ code: 'card_declined' });
    const paid = await stack.stripe.invoices.pay(created.id, { payment_method: 'pm_card_visa' });
    expect(paid.status).toBe('paid');

    const handle = stack.temporal.workflow.getHandle(invoiceWorkflowId(created.id));
    const history = await handle.fetchHistory();
    const types = eventTypes(history);
    expect(types).not.toContain('EVENT_TYPE_ACTIVITY_TASK_SCHEDULED');
    expect(types).toContain('EVENT_TYPE_MARKER_RECORDED');
    await expect(replay(handle.workflowId, history)).resolves.toBeUndefined();
  });

  // An invoice paid in parts (issue 29): a succeeded PaymentIntent attached, another attached
  // before it was confirmed, declined, authenticated (requires_action, then completed), a third
  // attached and canceled. Made now, and as recorded then (a fixture later code must replay).
  async function partialPayments(): Promise<string> {
    const customer = await stack.stripe.customers.create({});
    const draft = await stack.stripe.invoices.create({ customer: customer.id });
    await stack.stripe.invoices.addLines(draft.id, { lines: [{ amount: 10_000 }] });
    const invoice = await stack.stripe.invoices.finalizeInvoice(draft.id);
    const intent = (amount: number, extra: object = {}) =>
      stack.stripe.paymentIntents.create({ amount, currency: 'usd', customer: customer.id, ...extra });
    const first = await intent(4000, { payment_method: 'pm_card_visa', confirm: true });
    await stack.stripe.invoices.attachPayment(invoice.id, { payment_intent: first.id });
    const dropped = await intent(1000);
    await stack.stripe.invoices.attachPayment(invoice.id, { payment_intent: dropped.id });
    await stack.stripe.paymentIntents.cancel(dropped.id);
    const second = await intent(6000);
    await stack.stripe.invoices.attachPayment(invoice.id, { payment_intent: second.id });
    await expect(
      stack.stripe.paymentIntents.confirm(second.id, { payment_method: 'pm_card_chargeDeclined' }),
    ).rejects.toMatchObject({ code: 'card_declined' });
    const pending = await stack.stripe.paymentIntents.confirm(second.id, {
      payment_method: 'pm_card_authenticationRequired',
    });
    const url = pending.next_action?.redirect_to_url?.url as string;
    await fetch(url, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: new URL(url).origin },
      body: 'action=complete',
    });
    expect(await stack.stripe.invoices.retrieve(invoice.id)).toMatchObject({
      status: 'paid',
      amount_paid: 10_000,
    });
    return invoice.id;
  }

  it('replays an invoice paid in parts made now, each PaymentIntent step an update', async () => {
    const handle = stack.temporal.workflow.getHandle(invoiceWorkflowId(await partialPayments()));
    const history = await handle.fetchHistory();
    const updates = (history.events ?? []).flatMap((event) => {
      const name = event.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input?.name;
      return name ? [name] : [];
    });
    expect(updates).toEqual(
      expect.arrayContaining([
        'attachPayment',
        'cancelPaymentIntent',
        'confirmPaymentIntent',
        'completePaymentAction',
      ]),
    );
    if (process.env.RECORD_HISTORY) {
      fs.writeFileSync(
        path.join(FIXTURES, 'invoice-partial-payments.json'),
        JSON.stringify({ workflowId: handle.workflowId, history }),
      );
    }
    await expect(replay(handle.workflowId, history)).resolves.toBeUndefined();
  });

  it('replays invoice-partial-payments, recorded when PaymentIntent steps became updates', async () => {
    const recorded = JSON.parse(
      fs.readFileSync(path.join(FIXTURES, 'invoice-partial-payments.json'), 'utf8'),
    );
    const history = temporal.api.history.v1.History.fromObject(recorded.history);
    await expect(replay(recorded.workflowId, history)).resolves.toBeUndefined();
  });

  it('replays a test clock advance made now, whose mark is a local activity', async () => {
    const start = 1_893_456_000;
    const clock = await stack.stripe.testHelpers.testClocks.create({ frozen_time: start });
    const customer = await stack.stripe.customers.create({ test_clock: clock.id });
    await stack.stripe.invoices.create({ customer: customer.id });
    await advanceClock(stack.stripe, clock, start + 3_600);

    const handle = stack.temporal.workflow.getHandle(testClockWorkflowId(clock.id));
    const history = await handle.fetchHistory();
    const scheduled = (history.events ?? []).flatMap((event) => {
      const name = event.activityTaskScheduledEventAttributes?.activityType?.name;
      return name ? [name] : [];
    });
    // The mark is a marker in the task that took the update; only the advance's long halves and
    // the final mark are activity tasks.
    expect(scheduled).toEqual(['wakeTestClockWorkflows', 'awaitTestClockCatchUp', 'markTestClockReady']);
    expect(eventTypes(history)).toContain('EVENT_TYPE_MARKER_RECORDED');
    await expect(replay(handle.workflowId, history)).resolves.toBeUndefined();
  });

  it('replays a workflow whose create was refused now, which ended', async () => {
    const customer = await stack.stripe.customers.create({});
    await expect(
      stack.stripe.invoices.create({
        customer: customer.id,
        automatically_finalizes_at: Math.floor(Date.now() / 1000) - 60,
      }),
    ).rejects.toMatchObject({ param: 'automatically_finalizes_at' });
    const [execution] = await waitFor(async () => {
      const found = [];
      for await (const one of stack.temporal.workflow.list({ query: `CustomerId = "${customer.id}"` }))
        found.push(one);
      return found.length > 0 && found;
    });
    const handle = stack.temporal.workflow.getHandle(execution.workflowId, execution.runId);
    await handle.result();
    const history = await handle.fetchHistory();
    const types = eventTypes(history);
    // Ended in its first workflow task: no patch marker, no search attribute written.
    expect(types).toEqual([
      'EVENT_TYPE_WORKFLOW_EXECUTION_STARTED',
      'EVENT_TYPE_WORKFLOW_TASK_SCHEDULED',
      'EVENT_TYPE_WORKFLOW_TASK_STARTED',
      'EVENT_TYPE_WORKFLOW_TASK_COMPLETED',
      'EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED',
    ]);
    await expect(replay(handle.workflowId, history)).resolves.toBeUndefined();
  });
});
