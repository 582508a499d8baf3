// /v1/invoiceitems through the official stripe client: pending items live in Postgres; items on a
// draft are its lines, changed through the invoice's workflow.
import Stripe from 'stripe';
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

// The body as it was on the wire: the client turns decimal strings into Decimal objects.
function wire(body: unknown): unknown {
  return JSON.parse(JSON.stringify(body));
}

async function rowCounts(): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of ['invoice_items', 'events']) {
    const [{ count }] = await stack.db(table).count({ count: '*' });
    counts[table] = Number(count);
  }
  return counts;
}

async function eventTypesOf(objectId: string): Promise<string[]> {
  const rows = (await stack.db('events').where({ object_id: objectId }).orderBy('seq')) as Array<{
    type: string;
  }>;
  return rows.map((row) => row.type);
}

async function newCustomer(params: Stripe.CustomerCreateParams = {}): Promise<Stripe.Customer> {
  return stack.stripe.customers.create(params);
}

describe('pending invoice items', () => {
  it('creates, retrieves, updates and deletes an item in Stripe shape', async () => {
    const customer = await newCustomer();
    const created = await stack.stripe.invoiceItems.create({
      customer: customer.id,
      amount: 1500,
      currency: 'usd',
      description: 'Setup fee',
      metadata: { order: '7' },
      period: { start: 1_700_000_000, end: 1_700_086_400 },
    });
    expect(created.id).toMatch(/^ii_[0-9A-Za-z]{24}$/);
    expect(created).toMatchObject({
      object: 'invoiceitem',
      customer: customer.id,
      invoice: null,
      amount: 1500,
      currency: 'usd',
      quantity: 1,
      discountable: true,
      description: 'Setup fee',
      metadata: { order: '7' },
      period: { start: 1_700_000_000, end: 1_700_086_400 },
    });
    const retrieved = await stack.stripe.invoiceItems.retrieve(created.id);
    expect(retrieved).toEqual(created);
    expectStripeShape(wire(retrieved));

    const updated = await stack.stripe.invoiceItems.update(created.id, {
      amount: 2500,
      description: 'Setup fee (revised)',
      metadata: { order: '', batch: 'b1' },
    });
    expect(updated).toMatchObject({
      amount: 2500,
      description: 'Setup fee (revised)',
      metadata: { batch: 'b1' },
    });
    expect(await stack.stripe.invoiceItems.retrieve(created.id)).toEqual(updated);

    const deleted = await stack.stripe.invoiceItems.del(created.id);
    expect(deleted).toEqual({ id: created.id, object: 'invoiceitem', deleted: true });
    const missing = await stripeError(stack.stripe.invoiceItems.retrieve(created.id));
    expect({ status: missing.statusCode, code: missing.code }).toEqual({
      status: 404,
      code: 'resource_missing',
    });
    expect((await stripeError(stack.stripe.invoiceItems.del(created.id))).statusCode).toBe(404);
    expect(await eventTypesOf(created.id)).toEqual(['invoiceitem.created', 'invoiceitem.deleted']);
  });

  it('prices unit_amount_decimal × quantity and defaults the currency to the customer’s', async () => {
    const customer = await newCustomer();
    await stack.stripe.customers.createBalanceTransaction(customer.id, { amount: -100, currency: 'eur' });
    const item = await stack.stripe.invoiceItems.create({
      customer: customer.id,
      unit_amount_decimal: Stripe.Decimal.from('12.5'),
      quantity: 3,
    });
    expect(item).toMatchObject({ amount: 38, quantity: 3, currency: 'eur' });
    expect(String(item.pricing?.unit_amount_decimal)).toBe('12.5');
    const requantified = await stack.stripe.invoiceItems.update(item.id, { quantity: 4 });
    expect(requantified.amount).toBe(50);
  });

  it('lists with customer, pending, created filters and cursor pagination', async () => {
    const customer = await newCustomer();
    const other = await newCustomer();
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      ids.push((await stack.stripe.invoiceItems.create({ customer: customer.id, amount: 100 + i })).id);
    }
    await stack.stripe.invoiceItems.create({ customer: other.id, amount: 1 });
    const newestFirst = [...ids].reverse();

    const first = await stack.stripe.invoiceItems.list({ customer: customer.id, limit: 2 });
    expect(first.data.map((item) => item.id)).toEqual(newestFirst.slice(0, 2));
    expect(first.has_more).toBe(true);
    expect(first.url).toBe('/v1/invoiceitems');
    const second = await stack.stripe.invoiceItems.list({
      customer: customer.id,
      limit: 2,
      starting_after: first.data[1]!.id,
    });
    expect(second.data.map((item) => item.id)).toEqual(newestFirst.slice(2, 4));
    const before = await stack.stripe.invoiceItems.list({
      customer: customer.id,
      ending_before: newestFirst[2],
    });
    expect(before.data.map((item) => item.id)).toEqual(newestFirst.slice(0, 2));
    const all = await stack.stripe.invoiceItems
      .list({ customer: customer.id })
      .autoPagingToArray({ limit: 100 });
    expect(all.map((item) => item.id)).toEqual(newestFirst);

    expect(
      (await stack.stripe.invoiceItems.list({ customer: customer.id, pending: true })).data,
    ).toHaveLength(5);
    expect(
      (await stack.stripe.invoiceItems.list({ customer: customer.id, pending: false })).data,
    ).toHaveLength(0);
    const [latest] = (await stack.stripe.invoiceItems.list({ customer: customer.id, limit: 1 })).data;
    const ranged = await stack.stripe.invoiceItems.list({
      customer: customer.id,
      created: { gt: latest!.date },
    });
    expect(ranged.data).toHaveLength(0);
    const expanded = await stack.stripe.invoiceItems.list({ customer: other.id, expand: ['data.customer'] });
    expect((expanded.data[0]!.customer as Stripe.Customer).id).toBe(other.id);
  });
});

