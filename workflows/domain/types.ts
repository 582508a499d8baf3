// The invoice as the workflow holds it: camelCase, integer minor units, unix seconds.
// Stripe's wire shape is produced from this by workflows/domain/render/.
import type { Metadata, Period } from './common-types';
import type { CreditNote } from './credit-note-types';
import type { AppliedDiscount } from './discount';
import type { InvoicePaymentRecord } from './invoice-payment-types';
import type { TaxRateRecord } from './tax-rate';

export type { Metadata, Period };

export type InvoiceStatus = 'draft' | 'open' | 'paid' | 'uncollectible' | 'void';
export type CollectionMethod = 'charge_automatically' | 'send_invoice';
export type BillingReason =
  | 'manual'
  | 'subscription_create'
  | 'subscription_cycle'
  | 'subscription_update'
  | 'subscription'
  | 'upcoming';
export type PendingInvoiceItemsBehavior = 'exclude' | 'include';

export interface CustomField {
  name: string;
  value: string;
}

export interface InvoiceLine {
  id: string; // il_...
  invoiceItemId: string | null; // ii_... when the line comes from an invoice item
  subscriptionId: string | null;
  subscriptionItemId: string | null;
  priceId: string | null;
  // The price's product, so the line can show pricing.price_details (optional: older lines lack it).
  productId?: string | null;
  amount: number; // minor units, may be negative (credits, prorations)
  currency: string;
  description: string | null;
  quantity: number;
  unitAmountDecimal: string | null;
  period: Period;
  discountable: boolean;
  proration: boolean;
  metadata: Metadata;
  // The line's own tax rates (as they were when attached); absent or empty: the invoice's defaults.
  taxRates?: TaxRateRecord[];
  // The line's own discounts (from its invoice item), applied before the invoice's.
  discounts?: AppliedDiscount[];
}

export interface StatusTransitions {
  finalizedAt: number | null;
  markedUncollectibleAt: number | null;
  paidAt: number | null;
  voidedAt: number | null;
}

export interface FinalizationError {
  type: 'api_error' | 'card_error' | 'idempotency_error' | 'invalid_request_error';
  code: string | null;
  message: string;
}

// What the customer looked like when the invoice was finalized (Stripe freezes it then;
// drafts show the customer's current details).
export interface CustomerSnapshot {
  email: string | null;
  name: string | null;
  phone: string | null;
  address: Address | null;
  taxExempt: 'none' | 'exempt' | 'reverse';
}

export interface Address {
  city: string | null;
  country: string | null;
  line1: string | null;
  line2: string | null;
  postalCode: string | null;
  state: string | null;
}

export interface InvoiceState {
  id: string; // in_...
  accountId: string; // acct_...
  customerId: string; // cus_...
  currency: string; // lower-case ISO code
  status: InvoiceStatus;
  deleted: boolean;
  livemode: boolean;
  created: number;
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
  billingReason: BillingReason;
  subscriptionId: string | null;
  testClockId: string | null;
  lines: InvoiceLine[];
  number: string | null;
  receiptNumber: string | null;
  startingBalance: number;
  endingBalance: number | null;
  amountPaid: number;
  attemptCount: number;
  attempted: boolean;
  nextPaymentAttempt: number | null;
  automaticallyFinalizesAt: number | null;
  webhooksDeliveredAt: number | null;
  effectiveAt: number | null;
  periodStart: number;
  periodEnd: number;
  paidOutOfBand: boolean;
  statusTransitions: StatusTransitions;
  lastFinalizationError: FinalizationError | null;
  customer: CustomerSnapshot;
  // automatically_finalizes_at was set by the caller: webhook deliveries do not move it.
  automaticFinalizationExplicit?: boolean;
  // The due date each reminder event was sent for (a new due date re-arms it).
  remindersSent?: { willBeDue: number | null; overdue: number | null };
  // Rates for every line without its own (as they were when attached); absent on older invoices.
  defaultTaxRates?: TaxRateRecord[];
  // Invoice-level discounts, in the order they apply; absent on older invoices.
  discounts?: AppliedDiscount[];
  // Credit notes issued on it (finalized invoices only), in order; absent on older invoices.
  creditNotes?: CreditNote[];
  // Its invoice payments (the default one from finalization, attached ones), in order; absent on
  // invoices finalized before invoice payments.
  payments?: InvoicePaymentRecord[];
  // Monotonic; every persisted change increments it so the projection never goes backwards.
  version: number;
}

// Derived money figures (never stored separately from the state they derive from).
export interface InvoiceTotals {
  subtotal: number;
  total: number;
  amountDue: number;
  amountPaid: number;
  amountRemaining: number;
  amountOverpaid: number;
  startingBalance: number;
  endingBalance: number | null;
}

// A domain event: Stripe's event type plus what changed, rendered to an Event at the edge.
export interface DomainEvent {
  id: string; // evt_...
  type: string; // 'invoice.created', ...
  created: number;
  previousAttributes?: Record<string, unknown>;
  objectId?: string; // the event's object when it is not the invoice (cn_... for credit_note.*)
}
