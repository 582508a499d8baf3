// PaymentIntents of the test-mode processor (table `payments`): made confirmed or not by the API,
// made by an invoice for its own charges, confirmed, canceled and captured. Scoped by account.
import type { Knex } from 'knex';
import { prepared } from '../prepared-statements';
import type { ChargeOutcome } from '../../workflows/domain/payment-methods';
import { statusOfRow, type CaptureMethod } from '../../workflows/domain/payment-intent';
import type { PaymentRecord } from '../../workflows/domain/render/payment-intent';
import type { Database } from '../connection';
import { recordIntentCreated } from './payment-intent-events';
import { newClientSecret } from '../random-ids';

type Executor = Database | Knex.Transaction;

export interface PaymentRow {
  seq: number;
  id: string;
  account_id: string;
  customer_id: string | null;
  invoice_id: string | null;
  amount: number;
  currency: string;
  payment_method: string | null;
  status: string;
  outcome: ChargeOutcome | null;
  metadata: Record<string, string>;
  description: string | null;
  idempotency_key: string;
  created: number;
  attempts: number;
  capture_method: CaptureMethod | null;
  confirmation_method: 'automatic' | 'manual' | null;
  canceled_at: number | null;
  cancellation_reason: string | null;
  latest_charge: string | null;
  amount_received: number | null;
  amount_refunded: number;
  client_secret: string | null;
}

export function fromRow(row: PaymentRow): PaymentRecord {
  return {
    id: row.id,
    amount: Number(row.amount),
    currency: row.currency,
    customerId: row.customer_id,
    invoiceId: row.invoice_id,
    paymentMethod: row.payment_method,
    outcome: row.outcome,
    status: statusOfRow(row.status),
    captureMethod: row.capture_method ?? 'automatic',
    confirmationMethod: row.confirmation_method ?? 'automatic',
    canceledAt: row.canceled_at === null || row.canceled_at === undefined ? null : Number(row.canceled_at),
    cancellationReason: row.cancellation_reason ?? null,
    latestCharge: row.latest_charge ?? null,
    amountReceived:
      row.amount_received === null || row.amount_received === undefined ? null : Number(row.amount_received),
    metadata: row.metadata,
    description: row.description,
    created: Number(row.created),
    clientSecret: row.client_secret ?? null,
  };
}

function columnsOf(accountId: string, payment: PaymentRecord, idempotencyKey: string) {
  return {
    id: payment.id,
    account_id: accountId,
    customer_id: payment.customerId,
    invoice_id: payment.invoiceId,
    amount: payment.amount,
    currency: payment.currency,
    payment_method: payment.paymentMethod,
    status: payment.status,
    outcome: payment.outcome === null ? null : JSON.stringify(payment.outcome),
    metadata: JSON.stringify(payment.metadata),
    description: payment.description,
    idempotency_key: idempotencyKey,
    created: payment.created,
    capture_method: payment.captureMethod,
    confirmation_method: payment.confirmationMethod,
    canceled_at: payment.canceledAt,
    cancellation_reason: payment.cancellationReason,
    latest_charge: payment.latestCharge,
    amount_received: payment.amountReceived,
    client_secret: payment.clientSecret ?? newClientSecret(payment.id),
  };
}

// Inserts a PaymentIntent under its idempotency key, with its payment_intent.created event; when
// the key exists, the first one wins and is returned instead (a retry never charges twice nor
// announces the PaymentIntent again).
export async function recordPayment(
  db: Executor,
  accountId: string,
  payment: PaymentRecord,
  idempotencyKey: string,
): Promise<PaymentRecord> {
  const insert = async (trx: Knex.Transaction): Promise<PaymentRecord> => {
    const inserted = (await prepared(
      trx('payments')
        .insert({
          ...columnsOf(accountId, payment, idempotencyKey),
          attempts: payment.outcome === null ? 0 : 1,
        })
        .onConflict('idempotency_key')
        .ignore()
        .returning('*'),
    )) as PaymentRow[];
    if (inserted.length === 0) return (await findPaymentByKey(trx, idempotencyKey)) as PaymentRecord;
    const made = fromRow(inserted[0]);
    await recordIntentCreated(trx, accountId, made);
    return made;
  };
  return isTransaction(db) ? insert(db) : db.transaction(insert);
}

function isTransaction(db: Executor): db is Knex.Transaction {
  return (db as Knex.Transaction).isTransaction === true;
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
  const row = await findPaymentRow(db, accountId, id, options);
  return row ? fromRow(row) : null;
}

export async function findPaymentRow(
  db: Executor,
  accountId: string,
  id: string,
  options: { forUpdate?: boolean } = {},
): Promise<PaymentRow | null> {
  let query = db('payments').where({ account_id: accountId, id });
  if (options.forUpdate) query = query.forUpdate();
  return ((await query.first()) as PaymentRow | undefined) ?? null;
}

