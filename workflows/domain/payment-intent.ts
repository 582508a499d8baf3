// A PaymentIntent's own small lifecycle (Stripe's statuses), pure: which calls each status
// allows, and where a charge of the test-mode processor leaves it.
//
//   requires_payment_method ─(payment method)─▶ requires_confirmation ─confirm─▶ succeeded
//        ▲   declined ◀───────────────────────────────┘   │ requires_action ─(customer)─▶ succeeded
//        └─────────────────────────────────────────────────┘ requires_capture ─capture─▶ succeeded
//   any of them but succeeded ─cancel─▶ canceled
import type { DomainErrorData } from './errors';
import type { ChargeOutcome } from './payment-methods';

export type PaymentIntentStatus =
  | 'requires_payment_method'
  | 'requires_confirmation'
  | 'requires_action'
  | 'processing'
  | 'requires_capture'
  | 'succeeded'
  | 'canceled';

export type CaptureMethod = 'automatic' | 'automatic_async' | 'manual';

export const CONFIRMABLE: readonly PaymentIntentStatus[] = [
  'requires_confirmation',
  'requires_action',
  'requires_payment_method',
];
export const CANCELABLE: readonly PaymentIntentStatus[] = [
  'requires_payment_method',
  'requires_capture',
  'requires_confirmation',
  'requires_action',
  'processing',
];
export const CANCELLATION_REASONS = [
  'duplicate',
  'fraudulent',
  'requested_by_customer',
  'abandoned',
] as const;
export type CancellationReason = (typeof CANCELLATION_REASONS)[number] | 'void_invoice' | 'automatic';

// A status written before PaymentIntents had a lifecycle of their own.
export function statusOfRow(status: string): PaymentIntentStatus {
  return status === 'declined' ? 'requires_payment_method' : (status as PaymentIntentStatus);
}

export function statusAfterCharge(outcome: ChargeOutcome, captureMethod: CaptureMethod): PaymentIntentStatus {
  if (outcome.status === 'succeeded') return captureMethod === 'manual' ? 'requires_capture' : 'succeeded';
  if (outcome.status === 'requires_action') return 'requires_action';
  return 'requires_payment_method';
}

function unexpectedState(message: string): DomainErrorData {
  return { status: 400, type: 'invalid_request_error', code: 'payment_intent_unexpected_state', message };
}

export function confirmRefusal(status: PaymentIntentStatus): DomainErrorData | null {
  if (CONFIRMABLE.includes(status)) return null;
  return unexpectedState(
    `You cannot confirm this PaymentIntent because it has a status of ${status}. Only a PaymentIntent with one of the following statuses may be confirmed: ${CONFIRMABLE.join(', ')}.`,
  );
}

export function cancelRefusal(status: PaymentIntentStatus): DomainErrorData | null {
  if (CANCELABLE.includes(status)) return null;
  return unexpectedState(
    `You cannot cancel this PaymentIntent because it has a status of ${status}. Only a PaymentIntent with one of the following statuses may be canceled: ${CANCELABLE.join(', ')}.`,
  );
}

export function captureRefusal(status: PaymentIntentStatus): DomainErrorData | null {
  if (status === 'requires_capture') return null;
  return unexpectedState(
    `This PaymentIntent could not be captured because it has a status of ${status}. Only a PaymentIntent with one of the following statuses may be captured: requires_capture.`,
  );
}

export const MISSING_PAYMENT_METHOD: DomainErrorData = {
  status: 400,
  type: 'invalid_request_error',
  code: 'payment_intent_unexpected_state',
  message:
    "You cannot confirm this PaymentIntent because it's missing a payment method. You can either update the PaymentIntent with a payment method and then confirm it again, or confirm it again directly with a payment method.",
};

// The 404s of a PaymentIntent call naming what does not exist, as Stripe words them.
export function unknownPaymentMethod(id: string): DomainErrorData {
  return {
    status: 404,
    type: 'invalid_request_error',
    code: 'resource_missing',
    message: `No such PaymentMethod: '${id}'`,
    param: 'payment_method',
  };
}

export function missingPaymentIntent(id: string, param = 'intent'): DomainErrorData {
  return {
    status: 404,
    type: 'invalid_request_error',
    code: 'resource_missing',
    message: `No such payment_intent: '${id}'`,
    param,
  };
}

// What a confirm's decline answers: 402 card_error, as Stripe's confirm does.
export function declineError(outcome: ChargeOutcome): DomainErrorData | null {
  if (outcome.status !== 'declined') return null;
  return {
    status: 402,
    type: 'card_error',
    code: outcome.code,
    decline_code: outcome.declineCode,
    message: outcome.message,
  };
}
