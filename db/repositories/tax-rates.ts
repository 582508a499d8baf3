// The account's tax rates. Every query is scoped by account: another account's rate is missing.
import type { Knex } from 'knex';
import type { TaxRateRecord } from '../../workflows/domain/tax-rate';
import type { Database } from '../connection';

type Executor = Database | Knex.Transaction;

const TABLE = 'tax_rates';

export interface TaxRateRow {
  seq: number;
  id: string;
  account_id: string;
  created: number;
  active: boolean;
  inclusive: boolean;
  data: TaxRateRecord;
}

export interface TaxRateFilters {
  active?: boolean;
  inclusive?: boolean;
}

export function taxRateFromRow(row: Pick<TaxRateRow, 'data'>): TaxRateRecord {
  return row.data;
}

function columnsOf(rate: TaxRateRecord) {
  return {
    id: rate.id,
    account_id: rate.accountId,
    created: rate.created,
    active: rate.active,
    inclusive: rate.inclusive,
    data: JSON.stringify(rate),
  };
}

export async function insertTaxRate(db: Executor, rate: TaxRateRecord): Promise<void> {
  await db(TABLE).insert(columnsOf(rate));
}

export async function saveTaxRate(db: Executor, rate: TaxRateRecord): Promise<void> {
  const { id, account_id, active, data } = columnsOf(rate);
  await db(TABLE).where({ id, account_id }).update({ active, data });
}

export async function findTaxRate(
  db: Executor,
  accountId: string,
  id: string,
  options: { forUpdate?: boolean } = {},
): Promise<TaxRateRecord | null> {
  let query = db(TABLE).where({ account_id: accountId, id });
  if (options.forUpdate) query = query.forUpdate();
  const row = (await query.first('data')) as Pick<TaxRateRow, 'data'> | undefined;
  return row ? taxRateFromRow(row) : null;
}

export async function findTaxRates(
  db: Executor,
  accountId: string,
  ids: readonly string[],
): Promise<Map<string, TaxRateRecord>> {
  if (ids.length === 0) return new Map();
  const rows = (await db(TABLE)
    .where({ account_id: accountId })
    .whereIn('id', [...ids])
    .select('data')) as Pick<TaxRateRow, 'data'>[];
  return new Map(rows.map((row) => [row.data.id, taxRateFromRow(row)]));
}

// The account-scoped, filtered query the list endpoint paginates (newest first, by seq).
export function taxRatesOf(db: Executor, accountId: string, filters: TaxRateFilters): Knex.QueryBuilder {
  let query = db(TABLE).where({ account_id: accountId });
  if (filters.active !== undefined) query = query.andWhere({ active: filters.active });
  if (filters.inclusive !== undefined) query = query.andWhere({ inclusive: filters.inclusive });
  return query;
}
