// Accounts are kept apart: with another account's key every object of the first is as if it did
// not exist (404 on retrieve, update, delete and every action), lists and searches never show
// it, nothing of the first account can be used in the second's requests, and each account's
// webhook endpoints receive only that account's events.
import type Stripe from 'stripe';
import { startStack, type Stack } from '../support/stack';
import { stripeError } from '../support/stripe-helpers';
import { waitFor } from '../support/wait-for';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver';

interface Account {
  stripe: Stripe;
  secretKey: string;
  accountId: string;
}

let stack: Stack;
let receiver: WebhookReceiver;
let a: Account; // owns the objects
let b: Account; // tries to reach them
let objects: {
  customer: Stripe.Customer;
  txn: Stripe.CustomerBalanceTransaction;
  draft: Stripe.Invoice;
  open: Stripe.Invoice;
  item: Stripe.InvoiceItem;
  intent: Stripe.PaymentIntent;
  endpoint: Stripe.WebhookEndpoint;
  clock: Stripe.TestHelpers.TestClock;
  event: Stripe.Event;
};

beforeAll(async () => {
  stack = await startStack();
  receiver = await startWebhookReceiver();
  a = stack;
  b = await stack.newAccount();
  const { stripe } = a;
  const customer = await stripe.customers.create({ email: 'owner@a.example', name: 'Owner A' });
  const txn = await stripe.customers.createBalanceTransaction(customer.id, { amount: -100, currency: 'usd' });
  const draft = await stripe.invoices.create({ customer: customer.id, metadata: { owner: 'a' } });
  await stripe.invoices.addLines(draft.id, { lines: [{ amount: 1000, description: 'A line' }] });
  const open = await stripe.invoices.create({
    customer: customer.id,
    collection_method: 'send_invoice',
    days_until_due: 30,
  });
  await stripe.invoices.addLines(open.id, { lines: [{ amount: 2000 }] });
  await stripe.invoices.finalizeInvoice(open.id, { auto_advance: false });
  const item = await stripe.invoiceItems.create({ customer: customer.id, amount: 300, currency: 'usd' });
  const intent = await stripe.paymentIntents.create({
    amount: 500,
    currency: 'usd',
    confirm: true,
    payment_method: 'pm_card_visa',
  });
  const endpoint = await stripe.webhookEndpoints.create({
    url: receiver.url('/a'),
    enabled_events: ['*'],
  });
  const clock = await stripe.testHelpers.testClocks.create({ frozen_time: 1_893_456_000 });
  const [event] = (await stripe.events.list({ limit: 1 })).data;
  objects = {
    customer,
    txn,
    draft: await stripe.invoices.retrieve(draft.id),
    open,
    item,
    intent,
    endpoint,
    clock,
    event,
  };
});
afterAll(async () => {
  await stack?.stop();
  await receiver?.close();
});

async function expect404(request: Promise<unknown>): Promise<void> {
  const error = await stripeError(request);
  expect({ status: error.statusCode, type: error.type }).toEqual({
    status: 404,
    type: 'StripeInvalidRequestError',
  });
}

const idsOf = (list: { data: Array<{ id?: string }> }) => list.data.map((object) => object.id);

