// The walking skeleton through every layer, driven by the official stripe client.
import type Stripe from 'stripe';
import { invoiceWorkflowId } from '../../workflows/messages';
import { AccountId, CustomerId, InvoiceStatus } from '../../workflows/search-attributes';
import { expectStripeShape } from '../support/stripe-shape';
import { stripeError } from '../support/stripe-helpers';
import { startStack, type Stack } from '../support/stack';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.stop();
});

async function rowCounts(): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of ['customers', 'invoices', 'events']) {
    const [{ count }] = await stack.db(table).count({ count: '*' });
    counts[table] = Number(count);
  }
  return counts;
}

describe('customers', () => {
  it('creates and retrieves a customer in Stripe shape', async () => {
    const created = await stack.stripe.customers.create({
      email: 'jenny@example.com',
      name: 'Jenny Rosen',
      metadata: { crm_id: '42' },
    });
    expect(created.id).toMatch(/^cus_[0-9A-Za-z]{24}$/);
    expect(created).toMatchObject({
      object: 'customer',
      email: 'jenny@example.com',
      balance: 0,
      livemode: false,
    });
    expect(created.invoice_prefix).toMatch(/^[A-Z0-9]{3,12}$/);
    const retrieved = await stack.stripe.customers.retrieve(created.id);
    expect(retrieved).toEqual(created);
    expectStripeShape(retrieved);
  });
});

describe('invoices', () => {
  it('creates a draft through its workflow and retrieves it from Postgres', async () => {
    const customer = await stack.stripe.customers.create({ email: 'billing@example.com' });
    const created = await stack.stripe.invoices.create({
      customer: customer.id,
      description: 'Consulting',
      metadata: { order: 'A-1' },
    });
    expect(created.id).toMatch(/^in_[0-9A-Za-z]{24}$/);
    expect(created).toMatchObject({
      object: 'invoice',
      status: 'draft',
      customer: customer.id,
      currency: 'usd',
      description: 'Consulting',
      metadata: { order: 'A-1' },
      amount_due: 0,
      collection_method: 'charge_automatically',
    });
    const retrieved = await stack.stripe.invoices.retrieve(created.id);
    expect(retrieved).toEqual(created);
    expectStripeShape(retrieved);
  });

  it('runs one workflow per invoice with its search attributes', async () => {
    const customer = await stack.stripe.customers.create({});
    const invoice = await stack.stripe.invoices.create({ customer: customer.id });
    const description = await stack.temporal.workflow.getHandle(invoiceWorkflowId(invoice.id)).describe();
    expect(description.status.name).toBe('RUNNING');
    expect(description.typedSearchAttributes.get(InvoiceStatus)).toBe('draft');
    expect(description.typedSearchAttributes.get(CustomerId)).toBe(customer.id);
    expect(description.typedSearchAttributes.get(AccountId)).toBe(stack.accountId);
  });

  // The dev server runs with one partition per task queue (scripts/dev-server-args.ts): with
  // four, a first workflow task dispatched twice aborted about one update in 300.
  it('polls a task queue of one partition', async () => {
    const partitions = await stack.temporal.workflowService.listTaskQueuePartitions({
      namespace: stack.config.namespace,
      taskQueue: { name: stack.config.taskQueue },
    });
    expect(partitions.workflowTaskQueuePartitions).toHaveLength(1);
    expect(partitions.activityTaskQueuePartitions).toHaveLength(1);
  });

  it('records invoice.created in the same transaction as the invoice', async () => {
    const customer = await stack.stripe.customers.create({});
    const invoice = await stack.stripe.invoices.create({ customer: customer.id });
    const events = await stack.db('events').where({ object_id: invoice.id });
    expect(events.map((event: { type: string }) => event.type)).toEqual(['invoice.created']);
  });

  it('expands the customer on request', async () => {
    const customer = await stack.stripe.customers.create({ name: 'Expanded' });
    const invoice = await stack.stripe.invoices.create({ customer: customer.id, expand: ['customer'] });
    expect((invoice.customer as Stripe.Customer).name).toBe('Expanded');
    const retrieved = await stack.stripe.invoices.retrieve(invoice.id, { expand: ['customer'] });
    expect((retrieved.customer as Stripe.Customer).id).toBe(customer.id);
  });
});

