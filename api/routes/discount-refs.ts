// `discounts` named in a request (coupon, promotion_code, or an existing discount to keep)
// resolved to the account's own coupons, checked, and redeemed before anything is sent to a
// workflow. A refusal names the parameter and changes nothing; if the change they were redeemed
// for is refused afterwards, the redemptions are given back.
import type { Database } from '../../db/connection';
import { findCoupon, findPromotionCode, redeem, unredeem } from '../../db/repositories/coupons';
import { assertRedeemable, type CouponRecord } from '../../workflows/domain/coupon';
import type { AppliedDiscount, DiscountInput } from '../../workflows/domain/discount';
import { invalidRequest } from '../../workflows/domain/errors';
import { toErrorData } from '../stripe/errors';
import { assertPromotionCodeRedeemable } from '../../workflows/domain/promotion-code';
import type { RouteContext } from '../stripe/handler';
import { idForRequest } from '../stripe/idempotent-ids';
import { ClaimFirst, requireClaim } from '../stripe/idempotency';
import { arrayOf, object, string, type Infer } from '../stripe/params';
import { missingReference, nowSeconds } from './catalog-writes';

export const MAX_DISCOUNTS = 20;

export const discountsField = arrayOf(
  object({
    coupon: string({ maxLength: 255 }),
    promotion_code: string({ maxLength: 255 }),
    discount: string({ maxLength: 255 }),
  }),
  { max: MAX_DISCOUNTS },
);

type DiscountParams = Infer<{ d: typeof discountsField }>['d'];

interface Redemption {
  table: 'coupons' | 'promotion_codes';
  id: string;
}

export interface ResolvedDiscounts {
  discounts: (DiscountInput | AppliedDiscount)[];
  redemptions: Redemption[];
}

export interface DiscountTarget {
  customerId: string;
  currency: string;
  existing?: readonly AppliedDiscount[]; // what `discount` may name (the object's current ones)
}

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

function usedUp(coupon: CouponRecord, param: string): Error {
  return invalidRequest(
    `Coupon ${coupon.id} has been redeemed the maximum number of times.`,
    'coupon_expired',
    param,
  );
}

// The request's discount ids (stable under an idempotency key): its base id with the list and
// the position in it as the last three characters.
function discountId(base: string, salt: number, index: number): string {
  const digit = (value: number) => BASE62[value % 62] ?? '0';
  return `${base.slice(0, -3)}${digit(Math.floor(salt / 62))}${digit(salt)}${digit(index)}`;
}

// undefined: not given. null (Stripe's '' to unset) or []: none.
export async function resolveDiscounts(
  db: Database,
  ctx: RouteContext,
  given: DiscountParams | null | undefined,
  target: DiscountTarget,
  param = 'discounts',
  // salt: tells apart the discounts of several lists in one request (lines[i][discounts]).
  options: { redeem?: boolean; salt?: number } = {},
): Promise<ResolvedDiscounts | undefined> {
  if (given === undefined) return undefined;
  const accountId = ctx.account.id;
  const now = nowSeconds();
  const base = idForRequest('di', ctx);
  const discounts: (DiscountInput | AppliedDiscount)[] = [];
  const wanted: Redemption[] = [];
  const seen = new Set<string>();
  for (const [index, entry] of (given ?? []).entries()) {
    const at = `${param}[${index}]`;
    const named = [entry.coupon, entry.promotion_code, entry.discount].filter((value) => value !== undefined);
    if (named.length !== 1) {
      throw invalidRequest(
        'Each discount takes exactly one of coupon, promotion_code or discount.',
        undefined,
        at,
      );
    }
    if (entry.discount !== undefined) {
      const kept = target.existing?.find((discount) => discount.id === entry.discount);
      if (!kept) throw missingReference('discount', entry.discount, `${at}[discount]`);
      discounts.push(kept);
      seen.add(kept.coupon.id);
      continue;
    }
    let coupon: CouponRecord | null;
    let promotionCodeId: string | null = null;
    let couponParam = `${at}[coupon]`;
    if (entry.promotion_code !== undefined) {
      couponParam = `${at}[promotion_code]`;
      const promotion = await findPromotionCode(db, accountId, entry.promotion_code);
      if (!promotion) throw missingReference('promotion code', entry.promotion_code, couponParam);
      assertPromotionCodeRedeemable(promotion, target.customerId, now, couponParam);
      promotionCodeId = promotion.id;
      wanted.push({ table: 'promotion_codes', id: promotion.id });
      coupon = await findCoupon(db, accountId, promotion.couponId);
      if (!coupon) throw missingReference('coupon', promotion.couponId, couponParam);
    } else {
      coupon = await findCoupon(db, accountId, entry.coupon as string);
      if (!coupon) throw missingReference('coupon', entry.coupon as string, couponParam);
    }
    assertRedeemable(coupon, now, target.currency, couponParam);
    if (seen.has(coupon.id)) {
      throw invalidRequest(`The coupon ${coupon.id} is given more than once.`, undefined, couponParam);
    }
    seen.add(coupon.id);
    wanted.push({ table: 'coupons', id: coupon.id });
    discounts.push({
      id: discountId(base, options.salt ?? 0, index),
      coupon,
      promotionCodeId,
      customerId: target.customerId,
    });
  }
  // Every check passed: redeem, each counter moving only below its maximum (a race for the
  // last redemption is lost here, and what was already redeemed is given back). A route that
  // defers its idempotency claim runs again after claiming: claim before counting anything.
  // A preview checks everything and redeems nothing.
  if (options.redeem === false) return { discounts, redemptions: [] };
  if (wanted.length > 0) requireClaim(ctx.res);
  const redemptions: Redemption[] = [];
  for (const redemption of wanted) {
    if (!(await redeem(db, redemption.table, accountId, redemption.id))) {
      await giveBack(db, accountId, redemptions);
      const coupon = discounts.find(
        (discount): discount is DiscountInput => 'coupon' in discount && discount.coupon.id === redemption.id,
      );
      throw coupon
        ? usedUp(coupon.coupon, param)
        : invalidRequest(
            'The promotion code has been redeemed the maximum number of times.',
            'coupon_expired',
            param,
          );
    }
    redemptions.push(redemption);
  }
  return { discounts, redemptions };
}

// Several lists resolved for one change (each line's discounts) given back together.
export function mergeResolved(all: readonly (ResolvedDiscounts | undefined)[]): ResolvedDiscounts {
  return {
    discounts: all.flatMap((resolved) => resolved?.discounts ?? []),
    redemptions: all.flatMap((resolved) => resolved?.redemptions ?? []),
  };
}

export async function giveBack(
  db: Database,
  accountId: string,
  redemptions: readonly Redemption[],
): Promise<void> {
  for (const redemption of redemptions) await unredeem(db, redemption.table, accountId, redemption.id);
}

// Runs the change the discounts were redeemed for; if it is refused, gives them back.
export async function withRedemptions<T>(
  db: Database,
  accountId: string,
  resolved: ResolvedDiscounts | undefined,
  change: () => Promise<T>,
): Promise<T> {
  try {
    return await change();
  } catch (error) {
    // A refusal (a 4xx: a domain error, here or from the workflow) changed nothing; a timeout or
    // fault may yet have applied, so it keeps them.
    const unchanged = error instanceof ClaimFirst || toErrorData(error).status < 500;
    if (resolved && unchanged) await giveBack(db, accountId, resolved.redemptions);
    throw error;
  }
}
