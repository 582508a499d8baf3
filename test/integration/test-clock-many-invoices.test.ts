// One advance of a clock with over a hundred open invoices: each catches up and reports in
// Postgres, the clock counts the reports there, and its own history stays a handful of events
// whatever the number of invoices (no signal per invoice in or out of it).
import type Stripe from 'stripe';
import { invoiceWorkflowId, testClockWorkflowId } from '../../workflows/messages';
import { startStack, type Stack } from '../support/stack';
import { eventTypes, replayHistory as replay } from '../support/workflow-history';
import { advanceClock } from '../support/test-clock';

jest.setTimeout(600_000);

const DAY = 86_400;
const START = 1_893_456_000; // 2030-01-01T00:00:00Z
const INVOICES = 120; // enough to exercise the batching; the bench measures thousands
const CUSTOMERS = 10;
const DAYS_UNTIL_DUE = 30;
const WILL_BE_DUE_DAYS = 7; // the account's default reminder

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.stop();
});

async function inParallel(count: number, concurrency: number, fn: (i: number) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let i = next++; i < count; i = next++) await fn(i);
    }),
  );
}

describe('advancing a clock with many open invoices', () => {
  let account: { stripe: Stripe; accountId: string };
  let clock: Stripe.TestHelpers.TestClock;
  const invoices: Stripe.Invoice[] = [];

  beforeAll(async () => {
    account = await stack.newAccount();
    clock = await account.stripe.testHelpers.testClocks.create({ frozen_time: START });
    const customers: string[] = [];
    for (let i = 0; i < CUSTOMERS; i++) {
      customers.push(
        (await account.stripe.customers.create({ test_clock: clock.id, email: `c${i}@x.test` })).id,
      );
    }
    // One slot per customer: an invoice's lines must not interleave with another's on it.
    await inParallel(INVOICES, CUSTOMERS, async (i) => {
      const draft = await account.stripe.invoices.create({
        customer: customers[i % CUSTOMERS],
        collection_method: 'send_invoice',
        days_until_due: DAYS_UNTIL_DUE,
        auto_advance: false,
      });
      await account.stripe.invoices.addLines(draft.id, { lines: [{ amount: 2_500 + i }] });
      invoices.push(await account.stripe.invoices.finalizeInvoice(draft.id));
    });
  });

  it('wakes every invoice once, each reminder stamped at its deadline, and ends ready', async () => {
    expect(invoices).toHaveLength(INVOICES);
    const target = START + (DAYS_UNTIL_DUE - WILL_BE_DUE_DAYS + 1) * DAY;
    await advanceClock(account.stripe, clock, target, 300_000);
    expect(await account.stripe.testHelpers.testClocks.retrieve(clock.id)).toMatchObject({
      status: 'ready',
      frozen_time: target,
    });

    const rows = (await stack
      .db('events')
      .where({ account_id: account.accountId, type: 'invoice.will_be_due' })
      .select('object_id', 'created')) as Array<{ object_id: string; created: string }>;
    const byInvoice = new Map<string, number[]>();
    for (const row of rows)
      byInvoice.set(row.object_id, [...(byInvoice.get(row.object_id) ?? []), Number(row.created)]);
    for (const invoice of invoices) {
      expect({ id: invoice.id, created: byInvoice.get(invoice.id) }).toEqual({
        id: invoice.id,
        created: [(invoice.due_date as number) - WILL_BE_DUE_DAYS * DAY],
      });
    }
    expect(rows).toHaveLength(INVOICES);
    // The advance's bookkeeping is gone with it.
    expect(await stack.db('test_clock_advance_workflows').where({ clock_id: clock.id })).toEqual([]);
  });

  it("keeps the clock's history free of per-invoice signals, and both sides replay", async () => {
    const clockHandle = stack.temporal.workflow.getHandle(testClockWorkflowId(clock.id));
    const clockHistory = await clockHandle.fetchHistory();
    const clockEvents = eventTypes(clockHistory);
    expect(clockEvents).not.toContain('EVENT_TYPE_SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED');
    expect(clockEvents).not.toContain('EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED');
    expect(clockEvents).toContain('EVENT_TYPE_MARKER_RECORDED'); // the patch: the new path ran
    expect(clockEvents.length).toBeLessThan(60);
    await expect(replay(clockHandle.workflowId, clockHistory)).resolves.toBeUndefined();

    const invoiceHandle = stack.temporal.workflow.getHandle(invoiceWorkflowId(invoices[0].id));
    const invoiceHistory = await invoiceHandle.fetchHistory();
    // It reported through a local activity (a marker), not a signal to the clock.
    expect(eventTypes(invoiceHistory)).not.toContain(
      'EVENT_TYPE_SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED',
    );
    await expect(replay(invoiceHandle.workflowId, invoiceHistory)).resolves.toBeUndefined();
  });
});