describe('bad input', () => {
  it('refuses an unknown parameter with 400 and its name, writing nothing', async () => {
    const before = await rowCounts();
    const error = await stripeError(
      stack.stripe.customers.create({ bogus: 'x' } as Stripe.CustomerCreateParams),
    );
    expect(error.statusCode).toBe(400);
    expect(error.type).toBe('StripeInvalidRequestError');
    expect(error.code).toBe('parameter_unknown');
    expect(error.param).toBe('bogus');
    expect(await rowCounts()).toEqual(before);
  });

  it('refuses an invoice for a customer that does not exist with 404, writing nothing', async () => {
    const before = await rowCounts();
    const error = await stripeError(stack.stripe.invoices.create({ customer: 'cus_doesnotexist' }));
    expect(error.statusCode).toBe(404);
    expect(error.code).toBe('resource_missing');
    expect(error.param).toBe('customer');
    expect(await rowCounts()).toEqual(before);
  });

  it('answers 404 resource_missing for unknown ids', async () => {
    const invoiceError = await stripeError(stack.stripe.invoices.retrieve('in_missing'));
    expect(invoiceError.statusCode).toBe(404);
    expect(invoiceError.code).toBe('resource_missing');
    const customerError = await stripeError(stack.stripe.customers.retrieve('cus_missing'));
    expect(customerError.statusCode).toBe(404);
    expect(customerError.code).toBe('resource_missing');
  });

  it('refuses a wrong type with the parameter named', async () => {
    const customer = await stack.stripe.customers.create({});
    const error = await stripeError(
      stack.stripe.invoices.create({ customer: customer.id, days_until_due: 'soon' as unknown as number }),
    );
    expect(error.statusCode).toBe(400);
    expect(error.code).toBe('parameter_invalid_integer');
    expect(error.param).toBe('days_until_due');
  });
});

describe('authentication', () => {
  it('answers 401 without a key', async () => {
    const response = await fetch(`${stack.api.url}/v1/customers`);
    expect(response.status).toBe(401);
    const body = (await response.json()) as { error: { type: string; message: string } };
    expect(body.error.type).toBe('invalid_request_error');
    expect(response.headers.get('request-id')).toMatch(/^req_/);
  });

  it('answers 401 with a wrong key, without echoing it', async () => {
    const error = await stripeError(stack.stripeFor('sk_test_wrongwrongwrongwrong').customers.list());
    expect(error.statusCode).toBe(401);
    expect(error.message).not.toContain('sk_test_wrongwrongwrongwrong');
  });

  it('accepts HTTP Basic with the key as user name', async () => {
    const response = await fetch(`${stack.api.url}/v1/customers`, {
      headers: { authorization: `Basic ${Buffer.from(`${stack.secretKey}:`).toString('base64')}` },
    });
    expect(response.status).toBe(200);
  });

  it('stores keys hashed, never in clear', async () => {
    const rows = await stack.db('api_keys').select('key_hash');
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows as Array<{ key_hash: string }>) {
      expect(row.key_hash).toMatch(/^[0-9a-f]{64}$/);
      expect(row.key_hash).not.toContain(stack.secretKey);
    }
  });

  it("keeps accounts apart: another account's key sees 404", async () => {
    const customer = await stack.stripe.customers.create({});
    const invoice = await stack.stripe.invoices.create({ customer: customer.id });
    const other = await stack.newAccount();
    expect((await stripeError(other.stripe.customers.retrieve(customer.id))).statusCode).toBe(404);
    expect((await stripeError(other.stripe.invoices.retrieve(invoice.id))).statusCode).toBe(404);
    const error = await stripeError(other.stripe.invoices.create({ customer: customer.id }));
    expect(error.statusCode).toBe(404);
  });
});
