// The Temporal server itself crashes (SIGKILL) while invoices wait on their finalization timers,
// stays down while some of those timers come due, and starts again on the same SQLite file:
// every timer fires, once, and the money side (numbers, credit, charges) happens exactly once.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type Stripe from 'stripe';
import { startStack, type Stack } from '../support/stack';
import { eventTypes } from '../support/stripe-helpers';
import { waitFor } from '../support/wait-for';
import { devServerPlace, startPersistentDevServer, type PersistentDevServer } from './dev-server';

jest.setTimeout(240_000);

const INVOICES = 6;

let dir: string;
let server: PersistentDevServer | undefined;
let stack: Stack | undefined;
afterAll(async () => {
  await stack?.stop();
  await server?.kill();
  fs.rmSync(dir, { recursive: true, force: true });
});

const count = (types: string[], type: string) => types.filter((candidate) => candidate === type).length;

it('every pending timer fires once after the server is killed and restarted', async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'temporal-restart-'));
  const place = await devServerPlace(path.join(dir, 'temporal.db'));
  server = await startPersistentDevServer(place);
  stack = await startStack({ temporalAddress: server.address });
  const { stripe } = stack;

  const customer = await stripe.customers.create({
    balance: -500,
    invoice_prefix: 'TMPR',
    invoice_settings: { default_payment_method: 'pm_card_visa' },
  });
  const drafts: Stripe.Invoice[] = [];
  for (let i = 0; i < INVOICES; i++) {
    const draft = await stripe.invoices.create({ customer: customer.id });
    await stripe.invoices.addLines(draft.id, { lines: [{ amount: 1000 + i }] });
    drafts.push(draft);
  }
  // Deadlines two seconds apart, the first 6 s from now: most come due while the server is down.
  const base = Math.floor(Date.now() / 1000) + 6;
  const deadlines = new Map<string, number>();
  for (const [i, draft] of drafts.entries()) {
    const at = base + 2 * i;
    const updated = await stripe.invoices.update(draft.id, {
      auto_advance: true,
      automatically_finalizes_at: at,
    });
    expect(updated).toMatchObject({ status: 'draft', automatically_finalizes_at: at });
    deadlines.set(draft.id, at);
  }
  const { rows } = (await stack.db.raw(
    `select count(*)::int as n from invoices where customer_id = ? and status = 'draft'`,
    [customer.id],
  )) as { rows: Array<{ n: number }> };
  expect(rows[0].n).toBe(INVOICES); // every timer is still pending at the crash

  const killedAt = Date.now();
  await server.kill();
  // Down until the first four deadlines have passed: they fire late, the last two on time.
  await waitFor(() => Date.now() / 1000 > base + 2 * 3 + 1, 30_000, 'four deadlines to pass while down');
  server = await startPersistentDevServer(place);
  const restartedAt = Date.now();

  const paid = await waitFor(
    async () => {
      const list = await stripe.invoices.list({ customer: customer.id, limit: 100 });
      return list.data.every((invoice) => invoice.status === 'paid') && list.data;
    },
    150_000,
    'every invoice to finalize and be paid after the restart',
  );
  const settledAt = Date.now();
  console.log(
    `temporal restart: down ${((restartedAt - killedAt) / 1000).toFixed(1)} s, all ${INVOICES} timers fired and invoices paid ${((settledAt - restartedAt) / 1000).toFixed(1)} s after the restart`,
  );

  expect(paid).toHaveLength(INVOICES);
  for (const invoice of paid) {
    // Never early; amounts as billed; one finalization, one payment, one charge each.
    expect(invoice.status_transitions.finalized_at).toBeGreaterThanOrEqual(deadlines.get(invoice.id)!);
    const types = await eventTypes(stack, invoice.id);
    expect({
      finalized: count(types, 'invoice.finalized'),
      paid: count(types, 'invoice.paid'),
      succeeded: count(types, 'invoice.payment_succeeded'),
    }).toEqual({ finalized: 1, paid: 1, succeeded: 1 });
    const [{ charges }] = await stack
      .db('payments')
      .where({ invoice_id: invoice.id })
      .count({ charges: '*' });
    expect(Number(charges)).toBe(invoice.amount_due > 0 ? 1 : 0);
  }
  const numbers = paid.map((invoice) => invoice.number).sort();
  expect(numbers).toEqual(
    Array.from({ length: INVOICES }, (_, i) => `TMPR-${String(i + 1).padStart(4, '0')}`),
  );
  const after = (await stripe.customers.retrieve(customer.id)) as Stripe.Customer;
  expect(after).toMatchObject({ balance: 0, next_invoice_sequence: INVOICES + 1 });
  const ledger = await stripe.customers.listBalanceTransactions(customer.id, { limit: 100 });
  expect(ledger.data.filter((txn) => txn.type === 'applied_to_invoice').map((txn) => txn.amount)).toEqual([
    500,
  ]);
  expect(paid.reduce((sum, invoice) => sum + invoice.amount_paid, 0)).toBe(
    drafts.reduce((sum, _draft, i) => sum + 1000 + i, 0) - 500,
  );
});
