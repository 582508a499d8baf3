// The account's products. Every query is scoped by account: a product id is only unique inside
// its account (callers may choose their own ids).
import type { Knex } from 'knex';
import type { ProductRecord } from '../../workflows/domain/product';
import type { Database } from '../connection';

type Executor = Database | Knex.Transaction;

const TABLE = 'products';

export interface ProductRow {
  seq: number;
  id: string;
  account_id: string;
  created: number;
  active: boolean;
  metadata: Record<string, string>;
  data: ProductRecord;
}

export interface ProductFilters {
  active?: boolean;
  ids?: string[];
  shippable?: boolean;
  type?: string;
  url?: string;
}

export function productFromRow(row: Pick<ProductRow, 'data'>): ProductRecord {
  return row.data;
}

function columnsOf(product: ProductRecord) {
  return {
    id: product.id,
    account_id: product.accountId,
    created: product.created,
    active: product.active,
    metadata: JSON.stringify(product.metadata),
    data: JSON.stringify(product),
  };
}

export async function insertProduct(db: Executor, product: ProductRecord): Promise<void> {
  await db(TABLE).insert(columnsOf(product));
}

export async function saveProduct(db: Executor, product: ProductRecord): Promise<void> {
  const { id, account_id, created, ...changing } = columnsOf(product);
  void created;
  await db(TABLE).where({ id, account_id }).update(changing);
}

export async function findProduct(
  db: Executor,
  accountId: string,
  id: string,
  options: { forUpdate?: boolean } = {},
): Promise<ProductRecord | null> {
  let query = db(TABLE).where({ account_id: accountId, id });
  if (options.forUpdate) query = query.forUpdate();
  const row = (await query.first('data')) as Pick<ProductRow, 'data'> | undefined;
  return row ? productFromRow(row) : null;
}

// Deleted products are gone (Stripe answers 404 for them afterwards). Returns false when there
// was no such product; the prices foreign key refuses products that still have prices.
export async function deleteProduct(db: Executor, accountId: string, id: string): Promise<boolean> {
  return (await db(TABLE).where({ account_id: accountId, id }).delete()) > 0;
}

// The account-scoped, filtered query the list endpoint paginates (newest first, by seq).
export function productsOf(db: Executor, accountId: string, filters: ProductFilters): Knex.QueryBuilder {
  let query = db(TABLE).where({ account_id: accountId });
  if (filters.active !== undefined) query = query.andWhere({ active: filters.active });
  if (filters.ids !== undefined) query = query.whereIn('id', filters.ids);
  if (filters.shippable !== undefined) {
    query = query.whereRaw("(data->>'shippable')::boolean = ?", [filters.shippable]);
  }
  if (filters.type !== undefined) query = query.whereRaw("data->>'type' = ?", [filters.type]);
  if (filters.url !== undefined) query = query.whereRaw("data->>'url' = ?", [filters.url]);
  return query;
}
