// /v1/webhook_endpoints through the official stripe client: create (the only answer that shows
// the secret), retrieve, update, delete and list, bad input, and account isolation.
import type Stripe from 'stripe';
import { expectStripeShape } from '../support/stripe-shape';
import { startStack, type Stack } from '../support/stack';
import { stripeError } from '../support/stripe-helpers';

let stack: Stack;

beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.stop();
});

const endpoint = (stripe: Stripe) =>
  stripe.webhookEndpoints.create({ url: 'https://example.com/hooks', enabled_events: ['*'] });

describe('webhook endpoints', () => {
  it('creates an endpoint in Stripe shape and shows its secret only on create', async () => {
    const created = await stack.stripe.webhookEndpoints.create({
      url: 'https://example.com/hooks',
      // Resource wildcards are this service's extension: the stripe types do not list them.
      enabled_events: ['invoice.created', 'invoice.*' as Stripe.WebhookEndpointCreateParams.EnabledEvent],
      description: 'Billing',
      metadata: { team: 'finance' },
    });
    expect(created).toMatchObject({
      object: 'webhook_endpoint',
      url: 'https://example.com/hooks',
      // Resource wildcards are this service's extension: the stripe types do not list them.
      enabled_events: ['invoice.created', 'invoice.*' as Stripe.WebhookEndpointCreateParams.EnabledEvent],
      description: 'Billing',
      metadata: { team: 'finance' },
      status: 'enabled',
      livemode: false,
      api_version: null,
      application: null,
    });
    expect(created.id).toMatch(/^we_/);
    expect(created.secret).toMatch(/^whsec_/);
    expectStripeShape(created);
    const pinned = await stack.stripe.webhookEndpoints.create({
      url: 'https://example.com/pinned',
      enabled_events: ['invoice.paid'],
      api_version: '2026-10-28.endive',
    });
    expect(pinned.api_version).toBe('2026-10-28.endive');
    const retrieved = await stack.stripe.webhookEndpoints.retrieve(created.id);
    expect(retrieved.secret).toBeUndefined();
    expect(retrieved).toEqual({ ...created, secret: undefined });
    const listed = await stack.stripe.webhookEndpoints.list();
    expect(listed.data.find((item) => item.id === created.id)?.secret).toBeUndefined();
  });

  it('updates url, events, description, metadata and status', async () => {
    const created = await stack.stripe.webhookEndpoints.create({
      url: 'https://example.com/a',
      enabled_events: ['*'],
      metadata: { keep: 'yes', drop: 'me' },
    });
    const updated = await stack.stripe.webhookEndpoints.update(created.id, {
      url: 'http://example.com/b',
      enabled_events: ['invoice.paid'],
      description: 'Paid only',
      metadata: { drop: '', added: '1' },
      disabled: true,
    });
    expect(updated).toMatchObject({
      url: 'http://example.com/b',
      enabled_events: ['invoice.paid'],
      description: 'Paid only',
      metadata: { keep: 'yes', added: '1' },
      status: 'disabled',
    });
    expect(updated.secret).toBeUndefined();
    expect((await stack.stripe.webhookEndpoints.update(created.id, { disabled: false })).status).toBe(
      'enabled',
    );
    expect(
      (await stack.stripe.webhookEndpoints.update(created.id, { description: '' })).description,
    ).toBeNull();
  });

  it('lists newest first with cursor pagination', async () => {
    const { stripe } = await stack.newAccount();
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await endpoint(stripe)).id);
    const all = await stripe.webhookEndpoints.list();
    expect(all.object).toBe('list');
    expect(all.url).toBe('/v1/webhook_endpoints');
    expect(all.data.map((item) => item.id)).toEqual([...ids].reverse());
    const first = await stripe.webhookEndpoints.list({ limit: 2 });
    expect(first.has_more).toBe(true);
    const next = await stripe.webhookEndpoints.list({ limit: 2, starting_after: first.data[1].id });
    expect(next.data.map((item) => item.id)).toEqual([ids[0]]);
    expect(next.has_more).toBe(false);
  });

  it('deletes an endpoint, which then answers 404', async () => {
    const created = await endpoint(stack.stripe);
    expect(await stack.stripe.webhookEndpoints.del(created.id)).toMatchObject({
      id: created.id,
      object: 'webhook_endpoint',
      deleted: true,
    });
    expect((await stripeError(stack.stripe.webhookEndpoints.retrieve(created.id))).statusCode).toBe(404);
    expect((await stripeError(stack.stripe.webhookEndpoints.del(created.id))).code).toBe('resource_missing');
    const listed = await stack.stripe.webhookEndpoints.list({ limit: 100 });
    expect(listed.data.map((item) => item.id)).not.toContain(created.id);
  });

  it('refuses bad input, naming the parameter', async () => {
    const create = (params: Record<string, unknown>) =>
      stripeError(
        stack.stripe.webhookEndpoints.create(params as unknown as Stripe.WebhookEndpointCreateParams),
      );
    for (const url of ['ftp://example.com/x', 'not a url']) {
      const error = await create({ url, enabled_events: ['*'] });
      expect([error.statusCode, error.param]).toEqual([400, 'url']);
    }
    for (const events of [['invoice.bogus'], ['bogus.*'], ['invoice.created', 'nope']]) {
      const error = await create({ url: 'https://example.com', enabled_events: events });
      expect([error.statusCode, error.param]).toEqual([400, 'enabled_events']);
    }
    const missing = await create({ url: 'https://example.com' });
    expect([missing.code, missing.param]).toEqual(['parameter_missing', 'enabled_events']);
    const unknown = await create({ url: 'https://example.com', enabled_events: ['*'], bogus: 'x' });
    const version = await create({
      url: 'https://example.com',
      enabled_events: ['*'],
      api_version: 'yesterday',
    });
    expect([version.statusCode, version.param]).toEqual([400, 'api_version']);
    const connect = await create({ url: 'https://example.com', enabled_events: ['*'], connect: true });
    expect([connect.statusCode, connect.param]).toEqual([400, 'connect']);
    expect([unknown.statusCode, unknown.code, unknown.param]).toEqual([400, 'parameter_unknown', 'bogus']);
    const created = await endpoint(stack.stripe);
    const badUpdate = await stripeError(
      stack.stripe.webhookEndpoints.update(created.id, {
        enabled_events: ['invoice.nope' as 'invoice.paid'],
      }),
    );
    expect([badUpdate.statusCode, badUpdate.param]).toEqual([400, 'enabled_events']);
  });

  it("never shows another account's endpoints", async () => {
    const created = await endpoint(stack.stripe);
    const other = await stack.newAccount();
    expect((await stripeError(other.stripe.webhookEndpoints.retrieve(created.id))).statusCode).toBe(404);
    expect((await stripeError(other.stripe.webhookEndpoints.update(created.id, {}))).statusCode).toBe(404);
    expect((await stripeError(other.stripe.webhookEndpoints.del(created.id))).statusCode).toBe(404);
    expect((await other.stripe.webhookEndpoints.list()).data).toEqual([]);
  });
});
