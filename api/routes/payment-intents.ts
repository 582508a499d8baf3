// /v1/payment_intents of the test-mode processor: made with or without a payment method, confirmed
// now or later, canceled, captured (capture_method=manual). A PaymentIntent on its own moves in
// Postgres (db/repositories/payment-intent-steps.ts); one attached to an invoice moves through
// that invoice's workflow, which credits the invoice in the same step; an invoice's own
// PaymentIntent is confirmed by paying the invoice.
import { Router } from 'express';
import type { AppDeps } from '../deps';
import type { Database } from '../../db/connection';
import { findCustomer } from '../../db/repositories/customers';
import { findInvoice } from '../../db/repositories/invoices';
import {
  fromRow,
  findPayment,
  paymentsOf,
  recordPayment,
  type PaymentRow,
} from '../../db/repositories/payments';
import {
  cancelPaymentStep,
  capturePaymentStep,
  confirmPaymentStep,
  ATTACHED_MEANWHILE,
  type StepResult,
} from '../../db/repositories/payment-intent-steps';
import { idForRequest } from '../stripe/idempotent-ids';
import { DomainError, invalidRequest, resourceMissing } from '../../workflows/domain/errors';
import { paymentOfIntent } from '../../workflows/domain/invoice-payment-records';
import { isSupportedCurrency } from '../../workflows/domain/money';
import {
  declineError,
  missingPaymentIntent,
  unknownPaymentMethod,
} from '../../workflows/domain/payment-intent';
import { resolveTestPaymentMethod } from '../../db/repositories/payment-methods';
import { renderPaymentIntent, type PaymentRecord } from '../../workflows/domain/render/payment-intent';
import {
  cancelPaymentIntent,
  capturePaymentIntent,
  confirmPaymentIntent,
  payInvoice,
  type Caller,
} from '../../workflows/messages';
import { inputOf, route, type RouteContext } from '../stripe/handler';
import { applyRange, fetchPage, listObject } from '../stripe/list';
import { expandField, parseParams } from '../stripe/params';
import { updateInvoiceWorkflow } from '../../workflows/client/invoice-workflows';
import { withoutNulls } from './invoice-commands';
import { currentPublicUrl } from '../hosted/public-url';
import { callerOf } from './invoice-view';
import {
  paymentIntentCancelSchema,
  paymentIntentCaptureSchema,
  paymentIntentConfirmSchema,
  paymentIntentCreateSchema,
  paymentIntentListSchema,
} from './payment-intent-params';

const RESOURCE = 'payment_intent';

