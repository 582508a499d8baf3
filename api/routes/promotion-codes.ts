// /v1/promotion_codes: customer-facing codes for the account's coupons, a Postgres table the API
// reads and writes directly. An active code is unique within the account in any letter case.
import { Router } from 'express';
import type { AppDeps } from '../deps';
import { isUniqueViolation } from '../../db/postgres-errors';
import {
  findCoupon,
  findPromotionCode,
  insertPromotionCode,
  promotionCodeFromRow,
  promotionCodesOf,
  savePromotionCode,
  type PromotionCodeRow,
} from '../../db/repositories/coupons';
import { findCustomer } from '../../db/repositories/customers';
import { invalidRequest, resourceMissing } from '../../workflows/domain/errors';
import { newPromotionCode, type PromotionCodeRecord } from '../../workflows/domain/promotion-code';
import { renderPromotionCode } from '../../workflows/domain/render/coupon';
import { inputOf, route } from '../stripe/handler';
import { idForRequest } from '../stripe/idempotent-ids';
import { applyRange, fetchPage, listObject } from '../stripe/list';
import { parseParams } from '../stripe/params';
import { eventRequestOf, missingReference, nowSeconds } from './catalog-writes';
import {
  promotionCodeCreateSchema,
  promotionCodeListSchema,
  promotionCodeUpdateSchema,
  retrieveSchema,
} from './coupon-params';
import { mergeMetadata } from './customers';
import { previousAttributes, recordObjectEvent } from './object-events';

const RESOURCE = 'promotion_code';

function wire(promotion: PromotionCodeRecord): Record<string, unknown> {
  return renderPromotionCode(promotion) as unknown as Record<string, unknown>;
}

function codeTaken(code: string): Error {
  return invalidRequest(
    `An active promotion code with the code \`${code}\` already exists.`,
    'resource_already_exists',
    'code',
  );
}

// Writes whose unique index may refuse a code already active.
async function guardedCode<T>(code: string, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (isUniqueViolation(error, 'promotion_codes_active_code_unique')) throw codeTaken(code);
    throw error;
  }
}

export function promotionCodeRoutes({ db }: AppDeps): Router {
  const router = Router();

  router.post(
    '/promotion_codes',
    route(async (ctx) => {
      const params = parseParams(promotionCodeCreateSchema, ctx.body);
      const restrictions = params.restrictions;
      if (restrictions?.first_time_transaction || restrictions?.minimum_amount !== undefined) {
        const param = restrictions.first_time_transaction
          ? 'restrictions[first_time_transaction]'
          : 'restrictions[minimum_amount]';
        throw invalidRequest('This restriction is not offered here.', undefined, param);
      }
      const couponId = params.promotion.coupon;
      if (couponId === undefined) {
        throw invalidRequest(
          'Missing required param: promotion[coupon].',
          'parameter_missing',
          'promotion[coupon]',
        );
      }
      const coupon = await findCoupon(db, ctx.account.id, couponId);
      if (!coupon) throw missingReference('coupon', couponId, 'promotion[coupon]');
      if (params.customer !== undefined && !(await findCustomer(db, ctx.account.id, params.customer))) {
        throw missingReference('customer', params.customer, 'customer');
      }
      const id = idForRequest('promo', ctx);
      const promotion = newPromotionCode(
        {
          id,
          accountId: ctx.account.id,
          code: params.code ?? id.slice(-8).toUpperCase(),
          couponId,
          active: params.active,
          customerId: params.customer ?? null,
          expiresAt: params.expires_at,
          maxRedemptions: params.max_redemptions,
          metadata: mergeMetadata({}, params.metadata ?? {}),
        },
        nowSeconds(),
      );
      const request = eventRequestOf(ctx);
      await db.transaction(async (trx) => {
        await guardedCode(promotion.code, () =>
          trx.transaction((inner) => insertPromotionCode(inner, promotion)),
        );
        await recordObjectEvent(trx, promotion, 'promotion_code.created', wire(promotion), request);
      });
      return renderPromotionCode(promotion);
    }),
  );

  router.get(
    '/promotion_codes/:id',
    route(async (ctx) => {
      parseParams(retrieveSchema, inputOf(ctx));
      const promotion = await findPromotionCode(db, ctx.account.id, ctx.params.id);
      if (!promotion) throw resourceMissing(RESOURCE, ctx.params.id);
      return renderPromotionCode(promotion);
    }),
  );

  router.post(
    '/promotion_codes/:id',
    route(async (ctx) => {
      const params = parseParams(promotionCodeUpdateSchema, ctx.body);
      const request = eventRequestOf(ctx);
      const promotion = await db.transaction(async (trx) => {
        const current = await findPromotionCode(trx, ctx.account.id, ctx.params.id, { forUpdate: true });
        if (!current) throw resourceMissing(RESOURCE, ctx.params.id);
        const next: PromotionCodeRecord = {
          ...current,
          active: params.active ?? current.active,
          metadata:
            params.metadata !== undefined
              ? mergeMetadata(current.metadata, params.metadata)
              : current.metadata,
        };
        await guardedCode(next.code, () => trx.transaction((inner) => savePromotionCode(inner, next)));
        const previous = previousAttributes(wire(current), wire(next));
        await recordObjectEvent(trx, next, 'promotion_code.updated', wire(next), request, previous);
        return next;
      });
      return renderPromotionCode(promotion);
    }),
  );

  router.get(
    '/promotion_codes',
    route(async (ctx) => {
      const params = parseParams(promotionCodeListSchema, inputOf(ctx));
      const base = applyRange(
        promotionCodesOf(db, ctx.account.id, {
          active: params.active,
          code: params.code,
          coupon: params.coupon,
          customer: params.customer,
        }),
        'created',
        params.created,
      );
      const page = await fetchPage<PromotionCodeRow>(base, params, RESOURCE);
      return listObject(
        '/v1/promotion_codes',
        page.rows.map((row) => renderPromotionCode(promotionCodeFromRow(row))),
        page.hasMore,
      );
    }),
  );

  return router;
}
