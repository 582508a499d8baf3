// The production topology (scripts/cluster-stack.ts: the real Temporal server on Postgres, two
// worker processes, two API processes behind one port) driven by the official stripe client,
// then broken on purpose: a worker SIGKILLed under load, the Temporal server SIGKILLed with open
// invoices and pending timers, an API process SIGKILLed with requests in flight. Afterwards the
// books of the whole database are checked. One cluster for the file; the tests run in order.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Stripe from 'stripe';
import { startCluster, type Cluster } from '../../scripts/cluster-stack';
import { advanceClock } from '../support/test-clock';
import { waitFor } from '../support/wait-for';
import { startWebhookReceiver } from '../support/webhook-receiver';
import { checkBooks, madePerRequest } from './books';

jest.setTimeout(300_000);

const SECRET_KEY = 'sk_test_cluster_suite_0123456789';
const DAY = 86_400;
const JAN_1 = 1_893_456_000; // 2030-01-01T00:00:00Z
const FEB_1 = JAN_1 + 31 * DAY;

let dir: string;
let cluster: Cluster;
let stripe: Stripe;
const started = Date.now();
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;

function client(maxNetworkRetries: number): Stripe {
  const url = new URL(cluster.url);
  return new Stripe(SECRET_KEY, {
    host: url.hostname,
    port: Number(url.port),
    protocol: 'http',
    maxNetworkRetries,
    timeout: 60_000,
  });
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'invoicing-cluster-'));
  const env = { WEBHOOK_URL_POLICY: 'permissive', RATE_LIMIT_PER_SECOND: '0', LOG_LEVEL: 'warn' };
  cluster = await startCluster({
    dataDir: dir,
    databaseUrl: process.env.TEST_CLUSTER_DATABASE_URL,
    secretKey: SECRET_KEY,
    port: 0,
    workerEnv: { ...env, WEBHOOK_RETRY_INITIAL_SECONDS: '1', WEBHOOK_RETRY_MAX_SECONDS: '2' },
    apiEnv: env,
    log: () => undefined,
  });
  console.log(`cluster up after ${elapsed()}: ${cluster.url}, Temporal ${cluster.temporalAddress}`);
  stripe = client(10);
});

afterAll(async () => {
  await cluster?.stop();
  if (process.env.CLUSTER_KEEP === '1') console.log(`kept ${dir}`);
  else fs.rmSync(dir, { recursive: true, force: true });
});

// `tasks` run `concurrency` at a time; `onDone(n)` after the n-th one ends.
async function runAll<T>(
  count: number,
  concurrency: number,
  task: (i: number) => Promise<T>,
  onDone: (done: number) => Promise<void> | void = () => undefined,
): Promise<T[]> {
  const results: T[] = new Array<T>(count);
  let next = 0;
  let done = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const i = next++;
        results[i] = await task(i);
        await onDone(++done);
      }
    }),
  );
  return results;
}

async function lifecycle(api: Stripe, run: string, i: number): Promise<Stripe.Invoice> {
  const metadata = { run, request: String(i) };
  const customer = await api.customers.create({
    metadata,
    invoice_settings: { default_payment_method: 'pm_card_visa' },
  });
  const draft = await api.invoices.create({ customer: customer.id, auto_advance: false, metadata });
  await api.invoices.addLines(draft.id, { lines: [{ amount: 1000 + i }, { amount: 250 }] });
  await api.invoices.finalizeInvoice(draft.id);
  return api.invoices.pay(draft.id);
}

