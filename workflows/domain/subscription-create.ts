// A new subscription: its items, its first period and the first invoice (billing_reason
// subscription_create). With a billing_cycle_anchor in the future the first period runs to the
// anchor and is prorated against the full period ending there (unless proration_behavior=none,
// which bills nothing until the anchor).
import { boundary, nextBoundary } from './billing-period';
import { invalidRequest } from './errors';
import type { IdFactory } from './ids';
import { event } from './invoice-transition';
import { prorate } from './proration';
import { assertItemSet, buildItem, type NewItemInput } from './subscription-items';
import { periodLine } from './subscription-lines';
import {
  recurrenceOf,
  type ProrationBehavior,
  type SubscriptionLine,
  type SubscriptionState,
  type SubscriptionTransition,
} from './subscription-types';
import { appliedDiscounts, type DiscountInput } from './discount';
import type { TaxRateRecord } from './tax-rate';
import type { CollectionMethod, Metadata } from './types';

// Stripe's default for send_invoice subscriptions without days_until_due.
export const DEFAULT_DAYS_UNTIL_DUE = 30;

export interface CreateSubscriptionCommand {
  subscriptionId: string;
  accountId: string;
  customerId: string;
  livemode?: boolean;
  testClockId?: string | null;
  items: NewItemInput[];
  collectionMethod?: CollectionMethod;
  daysUntilDue?: number | null;
  defaultPaymentMethod?: string | null;
  billingCycleAnchor?: number;
  prorationBehavior?: ProrationBehavior;
  cancelAtPeriodEnd?: boolean;
  cancelAt?: number | null;
  description?: string | null;
  metadata?: Metadata;
  defaultTaxRates?: TaxRateRecord[]; // resolved by the caller (the account's own, active rates)
  discounts?: DiscountInput[]; // resolved and redeemed by the caller
}

export function assertCanCreateSubscription(command: CreateSubscriptionCommand, now: number): void {
  const collectionMethod = command.collectionMethod ?? 'charge_automatically';
  if (collectionMethod === 'charge_automatically' && command.daysUntilDue != null) {
    throw invalidRequest(
      'Invalid days_until_due: only valid when collection_method is send_invoice.',
      undefined,
      'days_until_due',
    );
  }
  if (
    command.daysUntilDue != null &&
    (!Number.isSafeInteger(command.daysUntilDue) || command.daysUntilDue < 0)
  ) {
    throw invalidRequest(
      `Invalid integer: ${command.daysUntilDue}`,
      'parameter_invalid_integer',
      'days_until_due',
    );
  }
  if (command.billingCycleAnchor !== undefined && command.billingCycleAnchor < now) {
    throw invalidRequest('billing_cycle_anchor cannot be in the past.', undefined, 'billing_cycle_anchor');
  }
  if (command.cancelAt != null && command.cancelAt <= now) {
    throw invalidRequest('cancel_at must be in the future.', undefined, 'cancel_at');
  }
  const probe = command.items.map((item, index) => buildItem(item, index, now, () => 'si_probe'));
  assertItemSet(probe, null);
  const recurrence = recurrenceOf({ items: probe });
  if (command.billingCycleAnchor !== undefined && command.billingCycleAnchor > boundary(now, recurrence, 1)) {
    throw invalidRequest(
      'billing_cycle_anchor cannot be later than next natural billing date for plan.',
      undefined,
      'billing_cycle_anchor',
    );
  }
}

export function createSubscription(
  command: CreateSubscriptionCommand,
  now: number,
  ids: IdFactory,
): SubscriptionTransition {
  assertCanCreateSubscription(command, now);
  const items = command.items.map((item, index) => buildItem(item, index, now, ids));
  const recurrence = recurrenceOf({ items });
  const anchor = command.billingCycleAnchor ?? now;
  const periodEnd = anchor > now ? anchor : nextBoundary(anchor, recurrence, now);
  const period = { start: now, end: periodEnd };
  const collectionMethod = command.collectionMethod ?? 'charge_automatically';

  let lines: SubscriptionLine[];
  if (anchor > now) {
    // A stub period to the anchor: each item charged for the part of its period it covers.
    const fullPeriod = { start: boundary(anchor, recurrence, -1), end: anchor };
    lines =
      command.prorationBehavior === 'none'
        ? []
        : items.map((item) => {
            const full = periodLine(item, recurrence, period);
            return {
              ...full,
              amount: prorate(full.amount, fullPeriod, now),
              unitAmountDecimal: null,
              proration: true,
            };
          });
  } else {
    lines = items.map((item) => periodLine(item, recurrence, period));
  }

  const invoiceId = ids('in');
  const state: SubscriptionState = {
    id: command.subscriptionId,
    accountId: command.accountId,
    customerId: command.customerId,
    currency: items[0].price.currency,
    // A charged subscription is incomplete until its first invoice is paid; one sent for
    // payment is active at once (Stripe).
    status: collectionMethod === 'charge_automatically' ? 'incomplete' : 'active',
    livemode: command.livemode ?? false,
    created: now,
    startDate: now,
    billingCycleAnchor: anchor,
    currentPeriodStart: period.start,
    currentPeriodEnd: period.end,
    items,
    collectionMethod,
    daysUntilDue:
      collectionMethod === 'send_invoice' ? (command.daysUntilDue ?? DEFAULT_DAYS_UNTIL_DUE) : null,
    defaultPaymentMethod: command.defaultPaymentMethod ?? null,
    description: command.description ?? null,
    metadata: { ...(command.metadata ?? {}) },
    cancelAtPeriodEnd: command.cancelAtPeriodEnd ?? false,
    cancelAt: command.cancelAt ?? null,
    canceledAt: null,
    endedAt: null,
    cancellationReason: null,
    latestInvoiceId: invoiceId,
    testClockId: command.testClockId ?? null,
    upcomingNotifiedFor: null,
    version: 1,
    ...(command.defaultTaxRates && command.defaultTaxRates.length > 0
      ? { defaultTaxRates: command.defaultTaxRates }
      : {}),
    ...(command.discounts && command.discounts.length > 0
      ? { discounts: appliedDiscounts(command.discounts, now) }
      : {}),
  };
  return {
    state,
    events: [event(ids, now, 'customer.subscription.created')],
    pendingItems: [],
    invoice: {
      invoiceId,
      billingReason: 'subscription_create',
      periodStart: now,
      periodEnd: now,
      lines,
      collectNow: true,
    },
  };
}
