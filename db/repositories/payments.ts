import type { Knex } from 'knex';
import { prepared } from '../prepared-statements';
import type { ChargeOutcome } from '../../workflows/domain/payment-methods';
import type { PaymentRecord } from '../../workflows/domain/render/payment-intent';
import type { Database } from '../connection';

type Executor = Database | Knex.Transaction;

interface PaymentRow {
  id: string;
  account_id: string;
  customer_id: string | null;
  invoice_id: string | null;
  amount: number;
  currency: string;
  payment_method: string;
  outcome: ChargeOutcome;
  metadata: Record<string, string>;
  description: string | null;
  created: number;
}

function fromRow(row: PaymentRow): PaymentRecord {
  return {
    id: row.id,
    amount: row.amount,
    currency: row.currency,
    customerId: row.customer_id,
    invoiceId: row.invoice_id,
    paymentMethod: row.payment_method,
    outcome: row.outcome,
    metadata: row.metadata,
    description: row.description,
    created: row.created,
  };
}

// Inserts a charge under its idempotency key; when the key exists, the first charge wins and
// is returned instead (a retry never charges twice).
export async function recordPayment(
  db: Executor,
  accountId: string,
  payment: PaymentRecord,
  idempotencyKey: string,
): Promise<PaymentRecord> {
  // A retry after a commit finds its key taken: the payment recorded then is the answer.
  const inserted = (await prepared(
    db('payments')
      .insert({
        id: payment.id,
        account_id: accountId,
        customer_id: payment.customerId,
        invoice_id: payment.invoiceId,
        amount: payment.amount,
        currency: payment.currency,
        payment_method: payment.paymentMethod,
        status: payment.outcome.status,
        outcome: JSON.stringify(payment.outcome),
        metadata: JSON.stringify(payment.metadata),
        description: payment.description,
        idempotency_key: idempotencyKey,
        created: payment.created,
      })
      .onConflict('idempotency_key')
      .ignore()
      .returning('*'),
  )) as PaymentRow[];
  if (inserted.length > 0) return fromRow(inserted[0]);
  return (await findPaymentByKey(db, idempotencyKey)) as PaymentRecord;
}

export async function findPaymentByKey(db: Executor, idempotencyKey: string): Promise<PaymentRecord | null> {
  const row = (await prepared(db('payments').where({ idempotency_key: idempotencyKey })).first()) as
    PaymentRow | undefined;
  return row ? fromRow(row) : null;
}

export async function findPayment(
  db: Executor,
  accountId: string,
  id: string,
  options: { forUpdate?: boolean } = {},
): Promise<PaymentRecord | null> {
  let query = db('payments').where({ account_id: accountId, id });
  if (options.forUpdate) query = query.forUpdate();
  const row = (await query.first()) as PaymentRow | undefined;
  return row ? fromRow(row) : null;
}

export async function assignPaymentToInvoice(
  trx: Knex.Transaction,
  id: string,
  invoiceId: string,
): Promise<void> {
  await trx('payments').where({ id }).update({ invoice_id: invoiceId });
}

// A charge attempt on an invoice's own PaymentIntent: one row per PaymentIntent, moved by each
// attempt. An attempt whose key is already the row's was made (a retry after a commit): its
// outcome is the answer and nothing moves.
export async function recordInvoiceCharge(
  db: Executor,
  accountId: string,
  payment: PaymentRecord,
  idempotencyKey: string,
): Promise<PaymentRecord> {
  const rows = (await db.raw(
    `insert into payments (id, account_id, customer_id, invoice_id, amount, currency, payment_method,
       status, outcome, metadata, description, idempotency_key, created, attempts)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, '{}', null, ?, ?, 1)
     on conflict (id) do update set amount = excluded.amount, payment_method = excluded.payment_method,
       status = excluded.status, outcome = excluded.outcome, idempotency_key = excluded.idempotency_key,
       attempts = payments.attempts + 1
     where payments.idempotency_key <> excluded.idempotency_key
     returning *`,
    [
      payment.id,
      accountId,
      payment.customerId,
      payment.invoiceId,
      payment.amount,
      payment.currency,
      payment.paymentMethod,
      payment.outcome.status,
      JSON.stringify(payment.outcome),
      idempotencyKey,
      payment.created,
    ],
  )) as { rows: PaymentRow[] };
  if (rows.rows.length > 0) return fromRow(rows.rows[0]);
  return (await findPaymentByKey(db, idempotencyKey)) as PaymentRecord;
}
