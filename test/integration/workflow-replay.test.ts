// Determinism: invoice workflows already running when the code changes must replay against it.
// The fixtures are histories recorded before transitions moved to local activities (they
// schedule regular activities); fresh histories made by today's code must replay too.
import fs from 'node:fs';
import path from 'node:path';
import { temporal } from '@temporalio/proto';
import { invoiceWorkflowId } from '../../workflows/messages';
import { startStack, type Stack } from '../support/stack';
import { eventTypes, replayHistory as replay } from '../support/workflow-history';

jest.setTimeout(120_000);

const FIXTURES = path.join(__dirname, '../fixtures/histories');
let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.stop();
});

describe('replaying invoice workflow histories', () => {
  it.each(['lifecycle-remote-activities', 'test-clock-remote-activities'])(
    'replays %s, recorded with regular activities',
    async (name) => {
      const recorded = JSON.parse(fs.readFileSync(path.join(FIXTURES, `${name}.json`), 'utf8'));
      // Written with JSON.stringify of the fetched history: fromObject is its inverse.
      const history = temporal.api.history.v1.History.fromObject(recorded.history);
      const workflowId: string = recorded.workflowId;
      // The fixture is what it claims: transitions there ran as regular activities.
      expect(eventTypes(history)).toContain('EVENT_TYPE_ACTIVITY_TASK_SCHEDULED');
      await expect(replay(workflowId, history)).resolves.toBeUndefined();
    },
  );

  it('replays a lifecycle made now, whose transitions are local activities', async () => {
    const customer = await stack.stripe.customers.create({});
    await stack.stripe.invoiceItems.create({ customer: customer.id, amount: 1200, currency: 'usd' });
    const created = await stack.stripe.invoices.create({
      customer: customer.id,
      pending_invoice_items_behavior: 'include',
    });
    await stack.stripe.invoices.finalizeInvoice(created.id);
    await expect(
      stack.stripe.invoices.pay(created.id, { payment_method: 'pm_card_chargeDeclined' }),
    ).rejects.toMatchObject({ code: 'card_declined' });
    const paid = await stack.stripe.invoices.pay(created.id, { payment_method: 'pm_card_visa' });
    expect(paid.status).toBe('paid');

    const handle = stack.temporal.workflow.getHandle(invoiceWorkflowId(created.id));
    const history = await handle.fetchHistory();
    const types = eventTypes(history);
    expect(types).not.toContain('EVENT_TYPE_ACTIVITY_TASK_SCHEDULED');
    expect(types).toContain('EVENT_TYPE_MARKER_RECORDED');
    await expect(replay(handle.workflowId, history)).resolves.toBeUndefined();
  });
});
