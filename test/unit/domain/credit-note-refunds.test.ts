// A credit note's refund_amount, allocated to the invoice's paid PaymentIntents: figures by hand.
import { applyCreateCreditNote, creditNoteFigures } from '../../../workflows/domain/credit-note';
import {
  allocateRefunds,
  refundablePayments,
  refundReasonOf,
} from '../../../workflows/domain/credit-note-refunds';
import type { InvoicePaymentRecord } from '../../../workflows/domain/invoice-payment-types';
import { payOutOfBand } from '../../../workflows/domain/invoice';
import { renderCreditNote } from '../../../workflows/domain/render/credit-note';
import type { InvoiceState } from '../../../workflows/domain/types';
import { NOW, openInvoice, paidInvoice, refusalOf, sequentialIds } from './support';

function payment(overrides: Partial<InvoicePaymentRecord>): InvoicePaymentRecord {
  return {
    id: 'inpay_x',
    paymentIntentId: 'pi_x',
    isDefault: false,
    amountRequested: 0,
    amountPaid: null,
    status: 'open',
    created: NOW,
    paidAt: null,
    canceledAt: null,
    ...overrides,
  };
}

// 1000 paid by 400 (pi_first, paid at +20) then 600 (pi_second, paid at +30); the default one canceled.
function paidTwice(): InvoiceState {
  const paid = paidInvoice();
  return {
    ...paid,
    payments: [
      payment({ id: 'inpay_default', paymentIntentId: 'pi_own', isDefault: true, status: 'canceled' }),
      payment({
        id: 'inpay_a',
        paymentIntentId: 'pi_first',
        amountPaid: 400,
        status: 'paid',
        paidAt: NOW + 20,
      }),
      payment({
        id: 'inpay_b',
        paymentIntentId: 'pi_second',
        amountPaid: 600,
        status: 'paid',
        paidAt: NOW + 30,
      }),
    ],
  };
}

const credit = (state: InvoiceState, refundAmount: number, amount = refundAmount) =>
  applyCreateCreditNote(state, { amount, refundAmount }, NOW + 100, sequentialIds()).state;

describe('refunds of a credit note', () => {
  it('go to the one paid PaymentIntent of an invoice paid once', () => {
    const state = credit(paidInvoice(), 250);
    const own = paidInvoice().payments?.[0]?.paymentIntentId;
    expect(state.creditNotes?.[0]?.refunds).toEqual([
      { id: expect.stringMatching(/^re_/), paymentIntentId: own, amount: 250 },
    ]);
    expect(refundablePayments(state)).toEqual([{ paymentIntentId: own, refundable: 750 }]);
  });

  it('take the most recently paid first, then the earlier one', () => {
    // 700 refunded: 600 of pi_second (all of it), 100 of pi_first
    const state = credit(paidTwice(), 700);
    const note = state.creditNotes?.[0];
    expect(note?.refunds?.map((r) => [r.paymentIntentId, r.amount])).toEqual([
      ['pi_second', 600],
      ['pi_first', 100],
    ]);
    expect(note?.refundId).toBe(note?.refunds?.[0]?.id);
    // 300 of pi_first left; the rendered note lists both refunds
    expect(refundablePayments(state)).toEqual([{ paymentIntentId: 'pi_first', refundable: 300 }]);
    expect(
      renderCreditNote(note!, {
        invoiceId: state.id,
        customerId: state.customerId,
        currency: 'usd',
        livemode: false,
        pdf: '',
      }).refunds.map((r) => r.amount_refunded),
    ).toEqual([600, 100]);
  });

  it('never take more than the payments have left after earlier notes', () => {
    const first = credit(paidTwice(), 700);
    // 300 left to refund: 301 refused on refund_amount, 300 allowed
    expect(refusalOf(() => creditNoteFigures(first, { amount: 300, refundAmount: 301 })).data).toMatchObject({
      status: 400,
      param: 'refund_amount',
    });
    expect(credit(first, 300).creditNotes?.[1]?.refunds?.map((r) => [r.paymentIntentId, r.amount])).toEqual([
      ['pi_first', 300],
    ]);
  });

  it('are refused for an invoice paid out of band, which has no charge to refund', () => {
    const outOfBand = payOutOfBand(openInvoice(), {}, NOW + 20, sequentialIds()).state;
    expect(
      refusalOf(() => creditNoteFigures(outOfBand, { amount: 100, refundAmount: 100 })).data,
    ).toMatchObject({
      param: 'refund_amount',
    });
    // credited to the balance or out of band instead, it is taken
    expect(creditNoteFigures(outOfBand, { amount: 100, outOfBandAmount: 100 }).outOfBandAmount).toBe(100);
  });

  it('make none when nothing is refunded', () => {
    expect(allocateRefunds(paidTwice(), 0, sequentialIds())).toEqual([]);
    const credited = applyCreateCreditNote(paidTwice(), { amount: 100 }, NOW + 100, sequentialIds()).state;
    expect(credited.creditNotes?.[0]).toMatchObject({ refundId: null, refunds: [] });
  });

  it("carry the note's reason where a refund has it too", () => {
    expect(refundReasonOf('duplicate')).toBe('duplicate');
    expect(refundReasonOf('fraudulent')).toBe('fraudulent');
    expect(refundReasonOf('order_change')).toBeNull();
    expect(refundReasonOf(null)).toBeNull();
  });
});