describe('bad input', () => {
  const cases: Array<
    [string, (customer: string) => Stripe.InvoiceItemCreateParams, number, string | undefined, string]
  > = [
    [
      'both amount and unit_amount_decimal',
      (customer) => ({ customer, amount: 100, unit_amount_decimal: Stripe.Decimal.from('100') }),
      400,
      'parameters_exclusive',
      'amount',
    ],
    [
      'an amount that is not an integer',
      (customer) => ({ customer, amount: 'x' as unknown as number }),
      400,
      'parameter_invalid_integer',
      'amount',
    ],
    [
      'a negative quantity',
      (customer) => ({ customer, amount: 100, quantity: -1 }),
      400,
      'parameter_invalid_integer',
      'quantity',
    ],
    [
      'an unknown parameter',
      (customer) => ({ customer, amount: 100, bogus: 'x' }) as Stripe.InvoiceItemCreateParams,
      400,
      'parameter_unknown',
      'bogus',
    ],
    [
      'an unsupported currency',
      (customer) => ({ customer, amount: 100, currency: 'zzz' }),
      400,
      undefined,
      'currency',
    ],
    ['no amount at all', (customer) => ({ customer }), 400, 'parameter_missing', 'amount'],
    [
      'an amount over eight digits',
      (customer) => ({ customer, amount: 100_000_000 }),
      400,
      'amount_too_large',
      'amount',
    ],
  ];

  it.each(cases)('refuses %s, writing nothing', async (_name, params, status, code, param) => {
    const customer = await newCustomer();
    const before = await rowCounts();
    const error = await stripeError(stack.stripe.invoiceItems.create(params(customer.id)));
    expect({ status: error.statusCode, type: error.type, code: error.code, param: error.param }).toEqual({
      status,
      type: 'StripeInvalidRequestError',
      code,
      param,
    });
    expect(await rowCounts()).toEqual(before);
  });

  it("answers 404 for another account's customer and item, writing nothing", async () => {
    const other = await stack.newAccount();
    const theirs = await other.stripe.customers.create({});
    const theirItem = await other.stripe.invoiceItems.create({ customer: theirs.id, amount: 100 });
    const before = await rowCounts();
    const error = await stripeError(stack.stripe.invoiceItems.create({ customer: theirs.id, amount: 100 }));
    expect({ status: error.statusCode, code: error.code, param: error.param }).toEqual({
      status: 404,
      code: 'resource_missing',
      param: 'customer',
    });
    for (const attempt of [
      stack.stripe.invoiceItems.retrieve(theirItem.id),
      stack.stripe.invoiceItems.update(theirItem.id, { amount: 1 }),
      stack.stripe.invoiceItems.del(theirItem.id),
    ]) {
      const refused = await stripeError(attempt);
      expect({ status: refused.statusCode, code: refused.code, param: refused.param }).toEqual({
        status: 404,
        code: 'resource_missing',
        param: 'id',
      });
    }
    expect(await rowCounts()).toEqual(before);
    expect((await stack.stripe.invoiceItems.list({ customer: theirs.id })).data).toEqual([]);
  });
});

