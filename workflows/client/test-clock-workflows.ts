// The API's only ways to touch a test clock's workflows: advance it (update-with-start, so the
// clock's first advance starts its workflow) and, on deletion, end it and every workflow living
// in its time.
import { WithStartWorkflowOperation, type Client } from '@temporalio/client';
import { TypedSearchAttributes, WorkflowNotFoundError } from '@temporalio/common';
import type { TestClockRecord } from '../domain/test-clock';
import { invoiceWorkflowId, TEST_CLOCK_WORKFLOW_TYPE, testClockWorkflowId } from '../messages';
import { AccountId } from '../search-attributes';
import { subscriptionWorkflowId } from '../subscription-messages';
import { sendWorkflowUpdate } from './workflow-updates';
import { advanceTestClock, type TestClockWorkflowInput } from '../test-clock-messages';

export async function advanceTestClockWorkflow(
  client: Client,
  taskQueue: string,
  clock: TestClockRecord,
  frozenTime: number,
): Promise<TestClockRecord> {
  // Only read when this call starts the workflow; a running one knows its own time. A row left
  // 'advancing' without a workflow (terminated by hand) starts again from its frozen_time.
  const input: TestClockWorkflowInput = {
    clockId: clock.id,
    accountId: clock.accountId,
    frozenTime: clock.frozenTime,
    status: clock.status === 'internal_failure' ? 'internal_failure' : 'ready',
  };
  // An operation serves one call: each attempt builds its own.
  const startWorkflowOperation = () =>
    new WithStartWorkflowOperation(TEST_CLOCK_WORKFLOW_TYPE, {
      workflowId: testClockWorkflowId(clock.id),
      taskQueue,
      args: [input],
      workflowIdConflictPolicy: 'USE_EXISTING',
      typedSearchAttributes: new TypedSearchAttributes([{ key: AccountId, value: clock.accountId }]),
      staticSummary: `Test clock ${clock.id}`,
    });
  return sendWorkflowUpdate(testClockWorkflowId(clock.id), (updateId) =>
    client.workflow.executeUpdateWithStart(advanceTestClock, {
      args: [{ accountId: clock.accountId, frozenTime }],
      updateId,
      startWorkflowOperation: startWorkflowOperation(),
    }),
  );
}

async function terminate(client: Client, workflowId: string, reason: string): Promise<void> {
  try {
    await client.workflow.getHandle(workflowId).terminate(reason);
  } catch (error) {
    // Never started, or already closed: nothing to end.
    if (!(error instanceof WorkflowNotFoundError)) throw error;
  }
}

// The clock's workflow first, so it stops waking the invoices that are being ended.
export async function endTestClockWorkflows(
  client: Client,
  clockId: string,
  invoiceIds: string[],
  subscriptionIds: string[] = [],
): Promise<void> {
  const reason = `Test clock ${clockId} was deleted`;
  await terminate(client, testClockWorkflowId(clockId), reason);
  // Subscriptions before their invoices, so none makes a new one meanwhile.
  await Promise.all(subscriptionIds.map((id) => terminate(client, subscriptionWorkflowId(id), reason)));
  const BATCH = 20;
  for (let start = 0; start < invoiceIds.length; start += BATCH) {
    const batch = invoiceIds.slice(start, start + BATCH);
    await Promise.all(batch.map((invoiceId) => terminate(client, invoiceWorkflowId(invoiceId), reason)));
  }
}
