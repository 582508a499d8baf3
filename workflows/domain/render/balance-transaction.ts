import type Stripe from 'stripe';
import type { CustomerBalanceTransactionRecord } from '../balance-transaction';

export function renderBalanceTransaction(
  transaction: CustomerBalanceTransactionRecord,
): Stripe.CustomerBalanceTransaction {
  return {
    id: transaction.id,
    object: 'customer_balance_transaction',
    amount: transaction.amount,
    checkout_session: null,
    created: transaction.created,
    credit_note: null,
    currency: transaction.currency,
    customer: transaction.customerId,
    customer_account: null,
    description: transaction.description,
    ending_balance: transaction.endingBalance,
    invoice: transaction.invoiceId,
    livemode: false,
    metadata: transaction.metadata,
    type: transaction.type,
  };
}
