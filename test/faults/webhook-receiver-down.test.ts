// A webhook receiver that is down for a while (connections refused), then up but failing (503),
// then healthy: every event is retried on the configured schedule and accepted exactly once,
// each event's pending_webhooks goes back to 0, and no event is lost or written twice.
import http from 'node:http';
import type Stripe from 'stripe';
import { freePort } from '../../db/embedded-postgres';
import { startStack, type Stack } from '../support/stack';
import { waitFor } from '../support/wait-for';

jest.setTimeout(180_000);

// Retries 1 s after the first attempt, then every 2 s, for up to two minutes.
const RETRY_ENV = {
  WEBHOOK_RETRY_INITIAL_SECONDS: '1',
  WEBHOOK_RETRY_MAX_SECONDS: '2',
  WEBHOOK_RETRY_WINDOW_SECONDS: '120',
};

interface Hit {
  eventId: string;
  status: number;
}

let stack: Stack;
let server: http.Server | undefined;
beforeAll(async () => {
  Object.assign(process.env, RETRY_ENV);
  stack = await startStack();
});
afterAll(async () => {
  await stack?.stop();
  server?.closeAllConnections();
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  for (const name of Object.keys(RETRY_ENV)) delete process.env[name];
});

interface EventRow {
  id: string;
  type: string;
  pending_webhooks: number;
  webhooks_delivered_at: number | null;
}
interface DeliveryRow {
  event_id: string;
  status: string;
  attempts: number;
}

it('delivers every event exactly once successfully after the receiver comes back', async () => {
  const port = await freePort(); // nothing listens here yet: connection refused
  const { stripe } = stack;
  const endpoint = await stripe.webhookEndpoints.create({
    url: `http://127.0.0.1:${port}/hooks`,
    // Resource wildcards are our extension to Stripe's list.
    enabled_events: [
      'invoice.*',
      'invoiceitem.*',
    ] as unknown as Stripe.WebhookEndpointCreateParams.EnabledEvent[],
  });
  const customer = await stripe.customers.create({});
  const invoiceIds: string[] = [];
  for (let i = 0; i < 3; i++) {
    const invoice = await stripe.invoices.create({ customer: customer.id });
    await stripe.invoices.addLines(invoice.id, { lines: [{ amount: 700 + i }] });
    await stripe.invoices.finalizeInvoice(invoice.id, { auto_advance: false });
    invoiceIds.push(invoice.id);
  }
  await stripe.invoiceItems.create({ customer: customer.id, amount: 50, currency: 'usd' });
  // The events the endpoint takes (others, such as payment_intent.*, go nowhere).
  const events = ((await stack.db('events').where({ account_id: stack.accountId })) as EventRow[]).filter(
    (row) => row.type.startsWith('invoice.') || row.type.startsWith('invoiceitem.'),
  );
  const eventIds = events.map((row) => row.id).sort();
  expect(eventIds.length).toBeGreaterThanOrEqual(10);

  const deliveries = async () =>
    (await stack.db('webhook_deliveries').where({ endpoint_id: endpoint.id })) as DeliveryRow[];
  // Down: every event has been tried and refused at least three times.
  const downSince = Date.now();
  await waitFor(
    async () => {
      const rows = await deliveries();
      return (
        rows.length === eventIds.length && rows.every((row) => row.status === 'pending' && row.attempts >= 3)
      );
    },
    60_000,
    'every delivery to fail three times while the receiver is down',
  );
  const refusedFor = Date.now() - downSince;

  // Up, but answering 503 to the first 10 requests; then 200.
  const hits: Hit[] = [];
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const status = hits.length < 10 ? 503 : 200;
      hits.push({
        eventId: (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { id: string }).id,
        status,
      });
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server!.listen(port, '127.0.0.1', resolve));
  const upAt = Date.now();

  await waitFor(
    async () => {
      const rows = (await stack.db('events').whereIn('id', eventIds)) as EventRow[];
      return rows.every((row) => row.pending_webhooks === 0 && row.webhooks_delivered_at !== null);
    },
    90_000,
    'every event to be delivered after the receiver came back',
  );
  console.log(
    `webhook receiver down: ${eventIds.length} events refused for ${(refusedFor / 1000).toFixed(1)} s, ` +
      `then ${hits.filter((hit) => hit.status === 503).length} answered 503; all delivered ` +
      `${((Date.now() - upAt) / 1000).toFixed(1)} s after it came up, ${hits.length} requests received`,
  );

  // Exactly one accepted delivery per event, and only this account's events.
  const accepted = hits
    .filter((hit) => hit.status === 200)
    .map((hit) => hit.eventId)
    .sort();
  expect(accepted).toEqual(eventIds);
  const rows = await deliveries();
  expect(rows.map((row) => row.event_id).sort()).toEqual(eventIds);
  expect(rows.every((row) => row.status === 'succeeded' && row.attempts >= 4)).toBe(true);
  // The events themselves: none lost, none written twice.
  const after = ((await stack.db('events').where({ account_id: stack.accountId })) as EventRow[]).filter(
    (row) => row.type.startsWith('invoice.') || row.type.startsWith('invoiceitem.'),
  );
  expect(after.map((row) => row.id).sort()).toEqual(eventIds);
  for (const invoiceId of invoiceIds) {
    const types = ((await stack.db('events').where({ object_id: invoiceId })) as Array<{ type: string }>).map(
      (row) => row.type,
    );
    expect(types.filter((type) => type === 'invoice.created')).toHaveLength(1);
    expect(types.filter((type) => type === 'invoice.finalized')).toHaveLength(1);
  }
});
