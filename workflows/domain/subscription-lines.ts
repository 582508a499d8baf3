// What a subscription bills: one line per item for a period, in Stripe's wording
// ("2 × Gold (at $20.00 / month)"), and the items as proration inputs.
import type { Recurrence } from './billing-period';
import { isZeroDecimal } from './money';
import { priceAmount } from './price';
import type { BilledItem, ProrationCharge } from './proration';
import type { SubscriptionItemState, SubscriptionLine, SubscriptionState } from './subscription-types';
import type { Period } from './types';

const SYMBOLS: Record<string, string> = { usd: '$', eur: '€', gbp: '£', jpy: '¥', cad: 'CA$', aud: 'A$' };

// Integer minor units shown as the customer reads them, without floating point.
export function formatMoney(amount: number, currency: string): string {
  const symbol = SYMBOLS[currency] ?? `${currency.toUpperCase()} `;
  const sign = amount < 0 ? '-' : '';
  const magnitude = Math.abs(amount);
  if (isZeroDecimal(currency)) return `${sign}${symbol}${magnitude}`;
  const cents = String(magnitude % 100).padStart(2, '0');
  return `${sign}${symbol}${Math.floor(magnitude / 100)}.${cents}`;
}

function unitText(item: SubscriptionItemState): string {
  const unit = item.price.unitAmount ?? Math.round(priceAmount(item.price, 1));
  return formatMoney(unit, item.price.currency);
}

export function intervalText(recurrence: Recurrence): string {
  return recurrence.intervalCount === 1
    ? recurrence.interval
    : `every ${recurrence.intervalCount} ${recurrence.interval}s`;
}

export function itemDescription(item: SubscriptionItemState, recurrence: Recurrence): string {
  return `${item.quantity} × ${item.productName} (at ${unitText(item)} / ${intervalText(recurrence)})`;
}

// The item billed for a whole period.
export function periodLine(
  item: SubscriptionItemState,
  recurrence: Recurrence,
  period: Period,
): SubscriptionLine {
  return {
    subscriptionItemId: item.id,
    priceId: item.price.id,
    productId: item.price.productId,
    quantity: item.quantity,
    amount: priceAmount(item.price, item.quantity),
    unitAmountDecimal: item.price.unitAmountDecimal,
    description: itemDescription(item, recurrence),
    period: { ...period },
    proration: false,
  };
}

export function periodLines(state: Pick<SubscriptionState, 'items'>, recurrence: Recurrence, period: Period) {
  return state.items.map((item) => periodLine(item, recurrence, period));
}

export function billedItem(item: SubscriptionItemState): BilledItem {
  return {
    subscriptionItemId: item.id,
    priceId: item.price.id,
    productId: item.price.productId,
    productName: item.productName,
    quantity: item.quantity,
    fullAmount: priceAmount(item.price, item.quantity),
  };
}

export function prorationLine(charge: ProrationCharge): SubscriptionLine {
  return {
    subscriptionItemId: charge.subscriptionItemId,
    priceId: charge.priceId,
    productId: charge.productId,
    quantity: charge.quantity,
    amount: charge.amount,
    unitAmountDecimal: null,
    description: charge.description,
    period: { ...charge.period },
    proration: true,
  };
}
