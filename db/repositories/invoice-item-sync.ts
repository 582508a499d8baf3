// An invoice's item rows as a projection of its lines, written by its persist activity.
import type { Knex } from 'knex';
import { isDeepStrictEqual } from 'node:util';
import { prepared } from '../prepared-statements';
import { itemFromLine, type InvoiceItemRecord } from '../../workflows/domain/invoice-item';
import type { InvoiceItemChange } from '../../workflows/domain/invoice-transition';
import type { InvoiceState } from '../../workflows/domain/types';
import type { EventRequest } from './invoices';
import {
  INVOICE_ITEMS as TABLE,
  columnValues,
  columnsOf,
  insertItemEvent,
  invoiceItemFromRow,
  type InvoiceItemRow,
} from './invoice-items';

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
