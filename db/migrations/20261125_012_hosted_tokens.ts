import type { Knex } from 'knex';

// The hosted invoice page and PDF live at /i/<hosted_token>: the token is the capability to see
// and pay that one invoice, so it must be unguessable and map to exactly one invoice.
// 32 bytes of two gen_random_uuid() (Postgres' strong random source, built in since 13; 244 of
// the 256 bits are random), base64url without padding: 43 characters. Postgres generates it as
// the column default, so every insertion path gets one and existing rows are backfilled (a
// volatile default is evaluated per row). It never changes: the projection's upsert does not
// touch it.
const RANDOM_TOKEN = `rtrim(translate(encode(decode(replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', ''), 'hex'), 'base64'), '+/', '-_'), '=')`;

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`alter table invoices add column hosted_token text not null default ${RANDOM_TOKEN}`);
  await knex.raw('create unique index invoices_hosted_token_unique on invoices (hosted_token)');
  // One row per invoice.sent event that was emailed (or could not be: no address). Keyed by
  // the event, so a retried activity finds the email already sent and never sends it twice.
  await knex.schema.createTable('invoice_emails', (t) => {
    t.text('event_id').primary();
    t.text('account_id').notNullable().references('accounts.id').onDelete('CASCADE');
    t.text('invoice_id').notNullable();
    t.text('status').notNullable(); // sent | skipped
    t.text('recipient');
    t.text('subject');
    t.text('message_id');
    t.text('transport'); // smtp | outbox
    t.text('location'); // the outbox file, or the SMTP server's answer
    t.text('reason'); // why it was skipped
    t.bigInteger('created').notNullable();
    t.index(['account_id', 'invoice_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('invoice_emails');
  await knex.raw('drop index if exists invoices_hosted_token_unique');
  await knex.raw('alter table invoices drop column if exists hosted_token');
}
