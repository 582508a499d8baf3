import type { Knex } from 'knex';
import { computeTotals } from '../../workflows/domain/totals';
import type { DomainEvent, InvoiceState } from '../../workflows/domain/types';
import { renderEvent } from '../../workflows/domain/render/event';
import { renderInvoice } from '../../workflows/domain/render/invoice';
import type { Database } from '../connection';

type Executor = Database | Knex.Transaction;

export interface InvoiceRow {
  seq: number;
  id: string;
  account_id: string;
  state: InvoiceState;
}

function projectionColumns(state: InvoiceState) {
  const totals = computeTotals(state);
  return {
    id: state.id,
    account_id: state.accountId,
    customer_id: state.customerId,
    status: state.status,
    currency: state.currency,
    collection_method: state.collectionMethod,
    subscription_id: state.subscriptionId,
    number: state.number,
    receipt_number: state.receiptNumber,
    total: totals.total,
    amount_due: totals.amountDue,
    created: state.created,
    due_date: state.dueDate,
    last_finalization_error_code: state.lastFinalizationError?.code ?? null,
    last_finalization_error_type: state.lastFinalizationError?.type ?? null,
    deleted: state.deleted,
    metadata: JSON.stringify(state.metadata),
    version: state.version,
    state: JSON.stringify(state),
  };
}

export async function saveInvoiceProjection(
  db: Database,
  state: InvoiceState,
  events: DomainEvent[],
): Promise<void> {
  await db.transaction(async (trx) => {
    const columns = projectionColumns(state);
    const { id, account_id, created, ...changing } = columns;
    void id;
    void account_id;
    void created;
    await trx('invoices')
      .insert(columns)
      .onConflict('id')
      .merge(Object.keys(changing))
      .where('invoices.version', '<', state.version);
    await insertEvents(
      trx,
      state.accountId,
      state.id,
      events,
      renderInvoice(state) as unknown as Record<string, unknown>,
    );
  });
}

export async function insertEvents(
  trx: Executor,
  accountId: string,
  objectId: string,
  events: DomainEvent[],
  object: Record<string, unknown>,
): Promise<void> {
  if (events.length === 0) return;
  await trx('events')
    .insert(
      events.map((event) => ({
        id: event.id,
        account_id: accountId,
        type: event.type,
        created: event.created,
        object_id: objectId,
        body: JSON.stringify(renderEvent(event, object)),
      })),
    )
    .onConflict('id')
    .ignore();
}

export async function findInvoice(db: Executor, accountId: string, id: string): Promise<InvoiceState | null> {
  const row = (await db('invoices').where({ account_id: accountId, id, deleted: false }).first('state')) as
    Pick<InvoiceRow, 'state'> | undefined;
  return row?.state ?? null;
}
