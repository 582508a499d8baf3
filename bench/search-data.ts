// Fills the projection tables for bench/search.ts: invoices and customers generated inside
// Postgres (insert ... select from generate_series), so a million rows need no client round
// trips. The data is shaped like a billing business: 20,000 customers, mostly paid invoices,
// numbers on every finalized invoice, metadata on half of them. 90% of the rows belong to the
// account that is searched, 10% to another one.
import type { Knex } from 'knex';

export const SEARCHED_ACCOUNT = 'acct_bench_main';
export const OTHER_ACCOUNT = 'acct_bench_other';
export const CUSTOMER_POOL = 20_000;
export const FIRST_CREATED = 1_700_000_000;
const BATCH = 100_000;

// The expressions below are plain SQL of ours; the only values are integers bound with `?`.
const INVOICE_SQL = `
insert into invoices (id, account_id, customer_id, status, currency, collection_method, subscription_id,
  number, receipt_number, total, amount_due, created, last_finalization_error_code,
  last_finalization_error_type, deleted, metadata, version, state)
select
  'in_bench' || g,
  case when g % 10 = 0 then '${OTHER_ACCOUNT}' else '${SEARCHED_ACCOUNT}' end,
  'cus_' || substr(md5('c' || (g * 7919) % ${CUSTOMER_POOL}), 1, 24),
  status,
  case when r.currency < 0.7 then 'usd' when r.currency < 0.9 then 'eur' else 'gbp' end,
  'charge_automatically',
  case when r.subscription < 0.3 then 'sub_' || substr(md5('s' || g % 50000), 1, 24) end,
  case when status <> 'draft' then upper(substr(md5('p' || (g * 7919) % ${CUSTOMER_POOL}), 1, 8)) || '-' || lpad(g::text, 7, '0') end,
  case when status = 'paid' and r.receipt < 0.5 then lpad((g % 10000)::text, 4, '0') || '-' || lpad((g / 10000)::text, 4, '0') end,
  total, total,
  ${FIRST_CREATED} + g * 60,
  case when g % 1000 = 1 then 'customer_tax_location_invalid' end,
  case when g % 1000 = 1 then 'invalid_request_error' end,
  false,
  case when r.metadata < 0.5 then jsonb_build_object('order_id', 'ord_' || g, 'plan', (array['gold', 'silver', 'bronze'])[1 + g % 3]) else '{}'::jsonb end,
  1,
  -- About the size of a real invoice's state (1.5 kB), not compressible.
  jsonb_build_object('id', 'in_bench' || g, 'lines', (select jsonb_agg(md5(g::text || k)) from generate_series(1, 40) k))
from generate_series(?::bigint, ?::bigint) g,
  -- Mentioning g makes the subquery run per row (uncorrelated, Postgres would run it once).
  lateral (select g as n, random() as status_roll, random() as currency, random() as subscription, random() as receipt,
    random() as metadata, floor(random() * 100000)::bigint as total) r,
  lateral (select case when r.status_roll < 0.1 then 'draft' when r.status_roll < 0.3 then 'open'
    when r.status_roll < 0.9 then 'paid' when r.status_roll < 0.95 then 'void' else 'uncollectible' end as status) s`;

const CUSTOMER_SQL = `
insert into customers (id, account_id, created, email, name, invoice_prefix, metadata, attributes)
select
  'cus_benchc' || g,
  case when g % 10 = 0 then '${OTHER_ACCOUNT}' else '${SEARCHED_ACCOUNT}' end,
  ${FIRST_CREATED} + g * 600,
  'user' || g || '@' || (array['example.com', 'rocketrides.io', 'acme.test'])[1 + g % 3],
  (array['Amy', 'Bob', 'Chen', 'Dana', 'Eve', 'Farid'])[1 + g % 6] || ' ' ||
    (array['Smith', 'Jones', 'Garcia', 'Nguyen', 'Okafor', 'Schmidt', 'Rossi'])[1 + (g / 6) % 7] || ' ' || g,
  'BC' || g,
  case when g % 2 = 0 then jsonb_build_object('tier', (array['gold', 'silver'])[1 + g % 4 / 2]) else '{}'::jsonb end,
  jsonb_build_object('phone', '+1 555 ' || lpad((g % 10000)::text, 4, '0'))
from generate_series(?::bigint, ?::bigint) g`;

export async function insertAccounts(db: Knex): Promise<void> {
  for (const id of [SEARCHED_ACCOUNT, OTHER_ACCOUNT]) {
    await db('accounts').insert({ id, name: id, created: FIRST_CREATED, settings: '{}' });
  }
}

export async function insertRows(
  db: Knex,
  table: 'invoices' | 'customers',
  count: number,
  log: (line: string) => void,
): Promise<void> {
  const sql = table === 'invoices' ? INVOICE_SQL : CUSTOMER_SQL;
  for (let start = 1; start <= count; start += BATCH) {
    const end = Math.min(count, start + BATCH - 1);
    const started = Date.now();
    await db.raw(sql, [start, end]);
    log(
      `  ${table}: ${end.toLocaleString('en-US')} / ${count.toLocaleString('en-US')} (${Date.now() - started} ms)`,
    );
  }
}
