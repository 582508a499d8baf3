// Property: for random queries over random invoices, what /v1/invoices/search answers is exactly
// what a brute-force filter of the same invoices gives. The filter below is written from
// Stripe's documented semantics (search-model.ts), independently of api/search/to-sql.ts.
// Invoices go straight into the projection table of this test's own database (the API cannot
// set receipt numbers, subscriptions or finalization errors), each with a real rendered state.
import fc from 'fast-check';
import { insertCustomer } from '../../db/repositories/customers';
import type { CustomerRecord } from '../../workflows/domain/customer';
import type { InvoiceState } from '../../workflows/domain/types';
import { startStack, type Stack } from '../support/stack';
import {
  customerArbitrary,
  invoiceArbitrary,
  matches,
  queryArbitrary,
  renderQuery,
  CUSTOMER_FIELDS,
  INVOICE_FIELDS,
  type Model,
} from '../support/search-model';

let stack: Stack;
const invoices: Model[] = [];
const customers: Model[] = [];
const seed = Date.now() % 1_000_000;

beforeAll(async () => {
  stack = await startStack();
  // A real invoice's state, made in another account so it is not among the searched records.
  const helper = await stack.newAccount();
  const customer = await helper.stripe.customers.create({});
  const template = await helper.stripe.invoices.create({ customer: customer.id, auto_advance: false });
  const { state } = (await stack.db('invoices').where({ id: template.id }).first('state')) as {
    state: InvoiceState;
  };
  const rows = fc.sample(invoiceArbitrary, { numRuns: 40, seed });
  for (const [index, row] of rows.entries()) {
    const id = `in_prop${String(index).padStart(3, '0')}`;
    const number = row.number === null ? null : `${row.number}-${String(index).padStart(4, '0')}`;
    invoices.push({ ...row, id, number });
    const rendered: InvoiceState = {
      ...state,
      id,
      customerId: String(row.customer),
      status: row.status as InvoiceState['status'],
      currency: String(row.currency),
      number,
      receiptNumber: row.receipt_number as string | null,
      subscriptionId: row.subscription as string | null,
      metadata: row.metadata,
    };
    await stack.db('invoices').insert({
      id,
      account_id: stack.accountId,
      customer_id: row.customer,
      status: row.status,
      currency: row.currency,
      collection_method: 'charge_automatically',
      subscription_id: row.subscription,
      number,
      receipt_number: row.receipt_number,
      total: row.total,
      amount_due: row.total,
      created: row.created,
      last_finalization_error_code: row.last_finalization_error_code,
      last_finalization_error_type: row.last_finalization_error_type,
      deleted: row.deleted,
      metadata: JSON.stringify(row.metadata),
      version: 1,
      state: JSON.stringify(rendered),
    });
  }
  for (const [index, row] of fc.sample(customerArbitrary, { numRuns: 30, seed }).entries()) {
    const id = `cus_prop${String(index).padStart(3, '0')}`;
    customers.push({ ...row, id });
    const record: CustomerRecord = {
      id,
      accountId: stack.accountId,
      created: Number(row.created),
      email: row.email as string | null,
      name: row.name as string | null,
      phone: row.phone as string | null,
      description: null,
      balance: 0,
      currency: null,
      invoicePrefix: `PROP${index}`,
      nextInvoiceSequence: 1,
      testClockId: null,
      deleted: row.deleted,
      metadata: row.metadata,
      address: null,
      shipping: null,
      invoiceSettings: { defaultPaymentMethod: null, footer: null, customFields: null },
      preferredLocales: [],
      taxExempt: 'none',
    };
    await insertCustomer(stack.db, record);
  }
});
afterAll(async () => {
  await stack?.stop();
});

// Newest first: created descending, then insertion order (seq) descending.
function newestFirst(rows: Model[]): string[] {
  return rows
    .map((row, index) => ({ row, index }))
    .sort((a, b) => Number(b.row.created) - Number(a.row.created) || b.index - a.index)
    .map(({ row }) => row.id);
}

describe(`search equals a brute-force filter (data seed ${seed})`, () => {
  it('for invoices', async () => {
    await fc.assert(
      fc.asyncProperty(queryArbitrary(INVOICE_FIELDS), async (query) => {
        const text = renderQuery(query);
        const result = await stack.stripe.invoices.search({
          query: text,
          limit: 100,
          expand: ['total_count'],
        });
        const expected = newestFirst(
          invoices.filter((row) => !row.deleted && matches(query, row, INVOICE_FIELDS)),
        );
        expect({ text, ids: result.data.map((invoice) => invoice.id) }).toEqual({ text, ids: expected });
        expect(result.total_count).toBe(expected.length);
      }),
      { numRuns: 300 },
    );
  });

  it('for customers', async () => {
    await fc.assert(
      fc.asyncProperty(queryArbitrary(CUSTOMER_FIELDS), async (query) => {
        const text = renderQuery(query);
        const result = await stack.stripe.customers.search({ query: text, limit: 100 });
        const expected = newestFirst(
          customers.filter((row) => !row.deleted && matches(query, row, CUSTOMER_FIELDS)),
        );
        expect({ text, ids: result.data.map((customer) => customer.id) }).toEqual({ text, ids: expected });
      }),
      { numRuns: 200 },
    );
  });
});
