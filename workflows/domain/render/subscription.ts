// A subscription on the wire, typed by the stripe package (API version 2026-10-28.endive): the
// current period lives on each item, as the schema puts it.
import type Stripe from 'stripe';
import { renderTaxRate } from './tax-rate';
import { discountLiveFrom } from '../discount';
import type { SubscriptionItemState, SubscriptionState } from '../subscription-types';
import { renderPrice } from './price';

type WireDecimal = NonNullable<Stripe.Plan['amount_decimal']>;

// The legacy plan object Stripe still embeds beside the price.
function renderPlan(item: SubscriptionItemState): Stripe.Plan {
  const price = item.price;
  const recurring = price.recurring ?? { interval: 'month', intervalCount: 1 };
  return {
    id: price.id,
    object: 'plan',
    active: price.active,
    amount: price.unitAmount,
    amount_decimal: price.unitAmountDecimal as unknown as WireDecimal,
    billing_scheme: 'per_unit',
    created: price.created,
    currency: price.currency,
    interval: recurring.interval,
    interval_count: recurring.intervalCount,
    livemode: price.livemode,
    metadata: price.metadata,
    meter: null,
    nickname: price.nickname,
    product: price.productId,
    tiers_mode: null,
    transform_usage: null,
    trial_period_days: null,
    usage_type: 'licensed',
  };
}

export function renderSubscriptionItem(
  item: SubscriptionItemState,
  state: SubscriptionState,
): Stripe.SubscriptionItem {
  return {
    id: item.id,
    object: 'subscription_item',
    billing_thresholds: null,
    created: item.created,
    current_period_end: state.currentPeriodEnd,
    current_period_start: state.currentPeriodStart,
    current_trial: null,
    discounts: [],
    metadata: { ...item.metadata },
    plan: renderPlan(item),
    price: renderPrice(item.price),
    quantity: item.quantity,
    subscription: state.id,
    tax_rates: (item.taxRates ?? []).map(renderTaxRate),
  };
}

export function renderSubscriptionItemList(
  state: SubscriptionState,
): Stripe.ApiList<Stripe.SubscriptionItem> {
  return {
    object: 'list',
    data: state.items.map((item) => renderSubscriptionItem(item, state)),
    has_more: false,
    url: `/v1/subscription_items?subscription=${state.id}`,
  };
}

export function renderSubscription(state: SubscriptionState): Stripe.Subscription {
  return {
    id: state.id,
    object: 'subscription',
    application: null,
    application_fee_percent: null,
    automatic_tax: { disabled_reason: null, enabled: false, liability: null },
    billing_cycle_anchor: state.billingCycleAnchor,
    billing_cycle_anchor_config: null,
    billing_mode: { flexible: null, type: 'classic' },
    billing_schedules: [],
    billing_thresholds: null,
    cancel_at: state.cancelAtPeriodEnd ? state.currentPeriodEnd : state.cancelAt,
    cancel_at_period_end: state.cancelAtPeriodEnd,
    canceled_at: state.canceledAt,
    cancellation_details: {
      comment: null,
      feedback: null,
      feedback_option: null,
      reason: state.cancellationReason,
    },
    collection_method: state.collectionMethod,
    created: state.created,
    currency: state.currency,
    customer: state.customerId,
    customer_account: null,
    days_until_due: state.daysUntilDue,
    default_payment_method: state.defaultPaymentMethod,
    default_source: null,
    default_tax_rates: (state.defaultTaxRates ?? []).map(renderTaxRate),
    description: state.description,
    // Those still to apply from this period on (Stripe drops ended discounts).
    discounts: (state.discounts ?? [])
      .filter((discount) => discountLiveFrom(discount, state.currentPeriodStart))
      .map((discount) => discount.id),
    ended_at: state.endedAt,
    invoice_settings: {
      account_tax_ids: null,
      custom_fields: null,
      description: null,
      footer: null,
      issuer: { type: 'self' },
    },
    items: renderSubscriptionItemList(state),
    latest_invoice: state.latestInvoiceId,
    livemode: state.livemode,
    managed_payments: null,
    metadata: { ...state.metadata },
    next_pending_invoice_item_invoice: null,
    on_behalf_of: null,
    pause_collection: null,
    payment_settings: null,
    pending_invoice_item_interval: null,
    pending_setup_intent: null,
    pending_update: null,
    schedule: null,
    start_date: state.startDate,
    status: state.status,
    test_clock: state.testClockId,
    transfer_data: null,
    trial_end: null,
    trial_settings: null,
    trial_start: null,
  };
}
