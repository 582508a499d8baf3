// A new draft invoice, and the due-date and automatic-finalization rules drafts share with updates.
import type { IdFactory } from './ids';
import { refusals } from './invoice-errors';
import { assertLineInputs, buildLine, type LineInput } from './invoice-lines';
import { event, ONE_DAY, ONE_HOUR, result, type TransitionResult } from './invoice-transition';
import { isSupportedCurrency, normalizeCurrency } from './money';
import { appliedDiscounts, type DiscountInput } from './discount';
import type { TaxRateRecord } from './tax-rate';
import type {
  BillingReason,
  CollectionMethod,
  CustomerSnapshot,
  CustomField,
  InvoiceState,
  Metadata,
} from './types';

export interface CreateInvoiceCommand {
  invoiceId?: string; // the workflow's invoice id; minted (in_) when absent
  accountId: string;
  customerId: string;
  currency: string; // already defaulted from the customer by the caller
  customer: CustomerSnapshot;
  livemode?: boolean;
  testClockId?: string | null;
  autoAdvance?: boolean; // Stripe: "Defaults to false."
  automaticallyFinalizesAt?: number | null;
  collectionMethod?: CollectionMethod; // default charge_automatically
  daysUntilDue?: number | null;
  dueDate?: number | null;
  description?: string | null;
  footer?: string | null;
  metadata?: Metadata;
  customFields?: CustomField[] | null;
  statementDescriptor?: string | null;
  defaultPaymentMethod?: string | null;
  effectiveAt?: number | null;
  billingReason?: BillingReason; // default manual
  subscriptionId?: string | null;
  periodStart?: number; // default: created (a manual invoice's period is zero-width)
  periodEnd?: number;
  lines?: LineInput[]; // pending items already claimed by the caller, and/or new lines
  defaultTaxRates?: TaxRateRecord[]; // resolved by the caller (the account's own, active rates)
  discounts?: DiscountInput[]; // resolved and redeemed by the caller
}

export interface DueTerms {
  collectionMethod: CollectionMethod;
  daysUntilDue: number | null;
  dueDate: number | null;
}

export type DueChange = Partial<DueTerms>;

// due_date follows days_until_due from the invoice's creation (recomputed from finalization
// when it happens); an explicit due_date wins; charge_automatically has no due date at all.
export function resolveDueTerms(current: DueTerms, change: DueChange, created: number): DueTerms {
  const collectionMethod = change.collectionMethod ?? current.collectionMethod;
  if (collectionMethod === 'charge_automatically')
    return { collectionMethod, daysUntilDue: null, dueDate: null };
  let { daysUntilDue, dueDate } = current;
  if (change.daysUntilDue !== undefined) {
    daysUntilDue = change.daysUntilDue;
    dueDate = daysUntilDue === null ? null : created + daysUntilDue * ONE_DAY;
  }
  if (change.dueDate !== undefined && change.dueDate !== null) {
    dueDate = change.dueDate;
    daysUntilDue = null;
  } else if (change.dueDate === null && change.daysUntilDue === undefined) {
    dueDate = null;
    daysUntilDue = null;
  }
  return { collectionMethod, daysUntilDue, dueDate };
}

export function assertDueTerms(current: DueTerms, change: DueChange, created: number): void {
  const given = (value: number | null | undefined): value is number => value !== undefined && value !== null;
  if (given(change.daysUntilDue) && given(change.dueDate)) throw refusals.dueDateExclusive();
  if (given(change.daysUntilDue) && (!Number.isSafeInteger(change.daysUntilDue) || change.daysUntilDue < 0)) {
    throw refusals.invalidInteger('days_until_due', change.daysUntilDue);
  }
  if (given(change.dueDate) && !Number.isSafeInteger(change.dueDate)) {
    throw refusals.invalidInteger('due_date', change.dueDate);
  }
  const method = change.collectionMethod ?? current.collectionMethod;
  if (method === 'charge_automatically' && (given(change.daysUntilDue) || given(change.dueDate))) {
    throw refusals.dueDateNotAllowed();
  }
  if (method === 'send_invoice' && resolveDueTerms(current, change, created).dueDate === null) {
    throw refusals.dueDateRequired();
  }
}

export interface DraftSchedule {
  automaticallyFinalizesAt: number | null;
  nextPaymentAttempt: number | null;
}

