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
  refundId: string | null; // re_... when refund_amount > 0
  balanceTransactionId: string | null; // the credit_note balance transaction, when credited
  memo: string | null;
  reason: CreditNoteReason | null;
  metadata: Metadata;
  status: 'issued' | 'void';
  created: number;
  effectiveAt: number;
  voidedAt: number | null;
}
