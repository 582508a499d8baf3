// Events nothing can want are written settled (db/repositories/events.ts): no dispatcher pass,
// no UPDATE, no delivery workflow. The stack runs no dispatcher, so what a row holds is what its
// insert wrote.
import type Stripe from 'stripe';
import { startPendingDeliveries } from '../../activities/event-dispatch';
import { newId } from '../../db/random-ids';
import { settledAtForAccount, type EventRow } from '../../db/repositories/events';
import { insertEventRows } from '../../db/repositories/invoices';
import { eventDeliveryRows, hasDeliveryWorkflow as hasDelivery } from '../support/event-delivery';
import { startStack, type Stack } from '../support/stack';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ eventDispatcher: false });
});
afterAll(async () => {
  await stack?.stop();
});

const eventsOf = (accountId: string) => eventDeliveryRows(stack.db, accountId);
const hasDeliveryWorkflow = (eventId: string) => hasDelivery(stack.temporal, eventId);

const seconds = () => Math.floor(Date.now() / 1000);

// An API-only write (a pending item, one statement with its event), and a workflow's (an
// invoice created, finalized and sent).
async function writeSome(stripe: Stripe): Promise<void> {
  const customer = await stripe.customers.create({ email: 'billing@example.test' });
  await stripe.invoiceItems.create({ customer: customer.id, amount: 700, currency: 'usd' });
  const invoice = await stripe.invoices.create({
    customer: customer.id,
    collection_method: 'send_invoice',
    days_until_due: 30,
  });
  await stripe.invoiceItems.create({ customer: customer.id, invoice: invoice.id, amount: 500 });
  await stripe.invoices.finalizeInvoice(invoice.id, { auto_advance: false });
  await stripe.invoices.sendInvoice(invoice.id);
}

test('an account without endpoints gets its events settled as written, all but invoice.sent', async () => {
  const quiet = await stack.newAccount();
  const before = seconds();
  await writeSome(quiet.stripe);
  const after = seconds();
  const events = await eventsOf(quiet.accountId);
  expect(events.map((event) => event.type)).toEqual(
    expect.arrayContaining(['invoiceitem.created', 'invoice.created', 'invoice.finalized', 'invoice.sent']),
  );
  for (const event of events) {
    if (event.type === 'invoice.sent') {
      // Its delivery emails the invoice: it waits for the dispatcher whatever the endpoints.
      expect(event.delivery_started_at).toBeNull();
      expect(event.webhooks_delivered_at).toBeNull();
      continue;
    }
    expect(event.delivery_started_at).toBeGreaterThanOrEqual(before);
    expect(event.delivery_started_at).toBeLessThanOrEqual(after);
    expect(event.webhooks_delivered_at).toBe(event.delivery_started_at);
  }
  const retrieved = await quiet.stripe.events.retrieve(events[0].id);
  expect(retrieved.pending_webhooks).toBe(0);

  // A pass takes invoice.sent alone, and starts its workflow; the settled ones get none.
  expect(await startPendingDeliveries(stack.db, stack.temporal, stack.config.taskQueue, 1000)).toBe(1);
  for (const event of events) {
    expect(await hasDeliveryWorkflow(event.id)).toBe(event.type === 'invoice.sent');
  }
});

test('an enabled endpoint leaves every event to the dispatcher; a disabled one counts as none', async () => {
  const listening = await stack.newAccount();
  // Wanting none of these types: the dispatcher's matching settles them, not the insert.
  await listening.stripe.webhookEndpoints.create({
    url: 'http://127.0.0.1:9/none',
    enabled_events: ['invoice.paid'],
  });
  const disabled = await stack.newAccount();
  const endpoint = await disabled.stripe.webhookEndpoints.create({
    url: 'http://127.0.0.1:9/off',
    enabled_events: ['*'],
  });
  await disabled.stripe.webhookEndpoints.update(endpoint.id, { disabled: true });
  await writeSome(listening.stripe);
  await writeSome(disabled.stripe);
  const heard = await eventsOf(listening.accountId);
  expect(heard.length).toBeGreaterThanOrEqual(4);
  for (const event of heard)
    expect([event.delivery_started_at, event.webhooks_delivered_at]).toEqual([null, null]);
  for (const event of await eventsOf(disabled.accountId)) {
    expect(event.delivery_started_at === null).toBe(event.type === 'invoice.sent');
  }
});

test('a bulk write asks once, and settles its rows by that answer', async () => {
  const quiet = await stack.newAccount();
  const listening = await stack.newAccount();
  await listening.stripe.webhookEndpoints.create({ url: 'http://127.0.0.1:9/all', enabled_events: ['*'] });
  expect(await settledAtForAccount(stack.db, quiet.accountId, 1234)).toBe(1234);
  expect(await settledAtForAccount(stack.db, listening.accountId, 1234)).toBeNull();

  const rows = (accountId: string, types: string[]): EventRow[] =>
    types.map((type) => ({
      id: newId('evt'),
      account_id: accountId,
      type,
      created: 1,
      object_id: 'in_bulk',
      body: '{}',
      dedupe_key: null,
    }));
  const settledAt = await settledAtForAccount(stack.db, quiet.accountId, 1234);
  const written = await insertEventRows(
    stack.db,
    rows(quiet.accountId, ['invoice.will_be_due', 'invoice.sent']),
    {
      prepared: false,
      settling: { settledAt },
    },
  );
  expect(written).toBe(2);
  expect((await eventsOf(quiet.accountId)).map((event) => [event.type, event.delivery_started_at])).toEqual([
    ['invoice.will_be_due', 1234],
    ['invoice.sent', null],
  ]);
  await insertEventRows(stack.db, rows(listening.accountId, ['invoice.overdue']), {
    prepared: false,
    settling: { settledAt: await settledAtForAccount(stack.db, listening.accountId, 1234) },
  });
  const [overdue] = (await eventsOf(listening.accountId)).filter((event) => event.type === 'invoice.overdue');
  expect(overdue.delivery_started_at).toBeNull();
});
