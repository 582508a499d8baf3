// Credit notes on open and paid invoices; every figure is worked out by hand beside it.
import {
  applyCreateCreditNote,
  applyVoidCreditNote,
  assertCanVoidCreditNote,
  creditNoteFigures,
  type CreditNoteCommand,
} from '../../../workflows/domain/credit-note';
import { newCoupon } from '../../../workflows/domain/coupon';
import { applyDiscount } from '../../../workflows/domain/discount';
import { paymentSucceeded } from '../../../workflows/domain/invoice';
import { renderCreditNote } from '../../../workflows/domain/render/credit-note';
import { newTaxRate } from '../../../workflows/domain/tax-rate';
import { renderInvoice } from '../../../workflows/domain/render/invoice';
import { computeTotals } from '../../../workflows/domain/totals';
import type { InvoiceState } from '../../../workflows/domain/types';
import { draftInvoice, line, NOW, openInvoice, paidInvoice, refusalOf, sequentialIds } from './support';

const ids = sequentialIds();

function credit(state: InvoiceState, command: CreditNoteCommand) {
  return applyCreateCreditNote(state, command, NOW + 100, ids);
}

describe('a credit note on an open invoice', () => {
  it('lowers amount_due and amount_remaining by its amount (pre-payment)', () => {
    // 1000 due; 300 credited: 700 due
    const { state, events } = credit(openInvoice(), { amount: 300 });
    const note = state.creditNotes?.[0];
    expect(note).toMatchObject({
      amount: 300,
      prePaymentAmount: 300,
      postPaymentAmount: 0,
      number: 'ABCD1234-0001-CN-01',
    });
    expect(computeTotals(state)).toMatchObject({ total: 1000, amountDue: 700, amountRemaining: 700 });
    expect(renderInvoice(state).pre_payment_credit_notes_amount).toBe(300);
    expect(events.map((e) => e.type)).toEqual(['credit_note.created', 'invoice.updated']);
    expect(events[0]?.objectId).toBe(note?.id);
  });

  it('numbers each next note of the invoice', () => {
    const first = credit(openInvoice(), { amount: 100 }).state;
    expect(credit(first, { amount: 100 }).state.creditNotes?.[1]?.number).toBe('ABCD1234-0001-CN-02');
  });

  it('pays the invoice when it credits all that is left', () => {
    const { state, events } = credit(openInvoice(), { amount: 1000 });
    expect(state.status).toBe('paid');
    expect(computeTotals(state)).toMatchObject({ amountDue: 0, amountRemaining: 0 });
    expect(events.map((e) => e.type)).toEqual(['credit_note.created', 'invoice.paid']);
  });

  it('never takes more than the invoice has left, naming the parameter', () => {
    expect(refusalOf(() => creditNoteFigures(openInvoice(), { amount: 1001 })).data).toMatchObject({
      status: 400,
      param: 'amount',
    });
    // 700 left after a 300 note: 701 is too much
    const credited = credit(openInvoice(), { amount: 300 }).state;
    expect(refusalOf(() => creditNoteFigures(credited, { amount: 701 })).data.param).toBe('amount');
  });

  it('credits an invoice line by amount, never beyond the line', () => {
    const open = openInvoice();
    const lineId = open.lines[0]?.id as string;
    const figures = creditNoteFigures(open, {
      lines: [{ type: 'invoice_line_item', invoiceLineItem: lineId, amount: 250 }],
    });
    expect(figures).toMatchObject({ amount: 250, prePaymentAmount: 250 });
    const error = refusalOf(() =>
      creditNoteFigures(open, {
        lines: [{ type: 'invoice_line_item', invoiceLineItem: lineId, amount: 1200 }],
      }),
    );
    expect(error.data.param).toBe('lines[0][amount]');
  });

  it('splits across what is due and what was paid on a partly paid invoice (mixed)', () => {
    // 600 of 1000 paid: 400 left to pay. 700 credited: 400 pre-payment, 300 post-payment (to the balance).
    const partly = paymentSucceeded(openInvoice(), { amount: 600 }, NOW + 50, ids).state;
    const { state, balanceTransactions } = credit(partly, { amount: 700 });
    expect(state.creditNotes?.[0]).toMatchObject({
      prePaymentAmount: 400,
      postPaymentAmount: 300,
      creditAmount: 300,
    });
    expect(state.status).toBe('paid');
    expect(balanceTransactions).toEqual([expect.objectContaining({ type: 'credit_note', amount: -300 })]);
  });

  it('is refused on a draft', () => {
    expect(refusalOf(() => creditNoteFigures(draftInvoice(), { amount: 100 })).data.param).toBe('invoice');
  });
});

