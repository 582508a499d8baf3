// The API's only ways to change a subscription: Workflow Updates on its workflow (the first
// one starts it, update-with-start, so a retried create reaches the same workflow).
import { WithStartWorkflowOperation, type Client } from '@temporalio/client';
import { TypedSearchAttributes, WorkflowNotFoundError, type UpdateDefinition } from '@temporalio/common';
import { invalidRequest, resourceMissing } from '../domain/errors';
import type { SubscriptionState } from '../domain/subscription-types';
import type { Caller } from '../messages';
import { AccountId, CustomerId } from '../search-attributes';
import { sendWorkflowUpdate } from './workflow-updates';
import {
  createSubscription,
  SUBSCRIPTION_WORKFLOW_TYPE,
  subscriptionWorkflowId,
  type CreateSubscriptionArgs,
  type SubscriptionWorkflowInput,
} from '../subscription-messages';

export async function startSubscription(
  client: Client,
  taskQueue: string,
  args: CreateSubscriptionArgs,
  start: Pick<SubscriptionWorkflowInput, 'settings' | 'clock'>,
): Promise<SubscriptionState> {
  const { subscriptionId, customerId } = args.command;
  const input: SubscriptionWorkflowInput = { subscriptionId, accountId: args.accountId, ...start };
  // An operation serves one call: each attempt builds its own.
  const startWorkflowOperation = () =>
    new WithStartWorkflowOperation(SUBSCRIPTION_WORKFLOW_TYPE, {
      workflowId: subscriptionWorkflowId(subscriptionId),
      taskQueue,
      args: [input],
      workflowIdConflictPolicy: 'USE_EXISTING',
      typedSearchAttributes: new TypedSearchAttributes([
        { key: AccountId, value: args.accountId },
        { key: CustomerId, value: customerId },
      ]),
      staticSummary: `Subscription ${subscriptionId} for ${customerId}`,
    });
  return sendWorkflowUpdate(subscriptionWorkflowId(subscriptionId), (updateId) =>
    client.workflow.executeUpdateWithStart(createSubscription, {
      args: [args],
      updateId,
      startWorkflowOperation: startWorkflowOperation(),
    }),
  );
}

export async function updateSubscriptionWorkflow<Args extends Caller>(
  client: Client,
  current: SubscriptionState,
  definition: UpdateDefinition<SubscriptionState, [Args]>,
  args: Args,
): Promise<SubscriptionState> {
  // An ended subscription's workflow has completed: refuse as Stripe does.
  if (current.status === 'canceled' || current.status === 'incomplete_expired') {
    throw invalidRequest(
      'A canceled subscription can only update its cancellation_details and metadata.',
      undefined,
    );
  }
  try {
    const handle = client.workflow.getHandle(subscriptionWorkflowId(current.id));
    return await sendWorkflowUpdate(handle.workflowId, (updateId) =>
      handle.executeUpdate(definition, { args: [args], updateId }),
    );
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) throw resourceMissing('subscription', current.id);
    throw error;
  }
}
