// Refunds through the test processor, as /v1/refunds takes them: of a succeeded PaymentIntent on
// its own, for no more than it received less what was refunded of it already. Pure.
import { invalidRequest, type DomainErrorData } from './errors';
import type { PaymentRecord } from './render/payment-intent';

export type RefundReason = 'duplicate' | 'fraudulent' | 'requested_by_customer';

export interface RefundRecord {
  id: string; // re_...
  paymentIntentId: string;
  chargeId: string | null;
  customerId: string | null;
  paymentMethod: string | null;
  creditNoteId: string | null;
  amount: number;
  currency: string;
  reason: RefundReason | null;
  status: 'succeeded';
  metadata: Record<string, string>;
  created: number;
}

export function amountReceivedOf(payment: PaymentRecord): number {
  if (payment.status !== 'succeeded') return 0;
  return payment.amountReceived ?? payment.amount;
}

// The refund a request asks for, or why it cannot be made: a PaymentIntent that pays an invoice
// is refunded by a credit note (its workflow holds what the invoice's payments have left).
export function directRefundAmount(
  payment: PaymentRecord,
  amountRefunded: number,
  requested: number | undefined,
): number {
  if (payment.invoiceId !== null) {
    throw invalidRequest(
      `This PaymentIntent pays invoice ${payment.invoiceId}: refund it with a credit note ` +
        '(POST /v1/credit_notes with refund_amount), so that the invoice shows the refund.',
      'charge_not_refundable',
      'payment_intent',
    );
  }
  const received = amountReceivedOf(payment);
  if (received === 0) {
    throw invalidRequest(
      `This PaymentIntent (${payment.id}) does not have a successful charge to refund.`,
      'charge_not_refundable',
      'payment_intent',
    );
  }
  const left = received - amountRefunded;
  if (left === 0) {
    throw invalidRequest(
      `Charge ${payment.latestCharge ?? payment.id} has already been refunded.`,
      'charge_already_refunded',
    );
  }
  const amount = requested ?? left;
  if (!Number.isSafeInteger(amount) || amount <= 0) {
    throw invalidRequest('Refund amount must be a positive integer.', 'parameter_invalid_integer', 'amount');
  }
  if (amount > left) {
    throw invalidRequest(
      `Refund amount (${amount}) is greater than unrefunded amount on charge (${left})`,
      'amount_too_large',
      'amount',
    );
  }
  return amount;
}

export function refundNotCancelable(refund: RefundRecord): DomainErrorData {
  return {
    status: 400,
    type: 'invalid_request_error',
    message: `Refund ${refund.id} cannot be canceled because it has a status of ${refund.status}. Only refunds with a status of requires_action can be canceled.`,
  };
}
