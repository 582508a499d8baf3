import type { Knex } from 'knex';

// Webhook endpoints, one delivery row per (event, endpoint), and the outbox columns on events:
// delivery_started_at is null until the dispatcher has started the event's delivery workflow,
// webhooks_delivered_at is set when every endpoint the event was planned for has accepted it.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('webhook_endpoints', (t) => {
    t.bigIncrements('seq');
    t.text('id').notNullable().unique();
    t.text('account_id').notNullable().references('accounts.id').onDelete('CASCADE');
    t.bigInteger('created').notNullable();
    t.text('url').notNullable();
    t.jsonb('enabled_events').notNullable();
    t.text('description');
    t.text('api_version');
    t.text('status').notNullable(); // enabled | disabled
    t.text('secret').notNullable(); // whsec_...: needed in clear to sign every delivery
    t.boolean('deleted').notNullable().defaultTo(false);
    t.jsonb('metadata').notNullable().defaultTo('{}');
    t.index(['account_id', 'seq']);
  });
  await knex.schema.createTable('webhook_deliveries', (t) => {
    t.bigIncrements('seq');
    t.text('event_id').notNullable().references('events.id').onDelete('CASCADE');
    t.text('endpoint_id').notNullable().references('webhook_endpoints.id').onDelete('CASCADE');
    t.text('status').notNullable(); // pending | succeeded | failed | canceled
    t.integer('attempts').notNullable().defaultTo(0);
    t.integer('last_status_code');
    t.text('last_error');
    t.bigInteger('delivered_at');
    t.bigInteger('next_attempt_at');
    t.bigInteger('created').notNullable();
    t.unique(['event_id', 'endpoint_id']);
    t.index(['endpoint_id', 'seq']);
  });
  await knex.schema.alterTable('events', (t) => {
    t.bigInteger('delivery_started_at');
    t.bigInteger('webhooks_delivered_at');
  });
  // Events written before webhooks existed had no endpoint to go to: nothing to dispatch.
  await knex('events').update({
    delivery_started_at: knex.ref('created'),
    webhooks_delivered_at: knex.ref('created'),
  });
  // The dispatcher's queue: small, because rows leave it as soon as their workflow starts.
  await knex.raw('create index events_delivery_pending on events (seq) where delivery_started_at is null');
  // Wakes the dispatcher at commit instead of at its next poll.
  await knex.raw(`
    create function notify_events_inserted() returns trigger language plpgsql as $$
    begin
      perform pg_notify('events_inserted', '');
      return null;
    end $$`);
  await knex.raw(`
    create trigger events_inserted_notify after insert on events
    for each statement execute function notify_events_inserted()`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop trigger if exists events_inserted_notify on events');
  await knex.raw('drop function if exists notify_events_inserted()');
  await knex.raw('drop index if exists events_delivery_pending');
  await knex.schema.alterTable('events', (t) => {
    t.dropColumn('delivery_started_at');
    t.dropColumn('webhooks_delivered_at');
  });
  await knex.schema.dropTableIfExists('webhook_deliveries');
  await knex.schema.dropTableIfExists('webhook_endpoints');
}
