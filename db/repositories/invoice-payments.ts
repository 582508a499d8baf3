// The invoice payments projection: each invoice's payments as its workflow holds them, written
// with the invoice (activities/invoice-change.ts), read by /v1/invoice_payments. Scoped by account.
import type { Knex } from 'knex';
import type Stripe from 'stripe';
import { renderInvoicePayment } from '../../workflows/domain/render/invoice-payment';
import type { InvoiceState } from '../../workflows/domain/types';
import type { Database } from '../connection';

type Executor = Database | Knex.Transaction;

export interface InvoicePaymentRow {
  seq: number;
  id: string;
  body: Stripe.InvoicePayment;
}

// Inserts new payments and rewrites the others (the default one follows amount_remaining); a
// replayed write changes nothing. Oldest first, so `seq` orders them as the invoice does.
export async function syncInvoicePayments(trx: Knex.Transaction, state: InvoiceState): Promise<void> {
  const payments = state.payments ?? [];
  if (payments.length === 0) return;
  await trx('invoice_payments')
    .insert(
      payments.map((payment) => ({
        id: payment.id,
        account_id: state.accountId,
        invoice_id: state.id,
        payment_intent_id: payment.paymentIntentId,
        status: payment.status,
        created: payment.created,
        body: JSON.stringify(renderInvoicePayment(state, payment)),
      })),
    )
    .onConflict(['account_id', 'id'])
    .merge(['status', 'body']);
}

export async function findInvoicePayment(
  db: Executor,
  accountId: string,
  id: string,
): Promise<Stripe.InvoicePayment | null> {
  const row = (await db('invoice_payments').where({ account_id: accountId, id }).first('body')) as
    Pick<InvoicePaymentRow, 'body'> | undefined;
  return row?.body ?? null;
}

export interface InvoicePaymentFilters {
  invoice?: string;
  paymentIntent?: string;
  status?: string;
}

export function invoicePaymentsOf(
  db: Executor,
  accountId: string,
  filters: InvoicePaymentFilters,
): Knex.QueryBuilder {
  let query = db('invoice_payments').where({ account_id: accountId });
  if (filters.invoice !== undefined) query = query.andWhere({ invoice_id: filters.invoice });
  if (filters.paymentIntent !== undefined)
    query = query.andWhere({ payment_intent_id: filters.paymentIntent });
  if (filters.status !== undefined) query = query.andWhere({ status: filters.status });
  return query;
}
