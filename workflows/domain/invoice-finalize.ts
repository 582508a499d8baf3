// Finalization: the draft gets its number, takes the customer's balance, freezes its amounts and
// opens for collection, or is paid at once when nothing is left to collect.
import type { IdFactory } from './ids';
import { refusals } from './invoice-errors';
import { assertUsable } from './invoice-guards';
import {
  advance,
  balanceTransaction,
  event,
  ONE_DAY,
  result,
  type BalanceTransactionRecord,
  type TransitionResult,
} from './invoice-transition';
import { newDefaultPayment } from './invoice-payment-records';
import { computeTotals, finalizedAmounts } from './totals';
import type { CustomerSnapshot, DomainEvent, FinalizationError, InvoiceState } from './types';

export interface FinalizeCommand {
  number: string; // allocated by the caller: the customer's prefix and next sequence
  customerBalance: number; // the customer's balance at this moment (negative = credit)
  customer?: CustomerSnapshot; // the customer's details to freeze on the invoice
  autoAdvance?: boolean; // POST /finalize accepts auto_advance
}

export interface FinalizationFailedCommand {
  error: FinalizationError;
}

// Finalizing twice would take the balance twice: only a draft can be finalized.
export function assertCanFinalize(state: InvoiceState, _command?: FinalizeCommand): void {
  assertUsable(state);
  if (state.status !== 'draft') throw refusals.alreadyFinalized();
  if (state.collectionMethod === 'send_invoice' && state.dueDate === null && state.daysUntilDue === null) {
    throw refusals.dueDateRequired();
  }
}

// A relative due date counts from finalization (an explicit due_date stays as given).
function dueDateAt(state: InvoiceState, now: number): number | null {
  if (state.collectionMethod !== 'send_invoice') return null;
  return state.daysUntilDue !== null ? now + state.daysUntilDue * ONE_DAY : state.dueDate;
}

export function applyFinalize(
  state: InvoiceState,
  command: FinalizeCommand,
  now: number,
  ids: IdFactory,
): TransitionResult {
  const { total } = computeTotals(state);
  const money = finalizedAmounts(total, command.customerBalance, state.currency);
  const autoAdvance = command.autoAdvance ?? state.autoAdvance;
  // With automatic collection on, a charge_automatically invoice is due for its first attempt
  // now; the workflow runs it. Otherwise nothing is attempted until someone calls /pay.
  const collectNow = !money.paidAtOnce && autoAdvance && state.collectionMethod === 'charge_automatically';
  const next = advance(state, {
    status: money.paidAtOnce ? 'paid' : 'open',
    number: command.number,
    startingBalance: money.startingBalance,
    endingBalance: money.endingBalance,
    autoAdvance,
    dueDate: dueDateAt(state, now),
    effectiveAt: state.effectiveAt ?? now,
    automaticallyFinalizesAt: null,
    nextPaymentAttempt: collectNow ? now : null,
    // Stripe reports a $0 invoice as attempted (with attempt_count 0) once it settles itself.
    attempted: money.paidAtOnce ? true : state.attempted,
    lastFinalizationError: null,
    customer: command.customer ?? state.customer,
    statusTransitions: {
      ...state.statusTransitions,
      finalizedAt: now,
      paidAt: money.paidAtOnce ? now : state.statusTransitions.paidAt,
    },
  });

  const events: DomainEvent[] = [event(ids, now, 'invoice.finalized')];
  if (money.paidAtOnce) {
    events.push(event(ids, now, 'invoice.paid'), event(ids, now, 'invoice.payment_succeeded'));
  }
  const balanceTransactions: BalanceTransactionRecord[] = [];
  if (money.balanceChange !== 0) {
    balanceTransactions.push(balanceTransaction(ids, state, now, 'applied_to_invoice', money.balanceChange));
  }
  if (money.carriedToBalance > 0) {
    balanceTransactions.push(
      balanceTransaction(ids, state, now, 'invoice_too_small', money.carriedToBalance),
    );
  }
  // Something to collect: the invoice's own PaymentIntent is its default payment (ids minted
  // last, so the events' and ledger's ids stay what they were before invoice payments).
  const withPayment = money.paidAtOnce
    ? next
    : { ...next, payments: [...(next.payments ?? []), newDefaultPayment(ids, money.amountDue, now)] };
  return result(withPayment, events, { balanceTransactions });
}

export function finalize(
  state: InvoiceState,
  command: FinalizeCommand,
  now: number,
  ids: IdFactory,
): TransitionResult {
  assertCanFinalize(state, command);
  return applyFinalize(state, command, now, ids);
}

// ---- finalization failed -----------------------------------------------------------------

export function assertCanRecordFinalizationFailure(
  state: InvoiceState,
  _command?: FinalizationFailedCommand,
): void {
  assertUsable(state);
  if (state.status !== 'draft') throw refusals.alreadyFinalized();
}

export function applyFinalizationFailed(
  state: InvoiceState,
  command: FinalizationFailedCommand,
  now: number,
  ids: IdFactory,
): TransitionResult {
  const next = advance(state, { lastFinalizationError: command.error });
  return result(next, [event(ids, now, 'invoice.finalization_failed')]);
}

export function finalizationFailed(
  state: InvoiceState,
  command: FinalizationFailedCommand,
  now: number,
  ids: IdFactory,
): TransitionResult {
  assertCanRecordFinalizationFailure(state, command);
  return applyFinalizationFailed(state, command, now, ids);
}
