import type { Knex } from 'knex';

// Idempotency keys, one row per (account, key): the first request's fingerprint and, once it
// finished, its response, replayed for 24 hours. Times come from Postgres (now()) so every API
// process agrees on expiry and on when an in-flight lock went stale.
// generation counts the key's lives: reusing a key after it expired starts a new generation,
// and the ids a create derives from the key include it (see api/stripe/idempotency.ts).
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('idempotency_keys', (t) => {
    t.text('account_id').notNullable().references('accounts.id').onDelete('CASCADE');
    t.text('idempotency_key').notNullable();
    t.integer('generation').notNullable().defaultTo(0);
    t.text('method').notNullable();
    t.text('path').notNullable();
    t.text('request_hash'); // null: the first attempt failed validation, any parameters may follow
    t.text('status').notNullable(); // in_flight | complete | released
    t.text('request_id').notNullable(); // the request that holds (or last held) the key
    t.integer('response_status');
    t.text('response_body'); // the JSON text as sent: replayed byte for byte
    t.timestamp('created', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('locked_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['account_id', 'idempotency_key']);
    t.index(['created']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('idempotency_keys');
}
