// Changing a subscription: its items (add, remove, change price or quantity) with prorations
// as proration_behavior says, and its plain fields. A change of billing interval resets the
// billing cycle to the change's time and invoices the new period at once, as Stripe does.
import { appliedDiscounts, type AppliedDiscount, type DiscountInput } from './discount';
import type { TaxRateRecord } from './tax-rate';
import { boundary, sameRecurrence } from './billing-period';
import { invalidRequest } from './errors';
import type { IdFactory } from './ids';
import { event } from './invoice-transition';
import { prorationsFor, type ProrationCharge } from './proration';
import { renderSubscription } from './render/subscription';
import {
  assertItemSet,
  assertPriceUsable,
  assertQuantity,
  buildItem,
  type PriceChoice,
} from './subscription-items';
import { billedItem, periodLines, prorationLine } from './subscription-lines';
import {
  recurrenceOf,
  type InvoiceRequest,
  type PendingProration,
  type ProrationBehavior,
  type SubscriptionItemState,
  type SubscriptionState,
  type SubscriptionTransition,
} from './subscription-types';
import { DEFAULT_DAYS_UNTIL_DUE } from './subscription-create';
import type { CollectionMethod, Metadata } from './types';

export interface ItemChange {
  id?: string; // si_... of an existing item; absent: a new item
  price?: PriceChoice;
  quantity?: number;
  deleted?: boolean;
  metadata?: Metadata; // merged; '' values already removed by the caller
  taxRates?: TaxRateRecord[]; // resolved by the caller; [] removes the item's own rates
}

export interface UpdateSubscriptionCommand {
  items?: ItemChange[];
  prorationBehavior?: ProrationBehavior; // default create_prorations
  prorationDate?: number; // default: now
  // create_preview only: a proration date later in the current period is allowed (what a change
  // then would cost); a real update prorates no later than now.
  futureProrationDate?: boolean;
  cancelAtPeriodEnd?: boolean;
  cancelAt?: number | null;
  collectionMethod?: CollectionMethod;
  daysUntilDue?: number | null;
  defaultPaymentMethod?: string | null;
  description?: string | null;
  metadata?: Metadata; // the whole new metadata (merged by the caller)
  defaultTaxRates?: TaxRateRecord[]; // [] removes them; applies from the next invoice on
  // The whole new list: new ones (resolved and redeemed by the caller) and kept ones as they are.
  discounts?: (DiscountInput | AppliedDiscount)[];
}

const ENDED = new Set(['canceled', 'incomplete_expired']);

function nextItems(state: SubscriptionState, changes: readonly ItemChange[], now: number, ids: IdFactory) {
  let items: SubscriptionItemState[] = state.items.map((item) => ({ ...item }));
  // Which request item each resulting item came from, so a refusal names the caller's item.
  const origin = new Map<SubscriptionItemState, number>();
  changes.forEach((change, index) => {
    assertQuantity(change.quantity, `items[${index}][quantity]`);
    if (change.id === undefined) {
      if (change.deleted) {
        throw invalidRequest(
          'A new item cannot be deleted: give its id.',
          undefined,
          `items[${index}][deleted]`,
        );
      }
      const added = buildItem(
        { ...change.price, quantity: change.quantity, metadata: change.metadata, taxRates: change.taxRates },
        index,
        now,
        ids,
      );
      origin.set(added, index);
      items.push(added);
      return;
    }
    const at = items.findIndex((item) => item.id === change.id);
    if (at < 0) {
      throw invalidRequest(
        `Invalid subscription_item id: ${change.id}`,
        'resource_missing',
        `items[${index}][id]`,
      );
    }
    if (change.deleted) {
      items = items.filter((item) => item.id !== change.id);
      return;
    }
    const item = items[at];
    if (change.price) assertPriceUsable(change.price.price, `items[${index}][price]`);
    const { taxRates: ownRates, ...rest } = item;
    const taxRates = change.taxRates ?? ownRates;
    items[at] = {
      ...rest,
      ...(change.price ? { price: change.price.price, productName: change.price.productName } : {}),
      quantity: change.quantity ?? item.quantity,
      metadata: change.metadata ?? item.metadata,
      ...(taxRates && taxRates.length > 0 ? { taxRates } : {}),
    };
    origin.set(items[at], index);
  });
  assertItemSet(items, state.currency, (index) => {
    const from = origin.get(items[index]);
    return from === undefined ? 'items' : `items[${from}][price]`;
  });
  return items;
}

export function assertCanUpdateSubscription(
  state: SubscriptionState,
  command: UpdateSubscriptionCommand,
  now: number,
): void {
  if (ENDED.has(state.status)) {
    throw invalidRequest(
      `A canceled subscription can only update its cancellation_details and metadata.`,
      undefined,
      command.items ? 'items' : undefined,
    );
  }
  const at = command.prorationDate ?? now;
  if (
    command.prorationDate !== undefined &&
    (at < state.currentPeriodStart ||
      at > (command.futureProrationDate ? state.currentPeriodEnd : Math.max(now, state.currentPeriodStart)))
  ) {
    throw invalidRequest(
      'proration_date must be within the current period of the subscription, and not in the future.',
      undefined,
      'proration_date',
    );
  }
  if (command.cancelAt != null && command.cancelAt <= now) {
    throw invalidRequest('cancel_at must be in the future.', undefined, 'cancel_at');
  }
  const method = command.collectionMethod ?? state.collectionMethod;
  if (method === 'charge_automatically' && command.daysUntilDue != null) {
    throw invalidRequest(
      'Invalid days_until_due: only valid when collection_method is send_invoice.',
      undefined,
      'days_until_due',
    );
  }
  if (command.items) nextItems(state, command.items, now, () => 'si_probe');
}

