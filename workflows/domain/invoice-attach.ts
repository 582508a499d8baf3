// attach_payment: a PaymentIntent made apart becomes one of the invoice's payments. A succeeded
// one pays at once; one still on its way (any state but succeeded or canceled) waits open until
// its own success or cancellation comes through the invoice (paymentIntentSettled).
import type { IdFactory } from './ids';
import { assertCollectible } from './invoice-guards';
import {
  cancelPaymentOfIntent,
  newAttachedPayment,
  paymentOfIntent,
  paymentsOf,
} from './invoice-payment-records';
import { applyPaymentSucceeded } from './invoice-payments';
import { advance, result, updatedEvents, type TransitionResult } from './invoice-transition';
import type { InvoiceState } from './types';

export interface AttachedIntent {
  paymentIntentId: string;
  amount: number;
  succeeded: boolean;
}

export function applyAttachPayment(
  state: InvoiceState,
  intent: AttachedIntent,
  now: number,
  ids: IdFactory,
): TransitionResult {
  // A retried attach finds its payment already there.
  const withPayment: InvoiceState = paymentOfIntent(state, intent.paymentIntentId)
    ? state
    : {
        ...state,
        payments: [...paymentsOf(state), newAttachedPayment(ids, intent.paymentIntentId, intent.amount, now)],
      };
  if (intent.succeeded) {
    return applyPaymentSucceeded(
      withPayment,
      { amount: intent.amount, paymentIntentId: intent.paymentIntentId },
      now,
      ids,
    );
  }
  const next = advance(withPayment, {});
  return result(next, updatedEvents(state, next, now, ids));
}

// The attached PaymentIntent's fate, told to the invoice: its money, or its cancellation.
export function assertCanSettleAttachedIntent(state: InvoiceState, paymentIntentId: string): void {
  assertCollectible(state);
  const payment = paymentOfIntent(state, paymentIntentId);
  if (!payment || payment.status !== 'open') throw new Error(`no open payment for ${paymentIntentId}`);
}

export function applyAttachedIntentCanceled(
  state: InvoiceState,
  paymentIntentId: string,
  now: number,
): TransitionResult {
  const next = advance(state, { payments: cancelPaymentOfIntent(state, paymentIntentId, now) });
  return result(next, []);
}
