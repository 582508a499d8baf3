// Webhook delivery end to end: events reach a local HTTP receiver, signed so that the official
// client's stripe.webhooks.constructEvent accepts them, retried on the schedule configured
// below. The endpoints API itself: webhook-endpoints.test.ts.
import type Stripe from 'stripe';
import type { EventDeliveryResult } from '../../workflows/delivery';
import { startStack, type Stack } from '../support/stack';
import { waitFor } from '../support/wait-for';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver';

// Retries 1 s after the first attempt, then 2 s apart, giving up 8 s after the first attempt:
// attempts at 0, 1, 3, 5, 7 and 8 s. The dispatcher reads these when the stack starts.
const RETRY_ENV = {
  WEBHOOK_RETRY_INITIAL_SECONDS: '1',
  WEBHOOK_RETRY_MAX_SECONDS: '2',
  WEBHOOK_RETRY_WINDOW_SECONDS: '8',
};

let stack: Stack;
let receiver: WebhookReceiver;

beforeAll(async () => {
  Object.assign(process.env, RETRY_ENV);
  stack = await startStack();
  receiver = await startWebhookReceiver();
});
afterAll(async () => {
  await stack?.stop();
  await receiver?.close();
  for (const name of Object.keys(RETRY_ENV)) delete process.env[name];
});

let pathCount = 0;
const newPath = (name: string) => `/${name}-${++pathCount}`;

// By default the invoice events these tests follow (their customers' customer.created aside).
async function endpoint(
  stripe: Stripe,
  path: string,
  enabledEvents: string[] = ['invoice.*'],
): Promise<Stripe.WebhookEndpoint> {
  return stripe.webhookEndpoints.create({
    url: receiver.url(path),
    enabled_events: enabledEvents as Stripe.WebhookEndpointCreateParams.EnabledEvent[],
  });
}

async function newInvoice(stripe: Stripe): Promise<Stripe.Invoice> {
  const customer = await stripe.customers.create({});
  return stripe.invoices.create({ customer: customer.id });
}

interface EventRow {
  id: string;
  pending_webhooks: number;
  webhooks_delivered_at: number | null;
  delivery_started_at: number | null;
}
interface DeliveryRow {
  endpoint_id: string;
  status: string;
  attempts: number;
  last_status_code: number | null;
}

const eventRow = async (id: string) => (await stack.db('events').where({ id }).first()) as EventRow;
const deliveryRows = async (eventId: string) =>
  (await stack.db('webhook_deliveries').where({ event_id: eventId }).orderBy('seq')) as DeliveryRow[];

async function createdEventOf(objectId: string, type = 'invoice.created'): Promise<string> {
  const row = (await waitFor(() => stack.db('events').where({ object_id: objectId, type }).first('id'))) as {
    id: string;
  };
  return row.id;
}

// Every endpoint the event was planned for has accepted it: no other endpoint will ever get it.
const fullyDelivered = (eventId: string) =>
  waitFor(async () => (await eventRow(eventId)).webhooks_delivered_at !== null, 10_000);

const eventIdsAt = (path: string) =>
  receiver.received(path).map((hit) => (JSON.parse(hit.body) as Stripe.Event).id);

