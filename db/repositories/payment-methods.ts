// Payment methods of an account, each made from one of Stripe's test cards. A pm_card_* id is
// the test card itself (any account may use it); a pm_... made here charges as its `card`.
import type { Knex } from 'knex';
import { findTestPaymentMethod, type TestPaymentMethod } from '../../workflows/domain/payment-methods';
import type { Database } from '../connection';

type Executor = Database | Knex.Transaction;

export interface PaymentMethodRow {
  seq: number;
  id: string;
  account_id: string;
  customer_id: string | null;
  card: string;
  metadata: Record<string, string>;
  created: number;
}

export async function insertPaymentMethod(db: Executor, row: Omit<PaymentMethodRow, 'seq'>): Promise<void> {
  await db('payment_methods').insert({ ...row, metadata: JSON.stringify(row.metadata) });
}

export async function findPaymentMethodRow(
  db: Executor,
  accountId: string,
  id: string,
  options: { forUpdate?: boolean } = {},
): Promise<PaymentMethodRow | null> {
  let query = db('payment_methods').where({ account_id: accountId, id });
  if (options.forUpdate) query = query.forUpdate();
  const row = (await query.first()) as PaymentMethodRow | undefined;
  return row ? { ...row, created: Number(row.created) } : null;
}

export async function setPaymentMethodCustomer(
  db: Executor,
  id: string,
  customerId: string | null,
): Promise<void> {
  await db('payment_methods').where({ id }).update({ customer_id: customerId });
}

export function paymentMethodsOf(db: Executor, accountId: string, customerId: string): Knex.QueryBuilder {
  return db('payment_methods').where({ account_id: accountId, customer_id: customerId });
}

// The test card a payment method id charges as, in this account; null: no such payment method.
export async function resolveTestPaymentMethod(
  db: Executor,
  accountId: string,
  id: string,
): Promise<TestPaymentMethod | null> {
  const builtIn = findTestPaymentMethod(id);
  if (builtIn) return builtIn;
  if (!id.startsWith('pm_')) return null;
  const row = await findPaymentMethodRow(db, accountId, id);
  return row ? findTestPaymentMethod(row.card) : null;
}
