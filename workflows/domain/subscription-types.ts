// The subscription as its workflow holds it: camelCase, integer minor units, unix seconds.
// Each item keeps a snapshot of its price (prices never change their amount or recurrence) and
// its product's name, so billing and rendering need no lookups.
import type { AppliedDiscount } from './discount';
import type { TaxRateRecord } from './tax-rate';
import type { Recurrence } from './billing-period';
import type { PriceRecord } from './price';
import type { CollectionMethod, DomainEvent, Metadata } from './types';

export type SubscriptionStatus =
  'incomplete' | 'incomplete_expired' | 'trialing' | 'active' | 'past_due' | 'canceled' | 'unpaid' | 'paused';

export type ProrationBehavior = 'create_prorations' | 'always_invoice' | 'none';

export interface SubscriptionItemState {
  id: string; // si_...
  price: PriceRecord;
  productName: string;
  quantity: number;
  created: number;
  metadata: Metadata;
  taxRates?: TaxRateRecord[]; // absent or empty: the subscription's default_tax_rates apply
}

export interface SubscriptionState {
  id: string; // sub_...
  accountId: string;
  customerId: string;
  currency: string;
  status: SubscriptionStatus;
  livemode: boolean;
  created: number;
  startDate: number;
  billingCycleAnchor: number;
  currentPeriodStart: number;
  currentPeriodEnd: number;
  items: SubscriptionItemState[];
  collectionMethod: CollectionMethod;
  daysUntilDue: number | null;
  defaultPaymentMethod: string | null;
  description: string | null;
  metadata: Metadata;
  cancelAtPeriodEnd: boolean;
  cancelAt: number | null;
  canceledAt: number | null;
  endedAt: number | null;
  cancellationReason: 'cancellation_requested' | 'payment_failed' | null;
  latestInvoiceId: string | null;
  testClockId: string | null;
  // The renewal (period end) invoice.upcoming was last sent for: one per renewal.
  upcomingNotifiedFor: number | null;
  // Its invoices' default_tax_rates (absent on older subscriptions).
  defaultTaxRates?: TaxRateRecord[];
  // Its discounts, each applying to the invoices made within its own time (discount.ts).
  discounts?: AppliedDiscount[];
  version: number;
}

// An invoice the subscription wants made: the workflow hands it to an activity.
export interface InvoiceRequest {
  invoiceId: string;
  billingReason: 'subscription_create' | 'subscription_cycle' | 'subscription_update' | 'subscription';
  periodStart: number;
  periodEnd: number;
  lines: SubscriptionLine[];
  // Finalize and collect at once (first invoice, always_invoice) rather than after the draft hour.
  collectNow: boolean;
}

export interface SubscriptionLine {
  subscriptionItemId: string;
  priceId: string;
  productId: string;
  quantity: number;
  amount: number;
  unitAmountDecimal: string | null;
  description: string;
  period: { start: number; end: number };
  proration: boolean;
}

// A proration left pending for the subscription's next invoice (an invoice item).
export interface PendingProration extends SubscriptionLine {
  invoiceItemId: string; // ii_...
}

export interface SubscriptionTransition {
  state: SubscriptionState;
  events: DomainEvent[];
  pendingItems: PendingProration[];
  invoice: InvoiceRequest | null;
}

export function recurrenceOf(state: Pick<SubscriptionState, 'items'>): Recurrence {
  const recurring = state.items[0]?.price.recurring;
  if (!recurring) throw new Error('A subscription needs at least one recurring item');
  return recurring;
}
