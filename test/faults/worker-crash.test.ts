// A worker SIGKILLed in the middle of an automatic finalization, a payment or a webhook delivery,
// then replaced: nothing is lost and nothing happens twice. Workers run as child processes
// (worker/main.ts); each stops dead at an armed fault point, so the kill lands exactly there.
import type Stripe from 'stripe';
import { startStack, type Stack } from '../support/stack';
import { eventTypes } from '../support/stripe-helpers';
import { waitFor } from '../support/wait-for';
import { startWebhookReceiver } from '../support/webhook-receiver';
import { spawnWorker, type WorkerProcess } from '../support/worker-process';

const RETRY_ENV = {
  WEBHOOK_RETRY_INITIAL_SECONDS: '1',
  WEBHOOK_RETRY_MAX_SECONDS: '1',
  WEBHOOK_RETRY_WINDOW_SECONDS: '120',
};

// Each test has its own stack (database, task queue): a killed worker's leftovers on one task
// queue never slow down the next test.
// A killed activity is retried after its start-to-close timeout (10-15 s), possibly twice.
jest.setTimeout(300_000);

let stack: Stack;
const workers: WorkerProcess[] = [];
beforeAll(() => {
  Object.assign(process.env, RETRY_ENV);
});
beforeEach(async () => {
  stack = await startStack({ inProcessWorker: false });
  await stack.stripe.rawRequest('POST', '/v1/extensions/collection_settings', { finalization_delay: 1 });
});
afterEach(async () => {
  await Promise.all(workers.splice(0).map((worker) => worker.kill()));
  await stack?.stop();
});
afterAll(() => {
  for (const name of Object.keys(RETRY_ENV)) delete process.env[name];
});

function count(types: string[], type: string): number {
  return types.filter((candidate) => candidate === type).length;
}

async function untilInvoice(
  id: string,
  accept: (invoice: Stripe.Invoice) => boolean,
): Promise<Stripe.Invoice> {
  return waitFor(
    async () => {
      const invoice = await stack.stripe.invoices.retrieve(id);
      return accept(invoice) && invoice;
    },
    200_000,
    `invoice ${id}`,
  );
}

async function creditCustomerWithDraft(): Promise<{ customer: Stripe.Customer; draft: Stripe.Invoice }> {
  const customer = await stack.stripe.customers.create({
    balance: -500,
    invoice_settings: { default_payment_method: 'pm_card_visa' },
  });
  const draft = await stack.stripe.invoices.create({ customer: customer.id });
  await stack.stripe.invoices.addLines(draft.id, { lines: [{ amount: 2000 }] });
  // Only now may it finalize by itself (one second after creation: at once).
  await stack.stripe.invoices.update(draft.id, { auto_advance: true });
  return { customer, draft };
}

async function expectSettledOnce(customer: Stripe.Customer, draft: Stripe.Invoice): Promise<void> {
  const paid = await untilInvoice(draft.id, (invoice) => invoice.status === 'paid');
  expect(paid).toMatchObject({ amount_due: 1500, amount_paid: 1500, starting_balance: -500 });
  const types = await eventTypes(stack, draft.id);
  expect(count(types, 'invoice.finalized')).toBe(1);
  expect(count(types, 'invoice.paid')).toBe(1);
  const after = (await stack.stripe.customers.retrieve(customer.id)) as Stripe.Customer;
  expect(after).toMatchObject({ balance: 0, next_invoice_sequence: 2 });
  const ledger = await stack.stripe.customers.listBalanceTransactions(customer.id);
  expect(ledger.data.filter((txn) => txn.type === 'applied_to_invoice').map((txn) => txn.amount)).toEqual([
    500,
  ]);
  // One PaymentIntent (the invoice's own), charged once.
  const [{ intents, charges }] = await stack
    .db('payments')
    .where({ invoice_id: draft.id })
    .select(stack.db.raw('count(*) as intents, sum(attempts) as charges'));
  expect([Number(intents), Number(charges)]).toEqual([1, 1]);
}

