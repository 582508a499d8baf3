import Stripe from 'stripe';
import type { Stack } from './stack';

export async function stripeError(promise: Promise<unknown>): Promise<Stripe.errors.StripeError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof Stripe.errors.StripeError) return error;
    throw error;
  }
  throw new Error('expected the request to fail');
}

export async function rowCounts(stack: Stack, tables = ['customers', 'invoices', 'events', 'payments']) {
  const counts: Record<string, number> = {};
  for (const table of tables) {
    const [{ count }] = await stack.db(table).count({ count: '*' });
    counts[table] = Number(count);
  }
  return counts;
}

export async function eventTypes(stack: Stack, objectId: string): Promise<string[]> {
  const rows = (await stack.db('events').where({ object_id: objectId }).orderBy('seq')) as Array<{
    type: string;
  }>;
  return rows.map((row) => row.type);
}

// A draft with the given line amounts, for tests that start from there.
export async function draftWithLines(
  stack: Stack,
  amounts: number[],
  options: { customer?: string; params?: Partial<Stripe.InvoiceCreateParams> } = {},
): Promise<Stripe.Invoice> {
  const customer = options.customer ?? (await stack.stripe.customers.create({})).id;
  const draft = await stack.stripe.invoices.create({ customer, ...options.params });
  if (amounts.length === 0) return draft;
  return stack.stripe.invoices.addLines(draft.id, {
    lines: amounts.map((amount, index) => ({ amount, description: `Line ${index + 1}` })),
  });
}

// A request refused with a Stripe error that changed none of these tables' row counts.
export async function refusedWithoutChange(
  stack: Stack,
  tables: string[],
  request: () => Promise<unknown>,
): Promise<Stripe.errors.StripeError> {
  const before = await rowCounts(stack, tables);
  const error = await stripeError(request());
  expect(await rowCounts(stack, tables)).toEqual(before);
  return error;
}

// A monthly usd price of a new product.
export async function monthlyPrice(stack: Stack, unitAmount: number, name: string): Promise<Stripe.Price> {
  const product = await stack.stripe.products.create({ name });
  return stack.stripe.prices.create({
    product: product.id,
    currency: 'usd',
    unit_amount: unitAmount,
    recurring: { interval: 'month' },
  });
}

// A subscription's invoices, oldest first.
export async function subscriptionInvoices(stack: Stack, subscriptionId: string): Promise<Stripe.Invoice[]> {
  const list = await stack.stripe.invoices.list({ subscription: subscriptionId, limit: 100 });
  return [...list.data].sort((a, b) => a.created - b.created);
}
