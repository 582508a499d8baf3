// /v1/coupons: the account's coupons, a Postgres table the API reads and writes directly.
// Invoices and subscriptions keep a copy of the coupons they carry, so deleting one takes
// nothing back. Another account's coupon answers 404 resource_missing.
import { Router } from 'express';
import type { AppDeps } from '../deps';
import { isUniqueViolation } from '../../db/postgres-errors';
import {
  couponFromRow,
  couponsOf,
  deleteCoupon,
  findCoupon,
  insertCoupon,
  saveCoupon,
  type CouponRow,
} from '../../db/repositories/coupons';
import { findProduct } from '../../db/repositories/products';
import { COUPON_ID_PATTERN, newCoupon, type CouponRecord } from '../../workflows/domain/coupon';
import { invalidRequest, resourceMissing } from '../../workflows/domain/errors';
import { renderCoupon, renderDeletedCoupon } from '../../workflows/domain/render/coupon';
import { inputOf, route } from '../stripe/handler';
import { idForRequest } from '../stripe/idempotent-ids';
import { applyRange, fetchPage, listObject } from '../stripe/list';
import { parseParams } from '../stripe/params';
import { eventRequestOf, missingReference, nowSeconds } from './catalog-writes';
import { couponCreateSchema, couponListSchema, couponUpdateSchema, retrieveSchema } from './coupon-params';
import { mergeMetadata } from './customers';
import { previousAttributes, recordObjectEvent } from './object-events';

const RESOURCE = 'coupon';

function wire(coupon: CouponRecord, now = nowSeconds()): Record<string, unknown> {
  return renderCoupon(coupon, now) as unknown as Record<string, unknown>;
}

function withoutUnset(values: Record<string, string | null> | null | undefined): Record<string, string> {
  return Object.fromEntries(
    Object.entries(values ?? {}).filter((entry): entry is [string, string] => entry[1] !== null),
  );
}

export function couponRoutes({ db }: AppDeps): Router {
  const router = Router();

  router.post(
    '/coupons',
    route(async (ctx) => {
      const params = parseParams(couponCreateSchema, ctx.body);
      if (params.id !== undefined && !COUPON_ID_PATTERN.test(params.id)) {
        throw invalidRequest(`Invalid id: ${params.id}`, 'parameter_invalid_string', 'id');
      }
      const products = params.applies_to?.products;
      for (const [index, productId] of (products ?? []).entries()) {
        if (!(await findProduct(db, ctx.account.id, productId))) {
          throw missingReference('product', productId, `applies_to[products][${index}]`);
        }
      }
      const now = nowSeconds();
      const coupon = newCoupon(
        {
          // Stripe's generated coupon ids are eight random letters and digits.
          id: params.id ?? idForRequest('cpn', ctx).slice(-8),
          accountId: ctx.account.id,
          amountOff: params.amount_off,
          currency: params.currency,
          percentOff: params.percent_off,
          duration: params.duration,
          durationInMonths: params.duration_in_months,
          maxRedemptions: params.max_redemptions,
          redeemBy: params.redeem_by,
          appliesToProducts: products,
          name: params.name,
          metadata: withoutUnset(params.metadata),
        },
        now,
      );
      const request = eventRequestOf(ctx);
      await db.transaction(async (trx) => {
        try {
          await trx.transaction((inner) => insertCoupon(inner, coupon));
        } catch (error) {
          if (isUniqueViolation(error, 'coupons_account_id_id_unique')) {
            throw invalidRequest('Coupon already exists.', 'resource_already_exists', 'id');
          }
          throw error;
        }
        await recordObjectEvent(trx, coupon, 'coupon.created', wire(coupon, now), request);
      });
      return renderCoupon(coupon, now);
    }),
  );

  router.get(
    '/coupons/:id',
    route(async (ctx) => {
      parseParams(retrieveSchema, inputOf(ctx));
      const coupon = await findCoupon(db, ctx.account.id, ctx.params.id);
      if (!coupon) throw resourceMissing(RESOURCE, ctx.params.id);
      return renderCoupon(coupon, nowSeconds());
    }),
  );

  router.post(
    '/coupons/:id',
    route(async (ctx) => {
      const params = parseParams(couponUpdateSchema, ctx.body);
      const request = eventRequestOf(ctx);
      const coupon = await db.transaction(async (trx) => {
        const current = await findCoupon(trx, ctx.account.id, ctx.params.id, { forUpdate: true });
        if (!current) throw resourceMissing(RESOURCE, ctx.params.id);
        const next: CouponRecord = {
          ...current,
          name: params.name !== undefined ? params.name : current.name,
          metadata:
            params.metadata !== undefined
              ? mergeMetadata(current.metadata, params.metadata)
              : current.metadata,
        };
        await saveCoupon(trx, next);
        const previous = previousAttributes(wire(current), wire(next));
        await recordObjectEvent(trx, next, 'coupon.updated', wire(next), request, previous);
        return next;
      });
      return renderCoupon(coupon, nowSeconds());
    }),
  );

  router.delete(
    '/coupons/:id',
    route(async (ctx) => {
      parseParams({}, inputOf(ctx));
      const request = eventRequestOf(ctx);
      await db.transaction(async (trx) => {
        const coupon = await findCoupon(trx, ctx.account.id, ctx.params.id, { forUpdate: true });
        if (!coupon) throw resourceMissing(RESOURCE, ctx.params.id);
        await deleteCoupon(trx, ctx.account.id, coupon.id);
        await recordObjectEvent(trx, coupon, 'coupon.deleted', wire(coupon), request);
      });
      return renderDeletedCoupon(ctx.params.id);
    }),
  );

  router.get(
    '/coupons',
    route(async (ctx) => {
      const params = parseParams(couponListSchema, inputOf(ctx));
      const base = applyRange(couponsOf(db, ctx.account.id), 'created', params.created);
      const page = await fetchPage<CouponRow>(base, params, RESOURCE);
      const now = nowSeconds();
      return listObject(
        '/v1/coupons',
        page.rows.map((row) => renderCoupon(couponFromRow(row), now)),
        page.hasMore,
      );
    }),
  );

  return router;
}
