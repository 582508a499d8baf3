// Queries marked prepared() run as named prepared statements on their connection, in and out
// of transactions; unmarked queries do not.
import type { Knex } from 'knex';
import { connectDatabase, type Database } from '../../db/connection';
import { prepared, statementName } from '../../db/prepared-statements';
import { startStack, type Stack } from '../support/stack';

let stack: Stack;
let db: Database;

beforeAll(async () => {
  stack = await startStack();
  db = connectDatabase(stack.databaseUrl, { poolMax: 1 });
});

afterAll(async () => {
  await db?.destroy();
  await stack?.stop();
});

async function preparedNames(executor: Database | Knex.Transaction): Promise<string[]> {
  const result = await executor.raw('select name from pg_prepared_statements');
  return (result.rows as Array<{ name: string }>).map((row) => row.name);
}

test('a prepared query is prepared once under a name derived from its text, and answers as before', async () => {
  const query = () => prepared(db('accounts').select('id').where({ id: 'acct_missing' }).limit(1));
  const { sql } = query().toSQL().toNative();
  expect(await query()).toEqual([]);
  expect(await query()).toEqual([]);
  const names = await preparedNames(db);
  expect(names).toContain(statementName(sql));
  expect(names.filter((name) => name === statementName(sql))).toHaveLength(1);
});

test('inside a transaction too, and raw statements as well', async () => {
  const text = 'select ?::int + 1 as next';
  await db.transaction(async (trx) => {
    const result = await prepared(trx.raw(text, [41]));
    expect(result.rows).toEqual([{ next: 42 }]);
    const compiled = trx.raw(text, [0]).toSQL().toNative().sql;
    expect(await preparedNames(trx)).toContain(statementName(compiled));
  });
});

test('unmarked queries are not prepared', async () => {
  const before = await preparedNames(db);
  await db('accounts').select('id').where({ id: 'acct_other' });
  expect(await preparedNames(db)).toEqual(before);
});

// A generic plan made while a table was tiny scans it whole; the connection replans its
// statements after replanEveryMs, so the lookup uses the index once the table has grown. The
// replan clock is the test's own: a slow insert cannot make the replan fall due early. Before
// the interval the statement must not have been prepared again (its prepare_time); its plan may
// still change then, since Postgres replans on its own when a cache reset reaches the connection
// (other databases' DDL on the same server, as other suites' migrations, can cause one).
test('prepared statements are planned again after replanEveryMs, against the table as it has grown', async () => {
  const replanEveryMs = 500;
  let now = 1_000_000;
  const own = connectDatabase(stack.databaseUrl, { poolMax: 1, replanEveryMs, replanClock: () => now });
  try {
    // No autovacuum: its ANALYZE would invalidate the cached plan on its own schedule.
    await own.raw(
      'create table replan_probe (id text primary key, value int) with (autovacuum_enabled = false)',
    );
    await own.raw(`insert into replan_probe select 'k' || g, g from generate_series(1, 10) g`);
    await own.raw('analyze replan_probe'); // as autovacuum (or a later CREATE INDEX) leaves it
    await own.raw('set plan_cache_mode = force_generic_plan'); // the one pooled connection
    const lookup = () => prepared(own('replan_probe').where({ id: 'k5' }).first('value'));
    const { sql } = own('replan_probe').where({ id: 'k5' }).first('value').toSQL().toNative();
    const plan = async () => {
      const rows = (await own.raw(`explain execute ${statementName(sql)}('k5', 1)`)).rows as Array<{
        'QUERY PLAN': string;
      }>;
      return rows.map((row) => row['QUERY PLAN']).join('\n');
    };
    const preparedAt = async () =>
      String(
        (
          await own.raw('select prepare_time::text from pg_prepared_statements where name = ?', [
            statementName(sql),
          ])
        ).rows[0]?.prepare_time,
      );
    expect(await lookup()).toEqual({ value: 5 });
    expect(await plan()).toMatch(/Seq Scan on replan_probe/);
    const first = await preparedAt();
    await own.raw(`insert into replan_probe select 'g' || g, g from generate_series(1, 50000) g`);
    now += replanEveryMs - 1;
    expect(await lookup()).toEqual({ value: 5 });
    expect(await preparedAt()).toBe(first); // not replanned by us yet
    now += 1;
    expect(await lookup()).toEqual({ value: 5 });
    expect(await preparedAt()).not.toBe(first);
    expect(await plan()).toMatch(/Index Scan using replan_probe_pkey/);
  } finally {
    await own.destroy();
  }
});

// Statements queued on one connection at once (a transaction's Promise.all) while replans fall
// due: each must still find its statement prepared, never one the DEALLOCATE dropped.
test('replanning while statements are queued on the connection loses none of them', async () => {
  const own = connectDatabase(stack.databaseUrl, { poolMax: 1, replanEveryMs: 1 });
  try {
    for (let round = 0; round < 20; round++) {
      const sums = await own.transaction((trx) =>
        Promise.all(
          Array.from({ length: 30 }, async (_, i) => {
            await new Promise((resolve) => setTimeout(resolve, i % 3));
            const result = await prepared(trx.raw(`select ?::int + ${i % 4} as sum`, [round]));
            return (result.rows as Array<{ sum: number }>)[0].sum;
          }),
        ),
      );
      expect(sums).toEqual(Array.from({ length: 30 }, (_, i) => round + (i % 4)));
    }
  } finally {
    await own.destroy();
  }
});

// A replan due inside a transaction that an error has aborted cannot run; the connection must
// still know which statements Postgres holds once the transaction has rolled back.
test('a replan that falls in an aborted transaction leaves the connection usable', async () => {
  const own = connectDatabase(stack.databaseUrl, { poolMax: 1, replanEveryMs: 200 });
  const query = () => prepared(own.raw('select 7 as seven'));
  try {
    expect((await query()).rows).toEqual([{ seven: 7 }]);
    await expect(
      own.transaction(async (trx) => {
        await trx.raw('select 1 / 0').catch(() => undefined); // the transaction is now aborted
        await new Promise((resolve) => setTimeout(resolve, 250)); // the replan falls due
        await prepared(trx.raw('select 7 as seven'));
      }),
    ).rejects.toThrow(/current transaction is aborted/);
    // Before the next replan is due: the statement Postgres still holds is used, not parsed again.
    expect((await query()).rows).toEqual([{ seven: 7 }]);
    expect((await query()).rows).toEqual([{ seven: 7 }]);
  } finally {
    await own.destroy();
  }
});