// A PaymentIntent attached to an invoice while a step on it ran here: the step changed nothing;
// asked again, the step goes through the invoice.
function againIfAttachedMeanwhile<T>(step: (ctx: RouteContext) => Promise<T>) {
  return async (ctx: RouteContext): Promise<T> => {
    for (let attempt = 0; ; attempt++) {
      try {
        return await step(ctx);
      } catch (error) {
        const attached = error instanceof DomainError && error.data.code === ATTACHED_MEANWHILE;
        if (!attached || attempt >= 40) throw error;
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    }
  };
}

async function checkPaymentMethod(db: Database, accountId: string, id: string | undefined): Promise<void> {
  if (id !== undefined && !(await resolveTestPaymentMethod(db, accountId, id))) {
    throw new DomainError(unknownPaymentMethod(id));
  }
}

function done(step: StepResult): PaymentRecord {
  if (step.status === 'refused') throw new DomainError(step.error);
  return step.payment;
}

// A confirm that declined answers 402 card_error carrying the PaymentIntent, as Stripe's does.
function answerOfConfirm(payment: PaymentRecord) {
  const declined =
    payment.status === 'requires_payment_method' && payment.outcome ? declineError(payment.outcome) : null;
  if (declined)
    throw new DomainError({ ...declined, payment_intent: renderPaymentIntent(payment, currentPublicUrl()) });
  return renderPaymentIntent(payment, currentPublicUrl());
}

type Step = 'confirm' | 'cancel' | 'capture';

// Who moves this PaymentIntent: its invoice's workflow (attached, or the invoice's own), or
// Postgres directly (on its own, or already succeeded or canceled on an invoice).
async function ownerOf(db: Database, accountId: string, payment: PaymentRecord) {
  if (!payment.invoiceId) return null;
  const state = await findInvoice(db, accountId, payment.invoiceId);
  if (!state) return null;
  const record = paymentOfIntent(state, payment.id);
  if (!record && state.payments !== undefined) {
    // Claimed by an attach whose invoice has not recorded it yet: ask again in a moment.
    throw new DomainError({
      status: 409,
      type: 'invalid_request_error',
      code: ATTACHED_MEANWHILE,
      message: 'This PaymentIntent is being attached to an invoice: send the request again.',
    });
  }
  // Charges of invoices finalized before invoice payments: the invoice's own, too.
  if (!record || record.isDefault) return { invoiceId: state.id, own: true };
  return record.status === 'open' ? { invoiceId: state.id, own: false } : null;
}

export function paymentIntentRoutes({ db, temporal }: AppDeps): Router {
  const router = Router();

  async function load(ctx: RouteContext): Promise<PaymentRecord> {
    const payment = await findPayment(db, ctx.account.id, ctx.params.id);
    if (!payment) throw new DomainError(missingPaymentIntent(ctx.params.id));
    return payment;
  }

  async function reload(ctx: RouteContext): Promise<PaymentRecord> {
    return (await findPayment(db, ctx.account.id, ctx.params.id)) as PaymentRecord;
  }

  async function direct(
    ctx: RouteContext,
    step: Step,
    run: (key: string) => (trx: Parameters<Parameters<Database['transaction']>[0]>[0]) => Promise<StepResult>,
  ): Promise<PaymentRecord> {
    const key = `${ctx.params.id}:${step}:${idForRequest('req', ctx)}`;
    return done(await db.transaction(run(key)));
  }

  router.post(
    '/payment_intents',
    route(async (ctx) => {
      const params = parseParams(paymentIntentCreateSchema, ctx.body);
      const currency = params.currency.toLowerCase();
      if (!isSupportedCurrency(currency))
        throw invalidRequest(`Invalid currency: ${currency}.`, undefined, 'currency');
      (params.payment_method_types ?? []).forEach((type, index) => {
        if (type !== 'card') {
          throw invalidRequest(
            `The payment method type "${type}" is invalid. This test-mode processor takes cards only.`,
            'payment_intent_invalid_parameter',
            `payment_method_types[${index}]`,
          );
        }
      });
      if (params.customer !== undefined && !(await findCustomer(db, ctx.account.id, params.customer))) {
        throw resourceMissing('customer', params.customer, 'customer');
      }
      await checkPaymentMethod(db, ctx.account.id, params.payment_method);
      const id = idForRequest('pi', ctx);
      const created = await recordPayment(
        db,
        ctx.account.id,
        {
          id,
          amount: params.amount,
          currency,
          customerId: params.customer ?? null,
          invoiceId: null,
          paymentMethod: params.payment_method ?? null,
          outcome: null,
          status: params.payment_method ? 'requires_confirmation' : 'requires_payment_method',
          captureMethod: params.capture_method ?? 'automatic',
          confirmationMethod: params.confirmation_method ?? 'automatic',
          canceledAt: null,
          cancellationReason: null,
          latestCharge: null,
          amountReceived: null,
          metadata: withoutNulls(params.metadata),
          description: params.description ?? null,
          created: Math.floor(Date.now() / 1000),
        },
        `payment_intent:${id}`,
      );
      if (params.confirm !== true) return renderPaymentIntent(created, currentPublicUrl());
      const confirmed = await db.transaction((trx) =>
        confirmPaymentStep(trx, ctx.account.id, id, { key: `${id}:create-confirm` }),
      );
      return answerOfConfirm(done(confirmed));
    }),
  );

  router.get(
    '/payment_intents',
    route(async (ctx) => {
      const params = parseParams(paymentIntentListSchema, inputOf(ctx));
      const base = applyRange(
        paymentsOf(db, ctx.account.id, { customer: params.customer }),
        'created',
        params.created,
      );
      const page = await fetchPage<PaymentRow>(base, params, RESOURCE);
      return listObject(
        '/v1/payment_intents',
        page.rows.map((row) => renderPaymentIntent(fromRow(row), currentPublicUrl())),
        page.hasMore,
      );
    }),
  );

  router.get(
    '/payment_intents/:id',
    route(async (ctx) => {
      parseParams({ expand: expandField }, inputOf(ctx));
      return renderPaymentIntent(await load(ctx), currentPublicUrl());
    }),
  );

  router.post(
    '/payment_intents/:id/confirm',
    route(
      againIfAttachedMeanwhile(async (ctx) => {
        const params = parseParams(paymentIntentConfirmSchema, ctx.body);
        await checkPaymentMethod(db, ctx.account.id, params.payment_method);
        const payment = await load(ctx);
        const owner = await ownerOf(db, ctx.account.id, payment);
        const caller: Caller = callerOf(ctx);
        if (owner?.own) {
          // The invoice's own PaymentIntent: confirming it pays the invoice.
          await updateInvoiceWorkflow(temporal, owner.invoiceId, payInvoice, {
            ...caller,
            paymentMethod: params.payment_method ?? payment.paymentMethod,
          });
          return answerOfConfirm(await reload(ctx));
        }
        if (owner) {
          await updateInvoiceWorkflow(temporal, owner.invoiceId, confirmPaymentIntent, {
            ...caller,
            paymentIntentId: payment.id,
            paymentMethod: params.payment_method ?? null,
          });
          return answerOfConfirm(await reload(ctx));
        }
        const moved = await direct(
          ctx,
          'confirm',
          (key) => (trx) =>
            confirmPaymentStep(trx, ctx.account.id, payment.id, {
              paymentMethod: params.payment_method,
              key,
              invoiceId: null,
            }),
        );
        return answerOfConfirm(moved);
      }),
    ),
  );

  router.post(
    '/payment_intents/:id/cancel',
    route(
      againIfAttachedMeanwhile(async (ctx) => {
        const params = parseParams(paymentIntentCancelSchema, ctx.body);
        const payment = await load(ctx);
        const owner = await ownerOf(db, ctx.account.id, payment);
        if (owner?.own && payment.status !== 'succeeded' && payment.status !== 'canceled') {
          throw invalidRequest(
            'You cannot cancel this PaymentIntent because it was created by an invoice. Void the invoice instead.',
            'payment_intent_unexpected_state',
          );
        }
        if (owner) {
          await updateInvoiceWorkflow(temporal, owner.invoiceId, cancelPaymentIntent, {
            ...callerOf(ctx),
            paymentIntentId: payment.id,
            cancellationReason: params.cancellation_reason ?? null,
          });
          return renderPaymentIntent(await reload(ctx), currentPublicUrl());
        }
        const now = Math.floor(Date.now() / 1000);
        return renderPaymentIntent(
          await direct(
            ctx,
            'cancel',
            (key) => (trx) =>
              cancelPaymentStep(trx, ctx.account.id, payment.id, {
                reason: params.cancellation_reason ?? null,
                key,
                now,
                invoiceId: null,
              }),
          ),
        );
      }),
    ),
  );

  router.post(
    '/payment_intents/:id/capture',
    route(
      againIfAttachedMeanwhile(async (ctx) => {
        const params = parseParams(paymentIntentCaptureSchema, ctx.body);
        const payment = await load(ctx);
        const owner = await ownerOf(db, ctx.account.id, payment);
        if (owner && !owner.own) {
          await updateInvoiceWorkflow(temporal, owner.invoiceId, capturePaymentIntent, {
            ...callerOf(ctx),
            paymentIntentId: payment.id,
            amountToCapture: params.amount_to_capture,
          });
          return renderPaymentIntent(await reload(ctx), currentPublicUrl());
        }
        return renderPaymentIntent(
          await direct(
            ctx,
            'capture',
            (key) => (trx) =>
              capturePaymentStep(trx, ctx.account.id, payment.id, {
                amountToCapture: params.amount_to_capture,
                key,
                invoiceId: null,
              }),
          ),
        );
      }),
    ),
  );

  return router;
}
