// The account's prices. Every query is scoped by account. A price's amount, currency and
// recurrence never change, so the row is rewritten only for active, nickname, lookup_key,
// tax_behavior and metadata.
import type { Knex } from 'knex';
import type { PriceRecord } from '../../workflows/domain/price';
import type { Database } from '../connection';

type Executor = Database | Knex.Transaction;

const TABLE = 'prices';

export interface PriceRow {
  seq: number;
  id: string;
  account_id: string;
  product_id: string;
  currency: string;
  type: string;
  interval: string | null;
  active: boolean;
  lookup_key: string | null;
  created: number;
  metadata: Record<string, string>;
  data: PriceRecord;
}

export interface PriceFilters {
  active?: boolean;
  currency?: string;
  product?: string;
  type?: string;
  interval?: string;
  usageType?: string;
  lookupKeys?: string[];
}

export function priceFromRow(row: Pick<PriceRow, 'data'>): PriceRecord {
  return row.data;
}

function columnsOf(price: PriceRecord) {
  return {
    id: price.id,
    account_id: price.accountId,
    product_id: price.productId,
    currency: price.currency,
    type: price.type,
    interval: price.recurring?.interval ?? null,
    active: price.active,
    lookup_key: price.lookupKey,
    created: price.created,
    metadata: JSON.stringify(price.metadata),
    data: JSON.stringify(price),
  };
}

export async function insertPrice(db: Executor, price: PriceRecord): Promise<void> {
  await db(TABLE).insert(columnsOf(price));
}

// Writes the mutable fields only; the amount, currency and recurrence stay as created.
export async function savePrice(db: Executor, price: PriceRecord): Promise<void> {
  const { id, account_id, active, lookup_key, metadata, data } = columnsOf(price);
  await db(TABLE).where({ id, account_id }).update({ active, lookup_key, metadata, data });
}

export async function findPrice(
  db: Executor,
  accountId: string,
  priceId: string,
  options: { forUpdate?: boolean } = {},
): Promise<PriceRecord | null> {
  let query = db(TABLE).where({ account_id: accountId, id: priceId });
  if (options.forUpdate) query = query.forUpdate();
  const row = (await query.first('data')) as Pick<PriceRow, 'data'> | undefined;
  return row ? priceFromRow(row) : null;
}

// The prices among `ids` that exist in the account, in the order asked (each once); ids of
// other accounts or of nothing are simply absent, so callers compare lengths to find them.
export async function findPrices(db: Executor, accountId: string, ids: string[]): Promise<PriceRecord[]> {
  const wanted = [...new Set(ids)];
  if (wanted.length === 0) return [];
  const rows = (await db(TABLE)
    .where({ account_id: accountId })
    .whereIn('id', wanted)
    .select('data')) as Pick<PriceRow, 'data'>[];
  const byId = new Map(rows.map((row) => [row.data.id, priceFromRow(row)]));
  return wanted.flatMap((id) => byId.get(id) ?? []);
}

export async function findPriceByLookupKey(
  db: Executor,
  accountId: string,
  lookupKey: string,
  options: { forUpdate?: boolean } = {},
): Promise<PriceRecord | null> {
  let query = db(TABLE).where({ account_id: accountId, lookup_key: lookupKey });
  if (options.forUpdate) query = query.forUpdate();
  const row = (await query.first('data')) as Pick<PriceRow, 'data'> | undefined;
  return row ? priceFromRow(row) : null;
}

export async function productHasPrices(db: Executor, accountId: string, productId: string): Promise<boolean> {
  const row = (await db(TABLE).where({ account_id: accountId, product_id: productId }).first('id')) as
    { id: string } | undefined;
  return row !== undefined;
}

// The account-scoped, filtered query the list endpoint paginates (newest first, by seq).
export function pricesOf(db: Executor, accountId: string, filters: PriceFilters): Knex.QueryBuilder {
  let query = db(TABLE).where({ account_id: accountId });
  if (filters.active !== undefined) query = query.andWhere({ active: filters.active });
  if (filters.currency !== undefined) query = query.andWhere({ currency: filters.currency.toLowerCase() });
  if (filters.product !== undefined) query = query.andWhere({ product_id: filters.product });
  if (filters.type !== undefined) query = query.andWhere({ type: filters.type });
  if (filters.interval !== undefined) query = query.andWhere({ interval: filters.interval });
  // Every price here is licensed: a metered filter matches nothing, a licensed one every recurring.
  if (filters.usageType !== undefined) {
    query =
      filters.usageType === 'licensed' ? query.andWhere({ type: 'recurring' }) : query.whereRaw('false');
  }
  if (filters.lookupKeys !== undefined) query = query.whereIn('lookup_key', filters.lookupKeys);
  return query;
}
