// Payment outcomes on a finalized invoice. Charging is the workflow's job (an activity); these
// transitions record what happened: money received, a decline, or a customer action needed.
import type { IdFactory } from './ids';
import { refusals } from './invoice-errors';
import { assertCollectible, assertUsable } from './invoice-guards';
import {
  advance,
  balanceTransaction,
  event,
  result,
  updatedEvents,
  type BalanceTransactionRecord,
  type TransitionResult,
} from './invoice-transition';
import { cancelOpenPayments, recordPaymentReceived } from './invoice-payment-records';
import { computeTotals } from './totals';
import type { DomainEvent, InvoiceState } from './types';

export interface PaymentSucceededCommand {
  amount: number; // minor units received by this payment
  outOfBand?: boolean; // paid outside Stripe: no attempt is counted
  automatic?: boolean; // a scheduled retry rather than a manual /pay
  // An attached PaymentIntent whose money this is; absent: the invoice's own (default) one.
  paymentIntentId?: string;
}

export interface PaymentFailedCommand {
  nextPaymentAttempt: number | null; // from the retry schedule; null after the last attempt
  automatic?: boolean;
}

export interface PaymentAttemptCommand {
  automatic?: boolean;
}

// Stripe counts the first attempt of any kind, then only automatic retries, so manual /pay
// calls after the first do not move the retry schedule.
function nextAttemptCount(state: InvoiceState, automatic: boolean | undefined): number {
  return state.attemptCount === 0 || automatic === true ? state.attemptCount + 1 : state.attemptCount;
}

// The /pay request itself: a draft is finalized first and then collected, so drafts pass.
export function assertCanPay(state: InvoiceState): void {
  assertUsable(state);
  if (state.status === 'paid') throw refusals.alreadyPaid();
  if (state.status === 'void') throw refusals.notOpen();
}

export const assertCanRecordPayment = assertCollectible;

// ---- payment succeeded -------------------------------------------------------------------

export function assertCanRecordPaymentSuccess(state: InvoiceState, command: PaymentSucceededCommand): void {
  assertCollectible(state);
  if (!Number.isSafeInteger(command.amount) || command.amount <= 0) {
    throw refusals.invalidInteger('amount', command.amount);
  }
}

// Money beyond amount_due (only out-of-band payments and attached payments can overpay) is
// credited to the customer's balance and announced with invoice.overpaid.
export function applyPaymentSucceeded(
  state: InvoiceState,
  command: PaymentSucceededCommand,
  now: number,
  ids: IdFactory,
): TransitionResult {
  const outOfBand = command.outOfBand === true;
  const before = computeTotals(state);
  const amountPaid = state.amountPaid + command.amount;
  const after = computeTotals({ ...state, amountPaid });
  const settled = after.amountRemaining === 0;
  const counted = !outOfBand;
  const received = recordPaymentReceived(
    state,
    { amount: command.amount, paymentIntentId: command.paymentIntentId, outOfBand },
    now,
    ids,
  );
  const next = advance(state, {
    amountPaid,
    attempted: counted ? true : state.attempted,
    attemptCount: counted ? nextAttemptCount(state, command.automatic) : state.attemptCount,
    ...(state.payments !== undefined
      ? { payments: settled ? cancelOpenPayments(received.payments, now, 'all') : received.payments }
      : {}),
    ...(settled
      ? {
          status: 'paid' as const,
          paidOutOfBand: outOfBand,
          nextPaymentAttempt: null,
          statusTransitions: { ...state.statusTransitions, paidAt: now },
        }
      : {}),
  });

  const overpaid = after.amountOverpaid - before.amountOverpaid;
  let events: DomainEvent[];
  if (settled) {
    events = [event(ids, now, 'invoice.paid'), event(ids, now, 'invoice.payment_succeeded')];
  } else {
    events = updatedEvents(state, next, now, ids);
  }
  events.push(...received.events);
  const balanceTransactions: BalanceTransactionRecord[] = [];
  if (overpaid > 0) {
    events.push(event(ids, now, 'invoice.overpaid'));
    balanceTransactions.push(balanceTransaction(ids, state, now, 'invoice_overpaid', -overpaid));
  }
  return result(next, events, { balanceTransactions });
}

