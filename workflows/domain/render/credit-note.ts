// A credit note and its lines on the wire, typed by the stripe package (API 2026-10-28.endive).
// The note lives in its invoice; `context` carries what the wire shape needs of that invoice.
import type Stripe from 'stripe';
import type { CreditNote, CreditNoteLine } from '../credit-note-types';
import { sumTaxes, totalTaxesByRate } from '../tax';
import { renderTax } from './tax-rate';

export interface CreditNoteContext {
  invoiceId: string;
  customerId: string;
  currency: string;
  livemode: boolean;
  pdf: string; // the invoice's PDF, which lists its credit notes
}

// Each refund the note made; a note issued before refunds named their PaymentIntent shows its one.
function renderedRefunds(note: CreditNote): Stripe.CreditNote.Refund[] {
  const refunds =
    note.refunds ?? (note.refundId !== null ? [{ id: note.refundId, amount: note.refundAmount }] : []);
  return refunds.map((refund) => ({
    amount_refunded: refund.amount,
    payment_record_refund: null,
    refund: refund.id,
    type: 'refund',
  }));
}

export function renderCreditNoteLine(line: CreditNoteLine, livemode: boolean): Stripe.CreditNoteLineItem {
  const body: Stripe.CreditNoteLineItem = {
    id: line.id,
    object: 'credit_note_line_item',
    amount: line.amount,
    description: line.description,
    discount_amount: 0,
    discount_amounts: [],
    livemode,
    metadata: { ...line.metadata },
    pretax_credit_amounts: [],
    quantity: line.quantity,
    tax_rates: [],
    taxes: (line.taxes ?? []).map(renderTax),
    type: line.type,
    unit_amount: line.unitAmount,
    unit_amount_decimal:
      line.unitAmount === null
        ? null
        : (String(line.unitAmount) as unknown as Stripe.CreditNoteLineItem['unit_amount_decimal']),
  };
  if (line.invoiceLineItem !== null) body.invoice_line_item = line.invoiceLineItem;
  return body;
}

export function renderCreditNoteLines(
  note: CreditNote,
  livemode: boolean,
  limit = 10,
): Stripe.ApiList<Stripe.CreditNoteLineItem> {
  return {
    object: 'list',
    data: note.lines.slice(0, limit).map((line) => renderCreditNoteLine(line, livemode)),
    has_more: note.lines.length > limit,
    url: `/v1/credit_notes/${note.id}/lines`,
  };
}

export function renderCreditNote(note: CreditNote, context: CreditNoteContext): Stripe.CreditNote {
  // Lines are amounts before exclusive tax; a bare amount is the total as given.
  const subtotal =
    note.lines.length > 0 ? note.lines.reduce((sum, line) => sum + line.amount, 0) : note.amount;
  const taxes = note.lines.flatMap((line) => line.taxes ?? []);
  const { inclusive, exclusive } = sumTaxes(taxes);
  return {
    id: note.id,
    object: 'credit_note',
    amount: note.amount,
    amount_shipping: 0,
    created: note.created,
    currency: context.currency,
    customer: context.customerId,
    customer_account: null,
    customer_balance_transaction: note.balanceTransactionId,
    discount_amount: 0,
    discount_amounts: [],
    effective_at: note.effectiveAt,
    invoice: context.invoiceId,
    lines: renderCreditNoteLines(note, context.livemode),
    livemode: context.livemode,
    memo: note.memo,
    metadata: { ...note.metadata },
    number: note.number,
    out_of_band_amount: note.outOfBandAmount > 0 ? note.outOfBandAmount : null,
    pdf: context.pdf,
    post_payment_amount: note.postPaymentAmount,
    pre_payment_amount: note.prePaymentAmount,
    pretax_credit_amounts: [],
    reason: note.reason,
    refunds: renderedRefunds(note),
    shipping_cost: null,
    status: note.status,
    subtotal,
    subtotal_excluding_tax: subtotal - inclusive,
    total: note.amount,
    total_excluding_tax: note.amount - inclusive - exclusive,
    total_taxes: totalTaxesByRate(taxes).map(renderTax),
    type:
      note.prePaymentAmount > 0 && note.postPaymentAmount > 0
        ? 'mixed'
        : note.postPaymentAmount > 0
          ? 'post_payment'
          : 'pre_payment',
    voided_at: note.voidedAt,
  };
}
