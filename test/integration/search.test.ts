// Invoice and customer search through the official client: every field with every operator it
// takes, negation, AND and OR, and the queries Stripe refuses. Expected results are written as
// plain predicates over the objects the API returns.
import type Stripe from 'stripe';
import { startStack, type Stack } from '../support/stack';
import { draftWithLines, stripeError } from '../support/stripe-helpers';

let stack: Stack;
const customers: Record<'alice' | 'bob' | 'carol', Stripe.Customer> = {} as never;
const invoices: Record<'open' | 'paid' | 'draft' | 'void' | 'uncollectible', Stripe.Invoice> = {} as never;
let allInvoices: Stripe.Invoice[];
let allCustomers: Stripe.Customer[];

// Fields our API cannot set yet (no subscriptions, receipts or failed finalizations on demand)
// are written into the projection, column and rendered state alike.
async function setProjection(id: string, columns: Record<string, unknown>, state: Record<string, unknown>) {
  await stack
    .db('invoices')
    .where({ id })
    .update({ ...columns, state: stack.db.raw('state || ?::jsonb', [JSON.stringify(state)]) });
}

beforeAll(async () => {
  stack = await startStack();
  const { stripe } = stack;
  customers.alice = await stripe.customers.create({
    email: 'alice.smith@example.com',
    name: 'Alice Smith',
    phone: '+1 555 0100',
    metadata: { tier: 'Gold' },
  });
  customers.bob = await stripe.customers.create({
    email: 'bob@rocketrides.io',
    name: 'Bob Jones',
    phone: '+44 20 7946 0958',
    metadata: { tier: 'silver', ref: 'B-1' },
  });
  customers.carol = await stripe.customers.create({ name: 'Carol' });
  const dave = await stripe.customers.create({ email: 'dave@example.com', name: 'Alice Deleted' });
  await stripe.customers.del(dave.id);

  const draft = (
    who: keyof typeof customers,
    amount: number,
    params: Partial<Stripe.InvoiceCreateParams> = {},
  ) => draftWithLines(stack, [amount], { customer: customers[who].id, params });
  const open = await draft('alice', 1500, { metadata: { order: 'A-100', channel: 'Web' } });
  invoices.open = await stripe.invoices.finalizeInvoice(open.id, { auto_advance: false });
  const paid = await draft('alice', 50000, { currency: 'eur' });
  await stripe.invoices.finalizeInvoice(paid.id, { auto_advance: false });
  invoices.paid = await stripe.invoices.pay(paid.id, { payment_method: 'pm_card_visa' });
  invoices.draft = await draft('bob', 700, { metadata: { order: 'B-7' }, auto_advance: false });
  const voided = await draft('bob', 2500, { currency: 'gbp' });
  await stripe.invoices.finalizeInvoice(voided.id, { auto_advance: false });
  invoices.void = await stripe.invoices.voidInvoice(voided.id);
  const uncollectible = await draft('carol', 12000);
  await stripe.invoices.finalizeInvoice(uncollectible.id, { auto_advance: false });
  invoices.uncollectible = await stripe.invoices.markUncollectible(uncollectible.id);
  const deleted = await draft('alice', 1500, { metadata: { order: 'A-100' } });
  await stripe.invoices.del(deleted.id);

  await setProjection(invoices.draft.id, { subscription_id: 'sub_1Abc' }, { subscriptionId: 'sub_1Abc' });
  await setProjection(invoices.open.id, { receipt_number: '1234-5678' }, { receiptNumber: '1234-5678' });
  const error = {
    code: 'customer_tax_location_invalid',
    type: 'invalid_request_error',
    message: 'No location.',
  };
  await setProjection(
    invoices.void.id,
    { last_finalization_error_code: error.code, last_finalization_error_type: error.type },
    { lastFinalizationError: error },
  );
  allInvoices = await Promise.all(Object.values(invoices).map((i) => stripe.invoices.retrieve(i.id)));
  allCustomers = Object.values(customers);
});
afterAll(async () => {
  await stack?.stop();
});

async function invoiceIds(query: string): Promise<string[]> {
  const result = await stack.stripe.invoices.search({ query, limit: 100 });
  expect(result.object).toBe('search_result');
  return result.data.map((invoice) => invoice.id).sort();
}

async function customerIds(query: string): Promise<string[]> {
  const result = await stack.stripe.customers.search({ query, limit: 100 });
  return result.data.map((customer) => customer.id).sort();
}

const idsWhere = <T extends { id: string }>(objects: T[], predicate: (o: T) => boolean) =>
  objects
    .filter(predicate)
    .map((o) => o.id)
    .sort();

const customerOf = (invoice: Stripe.Invoice) => invoice.customer as string;
const numberOf = (key: keyof typeof invoices) => invoices[key].number as string;

