// The only way to make or change an invoice, for the API and for the subscription activities
// alike: Workflow Updates on the invoice's workflow (the first one starts it, update-with-start).
import { WithStartWorkflowOperation, type Client } from '@temporalio/client';
import { TypedSearchAttributes, WorkflowNotFoundError, type UpdateDefinition } from '@temporalio/common';
import { resourceMissing } from '../domain/errors';
import {
  createInvoice,
  INVOICE_WORKFLOW_REVISION,
  INVOICE_WORKFLOW_TYPE,
  invoiceWorkflowId,
  type Caller,
  type CreateInvoiceArgs,
  type InvoiceWorkflowInput,
} from '../messages';
import { AccountId, CustomerId, InvoiceStatus } from '../search-attributes';
import type { InvoiceState } from '../domain/types';
import { sendWorkflowUpdate } from './workflow-updates';

export async function startInvoice(
  client: Client,
  taskQueue: string,
  args: CreateInvoiceArgs,
  start: Pick<InvoiceWorkflowInput, 'settings' | 'clock' | 'awaitingWebhooks' | 'pendingAdvance'>,
): Promise<InvoiceState> {
  const invoiceId = args.command.invoiceId;
  const input: InvoiceWorkflowInput = {
    invoiceId,
    accountId: args.accountId,
    ...start,
    revision: INVOICE_WORKFLOW_REVISION,
  };
  // An operation serves one call: each attempt builds its own.
  const startWorkflowOperation = () =>
    new WithStartWorkflowOperation(INVOICE_WORKFLOW_TYPE, {
      workflowId: invoiceWorkflowId(invoiceId),
      taskQueue,
      args: [input],
      // A retried create reaches the same workflow, whose create update answers idempotently.
      workflowIdConflictPolicy: 'USE_EXISTING',
      typedSearchAttributes: new TypedSearchAttributes([
        { key: InvoiceStatus, value: 'draft' },
        { key: AccountId, value: args.accountId },
        { key: CustomerId, value: args.command.customerId },
      ]),
      staticSummary: `Invoice ${invoiceId} for ${args.command.customerId}`,
    });
  return sendWorkflowUpdate(invoiceWorkflowId(invoiceId), (updateId) =>
    client.workflow.executeUpdateWithStart(createInvoice, {
      args: [args],
      updateId,
      startWorkflowOperation: startWorkflowOperation(),
    }),
  );
}

// Any other change: one update on the invoice's workflow. An unknown invoice id surfaces as
// WorkflowNotFoundError, which the error renderer turns into 404 resource_missing.
export async function updateInvoiceWorkflow<Args extends Caller>(
  client: Client,
  invoiceId: string,
  definition: UpdateDefinition<InvoiceState, [Args]>,
  args: Args,
): Promise<InvoiceState> {
  try {
    const handle = client.workflow.getHandle(invoiceWorkflowId(invoiceId));
    return await sendWorkflowUpdate(handle.workflowId, (updateId) =>
      handle.executeUpdate(definition, { args: [args], updateId }),
    );
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) throw resourceMissing('invoice', invoiceId);
    throw error;
  }
}
