// Search at scale: `npx tsx bench/search.ts` fills a fresh database with BENCH_INVOICES invoices
// (default 1,000,000) and a tenth as many customers, builds the search indexes (migration 008)
// on the full tables, then times representative searches through the same code the API runs
// (parse → SQL → page), printing median and p99 per query as a Markdown table.
//   BENCH_INVOICES=100000  fewer rows          BENCH_RUNS=50     timed runs per query
//   BENCH_DATABASE_URL=... use that server (a new database is created on it) instead of an
//                          embedded Postgres in a temporary folder
//   BENCH_EXPLAIN=1        print each query's plan
import type { Knex } from 'knex';
import { connectDatabase, type Database } from '../db/connection';
import { migrationSource } from '../db/migrations';
import { fetchSearchPage, queryFingerprint } from '../api/search/page';
import { parseQuery } from '../api/search/parser';
import { compileQuery, CUSTOMER_SEARCH, INVOICE_SEARCH, type SearchResource } from '../api/search/to-sql';
import { freshDatabase } from './fresh-database';
import { CUSTOMER_POOL, FIRST_CREATED, insertAccounts, insertRows, SEARCHED_ACCOUNT } from './search-data';

const INVOICES = Number(process.env.BENCH_INVOICES ?? 1_000_000);
const CUSTOMERS = Math.max(1000, Math.floor(INVOICES / 10));
const RUNS = Number(process.env.BENCH_RUNS ?? 50);
const log = (line: string) => process.stdout.write(`${line}\n`);

interface Case {
  name: string;
  resource: SearchResource;
  query: string;
  totalCount?: boolean;
  secondPage?: boolean;
}

// Migrations before the search indexes, so that those are built on the full tables.
const withoutSearchIndexes: Knex.MigrationSource<string> = {
  ...migrationSource,
  getMigrations: async (extensions) =>
    (await migrationSource.getMigrations(extensions)).filter((name) => name < '20261125_008'),
};

// Values that exist in the generated data: one mid-table invoice of the searched account.
async function sampleCases(db: Database): Promise<Case[]> {
  let g = Math.floor(INVOICES / 2) + 1;
  if (g % 10 === 0) g++; // every tenth invoice belongs to the other account
  const sample = (await db('invoices').where('id', `in_bench${g}`).first('customer_id', 'created')) as {
    customer_id: string;
    created: number;
  };
  const numbered = (await db('invoices')
    .where({ account_id: SEARCHED_ACCOUNT })
    .whereNotNull('number')
    .whereNotNull('subscription_id')
    .whereRaw("metadata <> '{}'::jsonb")
    .where('seq', '>', g)
    .orderBy('seq')
    .first('number', 'subscription_id', 'metadata')) as {
    number: string;
    subscription_id: string;
    metadata: { order_id: string };
  };
  const day = sample.created;
  const order = numbered.metadata.order_id;
  const inv = (name: string, query: string, extra: Partial<Case> = {}): Case => ({
    name,
    resource: INVOICE_SEARCH,
    query,
    ...extra,
  });
  const cus = (name: string, query: string, extra: Partial<Case> = {}): Case => ({
    name,
    resource: CUSTOMER_SEARCH,
    query,
    ...extra,
  });
  const customerN = Math.floor(CUSTOMERS / 2) + 1;
  return [
    inv('status', 'status:"open"'),
    inv('status, page 2 (next_page)', 'status:"paid"', { secondPage: true }),
    inv('status AND currency', 'status:"open" AND currency:"eur"'),
    inv('customer', `customer:"${sample.customer_id}"`),
    inv('number, exact', `number:"${numbered.number}"`),
    inv('number, one word', `number:"${numbered.number.split('-')[1]}"`),
    inv('number ~ substring', `number~"${numbered.number.slice(2, 9)}"`),
    inv('subscription', `subscription:"${numbered.subscription_id}"`),
    inv('metadata', `metadata["order_id"]:"${order}"`),
    inv('metadata presence', '-metadata["order_id"]:null'),
    inv('total > (rare)', 'total>99900'),
    inv('total > (rare) + total_count', 'total>99900', { totalCount: true }),
    inv('created, one day', `created>=${day} AND created<${day + 86_400}`),
    inv('OR of statuses', 'status:"void" OR status:"uncollectible"'),
    inv('negation AND total', '-status:"paid" total<100'),
    inv('finalization error code', 'last_finalization_error_code:"customer_tax_location_invalid"'),
    inv('currency + total_count (10%)', 'currency:"gbp"', { totalCount: true }),
    cus(
      'customer email, exact',
      `email:"user${customerN}@${['example.com', 'rocketrides.io', 'acme.test'][customerN % 3]}"`,
    ),
    cus('customer name ~', 'name~"okafor 12"'),
    cus('customer phone', `phone:"555 ${String(customerN % 10000).padStart(4, '0')}"`),
    cus('customer email ~ + total_count', 'email~"rocketrides"', { totalCount: true }),
  ];
}

