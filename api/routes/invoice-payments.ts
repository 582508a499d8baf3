// /v1/invoice_payments: how invoices were paid, read from the projection each invoice's workflow
// writes with the invoice. Another account's answers 404.
import { Router } from 'express';
import type Stripe from 'stripe';
import type { AppDeps } from '../deps';
import type { Database } from '../../db/connection';
import {
  findInvoicePayment,
  invoicePaymentsOf,
  type InvoicePaymentRow,
} from '../../db/repositories/invoice-payments';
import { findInvoice } from '../../db/repositories/invoices';
import { findPayment } from '../../db/repositories/payments';
import { invalidRequest, resourceMissing } from '../../workflows/domain/errors';
import { renderPaymentIntent } from '../../workflows/domain/render/payment-intent';
import { applyExpansions } from '../stripe/expand';
import { inputOf, route } from '../stripe/handler';
import { applyRange, fetchPage, listObject, paginationFields, rangeField } from '../stripe/list';
import { expandField, object, oneOf, parseParams, required, string } from '../stripe/params';
import { presentInvoice } from './invoice-view';

const RESOURCE = 'invoice_payment';

const listSchema = {
  ...paginationFields,
  invoice: string({ maxLength: 255 }),
  payment: object({
    type: required(oneOf(['payment_intent', 'payment_record'] as const)),
    payment_intent: string({ maxLength: 255 }),
    payment_record: string({ maxLength: 255 }),
  }),
  status: oneOf(['open', 'paid', 'canceled'] as const),
  created: rangeField(),
  expand: expandField,
};

async function present(
  db: Database,
  accountId: string,
  body: Stripe.InvoicePayment,
  expand: string[] | undefined,
): Promise<Stripe.InvoicePayment> {
  return applyExpansions(body, expand, {
    invoice: async (payment) => {
      const state = await findInvoice(db, accountId, payment.invoice as string);
      if (state) payment.invoice = (await presentInvoice(db, state)) as unknown as Stripe.Invoice;
    },
    'payment.payment_intent': async (payment) => {
      const intent = await findPayment(db, accountId, payment.payment.payment_intent as string);
      if (intent) payment.payment.payment_intent = renderPaymentIntent(intent);
    },
  });
}

// Lists expand each object's paths under data.
function perObject(expand: string[] | undefined): string[] | undefined {
  return expand?.map((path) => {
    if (!path.startsWith('data.')) {
      throw invalidRequest(`This property cannot be expanded (${path}).`, undefined, 'expand');
    }
    return path.slice('data.'.length);
  });
}

export function invoicePaymentRoutes({ db }: AppDeps): Router {
  const router = Router();

  router.get(
    '/invoice_payments/:id',
    route(async (ctx) => {
      const params = parseParams({ expand: expandField }, inputOf(ctx));
      const body = await findInvoicePayment(db, ctx.account.id, ctx.params.id);
      if (!body) throw resourceMissing(RESOURCE, ctx.params.id);
      return present(db, ctx.account.id, body, params.expand);
    }),
  );

  router.get(
    '/invoice_payments',
    route(async (ctx) => {
      const params = parseParams(listSchema, inputOf(ctx));
      if (params.payment?.type === 'payment_record' || params.payment?.payment_record !== undefined) {
        // No payment records here: nothing can match, as for an unknown id.
        if (params.payment.payment_intent !== undefined) {
          throw invalidRequest(
            'You may only specify one of payment[payment_intent] and payment[payment_record].',
            undefined,
            'payment',
          );
        }
      }
      if (params.payment?.type === 'payment_intent' && params.payment.payment_record !== undefined) {
        throw invalidRequest(
          'payment[payment_record] can only be given with payment[type]=payment_record.',
          undefined,
          'payment[payment_record]',
        );
      }
      const expand = perObject(params.expand);
      let base = invoicePaymentsOf(db, ctx.account.id, {
        invoice: params.invoice,
        paymentIntent: params.payment?.payment_intent,
        status: params.status,
      });
      if (params.payment?.type === 'payment_record') base = base.whereRaw('false');
      base = applyRange(base, 'created', params.created);
      const page = await fetchPage<InvoicePaymentRow>(base, params, RESOURCE);
      const data = await Promise.all(page.rows.map((row) => present(db, ctx.account.id, row.body, expand)));
      return listObject('/v1/invoice_payments', data, page.hasMore);
    }),
  );

  return router;
}
