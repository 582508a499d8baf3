import type { Knex } from 'knex';
import type { CollectionSettings } from '../../workflows/domain/collection-settings';
import { reminderEventKey } from '../../workflows/domain/reminders';
import { computeTotals } from '../../workflows/domain/totals';
import type { DomainEvent, InvoiceState } from '../../workflows/domain/types';
import { renderEvent } from '../../workflows/domain/render/event';
import { renderInvoice } from '../../workflows/domain/render/invoice';
import type { Database } from '../connection';
import { prepared } from '../prepared-statements';
import { eventInsert, type EventRow, type Settling } from './events';

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

// `settings`: those the invoice's workflow runs with, stored once per run (bulk reminders read
// them); absent, the stored ones stay.
function projectionColumns(state: InvoiceState, settings?: CollectionSettings) {
  const totals = computeTotals(state);
  return {
    ...(settings ? { collection_settings: JSON.stringify(settings) } : {}),
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
  settings?: CollectionSettings,
): Promise<{ hostedToken: string } | null> {
  const columns = projectionColumns(state, settings);
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

export function eventRows(
  accountId: string,
  objectId: string,
  events: DomainEvent[],
  object: Record<string, unknown>,
  request: EventRequest = { id: null, idempotencyKey: null },
  dedupeKey: (type: string) => string | null = () => null,
): EventRow[] {
  return events.map((event) => ({
    id: event.id,
    account_id: accountId,
    type: event.type,
    created: event.created,
    object_id: objectId,
    body: JSON.stringify(renderEvent(event, object, request)),
    dedupe_key: dedupeKey(event.type),
  }));
}

// Answers how many were written (./events.ts skips those already stored). A bulk write passes
// the answer it asked once per page (`settling`); others ask in the statement.
export async function insertEventRows(
  trx: Executor,
  rows: EventRow[],
  options: { prepared: boolean; settling?: Settling } = { prepared: true },
): Promise<number> {
  if (rows.length === 0) return 0;
  const query = eventInsert(trx, rows, Math.floor(Date.now() / 1000), options.settling);
  // One text per number of rows: a transition writes one to three, so those run prepared; a bulk
  // write's page sizes vary and would each leave a prepared statement behind.
  const result = (await (options.prepared ? prepared(query) : query)) as unknown as { rowCount?: number };
  return result.rowCount ?? 0;
}

export async function insertEvents(
  trx: Executor,
  accountId: string,
  objectId: string,
  events: DomainEvent[],
  object: Record<string, unknown>,
  request: EventRequest = { id: null, idempotencyKey: null },
): Promise<void> {
  await insertEventRows(trx, eventRows(accountId, objectId, events, object, request));
}

// The hosted pages' public base URL and the invoice's token: the events' invoice then carries
// hosted_invoice_url (not while a draft, as on Stripe).
export interface HostedLink {
  publicUrl?: string;
  token: string;
}

export function invoiceEventRows(
  state: InvoiceState,
  events: DomainEvent[],
  request: EventRequest | undefined,
  hosted: HostedLink,
): EventRow[] {
  if (events.length === 0) return [];
  const link =
    hosted.publicUrl && state.status !== 'draft' ? { baseUrl: hosted.publicUrl, token: hosted.token } : null;
  const object = renderInvoice(state, { hosted: link }) as unknown as Record<string, unknown>;
  return eventRows(state.accountId, state.id, events, object, request, (type) =>
    reminderEventKey(state, type),
  );
}

export async function insertInvoiceEvents(
  trx: Knex.Transaction,
  state: InvoiceState,
  events: DomainEvent[],
  request: EventRequest | undefined,
  hosted: HostedLink,
): Promise<void> {
  await insertEventRows(trx, invoiceEventRows(state, events, request, hosted));
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
