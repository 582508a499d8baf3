// The customer balance ledger: every change to customers.balance is one row here, written in the
// caller's transaction together with the new balance, so the two never disagree.
import type { Knex } from 'knex';
import {
  currencyConflict,
  type CustomerBalanceTransactionRecord,
  type CustomerBalanceTransactionType,
} from '../../workflows/domain/balance-transaction';
import { resourceMissing } from '../../workflows/domain/errors';
import { normalizeCurrency } from '../../workflows/domain/money';
import type { Metadata } from '../../workflows/domain/types';
import type { Database } from '../connection';

type Executor = Database | Knex.Transaction;

export interface BalanceTransactionRow {
  seq: number;
  id: string;
  account_id: string;
  customer_id: string;
  amount: number;
  currency: string;
  ending_balance: number;
  type: CustomerBalanceTransactionType;
  invoice_id: string | null;
  description: string | null;
  metadata: Metadata;
  created: number;
}

export interface RecordBalanceTransactionInput {
  accountId: string;
  customerId: string;
  id: string; // cbtxn_..., chosen by the caller: the same id twice records once
  amount: number;
  currency: string;
  type: CustomerBalanceTransactionType;
  invoiceId: string | null;
  description: string | null;
  metadata: Metadata;
  created: number;
}

export function balanceTransactionFromRow(row: BalanceTransactionRow): CustomerBalanceTransactionRecord {
  return {
    id: row.id,
    accountId: row.account_id,
    customerId: row.customer_id,
    amount: row.amount,
    currency: row.currency,
    endingBalance: row.ending_balance,
    type: row.type,
    invoiceId: row.invoice_id,
    description: row.description,
    metadata: row.metadata,
    created: row.created,
  };
}

const TABLE = 'customer_balance_transactions';

// Records the transaction and moves the customer's balance by its amount, once per id: a retried
// activity (or request) that calls again with the same id gets the row it wrote the first time,
// with inserted=false, and the balance does not move again. Deleted customers are included: an
// invoice may still settle against a customer deleted after it was created; callers that must
// refuse deleted customers (the API) check before calling.
export async function recordBalanceTransaction(
  trx: Knex.Transaction,
  input: RecordBalanceTransactionInput,
): Promise<{ record: CustomerBalanceTransactionRecord; inserted: boolean }> {
  // The customer row lock serialises every writer of this customer's balance (and every writer
  // of the same id, which names one customer), so the checks below cannot race.
  const customer = (await trx('customers')
    .where({ account_id: input.accountId, id: input.customerId })
    .forUpdate()
    .first('balance', 'currency')) as { balance: number; currency: string | null } | undefined;
  if (!customer) throw resourceMissing('customer', input.customerId);

  const existing = (await trx(TABLE).where({ id: input.id }).first()) as BalanceTransactionRow | undefined;
  if (existing) return { record: sameTransaction(existing, input), inserted: false };

  const currency = normalizeCurrency(input.currency);
  const conflict = currencyConflict(customer.currency, currency);
  if (conflict) throw conflict;

  const endingBalance = customer.balance + input.amount;
  const [row] = (await trx(TABLE)
    .insert({
      id: input.id,
      account_id: input.accountId,
      customer_id: input.customerId,
      amount: input.amount,
      currency,
      ending_balance: endingBalance,
      type: input.type,
      invoice_id: input.invoiceId,
      description: input.description,
      metadata: JSON.stringify(input.metadata),
      created: input.created,
    })
    .onConflict('id')
    .ignore()
    .returning('*')) as BalanceTransactionRow[];
  if (!row) {
    // Only reachable if the id was written for another customer (whose lock we do not hold).
    const other = (await trx(TABLE).where({ id: input.id }).first()) as BalanceTransactionRow;
    return { record: sameTransaction(other, input), inserted: false };
  }
  await trx('customers')
    .where({ account_id: input.accountId, id: input.customerId })
    .update({ balance: endingBalance, currency: customer.currency ?? currency });
  return { record: balanceTransactionFromRow(row), inserted: true };
}

// A reused id must name the same customer: anything else is a bug in the caller, not a retry.
function sameTransaction(
  row: BalanceTransactionRow,
  input: RecordBalanceTransactionInput,
): CustomerBalanceTransactionRecord {
  if (row.account_id !== input.accountId || row.customer_id !== input.customerId) {
    throw new Error(`balance transaction ${input.id} already belongs to another customer`);
  }
  return balanceTransactionFromRow(row);
}

export async function findBalanceTransaction(
  db: Executor,
  accountId: string,
  customerId: string,
  id: string,
  options: { forUpdate?: boolean } = {},
): Promise<CustomerBalanceTransactionRecord | null> {
  let query = db(TABLE).where({ account_id: accountId, customer_id: customerId, id });
  if (options.forUpdate) query = query.forUpdate();
  const row = (await query.first()) as BalanceTransactionRow | undefined;
  return row ? balanceTransactionFromRow(row) : null;
}

// The account- and customer-scoped query that list endpoints filter and paginate.
export function balanceTransactionsOf(
  db: Executor,
  accountId: string,
  customerId: string,
): Knex.QueryBuilder {
  return db(TABLE).where({ account_id: accountId, customer_id: customerId });
}

// Every transaction of one invoice, oldest first (what the invoice moved on the balance).
export async function listInvoiceBalanceTransactions(
  db: Executor,
  accountId: string,
  invoiceId: string,
): Promise<CustomerBalanceTransactionRecord[]> {
  const rows = (await db(TABLE)
    .where({ account_id: accountId, invoice_id: invoiceId })
    .orderBy('seq', 'asc')) as BalanceTransactionRow[];
  return rows.map(balanceTransactionFromRow);
}

// Only description and metadata ever change (Stripe: the rest of a transaction is immutable).
export async function updateBalanceTransactionDetails(
  db: Executor,
  transaction: CustomerBalanceTransactionRecord,
): Promise<void> {
  await db(TABLE)
    .where({ account_id: transaction.accountId, id: transaction.id })
    .update({ description: transaction.description, metadata: JSON.stringify(transaction.metadata) });
}
