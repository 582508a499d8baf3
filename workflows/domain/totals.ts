// The invoice's money figures, derived from its lines and the balance frozen at finalization.
// total = subtotal − discounts + exclusive tax (inclusive tax is already inside the lines'
// amounts). Discounts come first (invoice-discounts.ts), tax is computed on what they leave of
// each line (tax.ts, invoice-taxes.ts); the balance and the minimum charge come after both.
import { creditNoteTotals } from './credit-note-totals';
import { invoiceAdjustments } from './invoice-adjustments';
import { minimumChargeAmount, sumAmounts } from './money';
import type { InvoiceLine, InvoiceState, InvoiceTotals } from './types';

export function subtotalOf(lines: readonly InvoiceLine[]): number {
  return sumAmounts(lines.map((line) => line.amount));
}

// Before finalization nothing has been taken from the customer's balance, so what is due is the
// total plus whatever starting balance the draft shows (0 unless the caller previews it).
// From finalization on, the balance ledger is closed for this invoice and conservation holds:
//   starting_balance + total = amount_due + ending_balance
// which also covers the minimum-charge case (amount due moved into a positive ending balance).
export function computeTotals(state: InvoiceState): InvoiceTotals {
  const subtotal = subtotalOf(state.lines);
  const { discounts, taxes } = invoiceAdjustments(state);
  const total = subtotal - discounts.total + taxes.exclusive;
  // Credit notes' pre-payment parts lower what is due (never below zero: they are capped).
  const amountDue =
    state.status === 'draft' || state.endingBalance === null
      ? Math.max(0, total + state.startingBalance)
      : total + state.startingBalance - state.endingBalance - creditNoteTotals(state).pre;
  return {
    subtotal,
    total,
    amountDue,
    amountPaid: state.amountPaid,
    // Void and uncollectible invoices keep their figures: Stripe leaves amounts as they were.
    amountRemaining: Math.max(0, amountDue - state.amountPaid),
    amountOverpaid: Math.max(0, state.amountPaid - amountDue),
    startingBalance: state.startingBalance,
    endingBalance: state.status === 'draft' ? null : state.endingBalance,
  };
}

export interface BalanceApplication {
  startingBalance: number; // the customer's balance just before finalization
  endingBalance: number; // the customer's balance after this invoice took what it could
  amountDue: number;
  balanceChange: number; // the applied_to_invoice transaction amount (0: none)
}

// Negative balance is credit: it pays the total down and the rest stays with the customer.
// Positive balance is debt: it is added to what is due and the balance returns to 0.
export function applyCustomerBalance(total: number, customerBalance: number): BalanceApplication {
  const combined = total + customerBalance;
  const endingBalance = Math.min(0, combined);
  return {
    startingBalance: customerBalance,
    endingBalance,
    amountDue: Math.max(0, combined),
    balanceChange: endingBalance - customerBalance,
  };
}

export function belowMinimumCharge(amountDue: number, currency: string): boolean {
  return amountDue > 0 && amountDue < minimumChargeAmount(currency);
}

export interface FinalizedAmounts extends BalanceApplication {
  // Amount due too small to charge, moved onto the customer's balance (invoice_too_small).
  carriedToBalance: number;
  // Nothing is left to collect: the invoice is paid the moment it is finalized.
  paidAtOnce: boolean;
}

// What finalization does to the money: apply the balance, then the minimum-charge rule.
export function finalizedAmounts(total: number, customerBalance: number, currency: string): FinalizedAmounts {
  const applied = applyCustomerBalance(total, customerBalance);
  if (belowMinimumCharge(applied.amountDue, currency)) {
    return {
      ...applied,
      amountDue: 0,
      endingBalance: applied.endingBalance + applied.amountDue,
      carriedToBalance: applied.amountDue,
      paidAtOnce: true,
    };
  }
  return { ...applied, carriedToBalance: 0, paidAtOnce: applied.amountDue === 0 };
}
