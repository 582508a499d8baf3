// Issuing, editing and voiding credit notes: the invoice transitions (the figures and their rules
// are in credit-note-figures.ts). Pure.
import { invalidRequest } from './errors';
import type { IdFactory } from './ids';
import { refusals } from './invoice-errors';
import { assertUsable } from './invoice-guards';
import {
  advance,
  balanceTransaction,
  event,
  result,
  updatedEvents,
  type BalanceTransactionRecord,
  type TransitionResult,
} from './invoice-transition';
import { creditNoteFigures, draftCreditNote, type CreditNoteCommand } from './credit-note-figures';
import type { CreditNote } from './credit-note-types';
import { computeTotals } from './totals';
import type { InvoiceState, Metadata } from './types';

export * from './credit-note-figures';

export function assertCanCreateCreditNote(state: InvoiceState, command: CreditNoteCommand): void {
  creditNoteFigures(state, command);
}

export function applyCreateCreditNote(
  state: InvoiceState,
  command: CreditNoteCommand,
  now: number,
  ids: IdFactory,
): TransitionResult {
  const draft = draftCreditNote(state, command, now, ids);
  const balanceTransactions: BalanceTransactionRecord[] = [];
  if (draft.creditAmount > 0) {
    const credit = balanceTransaction(ids, state, now, 'credit_note', -draft.creditAmount);
    balanceTransactions.push({ ...credit, creditNoteId: draft.id });
    draft.balanceTransactionId = credit.id;
  }
  const creditNotes = [...(state.creditNotes ?? []), draft];
  const settled = state.status === 'open' && computeTotals({ ...state, creditNotes }).amountRemaining === 0;
  const next = advance(state, {
    creditNotes,
    ...(settled
      ? {
          status: 'paid' as const,
          nextPaymentAttempt: null,
          statusTransitions: { ...state.statusTransitions, paidAt: now },
        }
      : {}),
  });
  const events = [
    { ...event(ids, now, 'credit_note.created'), objectId: draft.id },
    ...(settled ? [event(ids, now, 'invoice.paid')] : updatedEvents(state, next, now, ids)),
  ];
  return result(next, events, { balanceTransactions });
}

// ---- update (memo, metadata) and void --------------------------------------------------------

export interface CreditNoteChange {
  creditNoteId: string;
  memo?: string | null;
  metadata?: Metadata; // already merged with the note's current metadata
}

function noteOf(state: InvoiceState, id: string) {
  const index = (state.creditNotes ?? []).findIndex((note) => note.id === id);
  if (index < 0) throw invalidRequest(`No such credit note: '${id}'`, 'resource_missing', 'id');
  return { index, note: (state.creditNotes as CreditNote[])[index] as CreditNote };
}

function replaced(state: InvoiceState, index: number, note: CreditNote): CreditNote[] {
  const notes = [...(state.creditNotes ?? [])];
  notes[index] = note;
  return notes;
}

export function assertCanUpdateCreditNote(state: InvoiceState, command: CreditNoteChange): void {
  noteOf(state, command.creditNoteId);
}

export function applyUpdateCreditNote(
  state: InvoiceState,
  command: CreditNoteChange,
  now: number,
  ids: IdFactory,
): TransitionResult {
  const { index, note } = noteOf(state, command.creditNoteId);
  const changed: CreditNote = {
    ...note,
    memo: command.memo !== undefined ? command.memo : note.memo,
    metadata: command.metadata ?? note.metadata,
  };
  const next = advance(state, { creditNotes: replaced(state, index, changed) });
  return result(next, [{ ...event(ids, now, 'credit_note.updated'), objectId: note.id }]);
}

// A voided credit note gives back what it took: its pre-payment part is due again and its
// balance credit is debited back. One whose money left (a refund) or that paid the invoice off
// cannot be voided.
export function assertCanVoidCreditNote(state: InvoiceState, command: { creditNoteId: string }): void {
  assertUsable(state);
  const { note } = noteOf(state, command.creditNoteId);
  if (note.status === 'void') throw invalidRequest('This credit note is already void.', undefined, 'id');
  if (note.refundAmount > 0)
    throw invalidRequest('A credit note with a refund cannot be voided.', undefined, 'id');
  if (note.prePaymentAmount > 0 && state.status !== 'open') throw refusals.notOpen();
}

export function applyVoidCreditNote(
  state: InvoiceState,
  command: { creditNoteId: string },
  now: number,
  ids: IdFactory,
): TransitionResult {
  const { index, note } = noteOf(state, command.creditNoteId);
  const voided: CreditNote = { ...note, status: 'void', voidedAt: now };
  const next = advance(state, { creditNotes: replaced(state, index, voided) });
  const balanceTransactions: BalanceTransactionRecord[] =
    note.creditAmount > 0
      ? [{ ...balanceTransaction(ids, state, now, 'credit_note', note.creditAmount), creditNoteId: note.id }]
      : [];
  return result(
    next,
    [
      { ...event(ids, now, 'credit_note.voided'), objectId: note.id },
      ...updatedEvents(state, next, now, ids),
    ],
    { balanceTransactions },
  );
}
