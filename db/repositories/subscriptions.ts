// The subscriptions projection, written only by subscription workflows' activities.
import type { Knex } from 'knex';
import type { SubscriptionState } from '../../workflows/domain/subscription-types';
import type { Database } from '../connection';

type Executor = Database | Knex.Transaction;

export interface SubscriptionFilters {
  customer?: string;
  price?: string;
  collectionMethod?: string;
  testClock?: string;
  // A status, or 'all' / 'ended'; by default every status but canceled (as Stripe lists).
  status?: string;
}

// Moves forward only: a replayed write of an older version is a no-op (answers false).
export async function writeSubscriptionProjection(
  trx: Knex.Transaction,
  state: SubscriptionState,
): Promise<boolean> {
  const columns = {
    id: state.id,
    account_id: state.accountId,
    customer_id: state.customerId,
    status: state.status,
    collection_method: state.collectionMethod,
    created: state.created,
    current_period_end: state.currentPeriodEnd,
    test_clock: state.testClockId,
    price_ids: state.items.map((item) => item.price.id),
    version: state.version,
    state: JSON.stringify(state),
  };
  const written = await trx('subscriptions')
    .insert(columns)
    .onConflict('id')
    .merge(['status', 'collection_method', 'current_period_end', 'price_ids', 'version', 'state'])
    .where('subscriptions.version', '<', state.version)
    .returning('id');
  return written.length > 0;
}

export async function findSubscription(
  db: Executor,
  accountId: string,
  id: string,
): Promise<SubscriptionState | null> {
  const row = (await db('subscriptions').where({ account_id: accountId, id }).first('state')) as
    { state: SubscriptionState } | undefined;
  return row?.state ?? null;
}

export function subscriptionsOf(
  db: Executor,
  accountId: string,
  filters: SubscriptionFilters,
): Knex.QueryBuilder {
  let query = db('subscriptions').where({ account_id: accountId });
  if (filters.customer !== undefined) query = query.andWhere({ customer_id: filters.customer });
  if (filters.collectionMethod !== undefined)
    query = query.andWhere({ collection_method: filters.collectionMethod });
  if (filters.testClock !== undefined) query = query.andWhere({ test_clock: filters.testClock });
  if (filters.price !== undefined) query = query.whereRaw('? = ANY(price_ids)', [filters.price]);
  if (filters.status === 'ended') query = query.whereIn('status', ['canceled', 'incomplete_expired']);
  else if (filters.status === undefined) query = query.whereNot({ status: 'canceled' });
  else if (filters.status !== 'all') query = query.andWhere({ status: filters.status });
  return query;
}

// The clock's subscriptions still running: the test clock wakes their workflows.
export async function testClockSubscriptionIds(db: Executor, clockId: string): Promise<string[]> {
  const rows = (await db('subscriptions')
    .where({ test_clock: clockId })
    .whereNotIn('status', ['canceled', 'incomplete_expired'])
    .orderBy('seq')
    .select('id')) as Array<{ id: string }>;
  return rows.map((row) => row.id);
}

// Deleting a test clock deletes its customers' subscriptions (their workflows are ended first).
export async function clockSubscriptionIds(
  db: Executor,
  accountId: string,
  clockId: string,
): Promise<string[]> {
  const rows = (await db('subscriptions')
    .where({ account_id: accountId, test_clock: clockId })
    .select('id')) as Array<{
    id: string;
  }>;
  return rows.map((row) => row.id);
}

export async function deleteClockSubscriptions(
  db: Executor,
  accountId: string,
  clockId: string,
): Promise<void> {
  await db('subscriptions').where({ account_id: accountId, test_clock: clockId }).del();
}

// The subscription holding this item (an item lives inside its subscription's state).
export async function findSubscriptionOfItem(
  db: Executor,
  accountId: string,
  itemId: string,
): Promise<SubscriptionState | null> {
  const row = (await db('subscriptions')
    .where({ account_id: accountId })
    .whereRaw(`state->'items' @> ?::jsonb`, [JSON.stringify([{ id: itemId }])])
    .first('state')) as { state: SubscriptionState } | undefined;
  return row?.state ?? null;
}