// auto_advance drafts finalize an hour after creation unless a time was set; a
// charge_automatically draft shows its first payment attempt at that same moment.
export function draftSchedule(
  created: number,
  autoAdvance: boolean,
  collectionMethod: CollectionMethod,
  scheduledAt: number | null,
): DraftSchedule {
  const automaticallyFinalizesAt = autoAdvance ? (scheduledAt ?? created + ONE_HOUR) : null;
  return {
    automaticallyFinalizesAt,
    nextPaymentAttempt:
      automaticallyFinalizesAt !== null && collectionMethod === 'charge_automatically'
        ? automaticallyFinalizesAt
        : null,
  };
}

const NO_TERMS: DueTerms = { collectionMethod: 'charge_automatically', daysUntilDue: null, dueDate: null };

function dueChangeOf(command: CreateInvoiceCommand): DueChange {
  return {
    collectionMethod: command.collectionMethod,
    daysUntilDue: command.daysUntilDue,
    dueDate: command.dueDate,
  };
}

// Creation has no `now` to check against, so assertions are the time-free ones; due terms are
// measured from a zero creation time, which only matters for presence, never for the value.
export function assertCanCreate(command: CreateInvoiceCommand): void {
  if (!isSupportedCurrency(command.currency)) throw refusals.invalidCurrency(command.currency);
  assertDueTerms(NO_TERMS, dueChangeOf(command), 0);
  assertLineInputs(command.lines ?? [], command.currency, 0);
}

export function applyCreate(command: CreateInvoiceCommand, now: number, ids: IdFactory): TransitionResult {
  const currency = normalizeCurrency(command.currency);
  const terms = resolveDueTerms(NO_TERMS, dueChangeOf(command), now);
  const scheduledAt = command.automaticallyFinalizesAt ?? null;
  const autoAdvance = command.autoAdvance ?? scheduledAt !== null;
  const schedule = draftSchedule(now, autoAdvance, terms.collectionMethod, scheduledAt);
  const state: InvoiceState = {
    id: command.invoiceId ?? ids('in'),
    accountId: command.accountId,
    customerId: command.customerId,
    currency,
    status: 'draft',
    deleted: false,
    livemode: command.livemode ?? false,
    created: now,
    autoAdvance,
    collectionMethod: terms.collectionMethod,
    daysUntilDue: terms.daysUntilDue,
    dueDate: terms.dueDate,
    description: command.description ?? null,
    footer: command.footer ?? null,
    metadata: { ...(command.metadata ?? {}) },
    customFields: command.customFields ?? null,
    statementDescriptor: command.statementDescriptor ?? null,
    defaultPaymentMethod: command.defaultPaymentMethod ?? null,
    billingReason: command.billingReason ?? 'manual',
    subscriptionId: command.subscriptionId ?? null,
    testClockId: command.testClockId ?? null,
    lines: (command.lines ?? []).map((line) => buildLine(line, currency, now, ids)),
    number: null,
    receiptNumber: null,
    startingBalance: 0,
    endingBalance: null,
    amountPaid: 0,
    attemptCount: 0,
    attempted: false,
    nextPaymentAttempt: schedule.nextPaymentAttempt,
    automaticallyFinalizesAt: schedule.automaticallyFinalizesAt,
    webhooksDeliveredAt: null,
    effectiveAt: command.effectiveAt ?? null,
    periodStart: command.periodStart ?? now,
    periodEnd: command.periodEnd ?? now,
    paidOutOfBand: false,
    statusTransitions: { finalizedAt: null, markedUncollectibleAt: null, paidAt: null, voidedAt: null },
    lastFinalizationError: null,
    customer: command.customer,
    version: 1,
    ...(command.defaultTaxRates && command.defaultTaxRates.length > 0
      ? { defaultTaxRates: command.defaultTaxRates }
      : {}),
    ...(command.discounts && command.discounts.length > 0
      ? { discounts: appliedDiscounts(command.discounts, now) }
      : {}),
  };
  return result(state, [event(ids, now, 'invoice.created')]);
}

export function createInvoice(command: CreateInvoiceCommand, now: number, ids: IdFactory): TransitionResult {
  assertCanCreate(command);
  return applyCreate(command, now, ids);
}
