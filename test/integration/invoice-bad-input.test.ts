// Bad input on invoice endpoints: each gets Stripe's error with the right status and param,
// and nothing changes.
import type Stripe from 'stripe';
import { startStack, type Stack } from '../support/stack';
import { draftWithLines, rowCounts, stripeError } from '../support/stripe-helpers';
import { waitFor } from '../support/wait-for';

let stack: Stack;
let customer: Stripe.Customer;
beforeAll(async () => {
  stack = await startStack();
  customer = await stack.stripe.customers.create({});
});
afterAll(async () => {
  await stack?.stop();
});

async function expectRefused(
  request: () => Promise<unknown>,
  expected: { status: number; param?: string; code?: string },
): Promise<void> {
  const before = await rowCounts(stack, [
    'invoices',
    'events',
    'customer_balance_transactions',
    'invoice_items',
  ]);
  const error = await stripeError(request());
  expect(error.statusCode).toBe(expected.status);
  if (expected.param !== undefined) expect(error.param).toBe(expected.param);
  if (expected.code !== undefined) expect(error.code).toBe(expected.code);
  expect(
    await rowCounts(stack, ['invoices', 'events', 'customer_balance_transactions', 'invoice_items']),
  ).toEqual(before);
}

describe('creating an invoice', () => {
  it.each([
    ['an unknown parameter', { bogus: '1' }, 'bogus', 'parameter_unknown'],
    ['a bad enum', { collection_method: 'sometimes' }, 'collection_method', undefined],
    ['a wrong type', { auto_advance: 'maybe' }, 'auto_advance', undefined],
    ['a negative days_until_due', { days_until_due: -1 }, 'days_until_due', 'parameter_invalid_integer'],
    ['an unsupported currency', { currency: 'zzz' }, 'currency', undefined],
    [
      '51 metadata keys',
      { metadata: Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, 'v'])) },
      'metadata',
      undefined,
    ],
    [
      'a 41-character metadata key',
      { metadata: { ['k'.repeat(41)]: 'v' } },
      `metadata[${'k'.repeat(41)}]`,
      undefined,
    ],
    ['a 501-character metadata value', { metadata: { k: 'v'.repeat(501) } }, 'metadata[k]', undefined],
  ])('refuses %s', async (_label, params, param, code) => {
    await expectRefused(
      () =>
        stack.stripe.invoices.create({
          customer: customer.id,
          ...(params as object),
        } as Stripe.InvoiceCreateParams),
      { status: 400, param, code },
    );
  });

  it('refuses a due date on a charge_automatically invoice', async () => {
    await expectRefused(() => stack.stripe.invoices.create({ customer: customer.id, days_until_due: 30 }), {
      status: 400,
    });
  });

  // The create reaches the workflow's validator (the API cannot know the customer's time), and
  // update-with-start has started the workflow by then: it must end, not wait forever.
  it('refused by the workflow, leaves no running workflow behind', async () => {
    const own = await stack.stripe.customers.create({});
    await expectRefused(
      () =>
        stack.stripe.invoices.create({
          customer: own.id,
          automatically_finalizes_at: Math.floor(Date.now() / 1000) - 60,
        }),
      { status: 400, param: 'automatically_finalizes_at' },
    );
    const started = await waitFor(
      async () => {
        const found = [];
        for await (const execution of stack.temporal.workflow.list({ query: `CustomerId = "${own.id}"` }))
          found.push(execution);
        return found.length > 0 && found;
      },
      10_000,
      'the refused invoice workflow in visibility',
    );
    expect(started).toHaveLength(1);
    // result() resolves only once the workflow has closed; it stays open without the fix.
    await stack.temporal.workflow.getHandle(started[0].workflowId, started[0].runId).result();
    expect((await stack.temporal.workflow.getHandle(started[0].workflowId).describe()).status.name).toBe(
      'COMPLETED',
    );

    // The customer can still be invoiced, with a good time this time.
    const invoice = await stack.stripe.invoices.create({
      customer: own.id,
      automatically_finalizes_at: Math.floor(Date.now() / 1000) + 3600,
    });
    expect(invoice.automatically_finalizes_at).toBeGreaterThan(Date.now() / 1000);
    expect(invoice.status).toBe('draft');
  });
});

describe('changing lines', () => {
  it('refuses an amount over the maximum', async () => {
    const invoice = await draftWithLines(stack, [100], { customer: customer.id });
    await expectRefused(
      () => stack.stripe.invoices.addLines(invoice.id, { lines: [{ amount: 100_000_000 }] }),
      {
        status: 400,
      },
    );
  });

  it('refuses a line in another currency than the invoice', async () => {
    const invoice = await draftWithLines(stack, [100], { customer: customer.id });
    await expectRefused(
      () =>
        stack.stripe.invoices.addLines(invoice.id, {
          lines: [{ price_data: { currency: 'eur', unit_amount: 100, product: 'prod_x' }, quantity: 1 }],
        }),
      { status: 400 },
    );
  });

  it('refuses a line id that is not on the invoice', async () => {
    const invoice = await draftWithLines(stack, [100], { customer: customer.id });
    await expectRefused(
      () => stack.stripe.invoices.updateLines(invoice.id, { lines: [{ id: 'il_nope', amount: 5 }] }),
      {
        status: 400,
      },
    );
  });

  it('refuses an unknown behavior on remove_lines', async () => {
    const invoice = await draftWithLines(stack, [100], { customer: customer.id });
    const line = invoice.lines.data[0];
    await expectRefused(
      () =>
        stack.stripe.invoices.removeLines(invoice.id, {
          lines: [{ id: line.id, behavior: 'shred' as 'delete' }],
        }),
      { status: 400, param: 'lines[0][behavior]' },
    );
  });
});

describe("another account's invoice", () => {
  it('is not found for any operation', async () => {
    const invoice = await draftWithLines(stack, [100], { customer: customer.id });
    const other = await stack.newAccount();
    for (const call of [
      () => other.stripe.invoices.retrieve(invoice.id),
      () => other.stripe.invoices.update(invoice.id, { description: 'mine now' }),
      () => other.stripe.invoices.finalizeInvoice(invoice.id),
      () => other.stripe.invoices.del(invoice.id),
      () => other.stripe.invoices.addLines(invoice.id, { lines: [{ amount: 1 }] }),
      () => other.stripe.invoices.listLineItems(invoice.id),
    ]) {
      await expectRefused(call, { status: 404, code: 'resource_missing' });
    }
    expect((await stack.stripe.invoices.retrieve(invoice.id)).description).toBeNull();
  });

  it('is absent from lists', async () => {
    const other = await stack.newAccount();
    expect((await other.stripe.invoices.list({ limit: 100 })).data).toEqual([]);
  });
});

describe('unknown ids', () => {
  it('answers 404 for every invoice operation', async () => {
    await expectRefused(() => stack.stripe.invoices.finalizeInvoice('in_doesnotexist'), {
      status: 404,
      code: 'resource_missing',
    });
    await expectRefused(() => stack.stripe.invoices.pay('in_doesnotexist'), {
      status: 404,
      code: 'resource_missing',
    });
  });
});
