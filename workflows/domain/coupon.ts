// A coupon: a percentage or a fixed amount off, for once, a number of months, or forever. Pure:
// the record, its creation rules and whether it may still be redeemed. percent_off is kept as the
// exact decimal the caller sent (as tax percentages are), never as a binary float.
import { invalidRequest, type DomainError } from './errors';
import { isSupportedCurrency, MAX_AMOUNT, normalizeCurrency } from './money';
import { normalizePercentage, percentageUnits } from './tax-rate';
import type { Metadata } from './common-types';

export type CouponDuration = 'once' | 'repeating' | 'forever';

export interface CouponRecord {
  id: string; // the caller's own id, or a random one
  accountId: string;
  amountOff: number | null; // minor units of `currency`
  currency: string | null;
  percentOff: string | null; // exact decimal, 0 < p <= 100
  duration: CouponDuration;
  durationInMonths: number | null;
  maxRedemptions: number | null;
  redeemBy: number | null;
  timesRedeemed: number;
  appliesToProducts: string[] | null;
  name: string | null;
  metadata: Metadata;
  created: number;
  livemode: boolean;
}

export interface NewCouponInput {
  id: string;
  accountId: string;
  amountOff?: number;
  currency?: string;
  percentOff?: string;
  duration?: CouponDuration;
  durationInMonths?: number;
  maxRedemptions?: number;
  redeemBy?: number;
  appliesToProducts?: string[];
  name?: string;
  metadata?: Metadata;
}

export const COUPON_ID_PATTERN = /^[A-Za-z0-9_-]{1,255}$/;

function refuse(message: string, param: string, code?: string): DomainError {
  return invalidRequest(message, code, param);
}

function assertAmounts(input: NewCouponInput): void {
  const hasPercent = input.percentOff !== undefined;
  const hasAmount = input.amountOff !== undefined;
  if (hasPercent === hasAmount) {
    throw refuse(
      'You must pass exactly one of percent_off or amount_off.',
      hasPercent ? 'amount_off' : 'percent_off',
    );
  }
  if (hasPercent) {
    const percent = input.percentOff as string;
    let units: bigint;
    try {
      units = percentageUnits(percent);
    } catch {
      throw refuse('percent_off must be a number greater than 0 and at most 100.', 'percent_off');
    }
    if (units <= 0n || units > 1_000_000n) {
      throw refuse('percent_off must be a number greater than 0 and at most 100.', 'percent_off');
    }
    if (input.currency !== undefined) {
      throw refuse('currency may only be given with amount_off.', 'currency');
    }
    return;
  }
  const amount = input.amountOff as number;
  if (!Number.isSafeInteger(amount) || amount <= 0 || amount > MAX_AMOUNT) {
    throw refuse('amount_off must be a positive integer.', 'amount_off');
  }
  if (input.currency === undefined) {
    throw refuse('You must pass currency when passing amount_off.', 'currency', 'parameter_missing');
  }
  if (!isSupportedCurrency(input.currency)) {
    throw refuse(`Invalid currency: ${input.currency}.`, 'currency');
  }
}

function assertDuration(input: NewCouponInput, now: number): void {
  const duration = input.duration ?? 'once';
  if (duration === 'repeating') {
    const months = input.durationInMonths;
    if (months === undefined) {
      throw refuse(
        'duration_in_months is required when duration is repeating.',
        'duration_in_months',
        'parameter_missing',
      );
    }
    if (!Number.isSafeInteger(months) || months < 1 || months > 12 * 100) {
      throw refuse('duration_in_months must be a positive integer.', 'duration_in_months');
    }
  } else if (input.durationInMonths !== undefined) {
    throw refuse('duration_in_months is only valid when duration is repeating.', 'duration_in_months');
  }
  if (
    input.maxRedemptions !== undefined &&
    (!Number.isSafeInteger(input.maxRedemptions) || input.maxRedemptions < 1)
  ) {
    throw refuse('max_redemptions must be a positive integer.', 'max_redemptions');
  }
  if (input.redeemBy !== undefined && input.redeemBy <= now) {
    throw refuse('redeem_by must be in the future.', 'redeem_by');
  }
}

export function newCoupon(input: NewCouponInput, now: number): CouponRecord {
  assertAmounts(input);
  assertDuration(input, now);
  return {
    id: input.id,
    accountId: input.accountId,
    amountOff: input.amountOff ?? null,
    currency: input.currency !== undefined ? normalizeCurrency(input.currency) : null,
    percentOff: input.percentOff !== undefined ? normalizePercentage(input.percentOff) : null,
    duration: input.duration ?? 'once',
    durationInMonths: input.durationInMonths ?? null,
    maxRedemptions: input.maxRedemptions ?? null,
    redeemBy: input.redeemBy ?? null,
    timesRedeemed: 0,
    appliesToProducts: input.appliesToProducts ?? null,
    name: input.name ?? null,
    metadata: input.metadata ?? {},
    created: now,
    livemode: false,
  };
}

// Stripe's `valid`: the coupon can still be redeemed.
export function couponValid(coupon: CouponRecord, now: number): boolean {
  if (coupon.redeemBy !== null && now >= coupon.redeemBy) return false;
  return coupon.maxRedemptions === null || coupon.timesRedeemed < coupon.maxRedemptions;
}

// Refuses a coupon past redeem_by or used up (Stripe's coupon_expired), or in another currency.
export function assertRedeemable(coupon: CouponRecord, now: number, currency: string, param: string): void {
  if (coupon.redeemBy !== null && now >= coupon.redeemBy) {
    throw refuse(`Coupon expired: ${coupon.id}`, param, 'coupon_expired');
  }
  if (coupon.maxRedemptions !== null && coupon.timesRedeemed >= coupon.maxRedemptions) {
    throw refuse(
      `Coupon ${coupon.id} has been redeemed the maximum number of times (${coupon.maxRedemptions}).`,
      param,
      'coupon_expired',
    );
  }
  if (coupon.currency !== null && coupon.currency !== normalizeCurrency(currency)) {
    throw refuse(
      `The coupon ${coupon.id} is in ${coupon.currency} and cannot apply to an amount in ${normalizeCurrency(currency)}.`,
      param,
    );
  }
}
