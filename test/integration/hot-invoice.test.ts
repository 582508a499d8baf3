// Writes that meet on one invoice (an importer's Promise.all over the stripe client): each one is
// answered done, or with Stripe's 429 lock_timeout and `Stripe-Should-Retry: true`, never a 500;
// the invoice then holds exactly what was answered done, no more and no less. The suite's dev
// server suggests continue-as-new after 200 history events, so the runs change under the burst.
import Stripe from 'stripe';
import { invoiceWorkflowId } from '../../workflows/messages';
import { startStack, type Stack } from '../support/stack';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.stop();
});

type Outcome = 'done' | 'refused';

// Done, or refused as Stripe refuses contention; anything else fails the test with what came back.
async function outcomeOf(write: Promise<unknown>): Promise<Outcome> {
  try {
    await write;
    return 'done';
  } catch (error) {
    if (
      error instanceof Stripe.errors.StripeError &&
      error.statusCode === 429 &&
      error.code === 'lock_timeout' &&
      error.headers?.['stripe-should-retry'] === 'true'
    ) {
      return 'refused';
    }
    throw error;
  }
}

interface Expected {
  items: Map<string, number>; // invoice item id -> amount
  addedLines: Set<string>; // descriptions of lines added through add_lines
  metadata: Record<string, string>;
}

// One round of 50 writes of five kinds, at once, against items that existed before the round:
// each existing item is the target of at most one write, so what is expected follows from the
// answers alone.
async function burst(stripe: Stripe, invoice: Stripe.Invoice, round: number, expected: Expected) {
  const customer = invoice.customer as string;
  const existing = [...expected.items.keys()];
  const toUpdate = existing.slice(0, 10);
  const toDelete = existing.slice(10, 18);
  const writes: Array<Promise<() => void>> = [];
  const track = (write: Promise<unknown>, apply: () => void) =>
    outcomeOf(write).then((outcome) => (outcome === 'done' ? apply : () => undefined));

  for (let i = 0; i < 20; i++) {
    const amount = 100 * round + i + 1;
    writes.push(
      stripe.invoiceItems
        .create({
          customer,
          invoice: invoice.id,
          amount,
          currency: 'usd',
          description: `r${round} item ${i}`,
        })
        .then(
          (item) => () => expected.items.set(item.id, amount),
          (error: unknown) => outcomeOf(Promise.reject(error)).then(() => () => undefined),
        ),
    );
  }
  toUpdate.forEach((id, i) => {
    const amount = 5_000 + 10 * round + i;
    writes.push(track(stripe.invoiceItems.update(id, { amount }), () => expected.items.set(id, amount)));
  });
  toDelete.forEach((id) => {
    writes.push(track(stripe.invoiceItems.del(id), () => expected.items.delete(id)));
  });
  for (let i = 0; i < 8; i++) {
    const key = `r${round}_${i}`;
    writes.push(
      track(stripe.invoices.update(invoice.id, { metadata: { [key]: 'set' } }), () => {
        expected.metadata[key] = 'set';
      }),
    );
  }
  for (let i = 0; i < 4; i++) {
    const description = `r${round} added ${i}`;
    writes.push(
      track(stripe.invoices.addLines(invoice.id, { lines: [{ amount: 7, description }] }), () =>
        expected.addedLines.add(description),
      ),
    );
  }
  // Applied in the order the answers came back; every write touched something of its own.
  for (const apply of await Promise.all(writes)) apply();
}

async function linesOf(stripe: Stripe, invoiceId: string): Promise<Stripe.InvoiceLineItem[]> {
  const lines: Stripe.InvoiceLineItem[] = [];
  for await (const line of stripe.invoices.listLineItems(invoiceId, { limit: 100 })) lines.push(line);
  return lines;
}

