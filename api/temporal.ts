// The API's only way to change an invoice: Workflow Updates on the invoice's workflow.
import { WithStartWorkflowOperation, type Client } from '@temporalio/client';
import { TypedSearchAttributes } from '@temporalio/common';
import {
  createInvoice,
  INVOICE_WORKFLOW_TYPE,
  invoiceWorkflowId,
  type CreateInvoiceArgs,
  type InvoiceWorkflowInput,
} from '../workflows/messages';
import { AccountId, CustomerId, InvoiceStatus } from '../workflows/search-attributes';
import type { InvoiceState } from '../workflows/domain/types';

export async function startInvoice(
  client: Client,
  taskQueue: string,
  args: CreateInvoiceArgs,
): Promise<InvoiceState> {
  const input: InvoiceWorkflowInput = { invoiceId: args.draft.invoiceId, accountId: args.accountId };
  const startWorkflowOperation = new WithStartWorkflowOperation(INVOICE_WORKFLOW_TYPE, {
    workflowId: invoiceWorkflowId(args.draft.invoiceId),
    taskQueue,
    args: [input],
    // A retried create reaches the same workflow, whose create update answers idempotently.
    workflowIdConflictPolicy: 'USE_EXISTING',
    typedSearchAttributes: new TypedSearchAttributes([
      { key: InvoiceStatus, value: 'draft' },
      { key: AccountId, value: args.accountId },
      { key: CustomerId, value: args.draft.customerId },
    ]),
    staticSummary: `Invoice ${args.draft.invoiceId} for ${args.draft.customerId}`,
  });
  return client.workflow.executeUpdateWithStart(createInvoice, { args: [args], startWorkflowOperation });
}
