// The state transitions an invoice goes through after creation, one update each.
import { Router } from 'express';
import type { AppDeps } from '../deps';
import {
  attachPayment,
  finalizeInvoice,
  markUncollectible,
  payInvoice,
  sendInvoice,
  voidInvoice,
} from '../../workflows/messages';
import { updateInvoiceWorkflow } from '../../workflows/client/invoice-workflows';
import { route } from '../stripe/handler';
import { parseParams } from '../stripe/params';
import { attachPaymentSchema, expandOnlySchema, finalizeSchema, paySchema } from './invoice-params';
import { invalidRequest } from '../../workflows/domain/errors';
import { callerOf, presentInvoice } from './invoice-view';

export function invoiceActionRoutes({ db, temporal }: AppDeps): Router {
  const router = Router();

  router.post(
    '/invoices/:id/finalize',
    route(async (ctx) => {
      const params = parseParams(finalizeSchema, ctx.body);
      const state = await updateInvoiceWorkflow(temporal, ctx.params.id, finalizeInvoice, {
        ...callerOf(ctx),
        autoAdvance: params.auto_advance,
      });
      return presentInvoice(db, state, params.expand);
    }),
  );

  router.post(
    '/invoices/:id/pay',
    route(async (ctx) => {
      const params = parseParams(paySchema, ctx.body);
      const state = await updateInvoiceWorkflow(temporal, ctx.params.id, payInvoice, {
        ...callerOf(ctx),
        paymentMethod: params.payment_method ?? null,
        paidOutOfBand: params.paid_out_of_band,
        forgive: params.forgive,
        offSession: params.off_session,
      });
      return presentInvoice(db, state, params.expand);
    }),
  );

  router.post(
    '/invoices/:id/attach_payment',
    route(async (ctx) => {
      const params = parseParams(attachPaymentSchema, ctx.body);
      if (params.payment_record !== undefined) {
        throw invalidRequest(
          'Payment records are not supported here; attach a payment_intent.',
          undefined,
          'payment_record',
        );
      }
      if (params.payment_intent === undefined) {
        throw invalidRequest(
          'Missing required param: payment_intent.',
          'parameter_missing',
          'payment_intent',
        );
      }
      const state = await updateInvoiceWorkflow(temporal, ctx.params.id, attachPayment, {
        ...callerOf(ctx),
        paymentIntentId: params.payment_intent,
      });
      return presentInvoice(db, state, params.expand);
    }),
  );

  for (const [path, definition] of [
    ['send', sendInvoice],
    ['void', voidInvoice],
    ['mark_uncollectible', markUncollectible],
  ] as const) {
    router.post(
      `/invoices/:id/${path}`,
      route(async (ctx) => {
        const params = parseParams(expandOnlySchema, ctx.body);
        const state = await updateInvoiceWorkflow(temporal, ctx.params.id, definition, callerOf(ctx));
        return presentInvoice(db, state, params.expand);
      }),
    );
  }

  return router;
}
