// Refunds of the test processor (table `refunds`), scoped by account. A refund is inserted once
// under its id (derived from the request's Idempotency-Key, or the credit note's, made by the
// invoice's workflow), with what it takes off its PaymentIntent and its refund.created event in
// the same transaction: a retried write finds it and moves nothing.
import type { Knex } from 'knex';
import type { RefundReason, RefundRecord } from '../../workflows/domain/refund';
import { renderRefund } from '../../workflows/domain/render/refund';
import type { Database } from '../connection';
import { newId } from '../random-ids';
import { insertEvents } from './invoices';

type Executor = Database | Knex.Transaction;

export interface RefundRow {
  seq: number;
  id: string;
  account_id: string;
  payment_intent_id: string;
  charge_id: string | null;
  customer_id: string | null;
  payment_method: string | null;
  credit_note_id: string | null;
  amount: number;
  currency: string;
  reason: RefundReason | null;
  status: 'succeeded';
  metadata: Record<string, string>;
  created: number;
}

export function refundOfRow(row: RefundRow): RefundRecord {
  return {
    id: row.id,
    paymentIntentId: row.payment_intent_id,
    chargeId: row.charge_id,
    customerId: row.customer_id,
    paymentMethod: row.payment_method,
    creditNoteId: row.credit_note_id,
    amount: Number(row.amount),
    currency: row.currency,
    reason: row.reason,
    status: row.status,
    metadata: row.metadata,
    created: Number(row.created),
  };
}

async function insertRefundEvent(
  trx: Knex.Transaction,
  accountId: string,
  refund: RefundRecord,
): Promise<void> {
  await insertEvents(
    trx,
    accountId,
    refund.id,
    [{ id: newId('evt'), type: 'refund.created', created: refund.created }],
    renderRefund(refund) as unknown as Record<string, unknown>,
  );
}

// Records a refund once. Its PaymentIntent's refunded amount grows only while it stays within what
// the PaymentIntent received; callers checked that under the row's lock, so a refusal here is a bug.
export async function insertRefund(
  trx: Knex.Transaction,
  accountId: string,
  refund: RefundRecord,
): Promise<{ refund: RefundRecord; inserted: boolean }> {
  const inserted = (await trx('refunds')
    .insert({
      id: refund.id,
      account_id: accountId,
      payment_intent_id: refund.paymentIntentId,
      charge_id: refund.chargeId,
      customer_id: refund.customerId,
      payment_method: refund.paymentMethod,
      credit_note_id: refund.creditNoteId,
      amount: refund.amount,
      currency: refund.currency,
      reason: refund.reason,
      status: refund.status,
      metadata: JSON.stringify(refund.metadata),
      created: refund.created,
    })
    .onConflict('id')
    .ignore()
    .returning('*')) as RefundRow[];
  if (inserted.length === 0) {
    const existing = (await findRefund(trx, accountId, refund.id)) as RefundRecord;
    return { refund: existing, inserted: false };
  }
  const moved = await trx('payments')
    .where({ account_id: accountId, id: refund.paymentIntentId })
    .andWhereRaw('amount_refunded + ? <= coalesce(amount_received, amount)', [refund.amount])
    .update({ amount_refunded: trx.raw('amount_refunded + ?', [refund.amount]) });
  if (moved !== 1) {
    throw new Error(
      `refund ${refund.id} of ${refund.amount} exceeds what ${refund.paymentIntentId} has left`,
    );
  }
  const made = refundOfRow(inserted[0]);
  await insertRefundEvent(trx, accountId, made);
  return { refund: made, inserted: true };
}

export async function findRefund(db: Executor, accountId: string, id: string): Promise<RefundRecord | null> {
  const row = (await db('refunds').where({ account_id: accountId, id }).first()) as RefundRow | undefined;
  return row ? refundOfRow(row) : null;
}

export async function updateRefundMetadata(
  db: Executor,
  accountId: string,
  id: string,
  metadata: Record<string, string>,
): Promise<RefundRecord | null> {
  const [row] = (await db('refunds')
    .where({ account_id: accountId, id })
    .update({ metadata: JSON.stringify(metadata) })
    .returning('*')) as RefundRow[];
  return row ? refundOfRow(row) : null;
}

export function refundsOf(
  db: Executor,
  accountId: string,
  filters: { paymentIntent?: string; charge?: string },
): Knex.QueryBuilder {
  let query = db('refunds').where({ account_id: accountId });
  if (filters.paymentIntent !== undefined)
    query = query.andWhere({ payment_intent_id: filters.paymentIntent });
  if (filters.charge !== undefined) query = query.andWhere({ charge_id: filters.charge });
  return query;
}
