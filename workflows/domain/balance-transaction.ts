// A customer balance transaction as the ledger holds it: one immutable row per change to a
// customer's balance. amount < 0 credits the customer, > 0 is a debit; endingBalance is the
// customer's balance right after this row. Only description and metadata change later.
import { invalidRequest, type DomainError } from './errors';
import type { BalanceTransactionType } from './invoice-transition';
import type { Metadata } from './types';

// The invoice-caused types, plus the two a caller causes: 'adjustment' (POST .../balance_transactions
// or a customer update of `balance`) and 'initial' (a customer created with a `balance`).
export type CustomerBalanceTransactionType = BalanceTransactionType | 'adjustment' | 'initial';

export interface CustomerBalanceTransactionRecord {
  id: string; // cbtxn_...
  accountId: string;
  customerId: string;
  amount: number; // minor units
  currency: string;
  endingBalance: number; // minor units
  type: CustomerBalanceTransactionType;
  invoiceId: string | null;
  description: string | null;
  metadata: Metadata;
  created: number;
}

// Same bound as a customer's `balance` parameter, so any balance a transaction makes could also
// have been set directly.
export const MAX_BALANCE_TRANSACTION_AMOUNT = 99_999_999_999;

// A customer holds one balance in one currency: the first balance transaction or invoice sets it,
// and a different currency afterwards is refused (Stripe: "Can't combine currencies on a single
// customer").
export function currencyConflict(customerCurrency: string | null, currency: string): DomainError | null {
  if (customerCurrency === null || customerCurrency === currency) return null;
  return invalidRequest(
    `Can't combine currencies on a single customer. This customer has had a balance transaction or invoice with currency ${customerCurrency}.`,
    undefined,
    'currency',
  );
}
