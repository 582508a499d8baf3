// Reminders written in bulk by a test clock advance (activities/clock-reminders.ts): the pass
// reads its clock's open invoices and writes every reminder due by the new time, from the
// settings each workflow stored; the workflows, woken afterwards, record the same reminders in
// their state and their copies of the events are dropped, so each reminder is stored once.
import type Stripe from 'stripe';
import { writeDueReminders } from '../../activities/clock-reminders';
import { startStack, type Stack } from '../support/stack';
import { advanceClock } from '../support/test-clock';

jest.setTimeout(120_000);

const DAY = 86_400;
const START = 1_893_456_000; // 2030-01-01T00:00:00Z
const DAYS_UNTIL_DUE = 30;
const WILL_BE_DUE_DAYS = 3; // the account's, not the default 7
const OVERDUE_DAYS = 2;
const REMINDERS = ['invoice.will_be_due', 'invoice.overdue'];

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.stop();
});

interface EventRow {
  id: string;
  object_id: string;
  type: string;
  created: string;
  body: Stripe.Event;
}

describe('reminders of a test clock advance', () => {
  let account: { stripe: Stripe; accountId: string };
  let clock: Stripe.TestHelpers.TestClock;
  let open: Stripe.Invoice[];
  let paid: Stripe.Invoice;
  let draft: Stripe.Invoice;
  let withoutSettings: Stripe.Invoice;
  const target = START + (DAYS_UNTIL_DUE + OVERDUE_DAYS + 1) * DAY;
  const reminderRows = async () =>
    (await stack
      .db('events')
      .where({ account_id: account.accountId })
      .whereIn('type', REMINDERS)
      .orderBy('seq')
      .select('id', 'object_id', 'type', 'created', 'body')) as EventRow[];

  beforeAll(async () => {
    account = await stack.newAccount();
    await account.stripe.rawRequest('POST', '/v1/extensions/collection_settings', {
      will_be_due_days: WILL_BE_DUE_DAYS,
      overdue_days: OVERDUE_DAYS,
    });
    clock = await account.stripe.testHelpers.testClocks.create({ frozen_time: START });
    const sendInvoice = async (finalize: boolean) => {
      const customer = await account.stripe.customers.create({ test_clock: clock.id });
      const made = await account.stripe.invoices.create({
        customer: customer.id,
        collection_method: 'send_invoice',
        days_until_due: DAYS_UNTIL_DUE,
        auto_advance: false,
      });
      await account.stripe.invoices.addLines(made.id, { lines: [{ amount: 1_500 }] });
      return finalize ? account.stripe.invoices.finalizeInvoice(made.id) : made;
    };
    open = [await sendInvoice(true), await sendInvoice(true), await sendInvoice(true)];
    paid = await account.stripe.invoices.pay((await sendInvoice(true)).id, { paid_out_of_band: true });
    draft = await sendInvoice(false);
    // As a row written before the settings were stored: left to its workflow.
    withoutSettings = await sendInvoice(true);
    await stack.db('invoices').where({ id: withoutSettings.id }).update({ collection_settings: null });
  });

  it("stores the settings each invoice's workflow runs with", async () => {
    const row = (await stack.db('invoices').where({ id: open[0].id }).first('collection_settings')) as {
      collection_settings: Record<string, unknown>;
    };
    expect(row.collection_settings).toMatchObject({
      willBeDueDays: WILL_BE_DUE_DAYS,
      overdueDays: OVERDUE_DAYS,
    });
  });

  it("writes the open invoices' reminders at their deadlines, once, without their workflows", async () => {
    const clockRow = { clockId: clock.id, frozenTime: target };
    const publicUrl = stack.customerFacing.publicUrl;
    // Pages of two invoices: the open ones span two pages, written one after the other.
    const progress: number[] = [];
    expect(await writeDueReminders(stack.db, clockRow, publicUrl, (n) => progress.push(n), 2)).toBe(
      2 * open.length,
    );
    expect(progress).toEqual([4, 6]);
    expect(await writeDueReminders(stack.db, clockRow, publicUrl, () => {})).toBe(0); // a retry

    const rows = await reminderRows();
    expect(rows.map((row) => [row.object_id, row.type, Number(row.created)]).sort()).toEqual(
      open
        .flatMap((invoice) => [
          [invoice.id, 'invoice.will_be_due', (invoice.due_date as number) - WILL_BE_DUE_DAYS * DAY],
          [invoice.id, 'invoice.overdue', (invoice.due_date as number) + OVERDUE_DAYS * DAY],
        ])
        .sort(),
    );
    // The event carries the invoice as its API shows it, hosted page included.
    const first = rows.find((row) => row.object_id === open[0].id)!;
    const retrieved = await account.stripe.invoices.retrieve(open[0].id);
    expect(first.body).toMatchObject({
      id: first.id,
      object: 'event',
      type: 'invoice.will_be_due',
      created: Number(first.created),
      request: { id: null, idempotency_key: null },
      data: { object: JSON.parse(JSON.stringify(retrieved)) as unknown },
    });
    // Nothing else moved: the workflows have not been woken and hold no reminder yet.
    const states = (await stack
      .db('invoices')
      .whereIn(
        'id',
        open.map((i) => i.id),
      )
      .select('state')) as Array<{
      state: { remindersSent?: unknown };
    }>;
    for (const { state } of states) expect(state.remindersSent ?? null).toBeNull();
  });

  it('leaves each reminder stored once when the workflows catch up, and they record them', async () => {
    const before = await reminderRows();
    await advanceClock(account.stripe, clock, target, 60_000);
    const after = await reminderRows();
    // The bulk pass's events stand; the workflow without stored settings wrote its own.
    expect(after.slice(0, before.length).map((row) => row.id)).toEqual(before.map((row) => row.id));
    expect(after.slice(before.length).map((row) => [row.object_id, row.type])).toEqual([
      [withoutSettings.id, 'invoice.will_be_due'],
      [withoutSettings.id, 'invoice.overdue'],
    ]);
    for (const invoice of [...open, withoutSettings]) {
      const row = (await stack.db('invoices').where({ id: invoice.id }).first('state')) as {
        state: { remindersSent: unknown };
      };
      expect(row.state.remindersSent).toEqual({ willBeDue: invoice.due_date, overdue: invoice.due_date });
    }
    expect(after.filter((row) => [paid.id, draft.id].includes(row.object_id))).toEqual([]);
  });
});
