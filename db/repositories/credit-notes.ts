// The credit notes projection: each invoice's credit notes as its workflow holds them, written
// with the invoice (activities/invoice-change.ts), read by /v1/credit_notes. Scoped by account.
import type { Knex } from 'knex';
import type { CreditNote } from '../../workflows/domain/credit-note-types';
import type { InvoiceState } from '../../workflows/domain/types';
import type { Database } from '../connection';

type Executor = Database | Knex.Transaction;

export interface StoredCreditNote {
  note: CreditNote;
  accountId: string;
  invoiceId: string;
  customerId: string;
  currency: string;
  livemode: boolean;
}

export interface CreditNoteRow {
  seq: number;
  id: string;
  data: StoredCreditNote;
}

export function storedOf(state: InvoiceState, note: CreditNote): StoredCreditNote {
  return {
    note,
    accountId: state.accountId,
    invoiceId: state.id,
    customerId: state.customerId,
    currency: state.currency,
    livemode: state.livemode,
  };
}

// Inserts new notes and rewrites changed ones (a void, a memo); a replayed write changes nothing.
export async function syncCreditNotes(trx: Knex.Transaction, state: InvoiceState): Promise<void> {
  const notes = state.creditNotes ?? [];
  if (notes.length === 0) return;
  await trx('credit_notes')
    .insert(
      notes.map((note) => ({
        id: note.id,
        account_id: state.accountId,
        invoice_id: state.id,
        customer_id: state.customerId,
        created: note.created,
        status: note.status,
        data: JSON.stringify(storedOf(state, note)),
      })),
    )
    .onConflict(['account_id', 'id'])
    .merge(['status', 'data']);
}

export async function findCreditNote(
  db: Executor,
  accountId: string,
  id: string,
): Promise<StoredCreditNote | null> {
  const row = (await db('credit_notes').where({ account_id: accountId, id }).first('data')) as
    Pick<CreditNoteRow, 'data'> | undefined;
  return row?.data ?? null;
}

export interface CreditNoteFilters {
  invoice?: string;
  customer?: string;
}

export function creditNotesOf(
  db: Executor,
  accountId: string,
  filters: CreditNoteFilters,
): Knex.QueryBuilder {
  let query = db('credit_notes').where({ account_id: accountId });
  if (filters.invoice !== undefined) query = query.andWhere({ invoice_id: filters.invoice });
  if (filters.customer !== undefined) query = query.andWhere({ customer_id: filters.customer });
  return query;
}
