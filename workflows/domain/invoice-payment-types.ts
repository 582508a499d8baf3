// An invoice payment (`inpay_`) as the invoice's state holds it (./invoice-payment-records.ts
// says how they change). A shape alone, so ./types.ts can hold it without a circle.
export type InvoicePaymentStatus = 'open' | 'paid' | 'canceled';

export interface InvoicePaymentRecord {
  id: string; // inpay_...
  paymentIntentId: string; // pi_...
  isDefault: boolean;
  // What this payment is meant to pay. The default one follows the invoice's amount_remaining
  // while it is open (invoicePaymentAmountRequested).
  amountRequested: number;
  amountPaid: number | null; // null until paid
  status: InvoicePaymentStatus;
  created: number;
  paidAt: number | null;
  canceledAt: number | null;
}