export async function assignPaymentToInvoice(
  trx: Knex.Transaction,
  id: string,
  invoiceId: string,
): Promise<void> {
  await trx('payments').where({ id }).update({ invoice_id: invoiceId });
}

// Moves a PaymentIntent (a confirm, cancel or capture) under the key of that step: the row's
// key is then the last step's, so the step retried after its commit finds it and moves nothing.
export async function movePayment(
  trx: Knex.Transaction,
  payment: PaymentRecord,
  idempotencyKey: string,
  countsAttempt: boolean,
): Promise<PaymentRecord> {
  const [row] = (await trx('payments')
    .where({ id: payment.id })
    .update({
      payment_method: payment.paymentMethod,
      status: payment.status,
      outcome: payment.outcome === null ? null : JSON.stringify(payment.outcome),
      idempotency_key: idempotencyKey,
      canceled_at: payment.canceledAt,
      cancellation_reason: payment.cancellationReason,
      latest_charge: payment.latestCharge,
      amount_received: payment.amountReceived,
      metadata: JSON.stringify(payment.metadata),
      description: payment.description,
      ...(countsAttempt ? { attempts: trx.raw('attempts + 1') } : {}),
    })
    .returning('*')) as PaymentRow[];
  return fromRow(row);
}

// A charge attempt on an invoice's own PaymentIntent: one row per PaymentIntent, moved by each
// attempt. An attempt whose key is already the row's was made (a retry after a commit): its
// outcome is the answer and nothing moves.
export async function recordInvoiceCharge(
  db: Executor,
  accountId: string,
  payment: PaymentRecord,
  idempotencyKey: string,
): Promise<{ payment: PaymentRecord; moved: boolean; inserted: boolean }> {
  const rows = (await db.raw(
    `insert into payments (id, account_id, customer_id, invoice_id, amount, currency, payment_method,
       status, outcome, metadata, description, idempotency_key, created, attempts, latest_charge,
       client_secret)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, '{}', null, ?, ?, 1, ?, ?)
     on conflict (id) do update set amount = excluded.amount, payment_method = excluded.payment_method,
       status = excluded.status, outcome = excluded.outcome, idempotency_key = excluded.idempotency_key,
       latest_charge = excluded.latest_charge, attempts = payments.attempts + 1
     where payments.idempotency_key <> excluded.idempotency_key
     returning *, (xmax = 0) as inserted`,
    [
      payment.id,
      accountId,
      payment.customerId,
      payment.invoiceId,
      payment.amount,
      payment.currency,
      payment.paymentMethod,
      payment.status,
      JSON.stringify(payment.outcome),
      idempotencyKey,
      payment.created,
      payment.latestCharge,
      payment.clientSecret ?? newClientSecret(payment.id),
    ],
  )) as { rows: (PaymentRow & { inserted: boolean })[] };
  const [row] = rows.rows;
  if (row) return { payment: fromRow(row), moved: true, inserted: row.inserted };
  const made = (await findPaymentByKey(db, idempotencyKey)) as PaymentRecord;
  return { payment: made, moved: false, inserted: false };
}

// The PaymentIntents of invoices that closed (paid another way, voided): canceled, unless their
// money already came.
export async function cancelPaymentsOfInvoice(
  trx: Knex.Transaction,
  ids: string[],
  canceledAt: number,
  reason: string,
): Promise<PaymentRecord[]> {
  if (ids.length === 0) return [];
  const rows = (await trx('payments')
    .whereIn('id', ids)
    .whereNotIn('status', ['succeeded', 'canceled'])
    .update({ status: 'canceled', canceled_at: canceledAt, cancellation_reason: reason })
    .returning('*')) as PaymentRow[];
  return rows.map(fromRow);
}

export function paymentsOf(
  db: Executor,
  accountId: string,
  filters: { customer?: string },
): Knex.QueryBuilder {
  let query = db('payments').where({ account_id: accountId });
  if (filters.customer !== undefined) query = query.andWhere({ customer_id: filters.customer });
  return query;
}

// An invoice's own PaymentIntent, made with its default payment at finalization, with its
// payment_intent.created event; its charges move it (recordInvoiceCharge). A retried finalization
// finds it there and announces nothing again.
export async function createInvoicePaymentIntent(
  trx: Knex.Transaction,
  accountId: string,
  payment: PaymentRecord,
): Promise<void> {
  const inserted = (await trx('payments')
    .insert({ ...columnsOf(accountId, payment, `${payment.id}:created`), attempts: 0 })
    .onConflict('id')
    .ignore()
    .returning('*')) as PaymentRow[];
  if (inserted.length > 0) await recordIntentCreated(trx, accountId, fromRow(inserted[0]));
}

// The PaymentIntent whose latest charge this is (charges are not kept apart from it).
export async function findPaymentIdByCharge(
  db: Executor,
  accountId: string,
  chargeId: string,
): Promise<string | null> {
  const row = (await db('payments').where({ account_id: accountId, latest_charge: chargeId }).first('id')) as
    { id: string } | undefined;
  return row?.id ?? null;
}
