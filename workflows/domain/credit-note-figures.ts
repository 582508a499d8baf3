// Credit notes: corrections of a finalized invoice, held by the invoice (its workflow issues and
// voids them, as every change of an invoice). Pure. The documented rules (Stripe's):
//   - a credit note first lowers what is left to pay (pre_payment_amount, which lowers
//     amount_due and amount_remaining, never below zero); the rest (post_payment_amount) is money
//     already paid, returned as credit_amount (the customer's balance), refund_amount (a refund
//     through the test processor) or out_of_band_amount; those three must add up to it, and
//     with none given it all goes to the customer's balance;
//   - it never takes more than the invoice has left: what remains to pay plus what was paid and
//     not yet credited; a line never more than its own amount less earlier credit notes;
//   - an open invoice credited down to nothing is paid;
//   - a line crediting an invoice line is that line's amount after discounts (or its `amount`,
//     or `quantity` units of it), taxed with the invoice line's rates as the invoice taxed it
//     (tax.ts): exclusive tax is added to the note's total, inclusive tax is inside it; a custom
//     line and a bare `amount` are taken as given, tax included.
import { invalidRequest } from './errors';
import { allocateRefunds, assertRefundable } from './credit-note-refunds';
import { invoiceAdjustments } from './invoice-adjustments';
import { ratesForLine } from './invoice-taxes';
import { lineTaxes, sumTaxes, type LineTax } from './tax';
import type { IdFactory } from './ids';
import type { CreditNote, CreditNoteLine, CreditNoteReason } from './credit-note-types';
import { assertUsable } from './invoice-guards';
import { creditNoteTotals } from './credit-note-totals';
import { computeTotals } from './totals';
import type { InvoiceState, Metadata } from './types';

export interface CreditNoteLineInput {
  type: 'invoice_line_item' | 'custom_line_item';
  invoiceLineItem?: string;
  amount?: number;
  quantity?: number;
  unitAmount?: number;
  description?: string;
  metadata?: Metadata;
}

export interface CreditNoteCommand {
  amount?: number;
  lines?: CreditNoteLineInput[];
  creditAmount?: number;
  refundAmount?: number;
  outOfBandAmount?: number;
  memo?: string;
  reason?: CreditNoteReason;
  metadata?: Metadata;
  effectiveAt?: number;
}

export interface CreditNoteFigures {
  amount: number;
  lines: Omit<CreditNoteLine, 'id'>[];
  prePaymentAmount: number;
  postPaymentAmount: number;
  creditAmount: number;
  refundAmount: number;
  outOfBandAmount: number;
}

const issued = (state: InvoiceState) => (state.creditNotes ?? []).filter((note) => note.status === 'issued');

function positiveInteger(value: number | undefined, param: string): number | undefined {
  if (value === undefined) return undefined;
  if (!Number.isSafeInteger(value) || value < 0)
    throw invalidRequest(`Invalid integer: ${value}`, 'parameter_invalid_integer', param);
  return value;
}

function creditedOnLine(state: InvoiceState, lineId: string): number {
  let total = 0;
  for (const note of issued(state)) {
    for (const line of note.lines) if (line.invoiceLineItem === lineId) total += line.amount;
  }
  return total;
}

function taxesOf(taxes: LineTax[]): { taxes?: LineTax[] } {
  return taxes.length > 0 ? { taxes } : {};
}

// A credit line's total: its amount plus the exclusive tax on it.
export function lineTotal(line: Pick<CreditNoteLine, 'amount' | 'taxes'>): number {
  return line.amount + sumTaxes(line.taxes ?? []).exclusive;
}

function figureLines(
  state: InvoiceState,
  inputs: readonly CreditNoteLineInput[],
): Omit<CreditNoteLine, 'id'>[] {
  const bases = invoiceAdjustments(state).discounts.bases;
  return inputs.map((input, index) => {
    const at = `lines[${index}]`;
    const quantity = positiveInteger(input.quantity, `${at}[quantity]`);
    if (input.type === 'custom_line_item') {
      const unit = positiveInteger(input.unitAmount, `${at}[unit_amount]`);
      if (unit === undefined)
        throw invalidRequest(
          'Missing required param: unit_amount.',
          'parameter_missing',
          `${at}[unit_amount]`,
        );
      return {
        type: 'custom_line_item',
        invoiceLineItem: null,
        amount: unit * (quantity ?? 1),
        quantity: quantity ?? 1,
        unitAmount: unit,
        description: input.description ?? null,
        metadata: input.metadata ?? {},
      };
    }
    const line = state.lines.find((candidate) => candidate.id === input.invoiceLineItem);
    if (!line) {
      throw invalidRequest(
        `No such invoice line item: '${input.invoiceLineItem ?? ''}'`,
        'resource_missing',
        `${at}[invoice_line_item]`,
      );
    }
    const given = positiveInteger(input.amount, `${at}[amount]`);
    // What the invoice charged for the line before tax: its amount after discounts.
    const base = bases.get(line.id) ?? line.amount;
    // A quantity credits that many units of it (rounded once, half up).
    const amount =
      given ??
      (quantity !== undefined && line.quantity > 0 ? Math.round((base * quantity) / line.quantity) : base);
    if (amount > base - creditedOnLine(state, line.id)) {
      throw invalidRequest(
        `The credit note line exceeds what is left of the invoice line item ${line.id}.`,
        undefined,
        `${at}[amount]`,
      );
    }
    return {
      type: 'invoice_line_item',
      invoiceLineItem: line.id,
      amount,
      quantity: quantity ?? null,
      unitAmount: null,
      description: input.description ?? line.description,
      metadata: input.metadata ?? {},
      ...taxesOf(lineTaxes(amount, ratesForLine(line, state.defaultTaxRates))),
    };
  });
}

