// A discount: one coupon (maybe through a promotion code) applied to an invoice, an invoice item
// or a subscription, from `start` until `end` (null: no end). The coupon is copied in as it was
// when applied, so later changes to it (or its deletion) do not change what was granted.
import { boundary } from './billing-period';
import type { CouponRecord } from './coupon';

export interface AppliedDiscount {
  id: string; // di_...
  coupon: CouponRecord;
  promotionCodeId: string | null;
  customerId: string;
  start: number;
  end: number | null; // repeating: start + duration_in_months; else null
  // Stripe's once: only the first invoice takes it, the one made at `onceAt` (default `start`).
  onceOnly?: boolean;
  onceAt?: number;
}

// What a caller asks for; the domain stamps start and end with its own time.
export interface DiscountInput {
  id: string;
  coupon: CouponRecord;
  promotionCodeId: string | null;
  customerId: string;
}

export function applyDiscount(input: DiscountInput, now: number): AppliedDiscount {
  const coupon = input.coupon;
  const end =
    coupon.duration === 'repeating' && coupon.durationInMonths !== null
      ? boundary(now, { interval: 'month', intervalCount: coupon.durationInMonths }, 1)
      : null;
  return {
    ...input,
    start: now,
    end,
    ...(coupon.duration === 'once' ? { onceOnly: true } : {}),
  };
}

// New discounts are stamped with the transition's time; ones already applied (kept by an
// update naming them) stay as they were.
// `onceAt`: when the first invoice to take a new `once` discount will be made (a subscription
// changed mid-period: its next renewal).
export function appliedDiscounts(
  discounts: readonly (DiscountInput | AppliedDiscount)[],
  now: number,
  onceAt?: number,
): AppliedDiscount[] {
  return discounts.map((discount) => {
    if ('start' in discount) return discount;
    const applied = applyDiscount(discount, now);
    return applied.onceOnly && onceAt !== undefined ? { ...applied, onceAt } : applied;
  });
}

// Whether a subscription's discount can still apply to an invoice made at or after `from` (an
// ended one, or a once one already used, is no longer shown on the subscription).
export function discountLiveFrom(discount: AppliedDiscount, from: number): boolean {
  if (discount.onceOnly) return (discount.onceAt ?? discount.start) >= from;
  return discount.end === null || discount.end > from;
}

// Whether a subscription's discount still applies to an invoice made at `at`.
export function discountActiveAt(discount: AppliedDiscount, at: number): boolean {
  if (at < discount.start) return false;
  if (discount.onceOnly) return at === (discount.onceAt ?? discount.start);
  return discount.end === null || at < discount.end;
}
