// One pass of the outbox dispatcher, run by the test (the stack has no dispatcher of its own):
// pending events of accounts without an enabled endpoint are taken and settled in one statement,
// with no delivery workflow; events an endpoint wants, and invoice.sent, still get their workflow.
import type Stripe from 'stripe';
import { startPendingDeliveries } from '../../activities/event-dispatch';
import { connectDatabase, type Database } from '../../db/connection';
import { eventDeliveryRows, hasDeliveryWorkflow as hasDelivery } from '../support/event-delivery';
import { startStack, type Stack } from '../support/stack';
import { waitFor } from '../support/wait-for';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver';

let stack: Stack;
let receiver: WebhookReceiver;
let db: Database;
let statements = 0;

beforeAll(async () => {
  stack = await startStack({ eventDispatcher: false });
  receiver = await startWebhookReceiver();
  db = connectDatabase(stack.databaseUrl);
  db.on('query', () => statements++);
});

afterAll(async () => {
  await db?.destroy();
  await receiver?.close();
  await stack?.stop();
});

const eventsOf = (accountId: string) => eventDeliveryRows(stack.db, accountId);
const hasDeliveryWorkflow = (eventId: string) => hasDelivery(stack.temporal, eventId);

// One invoiceitem.created event each, after their customer's customer.created.
async function pendingItems(stripe: Stripe, count: number): Promise<void> {
  const customer = await stripe.customers.create({});
  for (let i = 0; i < count; i++) {
    await stripe.invoiceItems.create({ customer: customer.id, amount: 100 + i, currency: 'usd' });
  }
}

function pass(limit = 100): Promise<number> {
  return startPendingDeliveries(db, stack.temporal, stack.config.taskQueue, limit);
}

// Every pending event, pass after pass, as the dispatcher loop does.
async function drain(): Promise<number> {
  let taken = 0;
  for (let last = await pass(); last > 0; last = await pass()) taken += last;
  return taken;
}

// Events written while the account had an endpoint, which is then disabled: nothing wants them
// any more, and the pass settles them in its one statement. (Events of an account with no
// endpoint at the time are written settled and never reach a pass: event-settling.test.ts.)
test('events an account’s endpoint no longer wants are taken and settled in one statement, no workflow', async () => {
  const account = await stack.newAccount();
  const endpoint = await account.stripe.webhookEndpoints.create({
    url: receiver.url('/turned-off'),
    enabled_events: ['*'],
  });
  await drain();
  await pendingItems(account.stripe, 3);
  await account.stripe.webhookEndpoints.update(endpoint.id, { disabled: true });
  const before = statements;
  expect(await pass()).toBe(4); // customer.created and three invoiceitem.created
  expect(statements - before).toBe(1);
  const events = (await eventsOf(account.accountId)).filter((event) => event.type === 'invoiceitem.created');
  expect(events).toHaveLength(3);
  for (const event of events) {
    expect(event.delivery_started_at).not.toBeNull();
    expect(event.webhooks_delivered_at).toBe(event.delivery_started_at);
    expect(await hasDeliveryWorkflow(event.id)).toBe(false);
  }
  const retrieved = await account.stripe.events.retrieve(events[0].id);
  expect(retrieved.pending_webhooks).toBe(0);
  expect(await pass()).toBe(0); // nothing left, nothing taken twice
  expect(receiver.received('/turned-off')).toHaveLength(0);
});

test('a batch mixing accounts: the endpoint gets its events, the others settle, invoice.sent keeps its workflow', async () => {
  const quiet = await stack.newAccount();
  const listening = await stack.newAccount();
  await listening.stripe.webhookEndpoints.create({
    url: receiver.url('/listening'),
    enabled_events: ['invoiceitem.created'],
  });
  await drain();

  const listeningCustomer = await listening.stripe.customers.create({});
  const heard = await listening.stripe.invoiceItems.create({
    customer: listeningCustomer.id,
    amount: 700,
    currency: 'usd',
  });
  // invoice.created: an event the endpoint does not want.
  await listening.stripe.invoices.create({ customer: listeningCustomer.id });
  await pendingItems(quiet.stripe, 1);
  const customer = await quiet.stripe.customers.create({ email: 'billing@example.test' });
  const invoice = await quiet.stripe.invoices.create({
    customer: customer.id,
    collection_method: 'send_invoice',
    days_until_due: 30,
  });
  await quiet.stripe.invoiceItems.create({ customer: customer.id, invoice: invoice.id, amount: 500 });
  await quiet.stripe.invoices.finalizeInvoice(invoice.id, { auto_advance: false });
  await quiet.stripe.invoices.sendInvoice(invoice.id);

  // The listening account's three events (customer.created, invoiceitem.created,
  // invoice.created), and the quiet one's invoice.sent: the quiet account's other events were
  // written settled. Of the listening account's, only the invoice item's has a delivery.
  expect(await drain()).toBe(4);

  const quietEvents = await eventsOf(quiet.accountId);
  expect(quietEvents.filter((event) => event.type === 'invoice.sent')).toHaveLength(1);
  for (const event of quietEvents) {
    expect(event.delivery_started_at).not.toBeNull();
    expect(await hasDeliveryWorkflow(event.id)).toBe(event.type === 'invoice.sent');
  }
  const listeningEvents = await eventsOf(listening.accountId);
  const wanted = listeningEvents.find((event) => event.type === 'invoiceitem.created');
  const unwanted = listeningEvents.find((event) => event.type === 'invoice.created');
  expect(wanted && (await hasDeliveryWorkflow(wanted.id))).toBe(true);
  // The endpoint does not want invoice.created: settled in the same transaction, as before.
  expect(unwanted?.webhooks_delivered_at).not.toBeNull();
  expect(unwanted && (await hasDeliveryWorkflow(unwanted.id))).toBe(false);

  const delivered = await waitFor(
    () => receiver.received('/listening').length > 0 && receiver.received('/listening'),
  );
  const body = JSON.parse(delivered[0].body) as Stripe.Event;
  expect(body.type).toBe('invoiceitem.created');
  expect((body.data.object as Stripe.InvoiceItem).id).toBe(heard.id);
});

test('a pass takes at most its limit, oldest first, and the next pass the rest', async () => {
  // An endpoint that wants none of these events: they are written pending, and settled by passes.
  const account = await stack.newAccount();
  await account.stripe.webhookEndpoints.create({
    url: receiver.url('/other'),
    enabled_events: ['invoice.paid'],
  });
  await drain();
  await pendingItems(account.stripe, 5); // customer.created, then five invoiceitem.created
  expect(await pass(2)).toBe(2);
  const afterFirst = await eventsOf(account.accountId);
  expect(afterFirst.map((event) => event.delivery_started_at !== null)).toEqual([
    true,
    true,
    false,
    false,
    false,
    false,
  ]);
  expect(await pass(10)).toBe(4);
  expect((await eventsOf(account.accountId)).every((event) => event.delivery_started_at !== null)).toBe(true);
});
