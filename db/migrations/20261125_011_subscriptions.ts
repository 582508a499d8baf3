import type { Knex } from 'knex';

// Subscriptions: the projection each subscription workflow writes (state is the workflow's
// SubscriptionState; the columns serve the list filters and the test clock's wake-up list).
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('subscriptions', (t) => {
    t.bigIncrements('seq');
    t.text('id').notNullable().unique();
    t.text('account_id').notNullable().references('accounts.id').onDelete('CASCADE');
    t.text('customer_id').notNullable();
    t.text('status').notNullable();
    t.text('collection_method').notNullable();
    t.bigInteger('created').notNullable();
    t.bigInteger('current_period_end').notNullable();
    t.text('test_clock');
    t.specificType('price_ids', 'text[]').notNullable();
    t.integer('version').notNullable();
    t.jsonb('state').notNullable();
    t.index(['account_id', 'seq']);
    t.index(['account_id', 'customer_id', 'seq']);
    t.index(['test_clock']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('subscriptions');
}
