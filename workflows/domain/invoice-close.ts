// Ending collection on a finalized invoice (mark uncollectible, void) and sending it by email.
import type { IdFactory } from './ids';
import { refusals } from './invoice-errors';
import { assertUsable } from './invoice-guards';
import { advance, balanceTransaction, event, result, type TransitionResult } from './invoice-transition';
import type { InvoiceState } from './types';
import { cancelOpenPayments } from './invoice-payment-records';

// ---- mark uncollectible ------------------------------------------------------------------

export function assertCanMarkUncollectible(state: InvoiceState, _command?: unknown): void {
  assertUsable(state);
  if (state.status === 'uncollectible') throw refusals.alreadyUncollectible();
  if (state.status !== 'open') throw refusals.notOpen();
}

// A bad debt: automatic retries stop; the invoice can still be paid or voided later.
export function applyMarkUncollectible(
  state: InvoiceState,
  _command: unknown,
  now: number,
  ids: IdFactory,
): TransitionResult {
  const next = advance(state, {
    status: 'uncollectible',
    nextPaymentAttempt: null,
    statusTransitions: { ...state.statusTransitions, markedUncollectibleAt: now },
  });
  return result(next, [event(ids, now, 'invoice.marked_uncollectible')]);
}

export function markUncollectible(
  state: InvoiceState,
  command: unknown,
  now: number,
  ids: IdFactory,
): TransitionResult {
  assertCanMarkUncollectible(state, command);
  return applyMarkUncollectible(state, command, now, ids);
}

// ---- void --------------------------------------------------------------------------------

// Open and uncollectible invoices can be voided, unless money was already received for them.
export function assertCanVoid(state: InvoiceState, _command?: unknown): void {
  assertUsable(state);
  if (state.status === 'paid' || state.amountPaid > 0) throw refusals.paidCannotBeVoided();
  if (state.status !== 'open' && state.status !== 'uncollectible') throw refusals.notOpen();
}

// Voiding gives back what finalization took from (or added to) the customer's balance; the
// invoice's own figures stay as they were for the paper trail.
export function applyVoid(
  state: InvoiceState,
  _command: unknown,
  now: number,
  ids: IdFactory,
): TransitionResult {
  const next = advance(state, {
    status: 'void',
    nextPaymentAttempt: null,
    statusTransitions: { ...state.statusTransitions, voidedAt: now },
    // Nothing will pay a void invoice: its open payments (attached PaymentIntents too) cancel.
    ...(state.payments !== undefined ? { payments: cancelOpenPayments(state.payments, now, 'all') } : {}),
  });
  const applied = (state.endingBalance ?? state.startingBalance) - state.startingBalance;
  const balanceTransactions =
    applied !== 0 ? [balanceTransaction(ids, state, now, 'unapplied_from_invoice', -applied)] : [];
  return result(next, [event(ids, now, 'invoice.voided')], { balanceTransactions });
}

export function voidInvoice(
  state: InvoiceState,
  command: unknown,
  now: number,
  ids: IdFactory,
): TransitionResult {
  assertCanVoid(state, command);
  return applyVoid(state, command, now, ids);
}

// ---- send --------------------------------------------------------------------------------

// Only send_invoice invoices are emailed on request. A draft passes: /send finalizes it first,
// and the caller must apply finalize before applySend.
export function assertCanSend(state: InvoiceState, _command?: unknown): void {
  assertUsable(state);
  if (state.collectionMethod !== 'send_invoice') throw refusals.manualSendNeedsSendInvoice();
  if (state.status !== 'draft' && state.status !== 'open') throw refusals.cannotSend();
}

export function applySend(
  state: InvoiceState,
  _command: unknown,
  now: number,
  ids: IdFactory,
): TransitionResult {
  if (state.status !== 'open') throw refusals.notOpen();
  return result(advance(state, {}), [event(ids, now, 'invoice.sent')]);
}

export function send(state: InvoiceState, command: unknown, now: number, ids: IdFactory): TransitionResult {
  assertCanSend(state, command);
  return applySend(state, command, now, ids);
}
