// Long-lived invoices move to new workflow runs (the test server suggests continue-as-new after
// 200 history events) without losing state, updates in flight, or their test clock.
import type Stripe from 'stripe';
import { getPlan, invoiceWorkflowId } from '../../workflows/messages';
import { startStack, type Stack } from '../support/stack';
import { eventTypes } from '../support/stripe-helpers';
import { waitFor } from '../support/wait-for';

jest.setTimeout(180_000);

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.stop();
});

async function runsOf(invoiceId: string): Promise<number> {
  const handle = stack.temporal.workflow.getHandle(invoiceWorkflowId(invoiceId));
  const description = await handle.describe();
  return description.runId === description.raw.workflowExecutionInfo?.firstRunId ? 1 : 2;
}

describe('continue-as-new', () => {
  it('keeps every update, including those sent while the run changes', async () => {
    const customer = await stack.stripe.customers.create({});
    const invoice = await stack.stripe.invoices.create({ customer: customer.id });
    let rounds = 0;
    // Updates in bursts of five at once until the workflow has moved to a new run.
    while ((await runsOf(invoice.id)) === 1 && rounds < 40) {
      await Promise.all(
        Array.from({ length: 5 }, (_, i) =>
          stack.stripe.invoices.update(invoice.id, {
            metadata: { [`k${(rounds * 5 + i) % 40}`]: String(rounds) },
          }),
        ),
      );
      rounds++;
    }
    expect(await runsOf(invoice.id)).toBe(2);
    // One more burst lands on the new run.
    await Promise.all(
      Array.from({ length: 5 }, (_, i) =>
        stack.stripe.invoices.update(invoice.id, { metadata: { [`after${i}`]: 'x' } }),
      ),
    );
    const final = await stack.stripe.invoices.retrieve(invoice.id);
    for (let i = 0; i < 5; i++) expect(final.metadata?.[`after${i}`]).toBe('x');
    const updates = (await eventTypes(stack, invoice.id)).filter((type) => type === 'invoice.updated');
    expect(updates).toHaveLength(rounds * 5 + 5);
    // The new run still works end to end.
    await stack.stripe.invoices.addLines(invoice.id, { lines: [{ amount: 700 }] });
    expect((await stack.stripe.invoices.finalizeInvoice(invoice.id)).amount_due).toBe(700);
  });

  it('carries the test clock and the plan into the new run', async () => {
    const START = 1_893_456_000;
    const clock = await stack.stripe.testHelpers.testClocks.create({ frozen_time: START });
    const customer = await stack.stripe.customers.create({ test_clock: clock.id });
    const invoice = await stack.stripe.invoices.create({ customer: customer.id });
    let rounds = 0;
    while ((await runsOf(invoice.id)) === 1 && rounds < 200) {
      await stack.stripe.invoices.update(invoice.id, { description: `round ${rounds++}` });
    }
    expect(await runsOf(invoice.id)).toBe(2);
    const draft: Stripe.Invoice = await stack.stripe.invoices.update(invoice.id, { auto_advance: true });
    expect(draft.automatically_finalizes_at).toBe(START + 3600);
    const plan = await stack.temporal.workflow.getHandle(invoiceWorkflowId(invoice.id)).query(getPlan);
    expect(plan.clock).toEqual({ clockId: clock.id, frozenTime: START });
    await stack.stripe.testHelpers.testClocks.advance(clock.id, { frozen_time: START + 7200 });
    await waitFor(
      async () => (await stack.stripe.testHelpers.testClocks.retrieve(clock.id)).status === 'ready',
      30_000,
    );
    const finalized = await stack.stripe.invoices.retrieve(invoice.id);
    expect(finalized.status_transitions.finalized_at).toBe(START + 3600);
  });
});