async function expectInvoiceHolds(stripe: Stripe, invoiceId: string, expected: Expected) {
  const lines = await linesOf(stripe, invoiceId);
  const itemLines = new Map(
    lines
      .filter((line) => line.parent?.invoice_item_details)
      .map((line) => [line.parent!.invoice_item_details!.invoice_item, line.amount]),
  );
  expect(Object.fromEntries(itemLines)).toEqual(Object.fromEntries(expected.items));
  const added = lines.filter((line) => !line.parent?.invoice_item_details).map((line) => line.description);
  expect(added.sort()).toEqual([...expected.addedLines].sort());
  const sum = [...expected.items.values()].reduce((a, b) => a + b, 0) + 7 * expected.addedLines.size;
  const invoice = await stripe.invoices.retrieve(invoiceId);
  expect(invoice).toMatchObject({ subtotal: sum, total: sum, amount_due: sum, metadata: expected.metadata });
  // The projection's item rows agree with the lines.
  const rows = (await stack.db('invoice_items').where({ invoice_id: invoiceId, deleted: false })) as Array<{
    id: string;
  }>;
  expect(rows.map((row) => row.id).sort()).toEqual([...expected.items.keys()].sort());
}

async function draftWithItems(
  stripe: Stripe,
  count: number,
): Promise<{ invoice: Stripe.Invoice; expected: Expected }> {
  const customer = await stripe.customers.create({});
  const invoice = await stripe.invoices.create({ customer: customer.id, auto_advance: false });
  const expected: Expected = { items: new Map(), addedLines: new Set(), metadata: {} };
  for (let i = 0; i < count; i++) {
    const item = await stripe.invoiceItems.create({
      customer: customer.id,
      invoice: invoice.id,
      amount: 1_000 + i,
      currency: 'usd',
    });
    expected.items.set(item.id, 1_000 + i);
  }
  return { invoice, expected };
}

async function runIdsOf(invoiceId: string): Promise<Set<string>> {
  const runs = new Set<string>();
  for await (const execution of stack.temporal.workflow.list({
    query: `WorkflowId = '${invoiceWorkflowId(invoiceId)}'`,
  })) {
    runs.add(execution.runId);
  }
  return runs;
}

describe('50 writes at once on one draft', () => {
  it('answers each done or 429 lock_timeout, and the invoice holds exactly what was done', async () => {
    const { invoice, expected } = await draftWithItems(stack.stripe, 20);
    for (let round = 1; round <= 3; round++) {
      await burst(stack.stripe, invoice, round, expected);
      await expectInvoiceHolds(stack.stripe, invoice.id, expected);
      // Each round adds 20 items and deletes 8: the next round has its 18 targets.
    }
    // Continue-as-new happened under the burst (the suite suggests it after 200 events), and the
    // next runs took what the closing ones did not.
    expect((await runIdsOf(invoice.id)).size).toBeGreaterThan(1);
    await expectInvoiceHolds(stack.stripe, invoice.id, expected);
  });

  it('through the official client with maxNetworkRetries: 2, every write succeeds', async () => {
    const retrying = new Stripe(stack.secretKey, {
      host: '127.0.0.1',
      port: Number(new URL(stack.api.url).port),
      protocol: 'http',
      maxNetworkRetries: 2,
    });
    const { invoice, expected } = await draftWithItems(retrying, 20);
    for (let round = 1; round <= 2; round++) {
      const sizeBefore = expected.items.size;
      const metadataBefore = Object.keys(expected.metadata).length;
      await burst(retrying, invoice, round, expected);
      // All 50 were done: 20 created, 8 deleted, 8 metadata keys, 4 lines added.
      expect(expected.items.size).toBe(sizeBefore + 20 - 8);
      expect(Object.keys(expected.metadata).length).toBe(metadataBefore + 8);
      expect(expected.addedLines.size).toBe(4 * round);
      await expectInvoiceHolds(retrying, invoice.id, expected);
    }
  });

  it('16 invoice items created at once on a draft, 20 rounds: every one done, none lost or doubled', async () => {
    const customer = await stack.stripe.customers.create({});
    for (let round = 0; round < 20; round++) {
      const invoice = await stack.stripe.invoices.create({ customer: customer.id, auto_advance: false });
      const items = await Promise.all(
        Array.from({ length: 16 }, (_, i) =>
          stack.stripe.invoiceItems.create({
            customer: customer.id,
            invoice: invoice.id,
            amount: 100 + i,
            currency: 'usd',
          }),
        ),
      );
      const lines = await linesOf(stack.stripe, invoice.id);
      const onInvoice = lines.map((line) => line.parent?.invoice_item_details?.invoice_item);
      expect(onInvoice.sort()).toEqual(items.map((item) => item.id).sort());
      // 100 + 101 + ... + 115
      expect(await stack.stripe.invoices.retrieve(invoice.id)).toMatchObject({ subtotal: 1_720 });
    }
  });
});
