// A credit note as the invoice's state holds it (./credit-note-figures.ts says how one is
// figured, ./credit-note.ts how it is issued and voided). Shapes alone, so ./types.ts can hold
// them without a circle.
import type { Metadata } from './common-types';
import type { LineTax } from './tax';

export type CreditNoteReason = 'duplicate' | 'fraudulent' | 'order_change' | 'product_unsatisfactory';

export interface CreditNoteLine {
  id: string; // cnli_...
  type: 'invoice_line_item' | 'custom_line_item';
  invoiceLineItem: string | null;
  amount: number;
  quantity: number | null;
  unitAmount: number | null;
  description: string | null;
  metadata: Metadata;
  taxes?: LineTax[]; // an invoice line's rates applied to this credit (absent: none)
}

// A refund the note made of one of the invoice's paid PaymentIntents (./credit-note-refunds.ts).
export interface CreditNoteRefund {
  id: string; // re_...
  paymentIntentId: string; // pi_...
  amount: number;
}

export interface CreditNote {
  id: string; // cn_...
  number: string; // <invoice number>-CN-01
  amount: number;
  lines: CreditNoteLine[];
  prePaymentAmount: number;
  postPaymentAmount: number;
  creditAmount: number;
  refundAmount: number;
  outOfBandAmount: number;
  refundId: string | null; // the first refund's re_..., when refund_amount > 0
  refunds?: CreditNoteRefund[]; // absent on notes issued before refunds named their PaymentIntent
  balanceTransactionId: string | null; // the credit_note balance transaction, when credited
  memo: string | null;
  reason: CreditNoteReason | null;
  metadata: Metadata;
  status: 'issued' | 'void';
  created: number;
  effectiveAt: number;
  voidedAt: number | null;
}
