// The steps of a PaymentIntent's life that move its row: confirm (a charge of the test-mode
// processor), cancel, capture. Each runs in the caller's transaction with the row locked and
// under a key: the row keeps the last step's key, so a step retried after its commit (an
// activity retried, a worker crashed after the charge) answers what it did and moves nothing.
// The API runs them for PaymentIntents on their own; for one attached to an invoice, the
// invoice's workflow runs them (activities/payments.ts) and credits the invoice in the same step.
import type { Knex } from 'knex';
import type { DomainErrorData } from '../../workflows/domain/errors';
import {
  cancelRefusal,
  captureRefusal,
  confirmRefusal,
  MISSING_PAYMENT_METHOD,
  statusAfterCharge,
  missingPaymentIntent,
  unknownPaymentMethod,
} from '../../workflows/domain/payment-intent';
import type { PaymentRecord } from '../../workflows/domain/render/payment-intent';
import { newId, newSecret } from '../random-ids';
import { recordIntentEvents } from './payment-intent-events';
import { findPaymentRow, fromRow, movePayment } from './payments';
import { resolveTestPaymentMethod } from './payment-methods';
import type { ChargeOutcome } from '../../workflows/domain/payment-methods';

// A charge that needs the customer's action carries the token of its authentication page.
export function withActionToken(outcome: ChargeOutcome): ChargeOutcome {
  return outcome.status === 'requires_action' ? { ...outcome, actionToken: newSecret('pias', 18) } : outcome;
}

async function moved(
  trx: Knex.Transaction,
  accountId: string,
  before: PaymentRecord,
  next: PaymentRecord,
  key: string,
  charged: boolean,
  countsAttempt = charged,
): Promise<StepResult> {
  const payment = await movePayment(trx, next, key, countsAttempt);
  await recordIntentEvents(trx, accountId, payment, { charged, statusBefore: before.status });
  return { status: 'done', payment };
}

export type StepResult =
  { status: 'done'; payment: PaymentRecord } | { status: 'refused'; error: DomainErrorData };

function refused(error: DomainErrorData): StepResult {
  return { status: 'refused', error };
}

// Who may move a PaymentIntent: the API while it is on its own (invoice null), its invoice's
// workflow once attached. A step that finds it otherwise (attached in between) is refused with
// ATTACHED_MEANWHILE, and the API asks again, so no money moves behind an invoice's back.
export const ATTACHED_MEANWHILE = 'payment_intent_attached_meanwhile';

async function locked(
  trx: Knex.Transaction,
  accountId: string,
  id: string,
  key: string,
  invoiceId: string | null | undefined,
): Promise<{ done: PaymentRecord | null; payment: PaymentRecord | null; moved?: StepResult }> {
  const row = await findPaymentRow(trx, accountId, id, { forUpdate: true });
  if (!row) return { done: null, payment: null };
  const payment = fromRow(row);
  if (row.idempotency_key === key) return { done: payment, payment };
  if (
    invoiceId !== undefined &&
    payment.invoiceId !== invoiceId &&
    payment.status !== 'succeeded' &&
    payment.status !== 'canceled'
  ) {
    return {
      done: null,
      payment,
      moved: refused({
        status: 409,
        type: 'invalid_request_error',
        code: ATTACHED_MEANWHILE,
        message: 'This PaymentIntent was attached to an invoice while this request ran: send it again.',
      }),
    };
  }
  return { done: null, payment };
}

