// PaymentIntents of the test-mode processor: created confirmed (charged at once), so that
// attach_payment has real, separately made payments to attach.
import { Router } from 'express';
import type { AppDeps } from '../app';
import { findCustomer } from '../../db/repositories/customers';
import { findPayment, recordPayment } from '../../db/repositories/payments';
import { idForRequest } from '../stripe/idempotency';
import { DomainError, invalidRequest, resourceMissing } from '../../workflows/domain/errors';
import { isSupportedCurrency, MAX_AMOUNT } from '../../workflows/domain/money';
import { simulateCharge } from '../../workflows/domain/payment-methods';
import { renderPaymentIntent } from '../../workflows/domain/render/payment-intent';
import { unknownPaymentMethod } from '../../activities/payments';
import { inputOf, route } from '../stripe/handler';
import {
  boolean,
  emptyable,
  expandField,
  integer,
  metadata,
  parseParams,
  required,
  string,
} from '../stripe/params';
import { withoutNulls } from './invoice-commands';

const createSchema = {
  amount: required(integer({ min: 1, max: MAX_AMOUNT })),
  currency: required(string({ maxLength: 3 })),
  customer: string({ maxLength: 255 }),
  payment_method: required(string({ maxLength: 255 })),
  confirm: boolean(),
  description: string({ maxLength: 1000 }),
  metadata: emptyable(metadata()),
  expand: expandField,
};

export function paymentIntentRoutes({ db }: AppDeps): Router {
  const router = Router();

  router.post(
    '/payment_intents',
    route(async (ctx) => {
      const params = parseParams(createSchema, ctx.body);
      if (params.confirm !== true) {
        throw invalidRequest(
          'This test-mode processor creates confirmed PaymentIntents only: pass confirm=true.',
          undefined,
          'confirm',
        );
      }
      const currency = params.currency.toLowerCase();
      if (!isSupportedCurrency(currency))
        throw invalidRequest(`Invalid currency: ${currency}.`, undefined, 'currency');
      if (params.customer !== undefined && !(await findCustomer(db, ctx.account.id, params.customer))) {
        throw resourceMissing('customer', params.customer, 'customer');
      }
      const outcome = simulateCharge(params.payment_method);
      if (!outcome) throw new DomainError(unknownPaymentMethod(params.payment_method));
      const id = idForRequest('pi', ctx);
      const payment = await recordPayment(
        db,
        ctx.account.id,
        {
          id,
          amount: params.amount,
          currency,
          customerId: params.customer ?? null,
          invoiceId: null,
          paymentMethod: params.payment_method,
          outcome,
          metadata: withoutNulls(params.metadata),
          description: params.description ?? null,
          created: Math.floor(Date.now() / 1000),
        },
        `payment_intent:${id}`,
      );
      return renderPaymentIntent(payment);
    }),
  );

  router.get(
    '/payment_intents/:id',
    route(async (ctx) => {
      parseParams({ expand: expandField }, inputOf(ctx));
      const payment = await findPayment(db, ctx.account.id, ctx.params.id);
      if (!payment) throw resourceMissing('payment_intent', ctx.params.id);
      return renderPaymentIntent(payment);
    }),
  );

  return router;
}
