// Updating an invoice's own fields, and deleting a draft. Drafts are fully editable; once
// finalized only metadata, auto_advance and default_payment_method may change (Stripe: monetary
// values, collection_method and, for most invoices, description become uneditable).
import type { IdFactory } from './ids';
import {
  assertDueTerms,
  draftSchedule,
  resolveDueTerms,
  type DueChange,
  type DueTerms,
} from './invoice-create';
import { refusals } from './invoice-errors';
import { assertUsable } from './invoice-guards';
import { advance, event, result, updatedEvents, type TransitionResult } from './invoice-transition';
import { appliedDiscounts, type AppliedDiscount, type DiscountInput } from './discount';
import type { TaxRateRecord } from './tax-rate';
import type { CollectionMethod, CustomField, InvoiceState, Metadata } from './types';

// Stripe metadata semantics: keys merge; '' (or null) unsets a key; null for the whole unsets all.
export type MetadataUpdate = Record<string, string | null>;

export interface UpdateInvoiceCommand {
  autoAdvance?: boolean;
  automaticallyFinalizesAt?: number; // scheduling a time turns auto_advance on
  collectionMethod?: CollectionMethod;
  customFields?: CustomField[] | null;
  daysUntilDue?: number | null;
  dueDate?: number | null;
  defaultPaymentMethod?: string | null;
  description?: string | null;
  effectiveAt?: number | null;
  footer?: string | null;
  metadata?: MetadataUpdate | null;
  statementDescriptor?: string | null;
  defaultTaxRates?: TaxRateRecord[] | null; // null or []: none
  // The whole new list: new ones (resolved and redeemed by the caller) and kept ones as they are.
  discounts?: (DiscountInput | AppliedDiscount)[] | null;
}

// Wire names, in the order Stripe would report the first offending parameter.
const PARAMS: ReadonlyArray<readonly [keyof UpdateInvoiceCommand, string]> = [
  ['autoAdvance', 'auto_advance'],
  ['automaticallyFinalizesAt', 'automatically_finalizes_at'],
  ['collectionMethod', 'collection_method'],
  ['customFields', 'custom_fields'],
  ['daysUntilDue', 'days_until_due'],
  ['defaultTaxRates', 'default_tax_rates'],
  ['defaultPaymentMethod', 'default_payment_method'],
  ['description', 'description'],
  ['discounts', 'discounts'],
  ['dueDate', 'due_date'],
  ['effectiveAt', 'effective_at'],
  ['footer', 'footer'],
  ['metadata', 'metadata'],
  ['statementDescriptor', 'statement_descriptor'],
];

const EDITABLE_ONCE_FINALIZED: ReadonlySet<keyof UpdateInvoiceCommand> = new Set([
  'autoAdvance',
  'defaultPaymentMethod',
  'metadata',
]);

export function applyMetadataUpdate(current: Metadata, update: MetadataUpdate | null | undefined): Metadata {
  if (update === undefined) return current;
  if (update === null) return {};
  const next: Metadata = { ...current };
  for (const [key, value] of Object.entries(update)) {
    if (value === null || value === '') delete next[key];
    else next[key] = value;
  }
  return next;
}

function termsOf(state: InvoiceState): DueTerms {
  return {
    collectionMethod: state.collectionMethod,
    daysUntilDue: state.daysUntilDue,
    dueDate: state.dueDate,
  };
}

function dueChangeOf(command: UpdateInvoiceCommand): DueChange {
  return {
    collectionMethod: command.collectionMethod,
    daysUntilDue: command.daysUntilDue,
    dueDate: command.dueDate,
  };
}

export function assertCanUpdate(state: InvoiceState, command: UpdateInvoiceCommand): void {
  assertUsable(state);
  if (state.status !== 'draft') {
    const refused = PARAMS.find(([key]) => command[key] !== undefined && !EDITABLE_ONCE_FINALIZED.has(key));
    if (refused) throw refusals.finalizedUpdate(refused[1]);
    return;
  }
  assertDueTerms(termsOf(state), dueChangeOf(command), state.created);
}

