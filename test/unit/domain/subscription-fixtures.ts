// Builders for subscription tests: prices, subscription commands, active subscriptions and items.
import { createIdFactory, seededRandom, type IdFactory } from '../../../workflows/domain/ids';
import { newPrice, type NewPriceInput, type PriceRecord } from '../../../workflows/domain/price';
import {
  createSubscription,
  type CreateSubscriptionCommand,
} from '../../../workflows/domain/subscription-create';
import type { SubscriptionItemState, SubscriptionState } from '../../../workflows/domain/subscription-types';
import { utc } from './support';

// Created 1 Jan 2030, monthly: the period is 1 Jan - 1 Feb (31 days). Changes on 11 Jan leave 21.
export const START = utc(2030, 1, 1);
export const NOW = utc(2030, 1, 11);
export const PERIOD_END = utc(2030, 2, 1);

// Seeded ids: the same run of ids on every call.
export function ids(seed = 'x'): IdFactory {
  return createIdFactory(seededRandom(seed));
}

// A monthly usd price of 1000 on product prod_<id>, created at 0.
export function price(id: string, overrides: Partial<NewPriceInput> = {}): PriceRecord {
  return newPrice(
    {
      id,
      accountId: 'acct_1',
      productId: `prod_${id}`,
      currency: 'usd',
      unitAmount: 1000,
      recurring: { interval: 'month' },
      ...overrides,
    },
    0,
  );
}

// sub_1 for cus_1 on acct_1, with one Pro item on price_pro.
export function subscriptionCommand(
  overrides: Partial<CreateSubscriptionCommand> = {},
): CreateSubscriptionCommand {
  return {
    subscriptionId: 'sub_1',
    accountId: 'acct_1',
    customerId: 'cus_1',
    items: [{ price: price('price_pro'), productName: 'Pro' }],
    ...overrides,
  };
}

// The subscription created at `at` from subscriptionCommand(create), made active, then overridden.
export function activeSubscription(
  at: number,
  create: Partial<CreateSubscriptionCommand> = {},
  overrides: Partial<SubscriptionState> = {},
): SubscriptionState {
  const created = createSubscription(subscriptionCommand(create), at, ids('base'));
  return { ...created.state, status: 'active', ...overrides };
}

// An item of one Pro on price p, with id si_<price id>, created at 0.
export function subscriptionItem(
  p: PriceRecord,
  overrides: Partial<SubscriptionItemState> = {},
): SubscriptionItemState {
  return {
    id: `si_${p.id}`,
    price: p,
    productName: 'Pro',
    quantity: 1,
    created: 0,
    metadata: {},
    ...overrides,
  };
}
