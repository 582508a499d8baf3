// A subscription through time: renewals at each period end, invoice.upcoming ahead of them,
// scheduled and immediate cancellation, the 23-hour limit on an unpaid first invoice, and the
// status its invoices give it.
import { nextBoundary } from './billing-period';
import { invalidRequest } from './errors';
import type { IdFactory } from './ids';
import { event, ONE_DAY, ONE_HOUR } from './invoice-transition';
import { periodLines, prorationLine } from './subscription-lines';
import {
  recurrenceOf,
  type SubscriptionState,
  type SubscriptionStatus,
  type SubscriptionTransition,
} from './subscription-types';
import { itemProrations, previousAttributes } from './subscription-update';
import type { InvoiceStatus } from './types';

export const INCOMPLETE_EXPIRES_AFTER = 23 * ONE_HOUR;

export type SubscriptionAction = 'expire' | 'upcoming' | 'cancel' | 'renew';

export interface SubscriptionDeadline {
  action: SubscriptionAction;
  at: number;
}

const ENDED: ReadonlySet<SubscriptionStatus> = new Set(['canceled', 'incomplete_expired']);
const NOTIFIED: ReadonlySet<SubscriptionStatus> = new Set(['active', 'past_due', 'unpaid', 'trialing']);

export function isEnded(state: SubscriptionState): boolean {
  return ENDED.has(state.status);
}

// The scheduled cancellation, if it falls in the current period.
function cancellationAt(state: SubscriptionState): number | null {
  if (state.cancelAtPeriodEnd) return state.currentPeriodEnd;
  if (state.cancelAt !== null && state.cancelAt <= state.currentPeriodEnd) return state.cancelAt;
  return null;
}

export function upcomingAt(state: SubscriptionState, upcomingDays: number): number | null {
  if (!NOTIFIED.has(state.status) || cancellationAt(state) !== null) return null;
  if (state.upcomingNotifiedFor === state.currentPeriodEnd || upcomingDays <= 0) return null;
  const at = state.currentPeriodEnd - upcomingDays * ONE_DAY;
  // A period shorter than the notice gets none (its renewal is already closer than X days).
  return at > state.currentPeriodStart ? at : null;
}

export function nextSubscriptionDeadline(
  state: SubscriptionState,
  upcomingDays: number,
): SubscriptionDeadline | null {
  if (isEnded(state)) return null;
  if (state.status === 'incomplete')
    return { action: 'expire', at: state.created + INCOMPLETE_EXPIRES_AFTER };
  const candidates: SubscriptionDeadline[] = [];
  const upcoming = upcomingAt(state, upcomingDays);
  if (upcoming !== null) candidates.push({ action: 'upcoming', at: upcoming });
  const cancel = cancellationAt(state);
  if (cancel !== null) candidates.push({ action: 'cancel', at: cancel });
  else candidates.push({ action: 'renew', at: state.currentPeriodEnd });
  return candidates.reduce((soonest, candidate) => (candidate.at < soonest.at ? candidate : soonest));
}

function withStatus(state: SubscriptionState, status: SubscriptionStatus): SubscriptionState {
  return { ...state, status, version: state.version + 1 };
}

// The next period begins: its invoice is a draft that finalizes and collects like any other.
export function renewSubscription(state: SubscriptionState, ids: IdFactory): SubscriptionTransition {
  const recurrence = recurrenceOf(state);
  const start = state.currentPeriodEnd;
  const end = nextBoundary(state.billingCycleAnchor, recurrence, start);
  const invoiceId = ids('in');
  const next: SubscriptionState = {
    ...state,
    currentPeriodStart: start,
    currentPeriodEnd: end,
    latestInvoiceId: invoiceId,
    version: state.version + 1,
  };
  return {
    state: next,
    events: [event(ids, start, 'customer.subscription.updated', previousAttributes(state, next))],
    pendingItems: [],
    invoice: {
      invoiceId,
      billingReason: 'subscription_cycle',
      periodStart: state.currentPeriodStart,
      periodEnd: start,
      lines: periodLines(state, recurrence, { start, end }),
      collectNow: false,
    },
  };
}

export interface CancelOptions {
  prorate?: boolean; // credit the unused time as a pending proration
  invoiceNow?: boolean; // invoice pending items (and that credit) at once
  reason?: 'cancellation_requested' | 'payment_failed';
}

export function assertCanCancel(state: SubscriptionState): void {
  if (isEnded(state)) {
    throw invalidRequest(
      `A canceled subscription can only update its cancellation_details and metadata.`,
      undefined,
    );
  }
}

export function cancelSubscription(
  state: SubscriptionState,
  at: number,
  options: CancelOptions,
  ids: IdFactory,
): SubscriptionTransition {
  assertCanCancel(state);
  const period = { start: state.currentPeriodStart, end: state.currentPeriodEnd };
  const credits = options.prorate ? itemProrations(state.items, [], period, at).map(prorationLine) : [];
  const invoiceId = options.invoiceNow ? ids('in') : null;
  const next: SubscriptionState = {
    ...state,
    status: 'canceled',
    canceledAt: at,
    endedAt: at,
    cancellationReason: options.reason ?? 'cancellation_requested',
    latestInvoiceId: invoiceId ?? state.latestInvoiceId,
    version: state.version + 1,
  };
  return {
    state: next,
    events: [event(ids, at, 'customer.subscription.deleted')],
    pendingItems: invoiceId ? [] : credits.map((line) => ({ ...line, invoiceItemId: ids('ii') })),
    invoice: invoiceId
      ? {
          invoiceId,
          billingReason: 'subscription_update',
          periodStart: state.currentPeriodStart,
          periodEnd: at,
          lines: credits,
          collectNow: true,
        }
      : null,
  };
}

// Stripe: a first invoice not paid within 23 hours ends the subscription as incomplete_expired
// (and its invoice is voided).
export function expireIncomplete(
  state: SubscriptionState,
  at: number,
  ids: IdFactory,
): SubscriptionTransition {
  const next = { ...withStatus(state, 'incomplete_expired'), endedAt: at };
  return {
    state: next,
    events: [event(ids, at, 'customer.subscription.deleted')],
    pendingItems: [],
    invoice: null,
  };
}

export interface InvoiceOutcome {
  invoiceId: string;
  status: InvoiceStatus;
  paymentFailed: boolean;
}

// What an invoice's news does to the subscription's status; null when nothing changes.
export function applyInvoiceOutcome(
  state: SubscriptionState,
  outcome: InvoiceOutcome,
  at: number,
  ids: IdFactory,
): SubscriptionTransition | null {
  // The status describes the latest invoice (Stripe): news of an older one changes nothing.
  if (isEnded(state) || outcome.invoiceId !== state.latestInvoiceId) return null;
  let status: SubscriptionStatus = state.status;
  if (outcome.status === 'paid') {
    if (state.status === 'incomplete' || state.status === 'past_due' || state.status === 'unpaid')
      status = 'active';
  } else if (outcome.status === 'uncollectible') {
    if (state.status === 'active' || state.status === 'past_due') status = 'unpaid';
  } else if (outcome.status === 'open' && outcome.paymentFailed) {
    if (state.status === 'active') status = 'past_due';
  }
  if (status === state.status) return null;
  return {
    state: withStatus(state, status),
    events: [event(ids, at, 'customer.subscription.updated', { status: state.status })],
    pendingItems: [],
    invoice: null,
  };
}
