import type { Knex } from 'knex';

// Reminders written in bulk by a test clock advance (workflows/domain/reminders.ts):
// - `events.dedupe_key` names a reminder of one due date; the unique index makes the invoice
//   workflow's own copy of a reminder the advance already wrote a no-op, whichever comes first.
// - `invoices.collection_settings` holds the settings the invoice's workflow runs with (fixed
//   when it starts; the account's may change since), so the advance computes the reminders the
//   workflow would. Rows written before it have none: their workflows send their own reminders.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('events', (t) => {
    t.text('dedupe_key');
  });
  await knex.raw('create unique index events_dedupe_key on events (dedupe_key) where dedupe_key is not null');
  await knex.schema.alterTable('invoices', (t) => {
    t.jsonb('collection_settings');
  });
  // The advance reads its clock's open invoices in pages by seq.
  await knex.raw(
    "create index invoices_open_by_test_clock on invoices (test_clock, seq) where status = 'open' and not deleted",
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop index if exists invoices_open_by_test_clock');
  await knex.raw('drop index if exists events_dedupe_key');
  await knex.schema.alterTable('events', (t) => t.dropColumn('dedupe_key'));
  await knex.schema.alterTable('invoices', (t) => t.dropColumn('collection_settings'));
}
