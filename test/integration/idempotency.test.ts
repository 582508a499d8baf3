// Stripe's idempotent requests, through the official client and raw HTTP (for the headers).
import { randomUUID } from 'node:crypto';
import Stripe from 'stripe';
import { createLogger } from '../../api/logger';
import { listen } from '../../api/server';
import { invoiceWorkflowId } from '../../workflows/messages';
import { draftWithLines, eventTypes, stripeError } from '../support/stripe-helpers';
import { startStack, type Stack } from '../support/stack';
import { waitFor } from '../support/wait-for';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.stop();
});

const newKey = () => `test-${randomUUID()}`;

interface RawResponse {
  status: number;
  headers: Headers;
  text: string;
  json: { id?: string; error?: { type: string; code?: string; message: string } };
}

async function post(
  path: string,
  params: Record<string, string>,
  key: string,
  options: { secretKey?: string; baseUrl?: string } = {},
): Promise<RawResponse> {
  const response = await fetch(`${options.baseUrl ?? stack.api.url}${path}`, {
    method: 'POST',
    headers: {
      Authorization: `Bearer ${options.secretKey ?? stack.secretKey}`,
      'Content-Type': 'application/x-www-form-urlencoded',
      'Idempotency-Key': key,
    },
    body: new URLSearchParams(params).toString(),
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    text,
    json: JSON.parse(text) as RawResponse['json'],
  };
}

async function keyRows(key: string) {
  return (await stack.db('idempotency_keys').where({ idempotency_key: key })) as Array<{
    account_id: string;
    status: string;
    generation: number;
  }>;
}

async function invoiceCount(customerId: string): Promise<number> {
  const [{ count }] = await stack.db('invoices').where({ customer_id: customerId }).count({ count: '*' });
  return Number(count);
}

describe('a retried request with the same key and parameters', () => {
  it('replays the first response byte for byte, with Idempotent-Replayed: true', async () => {
    const customer = await stack.stripe.customers.create({});
    const key = newKey();
    const first = await post('/v1/invoices', { customer: customer.id, description: 'Once' }, key);
    const second = await post('/v1/invoices', { description: 'Once', customer: customer.id }, key);
    expect(first.status).toBe(200);
    expect(second.status).toBe(200);
    expect(second.text).toBe(first.text);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(second.headers.get('idempotency-key')).toBe(key);
    expect(second.headers.get('original-request')).toBe(first.headers.get('request-id'));
    expect(second.headers.get('request-id')).not.toBe(first.headers.get('request-id'));
  });

  it('makes one object, one key row and one workflow, through the official client', async () => {
    const customer = await stack.stripe.customers.create({});
    const idempotencyKey = newKey();
    const first = await stack.stripe.invoices.create({ customer: customer.id }, { idempotencyKey });
    const again = await stack.stripe.invoices.create({ customer: customer.id }, { idempotencyKey });
    expect(again).toEqual(first);
    expect(await invoiceCount(customer.id)).toBe(1);
    expect(await keyRows(idempotencyKey)).toHaveLength(1);
    expect(await eventTypes(stack, first.id)).toEqual(['invoice.created']);
    // Visibility is eventually consistent: wait for the workflow to show, then count.
    const workflows = await waitFor(async () => {
      const ids: string[] = [];
      for await (const workflow of stack.temporal.workflow.list({ query: `CustomerId = '${customer.id}'` })) {
        ids.push(workflow.workflowId);
      }
      return ids.length > 0 && ids;
    });
    expect(workflows).toEqual([invoiceWorkflowId(first.id)]);
  });

  it('is answered from Postgres by another API process too (keys survive restarts)', async () => {
    const key = newKey();
    const first = await post('/v1/customers', { email: 'restart@example.com' }, key);
    const other = await listen(
      { db: stack.db, temporal: stack.temporal, temporalConfig: stack.config },
      { host: '127.0.0.1', port: 0, maxBodyBytes: 1024 * 1024 },
      createLogger({ level: 'silent' }),
    );
    try {
      const replayed = await post('/v1/customers', { email: 'restart@example.com' }, key, {
        baseUrl: other.url,
      });
      expect(replayed.headers.get('idempotent-replayed')).toBe('true');
      expect(replayed.text).toBe(first.text);
    } finally {
      await other.close();
    }
  });
});

describe('a key reused for a different request', () => {
  it('refuses different parameters with 400 idempotency_error', async () => {
    const idempotencyKey = newKey();
    await stack.stripe.customers.create({ email: 'a@example.com' }, { idempotencyKey });
    const error = await stripeError(
      stack.stripe.customers.create({ email: 'b@example.com' }, { idempotencyKey }),
    );
    expect(error).toBeInstanceOf(Stripe.errors.StripeIdempotencyError);
    expect(error.statusCode).toBe(400);
    expect(error.raw).toMatchObject({ type: 'idempotency_error' });
    expect(error.message).toContain(idempotencyKey);
  });

  it('refuses another endpoint with 400 idempotency_error', async () => {
    const idempotencyKey = newKey();
    const customer = await stack.stripe.customers.create({}, { idempotencyKey });
    const error = await stripeError(
      stack.stripe.invoices.create({ customer: customer.id }, { idempotencyKey }),
    );
    expect(error.statusCode).toBe(400);
    expect(error.raw).toMatchObject({ type: 'idempotency_error' });
  });

  it('refuses a key longer than 255 characters with 400', async () => {
    const response = await post('/v1/customers', {}, 'k'.repeat(256));
    expect(response.status).toBe(400);
    expect(response.json.error?.type).toBe('invalid_request_error');
  });
});

describe('concurrent requests with one key', () => {
  it('runs one and answers the others 409 idempotency_key_in_use', async () => {
    const draft = await draftWithLines(stack, [1500]);
    const key = newKey();
    const responses = await Promise.all(
      Array.from({ length: 5 }, () => post(`/v1/invoices/${draft.id}/finalize`, {}, key)),
    );
    const statuses = responses.map((response) => response.status);
    expect(statuses.every((status) => status === 200 || status === 409)).toBe(true);
    expect(statuses.filter((status) => status === 409).length).toBeGreaterThanOrEqual(1);
    const ok = responses.filter((response) => response.status === 200);
    expect(ok.length).toBeGreaterThanOrEqual(1);
    expect(new Set(ok.map((response) => response.text)).size).toBe(1);
    for (const conflict of responses.filter((response) => response.status === 409)) {
      expect(conflict.json.error).toMatchObject({
        type: 'idempotency_error',
        code: 'idempotency_key_in_use',
      });
    }
    expect((await eventTypes(stack, draft.id)).filter((type) => type === 'invoice.finalized')).toHaveLength(
      1,
    );
    const later = await post(`/v1/invoices/${draft.id}/finalize`, {}, key);
    expect(later.headers.get('idempotent-replayed')).toBe('true');
    expect(later.text).toBe(ok[0].text);
  });
});

describe('key lifetime and scope', () => {
  it('treats a key older than 24 hours as new: the request runs again and makes a new object', async () => {
    const idempotencyKey = newKey();
    const first = await stack.stripe.customers.create({ email: 'old@example.com' }, { idempotencyKey });
    await stack
      .db('idempotency_keys')
      .where({ idempotency_key: idempotencyKey })
      .update({ created: stack.db.raw(`now() - interval '25 hours'`) });
    const second = await stack.stripe.customers.create({ email: 'old@example.com' }, { idempotencyKey });
    expect(second.id).not.toBe(first.id);
    expect(await keyRows(idempotencyKey)).toMatchObject([{ generation: 1, status: 'complete' }]);
  });

  it('keeps keys apart per account', async () => {
    const other = await stack.newAccount();
    const idempotencyKey = newKey();
    const mine = await stack.stripe.customers.create({ email: 'mine@example.com' }, { idempotencyKey });
    const theirs = await other.stripe.customers.create({ email: 'theirs@example.com' }, { idempotencyKey });
    expect(theirs.id).not.toBe(mine.id);
    expect(theirs.email).toBe('theirs@example.com');
    expect((await keyRows(idempotencyKey)).map((row) => row.account_id).sort()).toEqual(
      [stack.accountId, other.accountId].sort(),
    );
  });
});

describe('failed requests', () => {
  it('replays a 4xx the endpoint answered', async () => {
    const key = newKey();
    const first = await post('/v1/invoices', { customer: 'cus_missing' }, key);
    expect(first.status).toBe(404);
    const again = await post('/v1/invoices', { customer: 'cus_missing' }, key);
    expect(again.status).toBe(404);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.text).toBe(first.text);
  });

  it('saves nothing when the parameters failed validation, as Stripe does', async () => {
    const key = newKey();
    const refused = await post('/v1/customers', { bogus: 'x' }, key);
    expect(refused.json.error?.code).toBe('parameter_unknown');
    const fixed = await post('/v1/customers', { email: 'fixed@example.com' }, key);
    expect(fixed.status).toBe(200);
    expect(fixed.headers.get('idempotent-replayed')).toBeNull();
  });
});

