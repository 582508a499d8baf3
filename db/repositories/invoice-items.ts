// Invoice items. Pending items (invoice_id null) are written here directly by the API; an item on
// an invoice is one of its lines, and its row is a projection written by the invoice's persist
// activity (syncInvoiceItemsFromInvoice) in the same transaction as the invoice row.
import type { Knex } from 'knex';
import { prepared } from '../prepared-statements';
import { isDeepStrictEqual } from 'node:util';
import {
  itemFromLine,
  lineInputFromItem,
  type InvoiceItemRecord,
  type ItemLineInput,
} from '../../workflows/domain/invoice-item';
import type { InvoiceItemChange } from '../../workflows/domain/invoice-transition';
import { normalizeCurrency } from '../../workflows/domain/money';
import { renderInvoiceItem } from '../../workflows/domain/render/invoice-item';
import type { InvoiceState } from '../../workflows/domain/types';
import { writeAsOneStatement, type Database } from '../connection';
import { newId } from '../random-ids';
import { eventInsert } from './events';
import { eventRows, insertEvents, type EventRequest } from './invoices';

type Executor = Database | Knex.Transaction;

const TABLE = 'invoice_items';

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
function columnValues(item: InvoiceItemRecord) {
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

function columnsOf(item: InvoiceItemRecord) {
  const values = columnValues(item);
  return { ...values, metadata: JSON.stringify(values.metadata), data: JSON.stringify(values.data) };
}

async function insertItemEvent(
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

// ---- called by the invoice workflow's activities ------------------------------------------

export interface ClaimRequest {
  accountId: string;
  customerId: string;
  invoiceId: string;
  currency: string;
  // A subscription's invoice also takes that subscription's prorations; any other invoice takes
  // only items that belong to no subscription (another subscription's prorations wait for it).
  subscriptionId?: string | null;
}

// pending_invoice_items_behavior=include: the customer's pending items in the invoice's currency
// become the invoice's, as line inputs in creation order. The row locks make a concurrent claim
// by another invoice skip them (Postgres re-checks the WHERE after waiting for the lock). A retry
// by the same invoice gets the same items back, as long as that invoice has not yet been
// persisted with them as lines (line_id set).
export async function claimPendingItems(db: Executor, request: ClaimRequest): Promise<ItemLineInput[]> {
  // One statement, no transaction: the CTE locks the rows in creation order (as every claim
  // does, so two claims cannot deadlock) and re-checks each after waiting for its lock; the
  // UPDATE gives them to the invoice, its line id in the record as lineIdForItem makes it (the
  // SQL mirrors it; test/integration/claim-pending-items.test.ts compares the two).
  const picked = db(TABLE)
    .select('id')
    .where({
      account_id: request.accountId,
      customer_id: request.customerId,
      currency: normalizeCurrency(request.currency),
      deleted: false,
    })
    .andWhere((q) =>
      q
        .whereNull('invoice_id')
        .orWhere((r) => r.where({ invoice_id: request.invoiceId }).whereNull('line_id')),
    )
    .andWhere((q) => {
      q.whereRaw(`data->>'subscriptionId' is null`);
      if (request.subscriptionId) q.orWhereRaw(`data->>'subscriptionId' = ?`, [request.subscriptionId]);
    })
    .orderBy('seq', 'asc')
    .forUpdate();
  const rows = (await prepared(
    db(TABLE)
      .with('picked', picked)
      .updateFrom('picked')
      .whereRaw('?? = picked.id', [`${TABLE}.id`])
      .update({
        invoice_id: request.invoiceId,
        data: db.raw(
          `?? || jsonb_build_object('invoiceId', ?::text, 'lineId', 'il_' || substr(??, strpos(??, '_') + 1))`,
          [`${TABLE}.data`, request.invoiceId, `${TABLE}.id`, `${TABLE}.id`],
        ),
      })
      .returning(`${TABLE}.*`),
  )) as InvoiceItemRow[];
  return rows.sort((a, b) => a.seq - b.seq).map((row) => lineInputFromItem(invoiceItemFromRow(row)));
}

// Gives back items an invoice claimed but was never persisted with (its creation was refused
// after the claim), so they are pending again.
export async function releaseClaimedItems(
  db: Executor,
  request: { accountId: string; invoiceId: string },
): Promise<number> {
  return db.transaction(async (trx) => {
    const rows = (await trx(TABLE)
      .where({ account_id: request.accountId, invoice_id: request.invoiceId, deleted: false })
      .whereNull('line_id')
      .forUpdate()) as InvoiceItemRow[];
    for (const row of rows) {
      const item: InvoiceItemRecord = { ...invoiceItemFromRow(row), invoiceId: null, lineId: null };
      await trx(TABLE)
        .where({ id: row.id })
        .update({ invoice_id: null, data: JSON.stringify(item) });
    }
    return rows.length;
  });
}

// Brings the invoice's item rows in line with the invoice just persisted, in the caller's
// transaction (which only runs it for a newly stored version, so it runs once per version):
// - every line with an invoice item is upserted from the line (invoiceitem.created when new);
// - a 'delete' change marks the row deleted, an 'unassign' one makes it pending again;
// - a row that was a line of this invoice and is no longer one, without a change saying
//   otherwise, is deleted: on an invoice, an item exists only as its line;
// - a deleted draft deletes its items with it. Stripe's docs say deleting a draft "permanently
//   deletes" it and its items are not released to pending (invoice-update.ts), so they go too,
//   each with invoiceitem.deleted.
export async function syncInvoiceItemsFromInvoice(
  trx: Knex.Transaction,
  state: InvoiceState,
  changes: readonly InvoiceItemChange[],
  now: number,
  request?: EventRequest,
): Promise<void> {
  const lines = state.lines.filter((line) => line.invoiceItemId !== null);
  const named = [
    ...lines.map((line) => line.invoiceItemId as string),
    ...changes.map((c) => c.invoiceItemId),
  ];
  const rows = (await prepared(
    trx(TABLE)
      .where({ account_id: state.accountId })
      .andWhere((q) =>
        q.where({ customer_id: state.customerId, invoice_id: state.id }).orWhereRaw('id = any(?)', [named]),
      )
      .forUpdate(),
  )) as InvoiceItemRow[];
  const existing = new Map(rows.map((row) => [row.id, row]));
  const onLines = new Set<string>();
  const changed: Array<{ item: InvoiceItemRecord; lineId: string }> = [];

  for (const line of lines) {
    const previous = existing.get(line.invoiceItemId as string);
    const item = itemFromLine(line, state, previous?.created ?? now);
    onLines.add(item.id);
    if (!previous) {
      await trx(TABLE).insert({ ...columnsOf(item), line_id: line.id });
      await insertItemEvent(trx, 'invoiceitem.created', item, now, request);
    } else if (previous.line_id !== line.id || !isDeepStrictEqual(invoiceItemFromRow(previous), item)) {
      // Most transitions (finalize, pay) leave the items as they were: no write for those.
      changed.push({ item, lineId: line.id });
    }
    if (item.deleted && !previous?.deleted)
      await insertItemEvent(trx, 'invoiceitem.deleted', item, now, request);
  }

  await updateItemRows(trx, changed);

  const actions = new Map(changes.map((change) => [change.invoiceItemId, change.action]));
  for (const row of rows) {
    if (onLines.has(row.id) || row.invoice_id !== state.id || row.deleted) continue;
    const action = actions.get(row.id);
    const item = invoiceItemFromRow(row);
    if (action === 'unassign') {
      const pending: InvoiceItemRecord = { ...item, invoiceId: null, lineId: null };
      await trx(TABLE)
        .where({ id: row.id })
        .update({ invoice_id: null, line_id: null, data: JSON.stringify(pending) });
    } else if (action === 'delete' || row.line_id !== null) {
      const gone: InvoiceItemRecord = { ...item, deleted: true };
      await trx(TABLE)
        .where({ id: row.id })
        .update({ deleted: true, data: JSON.stringify(gone) });
      await insertItemEvent(trx, 'invoiceitem.deleted', gone, now, request);
    }
  }
}

// Rewrites item rows from their records, all in one statement whatever their number (a create
// gives each claimed item its line): one text, so it runs prepared. `created` never changes.
async function updateItemRows(
  trx: Knex.Transaction,
  rows: ReadonlyArray<{ item: InvoiceItemRecord; lineId: string }>,
): Promise<void> {
  if (rows.length === 0) return;
  const records = rows.map(({ item, lineId }) => {
    const { created, ...values } = columnValues(item);
    void created;
    return { ...values, line_id: lineId };
  });
  await prepared(
    trx.raw(
      `update ?? as t set account_id = v.account_id, customer_id = v.customer_id,
         invoice_id = v.invoice_id, currency = v.currency, amount = v.amount, deleted = v.deleted,
         metadata = v.metadata, data = v.data, line_id = v.line_id
       from jsonb_to_recordset(?::jsonb) as v(id text, account_id text, customer_id text,
         invoice_id text, currency text, amount bigint, deleted boolean, metadata jsonb,
         data jsonb, line_id text)
       where t.id = v.id`,
      [TABLE, JSON.stringify(records)],
    ),
  );
}

// What claimPendingItems would take, without taking it: create_preview and invoice.upcoming.
export async function pendingItemLines(
  db: Executor,
  request: Omit<ClaimRequest, 'invoiceId'>,
): Promise<ItemLineInput[]> {
  const rows = (await db(TABLE)
    .where({
      account_id: request.accountId,
      customer_id: request.customerId,
      currency: normalizeCurrency(request.currency),
      deleted: false,
    })
    .whereNull('invoice_id')
    .andWhere((q) => {
      q.whereRaw(`data->>'subscriptionId' is null`);
      if (request.subscriptionId) q.orWhereRaw(`data->>'subscriptionId' = ?`, [request.subscriptionId]);
    })
    .orderBy('seq', 'asc')) as InvoiceItemRow[];
  return rows.map((row) => lineInputFromItem(invoiceItemFromRow(row)));
}