describe('a worker killed mid-flight', () => {
  it.each([
    ['an automatic finalization: applies credit, numbers and charges once', 'finalizeInvoice:after-commit'],
    ['a payment: the charge made before the crash is the only one', 'chargeInvoice:after-charge'],
  ] as const)('during %s', async (_what, fault) => {
    const first = spawnWorker(stack, fault);
    workers.push(first);
    const { customer, draft } = await creditCustomerWithDraft();
    await first.faultReached();
    await first.kill();
    workers.push(spawnWorker(stack));
    await expectSettledOnce(customer, draft);
  });

  it("between an attached PaymentIntent's success and the invoice's credit: credited exactly once", async () => {
    const first = spawnWorker(stack, 'confirmPaymentIntent:after-charge');
    workers.push(first);
    const customer = await stack.stripe.customers.create({});
    const draft = await stack.stripe.invoices.create({ customer: customer.id });
    await stack.stripe.invoices.addLines(draft.id, { lines: [{ amount: 10_000 }] });
    const invoice = await stack.stripe.invoices.finalizeInvoice(draft.id);
    const early = await stack.stripe.paymentIntents.create({
      amount: 4000,
      currency: 'usd',
      customer: customer.id,
      payment_method: 'pm_card_visa',
      confirm: true,
    });
    await stack.stripe.invoices.attachPayment(invoice.id, { payment_intent: early.id });
    const late = await stack.stripe.paymentIntents.create({
      amount: 6000,
      currency: 'usd',
      customer: customer.id,
    });
    await stack.stripe.invoices.attachPayment(invoice.id, { payment_intent: late.id });
    // The answer may come from the next worker, or time out: the books are what matters.
    const confirming = stack.stripe.paymentIntents
      .confirm(late.id, { payment_method: 'pm_card_visa' })
      .catch((error: unknown) => error);
    await first.faultReached();
    await first.kill();
    workers.push(spawnWorker(stack));
    const paid = await untilInvoice(invoice.id, (current) => current.status === 'paid');
    await confirming;
    expect(paid).toMatchObject({ amount_paid: 10_000, amount_remaining: 0, amount_overpaid: 0 });
    expect(count(await eventTypes(stack, invoice.id), 'invoice.paid')).toBe(1);
    const payments = (await stack.stripe.invoicePayments.list({ invoice: invoice.id })).data;
    const latePayment = payments.find((payment) => payment.payment.payment_intent === late.id);
    expect(latePayment).toMatchObject({ status: 'paid', amount_paid: 6000 });
    expect(await eventTypes(stack, latePayment?.id as string)).toEqual(['invoice_payment.paid']);
    const [row] = (await stack.db('payments').where({ id: late.id })) as Array<{
      attempts: number;
      status: string;
    }>;
    expect(row).toMatchObject({ attempts: 1, status: 'succeeded' }); // charged once
    const after = (await stack.stripe.customers.retrieve(customer.id)) as Stripe.Customer;
    expect(after.balance).toBe(0);
  });

  it("after a credit note's refunds were written, before the workflow knew: refunded exactly once", async () => {
    const first = spawnWorker(stack, 'persistInvoice:after-refund');
    workers.push(first);
    const customer = await stack.stripe.customers.create({});
    const draft = await stack.stripe.invoices.create({ customer: customer.id });
    await stack.stripe.invoices.addLines(draft.id, { lines: [{ amount: 5000 }] });
    const invoice = await stack.stripe.invoices.finalizeInvoice(draft.id, { auto_advance: false });
    await stack.stripe.invoices.pay(invoice.id, { payment_method: 'pm_card_visa' });
    // The answer may come from the next worker, or time out: the books are what matters.
    const crediting = stack.stripe.creditNotes
      .create(
        { invoice: invoice.id, amount: 1500, refund_amount: 1500 },
        { idempotencyKey: `cn-${invoice.id}` },
      )
      .catch((error: unknown) => error);
    await first.faultReached();
    await first.kill();
    workers.push(spawnWorker(stack));
    const answered = await crediting;
    const notes = await waitFor(
      async () => {
        const listed = (await stack.stripe.creditNotes.list({ invoice: invoice.id })).data;
        return listed.length > 0 && listed;
      },
      200_000,
      'the credit note',
    );
    // A client that saw no answer sends it again under its key: the same note, nothing more.
    const again = await stack.stripe.creditNotes.create(
      { invoice: invoice.id, amount: 1500, refund_amount: 1500 },
      { idempotencyKey: `cn-${invoice.id}` },
    );
    expect(notes.map((note) => note.id)).toEqual([again.id]);
    if (!(answered instanceof Error)) expect((answered as Stripe.CreditNote).id).toBe(again.id);
    const own = (await stack.stripe.invoicePayments.list({ invoice: invoice.id })).data[0].payment
      .payment_intent as string;
    const refunds = (await stack.stripe.refunds.list({ payment_intent: own })).data;
    expect(refunds.map((refund) => refund.amount)).toEqual([1500]);
    expect(await eventTypes(stack, refunds[0].id)).toEqual(['refund.created']);
    const [row] = (await stack.db('payments').where({ id: own })) as Array<{ amount_refunded: string }>;
    expect(Number(row.amount_refunded)).toBe(1500);
    expect(await stack.stripe.invoices.retrieve(invoice.id)).toMatchObject({
      status: 'paid',
      post_payment_credit_notes_amount: 1500,
    });
  });

  it('during a webhook delivery: the event is delivered and counted down once', async () => {
    const receiver = await startWebhookReceiver();
    try {
      await stack.stripe.webhookEndpoints.create({
        url: receiver.url('/crash'),
        enabled_events: ['invoice.created'],
      });
      const first = spawnWorker(stack, 'deliverWebhook:after-send');
      workers.push(first);
      const customer = await stack.stripe.customers.create({});
      const draft = await stack.stripe.invoices.create({ customer: customer.id });
      await first.faultReached();
      await first.kill();
      workers.push(spawnWorker(stack));
      const [created] = (await stack
        .db('events')
        .where({ object_id: draft.id, type: 'invoice.created' })) as Array<{
        id: string;
      }>;
      await waitFor(
        async () => {
          const row = (await stack.db('events').where({ id: created.id }).first('pending_webhooks')) as {
            pending_webhooks: number;
          };
          return row.pending_webhooks === 0;
        },
        200_000,
        'pending_webhooks to reach 0',
      );
      // At least once, as Stripe: the receiver may see the event again, always the same event.
      const ids = receiver
        .received('/crash')
        .map((request) => (JSON.parse(request.body) as { id: string }).id);
      expect(new Set(ids)).toEqual(new Set([created.id]));
      expect(count(await eventTypes(stack, draft.id), 'invoice.created')).toBe(1);
      const deliveries = await stack.db('webhook_deliveries').where({ event_id: created.id });
      expect(deliveries.map((row: { status: string }) => row.status)).toEqual(['succeeded']);
    } finally {
      await receiver.close();
    }
  });
});