describe('the cluster through the official client', () => {
  it('runs an invoice lifecycle', async () => {
    const paid = await lifecycle(stripe, 'lifecycle', 0);
    expect(paid).toMatchObject({ status: 'paid', amount_due: 1250, amount_paid: 1250 });
    const read = await stripe.invoices.retrieve(paid.id);
    expect(read).toMatchObject({ status: 'paid', number: paid.number, total: 1250 });
    const events = await stripe.events.list({ limit: 100 });
    const types = events.data.filter((event) => (event.data.object as { id?: string }).id === paid.id);
    expect(types.map((event) => event.type)).toEqual(
      expect.arrayContaining(['invoice.created', 'invoice.finalized', 'invoice.paid']),
    );
  });

  it('renews a subscription on a test clock', async () => {
    const clock = await stripe.testHelpers.testClocks.create({ frozen_time: JAN_1 });
    const customer = await stripe.customers.create({
      test_clock: clock.id,
      invoice_settings: { default_payment_method: 'pm_card_visa' },
    });
    const product = await stripe.products.create({ name: 'Cluster plan' });
    const price = await stripe.prices.create({
      product: product.id,
      currency: 'usd',
      unit_amount: 2000,
      recurring: { interval: 'month' },
    });
    const subscription = await stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: price.id }],
    });
    await advanceClock(stripe, clock, FEB_1 + 2 * 3600, 120_000);
    const invoices = await stripe.invoices.list({ subscription: subscription.id, limit: 10 });
    expect(
      [...invoices.data]
        .sort((a, b) => a.created - b.created)
        .map((invoice) => [invoice.billing_reason, invoice.status, invoice.amount_paid]),
    ).toEqual([
      ['subscription_create', 'paid', 2000],
      ['subscription_cycle', 'paid', 2000],
    ]);
  });

  it('sends a webhook signed as Stripe signs it', async () => {
    const receiver = await startWebhookReceiver();
    try {
      const endpoint = await stripe.webhookEndpoints.create({
        url: receiver.url('/cluster'),
        enabled_events: ['invoice.finalized'],
      });
      const customer = await stripe.customers.create({});
      const draft = await stripe.invoices.create({
        customer: customer.id,
        collection_method: 'send_invoice',
        days_until_due: 30,
      });
      await stripe.invoices.addLines(draft.id, { lines: [{ amount: 700 }] });
      await stripe.invoices.finalizeInvoice(draft.id);
      const [delivery] = await waitFor(
        () => receiver.received('/cluster').length > 0 && receiver.received('/cluster'),
        120_000,
        'the webhook',
      );
      const event = stripe.webhooks.constructEvent(
        delivery.body,
        String(delivery.headers['stripe-signature']),
        endpoint.secret!,
      );
      expect(event).toMatchObject({ type: 'invoice.finalized', data: { object: { id: draft.id } } });
      await stripe.webhookEndpoints.del(endpoint.id);
    } finally {
      await receiver.close();
    }
  });
});

