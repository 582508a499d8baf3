// The draft an invoice starts as, from validated create parameters and the customer's defaults.
import type { IdFactory } from './ids';
import type {
  CollectionMethod,
  CustomerSnapshot,
  CustomField,
  DomainEvent,
  InvoiceLine,
  InvoiceState,
  Metadata,
} from './types';

export interface NewDraftInput {
  invoiceId: string;
  accountId: string;
  customerId: string;
  currency: string;
  customer: CustomerSnapshot;
  testClockId: string | null;
  autoAdvance: boolean;
  collectionMethod: CollectionMethod;
  daysUntilDue: number | null;
  dueDate: number | null;
  description: string | null;
  footer: string | null;
  metadata: Metadata;
  customFields: CustomField[] | null;
  statementDescriptor: string | null;
  defaultPaymentMethod: string | null;
  lines: InvoiceLine[];
}

export function newDraft(
  input: NewDraftInput,
  now: number,
  ids: IdFactory,
): { state: InvoiceState; events: DomainEvent[] } {
  const periods = input.lines.map((line) => line.period);
  const state: InvoiceState = {
    id: input.invoiceId,
    accountId: input.accountId,
    customerId: input.customerId,
    currency: input.currency,
    status: 'draft',
    deleted: false,
    livemode: false,
    created: now,
    autoAdvance: input.autoAdvance,
    collectionMethod: input.collectionMethod,
    daysUntilDue: input.daysUntilDue,
    dueDate: input.dueDate,
    description: input.description,
    footer: input.footer,
    metadata: input.metadata,
    customFields: input.customFields,
    statementDescriptor: input.statementDescriptor,
    defaultPaymentMethod: input.defaultPaymentMethod,
    billingReason: 'manual',
    subscriptionId: null,
    testClockId: input.testClockId,
    lines: input.lines,
    number: null,
    receiptNumber: null,
    startingBalance: 0,
    endingBalance: null,
    amountPaid: 0,
    attemptCount: 0,
    attempted: false,
    nextPaymentAttempt: null,
    automaticallyFinalizesAt: null,
    webhooksDeliveredAt: null,
    effectiveAt: null,
    periodStart: periods.length ? Math.min(...periods.map((p) => p.start)) : now,
    periodEnd: periods.length ? Math.max(...periods.map((p) => p.end)) : now,
    paidOutOfBand: false,
    statusTransitions: { finalizedAt: null, markedUncollectibleAt: null, paidAt: null, voidedAt: null },
    lastFinalizationError: null,
    customer: input.customer,
    version: 1,
  };
  return { state, events: [{ id: ids('evt'), type: 'invoice.created', created: now }] };
}