export async function confirmPaymentStep(
  trx: Knex.Transaction,
  accountId: string,
  id: string,
  input: { paymentMethod?: string | null; key: string; invoiceId?: string | null },
): Promise<StepResult> {
  const { done, payment, moved: refusedStep } = await locked(trx, accountId, id, input.key, input.invoiceId);
  if (done) return { status: 'done', payment: done };
  if (refusedStep) return refusedStep;
  if (!payment) return refused(missingPaymentIntent(id));
  const refusal = confirmRefusal(payment.status);
  if (refusal) return refused(refusal);
  const method = input.paymentMethod ?? payment.paymentMethod;
  if (!method) return refused(MISSING_PAYMENT_METHOD);
  const simulated = (await resolveTestPaymentMethod(trx, accountId, method))?.outcome ?? null;
  if (!simulated) return refused(unknownPaymentMethod(method));
  const outcome = withActionToken(simulated);
  const next: PaymentRecord = {
    ...payment,
    paymentMethod: method,
    outcome,
    status: statusAfterCharge(outcome, payment.captureMethod),
    latestCharge: outcome.status === 'requires_action' ? payment.latestCharge : newId('ch'),
  };
  return moved(trx, accountId, payment, next, input.key, true);
}

// The customer's answer to the authentication a requires_action charge asked for (the hosted
// authentication page, as Stripe's test page offers): the charge succeeds or fails.
export async function completeActionStep(
  trx: Knex.Transaction,
  accountId: string,
  id: string,
  input: { succeed: boolean; key: string; invoiceId?: string | null },
): Promise<StepResult> {
  const { done, payment, moved: refusedStep } = await locked(trx, accountId, id, input.key, input.invoiceId);
  if (done) return { status: 'done', payment: done };
  if (refusedStep) return refusedStep;
  if (!payment) return refused(missingPaymentIntent(id));
  if (payment.status !== 'requires_action') {
    return refused({
      status: 400,
      type: 'invalid_request_error',
      code: 'payment_intent_unexpected_state',
      message: `This PaymentIntent has a status of ${payment.status}: it needs no authentication.`,
    });
  }
  const next: PaymentRecord = input.succeed
    ? {
        ...payment,
        outcome: { status: 'succeeded' },
        status: statusAfterCharge({ status: 'succeeded' }, payment.captureMethod),
        latestCharge: newId('ch'),
      }
    : {
        ...payment,
        outcome: {
          status: 'declined',
          code: 'payment_intent_authentication_failure',
          declineCode: 'authentication_failure',
          message:
            'The provided PaymentMethod has failed authentication. You can provide payment_method_data or a new PaymentMethod to attempt to fulfill this PaymentIntent again.',
        },
        status: 'requires_payment_method',
      };
  return moved(trx, accountId, payment, next, input.key, true, false);
}

export async function cancelPaymentStep(
  trx: Knex.Transaction,
  accountId: string,
  id: string,
  input: { reason: string | null; key: string; now: number; invoiceId?: string | null },
): Promise<StepResult> {
  const { done, payment, moved: refusedStep } = await locked(trx, accountId, id, input.key, input.invoiceId);
  if (done) return { status: 'done', payment: done };
  if (refusedStep) return refusedStep;
  if (!payment) return refused(missingPaymentIntent(id));
  const refusal = cancelRefusal(payment.status);
  if (refusal) return refused(refusal);
  const next: PaymentRecord = {
    ...payment,
    status: 'canceled',
    canceledAt: input.now,
    cancellationReason: input.reason,
  };
  return moved(trx, accountId, payment, next, input.key, false);
}

export async function capturePaymentStep(
  trx: Knex.Transaction,
  accountId: string,
  id: string,
  input: { amountToCapture?: number; key: string; invoiceId?: string | null },
): Promise<StepResult> {
  const { done, payment, moved: refusedStep } = await locked(trx, accountId, id, input.key, input.invoiceId);
  if (done) return { status: 'done', payment: done };
  if (refusedStep) return refusedStep;
  if (!payment) return refused(missingPaymentIntent(id));
  const refusal = captureRefusal(payment.status);
  if (refusal) return refused(refusal);
  const amount = input.amountToCapture ?? payment.amount;
  if (amount > payment.amount) {
    return refused({
      status: 400,
      type: 'invalid_request_error',
      code: 'amount_too_large',
      message: `The amount to capture (${amount}) is greater than the amount capturable (${payment.amount}).`,
      param: 'amount_to_capture',
    });
  }
  const next: PaymentRecord = { ...payment, status: 'succeeded', amountReceived: amount };
  return moved(trx, accountId, payment, next, input.key, false);
}