describe('invoice search', () => {
  describe.each<[string, (query: string) => string, (i: Stripe.Invoice) => boolean]>([
    ['created:', () => `created:${invoices.paid.created}`, (i) => i.created === invoices.paid.created],
    ['created>', () => `created>${invoices.paid.created - 1}`, (i) => i.created > invoices.paid.created - 1],
    ['created<', () => `created<${invoices.paid.created + 1}`, (i) => i.created < invoices.paid.created + 1],
    ['created>=', () => `created>=${invoices.paid.created}`, (i) => i.created >= invoices.paid.created],
    ['created<=', () => `created<=${invoices.paid.created}`, (i) => i.created <= invoices.paid.created],
    ['currency: (any case)', () => 'currency:"EUR"', (i) => i.currency === 'eur'],
    ['customer:', () => `customer:"${customers.bob.id}"`, (i) => customerOf(i) === customers.bob.id],
    [
      'customer: (any case)',
      () => `customer:"${customers.bob.id.toUpperCase()}"`,
      (i) => customerOf(i) === customers.bob.id,
    ],
    [
      'last_finalization_error_code:',
      () => 'last_finalization_error_code:"CUSTOMER_TAX_LOCATION_INVALID"',
      (i) => i.id === invoices.void.id,
    ],
    [
      'last_finalization_error_type:',
      () => "last_finalization_error_type:'invalid_request_error'",
      (i) => i.id === invoices.void.id,
    ],
    [
      'last_finalization_error_code:null',
      () => 'last_finalization_error_code:null',
      (i) => i.id !== invoices.void.id,
    ],
    ['metadata[k]:', () => 'metadata["order"]:"a-100"', (i) => i.id === invoices.open.id],
    ['metadata[k]: (another key)', () => "metadata['channel']:'web'", (i) => i.id === invoices.open.id],
    ['metadata[k]:null', () => 'metadata["order"]:null', (i) => !i.metadata?.order],
    ['-metadata[k]:null (has the key)', () => '-metadata["order"]:null', (i) => Boolean(i.metadata?.order)],
    ['number: (the whole number)', () => `number:"${numberOf('paid')}"`, (i) => i.id === invoices.paid.id],
    [
      'number: (a word of it)',
      () => `number:"${numberOf('paid').split('-')[0].toLowerCase()}"`,
      (i) => customerOf(i) === customers.alice.id,
    ],
    [
      'number~',
      () => `number~"${numberOf('void').slice(1, 6)}"`,
      (i) => customerOf(i) === customers.bob.id && i.number !== null,
    ],
    ['number:null', () => 'number:null', (i) => i.number === null],
    ['receipt_number:', () => 'receipt_number:"1234-5678"', (i) => i.id === invoices.open.id],
    ['receipt_number: (words in order)', () => 'receipt_number:"5678"', (i) => i.id === invoices.open.id],
    ['receipt_number: (words out of order)', () => 'receipt_number:"5678 1234"', () => false],
    ['receipt_number~', () => 'receipt_number~"4-56"', (i) => i.id === invoices.open.id],
    ['status:', () => 'status:"open"', (i) => i.status === 'open'],
    ['status: (any case)', () => 'status:"UNCOLLECTIBLE"', (i) => i.status === 'uncollectible'],
    ['status~', () => 'status~"aid"', (i) => i.status === 'paid'],
    ['subscription:', () => 'subscription:"sub_1abc"', (i) => i.id === invoices.draft.id],
    ['subscription~', () => 'subscription~"1Ab"', (i) => i.id === invoices.draft.id],
    ['subscription:null', () => 'subscription:null', (i) => i.id !== invoices.draft.id],
    ['total:', () => 'total:2500', (i) => i.total === 2500],
    ['total>', () => 'total>2500', (i) => i.total > 2500],
    ['total<', () => 'total<2500', (i) => i.total < 2500],
    ['total>= (quoted)', () => 'total>="2500"', (i) => i.total >= 2500],
    ['total<=', () => 'total<=2500', (i) => i.total <= 2500],
    ['-field (negation)', () => '-status:"open"', (i) => i.status !== 'open'],
    ['-field keeps empty fields', () => '-subscription:"sub_1Abc"', (i) => i.id !== invoices.draft.id],
    ['AND', () => 'currency:"usd" AND total>1000', (i) => i.currency === 'usd' && i.total > 1000],
    [
      'space (AND)',
      () => `customer:"${customers.alice.id}" -status:"paid"`,
      (i) => customerOf(i) === customers.alice.id && i.status !== 'paid',
    ],
    [
      'OR',
      () => 'status:"void" OR status:"draft" or total>20000',
      (i) => ['void', 'draft'].includes(i.status!) || i.total > 20000,
    ],
    [
      'OR with negation',
      () => '-currency:"usd" OR total<1000',
      (i) => i.currency !== 'usd' || i.total < 1000,
    ],
  ])('%s', (_name, query, predicate) => {
    it('returns exactly the matching invoices', async () => {
      expect(await invoiceIds(query(''))).toEqual(idsWhere(allInvoices, predicate));
    });
  });

  it('answers newest first and never shows deleted drafts', async () => {
    const result = await stack.stripe.invoices.search({ query: 'total>=0' });
    expect(result.data.map((i) => i.id)).toEqual(
      [invoices.open, invoices.paid, invoices.draft, invoices.void, invoices.uncollectible]
        .map((i) => i.id)
        .reverse(),
    );
    expect(result).toMatchObject({ has_more: false, next_page: null, url: '/v1/invoices/search' });
    expect(result.data[0]).toMatchObject({ object: 'invoice', status: 'uncollectible' });
  });

  it('expands each result with data.customer', async () => {
    const result = await stack.stripe.invoices.search({ query: 'status:"void"', expand: ['data.customer'] });
    expect(result.data[0].customer).toMatchObject({ id: customers.bob.id, object: 'customer' });
  });
});