function draftChanges(
  state: InvoiceState,
  command: UpdateInvoiceCommand,
  now: number,
): Partial<InvoiceState> {
  const terms = resolveDueTerms(termsOf(state), dueChangeOf(command), state.created);
  const autoAdvance =
    command.autoAdvance ?? (command.automaticallyFinalizesAt !== undefined ? true : state.autoAdvance);
  const scheduledAt = command.automaticallyFinalizesAt ?? state.automaticallyFinalizesAt;
  const schedule = draftSchedule(state.created, autoAdvance, terms.collectionMethod, scheduledAt);
  const keep = <T>(value: T | undefined, current: T): T => (value === undefined ? current : value);
  const taxRates = command.defaultTaxRates;
  const discounts = command.discounts;
  return {
    ...(discounts !== undefined ? { discounts: appliedDiscounts(discounts ?? [], now) } : {}),
    ...(taxRates !== undefined ? { defaultTaxRates: taxRates ?? [] } : {}),
    ...terms,
    ...schedule,
    autoAdvance,
    customFields: keep(command.customFields, state.customFields),
    defaultPaymentMethod: keep(command.defaultPaymentMethod, state.defaultPaymentMethod),
    description: keep(command.description, state.description),
    effectiveAt: keep(command.effectiveAt, state.effectiveAt),
    footer: keep(command.footer, state.footer),
    statementDescriptor: keep(command.statementDescriptor, state.statementDescriptor),
  };
}

// Turning auto_advance off on a finalized invoice stops automatic retries.
function finalizedChanges(state: InvoiceState, command: UpdateInvoiceCommand): Partial<InvoiceState> {
  return {
    autoAdvance: command.autoAdvance ?? state.autoAdvance,
    nextPaymentAttempt: command.autoAdvance === false ? null : state.nextPaymentAttempt,
    defaultPaymentMethod:
      command.defaultPaymentMethod === undefined ? state.defaultPaymentMethod : command.defaultPaymentMethod,
  };
}

export function applyUpdate(
  state: InvoiceState,
  command: UpdateInvoiceCommand,
  now: number,
  ids: IdFactory,
): TransitionResult {
  const changes =
    state.status === 'draft' ? draftChanges(state, command, now) : finalizedChanges(state, command);
  const next = advance(state, {
    ...changes,
    metadata: applyMetadataUpdate(state.metadata, command.metadata),
  });
  return result(next, updatedEvents(state, next, now, ids));
}

export function updateInvoice(
  state: InvoiceState,
  command: UpdateInvoiceCommand,
  now: number,
  ids: IdFactory,
): TransitionResult {
  assertCanUpdate(state, command);
  return applyUpdate(state, command, now, ids);
}

// ---- delete ------------------------------------------------------------------------------

// Only one-off drafts can be deleted; a subscription's draft must be finalized and voided.
export function assertCanDelete(state: InvoiceState): void {
  assertUsable(state);
  if (state.status !== 'draft') throw refusals.onlyDraftsDeletable();
  if (state.subscriptionId !== null) throw refusals.subscriptionDraftNotDeletable();
}

// The lines' invoice items stay attached to the deleted invoice (Stripe does not release them).
export function applyDelete(
  state: InvoiceState,
  _command: unknown,
  now: number,
  ids: IdFactory,
): TransitionResult {
  const next = advance(state, { deleted: true, automaticallyFinalizesAt: null, nextPaymentAttempt: null });
  return result(next, [event(ids, now, 'invoice.deleted')]);
}

export function deleteDraft(
  state: InvoiceState,
  command: unknown,
  now: number,
  ids: IdFactory,
): TransitionResult {
  assertCanDelete(state);
  return applyDelete(state, command, now, ids);
}
