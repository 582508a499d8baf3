// A promotion code: a customer-facing code for a coupon, with its own limits (active, expiry,
// redemptions, one customer). Pure: the record, its creation and whether it may be redeemed.
import { invalidRequest } from './errors';
import type { Metadata } from './types';

export interface PromotionCodeRecord {
  id: string; // promo_...
  accountId: string;
  code: string;
  couponId: string;
  active: boolean;
  customerId: string | null;
  expiresAt: number | null;
  maxRedemptions: number | null;
  timesRedeemed: number;
  metadata: Metadata;
  created: number;
  livemode: boolean;
}

export interface NewPromotionCodeInput {
  id: string;
  accountId: string;
  code: string;
  couponId: string;
  active?: boolean;
  customerId?: string | null;
  expiresAt?: number;
  maxRedemptions?: number;
  metadata?: Metadata;
}

// Stripe: codes are up to 500 characters of letters, digits and - _ (case-insensitive unique).
export const PROMOTION_CODE_PATTERN = /^[A-Za-z0-9_-]{1,500}$/;

export function newPromotionCode(input: NewPromotionCodeInput, now: number): PromotionCodeRecord {
  if (!PROMOTION_CODE_PATTERN.test(input.code)) {
    throw invalidRequest('The code may only contain letters, digits, - and _.', undefined, 'code');
  }
  if (input.expiresAt !== undefined && input.expiresAt <= now) {
    throw invalidRequest('expires_at must be in the future.', undefined, 'expires_at');
  }
  if (
    input.maxRedemptions !== undefined &&
    (!Number.isSafeInteger(input.maxRedemptions) || input.maxRedemptions < 1)
  ) {
    throw invalidRequest('max_redemptions must be a positive integer.', undefined, 'max_redemptions');
  }
  return {
    id: input.id,
    accountId: input.accountId,
    code: input.code,
    couponId: input.couponId,
    active: input.active ?? true,
    customerId: input.customerId ?? null,
    expiresAt: input.expiresAt ?? null,
    maxRedemptions: input.maxRedemptions ?? null,
    timesRedeemed: 0,
    metadata: input.metadata ?? {},
    created: now,
    livemode: false,
  };
}

export function assertPromotionCodeRedeemable(
  promotion: PromotionCodeRecord,
  customerId: string,
  now: number,
  param: string,
): void {
  const refuse = (message: string) => invalidRequest(message, 'coupon_expired', param);
  if (!promotion.active) throw refuse(`The promotion code ${promotion.code} is inactive.`);
  if (promotion.expiresAt !== null && now >= promotion.expiresAt) {
    throw refuse(`The promotion code ${promotion.code} has expired.`);
  }
  if (promotion.maxRedemptions !== null && promotion.timesRedeemed >= promotion.maxRedemptions) {
    throw refuse(`The promotion code ${promotion.code} has been redeemed the maximum number of times.`);
  }
  if (promotion.customerId !== null && promotion.customerId !== customerId) {
    throw invalidRequest(
      `The promotion code ${promotion.code} cannot be used by this customer.`,
      undefined,
      param,
    );
  }
}
