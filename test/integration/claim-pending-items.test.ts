// The pending-item claim is one statement (no transaction around it) and the sync of an invoice's
// item rows rewrites every changed row in one statement: both must keep the record exactly as
// the domain makes it, and a claim must never hand one item to two invoices.
import { connectDatabase, type Database } from '../../db/connection';
import { claimPendingItems } from '../../db/repositories/invoice-item-claims';
import type { InvoiceItemRow } from '../../db/repositories/invoice-items';
import { lineIdForItem } from '../../workflows/domain/invoice-item';
import { startStack, type Stack } from '../support/stack';

let stack: Stack;
let db: Database;
let statements: string[] = [];

beforeAll(async () => {
  stack = await startStack();
  db = connectDatabase(stack.databaseUrl);
  db.on('query', (query: { sql: string }) => statements.push(query.sql));
});

afterAll(async () => {
  await db?.destroy();
  await stack?.stop();
});

async function customerWithItems(
  amounts: number[],
  currency = 'usd',
): Promise<{ customer: string; items: string[] }> {
  const customer = (await stack.stripe.customers.create({})).id;
  const items: string[] = [];
  for (const amount of amounts) {
    items.push((await stack.stripe.invoiceItems.create({ customer, amount, currency })).id);
  }
  return { customer, items };
}

async function itemRows(ids: string[]): Promise<InvoiceItemRow[]> {
  return (await db('invoice_items').whereIn('id', ids).orderBy('seq')) as InvoiceItemRow[];
}

function claim(customerId: string, invoiceId: string, currency = 'usd') {
  return claimPendingItems(db, { accountId: stack.accountId, customerId, invoiceId, currency });
}

test('one statement claims the pending items in creation order, as lineIdForItem names their lines', async () => {
  const { customer, items } = await customerWithItems([300, 100, 200]);
  const other = await stack.stripe.invoiceItems.create({ customer, amount: 50, currency: 'eur' });
  statements = [];
  const lines = await claim(customer, 'in_claimtest1');
  expect(statements).toHaveLength(1);
  expect(lines.map((line) => [line.invoiceItemId, line.id, line.amount])).toEqual([
    [items[0], lineIdForItem(items[0]), 300],
    [items[1], lineIdForItem(items[1]), 100],
    [items[2], lineIdForItem(items[2]), 200],
  ]);
  for (const row of await itemRows(items)) {
    expect(row.invoice_id).toBe('in_claimtest1');
    expect(row.line_id).toBeNull(); // set when the invoice is persisted with them
    expect(row.data.invoiceId).toBe('in_claimtest1');
    expect(row.data.lineId).toBe(lineIdForItem(row.id));
  }
  // The other currency's item stays pending, untouched.
  const [eur] = await itemRows([other.id]);
  expect(eur.invoice_id).toBeNull();
  expect(eur.data.invoiceId).toBeNull();
});

test('a retry by the same invoice gets the same items; another invoice gets none of them', async () => {
  const { customer, items } = await customerWithItems([700, 800]);
  const first = await claim(customer, 'in_claimtest2');
  expect(await claim(customer, 'in_claimtest2')).toEqual(first);
  expect(await claim(customer, 'in_claimtest3')).toEqual([]);
  expect((await itemRows(items)).map((row) => row.invoice_id)).toEqual(['in_claimtest2', 'in_claimtest2']);
});

test('invoices claiming at once never share an item, and every item goes to one of them', async () => {
  for (let round = 0; round < 4; round++) {
    const { customer, items } = await customerWithItems([1, 2, 3, 4, 5, 6]);
    const invoices = Array.from({ length: 8 }, (_, i) => `in_claimrace${round}x${i}`);
    const claimed = await Promise.all(invoices.map((invoice) => claim(customer, invoice)));
    const taken = claimed.flatMap((lines) => lines.map((line) => line.invoiceItemId));
    expect([...taken].sort()).toEqual([...items].sort());
    const rows = await itemRows(items);
    for (const [i, lines] of claimed.entries()) {
      for (const line of lines) {
        expect(rows.find((row) => row.id === line.invoiceItemId)?.invoice_id).toBe(invoices[i]);
      }
    }
  }
});

test('an invoice created with three pending items rewrites their rows in one statement', async () => {
  const { customer, items } = await customerWithItems([100, 200, 300]);
  const invoice = await stack.stripe.invoices.create({ customer, pending_invoice_items_behavior: 'include' });
  const rows = await itemRows(items);
  expect(rows.map((row) => row.line_id)).toEqual(items.map(lineIdForItem));
  for (const row of rows) {
    expect(row.invoice_id).toBe(invoice.id);
    expect(row.data.invoiceId).toBe(invoice.id);
    expect(row.data.lineId).toBe(row.line_id);
    expect(row.amount).toBe(row.data.amount);
  }
  // What the API shows of them follows the rows.
  const listed = await stack.stripe.invoiceItems.list({ invoice: invoice.id });
  expect(listed.data.map((item) => [item.id, item.invoice]).sort()).toEqual(
    items.map((id) => [id, invoice.id]).sort(),
  );
});
