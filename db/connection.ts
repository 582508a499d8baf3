import knex, { type Knex } from 'knex';
import pg from 'pg';
import { migrationSource } from './migrations';
import { prepared, PreparingPgClient } from './prepared-statements';

// bigint columns hold money in minor units; they fit a JS number exactly (< 2^53).
pg.types.setTypeParser(pg.types.builtins.INT8, (value: string) => Number(value));

export type Database = Knex;

export function connectDatabase(
  url: string,
  options: { poolMax?: number; replanEveryMs?: number; replanClock?: () => number } = {},
): Database {
  return knex({
    client: PreparingPgClient as unknown as typeof Knex.Client,
    connection: {
      connectionString: url,
      application_name: 'invoicing',
      // A Postgres that is away answers nothing rather than refusing (a dead host, a full
      // backlog): give up on the connect after 5 s, and notice dead pooled sockets.
      connectionTimeoutMillis: 5_000,
      keepAlive: true,
    },
    pool: { min: 0, max: options.poolMax ?? 10 },
    // Fail fast when Postgres is away instead of queueing requests forever.
    acquireConnectionTimeout: 5_000,
    // Read by PreparingPgClient (prepared-statements.ts); tests shorten the interval or drive
    // the clock themselves.
    ...(options.replanEveryMs === undefined ? {} : { replanEveryMs: options.replanEveryMs }),
    ...(options.replanClock === undefined ? {} : { replanClock: options.replanClock }),
  });
}

export async function migrateToLatest(db: Database): Promise<void> {
  await db.migrate.latest({ migrationSource });
}

// Several inserts and updates as one statement (data-modifying CTEs): one round trip and one
// commit, all or nothing, where a transaction would take BEGIN, one round trip each and COMMIT.
// Every part sees the database as it was before the statement, so the parts must not depend on
// each other's effects (no part may read what another writes). Callers' parts have fixed shapes
// (a row insert, an update by key), so the statement runs prepared.
export async function writeAsOneStatement(
  db: Database | Knex.Transaction,
  parts: Knex.QueryBuilder[],
): Promise<void> {
  if (parts.length === 1) {
    await prepared(parts[0]);
    return;
  }
  const compiled = parts.map((part) => part.toSQL());
  const sql = `with ${compiled.map((part, i) => `w${i} as (${part.sql})`).join(', ')} select 1`;
  await prepared(
    db.raw(
      sql,
      compiled.flatMap((part) => part.bindings),
    ),
  );
}
