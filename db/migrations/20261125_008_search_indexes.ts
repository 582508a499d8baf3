import type { Knex } from 'knex';

// Indexes that keep /v1/invoices/search and /v1/customers/search fast at a million rows (see
// bench/search.ts and bench/RESULTS.md). The SQL they serve is written in api/search/to-sql.ts;
// results come newest first, `created desc, seq desc` (api/search/page.ts):
//   the order, created ranges, page tokens  (account_id, created, seq), read backwards
//   currency:"eur"                          (account_id, currency, created, seq): filter + order
//   customer:"cus_..." (case-insensitive)   (account_id, lower(customer_id), created, seq)
//   status:"open"                           (account_id, status, created, seq): filter + order
//   total>1000                              (account_id, total)
//   last_finalization_error_code/type       partial indexes: almost every row has none
//   metadata["k"]:"v", -metadata["k"]:null  GIN on search_metadata_lower(metadata), jsonb_ops
//                                           (not jsonb_path_ops) so key presence (?) is served
//   number, receipt_number, subscription, email, name, phone, with ":" (words) or "~"
//                                           pg_trgm GIN, serving the ILIKE that to-sql emits
// pg_trgm ships with Postgres (contrib; the embedded Postgres has it) and is a trusted
// extension, so a database owner may create it. Where it cannot be created, the trigram indexes
// are skipped: those searches still answer correctly, by scanning the account's rows.
const TRIGRAM_COLUMNS: Array<[string, string, string]> = [
  ['invoices', 'number', 'number'],
  ['invoices', 'receipt_number', 'receipt_number'],
  ['invoices', 'subscription_id', 'subscription_id'],
  ['customers', 'email', 'email'],
  ['customers', 'name', 'name'],
  ['customers', 'phone', "(attributes->>'phone')"],
];

// Partial (`where not deleted`, as every search filters): smaller, and a total_count over them
// is an index-only scan, the deleted flag being implied by the index itself.
const BTREE_INDEXES: Array<[string, string, string, string]> = [
  ['invoices_search_created', 'invoices', 'account_id, created, seq', 'not deleted'],
  ['invoices_search_status', 'invoices', 'account_id, status, created, seq', 'not deleted'],
  ['invoices_search_currency', 'invoices', 'account_id, currency, created, seq', 'not deleted'],
  ['invoices_search_customer', 'invoices', 'account_id, lower(customer_id), created, seq', 'not deleted'],
  ['invoices_search_total', 'invoices', 'account_id, total', 'not deleted'],
  [
    'invoices_search_error_code',
    'invoices',
    'account_id, lower(last_finalization_error_code)',
    'not deleted and last_finalization_error_code is not null',
  ],
  [
    'invoices_search_error_type',
    'invoices',
    'account_id, lower(last_finalization_error_type)',
    'not deleted and last_finalization_error_type is not null',
  ],
  ['customers_search_created', 'customers', 'account_id, created, seq', 'not deleted'],
];

async function createTrigramExtension(knex: Knex): Promise<boolean> {
  const available = await knex.raw("select 1 from pg_available_extensions where name = 'pg_trgm'");
  if (available.rows.length === 0) return false;
  // A savepoint, so a refusal (no privilege) does not abort the migration's transaction.
  await knex.raw('savepoint search_trgm');
  try {
    await knex.raw('create extension if not exists pg_trgm');
    await knex.raw('release savepoint search_trgm');
    return true;
  } catch {
    await knex.raw('rollback to savepoint search_trgm');
    return false;
  }
}

export async function up(knex: Knex): Promise<void> {
  // Metadata values lowercased, keys kept: Stripe matches metadata as a token field (exact,
  // case-insensitive). Immutable, so it can be indexed.
  await knex.raw(`
    create or replace function search_metadata_lower(metadata jsonb) returns jsonb
    language sql immutable parallel safe as $$
      select case when jsonb_typeof(metadata) = 'object'
        then coalesce((select jsonb_object_agg(key, lower(value)) from jsonb_each_text(metadata)), '{}'::jsonb)
        else '{}'::jsonb end
    $$`);
  for (const [name, table, columns, where] of BTREE_INDEXES) {
    await knex.raw(`create index ${name} on ${table} (${columns}) where ${where}`);
  }
  for (const table of ['invoices', 'customers']) {
    await knex.raw(
      `create index ${table}_search_metadata on ${table} using gin (search_metadata_lower(metadata))`,
    );
  }
  if (!(await createTrigramExtension(knex))) return;
  for (const [table, name, expression] of TRIGRAM_COLUMNS) {
    await knex.raw(
      `create index ${table}_search_${name}_trgm on ${table} using gin (${expression} gin_trgm_ops)`,
    );
  }
}

export async function down(knex: Knex): Promise<void> {
  for (const [table, name] of TRIGRAM_COLUMNS)
    await knex.raw(`drop index if exists ${table}_search_${name}_trgm`);
  for (const [name] of BTREE_INDEXES) await knex.raw(`drop index if exists ${name}`);
  for (const table of ['invoices', 'customers'])
    await knex.raw(`drop index if exists ${table}_search_metadata`);
  await knex.raw('drop function if exists search_metadata_lower(jsonb)');
}
