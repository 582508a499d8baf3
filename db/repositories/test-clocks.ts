import type { Knex } from 'knex';
import type { CollectionSettings } from '../../workflows/domain/collection-settings';
import type { TestClockRecord, TestClockStatus } from '../../workflows/domain/test-clock';
import type { InvoiceState } from '../../workflows/domain/types';
import type { Database } from '../connection';
import { renderCustomer } from '../../workflows/domain/render/customer';
import { newId } from '../random-ids';
import { customerFromRow, type CustomerRow } from './customers';
import { insertEvents } from './invoices';

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

// Deleting a clock deletes the customers attached to it, as Stripe does, each with its
// customer.deleted event (the customer as it was). Answers the ids of the clock's invoices, or
// null when the account has no such clock.
export async function deleteTestClock(
  trx: Knex.Transaction,
  accountId: string,
  id: string,
): Promise<string[] | null> {
  const updated = await trx('test_clocks')
    .where({ account_id: accountId, id, deleted: false })
    .update({ deleted: true });
  if (updated === 0) return null;
  const customers = (await trx('customers')
    .where({ account_id: accountId, test_clock: id, deleted: false })
    .update({ deleted: true })
    .returning('*')) as CustomerRow[];
  const now = Math.floor(Date.now() / 1000);
  for (const row of customers) {
    const customer = customerFromRow({ ...row, deleted: false });
    const event = { id: newId('evt'), type: 'customer.deleted', created: now };
    await insertEvents(trx, accountId, customer.id, [event], { ...renderCustomer(customer) });
  }
  await deleteAdvanceWorkflows(trx, id);
  return testClockInvoiceIds(trx, id, { includeDeleted: true });
}

// Once their workflows are ended, the clock's invoices go too.
export async function deleteTestClockInvoices(db: Db, accountId: string, clockId: string): Promise<void> {
  await db('invoices').where({ account_id: accountId, test_clock: clockId }).update({ deleted: true });
}

// ---- The workflows an advance waits for (test_clock_advance_workflows) ----

const ADVANCE_WORKFLOWS = 'test_clock_advance_workflows';
const ROWS_PER_STATEMENT = 1_000;

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let start = 0; start < items.length; start += size) out.push(items.slice(start, start + size));
  return out;
}

// Idempotent: rows already there (a retried wake, a workflow that reported first) are kept.
// `signalled` true: the workflow knows of the advance without a signal (started with it).
export async function insertAdvanceWorkflows(
  db: Db,
  input: { clockId: string; advanceId: string; workflowIds: string[]; signalled?: boolean },
): Promise<void> {
  for (const ids of chunks(input.workflowIds, ROWS_PER_STATEMENT)) {
    await db(ADVANCE_WORKFLOWS)
      .insert(
        ids.map((workflowId) => ({
          advance_id: input.advanceId,
          workflow_id: workflowId,
          clock_id: input.clockId,
          signalled: input.signalled ?? false,
        })),
      )
      .onConflict(['advance_id', 'workflow_id'])
      .ignore();
  }
}

export async function unsignalledAdvanceWorkflows(db: Db, advanceId: string): Promise<string[]> {
  const rows = (await db(ADVANCE_WORKFLOWS)
    .where({ advance_id: advanceId, signalled: false })
    .select('workflow_id')) as Array<{ workflow_id: string }>;
  return rows.map((row) => row.workflow_id);
}

export async function markAdvanceWorkflows(
  db: Db,
  advanceId: string,
  workflowIds: string[],
  changes: { signalled?: boolean; caught_up?: boolean },
): Promise<void> {
  for (const ids of chunks(workflowIds, ROWS_PER_STATEMENT)) {
    await db(ADVANCE_WORKFLOWS).where({ advance_id: advanceId }).whereIn('workflow_id', ids).update(changes);
  }
}

// A workflow's report that it has caught up; the insert covers a report that arrives before
// the row does.
export async function reportAdvanceCatchUp(
  db: Db,
  input: { clockId: string; advanceId: string; workflowId: string },
): Promise<void> {
  await db(ADVANCE_WORKFLOWS)
    .insert({
      advance_id: input.advanceId,
      workflow_id: input.workflowId,
      clock_id: input.clockId,
      caught_up: true,
    })
    .onConflict(['advance_id', 'workflow_id'])
    .merge({ caught_up: true });
}

export async function countAdvanceStragglers(db: Db, advanceId: string): Promise<number> {
  const row = (await db(ADVANCE_WORKFLOWS)
    .where({ advance_id: advanceId, caught_up: false })
    .count('* as n')
    .first()) as { n: string | number };
  return Number(row.n);
}

export async function advanceStragglers(db: Db, advanceId: string, limit: number): Promise<string[]> {
  const rows = (await db(ADVANCE_WORKFLOWS)
    .where({ advance_id: advanceId, caught_up: false })
    .limit(limit)
    .select('workflow_id')) as Array<{ workflow_id: string }>;
  return rows.map((row) => row.workflow_id);
}

// Every row of the clock but those of `keepAdvanceId`: an ended advance's, and those a late
// report wrote after its advance ended.
export async function deleteAdvanceWorkflows(db: Db, clockId: string, keepAdvanceId?: string): Promise<void> {
  let query = db(ADVANCE_WORKFLOWS).where({ clock_id: clockId });
  if (keepAdvanceId) query = query.whereNot({ advance_id: keepAdvanceId });
  await query.delete();
}

export interface ReminderCandidate {
  seq: number;
  state: InvoiceState;
  hostedToken: string;
  settings: Partial<CollectionSettings>;
}

// The clock's open invoices whose workflow has stored its settings, in pages by seq: those a
// test clock advance may remind in bulk (activities/clock-reminders.ts).
export async function clockInvoicesForReminders(
  db: Db,
  clockId: string,
  afterSeq: number,
  limit: number,
): Promise<ReminderCandidate[]> {
  const rows = (await db('invoices')
    .where({ test_clock: clockId, deleted: false, status: 'open' })
    .whereNotNull('collection_settings')
    .andWhere('seq', '>', afterSeq)
    .orderBy('seq')
    .limit(limit)
    .select('seq', 'state', 'hosted_token', 'collection_settings')) as Array<{
    seq: string | number;
    state: InvoiceState;
    hosted_token: string;
    collection_settings: Partial<CollectionSettings>;
  }>;
  return rows.map((row) => ({
    seq: Number(row.seq),
    state: row.state,
    hostedToken: row.hosted_token,
    settings: row.collection_settings,
  }));
}