describe('the cluster broken on purpose', () => {
  it('finishes the work of a worker SIGKILLed under load on the other one', async () => {
    const [victim] = cluster.workers;
    let killedAt = 0;
    const invoices = await runAll(
      24,
      6,
      (i) => lifecycle(stripe, 'worker-kill', i),
      async (done) => {
        if (done === 6) {
          killedAt = Date.now();
          await cluster.killProcess(victim);
        }
      },
    );
    console.log(`worker SIGKILLed after 6 of 24 lifecycles; the rest took ${Date.now() - killedAt} ms`);
    expect(victim.child.signalCode).toBe('SIGKILL');
    expect(invoices.map((invoice) => invoice.status)).toEqual(new Array(24).fill('paid'));
    const made = await madePerRequest(cluster.db, 'invoices', 'worker-kill');
    expect([...made.values()]).toEqual(new Array(24).fill(1));
    cluster.workers.splice(cluster.workers.indexOf(victim), 1);
    await cluster.startWorker();
  });

  it('fires every pending timer, once, after the Temporal server is SIGKILLed and started again', async () => {
    const customer = await stripe.customers.create({
      balance: -500,
      invoice_settings: { default_payment_method: 'pm_card_visa' },
    });
    // Six drafts that finalize by themselves two seconds apart, the first 8 s from now.
    const base = Math.floor(Date.now() / 1000) + 8;
    const drafts = await runAll(6, 3, async (i) => {
      const draft = await stripe.invoices.create({ customer: customer.id });
      await stripe.invoices.addLines(draft.id, { lines: [{ amount: 1000 + i }] });
      return stripe.invoices.update(draft.id, {
        auto_advance: true,
        automatically_finalizes_at: base + 2 * i,
      });
    });
    // And three open invoices waiting to be paid, another customer's.
    const other = await stripe.customers.create({
      invoice_settings: { default_payment_method: 'pm_card_visa' },
    });
    const open = await runAll(3, 3, async (i) => {
      const draft = await stripe.invoices.create({
        customer: other.id,
        collection_method: 'send_invoice',
        days_until_due: 30,
      });
      await stripe.invoices.addLines(draft.id, { lines: [{ amount: 300 + i }] });
      return stripe.invoices.finalizeInvoice(draft.id);
    });
    expect(drafts.every((draft) => draft.status === 'draft')).toBe(true);

    await cluster.killTemporal();
    const killedAt = Date.now();
    await waitFor(() => Date.now() / 1000 > base + 2 * 3 + 1, 30_000, 'four deadlines to pass while down');
    await cluster.startTemporal();
    const restartedAt = Date.now();
    const paidOpen = await Promise.all(open.map((invoice) => stripe.invoices.pay(invoice.id)));
    const finalized = await waitFor(
      async () => {
        const all = await Promise.all(drafts.map((draft) => stripe.invoices.retrieve(draft.id)));
        return all.every((invoice) => invoice.status === 'paid') && all;
      },
      150_000,
      'every timer to fire after the restart',
    );
    console.log(
      `Temporal server down ${((restartedAt - killedAt) / 1000).toFixed(1)} s; every timer fired and paid ${((Date.now() - restartedAt) / 1000).toFixed(1)} s after the restart`,
    );
    expect(paidOpen.map((invoice) => invoice.status)).toEqual(['paid', 'paid', 'paid']);
    for (const [i, invoice] of finalized.entries()) {
      expect(invoice.status_transitions.finalized_at).toBeGreaterThanOrEqual(base + 2 * i);
    }
    const after = (await stripe.customers.retrieve(customer.id)) as Stripe.Customer;
    expect(after.balance).toBe(0);
    expect(finalized.reduce((sum, invoice) => sum + invoice.amount_paid, 0)).toBe(6 * 1000 + 15 - 500);
  });

  it('answers every request once when an API process is SIGKILLed with requests in flight', async () => {
    // Retries as the official client makes them, with the request's Idempotency-Key; a key
    // held by the killed process is free again after its lock goes stale (60 s).
    const patient = client(40);
    const [victim] = cluster.apis;
    const run = 'api-kill';
    const results = await runAll(
      16,
      8,
      async (i) => {
        const metadata = { run, request: String(i) };
        const key = (step: string) => ({ idempotencyKey: `${run}-${i}-${step}` });
        const customer = await patient.customers.create({ metadata }, key('customer'));
        const draft = await patient.invoices.create(
          { customer: customer.id, collection_method: 'send_invoice', days_until_due: 10, metadata },
          key('invoice'),
        );
        await patient.invoices.addLines(draft.id, { lines: [{ amount: 100 + i }] }, key('lines'));
        return patient.invoices.finalizeInvoice(draft.id, {}, key('finalize'));
      },
      async (done) => {
        if (done === 2) await cluster.killProcess(victim);
      },
    );
    expect(victim.child.signalCode).toBe('SIGKILL');
    expect(results.map((invoice) => [invoice.status, invoice.amount_due])).toEqual(
      results.map((_, i) => ['open', 100 + i]),
    );
    for (const table of ['customers', 'invoices'] as const) {
      const made = await madePerRequest(cluster.db, table, run);
      expect([...made.entries()].sort(([a], [b]) => Number(a) - Number(b))).toEqual(
        results.map((_, i) => [String(i), 1]),
      );
    }
    for (const invoice of results) {
      const lines = await stripe.invoices.listLineItems(invoice.id);
      expect(lines.data.map((line) => line.amount)).toEqual([invoice.amount_due]);
    }
    await cluster.startApi(cluster.apis.indexOf(victim));
  });

  it('keeps the books: every invoice once, every charge once, every event once', async () => {
    const books = await checkBooks(cluster.db);
    console.log(
      `books after ${elapsed()}: ${books.invoices} invoices, ${books.paidInvoices} paid, ${books.succeededCharges} charges`,
    );
    expect(books.faults).toEqual([]);
    expect(books.paidInvoices).toBeGreaterThanOrEqual(1 + 2 + 24 + 6 + 3);
  });
});
