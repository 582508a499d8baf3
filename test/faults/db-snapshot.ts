// A fingerprint of a test database: every table's row count and an md5 over all its rows, so a
// test can show that a stretch of requests changed nothing at all.
import type { Database } from '../../db/connection';

// Bookkeeping that legitimately moves on refused requests (idempotency keys of 4xx answers) or
// belongs to knex.
const IGNORED = ['idempotency_keys', 'knex_migrations', 'knex_migrations_lock'];

export type DatabaseSnapshot = Record<string, { rows: number; md5: string }>;

export async function snapshotDatabase(db: Database): Promise<DatabaseSnapshot> {
  const { rows: tables } = (await db.raw(
    `select table_name from information_schema.tables
     where table_schema = current_schema() and table_type = 'BASE TABLE' order by table_name`,
  )) as { rows: Array<{ table_name: string }> };
  const snapshot: DatabaseSnapshot = {};
  for (const { table_name: table } of tables) {
    if (IGNORED.includes(table)) continue;
    const { rows } = (await db.raw(
      `select count(*)::int as rows, coalesce(md5(string_agg(t::text, '|' order by t::text)), '') as md5
       from ?? t`,
      [table],
    )) as { rows: Array<{ rows: number; md5: string }> };
    snapshot[table] = rows[0];
  }
  return snapshot;
}
