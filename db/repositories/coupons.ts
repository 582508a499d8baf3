// Coupons and promotion codes, scoped by account. A redemption is one conditional UPDATE of the
// counter (never beyond max_redemptions); a refused change gives it back with `unredeem`.
import type { Knex } from 'knex';
import type { CouponRecord } from '../../workflows/domain/coupon';
import type { PromotionCodeRecord } from '../../workflows/domain/promotion-code';
import type { Database } from '../connection';

type Executor = Database | Knex.Transaction;

export interface CouponRow {
  seq: number;
  id: string;
  created: number;
  times_redeemed: number;
  data: CouponRecord;
}

export interface PromotionCodeRow {
  seq: number;
  id: string;
  created: number;
  times_redeemed: number;
  data: PromotionCodeRecord;
}

export function couponFromRow(row: Pick<CouponRow, 'data' | 'times_redeemed'>): CouponRecord {
  return { ...row.data, timesRedeemed: Number(row.times_redeemed) };
}

export function promotionCodeFromRow(
  row: Pick<PromotionCodeRow, 'data' | 'times_redeemed'>,
): PromotionCodeRecord {
  return { ...row.data, timesRedeemed: Number(row.times_redeemed) };
}

export async function insertCoupon(db: Executor, coupon: CouponRecord): Promise<void> {
  await db('coupons').insert({
    id: coupon.id,
    account_id: coupon.accountId,
    created: coupon.created,
    times_redeemed: coupon.timesRedeemed,
    max_redemptions: coupon.maxRedemptions,
    data: JSON.stringify(coupon),
  });
}

// Name and metadata only (Stripe's updatable fields); the counter is left alone.
export async function saveCoupon(db: Executor, coupon: CouponRecord): Promise<void> {
  await db('coupons')
    .where({ account_id: coupon.accountId, id: coupon.id })
    .update({ data: JSON.stringify(coupon) });
}

export async function findCoupon(
  db: Executor,
  accountId: string,
  id: string,
  options: { forUpdate?: boolean } = {},
): Promise<CouponRecord | null> {
  let query = db('coupons').where({ account_id: accountId, id });
  if (options.forUpdate) query = query.forUpdate();
  const row = (await query.first('data', 'times_redeemed')) as CouponRow | undefined;
  return row ? couponFromRow(row) : null;
}

export async function deleteCoupon(db: Executor, accountId: string, id: string): Promise<boolean> {
  return (await db('coupons').where({ account_id: accountId, id }).delete()) > 0;
}

export function couponsOf(db: Executor, accountId: string): Knex.QueryBuilder {
  return db('coupons').where({ account_id: accountId });
}

type Counted = 'coupons' | 'promotion_codes';

// True when the counter moved (it was below max_redemptions, or there is no maximum).
export async function redeem(db: Executor, table: Counted, accountId: string, id: string): Promise<boolean> {
  const changed = await db(table)
    .where({ account_id: accountId, id })
    .andWhere((q) => q.whereNull('max_redemptions').orWhereRaw('times_redeemed < max_redemptions'))
    .increment('times_redeemed', 1);
  return Number(changed) > 0;
}

export async function unredeem(db: Executor, table: Counted, accountId: string, id: string): Promise<void> {
  await db(table)
    .where({ account_id: accountId, id })
    .andWhere('times_redeemed', '>', 0)
    .decrement('times_redeemed', 1);
}

export async function insertPromotionCode(db: Executor, promotion: PromotionCodeRecord): Promise<void> {
  await db('promotion_codes').insert({
    id: promotion.id,
    account_id: promotion.accountId,
    code: promotion.code,
    coupon_id: promotion.couponId,
    customer_id: promotion.customerId,
    active: promotion.active,
    created: promotion.created,
    times_redeemed: promotion.timesRedeemed,
    max_redemptions: promotion.maxRedemptions,
    data: JSON.stringify(promotion),
  });
}

export async function savePromotionCode(db: Executor, promotion: PromotionCodeRecord): Promise<void> {
  await db('promotion_codes')
    .where({ account_id: promotion.accountId, id: promotion.id })
    .update({ active: promotion.active, data: JSON.stringify(promotion) });
}

export async function findPromotionCode(
  db: Executor,
  accountId: string,
  id: string,
  options: { forUpdate?: boolean } = {},
): Promise<PromotionCodeRecord | null> {
  let query = db('promotion_codes').where({ account_id: accountId, id });
  if (options.forUpdate) query = query.forUpdate();
  const row = (await query.first('data', 'times_redeemed')) as PromotionCodeRow | undefined;
  return row ? promotionCodeFromRow(row) : null;
}

export interface PromotionCodeFilters {
  active?: boolean;
  code?: string;
  coupon?: string;
  customer?: string;
}

export function promotionCodesOf(
  db: Executor,
  accountId: string,
  filters: PromotionCodeFilters,
): Knex.QueryBuilder {
  let query = db('promotion_codes').where({ account_id: accountId });
  if (filters.active !== undefined) query = query.andWhere({ active: filters.active });
  if (filters.code !== undefined) query = query.andWhereRaw('upper(code) = upper(?)', [filters.code]);
  if (filters.coupon !== undefined) query = query.andWhere({ coupon_id: filters.coupon });
  if (filters.customer !== undefined) query = query.andWhere({ customer_id: filters.customer });
  return query;
}