function baseQuery(db: Database, c: Case): Knex.QueryBuilder {
  const where = compileQuery(parseQuery(c.query), c.resource);
  return db(c.resource.name)
    .where({ account_id: SEARCHED_ACCOUNT, deleted: false })
    .andWhereRaw(where.sql, where.bindings);
}

async function runOnce(db: Database, c: Case, page?: string) {
  const columns = c.resource === INVOICE_SEARCH ? ['seq', 'created', 'state'] : ['*'];
  const fingerprint = queryFingerprint(c.resource.name, c.query);
  return fetchSearchPage(baseQuery(db, c), columns, { limit: 10, page }, fingerprint, Boolean(c.totalCount));
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

async function timeCase(db: Database, c: Case) {
  const page = c.secondPage ? ((await runOnce(db, c)).nextPage ?? undefined) : undefined;
  for (let i = 0; i < 2; i++) await runOnce(db, c, page); // warm the cache
  const times: number[] = [];
  let shown = 0;
  for (let i = 0; i < RUNS; i++) {
    const started = process.hrtime.bigint();
    const result = await runOnce(db, c, page);
    times.push(Number(process.hrtime.bigint() - started) / 1e6);
    shown = result.rows.length;
  }
  const [{ count }] = (await baseQuery(db, c).count({ count: '*' })) as Array<{ count: string }>;
  if (process.env.BENCH_EXPLAIN) {
    // knex.raw reads `?` as a placeholder: the jsonb `?` operator is escaped back.
    const text = `explain ${baseQuery(db, c)
      .orderBy([
        { column: 'created', order: 'desc' },
        { column: 'seq', order: 'desc' },
      ])
      .limit(11)
      .toString()}`;
    const explained = await db.raw(text.replace(/\?/g, '\\?'));
    log((explained.rows as Array<{ 'QUERY PLAN': string }>).map((r) => `    ${r['QUERY PLAN']}`).join('\n'));
  }
  times.sort((a, b) => a - b);
  return { median: percentile(times, 50), p99: percentile(times, 99), matches: Number(count), shown };
}

async function main(): Promise<void> {
  log(
    `Search benchmark: ${INVOICES.toLocaleString('en-US')} invoices, ${CUSTOMERS.toLocaleString('en-US')} customers, ${RUNS} runs per query`,
  );
  const database = await freshDatabase('bench_search');
  let db = connectDatabase(database.url, { poolMax: 2 });
  try {
    await db.migrate.latest({ migrationSource: withoutSearchIndexes });
    await insertAccounts(db);
    let started = Date.now();
    await insertRows(db, 'invoices', INVOICES, log);
    await insertRows(db, 'customers', CUSTOMERS, log);
    log(`rows inserted in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    // New connections, which take the database's maintenance_work_mem.
    await db.destroy();
    db = connectDatabase(database.url, { poolMax: 2 });
    started = Date.now();
    await db.migrate.latest({ migrationSource });
    log(`search indexes (migration 008) built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    await db.raw('vacuum analyze invoices');
    await db.raw('vacuum analyze customers');
    const size = await db.raw(
      "select pg_size_pretty(pg_total_relation_size('invoices')) as invoices, pg_size_pretty(pg_indexes_size('invoices')) as indexes",
    );
    log(`invoices table with indexes: ${size.rows[0].invoices} (indexes ${size.rows[0].indexes})`);
    log(
      `customer pool of the invoices: ${CUSTOMER_POOL.toLocaleString('en-US')}, first created ${FIRST_CREATED}`,
    );
    log('');
    log('| search | query | matches | median ms | p99 ms |');
    log('| --- | --- | ---: | ---: | ---: |');
    for (const c of await sampleCases(db)) {
      const result = await timeCase(db, c);
      const query = `\`${c.query}\`${c.totalCount ? ' + total_count' : ''}${c.secondPage ? ' + page' : ''}`;
      log(
        `| ${c.name} | ${query} | ${result.matches.toLocaleString('en-US')} | ${result.median.toFixed(1)} | ${result.p99.toFixed(1)} |`,
      );
    }
  } finally {
    await db.destroy();
    await database.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
