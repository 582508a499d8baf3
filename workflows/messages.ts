// Every update, query and signal of the invoice workflow, with its payload types: the one
// contract shared by api/, worker/ and tests. Every update answers with the invoice as it was
// persisted after the change.
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type {
  CreateInvoiceCommand,
  LineInput,
  LineRemoval,
  LineUpdate,
  UpdateInvoiceCommand,
} from './domain/invoice';
import type { InvoiceState } from './domain/types';

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
// (as if the invoice did not exist), so ids never leak across accounts. The request's id and
// idempotency key are recorded on the events the change emits.
export interface Caller {
  accountId: string;
  requestId?: string | null;
  idempotencyKey?: string | null;
}

export type CreateInvoiceArgs = Caller & {
  command: CreateInvoiceCommand & { invoiceId: string };
  // pending_invoice_items_behavior=include: the customer's pending items become lines.
  includePendingItems: boolean;
};
export type UpdateInvoiceArgs = Caller & { command: UpdateInvoiceCommand };
export type AddLinesArgs = Caller & { lines: LineInput[] };
export type UpdateLinesArgs = Caller & { lines: LineUpdate[] };
export type RemoveLinesArgs = Caller & { lines: LineRemoval[] };
export type FinalizeInvoiceArgs = Caller & { autoAdvance?: boolean };
export type PayInvoiceArgs = Caller & {
  paymentMethod?: string | null;
  paidOutOfBand?: boolean;
  forgive?: boolean;
  offSession?: boolean;
};
export type AttachPaymentArgs = Caller & { paymentIntentId: string };
// An invoice item on a draft is one of its lines: these address the line by the item's id.
export type AddInvoiceItemArgs = Caller & { line: LineInput & { invoiceItemId: string } };
export type UpdateInvoiceItemArgs = Caller & { invoiceItemId: string; changes: Omit<LineUpdate, 'id'> };
export type DeleteInvoiceItemArgs = Caller & { invoiceItemId: string };

export const createInvoice = defineUpdate<InvoiceState, [CreateInvoiceArgs]>('createInvoice');
export const updateInvoice = defineUpdate<InvoiceState, [UpdateInvoiceArgs]>('updateInvoice');
export const deleteInvoice = defineUpdate<InvoiceState, [Caller]>('deleteInvoice');
export const addLines = defineUpdate<InvoiceState, [AddLinesArgs]>('addLines');
export const updateLines = defineUpdate<InvoiceState, [UpdateLinesArgs]>('updateLines');
export const removeLines = defineUpdate<InvoiceState, [RemoveLinesArgs]>('removeLines');
export const finalizeInvoice = defineUpdate<InvoiceState, [FinalizeInvoiceArgs]>('finalizeInvoice');
export const payInvoice = defineUpdate<InvoiceState, [PayInvoiceArgs]>('payInvoice');
export const sendInvoice = defineUpdate<InvoiceState, [Caller]>('sendInvoice');
export const voidInvoice = defineUpdate<InvoiceState, [Caller]>('voidInvoice');
export const markUncollectible = defineUpdate<InvoiceState, [Caller]>('markUncollectible');
export const attachPayment = defineUpdate<InvoiceState, [AttachPaymentArgs]>('attachPayment');
export const addInvoiceItem = defineUpdate<InvoiceState, [AddInvoiceItemArgs]>('addInvoiceItem');
export const updateInvoiceItem = defineUpdate<InvoiceState, [UpdateInvoiceItemArgs]>('updateInvoiceItem');
export const deleteInvoiceItem = defineUpdate<InvoiceState, [DeleteInvoiceItemArgs]>('deleteInvoiceItem');

export const getInvoice = defineQuery<InvoiceState | null>('getInvoice');

// Integrations: money received outside (bank transfer, cash), recorded like paid_out_of_band.
export interface PaymentReceivedSignal {
  accountId: string;
  amount: number;
  reference?: string | null;
}
export const paymentReceived = defineSignal<[PaymentReceivedSignal]>('paymentReceived');