// These drive the invoice workflow's addInvoiceItem / updateInvoiceItem / deleteInvoiceItem
// updates and pending_invoice_items_behavior.
describe('items on invoices', () => {
  it('adds an item to a draft as a line, re-totals on update, and removes the line on delete', async () => {
    const customer = await newCustomer();
    const draft = await stack.stripe.invoices.create({ customer: customer.id });
    const item = await stack.stripe.invoiceItems.create({
      customer: customer.id,
      invoice: draft.id,
      amount: 1200,
    });
    expect(item).toMatchObject({ invoice: draft.id, amount: 1200, currency: 'usd' });
    expectStripeShape(wire(item));
    let invoice = await stack.stripe.invoices.retrieve(draft.id);
    expect(invoice.total).toBe(1200);
    expect(invoice.lines.data).toHaveLength(1);
    expect(invoice.lines.data[0]!.parent?.invoice_item_details?.invoice_item).toBe(item.id);
    expect((await stack.stripe.invoiceItems.list({ invoice: draft.id })).data.map((i) => i.id)).toEqual([
      item.id,
    ]);

    const updated = await stack.stripe.invoiceItems.update(item.id, { amount: 2000, description: 'More' });
    expect(updated).toMatchObject({ amount: 2000, description: 'More', invoice: draft.id, date: item.date });
    invoice = await stack.stripe.invoices.retrieve(draft.id);
    expect(invoice.total).toBe(2000);
    expect(invoice.lines.data[0]!.description).toBe('More');

    await stack.stripe.invoiceItems.del(item.id);
    invoice = await stack.stripe.invoices.retrieve(draft.id);
    expect(invoice.lines.data).toEqual([]);
    expect(invoice.total).toBe(0);
    expect((await stripeError(stack.stripe.invoiceItems.retrieve(item.id))).statusCode).toBe(404);
    expect(await eventTypesOf(item.id)).toEqual(['invoiceitem.created', 'invoiceitem.deleted']);
  });

  it("refuses an invoice of another customer, and a currency that is not the invoice's", async () => {
    const customer = await newCustomer();
    const other = await newCustomer();
    const theirDraft = await stack.stripe.invoices.create({ customer: other.id });
    const before = await rowCounts();
    const wrongCustomer = await stripeError(
      stack.stripe.invoiceItems.create({ customer: customer.id, invoice: theirDraft.id, amount: 100 }),
    );
    expect({ status: wrongCustomer.statusCode, param: wrongCustomer.param }).toEqual({
      status: 400,
      param: 'invoice',
    });
    const wrongCurrency = await stripeError(
      stack.stripe.invoiceItems.create({
        customer: other.id,
        invoice: theirDraft.id,
        amount: 100,
        currency: 'eur',
      }),
    );
    expect({ status: wrongCurrency.statusCode, param: wrongCurrency.param }).toEqual({
      status: 400,
      param: 'currency',
    });
    const missing = await stripeError(
      stack.stripe.invoiceItems.create({ customer: customer.id, invoice: 'in_nope', amount: 100 }),
    );
    expect({ status: missing.statusCode, code: missing.code, param: missing.param }).toEqual({
      status: 404,
      code: 'resource_missing',
      param: 'invoice',
    });
    expect(await rowCounts()).toEqual(before);
  });

  it("pulls the customer's pending items into a new invoice with pending_invoice_items_behavior=include", async () => {
    const customer = await newCustomer();
    const first = await stack.stripe.invoiceItems.create({ customer: customer.id, amount: 300 });
    const second = await stack.stripe.invoiceItems.create({
      customer: customer.id,
      unit_amount_decimal: Stripe.Decimal.from('250'),
      quantity: 2,
    });
    const excluded = await stack.stripe.invoices.create({
      customer: customer.id,
      pending_invoice_items_behavior: 'exclude',
    });
    expect(excluded.lines.data).toEqual([]);
    expect(
      (await stack.stripe.invoiceItems.list({ customer: customer.id, pending: true })).data,
    ).toHaveLength(2);

    const included = await stack.stripe.invoices.create({
      customer: customer.id,
      pending_invoice_items_behavior: 'include',
    });
    expect(included.total).toBe(800);
    expect(included.lines.data.map((line) => line.parent?.invoice_item_details?.invoice_item)).toEqual([
      first.id,
      second.id,
    ]);
    expect((await stack.stripe.invoiceItems.retrieve(first.id)).invoice).toBe(included.id);
    // Joining an invoice is not a new item: one invoiceitem.created, from when it was made.
    expect(await eventTypesOf(first.id)).toEqual(['invoiceitem.created']);
    expect((await stack.stripe.invoiceItems.list({ customer: customer.id, pending: true })).data).toEqual([]);
    const onInvoice = await stack.stripe.invoiceItems.list({ invoice: included.id });
    expect(onInvoice.data.map((item) => item.id)).toEqual([second.id, first.id]);

    const again = await stack.stripe.invoices.create({
      customer: customer.id,
      pending_invoice_items_behavior: 'include',
    });
    expect(again.lines.data).toEqual([]);
  });

  it('returns an unassigned line to the pending items, and deletes the items of a deleted draft', async () => {
    const customer = await newCustomer();
    const kept = await stack.stripe.invoiceItems.create({ customer: customer.id, amount: 100 });
    const dropped = await stack.stripe.invoiceItems.create({ customer: customer.id, amount: 200 });
    const draft = await stack.stripe.invoices.create({
      customer: customer.id,
      pending_invoice_items_behavior: 'include',
    });
    const lineOf = (id: string) =>
      draft.lines.data.find((line) => line.parent?.invoice_item_details?.invoice_item === id)!;
    await stack.stripe.invoices.removeLines(draft.id, {
      lines: [{ id: lineOf(kept.id).id, behavior: 'unassign' }],
    });
    expect((await stack.stripe.invoiceItems.retrieve(kept.id)).invoice).toBeNull();

    await stack.stripe.invoices.del(draft.id);
    expect((await stripeError(stack.stripe.invoiceItems.retrieve(dropped.id))).statusCode).toBe(404);
    expect((await stack.stripe.invoiceItems.list({ customer: customer.id })).data.map((i) => i.id)).toEqual([
      kept.id,
    ]);
  });

  it('refuses to change or delete an item on a finalized invoice', async () => {
    const customer = await newCustomer();
    const draft = await stack.stripe.invoices.create({
      customer: customer.id,
      collection_method: 'send_invoice',
      days_until_due: 30,
    });
    const item = await stack.stripe.invoiceItems.create({
      customer: customer.id,
      invoice: draft.id,
      amount: 900,
    });
    await stack.stripe.invoices.finalizeInvoice(draft.id);
    for (const attempt of [
      stack.stripe.invoiceItems.del(item.id),
      stack.stripe.invoiceItems.update(item.id, { amount: 1 }),
    ]) {
      const refused = await stripeError(attempt);
      expect({ status: refused.statusCode, code: refused.code }).toEqual({
        status: 400,
        code: 'invoice_not_editable',
      });
    }
    expect(await stack.stripe.invoiceItems.retrieve(item.id)).toMatchObject({
      amount: 900,
      invoice: draft.id,
    });
    expect((await stack.stripe.invoices.retrieve(draft.id)).total).toBe(900);
  });
});