describe('delivery', () => {
  it('delivers invoice.created to a matching endpoint, signed, and nothing to a non-matching one', async () => {
    const { stripe } = await stack.newAccount();
    const [hit, miss] = [newPath('invoice-created'), newPath('customers')];
    const matching = await endpoint(stripe, hit, ['invoice.created']);
    const other = await endpoint(stripe, miss, ['customer.subscription.*']);
    const invoice = await newInvoice(stripe);
    const eventId = await createdEventOf(invoice.id);

    const [request] = await waitFor(() => receiver.received(hit).length === 1 && receiver.received(hit));
    expect(request.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(request.headers['user-agent']).toBe('Stripe/1.0 (+https://stripe.com/docs/webhooks)');
    const signature = request.headers['stripe-signature'] as string;
    expect(signature).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    const event = stack.stripe.webhooks.constructEvent(request.body, signature, matching.secret!);
    expect(event).toMatchObject({
      id: eventId,
      object: 'event',
      type: 'invoice.created',
      pending_webhooks: 1,
    });
    expect((event.data.object as Stripe.Invoice).id).toBe(invoice.id);
    expect(() => stack.stripe.webhooks.constructEvent(request.body, signature, other.secret!)).toThrow();

    await fullyDelivered(eventId);
    expect((await stripe.events.retrieve(eventId)).pending_webhooks).toBe(0);
    expect(await deliveryRows(eventId)).toEqual([
      expect.objectContaining({
        endpoint_id: matching.id,
        status: 'succeeded',
        attempts: 1,
        last_status_code: 200,
      }),
    ]);
    expect(receiver.received(miss)).toEqual([]);
  });

  it('delivers events written by other code paths too (invoice items)', async () => {
    const { stripe } = await stack.newAccount();
    const path = newPath('items');
    await endpoint(stripe, path, ['invoiceitem.*']);
    const customer = await stripe.customers.create({});
    const item = await stripe.invoiceItems.create({ customer: customer.id, amount: 500, currency: 'usd' });
    const eventId = await createdEventOf(item.id, 'invoiceitem.created');
    await waitFor(() => eventIdsAt(path).includes(eventId));
  });

  it('retries a failing endpoint on the schedule until it accepts, counting pending_webhooks down', async () => {
    const { stripe } = await stack.newAccount();
    const [flaky, fine] = [newPath('flaky'), newPath('fine')];
    receiver.respond(flaky, (attempt) => (attempt <= 2 ? 500 : 200));
    const flakyEndpoint = await endpoint(stripe, flaky, ['invoice.*']);
    const fineEndpoint = await endpoint(stripe, fine, ['invoice.created']);
    const eventId = await createdEventOf((await newInvoice(stripe)).id);

    // The healthy endpoint is not held back by the failing one.
    await waitFor(
      async () => receiver.received(fine).length === 1 && (await eventRow(eventId)).pending_webhooks === 1,
    );
    expect((await eventRow(eventId)).webhooks_delivered_at).toBeNull();
    await waitFor(() => receiver.received(flaky).length === 3, 15_000);
    await fullyDelivered(eventId);
    expect((await stripe.events.retrieve(eventId)).pending_webhooks).toBe(0);

    const attempts = receiver.received(flaky);
    expect(eventIdsAt(flaky)).toEqual([eventId, eventId, eventId]);
    // Growing backoff: the second wait (nominally 2 s) is longer than the first (nominally 1 s,
    // less however late the first attempt started); wall-clock minimums would be flaky on load.
    expect(attempts[2].at - attempts[1].at).toBeGreaterThan(attempts[1].at - attempts[0].at);
    for (const attempt of attempts) {
      const header = attempt.headers['stripe-signature'] as string;
      expect(stack.stripe.webhooks.constructEvent(attempt.body, header, flakyEndpoint.secret!).id).toBe(
        eventId,
      );
    }
    const rows = await deliveryRows(eventId);
    expect(rows.find((row) => row.endpoint_id === flakyEndpoint.id)).toMatchObject({
      status: 'succeeded',
      attempts: 3,
      last_status_code: 200,
    });
    expect(rows.find((row) => row.endpoint_id === fineEndpoint.id)).toMatchObject({
      status: 'succeeded',
      attempts: 1,
    });
    const result = (await stack.temporal.workflow
      .getHandle(`delivery/${eventId}`)
      .result()) as EventDeliveryResult;
    expect(result).toMatchObject({
      eventId,
      type: 'invoice.created',
      endpoints: { [flakyEndpoint.id]: 'succeeded', [fineEndpoint.id]: 'succeeded' },
      deliveredAt: expect.any(Number),
    });
  });

  it('gives up after the retry window, leaving the event pending', async () => {
    const { stripe } = await stack.newAccount();
    const path = newPath('down');
    receiver.respond(path, () => 503);
    const down = await endpoint(stripe, path);
    const eventId = await createdEventOf((await newInvoice(stripe)).id);
    const failed = async () => (await deliveryRows(eventId)).find((row) => row.status === 'failed');
    const row = await waitFor(failed, 20_000);
    expect(row).toMatchObject({ endpoint_id: down.id, attempts: 6, last_status_code: 503 });
    expect(receiver.received(path)).toHaveLength(6);
    expect(await eventRow(eventId)).toMatchObject({ pending_webhooks: 1, webhooks_delivered_at: null });
    const result = (await stack.temporal.workflow
      .getHandle(`delivery/${eventId}`)
      .result()) as EventDeliveryResult;
    expect(result).toMatchObject({ endpoints: { [down.id]: 'failed' }, deliveredAt: null });
  });

  it('stops retrying an endpoint that is disabled or deleted meanwhile', async () => {
    const { stripe } = await stack.newAccount();
    const [disabledPath, deletedPath] = [newPath('later-disabled'), newPath('later-deleted')];
    receiver.respond(disabledPath, () => 500);
    receiver.respond(deletedPath, () => 500);
    const disabled = await endpoint(stripe, disabledPath);
    const deleted = await endpoint(stripe, deletedPath);
    const eventId = await createdEventOf((await newInvoice(stripe)).id);
    await waitFor(
      () => receiver.received(disabledPath).length >= 1 && receiver.received(deletedPath).length >= 1,
    );
    await stripe.webhookEndpoints.update(disabled.id, { disabled: true });
    await stripe.webhookEndpoints.del(deleted.id);
    const rows = await waitFor(async () => {
      const current = await deliveryRows(eventId);
      return current.every((row) => row.status === 'canceled') && current;
    });
    expect(rows).toHaveLength(2);
    // A canceled delivery makes no further attempt: every request made is counted in its row.
    expect(receiver.received(disabledPath)).toHaveLength(
      rows.find((r) => r.endpoint_id === disabled.id)!.attempts,
    );
    expect(receiver.received(deletedPath)).toHaveLength(
      rows.find((r) => r.endpoint_id === deleted.id)!.attempts,
    );
  });

  it("never delivers an account's events to another account's endpoints", async () => {
    const a = await stack.newAccount();
    const b = await stack.newAccount();
    const [pathA, pathB] = [newPath('account-a'), newPath('account-b')];
    await endpoint(a.stripe, pathA);
    await endpoint(b.stripe, pathB);
    const eventA = await createdEventOf((await newInvoice(a.stripe)).id);
    const eventB = await createdEventOf((await newInvoice(b.stripe)).id);
    await fullyDelivered(eventA);
    await fullyDelivered(eventB);
    expect(eventIdsAt(pathA)).toEqual([eventA]);
    expect(eventIdsAt(pathB)).toEqual([eventB]);
  });

  it('sends nothing to a disabled endpoint', async () => {
    const { stripe } = await stack.newAccount();
    const [onPath, offPath] = [newPath('on'), newPath('off')];
    await endpoint(stripe, onPath);
    const off = await endpoint(stripe, offPath);
    await stripe.webhookEndpoints.update(off.id, { disabled: true });
    const eventId = await createdEventOf((await newInvoice(stripe)).id);
    await fullyDelivered(eventId);
    expect(eventIdsAt(onPath)).toEqual([eventId]);
    expect(receiver.received(offPath)).toEqual([]);
    expect((await deliveryRows(eventId)).map((row) => row.endpoint_id)).not.toContain(off.id);
  });

  it('marks an event with no endpoint delivered at once, and never delivers an event twice', async () => {
    const { stripe } = await stack.newAccount();
    const quiet = await createdEventOf((await newInvoice(stripe)).id);
    await fullyDelivered(quiet);
    expect(await deliveryRows(quiet)).toEqual([]);

    const path = newPath('once');
    await endpoint(stripe, path);
    const eventId = await createdEventOf((await newInvoice(stripe)).id);
    await fullyDelivered(eventId);
    const run = await stack.temporal.workflow.getHandle(`delivery/${eventId}`).describe();
    // As after a crash between starting the workflow and marking the row: dispatched again.
    await stack.db('events').where({ id: eventId }).update({ delivery_started_at: null });
    await waitFor(async () => (await eventRow(eventId)).delivery_started_at !== null);
    const again = await stack.temporal.workflow.getHandle(`delivery/${eventId}`).describe();
    expect(again.runId).toBe(run.runId);
    expect(eventIdsAt(path)).toEqual([eventId]);
  });
});
