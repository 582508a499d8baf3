// A refund on the wire, typed by the stripe package (API 2026-10-28.endive). Test-processor
// refunds succeed at once, to the card, with no balance transaction (no balance is kept here).
import type Stripe from 'stripe';
import type { RefundRecord } from '../refund';

export function renderRefund(refund: RefundRecord): Stripe.Refund {
  return {
    id: refund.id,
    object: 'refund',
    amount: refund.amount,
    balance_transaction: null,
    charge: refund.chargeId,
    created: refund.created,
    currency: refund.currency,
    customer: refund.customerId,
    customer_account: null,
    destination_details: { card: { type: 'refund' }, type: 'card' },
    metadata: { ...refund.metadata },
    payment_intent: refund.paymentIntentId,
    payment_method: refund.paymentMethod,
    reason: refund.reason,
    receipt_number: null,
    source_transfer_reversal: null,
    status: refund.status,
    transfer_reversal: null,
  };
}
