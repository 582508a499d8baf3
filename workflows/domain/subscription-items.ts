// Subscription items as callers give them, checked against Stripe's rules: at most 20 items,
// recurring and active prices, one currency and one billing interval across the subscription,
// a price at most once, whole non-negative quantities.
import { sameRecurrence } from './billing-period';
import { invalidRequest } from './errors';
import type { IdFactory } from './ids';
import type { PriceRecord } from './price';
import type { SubscriptionItemState } from './subscription-types';
import type { TaxRateRecord } from './tax-rate';
import type { Metadata } from './types';

export const MAX_SUBSCRIPTION_ITEMS = 20;

export interface PriceChoice {
  price: PriceRecord;
  productName: string;
}

export interface NewItemInput extends Partial<PriceChoice> {
  quantity?: number;
  metadata?: Metadata;
  taxRates?: TaxRateRecord[]; // resolved by the caller (the account's own, active rates)
}

export function assertQuantity(quantity: number | undefined, param: string): void {
  if (quantity === undefined) return;
  if (!Number.isSafeInteger(quantity) || quantity < 0) {
    throw invalidRequest(`Invalid integer: ${quantity}`, 'parameter_invalid_integer', param);
  }
}

export function assertPriceUsable(price: PriceRecord, param: string): void {
  if (price.type !== 'recurring' || !price.recurring) {
    throw invalidRequest(
      `The price specified is set to \`type=one_time\` but this field only accepts prices with \`type=recurring\`.`,
      undefined,
      param,
    );
  }
  if (!price.active) {
    throw invalidRequest(
      `The price specified is inactive. This field only accepts active prices.`,
      undefined,
      param,
    );
  }
}

// The whole set of items a subscription would have: the rules that span items. `paramOf` names
// the request's item an index of the set came from (an update merges the request into the
// existing items).
export function assertItemSet(
  items: readonly SubscriptionItemState[],
  currency: string | null,
  paramOf: (index: number) => string = (index) => `items[${index}][price]`,
): void {
  if (items.length === 0) {
    throw invalidRequest('A subscription must have at least one active plan.', undefined, 'items');
  }
  if (items.length > MAX_SUBSCRIPTION_ITEMS) {
    throw invalidRequest(
      `A subscription can have at most ${MAX_SUBSCRIPTION_ITEMS} items.`,
      undefined,
      'items',
    );
  }
  const first = items[0].price;
  const seen = new Set<string>();
  items.forEach((item, index) => {
    const recurring = item.price.recurring;
    if (!recurring || !first.recurring || !sameRecurrence(recurring, first.recurring)) {
      throw invalidRequest(
        'Currency and interval fields must match across all plans on this subscription.',
        undefined,
        paramOf(index),
      );
    }
    if (item.price.currency !== (currency ?? first.currency)) {
      throw invalidRequest(
        'Currency and interval fields must match across all plans on this subscription.',
        undefined,
        paramOf(index),
      );
    }
    if (seen.has(item.price.id)) {
      throw invalidRequest(
        'Cannot add multiple subscription items with the same price.',
        undefined,
        paramOf(index),
      );
    }
    seen.add(item.price.id);
  });
}

export function buildItem(
  input: NewItemInput,
  index: number,
  now: number,
  ids: IdFactory,
): SubscriptionItemState {
  if (!input.price || input.productName === undefined) {
    throw invalidRequest(
      'Missing required param: items[][price].',
      'parameter_missing',
      `items[${index}][price]`,
    );
  }
  assertPriceUsable(input.price, `items[${index}][price]`);
  assertQuantity(input.quantity, `items[${index}][quantity]`);
  return {
    id: ids('si'),
    price: input.price,
    productName: input.productName,
    quantity: input.quantity ?? 1,
    created: now,
    metadata: { ...(input.metadata ?? {}) },
    ...(input.taxRates && input.taxRates.length > 0 ? { taxRates: input.taxRates } : {}),
  };
}
