import type { Knex } from 'knex';
import type { TestClockRecord, TestClockStatus } from '../../workflows/domain/test-clock';
import type { Database } from '../connection';

type Db = Database | Knex.Transaction;

export interface TestClockRow {
  seq: number;
  id: string;
  account_id: string;
  created: number;
  frozen_time: number;
  name: string | null;
  status: TestClockStatus;
  target_frozen_time: number | null;
  deleted: boolean;
  advance_id: string | null;
}

export function testClockFromRow(row: TestClockRow): TestClockRecord {
  return {
    id: row.id,
    accountId: row.account_id,
    created: row.created,
    frozenTime: row.frozen_time,
    name: row.name,
    status: row.status,
    targetFrozenTime: row.target_frozen_time,
    advanceId: row.advance_id,
    deleted: row.deleted,
  };
}

export async function insertTestClock(db: Db, clock: TestClockRecord): Promise<void> {
  await db('test_clocks').insert({
    id: clock.id,
    account_id: clock.accountId,
    created: clock.created,
    frozen_time: clock.frozenTime,
    name: clock.name,
    status: clock.status,
    target_frozen_time: clock.targetFrozenTime,
    advance_id: clock.advanceId,
    deleted: clock.deleted,
  });
}

// Deleted clocks stay as rows (their customers point at them) but are not found.
export async function findTestClock(db: Db, accountId: string, id: string): Promise<TestClockRecord | null> {
  const row = (await db('test_clocks').where({ account_id: accountId, id, deleted: false }).first()) as
    TestClockRow | undefined;
  return row ? testClockFromRow(row) : null;
}

async function updateReturning(query: Knex.QueryBuilder, changes: object): Promise<TestClockRecord | null> {
  const [row] = (await query.update(changes).returning('*')) as TestClockRow[];
  return row ? testClockFromRow(row) : null;
}

// The clock's workflow is the only writer of these three; each is idempotent under retry.
export async function markTestClockAdvancing(
  db: Db,
  input: { clockId: string; advanceId: string; targetFrozenTime: number },
): Promise<TestClockRecord | null> {
  return updateReturning(db('test_clocks').where({ id: input.clockId, deleted: false }), {
    status: 'advancing',
    target_frozen_time: input.targetFrozenTime,
    advance_id: input.advanceId,
  });
}

export async function markTestClockReady(
  db: Db,
  input: { clockId: string; advanceId: string; frozenTime: number },
): Promise<TestClockRecord | null> {
  return updateReturning(db('test_clocks').where({ id: input.clockId, advance_id: input.advanceId }), {
    status: 'ready',
    frozen_time: input.frozenTime,
    target_frozen_time: null,
  });
}

export async function markTestClockFailed(
  db: Db,
  input: { clockId: string; advanceId: string },
): Promise<TestClockRecord | null> {
  return updateReturning(db('test_clocks').where({ id: input.clockId, advance_id: input.advanceId }), {
    status: 'internal_failure',
    target_frozen_time: null,
  });
}

// The invoices living in the clock's time (through their customer), whose workflows an
// advance wakes and a deletion ends.
export async function testClockInvoiceIds(
  db: Db,
  clockId: string,
  options: { includeDeleted?: boolean } = {},
): Promise<string[]> {
  let query = db('invoices').where({ test_clock: clockId });
  if (!options.includeDeleted) query = query.andWhere({ deleted: false });
  const rows = (await query.orderBy('seq').select('id')) as Array<{ id: string }>;
  return rows.map((row) => row.id);
}

// Deleting a clock deletes the customers attached to it, as Stripe does. Answers the ids of
// the clock's invoices, or null when the account has no such clock.
export async function deleteTestClock(
  trx: Knex.Transaction,
  accountId: string,
  id: string,
): Promise<string[] | null> {
  const updated = await trx('test_clocks')
    .where({ account_id: accountId, id, deleted: false })
    .update({ deleted: true });
  if (updated === 0) return null;
  await trx('customers').where({ account_id: accountId, test_clock: id }).update({ deleted: true });
  return testClockInvoiceIds(trx, id, { includeDeleted: true });
}

// Once their workflows are ended, the clock's invoices go too.
export async function deleteTestClockInvoices(db: Db, accountId: string, clockId: string): Promise<void> {
  await db('invoices').where({ account_id: accountId, test_clock: clockId }).update({ deleted: true });
}
