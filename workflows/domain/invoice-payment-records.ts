// Invoice payments (`inpay_`): which payment paid what on an invoice. The invoice's own
// PaymentIntent is its default payment, made at finalization; every PaymentIntent attached with
// attach_payment is another. They live in the invoice's state and change only with it.
import type { IdFactory } from './ids';
import { event } from './invoice-transition';
import { computeTotals } from './totals';
import type { InvoicePaymentRecord } from './invoice-payment-types';
import type { DomainEvent, InvoiceState } from './types';

export function paymentsOf(state: InvoiceState): InvoicePaymentRecord[] {
  return state.payments ?? [];
}

export function defaultPaymentOf(state: InvoiceState): InvoicePaymentRecord | null {
  return paymentsOf(state).find((payment) => payment.isDefault) ?? null;
}

export function paymentOfIntent(state: InvoiceState, paymentIntentId: string): InvoicePaymentRecord | null {
  return paymentsOf(state).find((payment) => payment.paymentIntentId === paymentIntentId) ?? null;
}

// Stripe keeps the open default payment in step with what is left to pay.
export function invoicePaymentAmountRequested(state: InvoiceState, payment: InvoicePaymentRecord): number {
  if (!payment.isDefault || payment.status !== 'open') return payment.amountRequested;
  return computeTotals(state).amountRemaining;
}

// The default payment made at finalization: the invoice's own PaymentIntent, for amount_due.
export function newDefaultPayment(ids: IdFactory, amountDue: number, now: number): InvoicePaymentRecord {
  return {
    id: ids('inpay'),
    paymentIntentId: ids('pi'),
    isDefault: true,
    amountRequested: amountDue,
    amountPaid: null,
    status: 'open',
    created: now,
    paidAt: null,
    canceledAt: null,
  };
}

// A PaymentIntent attached with attach_payment, waiting for its money (or paid at once).
export function newAttachedPayment(
  ids: IdFactory,
  paymentIntentId: string,
  amount: number,
  now: number,
): InvoicePaymentRecord {
  return {
    id: ids('inpay'),
    paymentIntentId,
    isDefault: false,
    amountRequested: amount,
    amountPaid: null,
    status: 'open',
    created: now,
    paidAt: null,
    canceledAt: null,
  };
}

export interface PaymentsChange {
  payments: InvoicePaymentRecord[];
  events: DomainEvent[];
}

function replaced(
  payments: InvoicePaymentRecord[],
  id: string,
  change: Partial<InvoicePaymentRecord>,
): InvoicePaymentRecord[] {
  return payments.map((payment) => (payment.id === id ? { ...payment, ...change } : payment));
}

// Money received by a payment: by the attached PaymentIntent it names, else by the invoice's
// own (a charge through pay, the hosted page or automatic collection). Out-of-band money is no
// invoice payment. invoice_payment.paid for the one paid.
export function recordPaymentReceived(
  state: InvoiceState,
  received: { amount: number; paymentIntentId?: string; outOfBand?: boolean },
  now: number,
  ids: IdFactory,
): PaymentsChange {
  const payments = paymentsOf(state);
  if (received.outOfBand) return { payments, events: [] };
  const payer =
    received.paymentIntentId !== undefined
      ? paymentOfIntent(state, received.paymentIntentId)
      : defaultPaymentOf(state);
  if (!payer || payer.status !== 'open') return { payments, events: [] };
  return {
    payments: replaced(payments, payer.id, {
      status: 'paid',
      amountPaid: received.amount,
      amountRequested: payer.isDefault ? computeTotals(state).amountRemaining : payer.amountRequested,
      paidAt: now,
    }),
    events: [{ ...event(ids, now, 'invoice_payment.paid'), objectId: payer.id }],
  };
}

// When the invoice closes (paid, void), open payments that will never pay it are canceled.
export function cancelOpenPayments(
  payments: InvoicePaymentRecord[],
  now: number,
  which: 'default' | 'all',
): InvoicePaymentRecord[] {
  return payments.map((payment) =>
    payment.status === 'open' && (which === 'all' || payment.isDefault)
      ? { ...payment, status: 'canceled' as const, canceledAt: now }
      : payment,
  );
}

// An attached PaymentIntent canceled before it paid: its invoice payment is canceled.
export function cancelPaymentOfIntent(
  state: InvoiceState,
  paymentIntentId: string,
  now: number,
): InvoicePaymentRecord[] {
  return paymentsOf(state).map((payment) =>
    payment.paymentIntentId === paymentIntentId && payment.status === 'open'
      ? { ...payment, status: 'canceled' as const, canceledAt: now }
      : payment,
  );
}

// What attached PaymentIntents still waiting for their money have asked of the invoice.
export function pendingAttachedAmount(state: InvoiceState): number {
  return paymentsOf(state)
    .filter((payment) => !payment.isDefault && payment.status === 'open')
    .reduce((sum, payment) => sum + payment.amountRequested, 0);
}
