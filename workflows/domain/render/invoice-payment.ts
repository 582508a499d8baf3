// An invoice payment as Stripe's InvoicePayment (API 2026-10-28): always a PaymentIntent here.
import type Stripe from 'stripe';
import { invoicePaymentAmountRequested } from '../invoice-payment-records';
import type { InvoicePaymentRecord } from '../invoice-payment-types';
import type { InvoiceState } from '../types';

export function renderInvoicePayment(
  state: InvoiceState,
  payment: InvoicePaymentRecord,
): Stripe.InvoicePayment {
  return {
    id: payment.id,
    object: 'invoice_payment',
    amount_paid: payment.amountPaid,
    amount_requested: invoicePaymentAmountRequested(state, payment),
    created: payment.created,
    currency: state.currency,
    invoice: state.id,
    is_default: payment.isDefault,
    livemode: state.livemode,
    payment: { type: 'payment_intent', payment_intent: payment.paymentIntentId },
    status: payment.status,
    status_transitions: { canceled_at: payment.canceledAt, paid_at: payment.paidAt },
  };
}

// `payments` on an invoice (expand[]=payments): every one of them, oldest first, as Stripe lists them.
export function renderInvoicePaymentList(state: InvoiceState): Stripe.ApiList<Stripe.InvoicePayment> {
  return {
    object: 'list',
    data: (state.payments ?? []).map((payment) => renderInvoicePayment(state, payment)),
    has_more: false,
    url: `/v1/invoice_payments?invoice=${state.id}`,
  };
}
