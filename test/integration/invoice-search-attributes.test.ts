// What operators filter invoices by in the Temporal Web UI: the search attributes each invoice
// workflow keeps current, written once per change (each write is a visibility task in Temporal).
import { getPlan, invoiceWorkflowId } from '../../workflows/messages';
import { AmountDue, InvoiceNumber, InvoiceStatus, NextDeadline } from '../../workflows/search-attributes';
import { startStack, type Stack } from '../support/stack';
import { draftWithLines } from '../support/stripe-helpers';
import { advanceClock } from '../support/test-clock';
import { upsertsPerWorkflowTask, type History } from '../support/workflow-history';

jest.setTimeout(60_000);

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.stop();
});

const START = 1_893_456_000; // 2030-01-01T00:00:00Z

async function described(invoiceId: string) {
  const handle = stack.temporal.workflow.getHandle(invoiceWorkflowId(invoiceId));
  const [description, plan] = await Promise.all([handle.describe(), handle.query(getPlan)]);
  const attributes = description.typedSearchAttributes;
  return {
    status: attributes.get(InvoiceStatus),
    amountDue: attributes.get(AmountDue),
    number: attributes.get(InvoiceNumber),
    nextDeadline: attributes.get(NextDeadline),
    planned: plan.next ? new Date(plan.next.at * 1000) : undefined,
  };
}

function historyOf(invoiceId: string): Promise<History> {
  return stack.temporal.workflow.getHandle(invoiceWorkflowId(invoiceId)).fetchHistory();
}

function searchAttributeNames(history: History): string[] {
  return (history.events ?? []).flatMap((event) =>
    Object.keys(event.upsertWorkflowSearchAttributesEventAttributes?.searchAttributes?.indexedFields ?? {}),
  );
}

describe('search attributes', () => {
  it('follow the invoice through its life, the next deadline included', async () => {
    const clock = await stack.stripe.testHelpers.testClocks.create({ frozen_time: START });
    const customer = await stack.stripe.customers.create({
      test_clock: clock.id,
      invoice_settings: { default_payment_method: 'pm_card_visa' },
    });
    const draft = await draftWithLines(stack, [4200], {
      customer: customer.id,
      params: { auto_advance: true },
    });
    let seen = await described(draft.id);
    expect(seen).toMatchObject({ status: 'draft', amountDue: 4200, number: undefined });
    expect(seen.nextDeadline).toEqual(new Date((START + 3600) * 1000));
    expect(seen.nextDeadline).toEqual(seen.planned);

    // The clock's advance finalizes it at its deadline and collects the payment.
    await advanceClock(stack.stripe, clock, START + 2 * 3600);
    const paid = await stack.stripe.invoices.retrieve(draft.id);
    expect(paid.status).toBe('paid');
    seen = await described(draft.id);
    expect(seen).toMatchObject({ status: 'paid', amountDue: paid.amount_due, number: paid.number });
    expect(seen.nextDeadline).toEqual(seen.planned);
  });

  it('mark a deleted draft deleted', async () => {
    const draft = await draftWithLines(stack, [100]);
    await stack.stripe.invoices.del(draft.id);
    const handle = stack.temporal.workflow.getHandle(invoiceWorkflowId(draft.id));
    await handle.result();
    expect((await handle.describe()).typedSearchAttributes.get(InvoiceStatus)).toBe('deleted');
  });

  it('are written at most once per workflow task, with no patch markers', async () => {
    const clock = await stack.stripe.testHelpers.testClocks.create({ frozen_time: START });
    const customer = await stack.stripe.customers.create({
      test_clock: clock.id,
      invoice_settings: { default_payment_method: 'pm_card_visa' },
    });
    await stack.stripe.invoiceItems.create({ customer: customer.id, amount: 1200, currency: 'usd' });
    const manual = await stack.stripe.invoices.create({
      customer: customer.id,
      pending_invoice_items_behavior: 'include',
    });
    await stack.stripe.invoices.update(manual.id, { description: 'changes no attribute' });
    await stack.stripe.invoices.finalizeInvoice(manual.id);
    await stack.stripe.invoices.pay(manual.id);
    const automatic = await draftWithLines(stack, [900], {
      customer: customer.id,
      params: { auto_advance: true },
    });
    await advanceClock(stack.stripe, clock, START + 2 * 3600);
    expect((await stack.stripe.invoices.retrieve(automatic.id)).status).toBe('paid');

    for (const invoiceId of [manual.id, automatic.id]) {
      const history = await historyOf(invoiceId);
      const perTask = upsertsPerWorkflowTask(history);
      expect(Math.max(...perTask)).toBe(1);
      expect(searchAttributeNames(history)).not.toContain('TemporalChangeVersion');
      const markers = (history.events ?? []).map((event) => event.markerRecordedEventAttributes?.markerName);
      expect(markers).not.toContain('core_patch');
    }
    // Create, finalize and pay each moved an attribute; the description moved none.
    const writes = upsertsPerWorkflowTask(await historyOf(manual.id)).reduce((sum, n) => sum + n, 0);
    expect(writes).toBe(3);
  });
});