function pendingOf(charges: ProrationCharge[], ids: IdFactory): PendingProration[] {
  return charges.map((charge) => ({ ...prorationLine(charge), invoiceItemId: ids('ii') }));
}

// What each item change costs or credits between `at` and the period's end.
export function itemProrations(
  before: readonly SubscriptionItemState[],
  after: readonly SubscriptionItemState[],
  period: { start: number; end: number },
  at: number,
): ProrationCharge[] {
  const ids = [...new Set([...before.map((item) => item.id), ...after.map((item) => item.id)])];
  return ids.flatMap((id) => {
    const old = before.find((item) => item.id === id);
    const next = after.find((item) => item.id === id);
    return prorationsFor(old ? billedItem(old) : null, next ? billedItem(next) : null, period, at);
  });
}

// What changed, as the rendered subscription had it before: Stripe's previous_attributes. A
// renewal's period change shows under `items` (each item carries its period since 2025-03-31).
export function previousAttributes(
  before: SubscriptionState,
  after: SubscriptionState,
): Record<string, unknown> {
  const old = renderSubscription(before) as unknown as Record<string, unknown>;
  const now = renderSubscription(after) as unknown as Record<string, unknown>;
  const changed: Record<string, unknown> = {};
  for (const key of Object.keys(now)) {
    if (JSON.stringify(old[key]) !== JSON.stringify(now[key])) changed[key] = old[key];
  }
  return changed;
}

export function updateSubscription(
  state: SubscriptionState,
  command: UpdateSubscriptionCommand,
  now: number,
  ids: IdFactory,
): SubscriptionTransition {
  assertCanUpdateSubscription(state, command, now);
  const behavior = command.prorationBehavior ?? 'create_prorations';
  const at = command.prorationDate ?? now;
  const items = command.items ? nextItems(state, command.items, now, ids) : state.items;
  const period = { start: state.currentPeriodStart, end: state.currentPeriodEnd };
  const resets = !sameRecurrence(recurrenceOf(state), recurrenceOf({ items }));

  let next: SubscriptionState = {
    ...state,
    items,
    cancelAtPeriodEnd: command.cancelAtPeriodEnd ?? state.cancelAtPeriodEnd,
    cancelAt: command.cancelAt !== undefined ? command.cancelAt : state.cancelAt,
    collectionMethod: command.collectionMethod ?? state.collectionMethod,
    daysUntilDue:
      (command.collectionMethod ?? state.collectionMethod) === 'charge_automatically'
        ? null
        : command.daysUntilDue !== undefined
          ? (command.daysUntilDue ?? DEFAULT_DAYS_UNTIL_DUE)
          : (state.daysUntilDue ?? DEFAULT_DAYS_UNTIL_DUE),
    defaultPaymentMethod:
      command.defaultPaymentMethod !== undefined ? command.defaultPaymentMethod : state.defaultPaymentMethod,
    description: command.description !== undefined ? command.description : state.description,
    metadata: command.metadata ?? state.metadata,
    ...(command.defaultTaxRates !== undefined ? { defaultTaxRates: command.defaultTaxRates } : {}),
    // A new `once` discount goes to the next renewal's invoice.
    ...(command.discounts !== undefined
      ? { discounts: appliedDiscounts(command.discounts, now, state.currentPeriodEnd) }
      : {}),
    version: state.version + 1,
  };

  let pendingItems: PendingProration[] = [];
  let invoice: InvoiceRequest | null = null;
  if (resets) {
    // The old items' unused time is credited; the new interval starts now and is billed now.
    const recurrence = recurrenceOf({ items });
    const newPeriod = { start: now, end: boundary(now, recurrence, 1) };
    const credits = behavior === 'none' ? [] : itemProrations(state.items, [], period, at).map(prorationLine);
    const invoiceId = ids('in');
    invoice = {
      invoiceId,
      billingReason: 'subscription_update',
      periodStart: state.currentPeriodStart,
      periodEnd: now,
      lines: [...credits, ...periodLines({ items }, recurrence, newPeriod)],
      collectNow: true,
    };
    next = {
      ...next,
      billingCycleAnchor: now,
      currentPeriodStart: newPeriod.start,
      currentPeriodEnd: newPeriod.end,
      latestInvoiceId: invoiceId,
      upcomingNotifiedFor: null,
    };
  } else if (behavior !== 'none') {
    const charges = itemProrations(state.items, items, period, at);
    if (behavior === 'create_prorations') pendingItems = pendingOf(charges, ids);
    else if (charges.length > 0) {
      const invoiceId = ids('in');
      invoice = {
        invoiceId,
        billingReason: 'subscription_update',
        periodStart: state.currentPeriodStart,
        periodEnd: at,
        lines: charges.map(prorationLine),
        collectNow: true,
      };
      next = { ...next, latestInvoiceId: invoiceId };
    }
  }
  return {
    state: next,
    events: [event(ids, now, 'customer.subscription.updated', previousAttributes(state, next))],
    pendingItems,
    invoice,
  };
}