describe('deterministic ids for creates', () => {
  it('lands a retry whose stored response was lost on the same invoice and workflow', async () => {
    const customer = await stack.stripe.customers.create({});
    const idempotencyKey = newKey();
    const first = await stack.stripe.invoices.create({ customer: customer.id }, { idempotencyKey });
    const run = (await stack.temporal.workflow.getHandle(invoiceWorkflowId(first.id)).describe()).runId;
    await stack.db('idempotency_keys').where({ idempotency_key: idempotencyKey }).delete();
    const retried = await stack.stripe.invoices.create({ customer: customer.id }, { idempotencyKey });
    expect(retried.id).toBe(first.id);
    expect(await invoiceCount(customer.id)).toBe(1);
    expect(await eventTypes(stack, first.id)).toEqual(['invoice.created']);
    const after = await stack.temporal.workflow.getHandle(invoiceWorkflowId(first.id)).describe();
    expect(after.runId).toBe(run);
  });

  it('lets a retry take over a key left in flight by a crashed request once its lock is stale', async () => {
    const customer = await stack.stripe.customers.create({});
    const idempotencyKey = newKey();
    const first = await stack.stripe.invoices.create({ customer: customer.id }, { idempotencyKey });
    // What a crash between starting the workflow and storing the response leaves behind.
    await stack
      .db('idempotency_keys')
      .where({ idempotency_key: idempotencyKey })
      .update({ status: 'in_flight', response_status: null, response_body: null });
    const blocked = await stripeError(
      stack.stripe.invoices.create({ customer: customer.id }, { idempotencyKey }),
    );
    expect(blocked.statusCode).toBe(409);
    expect(blocked.code).toBe('idempotency_key_in_use');
    await stack
      .db('idempotency_keys')
      .where({ idempotency_key: idempotencyKey })
      .update({ locked_at: stack.db.raw(`now() - interval '2 minutes'`) });
    const retried = await stack.stripe.invoices.create({ customer: customer.id }, { idempotencyKey });
    expect(retried.id).toBe(first.id);
    expect(await invoiceCount(customer.id)).toBe(1);
  });
});
