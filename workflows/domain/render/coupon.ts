// Coupons, promotion codes and discounts on the wire, typed by the stripe package (API
// 2026-10-28.endive). The exact decimal percent_off becomes a JSON number only here.
import type Stripe from 'stripe';
import { couponValid, type CouponRecord } from '../coupon';
import type { AppliedDiscount } from '../discount';
import type { PromotionCodeRecord } from '../promotion-code';

export function renderCoupon(coupon: CouponRecord, now: number): Stripe.Coupon {
  const body: Stripe.Coupon = {
    id: coupon.id,
    object: 'coupon',
    amount_off: coupon.amountOff,
    created: coupon.created,
    currency: coupon.currency,
    duration: coupon.duration,
    duration_in_months: coupon.durationInMonths,
    livemode: coupon.livemode,
    max_redemptions: coupon.maxRedemptions,
    metadata: { ...coupon.metadata },
    name: coupon.name,
    percent_off: coupon.percentOff === null ? null : Number(coupon.percentOff),
    redeem_by: coupon.redeemBy,
    times_redeemed: coupon.timesRedeemed,
    valid: couponValid(coupon, now),
  };
  if (coupon.appliesToProducts !== null) body.applies_to = { products: [...coupon.appliesToProducts] };
  return body;
}

export function renderDeletedCoupon(id: string): Stripe.DeletedCoupon {
  return { id, object: 'coupon', deleted: true };
}

export function renderPromotionCode(promotion: PromotionCodeRecord): Stripe.PromotionCode {
  return {
    id: promotion.id,
    object: 'promotion_code',
    active: promotion.active,
    code: promotion.code,
    created: promotion.created,
    customer: promotion.customerId,
    customer_account: null,
    expires_at: promotion.expiresAt,
    livemode: promotion.livemode,
    max_redemptions: promotion.maxRedemptions,
    metadata: { ...promotion.metadata },
    promotion: { coupon: promotion.couponId, type: 'coupon' },
    restrictions: { first_time_transaction: false, minimum_amount: null, minimum_amount_currency: null },
    times_redeemed: promotion.timesRedeemed,
  };
}

export interface DiscountOwner {
  invoice?: string | null;
  invoiceItem?: string | null;
  subscription?: string | null;
}

export function renderDiscount(
  discount: AppliedDiscount,
  owner: DiscountOwner,
  now: number,
): Stripe.Discount {
  return {
    id: discount.id,
    object: 'discount',
    checkout_session: null,
    customer: discount.customerId,
    customer_account: null,
    end: discount.end,
    invoice: owner.invoice ?? null,
    invoice_item: owner.invoiceItem ?? null,
    promotion_code: discount.promotionCodeId,
    source: { coupon: renderCoupon(discount.coupon, now), type: 'coupon' },
    start: discount.start,
    subscription: owner.subscription ?? null,
    subscription_item: null,
  };
}