export function paymentSucceeded(
  state: InvoiceState,
  command: PaymentSucceededCommand,
  now: number,
  ids: IdFactory,
): TransitionResult {
  assertCanRecordPaymentSuccess(state, command);
  return applyPaymentSucceeded(state, command, now, ids);
}

// ---- paid out of band (POST /pay with paid_out_of_band=true) -----------------------------

export function assertCanPayOutOfBand(state: InvoiceState, _command?: unknown): void {
  assertCollectible(state);
}

// Marks the invoice paid for what remains, without charging and without counting an attempt.
export function applyPayOutOfBand(
  state: InvoiceState,
  _command: unknown,
  now: number,
  ids: IdFactory,
): TransitionResult {
  const remaining = computeTotals(state).amountRemaining;
  if (remaining > 0) return applyPaymentSucceeded(state, { amount: remaining, outOfBand: true }, now, ids);
  const next = advance(state, {
    status: 'paid',
    paidOutOfBand: true,
    ...(state.payments !== undefined ? { payments: cancelOpenPayments(state.payments, now, 'all') } : {}),
    nextPaymentAttempt: null,
    statusTransitions: { ...state.statusTransitions, paidAt: now },
  });
  return result(next, [event(ids, now, 'invoice.paid'), event(ids, now, 'invoice.payment_succeeded')]);
}

export function payOutOfBand(
  state: InvoiceState,
  command: unknown,
  now: number,
  ids: IdFactory,
): TransitionResult {
  assertCanPayOutOfBand(state, command);
  return applyPayOutOfBand(state, command, now, ids);
}

// ---- payment failed ----------------------------------------------------------------------

export function assertCanRecordPaymentFailure(state: InvoiceState, _command?: PaymentFailedCommand): void {
  assertCollectible(state);
}

export function applyPaymentFailed(
  state: InvoiceState,
  command: PaymentFailedCommand,
  now: number,
  ids: IdFactory,
): TransitionResult {
  const next = advance(state, {
    attempted: true,
    attemptCount: nextAttemptCount(state, command.automatic),
    nextPaymentAttempt: command.nextPaymentAttempt,
  });
  return result(next, [event(ids, now, 'invoice.payment_failed')]);
}

export function paymentFailed(
  state: InvoiceState,
  command: PaymentFailedCommand,
  now: number,
  ids: IdFactory,
): TransitionResult {
  assertCanRecordPaymentFailure(state, command);
  return applyPaymentFailed(state, command, now, ids);
}

// ---- the customer must act (3-D Secure) --------------------------------------------------

export function assertCanRecordPaymentActionRequired(
  state: InvoiceState,
  _command?: PaymentAttemptCommand,
): void {
  assertCollectible(state);
}

export function applyPaymentActionRequired(
  state: InvoiceState,
  command: PaymentAttemptCommand,
  now: number,
  ids: IdFactory,
): TransitionResult {
  const next = advance(state, { attempted: true, attemptCount: nextAttemptCount(state, command.automatic) });
  return result(next, [event(ids, now, 'invoice.payment_action_required')]);
}

export function paymentActionRequired(
  state: InvoiceState,
  command: PaymentAttemptCommand,
  now: number,
  ids: IdFactory,
): TransitionResult {
  assertCanRecordPaymentActionRequired(state, command);
  return applyPaymentActionRequired(state, command, now, ids);
}

// ---- the payment method cannot be charged here: nothing was attempted ---------------------

export function assertCanRecordPaymentAttemptRequired(state: InvoiceState, _command?: unknown): void {
  assertCollectible(state);
}

export function applyPaymentAttemptRequired(
  state: InvoiceState,
  _command: unknown,
  now: number,
  ids: IdFactory,
): TransitionResult {
  return result(advance(state, {}), [event(ids, now, 'invoice.payment_attempt_required')]);
}

export function paymentAttemptRequired(
  state: InvoiceState,
  command: unknown,
  now: number,
  ids: IdFactory,
): TransitionResult {
  assertCanRecordPaymentAttemptRequired(state, command);
  return applyPaymentAttemptRequired(state, command, now, ids);
}