describe('customer search', () => {
  describe.each<[string, () => string, (c: Stripe.Customer) => boolean]>([
    ['created>=', () => `created>=${customers.bob.created}`, (c) => c.created >= customers.bob.created],
    ['created<', () => `created<${customers.bob.created}`, (c) => c.created < customers.bob.created],
    ['email: (the address)', () => 'email:"bob@rocketrides.io"', (c) => c.id === customers.bob.id],
    ['email: (words in order)', () => 'email:"Smith@Example"', (c) => c.id === customers.alice.id],
    ['email~', () => 'email~"ROCKETRIDES"', (c) => c.id === customers.bob.id],
    ['email:null', () => 'email:null', (c) => c.id === customers.carol.id],
    ['metadata[k]:', () => 'metadata["tier"]:"gold"', (c) => c.id === customers.alice.id],
    ['-metadata[k]:null', () => '-metadata["ref"]:null', (c) => c.id === customers.bob.id],
    ['name: (one word)', () => 'name:"smith"', (c) => c.id === customers.alice.id],
    [
      'name: (words, as Stripe: "one two" matches "one two three")',
      () => 'name:"bob"',
      (c) => c.id === customers.bob.id,
    ],
    ['name~', () => 'name~"aro"', (c) => c.id === customers.carol.id],
    ['phone:', () => 'phone:"+1 555 0100"', (c) => c.id === customers.alice.id],
    ['phone: (a number value)', () => 'phone:7946', (c) => c.id === customers.bob.id],
    ['phone~', () => 'phone~"20 79"', (c) => c.id === customers.bob.id],
    ['phone:null', () => 'phone:null', (c) => c.id === customers.carol.id],
    ['OR', () => 'name:"carol" OR email~"example.com"', (c) => c.id !== customers.bob.id],
    ['negation', () => '-name~"smi"', (c) => c.id !== customers.alice.id],
  ])('%s', (_name, query, predicate) => {
    it('returns exactly the matching customers (never deleted ones)', async () => {
      expect(await customerIds(query())).toEqual(idsWhere(allCustomers, predicate));
    });
  });
});

describe('refused queries: 400 invalid_request_error naming query', () => {
  it.each([
    ['status:"open" OR total>1 AND currency:"usd"', /position 25: cannot combine AND and OR/],
    ['status:open', /position 7: expected a quoted value/],
    ['total>"abc"', /position 6: expected an integer for total/],
    ['amount>5', /position 0: unknown field "amount"/],
    ['total~"100"', /numeric field total does not support "~"/],
    ['currency~"usd"', /token field currency does not support "~"/],
    ['number>"5"', /string field number does not support ">"/],
    ['number~"ab"', /at least 3 characters/],
    ['(status:"open")', /position 0: .*no parentheses/],
    ['status:"open', /position 7: unterminated string/],
  ])('%s', async (query, message) => {
    const error = await stripeError(stack.stripe.invoices.search({ query }));
    expect(error).toMatchObject({ statusCode: 400, type: 'StripeInvalidRequestError', param: 'query' });
    expect(error.message).toMatch(message);
  });

  it('knows customers have their own fields', async () => {
    const error = await stripeError(stack.stripe.customers.search({ query: 'status:"open"' }));
    expect(error).toMatchObject({ statusCode: 400, param: 'query' });
    expect(error.message).toMatch(/unknown field "status" for customers/);
  });

  it('requires a query', async () => {
    const error = await stripeError(stack.stripe.invoices.search({} as Stripe.InvoiceSearchParams));
    expect(error).toMatchObject({ statusCode: 400, param: 'query', code: 'parameter_missing' });
  });
});
