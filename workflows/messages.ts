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
import type { CollectionSettings } from './domain/collection-settings';
import type { InvoiceState } from './domain/types';
import type { CreditNoteChange, CreditNoteCommand } from './domain/credit-note';

export const INVOICE_WORKFLOW_TYPE = 'invoiceWorkflow';

export function invoiceWorkflowId(invoiceId: string): string {
  return `invoice/${invoiceId}`;
}

export interface InvoiceWorkflowInput {
  invoiceId: string;
  accountId: string;
  // Present when the invoice's customer is attached to a test clock.
  clock?: ClockBinding | null;
  // The account's collection settings when the invoice was created (its plan follows them).
  settings?: CollectionSettings;
  // The account had webhook endpoints for invoice.created: auto-finalization waits for their
  // delivery (up to the cap) instead of counting from creation.
  awaitingWebhooks?: boolean;
  // Carried across continue-as-new; absent on the first run.
  state?: InvoiceState;
  // An invoice a subscription makes while its test clock advances starts at the subscription's
  // acting time and joins that advance once created (the clock waits for it too).
  pendingAdvance?: ClockAdvancedSignal | null;
  // The workflow code revision the run started under; absent on runs started before revisions.
  revision?: number;
}

// Revision 1: every patch the invoice workflow knew of is taken for granted (no marker, no
// TemporalChangeVersion upsert per patch), and the search attributes are written once per change.
// Runs without a revision follow their histories' patch markers. A run continues as new under
// the current revision; only the API's start sets it on a first run.
export const INVOICE_WORKFLOW_REVISION = 1;

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
  // A subscription's invoice: its own pending prorations are included too.
  subscriptionId?: string | null;
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
// The steps of a PaymentIntent attached to this invoice: each moves the PaymentIntent and credits
// (or cancels) its invoice payment in one step of the invoice's workflow.
export type ConfirmPaymentIntentArgs = Caller & { paymentIntentId: string; paymentMethod?: string | null };
export type CompletePaymentActionArgs = Caller & { paymentIntentId: string; succeed: boolean };
export type CancelPaymentIntentArgs = Caller & {
  paymentIntentId: string;
  cancellationReason?: string | null;
};
export type CapturePaymentIntentArgs = Caller & { paymentIntentId: string; amountToCapture?: number };
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
export const confirmPaymentIntent = defineUpdate<InvoiceState, [ConfirmPaymentIntentArgs]>(
  'confirmPaymentIntent',
);
export const completePaymentAction = defineUpdate<InvoiceState, [CompletePaymentActionArgs]>(
  'completePaymentAction',
);
export const cancelPaymentIntent = defineUpdate<InvoiceState, [CancelPaymentIntentArgs]>(
  'cancelPaymentIntent',
);
export const capturePaymentIntent = defineUpdate<InvoiceState, [CapturePaymentIntentArgs]>(
  'capturePaymentIntent',
);
export const addInvoiceItem = defineUpdate<InvoiceState, [AddInvoiceItemArgs]>('addInvoiceItem');
export const updateInvoiceItem = defineUpdate<InvoiceState, [UpdateInvoiceItemArgs]>('updateInvoiceItem');
export const deleteInvoiceItem = defineUpdate<InvoiceState, [DeleteInvoiceItemArgs]>('deleteInvoiceItem');

// Credit notes live in their invoice: issuing, editing and voiding one is an update of it.
export type CreateCreditNoteArgs = Caller & { command: CreditNoteCommand };
export type UpdateCreditNoteArgs = Caller & { change: CreditNoteChange };
export type VoidCreditNoteArgs = Caller & { creditNoteId: string };
export const createCreditNote = defineUpdate<InvoiceState, [CreateCreditNoteArgs]>('createCreditNote');
export const updateCreditNote = defineUpdate<InvoiceState, [UpdateCreditNoteArgs]>('updateCreditNote');
export const voidCreditNote = defineUpdate<InvoiceState, [VoidCreditNoteArgs]>('voidCreditNote');

export const getInvoice = defineQuery<InvoiceState | null>('getInvoice');

// Integrations: money received outside (bank transfer, cash), recorded like paid_out_of_band.
export interface PaymentReceivedSignal {
  accountId: string;
  amount: number;
  reference?: string | null;
}
export const paymentReceived = defineSignal<[PaymentReceivedSignal]>('paymentReceived');

// ---- Time: test clocks and the invoice's plan ----

// A customer attached to a test clock lives in the clock's time, and so do its invoices. The
// invoice workflow starts knowing the clock's frozen time; each advance is signalled to every
// attached workflow, which processes its deadlines up to the new time in order and then
// reports that it has caught up (workflows/invoice-clock.ts).
export interface ClockBinding {
  clockId: string;
  frozenTime: number;
}
export interface ClockAdvancedSignal {
  clockId: string;
  frozenTime: number;
  advanceId: string;
  // Set by clocks that count caught-up workflows in Postgres: report there (a local activity),
  // not with clockCaughtUp. Absent from advances begun before that change, which still wait for
  // the signal.
  reportInPostgres?: boolean;
}
export const clockAdvanced = defineSignal<[ClockAdvancedSignal]>('clockAdvanced');

export const TEST_CLOCK_WORKFLOW_TYPE = 'testClockWorkflow';
export function testClockWorkflowId(clockId: string): string {
  return `test_clock/${clockId}`;
}
export interface ClockCaughtUpSignal {
  advanceId: string;
  workflowId: string;
}
export const clockCaughtUp = defineSignal<[ClockCaughtUpSignal]>('clockCaughtUp');
// A workflow created during an advance (a subscription's invoice) that the clock must also wait for.
export const clockJoined = defineSignal<[ClockCaughtUpSignal]>('clockJoined');

// The delivery of one of this invoice's events succeeded at every endpoint: a draft with
// auto_advance finalizes one hour after the last such delivery.
export interface WebhooksDeliveredSignal {
  eventId: string;
  at: number;
}
export const webhooksDelivered = defineSignal<[WebhooksDeliveredSignal]>('webhooksDelivered');

export interface InvoicePlan {
  next: { at: number; action: string } | null;
  clock: ClockBinding | null;
}
export const getPlan = defineQuery<InvoicePlan>('getPlan');
