// GET /v1/events and /v1/events/:id through the official stripe client, over the events that
// invoice workflows write.
import type Stripe from 'stripe';
import { expectStripeShape } from '../support/stripe-shape';
import { stripeError } from '../support/stripe-helpers';
import { startStack, type Stack } from '../support/stack';

let stack: Stack;
let invoiceIds: string[]; // in creation order
let eventIds: string[]; // their invoice.created events, newest first
let startedAt: number;

beforeAll(async () => {
  stack = await startStack();
  startedAt = Math.floor(Date.now() / 1000);
  const customer = await stack.stripe.customers.create({});
  // These tests list the invoices' events alone: the customer's customer.created is set aside.
  await stack.db('events').where({ object_id: customer.id }).delete();
  invoiceIds = [];
  for (let i = 0; i < 3; i++)
    invoiceIds.push((await stack.stripe.invoices.create({ customer: customer.id })).id);
  const rows = (await stack
    .db('events')
    .whereIn('object_id', invoiceIds)
    .orderBy('seq', 'desc')
    .select('id')) as Array<{ id: string }>;
  eventIds = rows.map((row) => row.id);
});
afterAll(async () => {
  await stack?.stop();
});

const ids = (list: Stripe.ApiList<Stripe.Event>) => list.data.map((event) => event.id);

describe('list', () => {
  it('lists invoice.created events newest first, by exact type and by wildcard', async () => {
    expect(eventIds).toHaveLength(3);
    const exact = await stack.stripe.events.list({ type: 'invoice.created' });
    expect(exact.object).toBe('list');
    expect(exact.url).toBe('/v1/events');
    expect(ids(exact)).toEqual(eventIds);
    expect(exact.data.map((event) => (event.data.object as Stripe.Invoice).id)).toEqual(
      [...invoiceIds].reverse(),
    );
    expect(ids(await stack.stripe.events.list({ type: 'invoice.*' }))).toEqual(eventIds);
    expect(ids(await stack.stripe.events.list({ type: '*.created' }))).toEqual(eventIds);
    expect(ids(await stack.stripe.events.list({ types: ['invoice.paid', 'invoice.created'] }))).toEqual(
      eventIds,
    );
    expect(ids(await stack.stripe.events.list())).toEqual(eventIds);
  });

  it('matches only the given type and treats LIKE metacharacters literally', async () => {
    expect((await stack.stripe.events.list({ type: 'invoice.paid' })).data).toEqual([]);
    expect((await stack.stripe.events.list({ type: 'invoice' })).data).toEqual([]);
    expect((await stack.stripe.events.list({ type: 'invoice_created' })).data).toEqual([]);
    expect((await stack.stripe.events.list({ type: 'invoice_*' })).data).toEqual([]);
    expect((await stack.stripe.events.list({ type: '%' })).data).toEqual([]);
  });

  it('filters by created range', async () => {
    expect(ids(await stack.stripe.events.list({ created: { gte: startedAt } }))).toEqual(eventIds);
    expect((await stack.stripe.events.list({ created: { lt: startedAt } })).data).toEqual([]);
    expect(
      (await stack.stripe.events.list({ created: { gt: Math.floor(Date.now() / 1000) + 60 } })).data,
    ).toEqual([]);
  });

  it('pages with starting_after and ending_before', async () => {
    const first = await stack.stripe.events.list({ limit: 2 });
    expect(ids(first)).toEqual(eventIds.slice(0, 2));
    expect(first.has_more).toBe(true);
    const next = await stack.stripe.events.list({ limit: 2, starting_after: eventIds[1] });
    expect(ids(next)).toEqual([eventIds[2]]);
    expect(next.has_more).toBe(false);
    const back = await stack.stripe.events.list({ limit: 1, ending_before: eventIds[2] });
    expect(ids(back)).toEqual([eventIds[1]]);
    expect(back.has_more).toBe(true);
  });

  it('filters by delivery_success on pending_webhooks', async () => {
    await stack.db('events').where({ id: eventIds[0] }).update({ pending_webhooks: 1 });
    try {
      expect(ids(await stack.stripe.events.list({ delivery_success: false }))).toEqual([eventIds[0]]);
      expect(ids(await stack.stripe.events.list({ delivery_success: true }))).toEqual(eventIds.slice(1));
    } finally {
      await stack.db('events').where({ id: eventIds[0] }).update({ pending_webhooks: 0 });
    }
  });

  it('refuses type together with types, too many types, and unknown parameters', async () => {
    const both = await stripeError(
      stack.stripe.events.list({ type: 'invoice.created', types: ['invoice.paid'] }),
    );
    expect(both.statusCode).toBe(400);
    const tooMany = await stripeError(
      stack.stripe.events.list({ types: Array.from({ length: 21 }, (_, i) => `invoice.t${i}`) }),
    );
    expect(tooMany.statusCode).toBe(400);
    expect(tooMany.param).toBe('types');
    const unknown = await stripeError(stack.stripe.events.list({ bogus: 1 } as Stripe.EventListParams));
    expect(unknown.code).toBe('parameter_unknown');
    expect(unknown.param).toBe('bogus');
  });
});

describe('retrieve', () => {
  it('retrieves an event in Stripe shape, the same as listed', async () => {
    const event = await stack.stripe.events.retrieve(eventIds[0]!);
    expect(event).toMatchObject({
      id: eventIds[0],
      object: 'event',
      type: 'invoice.created',
      livemode: false,
    });
    expect(event).toEqual((await stack.stripe.events.list({ limit: 1 })).data[0]);
    // Checked against Stripe.InvoiceCreatedEvent: the envelope and its Stripe.Invoice payload.
    expectStripeShape(event);
  });

  it('reports pending_webhooks from its column, not the frozen body', async () => {
    await stack.db('events').where({ id: eventIds[1] }).update({ pending_webhooks: 2 });
    try {
      expect((await stack.stripe.events.retrieve(eventIds[1]!)).pending_webhooks).toBe(2);
    } finally {
      await stack.db('events').where({ id: eventIds[1] }).update({ pending_webhooks: 0 });
    }
  });

  it('answers 404 resource_missing for an unknown id', async () => {
    const error = await stripeError(stack.stripe.events.retrieve('evt_missing'));
    expect(error.statusCode).toBe(404);
    expect(error.code).toBe('resource_missing');
    expect(error.param).toBe('id');
  });
});

describe('accounts', () => {
  it("never shows another account's events", async () => {
    const other = await stack.newAccount();
    expect((await other.stripe.events.list()).data).toEqual([]);
    expect((await other.stripe.events.list({ type: 'invoice.*' })).data).toEqual([]);
    expect((await stripeError(other.stripe.events.retrieve(eventIds[0]!))).statusCode).toBe(404);
    const cursor = await stripeError(other.stripe.events.list({ starting_after: eventIds[0] }));
    expect(cursor.statusCode).toBe(404);
  });
});