describe("another account's key", () => {
  it('customers: 404 on retrieve, update, delete; never listed or found', async () => {
    const { customer } = objects;
    await expect404(b.stripe.customers.retrieve(customer.id));
    await expect404(b.stripe.customers.update(customer.id, { name: 'stolen' }));
    await expect404(b.stripe.customers.del(customer.id));
    expect(idsOf(await b.stripe.customers.list({ limit: 100 }))).not.toContain(customer.id);
    expect(idsOf(await b.stripe.customers.list({ email: customer.email! }))).toEqual([]);
    expect(idsOf(await b.stripe.customers.search({ query: `email:"${customer.email}"` }))).toEqual([]);
    expect(await a.stripe.customers.retrieve(customer.id)).toMatchObject({ name: 'Owner A' });
  });

  it('balance transactions: 404 on create, retrieve, update and list', async () => {
    const { customer, txn } = objects;
    await expect404(
      b.stripe.customers.createBalanceTransaction(customer.id, { amount: -1, currency: 'usd' }),
    );
    await expect404(b.stripe.customers.retrieveBalanceTransaction(customer.id, txn.id));
    await expect404(b.stripe.customers.updateBalanceTransaction(customer.id, txn.id, { description: 'x' }));
    await expect404(b.stripe.customers.listBalanceTransactions(customer.id));
    // Nor through a customer of its own.
    const own = await b.stripe.customers.create({});
    await expect404(b.stripe.customers.retrieveBalanceTransaction(own.id, txn.id));
    expect(idsOf(await b.stripe.customers.listBalanceTransactions(own.id))).toEqual([]);
  });

  it('invoices: 404 on retrieve, update, delete and every action', async () => {
    const { draft, open } = objects;
    const lineId = draft.lines.data[0].id;
    await expect404(b.stripe.invoices.retrieve(draft.id));
    await expect404(b.stripe.invoices.update(draft.id, { description: 'stolen' }));
    await expect404(b.stripe.invoices.del(draft.id));
    await expect404(b.stripe.invoices.finalizeInvoice(draft.id));
    await expect404(b.stripe.invoices.addLines(draft.id, { lines: [{ amount: 1 }] }));
    await expect404(b.stripe.invoices.updateLines(draft.id, { lines: [{ id: lineId, amount: 1 }] }));
    await expect404(b.stripe.invoices.removeLines(draft.id, { lines: [{ id: lineId, behavior: 'delete' }] }));
    await expect404(b.stripe.invoices.listLineItems(draft.id));
    await expect404(b.stripe.invoices.pay(open.id, { paid_out_of_band: true }));
    await expect404(b.stripe.invoices.sendInvoice(open.id));
    await expect404(b.stripe.invoices.voidInvoice(open.id));
    await expect404(b.stripe.invoices.markUncollectible(open.id));
    await expect404(b.stripe.invoices.attachPayment(open.id, { payment_intent: objects.intent.id }));
    expect(await a.stripe.invoices.retrieve(draft.id)).toMatchObject({ status: 'draft', total: 1000 });
    expect(await a.stripe.invoices.retrieve(open.id)).toMatchObject({ status: 'open', amount_paid: 0 });
  });

  it('invoices: never listed or found by search', async () => {
    const { customer, draft, open } = objects;
    const mine = [draft.id, open.id];
    const listed = idsOf(await b.stripe.invoices.list({ limit: 100 }));
    expect(listed.filter((id) => mine.includes(id!))).toEqual([]);
    expect(idsOf(await b.stripe.invoices.list({ customer: customer.id }))).toEqual([]);
    expect(idsOf(await b.stripe.invoices.search({ query: `customer:"${customer.id}"` }))).toEqual([]);
    expect(idsOf(await b.stripe.invoices.search({ query: 'metadata["owner"]:"a"' }))).toEqual([]);
    expect(idsOf(await b.stripe.invoices.search({ query: 'status:"open" OR status:"draft"' }))).toEqual([]);
    // The owner finds them with the same queries.
    expect(idsOf(await a.stripe.invoices.search({ query: `customer:"${customer.id}"` })).sort()).toEqual(
      [...mine].sort(),
    );
  });

  it("cannot use the account's customers, clocks or payment intents in its own requests", async () => {
    const { customer, clock, intent } = objects;
    const invoice = await stripeError(b.stripe.invoices.create({ customer: customer.id }));
    expect({ status: invoice.statusCode, code: invoice.code }).toEqual({
      status: 404,
      code: 'resource_missing',
    });
    const item = await stripeError(
      b.stripe.invoiceItems.create({ customer: customer.id, amount: 1, currency: 'usd' }),
    );
    expect({ status: item.statusCode, code: item.code }).toEqual({ status: 404, code: 'resource_missing' });
    const onClock = await stripeError(b.stripe.customers.create({ test_clock: clock.id }));
    expect(onClock.code).toBe('resource_missing');
    const own = await b.stripe.customers.create({});
    const ownDraft = await b.stripe.invoices.create({ customer: own.id });
    await b.stripe.invoices.addLines(ownDraft.id, { lines: [{ amount: 500 }] });
    await b.stripe.invoices.finalizeInvoice(ownDraft.id, { auto_advance: false });
    const attach = await stripeError(
      b.stripe.invoices.attachPayment(ownDraft.id, { payment_intent: intent.id }),
    );
    expect(attach.code).toBe('resource_missing');
    expect(await b.stripe.invoices.retrieve(ownDraft.id)).toMatchObject({ status: 'open', amount_paid: 0 });
  });

  it('invoice items: 404 on retrieve, update, delete; never listed', async () => {
    const { item } = objects;
    await expect404(b.stripe.invoiceItems.retrieve(item.id));
    await expect404(b.stripe.invoiceItems.update(item.id, { amount: 1 }));
    await expect404(b.stripe.invoiceItems.del(item.id));
    expect(idsOf(await b.stripe.invoiceItems.list({ limit: 100 }))).not.toContain(item.id);
    expect(idsOf(await b.stripe.invoiceItems.list({ customer: objects.customer.id }))).toEqual([]);
  });

  it('payment intents: 404 on retrieve', async () => {
    await expect404(b.stripe.paymentIntents.retrieve(objects.intent.id));
  });

  it('events: 404 on retrieve; never listed', async () => {
    await expect404(b.stripe.events.retrieve(objects.event.id));
    const listed = await b.stripe.events.list({ limit: 100 });
    const ownerIds = new Set(idsOf(await a.stripe.events.list({ limit: 100 })));
    expect(idsOf(listed).filter((id) => ownerIds.has(id!))).toEqual([]);
  });

  it('webhook endpoints: 404 on retrieve, update, delete; never listed', async () => {
    const { endpoint } = objects;
    await expect404(b.stripe.webhookEndpoints.retrieve(endpoint.id));
    await expect404(b.stripe.webhookEndpoints.update(endpoint.id, { url: 'http://127.0.0.1:9/stolen' }));
    await expect404(b.stripe.webhookEndpoints.del(endpoint.id));
    expect(idsOf(await b.stripe.webhookEndpoints.list({ limit: 100 }))).not.toContain(endpoint.id);
    expect((await a.stripe.webhookEndpoints.retrieve(endpoint.id)).url).toBe(receiver.url('/a'));
  });

  it('test clocks: 404 on retrieve, advance, delete; never listed', async () => {
    const { clock } = objects;
    await expect404(b.stripe.testHelpers.testClocks.retrieve(clock.id));
    await expect404(b.stripe.testHelpers.testClocks.advance(clock.id, { frozen_time: 1_893_460_000 }));
    await expect404(b.stripe.testHelpers.testClocks.del(clock.id));
    expect(idsOf(await b.stripe.testHelpers.testClocks.list({ limit: 100 }))).not.toContain(clock.id);
    expect(await a.stripe.testHelpers.testClocks.retrieve(clock.id)).toMatchObject({
      status: 'ready',
      frozen_time: 1_893_456_000,
    });
  });

  it('collection settings: each account reads and writes its own', async () => {
    await a.stripe.rawRequest('POST', '/v1/extensions/collection_settings', { finalization_delay: 7 });
    await b.stripe.rawRequest('POST', '/v1/extensions/collection_settings', { finalization_delay: 9 });
    const read = async (account: Account) =>
      (await account.stripe.rawRequest('GET', '/v1/extensions/collection_settings', {})) as unknown as {
        finalization_delay: number;
      };
    expect((await read(a)).finalization_delay).toBe(7);
    expect((await read(b)).finalization_delay).toBe(9);
  });
});

