// The hosted-page token of an invoice, as reads render it: batched per tick, and kept once seen
// (a token never changes), so re-reading an invoice does not ask Postgres again.
import { connectDatabase, type Database } from '../../db/connection';
import { findHostedToken, hostedTokenLoader } from '../../db/repositories/hosted-invoices';
import { startStack, type Stack } from '../support/stack';

let stack: Stack;
let db: Database;
let statements = 0;
beforeAll(async () => {
  stack = await startStack();
  db = connectDatabase(stack.databaseUrl);
  db.on('query', () => statements++);
});
afterAll(async () => {
  await db?.destroy();
  await stack?.stop();
});

async function finalizedInvoice(): Promise<string> {
  const customer = await stack.stripe.customers.create({});
  const invoice = await stack.stripe.invoices.create({ customer: customer.id });
  await stack.stripe.invoices.addLines(invoice.id, { lines: [{ amount: 900 }] });
  return (await stack.stripe.invoices.finalizeInvoice(invoice.id)).id;
}

describe('hostedTokenLoader', () => {
  it('answers the invoices of one tick with one statement, then from what it has seen', async () => {
    const ids = [await finalizedInvoice(), await finalizedInvoice()];
    const load = hostedTokenLoader(db);
    const before = statements;
    const first = await Promise.all([...ids, 'in_missing'].map(load));
    expect(statements - before).toBe(1);
    expect(first).toEqual([await findHostedToken(db, ids[0]), await findHostedToken(db, ids[1]), null]);
    expect(first[0]).toMatch(/\S{20,}/);

    const afterFirst = statements;
    expect(await Promise.all(ids.map(load))).toEqual(first.slice(0, 2));
    expect(statements).toBe(afterFirst);
    // An id not found is asked again (its invoice may exist by now).
    await load('in_missing');
    expect(statements).toBe(afterFirst + 1);
  });
});
