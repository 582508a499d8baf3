// attach_payment: a PaymentIntent made apart becomes one of the invoice's payments. A succeeded
// one pays at once; one still on its way (any state but succeeded or canceled) waits open until
// its own success or cancellation comes through the invoice (paymentIntentSettled).
import type { IdFactory } from './ids';
import { DomainError, invalidRequest } from './errors';
import { assertCollectible } from './invoice-guards';
import {
  cancelPaymentOfIntent,
  newAttachedPayment,
  paymentOfIntent,
  paymentsOf,
  pendingAttachedAmount,
} from './invoice-payment-records';
import { applyPaymentSucceeded } from './invoice-payments';
import { advance, result, updatedEvents, type TransitionResult } from './invoice-transition';
import { computeTotals } from './totals';
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

// A PaymentIntent is attached once: again (to this invoice or, through its row, another) is refused.
export function assertCanAttach(state: InvoiceState, paymentIntentId: string): void {
  assertCollectible(state);
  if (paymentOfIntent(state, paymentIntentId)) {
    throw invalidRequest(
      'This PaymentIntent is already attached to this invoice.',
      'invoice_payment_intent_already_attached',
      'payment_intent',
    );
  }
}

// What is left to attach: amount_remaining less what attached PaymentIntents still on their way
// have asked for, so the payments attached never add up to more than is due.
export function attachableAmount(state: InvoiceState): number {
  return Math.max(0, computeTotals(state).amountRemaining - pendingAttachedAmount(state));
}

const PAYMENT_STATUS_AS_INTENT = { paid: 'succeeded', canceled: 'canceled' } as const;

// A step of an attached PaymentIntent (confirm, authenticate, cancel, capture) goes through its
// invoice while its invoice payment is open; after that the PaymentIntent is succeeded or
// canceled, and the step is refused as Stripe refuses it on such a PaymentIntent.
export function assertAttachedIntentOpen(
  state: InvoiceState,
  paymentIntentId: string,
  verb: string,
  // The customer's authentication also completes the invoice's own PaymentIntent.
  options: { orDefault?: boolean } = {},
): void {
  const payment = paymentOfIntent(state, paymentIntentId);
  if (!payment || (payment.isDefault && options.orDefault !== true)) {
    throw new DomainError({
      status: 404,
      type: 'invalid_request_error',
      code: 'resource_missing',
      message: `No such payment_intent: '${paymentIntentId}'`,
      param: 'intent',
    });
  }
  if (payment.status !== 'open') {
    throw invalidRequest(
      `You cannot ${verb} this PaymentIntent because it has a status of ${PAYMENT_STATUS_AS_INTENT[payment.status]}.`,
      'payment_intent_unexpected_state',
    );
  }
  assertCollectible(state);
}

export function applyAttachedIntentCanceled(
  state: InvoiceState,
  paymentIntentId: string,
  now: number,
): TransitionResult {
  const next = advance(state, { payments: cancelPaymentOfIntent(state, paymentIntentId, now) });
  return result(next, []);
}