describe('webhooks', () => {
  it("an account's endpoints receive only that account's events", async () => {
    await b.stripe.webhookEndpoints.create({ url: receiver.url('/b'), enabled_events: ['*'] });
    const aCustomer = await a.stripe.customers.create({ name: 'A again' });
    const aInvoice = await a.stripe.invoices.create({ customer: aCustomer.id });
    await a.stripe.invoices.addLines(aInvoice.id, { lines: [{ amount: 100 }] });
    await a.stripe.invoices.finalizeInvoice(aInvoice.id, { auto_advance: false });
    const bCustomer = await b.stripe.customers.create({ name: 'B' });
    const bInvoice = await b.stripe.invoices.create({ customer: bCustomer.id });
    await b.stripe.invoices.addLines(bInvoice.id, { lines: [{ amount: 100 }] });
    await b.stripe.invoices.finalizeInvoice(bInvoice.id, { auto_advance: false });
    const eventIds = async (account: Account, objectIds: string[]) =>
      (
        (await stack
          .db('events')
          .where({ account_id: account.accountId })
          .whereIn('object_id', objectIds)) as Array<{
          id: string;
        }>
      ).map((row) => row.id);
    const aEvents = await eventIds(a, [aCustomer.id, aInvoice.id]);
    const bEvents = await eventIds(b, [bCustomer.id, bInvoice.id]);
    expect(aEvents.length).toBeGreaterThanOrEqual(2);
    expect(bEvents.length).toBeGreaterThanOrEqual(2);
    const receivedIds = (path: string) =>
      new Set(receiver.received(path).map((request) => (JSON.parse(request.body) as { id: string }).id));
    // Both accounts' events have been delivered everywhere they were going...
    await waitFor(
      async () => {
        const pending = await stack
          .db('events')
          .whereIn('id', [...aEvents, ...bEvents])
          .whereNull('webhooks_delivered_at');
        return pending.length === 0;
      },
      30_000,
      'both accounts’ events to be delivered',
    );
    const atA = receivedIds('/a');
    const atB = receivedIds('/b');
    expect(aEvents.every((id) => atA.has(id))).toBe(true);
    expect(bEvents.every((id) => atB.has(id))).toBe(true);
    // ...and never to the other account's endpoint.
    expect(aEvents.filter((id) => atB.has(id))).toEqual([]);
    expect(bEvents.filter((id) => atA.has(id))).toEqual([]);
    const planned = (await stack
      .db('webhook_deliveries as d')
      .join('events as e', 'e.id', 'd.event_id')
      .join('webhook_endpoints as w', 'w.id', 'd.endpoint_id')
      .whereRaw('e.account_id <> w.account_id')
      .count({ n: '*' })) as Array<{ n: string }>;
    expect(Number(planned[0].n)).toBe(0);
  });
});

