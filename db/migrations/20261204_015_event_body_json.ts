import type { Knex } from 'knex';

// An event's body is stored as `json`, not `jsonb`: it is written once and only ever read back
// whole (the events API, webhook payloads), never queried inside. `jsonb` parsed every body into
// its binary form on insert, half of the time of inserting an invoice event (measured with
// bench/clock-reminders.ts: 10,000 reminder events 3.9 s → 1.8 s), and gave it back with its
// keys reordered; `json` keeps the text as rendered, in Stripe's key order. The change rewrites
// the table once.
export async function up(knex: Knex): Promise<void> {
  await knex.raw('alter table events alter column body type json using body::json');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('alter table events alter column body type jsonb using body::jsonb');
}