describe('a credit note on a paid invoice', () => {
  it('returns money as balance credit by default (post-payment)', () => {
    const { state, balanceTransactions } = credit(paidInvoice(), { amount: 400 });
    expect(state.creditNotes?.[0]).toMatchObject({
      prePaymentAmount: 0,
      postPaymentAmount: 400,
      creditAmount: 400,
    });
    expect(balanceTransactions).toEqual([expect.objectContaining({ type: 'credit_note', amount: -400 })]);
    expect(renderInvoice(state)).toMatchObject({ post_payment_credit_notes_amount: 400, amount_paid: 1000 });
  });

  it('splits into credit, refund and out of band, which must add up', () => {
    const { state } = credit(paidInvoice(), {
      amount: 400,
      creditAmount: 100,
      refundAmount: 250,
      outOfBandAmount: 50,
    });
    expect(state.creditNotes?.[0]).toMatchObject({
      creditAmount: 100,
      refundAmount: 250,
      outOfBandAmount: 50,
    });
    expect(state.creditNotes?.[0]?.refundId).toMatch(/^re_/);
    expect(
      refusalOf(() => creditNoteFigures(paidInvoice(), { amount: 400, refundAmount: 300 })).data.param,
    ).toBe('refund_amount');
  });

  it('never credits more than was paid, counting earlier notes', () => {
    const first = credit(paidInvoice(), { amount: 900 }).state;
    expect(refusalOf(() => creditNoteFigures(first, { amount: 101 })).data.param).toBe('amount');
  });
});

describe('voiding a credit note', () => {
  it('makes its pre-payment amount due again', () => {
    const credited = credit(openInvoice(), { amount: 300 }).state;
    const id = credited.creditNotes?.[0]?.id as string;
    const { state, events } = applyVoidCreditNote(credited, { creditNoteId: id }, NOW + 200, ids);
    expect(state.creditNotes?.[0]).toMatchObject({ status: 'void', voidedAt: NOW + 200 });
    expect(computeTotals(state)).toMatchObject({ amountDue: 1000, amountRemaining: 1000 });
    expect(events.map((e) => e.type)).toEqual(['credit_note.voided', 'invoice.updated']);
  });

  it('debits back its balance credit', () => {
    const credited = credit(paidInvoice(), { amount: 400 }).state;
    const id = credited.creditNotes?.[0]?.id as string;
    const { balanceTransactions } = applyVoidCreditNote(credited, { creditNoteId: id }, NOW + 200, ids);
    expect(balanceTransactions).toEqual([expect.objectContaining({ type: 'credit_note', amount: 400 })]);
  });

  it('is refused once void, or when money was refunded', () => {
    const refunded = credit(paidInvoice(), { amount: 400, refundAmount: 400 }).state;
    const id = refunded.creditNotes?.[0]?.id as string;
    expect(refusalOf(() => assertCanVoidCreditNote(refunded, { creditNoteId: id })).data.param).toBe('id');
    const credited = credit(openInvoice(), { amount: 300 }).state;
    const noteId = credited.creditNotes?.[0]?.id as string;
    const voided = applyVoidCreditNote(credited, { creditNoteId: noteId }, NOW + 200, ids).state;
    expect(refusalOf(() => assertCanVoidCreditNote(voided, { creditNoteId: noteId })).data.param).toBe('id');
  });
});

describe('a credit note on a discounted, taxed line', () => {
  // The line: 1000, 10 % off -> 900; 10 % exclusive tax on 900 = 90; the invoice: 990.
  const taxed = () =>
    openInvoice({
      lines: [line({ amount: 1000 })],
      discounts: [
        applyDiscount(
          {
            id: 'di_ten',
            coupon: newCoupon({ id: 'TEN', accountId: 'acct_test', percentOff: '10' }, NOW),
            promotionCodeId: null,
            customerId: 'cus_test',
          },
          NOW,
        ),
      ],
      defaultTaxRates: [
        newTaxRate(
          { id: 'txr_ten', accountId: 'acct_test', displayName: 'Tax', inclusive: false, percentage: '10' },
          NOW,
        ),
      ],
    });

  it('credits what the line was charged, with its tax, by default', () => {
    const open = taxed();
    expect(computeTotals(open).amountDue).toBe(990);
    const lineId = open.lines[0]?.id as string;
    const { state } = credit(open, { lines: [{ type: 'invoice_line_item', invoiceLineItem: lineId }] });
    const note = state.creditNotes?.[0];
    // 900 credited + 90 tax = 990: all that was due
    expect(note).toMatchObject({ amount: 990, prePaymentAmount: 990 });
    expect(state.status).toBe('paid');
    const body = renderCreditNote(note!, {
      invoiceId: open.id,
      customerId: 'cus_test',
      currency: 'usd',
      livemode: false,
      pdf: '',
    });
    expect(body).toMatchObject({ subtotal: 900, total: 990, total_excluding_tax: 900 });
    expect(body.total_taxes?.[0]).toMatchObject({ amount: 90, taxable_amount: 900 });
  });

  it('taxes a partial amount the same way, and never credits beyond the discounted line', () => {
    const open = taxed();
    const lineId = open.lines[0]?.id as string;
    // 450 + 10 % = 495
    expect(
      creditNoteFigures(open, {
        lines: [{ type: 'invoice_line_item', invoiceLineItem: lineId, amount: 450 }],
      }).amount,
    ).toBe(495);
    const error = refusalOf(() =>
      creditNoteFigures(open, {
        lines: [{ type: 'invoice_line_item', invoiceLineItem: lineId, amount: 901 }],
      }),
    );
    expect(error.data.param).toBe('lines[0][amount]');
  });
});