// The figures a credit note would have (preview and create share them), or a refusal naming
// the parameter. Nothing is changed.
export function creditNoteFigures(state: InvoiceState, command: CreditNoteCommand): CreditNoteFigures {
  assertUsable(state);
  if (state.status !== 'open' && state.status !== 'paid') {
    throw invalidRequest('Credit notes can only be issued on open or paid invoices.', undefined, 'invoice');
  }
  const lines = figureLines(state, command.lines ?? []);
  const linesTotal = lines.reduce((sum, line) => sum + lineTotal(line), 0);
  const given = positiveInteger(command.amount, 'amount');
  if (given !== undefined && command.lines && command.lines.length > 0 && given !== linesTotal) {
    throw invalidRequest('The amount must equal the total of the lines (tax included).', undefined, 'amount');
  }
  const amount = given ?? linesTotal;
  if (amount <= 0)
    throw invalidRequest('A credit note needs an amount or lines.', 'parameter_missing', 'amount');
  const totals = computeTotals(state);
  const paidLeft = state.amountPaid - creditNoteTotals(state).post;
  const left = totals.amountRemaining + paidLeft;
  if (amount > left) {
    throw invalidRequest(
      `The credit note amount (${amount}) is more than the invoice has left (${left}).`,
      undefined,
      command.lines && command.lines.length > 0 && given === undefined ? 'lines' : 'amount',
    );
  }
  const prePaymentAmount = Math.min(amount, totals.amountRemaining);
  const postPaymentAmount = amount - prePaymentAmount;
  const split = [command.creditAmount, command.refundAmount, command.outOfBandAmount];
  const named = split.some((value) => value !== undefined);
  const creditAmount =
    positiveInteger(command.creditAmount, 'credit_amount') ?? (named ? 0 : postPaymentAmount);
  const refundAmount = positiveInteger(command.refundAmount, 'refund_amount') ?? 0;
  const outOfBandAmount = positiveInteger(command.outOfBandAmount, 'out_of_band_amount') ?? 0;
  if (creditAmount + refundAmount + outOfBandAmount !== postPaymentAmount) {
    throw invalidRequest(
      `credit_amount, refund_amount and out_of_band_amount must add up to the post-payment amount (${postPaymentAmount}).`,
      undefined,
      command.refundAmount !== undefined
        ? 'refund_amount'
        : command.creditAmount !== undefined
          ? 'credit_amount'
          : 'out_of_band_amount',
    );
  }
  assertRefundable(state, refundAmount);
  return { amount, lines, prePaymentAmount, postPaymentAmount, creditAmount, refundAmount, outOfBandAmount };
}

function creditNoteNumber(state: InvoiceState): string {
  const sequence = String((state.creditNotes?.length ?? 0) + 1).padStart(2, '0');
  return `${state.number ?? state.id}-CN-${sequence}`;
}

// The credit note as it would be issued now (create_preview shows exactly this).
export function draftCreditNote(
  state: InvoiceState,
  command: CreditNoteCommand,
  now: number,
  ids: IdFactory,
): CreditNote {
  const figures = creditNoteFigures(state, command);
  const refunds = allocateRefunds(state, figures.refundAmount, ids);
  return {
    id: ids('cn'),
    number: creditNoteNumber(state),
    ...figures,
    lines: figures.lines.map((line) => ({ ...line, id: ids('cnli') })),
    refundId: refunds[0]?.id ?? null,
    refunds,
    balanceTransactionId: null,
    memo: command.memo ?? null,
    reason: command.reason ?? null,
    metadata: command.metadata ?? {},
    status: 'issued',
    created: now,
    effectiveAt: command.effectiveAt ?? now,
    voidedAt: null,
  };
}
