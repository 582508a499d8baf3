// Invoice items: their rows, and the pending ones (invoice_id null), which the API writes here
// directly. An item on an invoice is one of its lines: an invoice claims pending items
// (./invoice-item-claims.ts) and its persist activity writes their rows from its lines
// (./invoice-item-sync.ts) in the same transaction as the invoice row.
import type { Knex } from 'knex';
import type { InvoiceItemRecord } from '../../workflows/domain/invoice-item';
import { renderInvoiceItem } from '../../workflows/domain/render/invoice-item';
import { writeAsOneStatement, type Database } from '../connection';
import { newId } from '../random-ids';
import { eventInsert } from './events';
import { eventRows, insertEvents, type EventRequest } from './invoices';

export type Executor = Database | Knex.Transaction;

export const INVOICE_ITEMS = 'invoice_items';
const TABLE = INVOICE_ITEMS;

export interface InvoiceItemRow {
  seq: number;
  id: string;
  account_id: string;
  customer_id: string;
  invoice_id: string | null;
  line_id: string | null;
  currency: string;
  amount: number;
  created: number;
  deleted: boolean;
  metadata: Record<string, string>;
  data: InvoiceItemRecord;
}

export interface InvoiceItemFilters {
  customer?: string;
  invoice?: string;
  pending?: boolean; // true: on no invoice yet; false: on an invoice
}

export function invoiceItemFromRow(row: InvoiceItemRow): InvoiceItemRecord {
  return row.data;
}

// The line_id column is left to the caller: it says the item is a line of the *persisted*
// invoice, which only the sync knows. The JSON columns as values: updateItemRows sends them so.
export function columnValues(item: InvoiceItemRecord) {
  return {
    id: item.id,
    account_id: item.accountId,
    customer_id: item.customerId,
    invoice_id: item.invoiceId,
    currency: item.currency,
    amount: item.amount,
    created: item.date,
    deleted: item.deleted,
    metadata: item.metadata,
    data: item,
  };
}

export function columnsOf(item: InvoiceItemRecord) {
  const values = columnValues(item);
  return { ...values, metadata: JSON.stringify(values.metadata), data: JSON.stringify(values.data) };
}

export async function insertItemEvent(
  trx: Knex.Transaction,
  type: 'invoiceitem.created' | 'invoiceitem.deleted',
  item: InvoiceItemRecord,
  now: number,
  request?: EventRequest,
): Promise<void> {
  const object = renderInvoiceItem(item) as unknown as Record<string, unknown>;
  await insertEvents(
    trx,
    item.accountId,
    item.id,
    [{ id: newId('evt'), type, created: now }],
    object,
    request,
  );
}

// ---- pending items (the API's own writes) -------------------------------------------------

// A new pending item's writes, unrun: its row and its invoiceitem.created event (the row that
// insertEvents in ./invoices would write), for writeAsOneStatement.
export function pendingItemInserts(
  db: Executor,
  item: InvoiceItemRecord,
  request: EventRequest = { id: null, idempotencyKey: null },
): Knex.QueryBuilder[] {
  const event = { id: newId('evt'), type: 'invoiceitem.created', created: item.date } as const;
  const object = renderInvoiceItem(item) as unknown as Record<string, unknown>;
  return [
    db(TABLE).insert({ ...columnsOf(item), line_id: null }),
    eventInsert(
      db,
      eventRows(item.accountId, item.id, [event], object, request),
      Math.floor(Date.now() / 1000),
    ),
  ];
}

export async function insertInvoiceItem(
  trx: Knex.Transaction,
  item: InvoiceItemRecord,
  request?: EventRequest,
): Promise<void> {
  await writeAsOneStatement(trx, pendingItemInserts(trx, item, request));
}

// Deleted items are gone for every reader (Stripe answers 404 for them).
export async function findInvoiceItem(
  db: Executor,
  accountId: string,
  id: string,
  options: { forUpdate?: boolean } = {},
): Promise<InvoiceItemRecord | null> {
  let query = db(TABLE).where({ account_id: accountId, id, deleted: false });
  if (options.forUpdate) query = query.forUpdate();
  const row = (await query.first()) as InvoiceItemRow | undefined;
  return row ? invoiceItemFromRow(row) : null;
}

// The account-scoped, filtered query the list endpoint paginates (newest first, by seq).
export function invoiceItemsOf(
  db: Executor,
  accountId: string,
  filters: InvoiceItemFilters,
): Knex.QueryBuilder {
  let query = db(TABLE).where({ account_id: accountId, deleted: false });
  if (filters.customer !== undefined) query = query.andWhere({ customer_id: filters.customer });
  if (filters.invoice !== undefined) query = query.andWhere({ invoice_id: filters.invoice });
  if (filters.pending === true) query = query.whereNull('invoice_id');
  if (filters.pending === false) query = query.whereNotNull('invoice_id');
  return query;
}

// Only while pending: an item on an invoice changes through the invoice's workflow. Returns
// false when the item was claimed by an invoice in the meantime.
export async function updatePendingInvoiceItem(
  trx: Knex.Transaction,
  item: InvoiceItemRecord,
): Promise<boolean> {
  const { id, account_id, created, ...changing } = columnsOf(item);
  void created;
  const updated = await trx(TABLE)
    .where({ id, account_id, deleted: false })
    .whereNull('invoice_id')
    .update(changing);
  return updated > 0;
}

export async function deletePendingInvoiceItem(
  trx: Knex.Transaction,
  item: InvoiceItemRecord,
  now: number,
  request?: EventRequest,
): Promise<boolean> {
  const gone: InvoiceItemRecord = { ...item, deleted: true };
  const updated = await trx(TABLE)
    .where({ id: item.id, account_id: item.accountId, deleted: false })
    .whereNull('invoice_id')
    .update({ deleted: true, data: JSON.stringify(gone) });
  if (updated === 0) return false;
  await insertItemEvent(trx, 'invoiceitem.deleted', gone, now, request);
  return true;
}
