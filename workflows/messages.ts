// Every update, query and signal of the invoice workflow, with its payload types: the one
// contract shared by api/, worker/ and tests.
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { InvoiceState } from './domain/types';
import type { NewDraftInput } from './domain/new-draft';

export const INVOICE_WORKFLOW_TYPE = 'invoiceWorkflow';

export function invoiceWorkflowId(invoiceId: string): string {
  return `invoice/${invoiceId}`;
}

export interface InvoiceWorkflowInput {
  invoiceId: string;
  accountId: string;
  // Carried across continue-as-new; absent on the first run.
  state?: InvoiceState;
}

// Every update names the calling account: the workflow refuses callers it does not belong to
// (as if the invoice did not exist), so ids never leak across accounts.
export interface Caller {
  accountId: string;
}

export type CreateInvoiceArgs = Caller & { draft: NewDraftInput };

export const createInvoice = defineUpdate<InvoiceState, [CreateInvoiceArgs]>('createInvoice');
export const getInvoice = defineQuery<InvoiceState | null>('getInvoice');
