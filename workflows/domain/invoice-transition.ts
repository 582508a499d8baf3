// What every invoice transition returns, and the few helpers they share. A transition is a pure
// function (state, command, now, ids) → TransitionResult; the workflow persists the state and
// the events in one write and records the balance and invoice-item effects with activities.
import type { IdFactory } from './ids';
import { computeTotals } from './totals';
import type { CustomField, DomainEvent, InvoiceState } from './types';

// Stripe's customer balance transaction types an invoice can cause.
export type BalanceTransactionType =
  | 'applied_to_invoice' // the balance applied at finalization (either sign)
  | 'unapplied_from_invoice' // that application undone when the invoice is voided
  | 'invoice_too_small' // an amount due under the minimum charge, carried to the balance
  | 'invoice_overpaid' // money paid beyond amount_due, credited to the balance
  | 'credit_note'; // a credit note's credit_amount (or its void, debited back)

// A customer balance transaction to record. amount < 0 credits the customer, > 0 is a debit.
// The ledger computes ending_balance when it records the row.
export interface BalanceTransactionRecord {
  id: string; // cbtxn_...
  customerId: string;
  invoiceId: string;
  currency: string;
  amount: number;
  type: BalanceTransactionType;
  created: number;
  creditNoteId?: string; // cn_..., for credit_note transactions
}

// What a line edit does to the invoice item behind a line (if the line came from one).
export interface InvoiceItemChange {
  invoiceItemId: string;
  lineId: string;
  action: 'delete' | 'unassign' | 'update';
}

export interface TransitionResult {
  state: InvoiceState;
  events: DomainEvent[];
  balanceTransactions: BalanceTransactionRecord[];
  invoiceItemChanges: InvoiceItemChange[];
}

export type Transition<C> = (
  state: InvoiceState,
  command: C,
  now: number,
  ids: IdFactory,
) => TransitionResult;

export const ONE_HOUR = 3600;
export const ONE_DAY = 86_400;

// Every transition moves the version forward by exactly one, even when nothing visible changed,
// so a replayed write is always distinguishable from a new one.
export function advance(previous: InvoiceState, changes: Partial<InvoiceState>): InvoiceState {
  return { ...previous, ...changes, version: previous.version + 1 };
}

export function event(
  ids: IdFactory,
  now: number,
  type: string,
  previousAttributes?: Record<string, unknown>,
): DomainEvent {
  const made: DomainEvent = { id: ids('evt'), type, created: now };
  if (previousAttributes) made.previousAttributes = previousAttributes;
  return made;
}

export function result(
  state: InvoiceState,
  events: DomainEvent[],
  effects: Partial<Pick<TransitionResult, 'balanceTransactions' | 'invoiceItemChanges'>> = {},
): TransitionResult {
  return {
    state,
    events,
    balanceTransactions: effects.balanceTransactions ?? [],
    invoiceItemChanges: effects.invoiceItemChanges ?? [],
  };
}

export function balanceTransaction(
  ids: IdFactory,
  state: InvoiceState,
  now: number,
  type: BalanceTransactionType,
  amount: number,
): BalanceTransactionRecord {
  return {
    id: ids('cbtxn'),
    customerId: state.customerId,
    invoiceId: state.id,
    currency: state.currency,
    amount,
    type,
    created: now,
  };
}

function renderCustomFields(fields: CustomField[] | null): Array<{ name: string; value: string }> | null {
  return fields ? fields.map((field) => ({ name: field.name, value: field.value })) : null;
}

// The wire values an update or a line edit can change, keyed as Stripe names them, so
// invoice.updated can carry previous_attributes exactly as Stripe would.
function watchedAttributes(state: InvoiceState): Record<string, unknown> {
  const totals = computeTotals(state);
  return {
    amount_due: totals.amountDue,
    amount_remaining: totals.amountRemaining,
    amount_paid: totals.amountPaid,
    auto_advance: state.autoAdvance,
    automatically_finalizes_at: state.automaticallyFinalizesAt,
    collection_method: state.collectionMethod,
    custom_fields: renderCustomFields(state.customFields),
    default_payment_method: state.defaultPaymentMethod,
    description: state.description,
    due_date: state.dueDate,
    effective_at: state.effectiveAt,
    footer: state.footer,
    metadata: state.metadata,
    next_payment_attempt: state.nextPaymentAttempt,
    statement_descriptor: state.statementDescriptor,
    subtotal: totals.subtotal,
    subtotal_excluding_tax: totals.subtotal,
    total: totals.total,
    total_excluding_tax: totals.total,
  };
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

// Only what changed, with its old value; metadata per key (null for keys that were added),
// as Stripe reports it. Undefined when nothing changed: Stripe then sends no invoice.updated.
export function previousAttributes(
  before: InvoiceState,
  after: InvoiceState,
): Record<string, unknown> | undefined {
  const old = watchedAttributes(before);
  const fresh = watchedAttributes(after);
  const changed: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(old)) {
    if (sameJson(value, fresh[key])) continue;
    if (key === 'metadata') {
      const perKey: Record<string, string | null> = {};
      for (const [name, was] of Object.entries(before.metadata)) {
        if (after.metadata[name] !== was) perKey[name] = was;
      }
      for (const name of Object.keys(after.metadata)) {
        if (!(name in before.metadata)) perKey[name] = null;
      }
      changed.metadata = perKey;
    } else {
      changed[key] = value;
    }
  }
  return Object.keys(changed).length > 0 ? changed : undefined;
}

// invoice.updated when something visible changed, nothing otherwise.
export function updatedEvents(
  before: InvoiceState,
  after: InvoiceState,
  now: number,
  ids: IdFactory,
): DomainEvent[] {
  const previous = previousAttributes(before, after);
  return previous ? [event(ids, now, 'invoice.updated', previous)] : [];
}
