// A price on the wire, typed by the stripe package so the compiler checks every field against
// API version 2026-10-28.endive. Only per_unit, licensed prices exist here, so tiers,
// transform_quantity and custom_unit_amount are always empty.
import type Stripe from 'stripe';
import type { PriceRecord } from '../price';

type WireDecimal = NonNullable<Stripe.Price['unit_amount_decimal']>;

// The stripe package parses decimals into its own Decimal class; on the wire they are strings.
function wireDecimal(value: string): WireDecimal {
  return value as unknown as WireDecimal;
}

function renderRecurring(recurring: NonNullable<PriceRecord['recurring']>): Stripe.Price.Recurring {
  return {
    interval: recurring.interval,
    interval_count: recurring.intervalCount,
    meter: null,
    trial_period_days: null,
    usage_type: 'licensed',
  };
}

export function renderPrice(price: PriceRecord): Stripe.Price {
  return {
    id: price.id,
    object: 'price',
    active: price.active,
    billing_scheme: 'per_unit',
    created: price.created,
    currency: price.currency,
    custom_unit_amount: null,
    livemode: price.livemode,
    lookup_key: price.lookupKey,
    metadata: price.metadata,
    nickname: price.nickname,
    product: price.productId,
    recurring: price.recurring ? renderRecurring(price.recurring) : null,
    tax_behavior: price.taxBehavior ?? 'unspecified',
    tiers_mode: null,
    transform_quantity: null,
    type: price.type,
    unit_amount: price.unitAmount,
    unit_amount_decimal: wireDecimal(price.unitAmountDecimal),
  };
}
