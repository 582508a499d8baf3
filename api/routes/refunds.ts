// /v1/refunds of the test processor: a succeeded PaymentIntent on its own is refunded here, in one
// Postgres transaction with its row locked, for no more than it has left. A PaymentIntent that pays
// an invoice is refunded by a credit note (refund_amount), through the invoice's workflow, which
// alone knows what the invoice's payments have left; here it is refused with that advice.
import { Router } from 'express';
import type { AppDeps } from '../deps';
import { findPaymentIdByCharge, findPaymentRow, fromRow } from '../../db/repositories/payments';
import {
  findRefund,
  insertRefund,
  refundOfRow,
  refundsOf,
  updateRefundMetadata,
  type RefundRow,
} from '../../db/repositories/refunds';
import { DomainError, invalidRequest, resourceMissing } from '../../workflows/domain/errors';
import { directRefundAmount, refundNotCancelable, type RefundRecord } from '../../workflows/domain/refund';
import { renderRefund } from '../../workflows/domain/render/refund';
import { inputOf, route, type RouteContext } from '../stripe/handler';
import { idForRequest } from '../stripe/idempotent-ids';
import { applyRange, fetchPage, listObject } from '../stripe/list';
import { parseParams } from '../stripe/params';
import { eventRequestOf, nowSeconds } from './catalog-writes';
import { mergeMetadata } from './customers';
import { withoutNulls } from './invoice-commands';
import { previousAttributes, recordObjectEvent } from './object-events';
import {
  refundCreateSchema,
  refundListSchema,
  refundRetrieveSchema,
  refundUpdateSchema,
} from './refund-params';

const RESOURCE = 'refund';

function wire(refund: RefundRecord): Record<string, unknown> {
  return renderRefund(refund) as unknown as Record<string, unknown>;
}

export function refundRoutes({ db }: AppDeps): Router {
  const router = Router();

  async function load(ctx: RouteContext): Promise<RefundRecord> {
    const refund = await findRefund(db, ctx.account.id, ctx.params.id);
    if (!refund) throw resourceMissing(RESOURCE, ctx.params.id);
    return refund;
  }

  router.post(
    '/refunds',
    route(async (ctx) => {
      const params = parseParams(refundCreateSchema, ctx.body);
      if (params.payment_intent === undefined && params.charge === undefined) {
        throw invalidRequest(
          'One of the following params should be provided for this request: payment_intent or charge.',
          'parameter_missing',
          'payment_intent',
        );
      }
      const accountId = ctx.account.id;
      const id = idForRequest('re', ctx);
      const refund = await db.transaction(async (trx) => {
        const made = await findRefund(trx, accountId, id); // a retry under its key, after the write
        if (made) return made;
        const ofCharge =
          params.charge === undefined
            ? undefined
            : await findPaymentIdByCharge(trx, accountId, params.charge);
        if (ofCharge === null) throw resourceMissing('charge', params.charge as string, 'charge');
        if (
          params.payment_intent !== undefined &&
          ofCharge !== undefined &&
          ofCharge !== params.payment_intent
        ) {
          throw invalidRequest(
            `The charge ${params.charge} does not belong to PaymentIntent ${params.payment_intent}.`,
            undefined,
            'charge',
          );
        }
        const intentId = (params.payment_intent ?? ofCharge) as string;
        const row = await findPaymentRow(trx, accountId, intentId, { forUpdate: true });
        if (!row) throw resourceMissing('payment_intent', intentId, 'payment_intent');
        const payment = fromRow(row);
        const amount = directRefundAmount(payment, Number(row.amount_refunded ?? 0), params.amount);
        const inserted = await insertRefund(trx, accountId, {
          id,
          paymentIntentId: payment.id,
          chargeId: payment.latestCharge,
          customerId: payment.customerId,
          paymentMethod: payment.paymentMethod,
          creditNoteId: null,
          amount,
          currency: payment.currency,
          reason: params.reason ?? null,
          status: 'succeeded',
          metadata: withoutNulls(params.metadata),
          created: nowSeconds(),
        });
        return inserted.refund;
      });
      return renderRefund(refund);
    }),
  );

  router.get(
    '/refunds/:id',
    route(async (ctx) => {
      parseParams(refundRetrieveSchema, inputOf(ctx));
      return renderRefund(await load(ctx));
    }),
  );

  router.post(
    '/refunds/:id',
    route(async (ctx) => {
      const params = parseParams(refundUpdateSchema, ctx.body);
      const request = eventRequestOf(ctx);
      const refund = await db.transaction(async (trx) => {
        const current = await findRefund(trx, ctx.account.id, ctx.params.id);
        if (!current) throw resourceMissing(RESOURCE, ctx.params.id);
        if (params.metadata === undefined) return current;
        const metadata = mergeMetadata(current.metadata, params.metadata);
        const next = (await updateRefundMetadata(trx, ctx.account.id, current.id, metadata)) as RefundRecord;
        const previous = previousAttributes(wire(current), wire(next));
        if (Object.keys(previous).length > 0) {
          await recordObjectEvent(
            trx,
            { accountId: ctx.account.id, id: next.id },
            'refund.updated',
            wire(next),
            request,
            previous,
          );
        }
        return next;
      });
      return renderRefund(refund);
    }),
  );

  router.post(
    '/refunds/:id/cancel',
    route(async (ctx) => {
      parseParams(refundRetrieveSchema, ctx.body);
      throw new DomainError(refundNotCancelable(await load(ctx)));
    }),
  );

  router.get(
    '/refunds',
    route(async (ctx) => {
      const params = parseParams(refundListSchema, inputOf(ctx));
      const base = applyRange(
        refundsOf(db, ctx.account.id, { paymentIntent: params.payment_intent, charge: params.charge }),
        'created',
        params.created,
      );
      const page = await fetchPage<RefundRow>(base, params, RESOURCE);
      return listObject(
        '/v1/refunds',
        page.rows.map((row) => renderRefund(refundOfRow(row))),
        page.hasMore,
      );
    }),
  );

  return router;
}
