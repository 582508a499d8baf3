// The test clock workflow's side effects: its row in Postgres, the workflows attached to it.
import { WorkflowNotFoundError } from '@temporalio/common';
import type { ActivityDeps } from '.';
import {
  markTestClockAdvancing,
  markTestClockFailed,
  markTestClockReady,
  testClockInvoiceIds,
} from '../db/repositories/test-clocks';
import { testClockSubscriptionIds } from '../db/repositories/subscriptions';
import { subscriptionWorkflowId } from '../workflows/subscription-messages';
import { resourceMissing } from '../workflows/domain/errors';
import type { TestClockRecord } from '../workflows/domain/test-clock';
import { toApplicationFailure } from '../workflows/domain-failure';
import { invoiceWorkflowId } from '../workflows/messages';

export function createTestClockActivities({ db, temporal }: ActivityDeps) {
  return {
    async markTestClockAdvancing(input: {
      clockId: string;
      advanceId: string;
      targetFrozenTime: number;
    }): Promise<TestClockRecord> {
      const clock = await markTestClockAdvancing(db, input);
      // Deleted meanwhile: a refusal, not a fault to retry.
      if (!clock) throw toApplicationFailure(resourceMissing('test_clock', input.clockId));
      return clock;
    },

    async markTestClockReady(input: {
      clockId: string;
      advanceId: string;
      frozenTime: number;
    }): Promise<void> {
      await markTestClockReady(db, input);
    },

    async markTestClockFailed(input: { clockId: string; advanceId: string }): Promise<void> {
      await markTestClockFailed(db, input);
    },

    // Every workflow living in the clock's time: its customers' subscriptions and invoices.
    // Subscriptions first: the invoices they make during the advance join it on their own.
    async listTestClockWorkflows(input: { clockId: string }): Promise<string[]> {
      const [subscriptions, invoices] = await Promise.all([
        testClockSubscriptionIds(db, input.clockId),
        testClockInvoiceIds(db, input.clockId),
      ]);
      return [...subscriptions.map(subscriptionWorkflowId), ...invoices.map(invoiceWorkflowId)];
    },

    // The workflows among these that are no longer running: they have nothing left to catch up
    // on, so the clock stops waiting for them. Without a client, none can be told apart.
    async findClosedWorkflows(input: { workflowIds: string[] }): Promise<string[]> {
      if (!temporal) return [];
      const closed: string[] = [];
      for (const workflowId of input.workflowIds) {
        try {
          const description = await temporal.workflow.getHandle(workflowId).describe();
          if (description.status.name !== 'RUNNING') closed.push(workflowId);
        } catch (error) {
          if (!(error instanceof WorkflowNotFoundError)) throw error;
          closed.push(workflowId);
        }
      }
      return closed;
    },
  };
}
