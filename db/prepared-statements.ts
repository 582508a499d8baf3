// Hot statements run as named prepared statements: Postgres parses and plans them once per
// connection instead of on every call. Planning dominates short statements here: a retrieve by
// id on the invoices table (19 indexes for the planner to weigh) cost its backend 144 µs
// unprepared and 46 µs prepared (bench/RESULTS.md). Opt-in with `prepared(query)`, only for
// statements whose text comes from a bounded set (a fixed shape, every value a binding): each
// distinct text stays prepared on each pooled connection until the connection's next replan.
//
// Replanning: Postgres keeps a prepared statement's generic plan until an ANALYZE of its tables
// invalidates it, and a plan made while a table was tiny scans it whole: a customer lookup by
// id planned at 16 rows took 2-7 ms at 15,000-35,000 rows before autovacuum came by
// (bench/RESULTS.md). So each connection drops its prepared statements every
// REPLAN_EVERY_MS (one DEALLOCATE ALL) and plans them again against the tables as they are.
import { createHash } from 'node:crypto';
import type { Knex } from 'knex';

const PREPARE = 'invoicingPrepare';
export const REPLAN_EVERY_MS = 10_000;

export function prepared<T extends Knex.QueryBuilder | Knex.Raw>(query: T): T {
  return query.options({ [PREPARE]: true }) as T;
}

interface CompiledQuery {
  sql: string;
  options?: Record<string, unknown>;
}

// pg's Client, as far as replanning needs it (the last two are pg internals; without them the
// connection is never taken for idle, never replanned, and the replan test fails).
interface PgConnection {
  query(text: string): Promise<unknown>;
  connection: { parsedStatements: Record<string, string> };
  _getActiveQuery?: () => unknown;
  _queryQueue?: unknown[];
}

// Nothing sent and unanswered on it: a statement in flight could otherwise be parsed before the
// DEALLOCATE and still be taken for prepared after it, or the reverse.
function idle(connection: PgConnection): boolean {
  return (
    typeof connection._getActiveQuery === 'function' &&
    connection._getActiveQuery() == null &&
    Array.isArray(connection._queryQueue) &&
    connection._queryQueue.length === 0
  );
}

type PgClientClass = new (config: Knex.Config) => {
  config: Knex.Config & { replanEveryMs?: number; replanClock?: () => number };
  _query(connection: PgConnection, obj: CompiledQuery): Promise<unknown>;
};

// knex's own Postgres client (no typings of its own). Subclassed, not patched on an instance:
// a transaction's client is made from the class's prototype.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const KnexPgClient = require('knex/lib/dialects/postgres') as PgClientClass;

const statementNames = new Map<string, string>();

// pg allows one text per name on a connection, so the name derives from the text.
export function statementName(sql: string): string {
  let name = statementNames.get(sql);
  if (!name) {
    name = `q${createHash('sha1').update(sql).digest('hex').slice(0, 24)}`;
    statementNames.set(sql, name);
  }
  return name;
}

// knex passes a query's `options` into pg's query config, and pg prepares a query with a `name`.
// The connection's prepared statements date from its last replan.
const plannedAt = new WeakMap<PgConnection, number>();

export class PreparingPgClient extends KnexPgClient {
  override async _query(connection: PgConnection, obj: CompiledQuery): Promise<unknown> {
    if (obj.options?.[PREPARE]) {
      await this.replanWhenDue(connection);
      const options: Record<string, unknown> = { ...obj.options, name: statementName(obj.sql) };
      delete options[PREPARE];
      obj.options = options;
    }
    return super._query(connection, obj);
  }

  private async replanWhenDue(connection: PgConnection): Promise<void> {
    const now = (this.config.replanClock ?? Date.now)();
    const since = plannedAt.get(connection);
    if (since === undefined) {
      plannedAt.set(connection, now);
      return;
    }
    if (now - since < (this.config.replanEveryMs ?? REPLAN_EVERY_MS) || !idle(connection)) return;
    plannedAt.set(connection, now);
    // Forgotten first, so any statement queued behind the DEALLOCATE is parsed again.
    const parsed = connection.connection.parsedStatements;
    connection.connection.parsedStatements = {};
    try {
      await connection.query('deallocate all');
    } catch {
      // Not run (a transaction already aborted, say): the statements are all still there. The
      // query itself then meets whatever stopped this.
      connection.connection.parsedStatements = { ...parsed, ...connection.connection.parsedStatements };
    }
  }
}
