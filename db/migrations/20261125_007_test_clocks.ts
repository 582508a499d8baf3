import type { Knex } from 'knex';

// Test clocks: the clock's workflow writes status and frozen_time; the API reads them.
// advance_id names the advance in progress, so a retried "ready" write for an older advance
// cannot overwrite a newer one.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('test_clocks', (t) => {
    t.bigIncrements('seq');
    t.text('id').notNullable().unique();
    t.text('account_id').notNullable().references('accounts.id').onDelete('CASCADE');
    t.bigInteger('created').notNullable();
    t.bigInteger('frozen_time').notNullable();
    t.text('name');
    t.text('status').notNullable();
    t.bigInteger('target_frozen_time');
    t.boolean('deleted').notNullable().defaultTo(false);
    t.text('advance_id');
    t.index(['account_id', 'seq']);
  });
  // Deleting a clock deletes its customers: find them by clock.
  await knex.schema.alterTable('customers', (t) => t.index(['test_clock']));
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('customers', (t) => t.dropIndex(['test_clock']));
  await knex.schema.dropTableIfExists('test_clocks');
}
