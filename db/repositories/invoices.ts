import type { Knex } from 'knex';
import { computeTotals } from '../../workflows/domain/totals';
import type { DomainEvent, InvoiceState } from '../../workflows/domain/types';
import { renderEvent } from '../../workflows/domain/render/event';
import { renderInvoice } from '../../workflows/domain/render/invoice';
import type { Database } from '../connection';
import { prepared } from '../prepared-statements';

type Executor = Database | Knex.Transaction;

export interface EventRequest {
  id: string | null;
  idempotencyKey: string | null;
}

export interface InvoiceRow {
  seq: number;
  id: string;
  account_id: string;
  version: number;
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
    test_clock: state.testClockId,
    last_finalization_error_code: state.lastFinalizationError?.code ?? null,
    last_finalization_error_type: state.lastFinalizationError?.type ?? null,
    deleted: state.deleted,
    metadata: JSON.stringify(state.metadata),
    version: state.version,
    state: JSON.stringify(state),
  };
}

// The projection only moves forward: a replayed or late write of an older version is a no-op,
// answered null. A write answers the row's hosted-page token (made with the row, never changed),
// so the events rendered next need no second look-up.
export async function writeInvoiceProjection(
  trx: Knex.Transaction,
  state: InvoiceState,
): Promise<{ hostedToken: string } | null> {
  const columns = projectionColumns(state);
  const { id, account_id, created, ...changing } = columns;
  void id;
  void account_id;
  void created;
  const written = (await prepared(
    trx('invoices')
      .insert(columns)
      .onConflict('id')
      .merge(Object.keys(changing))
      .where('invoices.version', '<', state.version)
      .returning('hosted_token'),
  )) as Array<{ hosted_token: string }>;
  return written.length > 0 ? { hostedToken: written[0].hosted_token } : null;
}

export async function insertEvents(
  trx: Executor,
  accountId: string,
  objectId: string,
  events: DomainEvent[],
  object: Record<string, unknown>,
  request: EventRequest = { id: null, idempotencyKey: null },
): Promise<void> {
  if (events.length === 0) return;
  // One text per number of events (a transition writes one to three).
  await prepared(
    trx('events')
      .insert(
        events.map((event) => ({
          id: event.id,
          account_id: accountId,
          type: event.type,
          created: event.created,
          object_id: objectId,
          body: JSON.stringify(renderEvent(event, object, request)),
        })),
      )
      .onConflict('id')
      .ignore(),
  );
}

export async function insertInvoiceEvents(
  trx: Knex.Transaction,
  state: InvoiceState,
  events: DomainEvent[],
  request: EventRequest | undefined,
  // The hosted pages' public base URL and the invoice's token: the events' invoice then carries
  // hosted_invoice_url (not while a draft, as on Stripe).
  hosted: { publicUrl?: string; token: string },
): Promise<void> {
  if (events.length === 0) return;
  const link =
    hosted.publicUrl && state.status !== 'draft' ? { baseUrl: hosted.publicUrl, token: hosted.token } : null;
  const object = renderInvoice(state, { hosted: link }) as unknown as Record<string, unknown>;
  await insertEvents(trx, state.accountId, state.id, events, object, request);
}

export async function findInvoice(db: Executor, accountId: string, id: string): Promise<InvoiceState | null> {
  const row = (await prepared(db('invoices').where({ account_id: accountId, id, deleted: false })).first(
    'state',
  )) as Pick<InvoiceRow, 'state'> | undefined;
  return row?.state ?? null;
}

export async function lockInvoiceRow(
  trx: Knex.Transaction,
  id: string,
): Promise<Pick<InvoiceRow, 'version' | 'state'> | null> {
  const row = (await trx('invoices').where({ id }).forUpdate().first('version', 'state')) as
    Pick<InvoiceRow, 'version' | 'state'> | undefined;
  return row ?? null;
}
