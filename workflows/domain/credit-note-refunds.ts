// Where a credit note's refund_amount goes: refunds through the test processor of the invoice's
// paid PaymentIntents, the most recently paid first, each for no more than that payment has left
// after the refunds of earlier credit notes. Pure. The invoice's workflow is the only one that
// refunds its PaymentIntents (/v1/refunds refuses them), so what it holds here is what is left.
import type { CreditNoteReason, CreditNoteRefund } from './credit-note-types';
import type { RefundReason } from './refund';
import { invalidRequest } from './errors';
import type { IdFactory } from './ids';
import { paymentsOf } from './invoice-payment-records';

export type { CreditNoteRefund };
import type { InvoiceState } from './types';

// Notes issued before refunds named their PaymentIntent held one refund id only.
interface RefundingNote {
  refundAmount: number;
  refundId: string | null;
  refunds?: CreditNoteRefund[];
}

export function refundsOfNote(note: RefundingNote): CreditNoteRefund[] {
  return note.refunds ?? [];
}

function refundedByIntent(state: InvoiceState): Map<string, number> {
  const refunded = new Map<string, number>();
  for (const note of state.creditNotes ?? []) {
    for (const refund of refundsOfNote(note)) {
      refunded.set(refund.paymentIntentId, (refunded.get(refund.paymentIntentId) ?? 0) + refund.amount);
    }
  }
  return refunded;
}

// The invoice's paid PaymentIntents with what each has left to refund, most recently paid first.
export function refundablePayments(state: InvoiceState): { paymentIntentId: string; refundable: number }[] {
  const refunded = refundedByIntent(state);
  // Paid in the same second, the one recorded later counts as the more recent.
  return paymentsOf(state)
    .map((payment, index) => ({ payment, index }))
    .filter(({ payment }) => payment.status === 'paid' && (payment.amountPaid ?? 0) > 0)
    .sort((a, b) => (b.payment.paidAt ?? 0) - (a.payment.paidAt ?? 0) || b.index - a.index)
    .map(({ payment }) => ({
      paymentIntentId: payment.paymentIntentId,
      refundable: (payment.amountPaid ?? 0) - (refunded.get(payment.paymentIntentId) ?? 0),
    }))
    .filter((payment) => payment.refundable > 0);
}

export function refundableAmount(state: InvoiceState): number {
  return refundablePayments(state).reduce((sum, payment) => sum + payment.refundable, 0);
}

// Refused before anything is issued: money paid out of band or from the customer's balance has
// no charge to refund.
export function assertRefundable(state: InvoiceState, refundAmount: number): void {
  if (refundAmount === 0) return;
  const refundable = refundableAmount(state);
  if (refundAmount > refundable) {
    throw invalidRequest(
      `refund_amount (${refundAmount}) is more than this invoice's payments have left to refund (${refundable}): ` +
        'return the rest as credit_amount or out_of_band_amount.',
      undefined,
      'refund_amount',
    );
  }
}

export function allocateRefunds(
  state: InvoiceState,
  refundAmount: number,
  ids: IdFactory,
): CreditNoteRefund[] {
  assertRefundable(state, refundAmount);
  const refunds: CreditNoteRefund[] = [];
  let left = refundAmount;
  for (const payment of refundablePayments(state)) {
    if (left === 0) break;
    const amount = Math.min(left, payment.refundable);
    refunds.push({ id: ids('re'), paymentIntentId: payment.paymentIntentId, amount });
    left -= amount;
  }
  return refunds;
}

// The refund's reason, where a credit note's reason is one a refund has too.
export function refundReasonOf(reason: CreditNoteReason | null): RefundReason | null {
  return reason === 'duplicate' || reason === 'fraudulent' ? reason : null;
}
