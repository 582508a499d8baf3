// Pending items becoming an invoice's: claimed when the invoice is made (and given back when its
// creation is refused), or read without claiming for a preview.
import { prepared } from '../prepared-statements';
import {
  lineInputFromItem,
  type InvoiceItemRecord,
  type ItemLineInput,
} from '../../workflows/domain/invoice-item';
import { normalizeCurrency } from '../../workflows/domain/money';
import {
  INVOICE_ITEMS as TABLE,
  invoiceItemFromRow,
  type Executor,
  type InvoiceItemRow,
} from './invoice-items';

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