describe("another account's key, on the catalog and subscriptions", () => {
  let product: Stripe.Product;
  let price: Stripe.Price;
  let subscription: Stripe.Subscription;
  beforeAll(async () => {
    product = await a.stripe.products.create({ name: 'A product' });
    price = await a.stripe.prices.create({
      product: product.id,
      currency: 'usd',
      unit_amount: 1500,
      recurring: { interval: 'month' },
    });
    // On a test clock, so the subscription sets no real timers.
    const clock = await a.stripe.testHelpers.testClocks.create({ frozen_time: 1_893_456_000 });
    const customer = await a.stripe.customers.create({
      test_clock: clock.id,
      invoice_settings: { default_payment_method: 'pm_card_visa' },
    });
    subscription = await a.stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: price.id }],
    });
  });

  it('products: 404 on retrieve, update, delete; never listed', async () => {
    await expect404(b.stripe.products.retrieve(product.id));
    await expect404(b.stripe.products.update(product.id, { name: 'stolen' }));
    await expect404(b.stripe.products.del(product.id));
    expect(idsOf(await b.stripe.products.list({ limit: 100 }))).not.toContain(product.id);
    expect((await a.stripe.products.retrieve(product.id)).name).toBe('A product');
  });

  it("prices: 404 on retrieve, update; never listed; the product can't be priced", async () => {
    await expect404(b.stripe.prices.retrieve(price.id));
    await expect404(b.stripe.prices.update(price.id, { nickname: 'stolen' }));
    expect(idsOf(await b.stripe.prices.list({ limit: 100 }))).not.toContain(price.id);
    const priced = await stripeError(
      b.stripe.prices.create({ product: product.id, currency: 'usd', unit_amount: 1 }),
    );
    expect(priced.code).toBe('resource_missing');
  });

  it("subscriptions: 404 on retrieve, update, cancel; never listed; the price can't be used", async () => {
    await expect404(b.stripe.subscriptions.retrieve(subscription.id));
    await expect404(b.stripe.subscriptions.update(subscription.id, { metadata: { x: 'stolen' } }));
    await expect404(b.stripe.subscriptions.cancel(subscription.id));
    expect(idsOf(await b.stripe.subscriptions.list({ limit: 100 }))).not.toContain(subscription.id);
    const own = await b.stripe.customers.create({
      invoice_settings: { default_payment_method: 'pm_card_visa' },
    });
    const withForeignPrice = await stripeError(
      b.stripe.subscriptions.create({ customer: own.id, items: [{ price: price.id }] }),
    );
    expect(withForeignPrice.code).toBe('resource_missing');
    expect((await a.stripe.subscriptions.retrieve(subscription.id)).status).toBe(subscription.status);
  });
});
