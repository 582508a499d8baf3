// Prorations, to the second as Stripe computes them: a change at time t inside the period
// [start, end) credits the unused part of what was billed and charges the remaining part of
// what replaces it. Each amount is full × (end − t) / (end − start), computed exactly in
// integers and rounded half away from zero once, per line.
import type { Period } from './types';

export function prorate(fullAmount: number, period: Period, at: number): number {
  const whole = period.end - period.start;
  if (whole <= 0) throw new RangeError('A period must have a positive length');
  const from = Math.min(Math.max(at, period.start), period.end);
  const remaining = period.end - from;
  return divideRounded(BigInt(fullAmount) * BigInt(remaining), BigInt(whole));
}

// numerator / denominator rounded half away from zero (denominator > 0).
export function divideRounded(numerator: bigint, denominator: bigint): number {
  const negative = numerator < 0n;
  const magnitude = negative ? -numerator : numerator;
  const quotient = (magnitude * 2n + denominator) / (denominator * 2n);
  const value = Number(quotient);
  return negative && value !== 0 ? -value : value; // never -0
}

// What a subscription item bills for a whole period, and under which price.
export interface BilledItem {
  subscriptionItemId: string;
  priceId: string;
  productId: string;
  productName: string;
  quantity: number;
  fullAmount: number; // the whole period's amount for this quantity
}

export interface ProrationCharge {
  subscriptionItemId: string;
  priceId: string;
  productId: string;
  quantity: number;
  amount: number; // negative for a credit
  description: string;
  period: Period; // [t, end)
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function dateText(at: number): string {
  const date = new Date(at * 1000);
  return `${date.getUTCDate()} ${MONTHS[date.getUTCMonth()]} ${date.getUTCFullYear()}`;
}

function quantityText(item: BilledItem): string {
  return item.quantity === 1 ? item.productName : `${item.quantity} × ${item.productName}`;
}

// The proration lines for replacing `before` by `after` (either may be absent: an item added
// or removed) at `at`. Nothing when the item did not change or `at` is outside the period.
export function prorationsFor(
  before: BilledItem | null,
  after: BilledItem | null,
  period: Period,
  at: number,
): ProrationCharge[] {
  if (at < period.start || at >= period.end) return [];
  if (before && after && before.priceId === after.priceId && before.quantity === after.quantity) return [];
  const span = { start: at, end: period.end };
  const charges: ProrationCharge[] = [];
  if (before) {
    const amount = -prorate(before.fullAmount, period, at);
    if (amount !== 0) {
      charges.push({
        subscriptionItemId: before.subscriptionItemId,
        priceId: before.priceId,
        productId: before.productId,
        quantity: before.quantity,
        amount,
        description: `Unused time on ${quantityText(before)} after ${dateText(at)}`,
        period: span,
      });
    }
  }
  if (after) {
    const amount = prorate(after.fullAmount, period, at);
    if (amount !== 0) {
      charges.push({
        subscriptionItemId: after.subscriptionItemId,
        priceId: after.priceId,
        productId: after.productId,
        quantity: after.quantity,
        amount,
        description: `Remaining time on ${quantityText(after)} after ${dateText(at)}`,
        period: span,
      });
    }
  }
  return charges;
}
